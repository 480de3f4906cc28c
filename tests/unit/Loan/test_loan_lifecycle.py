"""Lending and Borrowing through their managers: create, engage, repay, default, cancel, expire.

Each test runs for both instruments (`loan`): in Lending the maker lends, in Borrowing the maker
borrows. The tests speak of lender and borrower and follow the ledgers of both escrows and what
the escrows really hold.
"""

import pytest
from brownie import chain

from loan_support import (
    COLLATERAL,
    COLLATERAL_RATIO,
    DURATION,
    INTEREST_RATE,
    PRINCIPAL,
    REPAYMENT,
    TENOR,
    create,
    engage,
    executed,
    fund_parties,
    parties,
    send,
)
from nuts_escrow import CANCEL_ISSUANCE, ENGAGEMENT_DUE, ISSUANCE_DUE, MARGIN_CALL, REPAY_FULL, event_name
from nuts_escrow.types import LoanState, TransferKind
from support import ETH, events, held, issuance_escrow, reverts, sleep_past


@pytest.fixture
def funded(loan, token, other_token, maker, taker):
    fund_parties(loan, maker, taker, token, other_token)
    return loan


@pytest.fixture
def created(funded, token, other_token, maker):
    create(funded, maker, token, other_token)
    return funded


@pytest.fixture
def engaged(created, taker):
    engage(created, taker)
    return created


# ------------------------------------------------------------------------------------------ create


def test_creating_commits_the_makers_side_to_the_issuance_escrow_and_records_the_terms(
    funded, token, other_token, maker
):
    loan = funded
    tx = create(loan, maker, token, other_token)

    escrow = issuance_escrow(loan.manager, 1)
    committed_token, committed = (token, PRINCIPAL) if loan.lends else (other_token, COLLATERAL)
    assert escrow.getTokenBalance(maker, committed_token) == committed
    assert held(escrow, committed_token) == committed
    assert loan.escrow.getTokenBalance(maker, committed_token) == 0
    assert executed(tx) == [(TransferKind.INBOUND, committed_token.address, maker.address, maker.address, committed)]

    issuance = loan.instrument.getIssuance(loan.manager, 1)
    due = chain[tx.block_number].timestamp + DURATION
    assert issuance.dict() == {
        "maker": maker.address,
        "issuanceDueTime": due,
        "state": LoanState.ENGAGEABLE,
        "taker": "0x0000000000000000000000000000000000000000",
        "engagementDueTime": 0,
        "maintenanceRatio": 0,
        "principalToken": token.address,
        "tenor": TENOR,
        "collateralRatio": COLLATERAL_RATIO,
        "collateralToken": other_token.address,
        "interestRate": INTEREST_RATE,
        "principalAmount": PRINCIPAL,
        "minCollateralPerPrincipal": 0,
    }
    created_event = events(tx, "LoanCreated")[0]
    assert created_event["maker"] == maker and created_event["issuanceDueTime"] == due
    priced = events(tx, "LoanCollateralPriced")
    assert priced == (
        [] if loan.lends else [{"manager": loan.manager.address, "issuanceId": 1, "collateralAmount": COLLATERAL}]
    )


def test_a_maker_without_enough_balance_cannot_create_and_nothing_changes(loan, state, token, other_token, maker):
    before = state()
    committed_token = token if loan.lends else other_token
    needed = PRINCIPAL if loan.lends else COLLATERAL
    with reverts("EscrowInsufficientBalance", maker, committed_token, 0, needed):
        create(loan, maker, token, other_token)
    assert state() == before


# ------------------------------------------------------------------------------------------ engage


def test_engaging_gives_the_borrower_the_principal_against_collateral_and_starts_the_tenor(
    created, token, other_token, maker, taker
):
    loan = created
    lender, borrower = parties(loan, maker, taker)
    tx = engage(loan, taker)

    escrow = issuance_escrow(loan.manager, 1)
    assert tx.return_value == 1
    assert loan.escrow.getTokenBalance(borrower, token) == PRINCIPAL + (REPAYMENT - PRINCIPAL)
    assert loan.escrow.getTokenBalance(lender, token) == 0
    assert escrow.getTokenBalance(borrower, other_token) == COLLATERAL
    assert held(escrow, other_token) == COLLATERAL
    assert held(escrow, token) == 0
    if loan.lends:
        assert executed(tx) == [
            (TransferKind.INBOUND, other_token.address, taker.address, taker.address, COLLATERAL),
            (TransferKind.OUTBOUND, token.address, maker.address, taker.address, PRINCIPAL),
        ]
    else:
        assert executed(tx) == [(TransferKind.INTRA_INSTRUMENT, token.address, taker.address, maker.address, PRINCIPAL)]

    issuance = loan.instrument.getIssuance(loan.manager, 1)
    assert issuance["state"] == LoanState.ENGAGED
    assert issuance["taker"] == taker
    assert issuance["engagementDueTime"] == chain[tx.block_number].timestamp + TENOR
    assert events(tx, "LoanEngaged")[0]["engagementDueTime"] == issuance["engagementDueTime"]


def test_lending_prices_the_collateral_when_the_taker_engages(
    lending_domain, token, other_token, maker, taker, oracle, deployer
):
    loan = lending_domain
    fund_parties(loan, maker, taker, token, other_token)
    create(loan, maker, token, other_token)
    oracle.setRate(token, other_token, 1, 1, {"from": deployer})  # the collateral doubled in value

    tx = engage(loan, taker)

    assert events(tx, "LoanCollateralPriced")[0]["collateralAmount"] == COLLATERAL // 2
    assert issuance_escrow(loan.manager, 1).getTokenBalance(taker, other_token) == COLLATERAL // 2
    assert loan.escrow.getTokenBalance(taker, other_token) == COLLATERAL // 2


def test_borrowing_prices_the_collateral_when_the_maker_creates(
    borrowing_domain, token, other_token, maker, taker, oracle, deployer
):
    loan = borrowing_domain
    fund_parties(loan, maker, taker, token, other_token)
    create(loan, maker, token, other_token)
    oracle.setRate(token, other_token, 1, 1, {"from": deployer})  # the collateral doubled in value

    tx = engage(loan, taker)

    # What the maker posted stays; the engage re-checks it against what the terms now require.
    assert issuance_escrow(loan.manager, 1).getTokenBalance(maker, other_token) == COLLATERAL
    assert events(tx, "LoanCollateralPriced")[0]["collateralAmount"] == COLLATERAL // 2
    assert loan.instrument.getIssuance(loan.manager, 1)["state"] == LoanState.ENGAGED


def test_engaging_needs_the_takers_side_and_changes_nothing_without_it(
    created, state, token, other_token, maker, taker, stranger
):
    loan = created
    before = state()
    missing, needed = (other_token, COLLATERAL) if loan.lends else (token, PRINCIPAL)
    with reverts("EscrowInsufficientBalance", stranger, missing, 0, needed):
        engage(loan, stranger)
    assert state() == before


def test_the_maker_cannot_engage_its_own_loan(created, state, maker):
    before = state()
    with reverts("InstrumentMakerCannotEngage", maker):
        engage(created, maker)
    assert state() == before


def test_engaging_twice_or_after_the_issuance_due_time_reverts(created, state, taker, stranger):
    loan = created
    sleep_past(DURATION)
    before = state()
    due = loan.instrument.getIssuance(loan.manager, 1)["issuanceDueTime"]
    with reverts("InstrumentIssuanceDue", 1, due):
        engage(loan, taker)
    assert state() == before


def test_an_engaged_loan_cannot_be_engaged_again(engaged, state, stranger):
    before = state()
    with reverts("InstrumentWrongState", 1, LoanState.ENGAGED):
        engage(engaged, stranger)
    assert state() == before


@pytest.mark.parametrize("length", [3, 31, 33, 96])
def test_taker_data_of_a_length_the_loan_does_not_decode_reverts(created, state, taker, length):
    # Lending decodes 0 or 64 bytes, Borrowing 0 or 32.
    lengths = [length, 32 if created.lends else 64]
    before = state()
    for data_length in lengths:
        with reverts("InstrumentInvalidTakerData", data_length):
            engage(created, taker, taker_data=b"\1" * data_length)
    assert state() == before


# ------------------------------------------------------------------------------------------- repay


def test_repaying_pays_the_lender_principal_and_interest_and_returns_the_collateral(
    engaged, token, other_token, maker, taker
):
    loan = engaged
    lender, borrower = parties(loan, maker, taker)
    tx = send(loan, borrower, REPAY_FULL)

    escrow = issuance_escrow(loan.manager, 1)
    assert loan.escrow.getTokenBalance(lender, token) == REPAYMENT
    assert loan.escrow.getTokenBalance(borrower, token) == 0
    assert loan.escrow.getTokenBalance(borrower, other_token) == COLLATERAL
    assert escrow.getTokenBalance(borrower, other_token) == 0
    assert held(escrow, other_token) == held(escrow, token) == 0
    assert executed(tx) == [
        (TransferKind.INTRA_INSTRUMENT, token.address, borrower.address, lender.address, REPAYMENT),
        (TransferKind.OUTBOUND, other_token.address, borrower.address, borrower.address, COLLATERAL),
    ]
    assert events(tx, "LoanRepaid")[0]["repayment"] == REPAYMENT
    assert loan.instrument.getIssuance(loan.manager, 1)["state"] == LoanState.REPAID


def test_only_the_borrower_repays(engaged, state, maker, taker, stranger):
    loan = engaged
    lender, borrower = parties(loan, maker, taker)
    before = state()
    for caller in (lender, stranger):
        with reverts("InstrumentWrongCaller", caller, borrower):
            send(loan, caller, REPAY_FULL)
    assert state() == before


def test_repaying_at_or_after_the_engagement_due_time_reverts(engaged, state, maker, taker):
    loan = engaged
    _, borrower = parties(loan, maker, taker)
    due = loan.instrument.getIssuance(loan.manager, 1)["engagementDueTime"]
    sleep_past(due - chain.time())
    before = state()
    with reverts("LoanEngagementDue", 1, due):
        send(loan, borrower, REPAY_FULL)
    assert state() == before


def test_a_borrower_short_of_the_interest_cannot_repay(engaged, state, token, maker, taker):
    loan = engaged
    _, borrower = parties(loan, maker, taker)
    loan.escrow.withdrawToken(token, 1, {"from": borrower})
    before = state()
    with reverts("EscrowInsufficientBalance", borrower, token, REPAYMENT - 1, REPAYMENT):
        send(loan, borrower, REPAY_FULL)
    assert state() == before


def test_a_loan_is_repaid_once(engaged, maker, taker):
    loan = engaged
    _, borrower = parties(loan, maker, taker)
    send(loan, borrower, REPAY_FULL)
    with reverts("InstrumentWrongState", 1, LoanState.REPAID):
        send(loan, borrower, REPAY_FULL)


def test_an_unengaged_loan_has_no_engagement_to_repay(created, state, maker):
    before = state()
    with reverts("InstrumentUnknownEngagement", 1, 1):
        send(created, maker, REPAY_FULL)
    assert state() == before


# ------------------------------------------------------------------------------- engagement due


def test_after_the_engagement_due_time_anyone_gives_the_collateral_to_the_lender(
    engaged, token, other_token, maker, taker, stranger
):
    loan = engaged
    lender, borrower = parties(loan, maker, taker)
    sleep_past(TENOR)

    tx = send(loan, stranger, ENGAGEMENT_DUE)

    assert loan.escrow.getTokenBalance(lender, other_token) == COLLATERAL
    assert issuance_escrow(loan.manager, 1).getTokenBalance(borrower, other_token) == 0
    assert loan.escrow.getTokenBalance(borrower, token) == REPAYMENT  # the principal stays with it
    assert executed(tx) == [(TransferKind.OUTBOUND, other_token.address, borrower.address, lender.address, COLLATERAL)]
    assert loan.instrument.getIssuance(loan.manager, 1)["state"] == LoanState.DEFAULTED


def test_engagement_due_early_repeated_or_after_repayment_changes_nothing(engaged, state, maker, taker, stranger):
    loan = engaged
    _, borrower = parties(loan, maker, taker)
    before = state()
    tx = send(loan, stranger, ENGAGEMENT_DUE)  # early
    assert executed(tx) == [] and state() == before

    send(loan, borrower, REPAY_FULL)
    sleep_past(TENOR)
    after_repayment = state()
    for _ in range(2):
        tx = send(loan, stranger, ENGAGEMENT_DUE)
        assert executed(tx) == [] and "LoanStateChanged" not in tx.events
    assert state() == after_repayment


def test_a_defaulted_loan_cannot_default_again_or_be_repaid(engaged, state, maker, taker, stranger):
    loan = engaged
    _, borrower = parties(loan, maker, taker)
    sleep_past(TENOR)
    send(loan, stranger, ENGAGEMENT_DUE)
    before = state()
    assert executed(send(loan, stranger, ENGAGEMENT_DUE)) == []
    with reverts("InstrumentWrongState", 1, LoanState.DEFAULTED):
        send(loan, borrower, REPAY_FULL)
    assert state() == before


@pytest.mark.parametrize("engagement_id", [0, 2])
def test_engagement_events_must_name_engagement_one(engaged, state, maker, taker, engagement_id):
    loan = engaged
    _, borrower = parties(loan, maker, taker)
    before = state()
    for event in (REPAY_FULL, ENGAGEMENT_DUE, MARGIN_CALL):
        with reverts("InstrumentUnknownEngagement", 1, engagement_id):
            send(loan, borrower, event, engagement_id=engagement_id)
    assert state() == before


# ---------------------------------------------------------------------------- cancel and expire


def test_the_maker_cancels_an_unengaged_loan_and_takes_its_commitment_back(created, token, other_token, maker):
    loan = created
    committed_token, committed = (token, PRINCIPAL) if loan.lends else (other_token, COLLATERAL)
    tx = send(loan, maker, CANCEL_ISSUANCE, engagement_id=0)

    assert loan.escrow.getTokenBalance(maker, committed_token) == committed
    assert held(issuance_escrow(loan.manager, 1), committed_token) == 0
    assert executed(tx) == [(TransferKind.OUTBOUND, committed_token.address, maker.address, maker.address, committed)]
    assert loan.instrument.getIssuance(loan.manager, 1)["state"] == LoanState.CANCELLED


def test_only_the_maker_cancels_and_only_while_engageable(created, state, maker, taker, stranger):
    loan = created
    before = state()
    with reverts("InstrumentWrongCaller", stranger, maker):
        send(loan, stranger, CANCEL_ISSUANCE, engagement_id=0)
    assert state() == before
    engage(loan, taker)
    with reverts("InstrumentWrongState", 1, LoanState.ENGAGED):
        send(loan, maker, CANCEL_ISSUANCE, engagement_id=0)


def test_after_the_issuance_due_time_anyone_returns_an_unengaged_makers_commitment(
    created, state, token, other_token, maker, stranger
):
    loan = created
    committed_token, committed = (token, PRINCIPAL) if loan.lends else (other_token, COLLATERAL)
    before = state()
    assert executed(send(loan, stranger, ISSUANCE_DUE, engagement_id=0)) == []  # early
    assert state() == before

    sleep_past(DURATION)
    tx = send(loan, stranger, ISSUANCE_DUE, engagement_id=0)

    assert executed(tx) == [(TransferKind.OUTBOUND, committed_token.address, maker.address, maker.address, committed)]
    assert loan.escrow.getTokenBalance(maker, committed_token) == committed
    assert loan.instrument.getIssuance(loan.manager, 1)["state"] == LoanState.EXPIRED
    after = state()
    assert executed(send(loan, stranger, ISSUANCE_DUE, engagement_id=0)) == []  # repeated
    assert state() == after


def test_issuance_due_changes_nothing_once_engaged(engaged, state, stranger):
    sleep_past(DURATION)
    before = state()
    assert executed(send(engaged, stranger, ISSUANCE_DUE, engagement_id=0)) == []
    assert state() == before


def test_events_about_an_unknown_loan_or_with_data_or_unknown_names_revert(created, state, maker, stranger):
    loan = created
    before = state()
    with reverts("ManagerUnknownIssuance", 2):
        send(loan, stranger, ISSUANCE_DUE, issuance_id=2)
    with reverts("InstrumentInvalidEventData", 1):
        loan.manager.processEvent(1, 0, CANCEL_ISSUANCE, b"x", {"from": maker})
    with reverts("InstrumentUnknownEvent", event_name("poke")):
        send(loan, maker, event_name("poke"))
    assert state() == before


# ------------------------------------------------------------------------------- assets and ETH


@pytest.mark.parametrize("side", ["principal", "collateral"])
def test_eth_on_either_side_goes_through_the_whole_life(loan, token, other_token, maker, taker, side):
    principal_token, collateral_token = (ETH, other_token) if side == "principal" else (token, ETH)
    fund_parties(loan, maker, taker, principal_token, collateral_token)
    lender, borrower = parties(loan, maker, taker)
    create(loan, maker, principal_token, collateral_token)
    engage(loan, taker)
    send(loan, borrower, REPAY_FULL)

    assert loan.escrow.getTokenBalance(lender, principal_token) == REPAYMENT
    assert loan.escrow.getTokenBalance(borrower, collateral_token) == COLLATERAL
    escrow = issuance_escrow(loan.manager, 1)
    assert held(escrow, principal_token) == held(escrow, collateral_token) == 0
