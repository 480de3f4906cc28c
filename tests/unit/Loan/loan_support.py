"""Helpers for the Lending and Borrowing tests: standard terms, taker data, parties, and the calls
every loan test makes through a domain's manager (the states are nuts_escrow.types.LoanState, the
event names nuts_escrow's constants)."""

import pytest
from eth_abi import encode

from support import events, fund, loan_terms

HOUR, DAY = 3600, 86400

PRINCIPAL = 1_000
RATE = (2, 1)  # the oracle: one principal unit is worth two collateral units
COLLATERAL_RATIO = 15_000  # 150%
COLLATERAL = PRINCIPAL * 2 * 3 // 2  # 3,000
INTEREST_RATE = 500  # 5% for the tenor
REPAYMENT = PRINCIPAL * 105 // 100  # 1,050
DURATION, TENOR = DAY, 30 * DAY

# For a test about one of the two instruments: `loan` (and so `state`) is then that one's domain.
LENDING_ONLY = pytest.mark.parametrize("loan", ["lending"], indirect=True)
BORROWING_ONLY = pytest.mark.parametrize("loan", ["borrowing"], indirect=True)

# The two trailing maker data fields, after the original seven (ILoan.LoanTerms).
OPTIONAL_FIELDS = ("min_collateral_per_principal", "maintenance_ratio")


def terms(principal_token, collateral_token, **changes):
    """The standard loan terms as maker data, with any field changed by keyword. Naming either of
    the optional fields (`min_collateral_per_principal`, `maintenance_ratio`) gives the nine-field
    encoding, the other one then 0; otherwise the original seven fields."""
    optional = [changes.pop(name, None) for name in OPTIONAL_FIELDS]
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
    data = loan_terms(*fields.values())
    if optional == [None, None]:
        return data
    # The trailing words of the nine-field encoding, also when both are zero (which the client's
    # loan_terms never sends: it falls back to the seven fields).
    return data + encode(["uint256", "uint256"], [value or 0 for value in optional])


def parties(loan, maker, taker):
    """(lender, borrower) of a loan between `maker` and `taker`."""
    return (maker, taker) if loan.lends else (taker, maker)


def fund_parties(loan, maker, taker, principal_token, collateral_token):
    """The lender holds the principal, the borrower the collateral and the interest to repay."""
    lender, borrower = parties(loan, maker, taker)
    fund(loan.escrow, lender, principal_token, PRINCIPAL)
    fund(loan.escrow, borrower, collateral_token, COLLATERAL)
    fund(loan.escrow, borrower, principal_token, REPAYMENT - PRINCIPAL)


def create(loan, maker, principal_token, collateral_token, **changes):
    """`maker` creates a loan on the standard terms, changed as `terms` takes it."""
    return loan.manager.createIssuance(terms(principal_token, collateral_token, **changes), {"from": maker})


def engage(loan, taker, issuance_id=1, taker_data=b""):
    return loan.manager.engageIssuance(issuance_id, taker_data, {"from": taker})


def send(loan, caller, event, issuance_id=1, engagement_id=1):
    """`caller` sends `event` (empty event data); loan engagement events name engagement 1."""
    return loan.manager.processEvent(issuance_id, engagement_id, event, b"", {"from": caller})


def executed(tx):
    """(kind, token, from, to, amount) of every TransferExecuted, in order."""
    return [(e["kind"], e["token"], e["from"], e["to"], e["amount"]) for e in events(tx, "TransferExecuted")]
