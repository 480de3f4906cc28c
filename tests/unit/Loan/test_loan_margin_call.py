"""Margin calls: a loan whose terms carry a maintenance ratio defaults, on anyone's `margin_call`,
once the collateral held is worth less than that ratio of principal plus interest at the oracle's
current price; the collateral goes to the lender. Otherwise a margin call changes nothing.

Each test runs for Lending and Borrowing (`loan`).
"""

import pytest

from loan_support import COLLATERAL, REPAYMENT, TENOR, create, engage, executed, fund_parties, parties, send
from nuts_escrow import ENGAGEMENT_DUE, MARGIN_CALL, REPAY_FULL
from nuts_escrow.types import LoanState, TransferKind
from support import events, held, issuance_escrow, reverts, sleep_past

MAINTENANCE_RATIO = 12_000  # 120% of principal plus interest
# At the standard price (2 collateral units per principal unit) 120% of 1,050 is 2,520: covered.
REQUIRED_NOW = 2_520
# 1,050 x 50/21 = 2,500, x 120% = 3,000: exactly what is held, still covered.
EXACTLY_COVERED_RATE = (50, 21)
# 1,050 x 5,001/2,100 = 2,500.5 -> 2,501, x 120% = 3,001.2 -> 3,002: one unit short and more.
SHORT_RATE = (5_001, 2_100)
SHORT_REQUIRED = 3_002


@pytest.fixture
def funded(loan, token, other_token, maker, taker):
    fund_parties(loan, maker, taker, token, other_token)
    return loan


@pytest.fixture
def engaged(funded, token, other_token, maker, taker):
    create(funded, maker, token, other_token, maintenance_ratio=MAINTENANCE_RATIO)
    engage(funded, taker)
    return funded


def reprice(oracle, deployer, token, other_token, rate):
    oracle.setRate(token, other_token, *rate, {"from": deployer})


def loan_state(loan):
    return loan.instrument.getIssuance(loan.manager, 1)["state"]


def assert_nothing_happened(tx, state, before):
    assert executed(tx) == []
    assert "LoanMarginCalled" not in tx.events and "LoanStateChanged" not in tx.events
    assert state() == before


def test_a_margin_call_while_the_collateral_covers_the_ratio_changes_nothing(
    engaged, state, token, other_token, stranger, oracle, deployer
):
    loan = engaged
    assert loan.instrument.collateralOf(token, REPAYMENT, other_token, MAINTENANCE_RATIO) == REQUIRED_NOW
    before = state()
    assert_nothing_happened(send(loan, stranger, MARGIN_CALL), state, before)

    reprice(oracle, deployer, token, other_token, EXACTLY_COVERED_RATE)
    assert loan.instrument.collateralOf(token, REPAYMENT, other_token, MAINTENANCE_RATIO) == COLLATERAL
    before = state()
    assert_nothing_happened(send(loan, stranger, MARGIN_CALL), state, before)
    assert loan_state(loan) == LoanState.ENGAGED


def test_a_margin_call_below_the_ratio_defaults_and_gives_the_lender_the_collateral(
    engaged, token, other_token, maker, taker, stranger, oracle, deployer
):
    loan = engaged
    lender, borrower = parties(loan, maker, taker)
    reprice(oracle, deployer, token, other_token, SHORT_RATE)

    tx = send(loan, stranger, MARGIN_CALL)  # anyone may

    assert events(tx, "LoanMarginCalled") == [
        {"manager": loan.manager.address, "issuanceId": 1, "held": COLLATERAL, "required": SHORT_REQUIRED}
    ]
    assert loan_state(loan) == LoanState.DEFAULTED
    assert events(tx, "LoanStateChanged") == [
        {"manager": loan.manager.address, "issuanceId": 1, "state": LoanState.DEFAULTED}
    ]
    assert executed(tx) == [(TransferKind.OUTBOUND, other_token.address, borrower.address, lender.address, COLLATERAL)]
    assert loan.escrow.getTokenBalance(lender, other_token) == COLLATERAL
    escrow = issuance_escrow(loan.manager, 1)
    assert escrow.getTokenBalance(borrower, other_token) == held(escrow, other_token) == 0
    assert loan.escrow.getTokenBalance(borrower, token) == REPAYMENT  # the principal stays with it


def test_after_a_margin_call_nothing_more_happens(
    engaged, state, token, other_token, maker, taker, stranger, oracle, deployer
):
    loan = engaged
    _, borrower = parties(loan, maker, taker)
    reprice(oracle, deployer, token, other_token, SHORT_RATE)
    send(loan, stranger, MARGIN_CALL)
    before = state()

    for caller in (stranger, borrower):
        assert_nothing_happened(send(loan, caller, MARGIN_CALL), state, before)
    sleep_past(TENOR)
    assert_nothing_happened(send(loan, stranger, ENGAGEMENT_DUE), state, before)
    with reverts("InstrumentWrongState", 1, LoanState.DEFAULTED):
        send(loan, borrower, REPAY_FULL)
    assert state() == before


def test_a_loan_without_a_maintenance_ratio_is_never_margin_called(
    funded, state, token, other_token, maker, taker, stranger, oracle, deployer
):
    loan = funded
    create(loan, maker, token, other_token)  # standard terms: no maintenance ratio
    engage(loan, taker)
    reprice(oracle, deployer, token, other_token, (100, 1))  # the collateral is worth almost nothing
    before = state()
    assert_nothing_happened(send(loan, stranger, MARGIN_CALL), state, before)
    assert loan_state(loan) == LoanState.ENGAGED


def test_a_margin_call_before_the_loan_is_engaged_names_an_unknown_engagement(
    funded, state, token, other_token, maker, stranger, oracle, deployer
):
    loan = funded
    create(loan, maker, token, other_token, maintenance_ratio=MAINTENANCE_RATIO)
    reprice(oracle, deployer, token, other_token, SHORT_RATE)
    before = state()
    for engagement_id in (1, 0):
        with reverts("InstrumentUnknownEngagement", 1, engagement_id):
            send(loan, stranger, MARGIN_CALL, engagement_id=engagement_id)
    assert state() == before


def test_a_margin_call_after_repayment_changes_nothing(
    engaged, state, token, other_token, maker, taker, stranger, oracle, deployer
):
    loan = engaged
    _, borrower = parties(loan, maker, taker)
    send(loan, borrower, REPAY_FULL)
    reprice(oracle, deployer, token, other_token, SHORT_RATE)
    before = state()
    assert_nothing_happened(send(loan, stranger, MARGIN_CALL), state, before)
    assert loan_state(loan) == LoanState.REPAID


def test_a_margin_call_after_the_loan_defaulted_on_its_due_time_changes_nothing(
    engaged, state, token, other_token, stranger, oracle, deployer
):
    loan = engaged
    sleep_past(TENOR)
    send(loan, stranger, ENGAGEMENT_DUE)
    reprice(oracle, deployer, token, other_token, SHORT_RATE)
    before = state()
    assert_nothing_happened(send(loan, stranger, MARGIN_CALL), state, before)


def test_a_margin_call_cannot_leave_the_lender_with_nothing(
    loan, state, token, switch_token, maker, taker, stranger, oracle, deployer
):
    lender, borrower = parties(loan, maker, taker)
    fund_parties(loan, maker, taker, token, switch_token)
    create(loan, maker, token, switch_token, maintenance_ratio=MAINTENANCE_RATIO)
    engage(loan, taker)
    reprice(oracle, deployer, token, switch_token, SHORT_RATE)
    switch_token.setFeeBasisPoints(10_000, {"from": borrower})
    before = state()
    with reverts("ManagerCreditBelowMinimum", 0, switch_token, lender, 0, 1):
        send(loan, stranger, MARGIN_CALL)
    assert state() == before
    assert loan_state(loan) == LoanState.ENGAGED

    switch_token.setFeeBasisPoints(0, {"from": stranger})
    tx = send(loan, stranger, MARGIN_CALL)
    assert events(tx, "LoanMarginCalled")[0]["required"] == SHORT_REQUIRED
    assert loan.escrow.getTokenBalance(lender, switch_token) == COLLATERAL
