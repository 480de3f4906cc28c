"""Filling a MultiSwap: each taker pays part of the output to the maker and receives its share of
the input; the fill that takes the last of the output completes the issuance and returns what
rounding left to the maker. Then every refusal of a fill, each with its exact error and changing
nothing."""

import pytest

from multiswap_support import HOUR, create_multiswap, fill, fill_data, filled_event, record, share, state_event
from nuts_escrow import CANCEL_ISSUANCE, ISSUANCE_DUE, MultiSwapFillTerms
from nuts_escrow.types import MultiSwapState, TransferKind
from support import ETH, events, fund, held, issuance_escrow, pick, reverts, sleep_past, transfer_event

PAIRS = [("token", "other_token"), ("eth", "token"), ("token", "eth"), ("token", "fee_token")]
PAIR_IDS = ["tokens", "eth_input", "eth_output", "fee_token_output"]


@pytest.mark.parametrize("input_asset, output_asset", PAIRS, ids=PAIR_IDS)
def test_a_fill_pays_the_maker_and_hands_the_taker_its_share_of_the_input(
    multiswap, manager, domain_escrow, token, other_token, fee_token, maker, taker, input_asset, output_asset
):
    given = pick(input_asset, token, other_token, fee_token)
    wanted = pick(output_asset, token, other_token, fee_token)
    fund(domain_escrow, maker, given, 1_000)
    fund(domain_escrow, taker, wanted, 1_000)
    taker_output = domain_escrow.getTokenBalance(taker, wanted)  # 990 for the fee token
    create_multiswap(manager, maker, given, wanted, 400, 300)
    escrow = issuance_escrow(manager, 1)
    domain_held = {asset: held(domain_escrow, asset) for asset in (given, wanted)}

    tx = fill(manager, taker, 120)

    assert tx.return_value == 1
    assert events(tx, "MultiSwapFilled") == [filled_event(manager, 1, taker, 120, 160)]
    assert events(tx, "IssuanceEngaged") == [{"issuanceId": 1, "engagementId": 1, "taker": taker.address}]
    assert events(tx, "MultiSwapStateChanged") == []
    assert events(tx, "TransferExecuted") == [
        transfer_event(1, TransferKind.INTRA_INSTRUMENT, wanted, taker, maker, 120),
        transfer_event(1, TransferKind.OUTBOUND, given, maker, taker, 160),
    ]
    issuance = record(multiswap, manager)
    assert (issuance["state"], issuance["remainingOutput"], issuance["fillCount"]) == (
        MultiSwapState.ENGAGEABLE,
        180,
        1,
    )
    assert issuance["inputBasis"] == 400
    assert domain_escrow.getTokenBalance(maker, wanted) == 120
    assert domain_escrow.getTokenBalance(taker, wanted) == taker_output - 120
    assert domain_escrow.getTokenBalance(taker, given) == 160
    assert escrow.getTokenBalance(maker, given) == 240
    assert held(escrow, given) == 240
    # The output moved inside the Instrument Escrow's ledger; the input came in from the issuance.
    assert held(domain_escrow, wanted) == domain_held[wanted]
    assert held(domain_escrow, given) == domain_held[given] + 160


@pytest.mark.parametrize("input_asset, output_asset", PAIRS[:3], ids=PAIR_IDS[:3])
def test_three_takers_fill_it_to_completion_and_the_last_fill_returns_the_rounding_dust_to_the_maker(
    multiswap,
    manager,
    domain_escrow,
    token,
    other_token,
    fee_token,
    maker,
    taker,
    extra_takers,
    input_asset,
    output_asset,
):
    """10 input for 3 output, filled 1 + 1 + 1: each taker gets floor(10 / 3) = 3 and the maker 1 back."""
    given = pick(input_asset, token, other_token, fee_token)
    wanted = pick(output_asset, token, other_token, fee_token)
    takers = [taker, *extra_takers[:2]]
    fund(domain_escrow, maker, given, 10)
    for each in takers:
        fund(domain_escrow, each, wanted, 1)
    create_multiswap(manager, maker, given, wanted, 10, 3)
    escrow = issuance_escrow(manager, 1)

    for engagement_id, each in enumerate(takers[:2], start=1):
        tx = fill(manager, each, 1)
        assert tx.return_value == engagement_id
        assert events(tx, "MultiSwapFilled") == [filled_event(manager, engagement_id, each, 1, 3)]
    tx = fill(manager, takers[2], 1)

    assert tx.return_value == 3
    assert events(tx, "MultiSwapFilled") == [filled_event(manager, 3, takers[2], 1, 3)]
    assert events(tx, "MultiSwapStateChanged") == [state_event(manager, MultiSwapState.COMPLETE)]
    assert events(tx, "TransferExecuted") == [
        transfer_event(1, TransferKind.INTRA_INSTRUMENT, wanted, takers[2], maker, 1),
        transfer_event(1, TransferKind.OUTBOUND, given, maker, takers[2], 3),
        transfer_event(1, TransferKind.OUTBOUND, given, maker, maker, 1),
    ]
    issuance = record(multiswap, manager)
    assert (issuance["state"], issuance["remainingOutput"], issuance["fillCount"]) == (MultiSwapState.COMPLETE, 0, 3)
    for each in takers:
        assert domain_escrow.getTokenBalance(each, given) == 3
        assert domain_escrow.getTokenBalance(each, wanted) == 0
    assert domain_escrow.getTokenBalance(maker, given) == 1
    assert domain_escrow.getTokenBalance(maker, wanted) == 3
    assert escrow.getTokenBalance(maker, given) == 0
    assert held(escrow, given) == 0


def test_one_taker_may_fill_several_times(multiswap, manager, domain_escrow, token, other_token, maker, taker):
    fund(domain_escrow, maker, token, 600)
    fund(domain_escrow, taker, other_token, 300)
    create_multiswap(manager, maker, token, other_token, 600, 300, max_fill=100)
    assert [fill(manager, taker, 100).return_value for _ in range(3)] == [1, 2, 3]
    assert record(multiswap, manager)["state"] == MultiSwapState.COMPLETE
    assert domain_escrow.getTokenBalance(taker, token) == 600
    assert domain_escrow.getTokenBalance(maker, other_token) == 300


def test_the_exact_tail_completes_it_even_below_the_minimum_fill(
    multiswap, manager, domain_escrow, state, token, other_token, maker, taker, extra_takers
):
    fund(domain_escrow, maker, token, 1_000)
    fund(domain_escrow, taker, other_token, 1_000)
    fund(domain_escrow, extra_takers[0], other_token, 1_000)
    create_multiswap(manager, maker, token, other_token, 1_000, 100, min_fill=30, max_fill=50)
    fill(manager, taker, 50)
    fill(manager, taker, 30)
    assert record(multiswap, manager)["remainingOutput"] == 20

    # Below the minimum and short of the tail: refused.
    before = state()
    with reverts("MultiSwapFillBelowMinimum", 19, 30, 20):
        fill(manager, extra_takers[0], 19)
    assert state() == before

    tx = fill(manager, extra_takers[0], 20)

    assert events(tx, "MultiSwapFilled") == [filled_event(manager, 3, extra_takers[0], 20, 200)]
    assert record(multiswap, manager)["state"] == MultiSwapState.COMPLETE
    assert domain_escrow.getTokenBalance(extra_takers[0], token) == 200
    assert domain_escrow.getTokenBalance(maker, other_token) == 100


def test_a_single_fill_of_the_whole_output_completes_it_with_no_dust_to_return(
    manager, domain_escrow, token, other_token, maker, taker
):
    fund(domain_escrow, maker, token, 400)
    fund(domain_escrow, taker, other_token, 300)
    create_multiswap(manager, maker, token, other_token, 400, 300, min_fill=300, max_fill=300)

    tx = fill(manager, taker, 300)

    # The maker's whole balance in the issuance escrow is nothing by then: the manager skips it.
    assert events(tx, "TransferExecuted") == [
        transfer_event(1, TransferKind.INTRA_INSTRUMENT, other_token, taker, maker, 300),
        transfer_event(1, TransferKind.OUTBOUND, token, maker, taker, 400),
    ]
    assert events(tx, "MultiSwapStateChanged") == [state_event(manager, MultiSwapState.COMPLETE)]
    assert domain_escrow.getTokenBalance(taker, token) == 400
    assert held(issuance_escrow(manager, 1), token) == 0


def test_a_fee_on_transfer_input_is_shared_out_from_what_the_issuance_escrow_holds(
    multiswap, manager, domain_escrow, fee_token, other_token, maker, taker, extra_takers
):
    fund(domain_escrow, maker, fee_token, 10_000)  # 9,900 arrive
    fund(domain_escrow, taker, other_token, 3)
    fund(domain_escrow, extra_takers[0], other_token, 4)
    create_multiswap(manager, maker, fee_token, other_token, 5_000, 7)
    escrow = issuance_escrow(manager, 1)
    basis = 4_950  # 1% of the 5,000 burned on the way in
    assert escrow.getTokenBalance(maker, fee_token) == basis

    first = fill(manager, taker, 3)
    assert record(multiswap, manager)["inputBasis"] == basis
    last = fill(manager, extra_takers[0], 4)

    paid = [share(basis, 3, 7), share(basis, 4, 7)]  # 2,121 and 2,828
    dust = basis - sum(paid)  # 1
    assert dust == 1
    assert events(first, "MultiSwapFilled") == [filled_event(manager, 1, taker, 3, paid[0])]
    assert events(last, "MultiSwapFilled") == [filled_event(manager, 2, extra_takers[0], 4, paid[1])]
    arrived = [amount - amount // 100 for amount in paid]  # what is left after the 1% fee
    assert domain_escrow.getTokenBalance(taker, fee_token) == arrived[0]
    assert domain_escrow.getTokenBalance(extra_takers[0], fee_token) == arrived[1]
    assert domain_escrow.getTokenBalance(maker, fee_token) == 9_900 - 5_000 + dust
    assert record(multiswap, manager)["state"] == MultiSwapState.COMPLETE
    assert escrow.getTokenBalance(maker, fee_token) == 0
    assert held(escrow, fee_token) == 0


def test_the_basis_is_recorded_once_and_every_fill_is_priced_against_it(
    multiswap, manager, domain_escrow, token, other_token, maker, taker, extra_takers
):
    fund(domain_escrow, maker, token, 1_000)
    for each in (taker, extra_takers[0]):
        fund(domain_escrow, each, other_token, 100)
    create_multiswap(manager, maker, token, other_token, 1_000, 300)
    assert record(multiswap, manager)["inputBasis"] == 0
    first = fill(manager, taker, 100)
    second = fill(manager, extra_takers[0], 100)
    assert events(first, "MultiSwapFilled")[0]["inputPaid"] == 333
    assert events(second, "MultiSwapFilled")[0]["inputPaid"] == 333
    assert record(multiswap, manager)["inputBasis"] == 1_000
    assert issuance_escrow(manager, 1).getTokenBalance(maker, token) == 334


# -------------------------------------------------------------------------------------- refusals


@pytest.fixture
def open_issuance(manager, domain_escrow, token, other_token, maker, taker):
    """Issuance 1: 1,000 token for 100 other_token, fills of 10 to 40; the taker holds 1,000 output."""
    fund(domain_escrow, maker, token, 1_000)
    fund(domain_escrow, taker, other_token, 1_000)
    return create_multiswap(manager, maker, token, other_token, 1_000, 100, min_fill=10, max_fill=40)


@pytest.fixture
def refused(open_issuance, manager, state):
    """Asserts that `who` engaging with `data` reverts `error(*args)` and changes nothing."""

    def check(who, data, error, *args):
        before = state()
        with reverts(error, *args):
            manager.engageIssuance(1, data, {"from": who})
        assert state() == before

    return check


# ----------------------------------------------------------------------------------- taker data
# `abi.encode(fillOutput)` (the original 32 bytes) or `abi.encode(fillOutput, minInputReceived)`:
# the fill's share of the input is released with a minimum credit of max(1, minInputReceived).


@pytest.mark.parametrize("length", [0, 1, 31, 33, 63, 65, 96, 128])
def test_taker_data_of_another_length_reverts_invalid_taker_data(refused, taker, length):
    data = (fill_data(20, 200) * 2)[:length]
    refused(taker, data, "InstrumentInvalidTakerData", length)


@pytest.mark.parametrize("minimum", [None, 0, 1, 250], ids=["one_word", "zero", "one", "the_quote"])
def test_a_fill_accepting_up_to_its_quote_is_paid_the_quote(
    open_issuance, multiswap, manager, domain_escrow, token, other_token, maker, taker, minimum
):
    quoted = multiswap.quoteFill(manager, 1, 25)
    assert quoted == 250
    data = fill_data(25, minimum)
    assert len(data) == (32 if minimum is None else 64)

    tx = manager.engageIssuance(1, data, {"from": taker})

    assert events(tx, "MultiSwapFilled") == [filled_event(manager, 1, taker, 25, quoted)]
    assert events(tx, "TransferExecuted") == [
        transfer_event(1, TransferKind.INTRA_INSTRUMENT, other_token, taker, maker, 25),
        transfer_event(1, TransferKind.OUTBOUND, token, maker, taker, quoted),
    ]
    assert domain_escrow.getTokenBalance(taker, token) == quoted


@pytest.mark.parametrize("above", [1, 2**256 - 1 - 250], ids=["by_one", "max_uint"])
def test_a_minimum_above_the_quote_reverts_credit_below_minimum(refused, multiswap, manager, token, taker, above):
    quoted = multiswap.quoteFill(manager, 1, 25)
    refused(taker, fill_data(25, quoted + above), "ManagerCreditBelowMinimum", 1, token, taker, quoted, quoted + above)


@pytest.fixture
def adjustable_issuance(manager, domain_escrow, adjustable_fee_token, other_token, maker, taker):
    """Issuance 1: 1,000 of the adjustable-fee token (all arrived: no fee yet) for 100 other_token;
    the taker holds 100 other_token."""
    fund(domain_escrow, maker, adjustable_fee_token, 1_000)
    fund(domain_escrow, taker, other_token, 100)
    create_multiswap(manager, maker, adjustable_fee_token, other_token, 1_000, 100)


@pytest.mark.parametrize("minimum", [None, 250], ids=["one_word", "minimum_at_the_quote"])
def test_a_fee_switched_to_everything_after_the_quote_makes_the_fill_revert(
    adjustable_issuance,
    multiswap,
    manager,
    domain_escrow,
    state,
    adjustable_fee_token,
    other_token,
    taker,
    stranger,
    minimum,
):
    """The quote said 250; then someone makes the token take all of every transfer. Without the
    minimum credit the taker would pay 25 and be credited nothing."""
    assert multiswap.quoteFill(manager, 1, 25) == 250
    adjustable_fee_token.setFeeBasisPoints(10_000, {"from": stranger})
    before = state()

    with reverts("ManagerCreditBelowMinimum", 1, adjustable_fee_token, taker, 0, minimum or 1):
        fill(manager, taker, 25, min_input_received=minimum)

    assert state() == before
    assert domain_escrow.getTokenBalance(taker, other_token) == 100, "the taker paid nothing"
    assert record(multiswap, manager)["inputBasis"] == 0


def test_a_one_percent_fee_switched_on_after_the_quote_is_refused_by_a_minimum_at_the_quote(
    adjustable_issuance, multiswap, manager, domain_escrow, state, adjustable_fee_token, taker, stranger
):
    quoted = multiswap.quoteFill(manager, 1, 25)
    adjustable_fee_token.setFeeBasisPoints(100, {"from": stranger})
    arrives = quoted - quoted // 100  # 248
    before = state()
    with reverts("ManagerCreditBelowMinimum", 1, adjustable_fee_token, taker, arrives, quoted):
        fill(manager, taker, 25, min_input_received=quoted)
    assert state() == before

    fill(manager, taker, 25, min_input_received=arrives)
    assert domain_escrow.getTokenBalance(taker, adjustable_fee_token) == arrives


# ------------------------------------------------------------------------------------- fill limits


@pytest.mark.parametrize(
    "fill_output, error, args",
    [
        (0, "MultiSwapFillBelowMinimum", (0, 10, 100)),
        (9, "MultiSwapFillBelowMinimum", (9, 10, 100)),
        (41, "MultiSwapFillAboveMaximum", (41, 40)),
        (100, "MultiSwapFillAboveMaximum", (100, 40)),
        (101, "MultiSwapFillAboveRemaining", (101, 100)),
        (2**256 - 1, "MultiSwapFillAboveRemaining", (2**256 - 1, 100)),
    ],
    ids=["zero", "below_min", "above_max", "whole_output_above_max", "above_remaining", "max_uint"],
)
def test_a_fill_outside_its_limits_reverts_with_the_limit_it_breaks(refused, taker, fill_output, error, args):
    refused(taker, MultiSwapFillTerms(fill_output=fill_output).encode(), error, *args)


def test_fills_at_the_limits_are_accepted(open_issuance, multiswap, manager, taker):
    fill(manager, taker, 10)
    fill(manager, taker, 40)
    assert record(multiswap, manager)["remainingOutput"] == 50


def test_a_fill_above_the_remaining_output_reverts_fill_above_remaining(open_issuance, manager, state, taker):
    fill(manager, taker, 40)
    fill(manager, taker, 40)
    before = state()
    with reverts("MultiSwapFillAboveRemaining", 21, 20):
        fill(manager, taker, 21)
    assert state() == before


def test_the_maker_cannot_fill_its_own_issuance(refused, domain_escrow, other_token, maker):
    fund(domain_escrow, maker, other_token, 1_000)
    refused(maker, MultiSwapFillTerms(fill_output=20).encode(), "InstrumentMakerCannotEngage", maker)


def test_a_fill_at_or_after_the_due_time_reverts_issuance_due(open_issuance, refused, multiswap, manager, taker):
    sleep_past(HOUR)
    refused(
        taker, MultiSwapFillTerms(fill_output=20).encode(), "InstrumentIssuanceDue", 1, open_issuance.timestamp + HOUR
    )
    assert record(multiswap, manager)["state"] == MultiSwapState.ENGAGEABLE


@pytest.mark.parametrize("ended_by", ["completion", "cancel", "due"])
def test_a_fill_after_the_issuance_ended_reverts_wrong_state(refused, manager, maker, taker, stranger, ended_by):
    if ended_by == "completion":
        for size in (40, 40, 20):
            fill(manager, taker, size)
        ended = MultiSwapState.COMPLETE
    elif ended_by == "cancel":
        manager.processEvent(1, 0, CANCEL_ISSUANCE, b"", {"from": maker})
        ended = MultiSwapState.CANCELLED
    else:
        sleep_past(HOUR)
        manager.processEvent(1, 0, ISSUANCE_DUE, b"", {"from": stranger})
        ended = MultiSwapState.EXPIRED
    refused(taker, MultiSwapFillTerms(fill_output=10).encode(), "InstrumentWrongState", 1, ended)


@pytest.mark.parametrize("output_asset", ["other_token", "eth"])
def test_a_taker_without_enough_output_reverts_and_no_basis_is_recorded(
    multiswap, manager, domain_escrow, state, token, other_token, maker, taker, output_asset
):
    wanted = other_token if output_asset == "other_token" else ETH
    fund(domain_escrow, maker, token, 1_000)
    fund(domain_escrow, taker, wanted, 29)
    create_multiswap(manager, maker, token, wanted, 1_000, 100)
    before = state()
    with reverts("EscrowInsufficientBalance", taker, wanted, 29, 30):
        fill(manager, taker, 30)
    assert state() == before
    assert record(multiswap, manager)["inputBasis"] == 0


def test_the_manager_refuses_an_issuance_it_never_created(open_issuance, manager, state, taker):
    before = state()
    with reverts("ManagerUnknownIssuance", 2):
        fill(manager, taker, 20, issuance_id=2)
    assert state() == before


def test_the_multiswap_refuses_an_issuance_the_calling_manager_never_created(multiswap, stranger, taker):
    # Called directly, the caller is its own (empty) namespace.
    with reverts("InstrumentUnknownIssuance", 1):
        multiswap.engageIssuance(1, taker, MultiSwapFillTerms(fill_output=1).encode(), {"from": stranger})


def test_an_input_that_never_arrived_refuses_fills_and_quotes_and_the_maker_can_still_cancel(
    multiswap, manager, domain_escrow, state, adjustable_fee_token, other_token, maker, taker, stranger
):
    # A token that takes nothing on the deposit and everything on the move into the issuance escrow.
    swallowing = adjustable_fee_token
    fund(domain_escrow, maker, swallowing, 1_000)
    fund(domain_escrow, taker, other_token, 100)
    swallowing.setFeeBasisPoints(10_000, {"from": stranger})
    create_multiswap(manager, maker, swallowing, other_token, 1_000, 100)
    assert issuance_escrow(manager, 1).getTokenBalance(maker, swallowing) == 0

    before = state()
    with reverts("MultiSwapNoInput", 1):
        multiswap.quoteFill(manager, 1, 50)
    with reverts("MultiSwapNoInput", 1):
        fill(manager, taker, 50)
    assert state() == before
    assert domain_escrow.getTokenBalance(taker, other_token) == 100, "the taker paid nothing"

    manager.processEvent(1, 0, CANCEL_ISSUANCE, b"", {"from": maker})
    assert record(multiswap, manager)["state"] == MultiSwapState.CANCELLED
    assert domain_escrow.getTokenBalance(maker, swallowing) == 0
