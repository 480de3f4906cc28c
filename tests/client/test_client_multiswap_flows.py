"""MultiSwap through the client on the standalone Anvil: fills by two takers to completion (with
the rounding remainder), cancel and close after partial fills, the tail rule, the provider's
duration bounds, and the instrument's errors decoded."""

from dataclasses import replace

import pytest
from client_support import DOMAIN_IDS, deploy_fee_token, fund, last_taker_data, send
from eth_abi import encode

from anvil_support import rpc
from nuts_escrow import (
    DurationBounds,
    EscrowClient,
    MultiSwapFill,
    MultiSwapFillTerms,
    MultiSwapState,
    MultiSwapTerms,
    ZeroQuoteError,
    errors,
)

DAY = 24 * 60 * 60
TKA = 10**18
TKB = 10**6
INPUT, OUTPUT = 100 * TKA, 300 * TKB


@pytest.fixture
def maker(maker_client):
    return maker_client.multiswap_domain(DOMAIN_IDS["MultiSwap"])


@pytest.fixture
def taker(taker_client):
    return taker_client.multiswap_domain(DOMAIN_IDS["MultiSwap"])


@pytest.fixture
def second_taker(w3, anvil_accounts, deployment):
    """Another taker: a node account without tokens."""
    client = EscrowClient.from_deployment(w3, deployment, account=anvil_accounts[4].address)
    return client.multiswap_domain(DOMAIN_IDS["MultiSwap"])


def multiswap_terms(tokens, **changes) -> MultiSwapTerms:
    """100 TKA for 300 TKB for a day in fills of any size, with `changes` (MultiSwapTerms fields by name)."""
    token_a, token_b = tokens
    terms = MultiSwapTerms(
        duration=DAY,
        input_token=token_a.address,
        output_token=token_b.address,
        input_amount=INPUT,
        output_amount=OUTPUT,
    )
    return replace(terms, **changes)


def offer(maker, tokens, duration=DAY, min_fill=50 * TKB, max_fill=200 * TKB):
    """The maker deposits and offers 100 TKA for 300 TKB in fills of 50 to 200 TKB."""
    token_a, _ = tokens
    maker.deposit_token(token_a.address, INPUT)
    terms = multiswap_terms(tokens, duration=duration, min_fill_output=min_fill, max_fill_output=max_fill)
    return maker.create_multiswap(terms)


def test_two_takers_fill_it_to_completion(maker, taker, second_taker, tokens, maker_account, deployer_address):
    token_a, token_b = tokens
    issuance_id = offer(maker, tokens)
    created = maker.issuance(issuance_id)
    assert created.state is MultiSwapState.ENGAGEABLE and created.is_open
    assert (created.maker, created.input_amount, created.output_amount) == (maker_account.address, INPUT, OUTPUT)
    assert (created.min_fill_output, created.max_fill_output) == (50 * TKB, 200 * TKB)
    assert (created.remaining_output, created.fill_count, created.input_basis) == (OUTPUT, 0, 0)
    assert maker.balances(tokens=[token_a.address]).issuance_escrows == {issuance_id: {token_a.address: INPUT}}

    taker.deposit_token(token_b.address, 100 * TKB)
    quoted = taker.quote_fill(issuance_id, 100 * TKB)
    first = taker.fill_multiswap(issuance_id, 100 * TKB)

    third_of_input = INPUT // 3  # floor(100e18 * 100 / 300): the taker never gets more than its share
    assert quoted == third_of_input == first.input_paid
    assert first == MultiSwapFill(issuance_id, 1, taker.account, 100 * TKB, third_of_input)
    halfway = maker.issuance(issuance_id)
    assert (halfway.remaining_output, halfway.filled_output, halfway.fill_count) == (200 * TKB, 100 * TKB, 1)
    assert halfway.input_basis == INPUT and halfway.state is MultiSwapState.ENGAGEABLE

    fund(second_taker, token_b, 200 * TKB, deployer_address)
    last = second_taker.fill_multiswap(issuance_id, 200 * TKB)

    assert (last.engagement_id, last.input_paid) == (2, 2 * INPUT // 3)
    done = maker.issuance(issuance_id)
    assert (done.state, done.remaining_output, done.is_open) == (MultiSwapState.COMPLETE, 0, False)
    remainder = INPUT - first.input_paid - last.input_paid
    assert remainder == 1, "the completing fill returns the rounding remainder to the maker"
    assert maker.balances(tokens=[token_a.address, token_b.address]).instrument_escrow == {
        token_a.address: remainder,
        token_b.address: OUTPUT,
    }
    assert taker.balances(tokens=[token_a.address]).instrument_escrow[token_a.address] == first.input_paid
    assert second_taker.balances(tokens=[token_a.address]).instrument_escrow[token_a.address] == last.input_paid
    assert maker.balances(tokens=[token_a.address]).issuance_escrows[issuance_id][token_a.address] == 0
    with pytest.raises(errors.InstrumentWrongState) as closed:
        taker.fill_multiswap(issuance_id, 50 * TKB)
    assert (closed.value.issuanceId, closed.value.state) == (issuance_id, MultiSwapState.COMPLETE)


def test_the_maker_cancels_after_a_partial_fill(maker, taker, tokens, maker_account):
    token_a, token_b = tokens
    issuance_id = offer(maker, tokens)
    taker.deposit_token(token_b.address, 150 * TKB)
    fill = taker.fill_multiswap(issuance_id, 150 * TKB)

    with pytest.raises(errors.InstrumentWrongCaller) as not_maker:
        taker.cancel_multiswap(issuance_id)
    assert (not_maker.value.caller, not_maker.value.expected) == (taker.account, maker_account.address)
    maker.cancel_multiswap(issuance_id)

    assert maker.issuance(issuance_id).state is MultiSwapState.CANCELLED
    assert fill.input_paid == INPUT // 2
    assert maker.balances(tokens=[token_a.address, token_b.address]).instrument_escrow == {
        token_a.address: INPUT - fill.input_paid,
        token_b.address: 150 * TKB,
    }
    with pytest.raises(errors.InstrumentWrongState) as cancelled:
        taker.fill_multiswap(issuance_id, 150 * TKB)
    assert cancelled.value.state == MultiSwapState.CANCELLED


def test_anyone_closes_it_from_its_due_time(node, maker, taker, tokens):
    token_a, token_b = tokens
    issuance_id = offer(maker, tokens, duration=60)
    taker.deposit_token(token_b.address, 60 * TKB)
    taker.fill_multiswap(issuance_id, 60 * TKB)

    taker.close_multiswap(issuance_id)  # early: changes nothing
    assert maker.issuance(issuance_id).state is MultiSwapState.ENGAGEABLE

    rpc(node, "evm_increaseTime", [61])
    rpc(node, "evm_mine")
    with pytest.raises(errors.InstrumentIssuanceDue) as due:
        taker.fill_multiswap(issuance_id, 60 * TKB)
    assert (due.value.issuanceId, due.value.dueTime) == (issuance_id, maker.issuance(issuance_id).due_time)
    taker.close_multiswap(issuance_id)

    closed = maker.issuance(issuance_id)
    assert (closed.state, closed.remaining_output, closed.fill_count) == (MultiSwapState.EXPIRED, 240 * TKB, 1)
    assert maker.balances(tokens=[token_a.address]).instrument_escrow[token_a.address] == INPUT - INPUT // 5


def test_fill_limits_and_the_tail_rule(maker, taker, tokens, maker_account):
    _, token_b = tokens
    issuance_id = offer(maker, tokens)
    taker.deposit_token(token_b.address, OUTPUT)

    with pytest.raises(errors.MultiSwapFillBelowMinimum) as below:
        taker.fill_multiswap(issuance_id, 49 * TKB)
    assert below.value.arguments == {"fillOutput": 49 * TKB, "minFillOutput": 50 * TKB, "remainingOutput": OUTPUT}
    with pytest.raises(errors.MultiSwapFillAboveMaximum) as above:
        taker.fill_multiswap(issuance_id, 201 * TKB)
    assert (above.value.fillOutput, above.value.maxFillOutput) == (201 * TKB, 200 * TKB)
    with pytest.raises(errors.InstrumentMakerCannotEngage) as own:
        maker.fill_multiswap(issuance_id, 100 * TKB)
    assert own.value.maker == maker_account.address

    taker.fill_multiswap(issuance_id, 200 * TKB)
    taker.fill_multiswap(issuance_id, 70 * TKB)
    with pytest.raises(errors.MultiSwapFillAboveRemaining) as beyond:
        taker.fill_multiswap(issuance_id, 50 * TKB)
    assert (beyond.value.fillOutput, beyond.value.remainingOutput) == (50 * TKB, 30 * TKB)
    tail = taker.fill_multiswap(issuance_id, 30 * TKB)  # below the minimum, but exactly the rest

    assert tail.engagement_id == 3
    assert maker.issuance(issuance_id).state is MultiSwapState.COMPLETE


def test_issuances_lists_every_multiswap(maker, tokens):
    first = offer(maker, tokens)
    second = offer(maker, tokens, min_fill=1, max_fill=OUTPUT)
    maker.cancel_multiswap(first)

    listed = maker.issuances()

    assert [(i.issuance_id, i.state, i.max_fill_output) for i in listed] == [
        (first, MultiSwapState.CANCELLED, 200 * TKB),
        (second, MultiSwapState.ENGAGEABLE, OUTPUT),
    ]
    assert listed[1].issuance_escrow == maker.issuance_escrow(second).address


def test_a_quote_refuses_what_the_fill_would_refuse(maker, taker, tokens):
    issuance_id = offer(maker, tokens)
    with pytest.raises(errors.MultiSwapFillBelowMinimum) as below:
        taker.quote_fill(issuance_id, 49 * TKB)
    assert below.value.arguments == {"fillOutput": 49 * TKB, "minFillOutput": 50 * TKB, "remainingOutput": OUTPUT}
    assert maker.issuance(issuance_id).fill_count == 0


def test_the_provider_sets_the_duration_bounds(maker, provider_client, tokens):
    provider = provider_client.multiswap_domain(DOMAIN_IDS["MultiSwap"])
    defaults = maker.bounds()
    assert defaults.min_duration >= 1 and defaults.max_duration >= DAY

    with pytest.raises(errors.InstrumentNotProvider) as not_provider:
        maker.set_bounds(60, 7 * DAY)
    assert not_provider.value.arguments == {
        "manager": maker.manager.address,
        "caller": maker.account,
        "provider": provider_client.account,
    }
    provider.set_bounds(60, 7 * DAY)

    assert maker.bounds() == DurationBounds(60, 7 * DAY)
    token_a, token_b = tokens
    maker.deposit_token(token_a.address, INPUT)
    with pytest.raises(errors.DurationOutOfBounds) as outside:
        maker.create_multiswap(multiswap_terms(tokens, duration=30))
    assert outside.value.arguments == {"duration": 30, "minDuration": 60, "maxDuration": 7 * DAY}
    assert maker.create_multiswap(multiswap_terms(tokens, duration=60)) == 1


@pytest.mark.parametrize(
    ("options", "minimum"),
    [({}, INPUT // 3), ({"tolerance_bps": 50}, INPUT // 3 * 9_950 // 10_000 + 1), ({"min_input_received": 5}, 5)],
    ids=["the quote", "less the tolerance", "explicit"],
)
def test_a_fill_sends_its_output_and_a_minimum_from_the_quote(maker, taker, tokens, options, minimum):
    _, token_b = tokens
    issuance_id = offer(maker, tokens)
    taker.deposit_token(token_b.address, 100 * TKB)

    fill = taker.fill_multiswap(issuance_id, 100 * TKB, **options)

    assert (
        last_taker_data(taker)
        == MultiSwapFillTerms(fill_output=100 * TKB, min_input_received=minimum).encode()
        == encode(["uint256"] * 2, [100 * TKB, minimum])
    )
    assert fill.input_paid == INPUT // 3
    assert MultiSwapFillTerms(fill_output=100 * TKB).encode() == encode(["uint256"], [100 * TKB]), (
        "the original encoding, no minimum"
    )


def test_a_fill_quoted_at_zero_is_not_sent(w3, maker, taker, tokens):
    """2 units of input for 300 TKB: a fill of 100 TKB is a share of 2/3 of a unit, rounded to 0."""
    token_a, token_b = tokens
    maker.deposit_token(token_a.address, 2)
    issuance_id = maker.create_multiswap(multiswap_terms(tokens, input_amount=2))
    taker.deposit_token(token_b.address, 150 * TKB)
    assert taker.quote_fill(issuance_id, 100 * TKB) == 0
    nonce = w3.eth.get_transaction_count(taker.account)

    with pytest.raises(ZeroQuoteError, match="would pay nothing"):
        taker.fill_multiswap(issuance_id, 100 * TKB)

    assert w3.eth.get_transaction_count(taker.account) == nonce, "nothing was sent"
    with pytest.raises(errors.ManagerCreditBelowMinimum) as refused:  # what the contract would do
        taker.fill_multiswap(issuance_id, 100 * TKB, min_input_received=0)
    assert (refused.value.credited, refused.value.minimum) == (0, 1)
    assert maker.issuance(issuance_id).fill_count == 0
    assert taker.fill_multiswap(issuance_id, 150 * TKB).input_paid == 1  # a share of a whole unit


def test_a_fee_switched_on_after_the_quote_reverts_the_fill_unless_tolerated(
    w3, maker, taker, tokens, maker_account, deployer_address
):
    _, token_b = tokens
    fee_token = deploy_fee_token(w3, deployer_address, {maker_account.address: INPUT})
    maker.deposit_token(fee_token.address, INPUT)
    issuance_id = maker.create_multiswap(multiswap_terms(tokens, input_token=fee_token.address))
    taker.deposit_token(token_b.address, 150 * TKB)
    assert taker.quote_fill(issuance_id, 150 * TKB) == INPUT // 2
    send(w3, fee_token.functions.setFeeBasisPoints(100), deployer_address)

    with pytest.raises(errors.ManagerCreditBelowMinimum) as short:
        taker.fill_multiswap(issuance_id, 150 * TKB)
    assert (short.value.index, short.value.to, short.value.credited, short.value.minimum) == (
        1,
        taker.account,
        INPUT // 2 * 99 // 100,
        INPUT // 2,
    )
    assert maker.issuance(issuance_id).fill_count == 0

    fill = taker.fill_multiswap(issuance_id, 150 * TKB, tolerance_bps=100)

    assert fill.input_paid == INPUT // 2
    assert taker.balances(tokens=[fee_token.address]).instrument_escrow == {fee_token.address: INPUT // 2 * 99 // 100}
