"""The web3.py client (src/nuts_escrow) against the contracts on a standalone Anvil: the demo's
flows (deposit, swap create/engage, withdraw, cancel, close after time travel) with decoded errors.
"""

from dataclasses import replace

import pytest
from client_support import deploy_fee_token, fund, last_taker_data, send
from eth_abi import encode
from web3 import Web3
from web3.exceptions import ContractLogicError

from anvil_support import rpc
from nuts_escrow import (
    NATIVE_ETH,
    DurationBounds,
    EscrowClient,
    SwapState,
    SwapTakerTerms,
    SwapTerms,
    WrongChainError,
    errors,
)
from nuts_escrow.deployment import Deployment

HOUR = 60 * 60
DAY = 24 * HOUR
TKA = 10**18
TKB = 10**6


def swap_terms(tokens, **changes) -> SwapTerms:
    """100 TKA for 250 TKB for a day, with `changes` (SwapTerms fields by name)."""
    token_a, token_b = tokens
    terms = SwapTerms(
        duration=DAY,
        input_token=token_a.address,
        output_token=token_b.address,
        input_amount=100 * TKA,
        output_amount=250 * TKB,
    )
    return replace(terms, **changes)


def test_connects_to_the_swap_domain_by_registry_id(maker, maker_client, deployment):
    assert maker.domain_id == deployment.swap_domain_id == 1
    assert maker.manager.address == deployment.swap_instrument_manager
    assert maker.instrument_escrow.address == deployment.swap_instrument_escrow
    assert maker.instrument.address == deployment.swap
    assert maker.provider == deployment.deployer
    assert maker.active is True
    assert maker_client.domain_count() == 4


def test_unknown_domain_raises_the_registry_error(maker_client):
    with pytest.raises(errors.RegistryUnknownDomain) as failure:
        maker_client.domain(7)
    assert failure.value.domainId == 7


def test_wrong_chain_id_is_refused(w3, record):
    with pytest.raises(WrongChainError, match="chain id 5"):
        EscrowClient.from_deployment(w3, Deployment.from_record({**record, "chainId": 5}))


def test_deposit_swap_engage_withdraw(w3, maker, taker, tokens, maker_account, taker_address):
    token_a, token_b = tokens
    maker.deposit_token(token_a.address, 100 * TKA)  # approval handled
    taker.deposit(token_b.address, 250 * TKB)

    swap_id = maker.create_swap(swap_terms(tokens))
    assert swap_id == 1
    created = maker.issuance(swap_id)
    assert created.state is SwapState.ENGAGEABLE and created.is_open
    assert (created.maker, created.input_amount, created.output_amount) == (
        maker_account.address,
        100 * TKA,
        250 * TKB,
    )
    in_escrow = maker.balances(tokens=[token_a.address, token_b.address])
    assert in_escrow.instrument_escrow == {token_a.address: 0, token_b.address: 0}
    assert in_escrow.issuance_escrows == {1: {token_a.address: 100 * TKA, token_b.address: 0}}

    assert taker.engage_swap(swap_id) == 1
    assert maker.issuance(swap_id).state is SwapState.COMPLETE_ENGAGED
    assert maker.balances(tokens=[token_b.address]).instrument_escrow == {token_b.address: 250 * TKB}
    assert taker.balances(tokens=[token_a.address]).instrument_escrow == {token_a.address: 100 * TKA}

    maker.withdraw(token_b.address, 250 * TKB)
    taker.withdraw_token(token_a.address, 100 * TKA)
    assert token_b.functions.balanceOf(maker_account.address).call() == 250 * TKB
    assert token_a.functions.balanceOf(taker_address).call() == 100 * TKA
    assert token_a.functions.balanceOf(maker.instrument_escrow.address).call() == 0


def test_eth_swap_cancelled_by_the_maker(w3, maker, tokens, maker_account):
    _, token_b = tokens
    wallet_before = w3.eth.get_balance(maker_account.address)
    maker.deposit_eth(Web3.to_wei(1, "ether"))
    swap_id = maker.create_swap(
        swap_terms(tokens, input_token=NATIVE_ETH, input_amount=Web3.to_wei(1, "ether"), output_amount=500 * TKB)
    )
    assert maker.balances().issuance_escrows[swap_id][NATIVE_ETH] == Web3.to_wei(1, "ether")

    maker.cancel_swap(swap_id)

    assert maker.issuance(swap_id).state is SwapState.CANCELLED
    assert maker.balances().instrument_escrow[NATIVE_ETH] == Web3.to_wei(1, "ether")
    maker.withdraw(NATIVE_ETH, Web3.to_wei(1, "ether"))
    assert maker.balances().total(NATIVE_ETH) == 0
    assert w3.eth.get_balance(maker_account.address) < wallet_before  # only gas spent
    assert w3.eth.get_balance(maker_account.address) > wallet_before - Web3.to_wei(0.01, "ether")


def test_anyone_closes_a_due_swap_after_time_travel(node, maker, taker, tokens):
    token_a, token_b = tokens
    maker.deposit_token(token_a.address, 10 * TKA)
    swap_id = maker.create_swap(swap_terms(tokens, duration=60, input_amount=10 * TKA, output_amount=1 * TKB))

    taker.close_swap(swap_id)  # early: changes nothing
    assert maker.issuance(swap_id).state is SwapState.ENGAGEABLE

    rpc(node, "evm_increaseTime", [61])
    rpc(node, "evm_mine")
    with pytest.raises(errors.InstrumentIssuanceDue) as due:
        taker.engage_swap(swap_id)
    assert due.value.issuanceId == swap_id
    taker.close_swap(swap_id)

    assert maker.issuance(swap_id).state is SwapState.COMPLETE_NOT_ENGAGED
    assert maker.balances(tokens=[token_a.address]).instrument_escrow[token_a.address] == 10 * TKA
    with pytest.raises(errors.InstrumentWrongState) as closed:
        taker.engage_swap(swap_id)
    assert (closed.value.issuanceId, closed.value.state) == (swap_id, SwapState.COMPLETE_NOT_ENGAGED)


def test_lists_every_issuance_with_its_state(maker, tokens):
    token_a, token_b = tokens
    maker.deposit_token(token_a.address, 3 * TKA)
    ids = [maker.create_swap(swap_terms(tokens, input_amount=TKA, output_amount=TKB)) for _ in range(3)]
    maker.cancel_swap(ids[1])

    listed = maker.issuances()

    assert [issuance.issuance_id for issuance in listed] == ids == [1, 2, 3]
    assert [issuance.state for issuance in listed] == [
        SwapState.ENGAGEABLE,
        SwapState.CANCELLED,
        SwapState.ENGAGEABLE,
    ]
    assert len({issuance.issuance_escrow for issuance in listed}) == 3
    assert listed[0].issuance_escrow == maker.manager.functions.getIssuanceEscrow(1).call()


def test_balances_of_many_tokens_come_in_one_batch(w3, maker, tokens, monkeypatch):
    token_a, token_b = tokens
    maker.deposit_token(token_a.address, 5 * TKA)
    maker.deposit_eth(7)
    maker.create_swap(swap_terms(tokens, input_amount=2 * TKA, output_amount=TKB))
    batches = []
    original = w3.batch_requests
    monkeypatch.setattr(w3, "batch_requests", lambda: batches.append(1) or original())

    balances = maker.balances(tokens=[token_a.address, token_b.address, NATIVE_ETH])

    assert balances.instrument_escrow == {token_a.address: 3 * TKA, token_b.address: 0, NATIVE_ETH: 7}
    assert balances.issuance_escrows == {1: {token_a.address: 2 * TKA, token_b.address: 0, NATIVE_ETH: 0}}
    assert balances.total(token_a.address) == 5 * TKA
    assert len(batches) == 1, "the six balances are read in one JSON-RPC batch"


def test_custom_errors_are_python_exceptions_with_their_arguments(maker, tokens, maker_account):
    token_a, _ = tokens
    maker.deposit_token(token_a.address, TKA)

    with pytest.raises(errors.EscrowInsufficientBalance) as failure:
        maker.withdraw_token(token_a.address, 2 * TKA)

    error = failure.value
    assert isinstance(error, errors.ContractRevert)
    assert (error.account, error.token, error.balance, error.needed) == (
        maker_account.address,
        token_a.address,
        TKA,
        2 * TKA,
    )
    assert error.arguments == {"account": error.account, "token": error.token, "balance": TKA, "needed": 2 * TKA}
    assert str(error).startswith("EscrowInsufficientBalance(account=")


def test_a_web3_users_except_contract_logic_error_catches_the_clients_reverts(w3, maker, tokens, maker_account):
    """The client's revert exceptions are also web3.py's ContractLogicError, with its `message`
    and `data` (the revert data as 0x-hex): what the node itself reports for the same call."""
    token_a, _ = tokens
    maker.deposit_token(token_a.address, TKA)
    withdraw = maker.instrument_escrow.functions.withdrawToken(token_a.address, 2 * TKA)
    with pytest.raises(ContractLogicError) as from_web3:  # web3 alone, no client
        withdraw.call({"from": maker_account.address})

    try:
        maker.withdraw_token(token_a.address, 2 * TKA)
    except ContractLogicError as caught:
        error = caught
    else:
        pytest.fail("the client's revert was not a ContractLogicError")

    assert isinstance(error, errors.EscrowInsufficientBalance)
    assert (error.balance, error.needed) == (TKA, 2 * TKA)
    assert error.data == from_web3.value.data == "0x" + error.revert_data.hex()
    assert error.message == str(error)
    assert maker.balances(tokens=[token_a.address]).instrument_escrow[token_a.address] == TKA, "nothing withdrawn"


def test_errors_with_enums_and_no_arguments(maker, taker, tokens):
    token_a, token_b = tokens
    with pytest.raises(errors.EscrowZeroAmount):
        maker.deposit_eth(0)
    maker.deposit_token(token_a.address, TKA)
    swap_id = maker.create_swap(swap_terms(tokens, input_amount=TKA, output_amount=TKB))
    with pytest.raises(errors.InstrumentMakerCannotEngage):
        maker.engage_swap(swap_id)
    with pytest.raises(errors.InstrumentWrongCaller):
        taker.cancel_swap(swap_id)
    maker.cancel_swap(swap_id)
    with pytest.raises(errors.InstrumentWrongState) as failure:
        taker.engage_swap(swap_id)
    assert failure.value.state == SwapState.CANCELLED
    with pytest.raises(errors.ManagerUnknownIssuance) as unknown:
        taker.engage_swap(99)
    assert unknown.value.issuanceId == 99


def test_balance_history_is_rebuilt_from_the_escrow_events(maker, taker, tokens, maker_account):
    token_a, token_b = tokens
    maker.deposit_token(token_a.address, 100 * TKA)
    taker.deposit_token(token_b.address, 250 * TKB)
    swap_id = maker.create_swap(swap_terms(tokens))
    taker.engage_swap(swap_id)
    maker.withdraw_token(token_b.address, 200 * TKB)

    history = maker.balance_history()

    steps = [(change.event, change.escrow_label, change.token, change.delta, change.balance) for change in history]
    assert steps == [
        ("Deposited", "instrument", token_a.address, 100 * TKA, 100 * TKA),
        ("Withdrawn", "instrument", token_a.address, -100 * TKA, 0),
        ("Deposited", "issuance 1", token_a.address, 100 * TKA, 100 * TKA),
        ("Transferred", "instrument", token_b.address, 250 * TKB, 250 * TKB),
        ("Withdrawn", "issuance 1", token_a.address, -100 * TKA, 0),
        ("Withdrawn", "instrument", token_b.address, -200 * TKB, 50 * TKB),
    ]
    final = maker.balances(tokens=[token_a.address, token_b.address])
    rebuilt = {}
    for change in history:
        rebuilt[(change.escrow_label, change.token)] = change.balance
    assert rebuilt[("instrument", token_b.address)] == final.instrument_escrow[token_b.address]
    assert rebuilt[("issuance 1", token_a.address)] == final.issuance_escrows[1][token_a.address]
    taker_history = taker.balance_history()
    taker_steps = [(change.event, change.token, change.delta, change.counterparty) for change in taker_history]
    assert taker_steps == [
        ("Deposited", token_b.address, 250 * TKB, None),
        ("Transferred", token_b.address, -250 * TKB, maker_account.address),
        ("Deposited", token_a.address, 100 * TKA, None),
    ]


def test_a_client_without_account_reads_but_does_not_send(w3, deployment, maker, tokens):
    reader = EscrowClient.from_deployment(w3, deployment).domain(1)
    assert reader.issuances() == []
    with pytest.raises(errors.NutsEscrowError, match="no account"):
        reader.deposit_eth(1)


def test_the_provider_bounds_the_swap_durations(maker, provider_client, deployment, tokens):
    token_a, token_b = tokens
    assert maker.bounds() == DurationBounds(1, 365 * DAY)
    assert maker.duration_cap() == 10 * 365 * DAY
    with pytest.raises(errors.InstrumentNotProvider):
        maker.set_bounds(HOUR, DAY)
    provider_client.domain(deployment.swap_domain_id).set_bounds(HOUR, DAY)
    assert maker.bounds() == DurationBounds(HOUR, DAY)

    maker.deposit_token(token_a.address, TKA)
    with pytest.raises(errors.DurationOutOfBounds) as outside:
        maker.create_swap(swap_terms(tokens, duration=DAY + 1, input_amount=TKA, output_amount=TKB))
    assert outside.value.arguments == {"duration": DAY + 1, "minDuration": HOUR, "maxDuration": DAY}
    assert maker.issuance_count() == 0
    assert maker.create_swap(swap_terms(tokens, input_amount=TKA, output_amount=TKB)) == 1


@pytest.mark.parametrize(
    ("options", "minimum"),
    [({}, 100 * TKA), ({"tolerance_bps": 100}, 99 * TKA), ({"min_input_received": 7}, 7)],
    ids=["the quote", "less the tolerance", "explicit"],
)
def test_engage_swap_sends_a_minimum_from_the_quote(maker, taker, tokens, options, minimum):
    token_a, token_b = tokens
    maker.deposit_token(token_a.address, 100 * TKA)
    taker.deposit_token(token_b.address, 250 * TKB)
    swap_id = maker.create_swap(swap_terms(tokens))
    assert taker.quote_swap(swap_id) == 100 * TKA

    taker.engage_swap(swap_id, **options)

    assert (
        last_taker_data(taker) == SwapTakerTerms(min_input_received=minimum).encode() == encode(["uint256"], [minimum])
    )
    assert taker.balances(tokens=[token_a.address]).instrument_escrow == {token_a.address: 100 * TKA}


def test_a_fee_switched_on_after_the_quote_reverts_the_engage_unless_tolerated(
    w3, maker, taker, tokens, maker_account, deployer_address
):
    _, token_b = tokens
    fee_token = deploy_fee_token(w3, deployer_address, {maker_account.address: 100 * TKA})
    maker.deposit_token(fee_token.address, 100 * TKA)
    taker.deposit_token(token_b.address, 250 * TKB)
    swap_id = maker.create_swap(swap_terms(tokens, input_token=fee_token.address))
    assert taker.quote_swap(swap_id) == 100 * TKA  # no fee yet: all of it arrived
    send(w3, fee_token.functions.setFeeBasisPoints(100), deployer_address)  # 1% from now on

    with pytest.raises(errors.ManagerCreditBelowMinimum) as short:
        taker.engage_swap(swap_id)
    assert short.value.arguments == {
        "index": 1,
        "token": fee_token.address,
        "to": taker.account,
        "credited": 99 * TKA,
        "minimum": 100 * TKA,
    }
    assert maker.issuance(swap_id).state is SwapState.ENGAGEABLE
    assert taker.balances(tokens=[token_b.address]).instrument_escrow == {token_b.address: 250 * TKB}, "paid nothing"
    with pytest.raises(errors.ManagerCreditBelowMinimum):
        taker.engage_swap(swap_id, tolerance_bps=99)

    taker.engage_swap(swap_id, tolerance_bps=100)

    assert maker.issuance(swap_id).state is SwapState.COMPLETE_ENGAGED
    assert taker.balances(tokens=[fee_token.address]).instrument_escrow == {fee_token.address: 99 * TKA}
    with pytest.raises(ValueError, match="tolerance_bps"):
        taker.engage_swap(swap_id, tolerance_bps=10_001)


def test_a_swap_of_nothing_held_is_refused_by_the_contract(w3, maker, taker, tokens, maker_account, deployer_address):
    _, token_b = tokens
    fee_token = deploy_fee_token(w3, deployer_address, {maker_account.address: TKA})
    maker.deposit_token(fee_token.address, TKA)
    send(w3, fee_token.functions.setFeeBasisPoints(10_000), deployer_address)  # takes everything
    swap_id = maker.create_swap(swap_terms(tokens, input_token=fee_token.address, input_amount=TKA, output_amount=TKB))
    fund(taker, token_b, TKB, deployer_address)
    assert taker.quote_swap(swap_id) == 0

    with pytest.raises(errors.ManagerCreditBelowMinimum) as nothing:
        taker.engage_swap(swap_id)  # sends 0; the contract asks at least 1

    assert (nothing.value.credited, nothing.value.minimum) == (0, 1)


def test_direct_calls_to_the_instrument_do_not_show_up(w3, maker, maker_client, tokens, maker_account, anvil_accounts):
    """Anyone may call the Swap instrument itself, as its own `manager`, and write issuances with
    the maker of its choosing: the client reads issuances only through the registry's manager."""
    token_a, token_b = tokens
    forger = anvil_accounts[5].address
    fake_terms = swap_terms(tokens, input_amount=1, output_amount=10**30).encode()
    maker.instrument.functions.createIssuance(1, maker_account.address, fake_terms).transact({"from": forger})
    maker.instrument.functions.engageIssuance(1, forger, b"").transact({"from": forger})
    forged = maker.instrument.events.SwapCreated().get_logs(
        from_block=0, argument_filters={"maker": maker_account.address}
    )
    assert [(log.args.manager, log.args.issuanceId) for log in forged] == [(forger, 1)]

    assert (maker.issuance_count(), maker.issuances()) == (0, [])
    assert (
        maker_client.domain(maker.domain_id).manager.address == maker_client.registry.functions.getDomain(1).call()[2]
    )
    maker.deposit_token(token_a.address, 100 * TKA)
    swap_id = maker.create_swap(swap_terms(tokens))

    (real,) = maker.issuances()
    assert (swap_id, real.state, real.input_amount, real.output_amount) == (
        1,
        SwapState.ENGAGEABLE,
        100 * TKA,
        250 * TKB,
    )
