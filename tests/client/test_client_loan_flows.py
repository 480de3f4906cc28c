"""Lending and Borrowing through the client on the standalone Anvil: every flow (repay, default,
cancel, expiry) for both instruments, the records with their parties and states, collateral and
repayment quotes, the provider's bounds, an ETH loan, and the loans' errors decoded.

Each test taking `loans` runs once for Lending (the maker lends) and once for Borrowing (the
maker borrows). Principal is TKA, collateral TKB; the oracle values one TKA at 2 TKB.
"""

from dataclasses import replace
from types import SimpleNamespace

import pytest
from client_support import DOMAIN_IDS, fund, last_taker_data, send
from web3.logs import DISCARD

from anvil_support import rpc
from nuts_escrow import NATIVE_ETH, BorrowingTakerTerms, LendingTakerTerms, LoanBounds, LoanState, LoanTerms, errors

DAY = 24 * 60 * 60
TKA = 10**18
TKB = 10**6
PRINCIPAL = 100 * TKA
RATIO = 15_000  # 150%
COLLATERAL = 300 * TKB  # 100 TKA = 200 TKB, at 150%
INTEREST_RATE = 500  # 5% for the tenor
REPAYMENT = 105 * TKA
TENOR, DURATION = 30 * DAY, DAY


@pytest.fixture(params=["Lending", "Borrowing"])
def loans(request, maker_client, taker_client, tokens, deployer_address):
    """The maker's and the taker's domain of one loan instrument, and who of them lends."""
    maker = maker_client.domain(DOMAIN_IDS[request.param])
    taker = taker_client.domain(DOMAIN_IDS[request.param])
    lender, borrower = (maker, taker) if maker.maker_is_lender else (taker, maker)
    return SimpleNamespace(
        maker=maker, taker=taker, lender=lender, borrower=borrower, tokens=tokens, minter=deployer_address
    )


def fund_parties(loans):
    """The lender holds the principal, the borrower the collateral and the interest."""
    principal, collateral = loans.tokens
    fund(loans.lender, principal, PRINCIPAL, loans.minter)
    fund(loans.borrower, collateral, COLLATERAL, loans.minter)
    fund(loans.borrower, principal, REPAYMENT - PRINCIPAL, loans.minter)


def loan_terms(tokens, **changes) -> LoanTerms:
    """A loan of PRINCIPAL of the first token against the second at RATIO, for TENOR at
    INTEREST_RATE, open for DURATION, with `changes` (LoanTerms fields by name)."""
    principal, collateral = tokens
    terms = LoanTerms(
        duration=DURATION,
        principal_token=principal.address,
        principal_amount=PRINCIPAL,
        collateral_token=collateral.address,
        collateral_ratio=RATIO,
        tenor=TENOR,
        interest_rate=INTEREST_RATE,
    )
    return replace(terms, **changes)


def create(loans, **changes):
    return loans.maker.create_loan(loan_terms(loans.tokens, **changes))


def set_tka_price(w3, oracle, tokens, tkb_per_tka, minter):
    """The oracle values one TKA at `tkb_per_tka` TKB (a float such as 2.5) from now on."""
    principal, collateral = tokens
    numerator = round(tkb_per_tka * TKB)
    send(w3, oracle.functions.setRate(principal.address, collateral.address, numerator, TKA), minter)


def instrument_holdings(domain, tokens):
    """`domain`'s account's Instrument Escrow balances of (principal, collateral)."""
    balances = domain.balances(tokens=[token.address for token in tokens], issuance_ids=[])
    return tuple(balances.instrument_escrow.values())


def holdings(domain, tokens, issuance_id):
    """`domain`'s account's (Instrument Escrow, issuance escrow) balances of (principal, collateral)."""
    addresses = [token.address for token in tokens]
    balances = domain.balances(tokens=addresses, issuance_ids=[issuance_id])
    escrowed = balances.issuance_escrows[issuance_id]
    return tuple(balances.instrument_escrow.values()), tuple(escrowed[token] for token in addresses)


def test_create_engage_repay(w3, loans):
    fund_parties(loans)
    maker_token_amount = PRINCIPAL if loans.maker.maker_is_lender else COLLATERAL

    issuance_id = create(loans)

    created = loans.maker.issuance(issuance_id)
    assert (created.state, created.is_open, created.taker) == (LoanState.ENGAGEABLE, True, None)
    assert (created.maker, created.maker_is_lender) == (loans.maker.account, loans.maker.maker_is_lender)
    assert (created.principal_amount, created.collateral_ratio, created.tenor, created.interest_rate) == (
        PRINCIPAL,
        RATIO,
        TENOR,
        INTEREST_RATE,
    )
    assert created.issuance_due_time == w3.eth.get_block("latest").timestamp + DURATION
    assert (created.lender or created.borrower) == loans.maker.account
    committed = holdings(loans.maker, loans.tokens, issuance_id)[1]
    assert sum(committed) == maker_token_amount, "the maker's side is in the issuance escrow"
    assert loans.taker.collateral_for(issuance_id) == COLLATERAL
    assert loans.taker.repayment_for(issuance_id) == REPAYMENT

    assert loans.taker.engage_loan(issuance_id) == 1

    engaged = loans.maker.issuance(issuance_id)
    assert (engaged.state, engaged.taker) == (LoanState.ENGAGED, loans.taker.account)
    assert (engaged.lender, engaged.borrower) == (loans.lender.account, loans.borrower.account)
    assert engaged.engagement_due_time == w3.eth.get_block("latest").timestamp + TENOR
    assert holdings(loans.borrower, loans.tokens, issuance_id) == ((REPAYMENT, 0), (0, COLLATERAL))
    assert holdings(loans.lender, loans.tokens, issuance_id) == ((0, 0), (0, 0))

    loans.borrower.repay_loan(issuance_id)

    assert loans.maker.issuance(issuance_id).state is LoanState.REPAID
    assert holdings(loans.lender, loans.tokens, issuance_id) == ((REPAYMENT, 0), (0, 0))
    assert holdings(loans.borrower, loans.tokens, issuance_id) == ((0, COLLATERAL), (0, 0))
    with pytest.raises(errors.InstrumentWrongState) as repaid:
        loans.borrower.repay_loan(issuance_id)
    assert (repaid.value.issuanceId, repaid.value.state) == (issuance_id, LoanState.REPAID)


def test_an_unpaid_loan_defaults_to_the_lender(node, loans):
    fund_parties(loans)
    issuance_id = create(loans, tenor=DAY)
    loans.taker.engage_loan(issuance_id)

    loans.maker.close_overdue_loan(issuance_id)  # early: changes nothing
    assert loans.maker.issuance(issuance_id).state is LoanState.ENGAGED
    rpc(node, "evm_increaseTime", [DAY])
    rpc(node, "evm_mine")
    with pytest.raises(errors.LoanEngagementDue) as late:
        loans.borrower.repay_loan(issuance_id)
    assert (late.value.issuanceId, late.value.dueTime) == (
        issuance_id,
        loans.maker.issuance(issuance_id).engagement_due_time,
    )
    loans.taker.close_overdue_loan(issuance_id)

    assert loans.maker.issuance(issuance_id).state is LoanState.DEFAULTED
    assert holdings(loans.lender, loans.tokens, issuance_id) == ((0, COLLATERAL), (0, 0))
    assert holdings(loans.borrower, loans.tokens, issuance_id) == ((REPAYMENT, 0), (0, 0))


def test_the_maker_cancels_an_unengaged_loan(loans):
    fund_parties(loans)
    before = instrument_holdings(loans.maker, loans.tokens)
    issuance_id = create(loans)

    with pytest.raises(errors.InstrumentWrongCaller) as wrong:
        loans.taker.cancel_loan(issuance_id)
    assert (wrong.value.caller, wrong.value.expected) == (loans.taker.account, loans.maker.account)
    loans.maker.cancel_loan(issuance_id)

    assert loans.maker.issuance(issuance_id).state is LoanState.CANCELLED
    assert holdings(loans.maker, loans.tokens, issuance_id) == (before, (0, 0))
    with pytest.raises(errors.InstrumentWrongState) as cancelled:
        loans.taker.engage_loan(issuance_id)
    assert cancelled.value.state == LoanState.CANCELLED


def test_anyone_closes_an_unengaged_loan_from_its_due_time(node, loans):
    fund_parties(loans)
    before = instrument_holdings(loans.maker, loans.tokens)
    issuance_id = create(loans, duration=60)

    loans.taker.close_loan(issuance_id)  # early: changes nothing
    assert loans.maker.issuance(issuance_id).state is LoanState.ENGAGEABLE
    rpc(node, "evm_increaseTime", [61])
    rpc(node, "evm_mine")
    with pytest.raises(errors.InstrumentIssuanceDue) as due:
        loans.taker.engage_loan(issuance_id)
    assert due.value.dueTime == loans.maker.issuance(issuance_id).issuance_due_time
    loans.taker.close_loan(issuance_id)

    assert loans.maker.issuance(issuance_id).state is LoanState.EXPIRED
    assert holdings(loans.maker, loans.tokens, issuance_id) == (before, (0, 0))


def test_engage_errors_are_decoded(loans):
    fund_parties(loans)
    issuance_id = create(loans)

    with pytest.raises(errors.InstrumentMakerCannotEngage) as own:
        loans.maker.engage_loan(issuance_id)
    assert own.value.maker == loans.maker.account
    with pytest.raises(errors.ManagerUnknownIssuance):
        loans.taker.repay_loan(issuance_id + 1)
    with pytest.raises(errors.InstrumentUnknownEngagement) as not_engaged:  # engagement 1 exists once engaged
        loans.borrower.repay_loan(issuance_id)
    assert (not_engaged.value.issuanceId, not_engaged.value.engagementId) == (issuance_id, 1)


def test_the_provider_sets_the_bounds(loans, provider_client):
    provider = provider_client.domain(loans.maker.domain_id)
    assert loans.maker.bounds() == loans.maker.max_bounds()
    tight = LoanBounds(60, 7 * DAY, DAY, 10 * DAY, 12_000, 20_000, 100, 1_000)

    with pytest.raises(errors.InstrumentNotProvider) as not_provider:
        loans.maker.set_bounds(tight)
    assert not_provider.value.provider == provider_client.account
    with pytest.raises(errors.LoanInvalidBounds):
        provider.set_bounds(LoanBounds(60, 59, DAY, 10 * DAY, 12_000, 20_000, 100, 1_000))
    provider.set_bounds(tight)

    assert loans.taker.bounds() == tight
    fund_parties(loans)
    with pytest.raises(errors.LoanOutOfBounds) as outside:
        create(loans, tenor=TENOR)
    assert bytes(outside.value.parameter).rstrip(b"\0") == b"tenor"
    assert (outside.value.value, outside.value.min, outside.value.max) == (TENOR, DAY, 10 * DAY)
    assert create(loans, tenor=10 * DAY) == 1


def test_an_eth_principal_is_priced_by_the_oracle(maker_client, taker_client, tokens, deployer_address):
    _, token_b = tokens
    lender = maker_client.lending_domain(DOMAIN_IDS["Lending"])
    borrower = taker_client.lending_domain(DOMAIN_IDS["Lending"])
    eth_in_tkb = lender.price_oracle().convert(NATIVE_ETH, token_b.address, 10**18)
    assert lender.collateral_of(NATIVE_ETH, 10**18, token_b.address, RATIO) == eth_in_tkb * 3 // 2

    lender.deposit(NATIVE_ETH, 10**18)
    eth_loan = loan_terms(tokens, principal_token=NATIVE_ETH, principal_amount=10**18, interest_rate=0)
    issuance_id = lender.create_loan(eth_loan)
    fund(borrower, token_b, borrower.collateral_for(issuance_id), deployer_address)
    borrower.engage_loan(issuance_id)
    borrower.repay_loan(issuance_id)  # no interest: the principal borrowed repays it

    assert lender.issuance(issuance_id).state is LoanState.REPAID
    assert lender.balances().instrument_escrow == {NATIVE_ETH: 10**18}
    assert borrower.balances(tokens=[token_b.address]).instrument_escrow == {token_b.address: eth_in_tkb * 3 // 2}


@pytest.fixture
def lending(maker_client, taker_client, tokens, deployer_address):
    """The Lending instrument only: the maker lends, the taker borrows."""
    return SimpleNamespace(
        maker=(lender := maker_client.lending_domain(DOMAIN_IDS["Lending"])),
        taker=(borrower := taker_client.lending_domain(DOMAIN_IDS["Lending"])),
        lender=lender,
        borrower=borrower,
        tokens=tokens,
        minter=deployer_address,
    )


@pytest.fixture
def borrowing(maker_client, taker_client, tokens, deployer_address):
    """The Borrowing instrument only: the maker borrows, the taker lends."""
    return SimpleNamespace(
        maker=(borrower := maker_client.borrowing_domain(DOMAIN_IDS["Borrowing"])),
        taker=(lender := taker_client.borrowing_domain(DOMAIN_IDS["Borrowing"])),
        lender=lender,
        borrower=borrower,
        tokens=tokens,
        minter=deployer_address,
    )


def test_loan_terms_encode_seven_or_nine_fields(tokens):
    seven = loan_terms(tokens).encode()
    nine = loan_terms(tokens, min_collateral_per_principal=3 * 10**6, maintenance_ratio=12_000).encode()
    assert len(seven) == 224, "both optional fields 0: the original encoding"
    assert len(nine) == 288 and nine[:224] == seven
    assert (int.from_bytes(nine[224:256], "big"), int.from_bytes(nine[256:], "big")) == (3 * 10**6, 12_000)
    only_ratio = loan_terms(tokens, interest_rate=0, min_collateral_per_principal=0, maintenance_ratio=1).encode()
    assert len(only_ratio) == 288


def test_the_records_carry_the_new_terms(loans):
    fund_parties(loans)
    fund_parties(loans)  # two loans
    plain = create(loans)
    with_ratio = create(loans, maintenance_ratio=12_000)

    assert (
        loans.taker.issuance(plain).maintenance_ratio,
        loans.taker.issuance(plain).min_collateral_per_principal,
    ) == (
        0,
        0,
    )
    assert loans.taker.issuance(with_ratio).maintenance_ratio == 12_000
    with pytest.raises(errors.LoanInvalidMaintenanceRatio) as too_high:
        create(loans, maintenance_ratio=RATIO)
    assert too_high.value.arguments == {"maintenanceRatio": RATIO, "collateralRatio": RATIO}


@pytest.mark.parametrize(
    ("options", "min_principal", "max_collateral"),
    [
        ({}, PRINCIPAL, COLLATERAL),
        ({"tolerance_bps": 200}, PRINCIPAL, COLLATERAL * 102 // 100),
        ({"max_collateral": 400 * TKB, "min_principal_received": 1}, 1, 400 * TKB),
    ],
    ids=["the quote", "plus the tolerance", "explicit"],
)
def test_a_borrower_sends_its_bounds_from_the_quote(lending, options, min_principal, max_collateral):
    fund_parties(lending)
    issuance_id = create(lending)

    lending.borrower.engage_loan(issuance_id, **options)

    assert (
        last_taker_data(lending.borrower)
        == LendingTakerTerms(min_principal_received=min_principal, max_collateral=max_collateral).encode()
    )
    assert holdings(lending.borrower, lending.tokens, issuance_id) == ((REPAYMENT, 0), (0, COLLATERAL))


def test_a_borrower_refuses_a_price_that_moved_against_it(w3, lending, oracle):
    fund_parties(lending)
    issuance_id = create(lending)
    quoted = lending.borrower.collateral_for(issuance_id)
    set_tka_price(w3, oracle, lending.tokens, 2.02, lending.minter)  # +1%: 303 TKB of collateral now

    with pytest.raises(errors.LoanCollateralAboveLimit) as above:
        lending.borrower.engage_loan(issuance_id, max_collateral=quoted)
    assert above.value.arguments == {"collateral": 303 * TKB, "maximum": COLLATERAL}
    set_tka_price(w3, oracle, lending.tokens, 2, lending.minter)
    with pytest.raises(errors.ManagerCreditBelowMinimum) as short:  # more principal than the loan has
        lending.borrower.engage_loan(issuance_id, min_principal_received=PRINCIPAL + 1)
    assert (short.value.token, short.value.credited, short.value.minimum) == (
        lending.tokens[0].address,
        PRINCIPAL,
        PRINCIPAL + 1,
    )
    assert lending.maker.issuance(issuance_id).state is LoanState.ENGAGEABLE


def test_the_lenders_price_bound_at_creation(w3, lending, borrowing, oracle):
    fund_parties(lending)
    per_principal = 3 * 10**6  # 3 TKB (6 decimals) per TKA (18 decimals), scaled by 1e18: 300 TKB for 100 TKA
    issuance_id = create(lending, min_collateral_per_principal=per_principal)
    assert lending.borrower.issuance(issuance_id).min_collateral_per_principal == per_principal
    set_tka_price(w3, oracle, lending.tokens, 1.98, lending.minter)  # 297 TKB of collateral now

    with pytest.raises(errors.LoanCollateralBelowBound) as below:
        lending.borrower.engage_loan(issuance_id)
    assert below.value.arguments == {"collateral": 297 * TKB, "minimum": COLLATERAL}
    set_tka_price(w3, oracle, lending.tokens, 2, lending.minter)
    lending.borrower.engage_loan(issuance_id)
    assert lending.maker.issuance(issuance_id).state is LoanState.ENGAGED

    with pytest.raises(errors.LoanPriceBoundNotMakers):  # in Borrowing the lender bounds at engage
        create(borrowing, min_collateral_per_principal=per_principal)


@pytest.mark.parametrize(
    ("options", "minimum"),
    [
        ({}, COLLATERAL),
        ({"tolerance_bps": 100}, COLLATERAL * 99 // 100),
        ({"min_collateral_per_principal": 2 * 10**6}, 200 * TKB),
        ({"min_collateral_held": 5}, 5),
    ],
    ids=["what it holds", "less the tolerance", "a price bound", "explicit"],
)
def test_a_lender_sends_its_bound_on_the_collateral_held(borrowing, options, minimum):
    fund_parties(borrowing)
    issuance_id = create(borrowing)
    assert borrowing.lender.collateral_held(issuance_id) == COLLATERAL

    borrowing.lender.engage_loan(issuance_id, **options)

    assert last_taker_data(borrowing.lender) == BorrowingTakerTerms(min_collateral_held=minimum).encode()
    assert borrowing.maker.issuance(issuance_id).state is LoanState.ENGAGED


def test_a_lender_refuses_collateral_that_no_longer_covers_the_loan(w3, borrowing, oracle):
    fund_parties(borrowing)
    issuance_id = create(borrowing)

    with pytest.raises(errors.LoanCollateralBelowBound) as below:
        borrowing.lender.engage_loan(issuance_id, min_collateral_per_principal=3_010_000)  # 301 TKB
    assert below.value.arguments == {"collateral": COLLATERAL, "minimum": 301 * TKB}
    set_tka_price(w3, oracle, borrowing.tokens, 2.5, borrowing.minter)
    with pytest.raises(errors.LoanUndercollateralised) as short:
        borrowing.lender.engage_loan(issuance_id)
    assert short.value.arguments == {"held": COLLATERAL, "required": 375 * TKB}
    assert borrowing.maker.issuance(issuance_id).state is LoanState.ENGAGEABLE


def test_a_margin_call_defaults_a_loan_below_its_maintenance_ratio(w3, loans, oracle, provider_client):
    fund_parties(loans)
    issuance_id = create(loans, maintenance_ratio=12_000)
    anyone = provider_client.domain(loans.maker.domain_id)
    assert anyone.is_margin_callable(issuance_id) is False  # not engaged
    with pytest.raises(errors.InstrumentUnknownEngagement):
        anyone.margin_call(issuance_id)
    loans.taker.engage_loan(issuance_id)

    # 105 TKA owed at 2 TKB, at 120%: 252 TKB; 300 TKB are held
    assert (anyone.collateral_held(issuance_id), anyone.margin_requirement(issuance_id)) == (COLLATERAL, 252 * TKB)
    assert anyone.is_margin_callable(issuance_id) is False
    anyone.margin_call(issuance_id)  # early: changes nothing
    assert loans.maker.issuance(issuance_id).state is LoanState.ENGAGED

    set_tka_price(w3, oracle, loans.tokens, 2.5, loans.minter)  # 105 TKA at 2.5 TKB, 120%: 315 TKB
    assert anyone.margin_requirement(issuance_id) == 315 * TKB
    assert anyone.is_margin_callable(issuance_id) is True
    receipt = anyone.margin_call(issuance_id)

    (called,) = anyone.instrument.events.LoanMarginCalled().process_receipt(receipt, errors=DISCARD)
    assert (called.args.issuanceId, called.args.held, called.args.required) == (issuance_id, COLLATERAL, 315 * TKB)
    assert loans.maker.issuance(issuance_id).state is LoanState.DEFAULTED
    assert holdings(loans.lender, loans.tokens, issuance_id) == ((0, COLLATERAL), (0, 0))
    assert anyone.is_margin_callable(issuance_id) is False
    anyone.margin_call(issuance_id)  # repeated: changes nothing
    assert holdings(loans.lender, loans.tokens, issuance_id) == ((0, COLLATERAL), (0, 0))


def test_a_loan_without_maintenance_ratio_is_never_margin_called(w3, loans, oracle):
    fund_parties(loans)
    issuance_id = create(loans)
    loans.taker.engage_loan(issuance_id)
    set_tka_price(w3, oracle, loans.tokens, 100, loans.minter)

    assert (loans.lender.margin_requirement(issuance_id), loans.lender.is_margin_callable(issuance_id)) == (0, False)
    loans.lender.margin_call(issuance_id)
    assert loans.maker.issuance(issuance_id).state is LoanState.ENGAGED
