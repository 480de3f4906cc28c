"""Nobody pays for nothing: a loan moves its principal and collateral whole.

A token that takes a fee on transfer is refused as Lending principal and as collateral of either
loan (ManagerCreditBelowMinimum, nothing moves). A token whose fee is switched on later (anyone may
set `switch_token`'s fee, up to 100%) cannot make a party pay and receive nothing: the engagement
or the event reverts, the loan stays as it was, and goes on once the fee is off again.
"""

from loan_support import (
    BORROWING_ONLY,
    COLLATERAL,
    LENDING_ONLY,
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
from nuts_escrow import CANCEL_ISSUANCE, ENGAGEMENT_DUE, REPAY_FULL
from nuts_escrow.types import LoanState, TransferKind
from support import fund, held, issuance_escrow, reverts, sleep_past

EVERYTHING = 10_000  # a fee of 100%, in basis points


def collected(amount, fee_bps):
    """What arrives of `amount` sent through a token taking `fee_bps` basis points."""
    return amount - amount * fee_bps // 10_000


@LENDING_ONLY
def test_a_fee_on_transfer_principal_is_refused_when_a_lending_is_created(
    loan, state, fee_token, other_token, maker, taker
):
    fund(loan.escrow, maker, fee_token, 2 * PRINCIPAL)  # more than enough, whatever the deposit's fee
    before = state()
    with reverts("ManagerCreditBelowMinimum", 0, fee_token, maker, collected(PRINCIPAL, 100), PRINCIPAL):
        create(loan, maker, fee_token, other_token)
    assert state() == before
    assert loan.manager.issuanceCount() == 0


@LENDING_ONLY
def test_a_lending_whose_principal_fee_is_switched_on_cannot_be_engaged_but_can_be_cancelled(
    loan, state, switch_token, other_token, maker, taker, stranger
):
    fund_parties(loan, maker, taker, switch_token, other_token)
    create(loan, maker, switch_token, other_token)
    switch_token.setFeeBasisPoints(100, {"from": stranger})  # anyone may
    before = state()

    # The borrower would post its collateral and receive 990 of 1,000: the engagement reverts.
    with reverts("ManagerCreditBelowMinimum", 1, switch_token, taker, collected(PRINCIPAL, 100), PRINCIPAL):
        engage(loan, taker)
    assert state() == before
    assert loan.escrow.getTokenBalance(taker, other_token) == COLLATERAL  # posted nothing
    assert loan.escrow.getTokenBalance(taker, switch_token) == REPAYMENT - PRINCIPAL  # owes nothing
    assert loan.instrument.getIssuance(loan.manager, 1)["state"] == LoanState.ENGAGEABLE

    # The lender takes back what the escrow holds; its own commitment has no minimum.
    tx = send(loan, maker, CANCEL_ISSUANCE, engagement_id=0)
    assert loan.instrument.getIssuance(loan.manager, 1)["state"] == LoanState.CANCELLED
    assert executed(tx) == [
        (TransferKind.OUTBOUND, switch_token.address, maker.address, maker.address, collected(PRINCIPAL, 100))
    ]
    assert loan.escrow.getTokenBalance(maker, switch_token) == collected(PRINCIPAL, 100)
    assert held(issuance_escrow(loan.manager, 1), switch_token) == 0


@LENDING_ONLY
def test_a_fee_on_transfer_collateral_is_refused_when_a_lending_is_engaged(loan, state, token, fee_token, maker, taker):
    fund(loan.escrow, maker, token, PRINCIPAL)
    fund(loan.escrow, taker, fee_token, 2 * COLLATERAL)
    create(loan, maker, token, fee_token)
    before = state()
    with reverts("ManagerCreditBelowMinimum", 0, fee_token, taker, collected(COLLATERAL, 100), COLLATERAL):
        engage(loan, taker)
    assert state() == before
    assert loan.instrument.getIssuance(loan.manager, 1)["state"] == LoanState.ENGAGEABLE


@BORROWING_ONLY
def test_a_fee_on_transfer_collateral_is_refused_when_a_borrowing_is_created(loan, state, token, fee_token, maker):
    fund(loan.escrow, maker, fee_token, 2 * COLLATERAL)
    before = state()
    with reverts("ManagerCreditBelowMinimum", 0, fee_token, maker, collected(COLLATERAL, 100), COLLATERAL):
        create(loan, maker, token, fee_token)
    assert state() == before
    assert loan.manager.issuanceCount() == 0


@BORROWING_ONLY
def test_a_defaulting_borrower_cannot_take_the_lenders_collateral_away_with_a_full_fee(
    loan, token, switch_token, maker, taker, stranger
):
    lender, borrower = parties(loan, maker, taker)
    fund_parties(loan, maker, taker, token, switch_token)
    create(loan, maker, token, switch_token)
    engage(loan, taker)
    sleep_past(TENOR)
    escrow = issuance_escrow(loan.manager, 1)

    # The borrower switches the fee to 100% and sends engagement_due itself: the lender would get
    # nothing, so the call reverts and the loan stays engaged with its collateral.
    switch_token.setFeeBasisPoints(EVERYTHING, {"from": borrower})
    with reverts("ManagerCreditBelowMinimum", 0, switch_token, lender, 0, 1):
        send(loan, borrower, ENGAGEMENT_DUE)
    assert loan.instrument.getIssuance(loan.manager, 1)["state"] == LoanState.ENGAGED
    assert escrow.getTokenBalance(borrower, switch_token) == held(escrow, switch_token) == COLLATERAL
    assert loan.escrow.getTokenBalance(lender, switch_token) == 0

    # Once the fee is back to 0, anyone's engagement_due gives the lender the collateral.
    switch_token.setFeeBasisPoints(0, {"from": stranger})
    tx = send(loan, stranger, ENGAGEMENT_DUE)
    assert loan.instrument.getIssuance(loan.manager, 1)["state"] == LoanState.DEFAULTED
    assert executed(tx) == [(TransferKind.OUTBOUND, switch_token.address, borrower.address, lender.address, COLLATERAL)]
    assert loan.escrow.getTokenBalance(lender, switch_token) == COLLATERAL
    assert held(escrow, switch_token) == 0


def test_repaying_while_the_collateral_fee_is_everything_reverts(loan, state, token, switch_token, maker, taker):
    lender, borrower = parties(loan, maker, taker)
    fund_parties(loan, maker, taker, token, switch_token)
    create(loan, maker, token, switch_token)
    engage(loan, taker)
    switch_token.setFeeBasisPoints(EVERYTHING, {"from": lender})
    before = state()

    # The borrower would pay principal and interest and get none of its collateral back.
    with reverts("ManagerCreditBelowMinimum", 1, switch_token, borrower, 0, 1):
        send(loan, borrower, REPAY_FULL)
    assert state() == before
    assert loan.escrow.getTokenBalance(borrower, token) == REPAYMENT

    switch_token.setFeeBasisPoints(0, {"from": borrower})
    send(loan, borrower, REPAY_FULL)
    assert loan.escrow.getTokenBalance(borrower, switch_token) == COLLATERAL
    assert loan.escrow.getTokenBalance(lender, token) == REPAYMENT
