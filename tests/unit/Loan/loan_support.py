"""Helpers for the Lending and Borrowing tests: standard terms, parties and the loan states."""

from support import event_name, fund, loan_terms

NONE, ENGAGEABLE, CANCELLED, EXPIRED, ENGAGED, REPAID, DEFAULTED = range(7)
HOUR, DAY = 3600, 86400

PRINCIPAL = 1_000
RATE = (2, 1)  # the oracle: one principal unit is worth two collateral units
COLLATERAL_RATIO = 15_000  # 150%
COLLATERAL = PRINCIPAL * 2 * 3 // 2  # 3,000
INTEREST_RATE = 500  # 5% for the tenor
REPAYMENT = PRINCIPAL * 105 // 100  # 1,050
DURATION, TENOR = DAY, 30 * DAY

CANCEL = event_name("cancel_issuance")
ISSUANCE_DUE = event_name("issuance_due")
ENGAGEMENT_DUE = event_name("engagement_due")
REPAY = event_name("repay_full")


def terms(principal_token, collateral_token, **changes):
    """The standard loan terms as maker data, with any field changed by keyword."""
    fields = {
        "duration": DURATION,
        "principal_token": principal_token,
        "principal_amount": PRINCIPAL,
        "collateral_token": collateral_token,
        "collateral_ratio": COLLATERAL_RATIO,
        "tenor": TENOR,
        "interest_rate": INTEREST_RATE,
        **changes,
    }
    return loan_terms(*fields.values())


def parties(loan, maker, taker):
    """(lender, borrower) of a loan between `maker` and `taker`."""
    return (maker, taker) if loan.lends else (taker, maker)


def fund_parties(loan, maker, taker, principal_token, collateral_token):
    """The lender holds the principal, the borrower the collateral and the interest to repay."""
    lender, borrower = parties(loan, maker, taker)
    fund(loan.escrow, lender, principal_token, PRINCIPAL)
    fund(loan.escrow, borrower, collateral_token, COLLATERAL)
    fund(loan.escrow, borrower, principal_token, REPAYMENT - PRINCIPAL)
