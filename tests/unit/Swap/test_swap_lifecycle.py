"""Swap through the Swap domain's manager: create, engage, cancel and close when due.

Every asset moves between the domain's Instrument Escrow and each swap's Issuance Escrow; the
tests follow the ledgers, what the escrows really hold and, at the end, the wallets.
"""

import pytest
from brownie import ZERO_ADDRESS, web3

from nuts_escrow import CANCEL_ISSUANCE, ISSUANCE_DUE, event_name
from nuts_escrow.types import SwapState, TransferKind
from support import (
    ETH,
    events,
    fund,
    held,
    issuance_escrow,
    pick,
    reverts,
    send_timed_events,
    sleep_past,
    transfer_event,
)
from swap_support import HOUR, create_swap, engage_swap

# ------------------------------------------------------------------------------------------ create


def test_creating_a_swap_moves_the_input_into_its_issuance_escrow_and_records_the_terms(
    swap, manager, domain_escrow, factory, token, other_token, maker
):
    fund(domain_escrow, maker, token, 1_000)

    tx = create_swap(manager, maker, token, other_token, 400, 300)

    assert tx.return_value == 1
    assert manager.issuanceCount() == 1
    escrow = issuance_escrow(manager, 1)
    assert escrow.address == factory.predictIssuanceEscrow(manager, (1).to_bytes(32, "big"))
    assert escrow.admin() == manager.address
    due = tx.timestamp + HOUR
    assert swap.getIssuance(manager, 1).dict() == {
        "maker": maker.address,
        "dueTime": due,
        "state": SwapState.ENGAGEABLE,
        "inputToken": token.address,
        "outputToken": other_token.address,
        "inputAmount": 400,
        "outputAmount": 300,
    }
    assert domain_escrow.getTokenBalance(maker, token) == 600
    assert escrow.getTokenBalance(maker, token) == 400
    assert token.balanceOf(domain_escrow) == 600
    assert token.balanceOf(escrow) == 400

    assert events(tx, "SwapCreated") == [
        {
            "manager": manager.address,
            "issuanceId": 1,
            "maker": maker.address,
            "inputToken": token.address,
            "outputToken": other_token.address,
            "inputAmount": 400,
            "outputAmount": 300,
            "dueTime": due,
        }
    ]
    assert events(tx, "SwapStateChanged") == [
        {"manager": manager.address, "issuanceId": 1, "state": SwapState.ENGAGEABLE}
    ]
    assert events(tx, "IssuanceCreated") == [
        {"issuanceId": 1, "maker": maker.address, "issuanceEscrow": escrow.address}
    ]
    assert events(tx, "TransferExecuted") == [transfer_event(1, TransferKind.INBOUND, token, maker, maker, 400)]


def test_swaps_of_two_domains_are_kept_apart(
    registry, swap, manager, domain_escrow, token, other_token, maker, stranger
):
    _, other_manager, other_escrow = registry.activateInstrument(swap, {"from": stranger}).return_value
    fund(domain_escrow, maker, token, 1_000)
    create_swap(manager, maker, token, other_token, 400, 300)
    assert swap.getIssuance(other_manager, 1)["maker"] == ZERO_ADDRESS
    assert swap.getIssuance(manager, 1)["inputAmount"] == 400
    assert held(other_escrow, token) == 0


# ------------------------------------------------------------------------------------------ engage


@pytest.mark.parametrize(
    "input_asset, output_asset",
    [("token", "other_token"), ("eth", "token"), ("token", "eth"), ("token", "fee_token")],
    ids=["tokens", "eth_input", "eth_output", "fee_token_output"],
)
def test_engaging_pays_the_maker_and_hands_the_taker_the_input(
    swap, manager, domain_escrow, token, other_token, fee_token, maker, taker, input_asset, output_asset
):
    given = pick(input_asset, token, other_token, fee_token)
    wanted = pick(output_asset, token, other_token, fee_token)
    fund(domain_escrow, maker, given, 1_000)
    fund(domain_escrow, taker, wanted, 1_000)
    taker_output = domain_escrow.getTokenBalance(taker, wanted)  # 990 for the fee token
    create_swap(manager, maker, given, wanted, 400, 300)
    escrow = issuance_escrow(manager, 1)
    domain_held = {asset: held(domain_escrow, asset) for asset in (given, wanted)}

    tx = engage_swap(manager, taker)

    assert tx.return_value == 1
    assert swap.getIssuance(manager, 1)["state"] == SwapState.COMPLETE_ENGAGED
    assert events(tx, "SwapStateChanged") == [
        {"manager": manager.address, "issuanceId": 1, "state": SwapState.COMPLETE_ENGAGED}
    ]
    assert events(tx, "IssuanceEngaged") == [{"issuanceId": 1, "engagementId": 1, "taker": taker.address}]
    assert events(tx, "TransferExecuted") == [
        transfer_event(1, TransferKind.INTRA_INSTRUMENT, wanted, taker, maker, 300),
        transfer_event(1, TransferKind.OUTBOUND, given, maker, taker, 400),
    ]
    assert domain_escrow.getTokenBalance(maker, given) == 600
    assert domain_escrow.getTokenBalance(maker, wanted) == 300
    assert domain_escrow.getTokenBalance(taker, given) == 400
    assert domain_escrow.getTokenBalance(taker, wanted) == taker_output - 300
    assert escrow.getTokenBalance(maker, given) == 0
    assert held(escrow, given) == 0
    # The output moved inside the Instrument Escrow's ledger; the input came in from the issuance.
    assert held(domain_escrow, wanted) == domain_held[wanted]
    assert held(domain_escrow, given) == domain_held[given] + 400
    assert web3.eth.get_balance(manager.address) == 0

    # Both take their proceeds home.
    wallets = {(who, asset): held(who, asset) for who in (maker, taker) for asset in (given, wanted)}
    for who, asset, amount in ((maker, wanted, 300), (taker, given, 400)):
        if asset == ETH:
            domain_escrow.withdraw(amount, {"from": who})
        else:
            domain_escrow.withdrawToken(asset, amount, {"from": who})
    fee = 3 if wanted == fee_token else 0
    assert held(maker, wanted) == wallets[(maker, wanted)] + 300 - fee
    assert held(taker, given) == wallets[(taker, given)] + 400
    assert domain_escrow.getTokenBalance(maker, wanted) == 0
    assert domain_escrow.getTokenBalance(taker, given) == 0


def test_a_fee_on_transfer_input_gives_the_taker_what_the_issuance_escrow_holds(
    swap, manager, domain_escrow, fee_token, other_token, maker, taker
):
    fund(domain_escrow, maker, fee_token, 10_000)
    assert domain_escrow.getTokenBalance(maker, fee_token) == 9_900
    fund(domain_escrow, taker, other_token, 300)
    create_swap(manager, maker, fee_token, other_token, 5_000, 300)
    escrow = issuance_escrow(manager, 1)
    assert escrow.getTokenBalance(maker, fee_token) == 4_950
    assert fee_token.balanceOf(escrow) == 4_950
    assert domain_escrow.getTokenBalance(maker, fee_token) == 4_900

    tx = engage_swap(manager, taker)

    arrived = 4_950 - 4_950 * 100 // 10_000
    assert events(tx, "TransferExecuted")[1] == transfer_event(
        1, TransferKind.OUTBOUND, fee_token, maker, taker, arrived
    )
    assert escrow.getTokenBalance(maker, fee_token) == 0
    assert fee_token.balanceOf(escrow) == 0
    assert domain_escrow.getTokenBalance(taker, fee_token) == arrived
    assert domain_escrow.getTokenBalance(maker, other_token) == 300
    assert fee_token.balanceOf(domain_escrow) == 4_900 + arrived


def test_engaging_one_swap_leaves_the_others_escrow_alone(
    swap, manager, domain_escrow, token, other_token, maker, taker
):
    fund(domain_escrow, maker, token, 1_000)
    fund(domain_escrow, taker, other_token, 1_000)
    create_swap(manager, maker, token, other_token, 400, 300)
    create_swap(manager, maker, token, other_token, 500, 100)
    engage_swap(manager, taker, issuance_id=2)
    assert issuance_escrow(manager, 1).getTokenBalance(maker, token) == 400
    assert token.balanceOf(issuance_escrow(manager, 1)) == 400
    assert swap.getIssuance(manager, 1)["state"] == SwapState.ENGAGEABLE
    assert domain_escrow.getTokenBalance(taker, token) == 500
    assert domain_escrow.getTokenBalance(maker, other_token) == 100


# ------------------------------------------------------------------------------------------ cancel


@pytest.mark.parametrize("input_asset", ["token", "eth"])
def test_the_maker_cancels_an_engageable_swap_and_gets_the_input_back(
    swap, manager, domain_escrow, token, other_token, maker, input_asset
):
    given = token if input_asset == "token" else ETH
    wanted = other_token
    fund(domain_escrow, maker, given, 1_000)
    create_swap(manager, maker, given, wanted, 400, 300)
    escrow = issuance_escrow(manager, 1)

    tx = manager.processEvent(1, 0, CANCEL_ISSUANCE, b"", {"from": maker})

    assert swap.getIssuance(manager, 1)["state"] == SwapState.CANCELLED
    assert events(tx, "SwapStateChanged") == [
        {"manager": manager.address, "issuanceId": 1, "state": SwapState.CANCELLED}
    ]
    assert events(tx, "EventProcessed") == [
        {"issuanceId": 1, "engagementId": 0, "eventName": "0x" + CANCEL_ISSUANCE.hex(), "caller": maker.address}
    ]
    assert events(tx, "TransferExecuted") == [transfer_event(1, TransferKind.OUTBOUND, given, maker, maker, 400)]
    assert domain_escrow.getTokenBalance(maker, given) == 1_000
    assert escrow.getTokenBalance(maker, given) == 0
    assert held(escrow, given) == 0
    assert held(domain_escrow, given) == 1_000


@pytest.mark.parametrize("caller_role", ["taker", "stranger"])
def test_anyone_but_the_maker_cancelling_reverts_wrong_caller_and_changes_nothing(
    manager, domain_escrow, state, token, other_token, maker, taker, stranger, caller_role
):
    caller = taker if caller_role == "taker" else stranger
    fund(domain_escrow, maker, token, 1_000)
    create_swap(manager, maker, token, other_token, 400, 300)
    before = state()
    with reverts("InstrumentWrongCaller", caller, maker):
        manager.processEvent(1, 0, CANCEL_ISSUANCE, b"", {"from": caller})
    assert state() == before


@pytest.mark.parametrize("first", ["engage", "cancel", "due"])
def test_cancelling_a_swap_that_is_no_longer_engageable_reverts_wrong_state(
    manager, domain_escrow, state, token, other_token, maker, taker, stranger, first
):
    fund(domain_escrow, maker, token, 1_000)
    fund(domain_escrow, taker, other_token, 300)
    create_swap(manager, maker, token, other_token, 400, 300)
    if first == "engage":
        engage_swap(manager, taker)
        expected = SwapState.COMPLETE_ENGAGED
    elif first == "cancel":
        manager.processEvent(1, 0, CANCEL_ISSUANCE, b"", {"from": maker})
        expected = SwapState.CANCELLED
    else:
        sleep_past(HOUR)
        manager.processEvent(1, 0, ISSUANCE_DUE, b"", {"from": stranger})
        expected = SwapState.COMPLETE_NOT_ENGAGED
    before = state()
    with reverts("InstrumentWrongState", 1, expected):
        manager.processEvent(1, 0, CANCEL_ISSUANCE, b"", {"from": maker})
    assert state() == before


# --------------------------------------------------------------------------------- engage refusals


def test_engaging_after_the_due_time_reverts_issuance_due_and_changes_nothing(
    swap, manager, domain_escrow, state, token, other_token, maker, taker
):
    fund(domain_escrow, maker, token, 1_000)
    fund(domain_escrow, taker, other_token, 300)
    tx = create_swap(manager, maker, token, other_token, 400, 300, duration=100)
    due = tx.timestamp + 100
    sleep_past(100)
    before = state()
    with reverts("InstrumentIssuanceDue", 1, due):
        engage_swap(manager, taker)
    assert state() == before
    assert swap.getIssuance(manager, 1)["state"] == SwapState.ENGAGEABLE


def test_the_maker_cannot_engage_its_own_swap(manager, domain_escrow, state, token, other_token, maker):
    fund(domain_escrow, maker, token, 1_000)
    fund(domain_escrow, maker, other_token, 1_000)
    create_swap(manager, maker, token, other_token, 400, 300)
    before = state()
    with reverts("InstrumentMakerCannotEngage", maker):
        engage_swap(manager, maker)
    assert state() == before


def test_a_swap_is_engaged_only_once(manager, domain_escrow, state, token, other_token, maker, taker, stranger):
    fund(domain_escrow, maker, token, 1_000)
    for who in (taker, stranger):
        fund(domain_escrow, who, other_token, 300)
    create_swap(manager, maker, token, other_token, 400, 300)
    engage_swap(manager, taker)
    before = state()
    with reverts("InstrumentWrongState", 1, SwapState.COMPLETE_ENGAGED):
        engage_swap(manager, stranger)
    assert state() == before


@pytest.mark.parametrize("output_asset", ["other_token", "eth"])
def test_a_taker_without_enough_output_reverts_escrow_insufficient_balance_and_changes_nothing(
    swap, manager, domain_escrow, state, token, other_token, maker, taker, output_asset
):
    wanted = other_token if output_asset == "other_token" else ETH
    fund(domain_escrow, maker, token, 1_000)
    fund(domain_escrow, taker, wanted, 299)
    create_swap(manager, maker, token, wanted, 400, 300)
    before = state()
    with reverts("EscrowInsufficientBalance", taker, wanted, 299, 300):
        engage_swap(manager, taker)
    assert state() == before
    assert swap.getIssuance(manager, 1)["state"] == SwapState.ENGAGEABLE


# -------------------------------------------------------------------------------------- issuance due


def test_issuance_due_before_the_due_time_changes_nothing(
    swap, manager, domain_escrow, state, token, other_token, maker, stranger
):
    fund(domain_escrow, maker, token, 1_000)
    create_swap(manager, maker, token, other_token, 400, 300)
    sleep_past(HOUR - 100)
    before = state()
    tx = manager.processEvent(1, 0, ISSUANCE_DUE, b"", {"from": stranger})
    assert events(tx, "TransferExecuted") == []
    assert events(tx, "SwapStateChanged") == []
    assert state() == before
    assert swap.getIssuance(manager, 1)["state"] == SwapState.ENGAGEABLE


def test_issuance_due_after_the_due_time_returns_the_input_to_the_maker_once(
    swap, manager, domain_escrow, state, token, other_token, maker, taker, stranger
):
    fund(domain_escrow, maker, token, 1_000)
    create_swap(manager, maker, token, other_token, 400, 300)
    sleep_past(HOUR)

    tx = manager.processEvent(1, 0, ISSUANCE_DUE, b"", {"from": stranger})

    assert swap.getIssuance(manager, 1)["state"] == SwapState.COMPLETE_NOT_ENGAGED
    assert events(tx, "SwapStateChanged") == [
        {"manager": manager.address, "issuanceId": 1, "state": SwapState.COMPLETE_NOT_ENGAGED}
    ]
    assert events(tx, "TransferExecuted") == [transfer_event(1, TransferKind.OUTBOUND, token, maker, maker, 400)]
    assert domain_escrow.getTokenBalance(maker, token) == 1_000
    assert domain_escrow.getTokenBalance(stranger, token) == 0
    assert issuance_escrow(manager, 1).getTokenBalance(maker, token) == 0
    assert held(issuance_escrow(manager, 1), token) == 0

    before = state()
    for caller in (stranger, maker, taker):
        tx = manager.processEvent(1, 0, ISSUANCE_DUE, b"", {"from": caller})
        assert events(tx, "TransferExecuted") == []
    assert state() == before


def test_issuance_due_after_an_engagement_changes_nothing(
    manager, domain_escrow, state, token, other_token, maker, taker, stranger
):
    fund(domain_escrow, maker, token, 1_000)
    fund(domain_escrow, taker, other_token, 300)
    create_swap(manager, maker, token, other_token, 400, 300)
    engage_swap(manager, taker)
    sleep_past(HOUR)
    before = state()
    manager.processEvent(1, 0, ISSUANCE_DUE, b"", {"from": stranger})
    assert state() == before


@pytest.mark.parametrize(
    "input_asset, output_asset",
    [("token", "other_token"), ("eth", "token"), ("token", "eth")],
    ids=["tokens", "eth_input", "eth_output"],
)
def test_a_keeper_sending_issuance_due_early_on_time_and_again_is_never_debited(
    manager, domain_escrow, token, other_token, fee_token, maker, stranger, input_asset, output_asset
):
    """The keeper holds every asset in the domain's Instrument Escrow, the swap's own among them:
    only the maker's account in the issuance escrow ever pays, and only once."""
    keeper = stranger
    given = pick(input_asset, token, other_token, fee_token)
    wanted = pick(output_asset, token, other_token, fee_token)
    assets = [ETH, token, other_token, fee_token]
    for asset in assets:
        fund(domain_escrow, keeper, asset, 5_000)
    fund(domain_escrow, maker, given, 1_000)
    create_swap(manager, maker, given, wanted, 400, 300)

    sent = send_timed_events(manager, domain_escrow, keeper, assets, ISSUANCE_DUE, [HOUR - 100, 100, 0, 0])

    assert [events(tx, "TransferExecuted") for tx in sent] == [
        [],
        [transfer_event(1, TransferKind.OUTBOUND, given, maker, maker, 400)],
        [],
        [],
    ]
    assert domain_escrow.getTokenBalance(maker, given) == 1_000


# ------------------------------------------------------------------------------------- bad events


@pytest.mark.parametrize("name", ["poke", "ISSUANCE_DUE", "cancel"])
def test_an_unknown_event_reverts_unknown_event(manager, domain_escrow, state, token, other_token, maker, name):
    fund(domain_escrow, maker, token, 1_000)
    create_swap(manager, maker, token, other_token, 400, 300)
    before = state()
    with reverts("InstrumentUnknownEvent", event_name(name)):
        manager.processEvent(1, 0, event_name(name), b"", {"from": maker})
    assert state() == before


@pytest.mark.parametrize("name", [CANCEL_ISSUANCE, ISSUANCE_DUE], ids=["cancel", "due"])
@pytest.mark.parametrize("engaged", [False, True], ids=["engageable", "engaged"])
@pytest.mark.parametrize("engagement_id", [1, 12345])
def test_an_issuance_event_naming_an_engagement_reverts_unknown_engagement(
    manager, domain_escrow, state, token, other_token, maker, taker, name, engaged, engagement_id
):
    """Events about the whole swap name engagement 0: not its engagement (1), nor one that does
    not exist; once due, issuance_due would otherwise act."""
    fund(domain_escrow, maker, token, 1_000)
    fund(domain_escrow, taker, other_token, 300)
    create_swap(manager, maker, token, other_token, 400, 300)
    if engaged:
        engage_swap(manager, taker)
    sleep_past(HOUR)
    before = state()
    with reverts("InstrumentUnknownEngagement", 1, engagement_id):
        manager.processEvent(1, engagement_id, name, b"", {"from": maker})
    assert state() == before


@pytest.mark.parametrize("name", [CANCEL_ISSUANCE, ISSUANCE_DUE, event_name("poke")], ids=["cancel", "due", "unknown"])
@pytest.mark.parametrize("length", [1, 32])
def test_an_event_with_data_reverts_invalid_event_data(
    manager, domain_escrow, state, token, other_token, maker, name, length
):
    fund(domain_escrow, maker, token, 1_000)
    create_swap(manager, maker, token, other_token, 400, 300)
    sleep_past(HOUR)
    before = state()
    with reverts("InstrumentInvalidEventData", length):
        manager.processEvent(1, 0, name, b"\x01" * length, {"from": maker})
    assert state() == before


@pytest.mark.parametrize("name", [CANCEL_ISSUANCE, ISSUANCE_DUE], ids=["cancel", "due"])
def test_an_event_for_a_swap_the_calling_manager_never_created_reverts_unknown_issuance(swap, stranger, name):
    # Called directly, the caller is its own (empty) namespace.
    with reverts("InstrumentUnknownIssuance", 1):
        swap.processEvent(1, 0, stranger, name, b"", {"from": stranger})
