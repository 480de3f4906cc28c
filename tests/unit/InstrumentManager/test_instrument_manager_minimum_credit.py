"""InstrumentManager minimum credit, tried by a HostileInstrument that scripts any minimum.

Every transfer states the least `to` must be credited (`minimum`). Below it the manager reverts
the whole call with ManagerCreditBelowMinimum(index, token, to, credited, minimum): nothing moves
and nothing is logged, also when the amount resolves to nothing (0, or a whole balance of
nothing). What is credited is the amount for the ledger-only kinds (IntraInstrument,
IntraIssuance) and what arrived for the moves between escrows (Inbound, Outbound), so less than
the amount for a fee-on-transfer token. A transfer of nothing with minimum 0 is skipped.
"""

import pytest
from brownie import IssuanceEscrow

from manager_support import ENTRY_POINTS, call_manager, holdings, transfers_executed, unchanged
from nuts_escrow.types import TransferKind
from support import ETH, WHOLE_BALANCE, fund, reverts

KINDS = [TransferKind.INBOUND, TransferKind.OUTBOUND, TransferKind.INTRA_INSTRUMENT, TransferKind.INTRA_ISSUANCE]
KIND_IDS = ["inbound", "outbound", "intra_instrument", "intra_issuance"]
# A call that creates an issuance can only spend from the Instrument Escrow (the new issuance's
# escrow is empty).
CASES = [
    (entry, kind)
    for entry in ENTRY_POINTS
    for kind in KINDS
    if entry != "create" or kind in (TransferKind.INBOUND, TransferKind.INTRA_INSTRUMENT)
]
CASE_IDS = [f"{entry}-{KIND_IDS[kind]}" for entry, kind in CASES]


# --------------------------------------------------------------------------- below the minimum


@pytest.mark.parametrize("entry_point, kind", CASES, ids=CASE_IDS)
@pytest.mark.parametrize("asset", ["token", "eth"])
def test_a_credit_below_its_minimum_reverts_the_whole_call_and_changes_nothing(
    hostile, hostile_manager, everything, token, maker, taker, entry_point, kind, asset
):
    asset = token if asset == "token" else ETH
    # The first transfer meets its minimum and would execute; the second credits 20 of 21.
    transfers = [(TransferKind.INBOUND, token, maker, maker, 10, 10), (kind, asset, maker, taker, 20, 21)]
    with unchanged(everything), reverts("ManagerCreditBelowMinimum", 1, asset, taker, 20, 21):
        call_manager(hostile_manager, hostile, entry_point, maker, transfers)
    assert hostile_manager.issuanceCount() == 2


@pytest.mark.parametrize("entry_point, kind", CASES, ids=CASE_IDS)
@pytest.mark.parametrize("asset", ["token", "eth"])
def test_a_credit_equal_to_its_minimum_executes(
    hostile, hostile_manager, hostile_escrow, committed, token, maker, taker, entry_point, kind, asset
):
    asset = token if asset == "token" else ETH
    issuance = committed[0] if entry_point != "create" else None
    transfers = [(TransferKind.INBOUND, token, maker, maker, 10, 10), (kind, asset, maker, taker, 20, 20)]
    taker_before = hostile_escrow.getTokenBalance(taker, asset)

    tx = call_manager(hostile_manager, hostile, entry_point, maker, transfers)

    assert [(event["kind"], event["to"], event["amount"]) for event in transfers_executed(tx)] == [
        (TransferKind.INBOUND, maker.address, 10),
        (kind, taker.address, 20),
    ]
    if entry_point == "create":
        issuance = IssuanceEscrow.at(hostile_manager.getIssuanceEscrow(3))
    credited_in_instrument_escrow = kind in (TransferKind.OUTBOUND, TransferKind.INTRA_INSTRUMENT)
    assert hostile_escrow.getTokenBalance(taker, asset) == taker_before + (20 if credited_in_instrument_escrow else 0)
    assert issuance.getTokenBalance(taker, asset) == (0 if credited_in_instrument_escrow else 20)


@pytest.mark.parametrize("bad", [(0,), (1,), (2,), (3,), (1, 3)], ids=["0", "1", "2", "3", "1_and_3"])
def test_the_error_names_the_first_transfer_credited_below_its_minimum(
    hostile, hostile_manager, everything, token, maker, taker, stranger, bad
):
    transfers = [
        (TransferKind.INBOUND, token, maker, maker, 10, 10),
        (TransferKind.OUTBOUND, ETH, maker, taker, 5, 5),
        (TransferKind.INTRA_INSTRUMENT, token, maker, stranger, 7, 7),
        (TransferKind.INTRA_ISSUANCE, ETH, maker, stranger, 3, 3),
    ]
    for index in bad:
        transfers[index] = transfers[index][:5] + (transfers[index][4] + 1,)
    first = transfers[bad[0]]
    with (
        unchanged(everything),
        reverts("ManagerCreditBelowMinimum", bad[0], first[1], first[3], first[4], first[4] + 1),
    ):
        call_manager(hostile_manager, hostile, "event", maker, transfers)


# ------------------------------------------------------------------------------------- nothing


@pytest.mark.parametrize(
    "kind", [TransferKind.OUTBOUND, TransferKind.INTRA_ISSUANCE], ids=["outbound", "intra_issuance"]
)
def test_a_whole_balance_of_nothing_reverts_with_credited_zero_if_something_had_to_arrive(
    hostile, hostile_manager, hostile_escrow, committed, everything, token, maker, stranger, kind
):
    # Anyone may have issuance 1 spend the maker's commitment; the stranger holds nothing there.
    transfers = [
        (TransferKind.OUTBOUND, token, maker, stranger, 300, 300),
        (kind, token, stranger, maker, WHOLE_BALANCE, 1),
    ]
    with unchanged(everything), reverts("ManagerCreditBelowMinimum", 1, token, maker, 0, 1):
        call_manager(hostile_manager, hostile, "event", stranger, transfers)

    # With minimum 0 the same nothing is skipped, without an event, and the rest executes.
    transfers[1] = (kind, token, stranger, maker, WHOLE_BALANCE, 0)
    tx = call_manager(hostile_manager, hostile, "event", stranger, transfers)
    assert [(event["kind"], event["amount"]) for event in transfers_executed(tx)] == [(TransferKind.OUTBOUND, 300)]
    assert hostile_escrow.getTokenBalance(stranger, token) == 300
    assert committed[0].getTokenBalance(maker, token) == 0


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_a_zero_amount_reverts_with_credited_zero_if_something_had_to_arrive(
    hostile, hostile_manager, everything, token, maker, taker, kind
):
    with unchanged(everything), reverts("ManagerCreditBelowMinimum", 0, token, taker, 0, 1):
        call_manager(hostile_manager, hostile, "event", maker, [(kind, token, maker, taker, 0, 1)])


# ----------------------------------------------------------------------- what counts as credited


@pytest.fixture
def fee_committed(hostile, hostile_manager, hostile_escrow, committed, fee_token, maker):
    """The maker deposits 10,000 of the fee token (9,900 arrive) and moves 5,000 of it into
    issuance 1's escrow (4,950 arrive): 4,900 left in the Instrument Escrow, 4,950 in issuance 1."""
    fund(hostile_escrow, maker, fee_token, 10_000)
    call_manager(hostile_manager, hostile, "event", maker, [(TransferKind.INBOUND, fee_token, maker, maker, 5_000, 0)])
    assert hostile_escrow.getTokenBalance(maker, fee_token) == 4_900
    assert committed[0].getTokenBalance(maker, fee_token) == 4_950


@pytest.mark.parametrize(
    "kind, amount",
    [(TransferKind.INTRA_INSTRUMENT, 4_900), (TransferKind.INTRA_ISSUANCE, 4_950)],
    ids=["intra_instrument", "intra_issuance"],
)
def test_a_ledger_only_transfer_credits_its_amount_even_of_a_fee_on_transfer_token(
    hostile, hostile_manager, hostile_escrow, committed, fee_committed, fee_token, maker, taker, kind, amount
):
    escrow = hostile_escrow if kind == TransferKind.INTRA_INSTRUMENT else committed[0]

    def state():
        return holdings([hostile_escrow, *committed], [maker, taker], [fee_token])

    before = state()
    with unchanged(state), reverts("ManagerCreditBelowMinimum", 0, fee_token, taker, amount, amount + 1):
        call_manager(hostile_manager, hostile, "event", maker, [(kind, fee_token, maker, taker, amount, amount + 1)])

    tx = call_manager(hostile_manager, hostile, "event", maker, [(kind, fee_token, maker, taker, amount, amount)])
    assert transfers_executed(tx)[0]["amount"] == amount
    assert escrow.getTokenBalance(taker, fee_token) == amount
    assert escrow.getTokenBalance(maker, fee_token) == 0
    assert fee_token.balanceOf(escrow) == before[("held", escrow.address, fee_token.address)]


@pytest.mark.parametrize("kind", [TransferKind.INBOUND, TransferKind.OUTBOUND], ids=["inbound", "outbound"])
def test_a_move_between_escrows_credits_what_arrived_of_a_fee_on_transfer_token(
    hostile, hostile_manager, hostile_escrow, committed, fee_committed, fee_token, maker, kind
):
    # Inbound: 4,900 leave the Instrument Escrow, 4,851 arrive in issuance 1's escrow. Outbound:
    # 4,950 leave issuance 1's escrow, 4,901 arrive in the Instrument Escrow.
    amount = 4_900 if kind == TransferKind.INBOUND else 4_950
    arrived = amount - amount * 100 // 10_000
    source, destination = (
        (hostile_escrow, committed[0]) if kind == TransferKind.INBOUND else (committed[0], hostile_escrow)
    )
    escrows = [hostile_escrow, *committed]

    def state():
        return holdings(escrows, [maker], [fee_token])

    before = state()
    # The whole amount, or one more than arrives, is more than is credited.
    for minimum in (amount, arrived + 1):
        with unchanged(state), reverts("ManagerCreditBelowMinimum", 0, fee_token, maker, arrived, minimum):
            call_manager(hostile_manager, hostile, "event", maker, [(kind, fee_token, maker, maker, amount, minimum)])

    tx = call_manager(hostile_manager, hostile, "event", maker, [(kind, fee_token, maker, maker, amount, arrived)])
    assert transfers_executed(tx)[0]["amount"] == arrived
    assert source.getTokenBalance(maker, fee_token) == 0
    assert (
        destination.getTokenBalance(maker, fee_token)
        == before[("ledger", destination.address, maker.address, fee_token.address)] + arrived
    )
    assert fee_token.balanceOf(destination) == before[("held", destination.address, fee_token.address)] + arrived
