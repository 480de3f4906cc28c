"""Events sent to a MultiSwap: the maker's `cancel_issuance` and anyone's `issuance_due` end an
engageable issuance and return the input still held to the maker, while the fills already done
stand. Early or repeated timed events change nothing; bad events revert with their exact error."""

import pytest

from multiswap_support import HOUR, create_multiswap, fill, record, share, state_event
from nuts_escrow import CANCEL_ISSUANCE, ISSUANCE_DUE, event_name
from nuts_escrow.types import MultiSwapState, TransferKind
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


@pytest.fixture
def partly_filled(manager, domain_escrow, token, other_token, maker, taker, extra_takers):
    """Issuance 1: 1,000 token for 300 other_token, filled 100 by the taker and 50 by another taker."""
    fund(domain_escrow, maker, token, 1_000)
    fund(domain_escrow, taker, other_token, 100)
    fund(domain_escrow, extra_takers[0], other_token, 50)
    tx = create_multiswap(manager, maker, token, other_token, 1_000, 300)
    fill(manager, taker, 100)
    fill(manager, extra_takers[0], 50)
    return tx


PAID = share(1_000, 100, 300) + share(1_000, 50, 300)  # 333 + 166


def assert_fills_stand(domain_escrow, token, other_token, maker, taker, extra_takers):
    assert domain_escrow.getTokenBalance(taker, token) == share(1_000, 100, 300)
    assert domain_escrow.getTokenBalance(extra_takers[0], token) == share(1_000, 50, 300)
    assert domain_escrow.getTokenBalance(maker, other_token) == 150


# ------------------------------------------------------------------------------------------ cancel


@pytest.mark.parametrize("input_asset", ["token", "eth"])
def test_the_maker_cancels_an_unfilled_issuance_and_gets_the_input_back(
    multiswap, manager, domain_escrow, token, other_token, maker, input_asset
):
    given = token if input_asset == "token" else ETH
    fund(domain_escrow, maker, given, 1_000)
    create_multiswap(manager, maker, given, other_token, 400, 300)

    tx = manager.processEvent(1, 0, CANCEL_ISSUANCE, b"", {"from": maker})

    assert record(multiswap, manager)["state"] == MultiSwapState.CANCELLED
    assert events(tx, "MultiSwapStateChanged") == [state_event(manager, MultiSwapState.CANCELLED)]
    assert events(tx, "EventProcessed") == [
        {"issuanceId": 1, "engagementId": 0, "eventName": "0x" + CANCEL_ISSUANCE.hex(), "caller": maker.address}
    ]
    assert events(tx, "TransferExecuted") == [transfer_event(1, TransferKind.OUTBOUND, given, maker, maker, 400)]
    assert domain_escrow.getTokenBalance(maker, given) == 1_000
    assert held(issuance_escrow(manager, 1), given) == 0


def test_cancelling_after_fills_returns_the_rest_of_the_input_and_the_fills_stand(
    partly_filled, multiswap, manager, domain_escrow, token, other_token, maker, taker, extra_takers
):
    tx = manager.processEvent(1, 0, CANCEL_ISSUANCE, b"", {"from": maker})

    assert events(tx, "TransferExecuted") == [
        transfer_event(1, TransferKind.OUTBOUND, token, maker, maker, 1_000 - PAID)
    ]
    issuance = record(multiswap, manager)
    assert (issuance["state"], issuance["remainingOutput"], issuance["fillCount"]) == (MultiSwapState.CANCELLED, 150, 2)
    assert domain_escrow.getTokenBalance(maker, token) == 1_000 - PAID
    assert_fills_stand(domain_escrow, token, other_token, maker, taker, extra_takers)
    assert held(issuance_escrow(manager, 1), token) == 0


@pytest.mark.parametrize("caller_role", ["taker", "stranger"])
def test_anyone_but_the_maker_cancelling_reverts_wrong_caller(
    partly_filled, manager, state, maker, taker, stranger, caller_role
):
    caller = taker if caller_role == "taker" else stranger
    before = state()
    with reverts("InstrumentWrongCaller", caller, maker):
        manager.processEvent(1, 0, CANCEL_ISSUANCE, b"", {"from": caller})
    assert state() == before


@pytest.mark.parametrize("ended_by", ["completion", "cancel", "due"])
def test_cancelling_an_issuance_that_ended_reverts_wrong_state(
    partly_filled, manager, domain_escrow, state, other_token, maker, taker, stranger, ended_by
):
    if ended_by == "completion":
        fund(domain_escrow, taker, other_token, 150)
        fill(manager, taker, 150)
        ended = MultiSwapState.COMPLETE
    elif ended_by == "cancel":
        manager.processEvent(1, 0, CANCEL_ISSUANCE, b"", {"from": maker})
        ended = MultiSwapState.CANCELLED
    else:
        sleep_past(HOUR)
        manager.processEvent(1, 0, ISSUANCE_DUE, b"", {"from": stranger})
        ended = MultiSwapState.EXPIRED
    before = state()
    with reverts("InstrumentWrongState", 1, ended):
        manager.processEvent(1, 0, CANCEL_ISSUANCE, b"", {"from": maker})
    assert state() == before


def test_the_maker_may_still_cancel_after_the_due_time_until_someone_closes_it(
    partly_filled, multiswap, manager, domain_escrow, token, maker
):
    sleep_past(HOUR)
    manager.processEvent(1, 0, CANCEL_ISSUANCE, b"", {"from": maker})
    assert record(multiswap, manager)["state"] == MultiSwapState.CANCELLED
    assert domain_escrow.getTokenBalance(maker, token) == 1_000 - PAID


# ------------------------------------------------------------------------------------ issuance due


def test_issuance_due_before_the_due_time_changes_nothing(partly_filled, multiswap, manager, state, stranger):
    sleep_past(HOUR - 100)
    before = state()
    tx = manager.processEvent(1, 0, ISSUANCE_DUE, b"", {"from": stranger})
    assert events(tx, "TransferExecuted") == []
    assert events(tx, "MultiSwapStateChanged") == []
    assert state() == before
    assert record(multiswap, manager)["state"] == MultiSwapState.ENGAGEABLE


def test_issuance_due_after_fills_returns_the_rest_of_the_input_to_the_maker_once(
    partly_filled, multiswap, manager, domain_escrow, state, token, other_token, maker, taker, stranger, extra_takers
):
    sleep_past(HOUR)

    tx = manager.processEvent(1, 0, ISSUANCE_DUE, b"", {"from": stranger})

    assert events(tx, "MultiSwapStateChanged") == [state_event(manager, MultiSwapState.EXPIRED)]
    assert events(tx, "TransferExecuted") == [
        transfer_event(1, TransferKind.OUTBOUND, token, maker, maker, 1_000 - PAID)
    ]
    issuance = record(multiswap, manager)
    assert (issuance["state"], issuance["remainingOutput"], issuance["fillCount"]) == (MultiSwapState.EXPIRED, 150, 2)
    assert domain_escrow.getTokenBalance(maker, token) == 1_000 - PAID
    assert domain_escrow.getTokenBalance(stranger, token) == 0
    assert_fills_stand(domain_escrow, token, other_token, maker, taker, extra_takers)
    assert held(issuance_escrow(manager, 1), token) == 0

    before = state()
    for caller in (stranger, maker, taker):
        tx = manager.processEvent(1, 0, ISSUANCE_DUE, b"", {"from": caller})
        assert events(tx, "TransferExecuted") == []
    assert state() == before


@pytest.mark.parametrize("ended_by", ["completion", "cancel"])
def test_issuance_due_after_the_issuance_ended_changes_nothing(
    partly_filled, manager, domain_escrow, state, other_token, maker, taker, stranger, ended_by
):
    if ended_by == "completion":
        fund(domain_escrow, taker, other_token, 150)
        fill(manager, taker, 150)
    else:
        manager.processEvent(1, 0, CANCEL_ISSUANCE, b"", {"from": maker})
    sleep_past(HOUR)
    before = state()
    tx = manager.processEvent(1, 0, ISSUANCE_DUE, b"", {"from": stranger})
    assert events(tx, "MultiSwapStateChanged") == []
    assert state() == before


@pytest.mark.parametrize(
    "input_asset, output_asset",
    [("token", "other_token"), ("eth", "token"), ("token", "eth")],
    ids=["tokens", "eth_input", "eth_output"],
)
def test_a_keeper_sending_issuance_due_early_on_time_and_again_is_never_debited(
    manager, domain_escrow, token, other_token, fee_token, maker, taker, stranger, input_asset, output_asset
):
    """The keeper holds every asset in the domain's Instrument Escrow, the issuance's own among
    them: only the maker's account in the issuance escrow ever pays, and only once."""
    keeper = stranger
    given = pick(input_asset, token, other_token, fee_token)
    wanted = pick(output_asset, token, other_token, fee_token)
    assets = [ETH, token, other_token, fee_token]
    for asset in assets:
        fund(domain_escrow, keeper, asset, 5_000)
    fund(domain_escrow, maker, given, 1_000)
    fund(domain_escrow, taker, wanted, 100)
    create_multiswap(manager, maker, given, wanted, 1_000, 300)
    fill(manager, taker, 100)

    sent = send_timed_events(manager, domain_escrow, keeper, assets, ISSUANCE_DUE, [HOUR - 100, 100, 0, 0])

    rest = 1_000 - share(1_000, 100, 300)
    assert [events(tx, "TransferExecuted") for tx in sent] == [
        [],
        [transfer_event(1, TransferKind.OUTBOUND, given, maker, maker, rest)],
        [],
        [],
    ]
    assert domain_escrow.getTokenBalance(maker, given) == rest


# ------------------------------------------------------------------------------------- bad events


@pytest.fixture
def refused(partly_filled, manager, state):
    """Asserts that `who` sending `event` (engagement id, data) reverts `error(*args)` and changes nothing."""

    def check(who, name, error, *args, engagement_id=0, data=b""):
        before = state()
        with reverts(error, *args):
            manager.processEvent(1, engagement_id, name, data, {"from": who})
        assert state() == before

    return check


@pytest.mark.parametrize("name", ["poke", "ISSUANCE_DUE", "cancel", "issuance_due "])
def test_an_unknown_event_reverts_unknown_event(refused, maker, name):
    refused(maker, event_name(name), "InstrumentUnknownEvent", event_name(name))


@pytest.mark.parametrize("name", [CANCEL_ISSUANCE, ISSUANCE_DUE], ids=["cancel", "due"])
@pytest.mark.parametrize("engagement_id", [1, 3, 12345, 2**256 - 1])
def test_an_issuance_event_naming_an_engagement_reverts_unknown_engagement(refused, maker, name, engagement_id):
    """Events about the whole issuance name engagement 0: not one of its fills (1), nor one
    that does not exist."""
    sleep_past(HOUR)  # so that issuance_due would otherwise act
    refused(maker, name, "InstrumentUnknownEngagement", 1, engagement_id, engagement_id=engagement_id)


@pytest.mark.parametrize("name", [CANCEL_ISSUANCE, ISSUANCE_DUE], ids=["cancel", "due"])
@pytest.mark.parametrize("length", [1, 32])
def test_an_event_with_data_reverts_invalid_event_data(refused, maker, name, length):
    sleep_past(HOUR)
    refused(maker, name, "InstrumentInvalidEventData", length, data=b"\x01" * length)


@pytest.mark.parametrize("name", [CANCEL_ISSUANCE, ISSUANCE_DUE], ids=["cancel", "due"])
def test_an_event_for_an_issuance_the_calling_manager_never_created_reverts_unknown_issuance(multiswap, stranger, name):
    # Called directly, the caller is its own (empty) namespace.
    with reverts("InstrumentUnknownIssuance", 1):
        multiswap.processEvent(1, 0, stranger, name, b"", {"from": stranger})


def test_the_manager_refuses_events_for_an_issuance_it_never_created(partly_filled, manager, state, stranger):
    before = state()
    with reverts("ManagerUnknownIssuance", 2):
        manager.processEvent(2, 0, ISSUANCE_DUE, b"", {"from": stranger})
    assert state() == before
