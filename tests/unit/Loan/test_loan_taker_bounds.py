"""Taker minimums and price protection.

Lending (the taker borrows): taker data `abi.encode(minPrincipalReceived, maxCollateral)`; the
lender (maker) may bound the price with `minCollateralPerPrincipal` in nine-field maker data.
Borrowing (the taker lends): no maker bound; taker data `abi.encode(minCollateralHeld)`; and the
engage re-checks the collateral held against the terms' ratio at the oracle's current price.
A refused engagement changes nothing.
"""

import pytest

from loan_support import (
    BORROWING_ONLY,
    COLLATERAL,
    COLLATERAL_RATIO,
    LENDING_ONLY,
    PRINCIPAL,
    RATE,
    create,
    engage,
    fund_parties,
    terms,
)
from nuts_escrow import BorrowingTakerTerms, LendingTakerTerms
from nuts_escrow.terms import PRICE_BOUND_SCALE
from nuts_escrow.types import LoanState
from support import events, fund, issuance_escrow, reverts

# A near-zero price the oracle's owner may set: 1,000 principal units are then worth one
# collateral unit, and 150% of that, rounded up, is 2 units of collateral.
CRASH_RATE = (1, 1_000)
CRASHED_COLLATERAL = 2


@pytest.fixture
def lending(loan, token, other_token, maker, taker):
    """The Lending domain (with LENDING_ONLY), its parties funded."""
    assert loan.lends
    fund_parties(loan, maker, taker, token, other_token)
    return loan


@pytest.fixture
def borrowing(loan, token, other_token, maker, taker):
    """The Borrowing domain (with BORROWING_ONLY), its parties funded and the loan created."""
    assert not loan.lends
    fund_parties(loan, maker, taker, token, other_token)
    create(loan, maker, token, other_token)
    return loan


def engaged_state(loan):
    return loan.instrument.getIssuance(loan.manager, 1)["state"]


# ------------------------------------------------------------------------- Lending, the borrower


@LENDING_ONLY
def test_a_borrower_engages_within_its_own_bounds(lending, token, other_token, maker, taker):
    create(lending, maker, token, other_token)
    engage(
        lending,
        taker,
        taker_data=LendingTakerTerms(min_principal_received=PRINCIPAL, max_collateral=COLLATERAL).encode(),
    )  # exactly the bounds

    assert engaged_state(lending) == LoanState.ENGAGED
    assert issuance_escrow(lending.manager, 1).getTokenBalance(taker, other_token) == COLLATERAL


@LENDING_ONLY
def test_a_borrower_asking_more_principal_than_the_loan_has_is_refused(
    lending, state, token, other_token, maker, taker
):
    create(lending, maker, token, other_token)
    before = state()
    with reverts("ManagerCreditBelowMinimum", 1, token, taker, PRINCIPAL, PRINCIPAL + 1):
        engage(
            lending,
            taker,
            taker_data=LendingTakerTerms(min_principal_received=PRINCIPAL + 1, max_collateral=0).encode(),
        )
    assert state() == before


@LENDING_ONLY
def test_a_borrower_refuses_collateral_above_its_limit(
    lending, state, token, other_token, maker, taker, oracle, deployer
):
    create(lending, maker, token, other_token)
    before = state()
    with reverts("LoanCollateralAboveLimit", COLLATERAL, COLLATERAL - 1):
        engage(
            lending,
            taker,
            taker_data=LendingTakerTerms(min_principal_received=0, max_collateral=COLLATERAL - 1).encode(),
        )
    assert state() == before

    # The price moves against the borrower before its engagement is mined.
    oracle.setRate(token, other_token, 3, 1, {"from": deployer})
    before = state()
    with reverts("LoanCollateralAboveLimit", COLLATERAL * 3 // 2, COLLATERAL):
        engage(
            lending,
            taker,
            taker_data=LendingTakerTerms(min_principal_received=PRINCIPAL, max_collateral=COLLATERAL).encode(),
        )
    assert state() == before


@LENDING_ONLY
def test_the_lenders_price_bound_refuses_a_near_zero_price(
    lending, state, token, other_token, maker, taker, oracle, deployer
):
    # The lender accepts at least 2 collateral units per principal unit: 2,000 for its 1,000.
    create(lending, maker, token, other_token, min_collateral_per_principal=2 * PRICE_BOUND_SCALE)
    oracle.setRate(token, other_token, *CRASH_RATE, {"from": deployer})
    assert lending.instrument.collateralOf(token, PRINCIPAL, other_token, COLLATERAL_RATIO) == CRASHED_COLLATERAL
    before = state()
    with reverts("LoanCollateralBelowBound", CRASHED_COLLATERAL, 2 * PRINCIPAL):
        engage(lending, taker)
    assert state() == before


@LENDING_ONLY
def test_without_a_price_bound_the_seven_field_terms_take_any_price(
    lending, token, other_token, maker, taker, oracle, deployer
):
    assert len(terms(token, other_token)) == 224  # the original seven fields: no bound
    create(lending, maker, token, other_token)
    oracle.setRate(token, other_token, *CRASH_RATE, {"from": deployer})

    tx = engage(lending, taker)

    assert engaged_state(lending) == LoanState.ENGAGED
    assert events(tx, "LoanCollateralPriced")[0]["collateralAmount"] == CRASHED_COLLATERAL
    assert issuance_escrow(lending.manager, 1).getTokenBalance(taker, other_token) == CRASHED_COLLATERAL
    assert lending.instrument.getIssuance(lending.manager, 1)["minCollateralPerPrincipal"] == 0


@LENDING_ONLY
def test_the_price_bound_is_inclusive_and_rounds_up(lending, state, token, other_token, maker, taker):
    # At the standard price the collateral is 3,000: a bound of exactly 3 per unit lets it through,
    # the least bound above 3 per unit asks ceil(1,000 x (3e18 + 1) / 1e18) = 3,001.
    create(lending, maker, token, other_token, min_collateral_per_principal=3 * PRICE_BOUND_SCALE + 1)
    before = state()
    with reverts("LoanCollateralBelowBound", COLLATERAL, COLLATERAL + 1):
        engage(lending, taker)
    assert state() == before

    fund(lending.escrow, maker, token, PRINCIPAL)
    create(lending, maker, token, other_token, min_collateral_per_principal=3 * PRICE_BOUND_SCALE)
    engage(lending, taker, issuance_id=2)
    assert lending.instrument.getIssuance(lending.manager, 2)["state"] == LoanState.ENGAGED


# ------------------------------------------------------------------------- Borrowing, the lender


@BORROWING_ONLY
def test_the_lenders_minimum_collateral_held_is_checked(borrowing, state, maker, taker, other_token):
    before = state()
    with reverts("LoanCollateralBelowBound", COLLATERAL, COLLATERAL + 1):
        engage(borrowing, taker, taker_data=BorrowingTakerTerms(min_collateral_held=COLLATERAL + 1).encode())
    assert state() == before

    engage(
        borrowing, taker, taker_data=BorrowingTakerTerms(min_collateral_held=COLLATERAL).encode()
    )  # exactly what is held
    assert engaged_state(borrowing) == LoanState.ENGAGED
    assert issuance_escrow(borrowing.manager, 1).getTokenBalance(maker, other_token) == COLLATERAL


@BORROWING_ONLY
def test_borrowing_is_not_funded_once_the_collateral_no_longer_covers_the_terms(
    borrowing, state, token, other_token, taker, oracle, deployer
):
    # The maker posted 3,000 for 150% at 2 collateral units per principal unit. The principal is
    # now worth 4: the 3,000 held cover 75%, while the terms say 150% (6,000).
    oracle.setRate(token, other_token, 4, 1, {"from": deployer})
    before = state()
    with reverts("LoanUndercollateralised", COLLATERAL, 2 * COLLATERAL):
        engage(borrowing, taker)
    with reverts("LoanUndercollateralised", COLLATERAL, 2 * COLLATERAL):
        engage(borrowing, taker, taker_data=BorrowingTakerTerms(min_collateral_held=0).encode())
    assert state() == before

    # Exactly covered again (3,000 required): the lender funds.
    oracle.setRate(token, other_token, *RATE, {"from": deployer})
    engage(borrowing, taker)
    assert engaged_state(borrowing) == LoanState.ENGAGED


@BORROWING_ONLY
def test_borrowing_is_refused_one_unit_below_the_terms(borrowing, state, token, other_token, taker, oracle, deployer):
    # 1,000 x 2,001/1,000 = 2,001 (rounded up), x 150% = 3,002 (rounded up) > 3,000 held.
    oracle.setRate(token, other_token, 2_001, 1_000, {"from": deployer})
    before = state()
    with reverts("LoanUndercollateralised", COLLATERAL, 3_002):
        engage(borrowing, taker)
    assert state() == before


@pytest.mark.parametrize("length", [1, 31, 33, 64])
@BORROWING_ONLY
def test_borrowing_taker_data_of_a_wrong_length_is_refused(borrowing, state, taker, length):
    before = state()
    with reverts("InstrumentInvalidTakerData", length):
        engage(borrowing, taker, taker_data=b"\0" * length)
    assert state() == before
