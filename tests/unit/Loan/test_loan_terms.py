"""Loan maker data and the domain's bounds: every bad term reverts with its error and changes
nothing; the domain's provider, and only it, sets the bounds, with an event."""

import pytest
from brownie import ZERO_ADDRESS, Borrowing, Lending, ZeroRateOracle

from loan_support import (
    COLLATERAL_RATIO,
    DURATION,
    INTEREST_RATE,
    PRINCIPAL,
    TENOR,
    fund_parties,
    terms,
)
from nuts_escrow import ISSUANCE_DUE
from nuts_escrow.terms import PRICE_BOUND_SCALE
from support import ETH, activate, reverts

DAY = 86400
MAX_UINT = 2**256 - 1
# ILoan.maxBounds(): also the bounds of a domain whose provider set none.
MAX_BOUNDS = (1, 365 * DAY, 1, 3650 * DAY, 1, 1_000_000, 0, 1_000_000)
TIGHT = (DAY, 7 * DAY, DAY, 90 * DAY, 12_000, 20_000, 100, 1_000)


def name(text):
    return text.encode().ljust(32, b"\0")


@pytest.fixture
def funded(loan, token, other_token, maker, taker):
    fund_parties(loan, maker, taker, token, other_token)
    return loan


def bounds_of(instrument, manager):
    return tuple(int(value) for value in instrument.getBounds(manager))


def create(loan, maker, data):
    return loan.manager.createIssuance(data, {"from": maker})


# ---------------------------------------------------------------------------------- maker data


@pytest.mark.parametrize("length", [0, 223, 225, 256, 287, 289, 320])
def test_maker_data_must_be_seven_or_nine_words(funded, state, token, other_token, maker, length):
    data = terms(token, other_token, maintenance_ratio=10_000).ljust(length, b"\0")[:length]
    before = state()
    with reverts("InstrumentInvalidMakerData", length):
        create(funded, maker, data)
    assert state() == before


def test_the_nine_field_maker_data_records_its_trailing_fields(funded, token, other_token, maker):
    loan = funded
    bound = 2 * PRICE_BOUND_SCALE if loan.lends else 0  # Borrowing makers state no price bound
    data = terms(token, other_token, min_collateral_per_principal=bound, maintenance_ratio=12_000)
    assert len(data) == 288 and len(terms(token, other_token)) == 224
    create(loan, maker, data)

    issuance = loan.instrument.getIssuance(loan.manager, 1)
    assert issuance["maintenanceRatio"] == 12_000
    assert issuance["minCollateralPerPrincipal"] == bound
    assert issuance["collateralRatio"] == COLLATERAL_RATIO and issuance["interestRate"] == INTEREST_RATE


def test_nine_fields_with_zero_trailing_fields_are_the_seven_field_terms(funded, token, other_token, maker):
    loan = funded
    data = terms(token, other_token, min_collateral_per_principal=0, maintenance_ratio=0)
    assert len(data) == 288
    create(loan, maker, data)

    issuance = loan.instrument.getIssuance(loan.manager, 1)
    assert issuance["maintenanceRatio"] == issuance["minCollateralPerPrincipal"] == 0
    assert issuance["principalAmount"] == PRINCIPAL and issuance["tenor"] == TENOR


def test_tokens_must_be_contracts_or_eth_and_differ(funded, state, token, other_token, maker, stranger):
    before = state()
    for principal, collateral, bad in [(stranger, other_token, stranger), (token, ZERO_ADDRESS, ZERO_ADDRESS)]:
        with reverts("InstrumentInvalidToken", bad):
            create(funded, maker, terms(principal, collateral))
    with reverts("InstrumentSameToken", token):
        create(funded, maker, terms(token, token))
    with reverts("InstrumentSameToken", ETH):
        create(funded, maker, terms(ETH, ETH))
    assert state() == before


def test_the_principal_must_be_positive(funded, state, token, other_token, maker):
    before = state()
    with reverts("InstrumentZeroAmount"):
        create(funded, maker, terms(token, other_token, principal_amount=0))
    assert state() == before


@pytest.mark.parametrize(
    "principal, rate",
    [
        (MAX_UINT, INTEREST_RATE),  # the interest fits, principal plus interest does not
        (MAX_UINT, 20_000),  # the interest itself does not fit (was a panic)
        (2**255, 1_000_000),  # principal x rate is far beyond 512 bits' high half
        (MAX_UINT // 20_000 * 10_000 + 10_000, 20_000),  # principal x rate just past the limit
    ],
)
def test_a_principal_whose_repayment_would_overflow_is_refused(
    funded, state, token, other_token, maker, principal, rate
):
    before = state()
    with reverts("LoanAmountTooLarge", principal, rate):
        create(funded, maker, terms(token, other_token, principal_amount=principal, interest_rate=rate))
    with reverts("LoanAmountTooLarge", principal, rate):
        funded.instrument.repaymentOf(principal, rate)
    assert state() == before


def test_a_repayment_that_fits_is_computed_even_when_principal_x_rate_does_not(loan):
    # 2**255 x 2 needs 257 bits, but the repayment, 2**255 plus 2 basis points rounded up, fits.
    assert loan.instrument.repaymentOf(2**255, 2) == 2**255 + 2**256 // 10_000 + 1
    assert loan.instrument.repaymentOf(MAX_UINT // 2, 10_000) == MAX_UINT - 1


@pytest.mark.parametrize("maintenance_ratio", [COLLATERAL_RATIO, COLLATERAL_RATIO + 1, 2**32])
def test_a_maintenance_ratio_must_be_below_the_collateral_ratio(
    funded, state, token, other_token, maker, maintenance_ratio
):
    before = state()
    with reverts("LoanInvalidMaintenanceRatio", maintenance_ratio, COLLATERAL_RATIO):
        create(funded, maker, terms(token, other_token, maintenance_ratio=maintenance_ratio))
    assert state() == before
    create(funded, maker, terms(token, other_token, maintenance_ratio=COLLATERAL_RATIO - 1))
    assert funded.instrument.getIssuance(funded.manager, 1)["maintenanceRatio"] == COLLATERAL_RATIO - 1


def test_a_borrowing_maker_cannot_state_a_price_bound(borrowing_domain, token, other_token, maker, taker):
    loan = borrowing_domain
    fund_parties(loan, maker, taker, token, other_token)
    for bound in (1, 2 * PRICE_BOUND_SCALE):
        with reverts("LoanPriceBoundNotMakers"):
            create(loan, maker, terms(token, other_token, min_collateral_per_principal=bound))
    assert loan.manager.issuanceCount() == 0


@pytest.mark.parametrize(
    "field, value, parameter, low, high",
    [
        ("duration", 0, "duration", 1, 365 * DAY),
        ("duration", 365 * DAY + 1, "duration", 1, 365 * DAY),
        ("tenor", 0, "tenor", 1, 3650 * DAY),
        ("tenor", 2**64, "tenor", 1, 3650 * DAY),
        ("collateral_ratio", 0, "collateralRatio", 1, 1_000_000),
        ("collateral_ratio", 1_000_001, "collateralRatio", 1, 1_000_000),
        ("interest_rate", 1_000_001, "interestRate", 0, 1_000_000),
    ],
)
def test_terms_outside_the_default_bounds_are_refused(
    funded, state, token, other_token, maker, field, value, parameter, low, high
):
    before = state()
    with reverts("LoanOutOfBounds", name(parameter), value, low, high):
        create(funded, maker, terms(token, other_token, **{field: value}))
    assert state() == before


def test_an_oracle_rate_of_zero_leaves_a_loan_unsecured_and_is_refused(
    registry, provider, deployer, token, other_token, maker, taker
):
    loan = type("Loan", (), {})()
    loan.instrument = Lending.deploy(ZeroRateOracle.deploy({"from": deployer}), {"from": deployer})
    loan.manager, loan.escrow = activate(registry, loan.instrument, provider)
    loan.lends = True
    fund_parties(loan, maker, taker, token, other_token)
    create(loan, maker, terms(token, other_token))
    with reverts("LoanZeroCollateral", token, other_token):
        loan.manager.engageIssuance(1, b"", {"from": taker})


def test_an_instrument_needs_an_oracle_with_code(deployer, stranger):
    with reverts("LoanInvalidOracle", stranger):
        Lending.deploy(stranger, {"from": deployer})


def test_the_views_compute_collateral_and_repayment(loan, token, other_token):
    assert loan.instrument.collateralOf(token, PRINCIPAL, other_token, COLLATERAL_RATIO) == 3_000
    assert loan.instrument.collateralOf(token, 1, other_token, 1) == 1  # rounded up, never zero
    assert loan.instrument.repaymentOf(PRINCIPAL, INTEREST_RATE) == 1_050
    assert loan.instrument.repaymentOf(999, 1) == 1_000  # interest rounded up
    assert loan.instrument.repaymentOf(PRINCIPAL, 0) == PRINCIPAL
    assert loan.instrument.makerIsLender() == loan.lends


# -------------------------------------------------------------------------------------- bounds


def test_a_domain_starts_with_the_absolute_bounds(loan):
    assert bounds_of(loan.instrument, loan.manager) == MAX_BOUNDS
    assert tuple(int(value) for value in loan.instrument.maxBounds()) == MAX_BOUNDS


def test_the_provider_sets_the_bounds_of_its_domain_only(loan, lending_domain, borrowing_domain, provider):
    tx = loan.instrument.setBounds(loan.manager, TIGHT, {"from": provider})

    assert bounds_of(loan.instrument, loan.manager) == TIGHT
    assert tx.events["LoanBoundsSet"][0]["manager"] == loan.manager
    assert tuple(int(value) for value in tx.events["LoanBoundsSet"][0]["bounds"]) == TIGHT
    other = borrowing_domain if loan is lending_domain else lending_domain
    assert bounds_of(other.instrument, other.manager) == MAX_BOUNDS


def test_creation_is_held_to_the_providers_bounds(funded, state, token, other_token, maker, provider):
    loan = funded
    loan.instrument.setBounds(loan.manager, TIGHT, {"from": provider})
    before = state()
    with reverts("LoanOutOfBounds", name("duration"), DURATION - 1, DAY, 7 * DAY):
        create(loan, maker, terms(token, other_token, duration=DURATION - 1))
    with reverts("LoanOutOfBounds", name("tenor"), TENOR * 4, DAY, 90 * DAY):
        create(loan, maker, terms(token, other_token, tenor=TENOR * 4))
    with reverts("LoanOutOfBounds", name("collateralRatio"), 11_999, 12_000, 20_000):
        create(loan, maker, terms(token, other_token, collateral_ratio=11_999))
    with reverts("LoanOutOfBounds", name("interestRate"), 99, 100, 1_000):
        create(loan, maker, terms(token, other_token, interest_rate=99))
    assert state() == before
    create(loan, maker, terms(token, other_token))  # the standard terms are inside


def test_only_the_domains_provider_sets_bounds(loan, maker, stranger, provider):
    for caller in (maker, stranger):
        with reverts("InstrumentNotProvider", loan.manager, caller, provider):
            loan.instrument.setBounds(loan.manager, TIGHT, {"from": caller})
    with reverts("InstrumentNotManager", stranger):
        loan.instrument.setBounds(stranger, TIGHT, {"from": stranger})
    assert bounds_of(loan.instrument, loan.manager) == MAX_BOUNDS


@pytest.mark.parametrize(
    "index, value",
    [
        (0, 0),  # minDuration zero
        (0, 8 * DAY),  # minDuration above maxDuration
        (1, 366 * DAY),  # maxDuration above the limit
        (2, 0),  # minTenor zero
        (2, 91 * DAY),  # minTenor above maxTenor
        (3, 3651 * DAY),  # maxTenor above the limit
        (4, 0),  # minCollateralRatio zero
        (4, 20_001),  # minCollateralRatio above max
        (5, 1_000_001),  # maxCollateralRatio above the limit
        (6, 1_001),  # minInterestRate above max
        (7, 1_000_001),  # maxInterestRate above the limit
    ],
)
def test_inconsistent_bounds_are_refused(loan, provider, index, value):
    bounds = list(TIGHT)
    bounds[index] = value
    with reverts("LoanInvalidBounds"):
        loan.instrument.setBounds(loan.manager, bounds, {"from": provider})
    assert bounds_of(loan.instrument, loan.manager) == MAX_BOUNDS


def test_a_caller_acting_as_manager_meets_the_instruments_own_checks(loan, token, other_token, stranger):
    # A manager never creates an id twice nor sends events to unknown ids (it checks first); the
    # instrument refuses both anyway, in the caller's own namespace.
    data = terms(token, other_token)
    loan.instrument.createIssuance(1, stranger, data, {"from": stranger})
    with reverts("InstrumentIssuanceExists", 1):
        loan.instrument.createIssuance(1, stranger, data, {"from": stranger})
    with reverts("InstrumentUnknownIssuance", 2):
        loan.instrument.processEvent(2, 0, stranger, ISSUANCE_DUE, b"", {"from": stranger})
    assert loan.instrument.getIssuance(stranger, 1)["maker"] == stranger


def test_a_borrowing_maker_cannot_post_zero_collateral(registry, provider, deployer, token, other_token, maker):
    instrument = Borrowing.deploy(ZeroRateOracle.deploy({"from": deployer}), {"from": deployer})
    manager, _ = activate(registry, instrument, provider)
    with reverts("LoanZeroCollateral", token, other_token):
        manager.createIssuance(terms(token, other_token), {"from": maker})
    assert manager.issuanceCount() == 0
