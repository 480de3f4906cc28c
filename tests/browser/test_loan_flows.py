"""Lending and Borrowing in the browser, maker and taker in two pages: create from the form, engage
from the marketplace with the taker data the Python client computes from the quote, the
dashboard's balances and what each party is owed and owes, repay, the default at the engagement
due time and a margin call; each checked on the chain.

Each test runs once per loan instrument: in Lending the maker lends, in Borrowing it borrows.
Principal is TKA, collateral TKB; the oracle values one TKA at 2 TKB (the demo's rate, conftest's `system`).
"""

from types import SimpleNamespace

import pytest
from brownie import chain
from playwright.sync_api import expect

from nuts_escrow import BorrowingTakerTerms, LendingTakerTerms, LoanState, LoanTerms

TKA = 10**18
TKB = 10**6
HOUR = 3600
DAY = 24 * HOUR
PRINCIPAL = 100 * TKA
RATIO = 15_000  # 150%
COLLATERAL = 300 * TKB  # 100 TKA = 200 TKB, at 150%
INTEREST_RATE = 500  # 5% for the tenor
REPAYMENT = 105 * TKA
MAINTENANCE_RATIO = 12_000  # 120%


@pytest.fixture(params=["lending", "borrowing"])
def loan(request, system, maker, taker):
    """One loan instrument: its route name, the maker's and the taker's client domains, who of
    them lends and who borrows (brownie accounts), the lender funded with the principal and the
    borrower with the collateral and the interest in the domain's Instrument Escrow."""
    instrument = request.param
    makers, takers = system.domain(maker, instrument), system.domain(taker, instrument)
    lender, borrower = (maker, taker) if makers.maker_is_lender else (taker, maker)
    system.domain(lender, instrument).deposit_token(system.tka.address, PRINCIPAL)
    system.domain(borrower, instrument).deposit_token(system.tkb.address, COLLATERAL)
    system.domain(borrower, instrument).deposit_token(system.tka.address, REPAYMENT - PRINCIPAL)
    return SimpleNamespace(
        instrument=instrument, maker=makers, taker=takers, lender=lender, borrower=borrower, system=system
    )


def holdings(loan, account):
    """`account`'s Instrument Escrow balances of (TKA, TKB) in the loan's domain."""
    tokens = (loan.system.tka.address, loan.system.tkb.address)
    return tuple(loan.system.escrow_balance(account, loan.instrument, token) for token in tokens)


def create_by_client(loan, tenor=30 * DAY, **options):
    terms = LoanTerms(
        duration=DAY,
        principal_token=loan.system.tka.address,
        principal_amount=PRINCIPAL,
        collateral_token=loan.system.tkb.address,
        collateral_ratio=RATIO,
        tenor=tenor,
        interest_rate=INTEREST_RATE,
        **options,
    )
    return loan.maker.create_loan(terms)


def test_create_engage_dashboard_and_repay(dapp, loan, maker, taker):
    route = loan.instrument
    maker_page = dapp(maker).connect(f"#/{route}/create")
    maker_page.fill(
        **{
            "principal-token": loan.system.tka.address,
            "principal-amount": "100",
            "collateral-token": loan.system.tkb.address,
            "collateral-ratio": "150",
            "maintenance-ratio": "0",
            "tenor-hours": "720",
            "interest-rate": "5",
            "duration-hours": "24",
        }
    ).transact("submit")

    created = loan.maker.issuance(1)
    assert (created.state, created.maker, created.principal_amount, created.collateral_ratio) == (
        LoanState.ENGAGEABLE,
        maker.address,
        PRINCIPAL,
        RATIO,
    )
    assert (created.tenor, created.interest_rate, created.maintenance_ratio) == (30 * DAY, INTEREST_RATE, 0)
    assert created.issuance_due_time == chain[-1].timestamp + DAY

    taker_page = dapp(taker).connect(f"#/{route}/market")
    expect(taker_page.by("issuance-1")).to_contain_text("100 TKA against TKB at 150%")
    expected_take = (
        LendingTakerTerms(min_principal_received=PRINCIPAL, max_collateral=loan.taker.collateral_for(1)).encode()
        if loan.maker.maker_is_lender
        else BorrowingTakerTerms(min_collateral_held=loan.taker.collateral_held(1)).encode()
    )
    taker_page.transact("engage-1")

    function, arguments = loan.taker.manager.decode_function_input(taker_page.sent()[-1]["data"])
    assert (function.fn_name, arguments["takerData"]) == ("engageIssuance", expected_take)
    engaged = loan.maker.issuance(1)
    assert (engaged.state, engaged.lender, engaged.borrower) == (
        LoanState.ENGAGED,
        loan.lender.address,
        loan.borrower.address,
    )
    assert holdings(loan, loan.borrower) == (REPAYMENT, 0)
    assert holdings(loan, loan.lender) == (0, 0)

    borrower_page, lender_page = (taker_page, maker_page) if loan.maker.maker_is_lender else (maker_page, taker_page)
    borrower_page.go("#/")
    expect(borrower_page.by(f"owes-{route}-1")).to_contain_text("105 TKA")
    expect(borrower_page.by(f"dashboard-{route}-TKA")).to_have_text("105")
    lender_page.go("#/")
    expect(lender_page.by(f"owed-{route}-1")).to_contain_text("105 TKA")
    expect(lender_page.by("owes")).not_to_contain_text("TKA")

    borrower_page.go(f"#/{route}/positions").transact("repay-1")

    expect(borrower_page.by("state-1")).to_have_text("repaid")
    assert loan.maker.issuance(1).state == LoanState.REPAID
    assert holdings(loan, loan.lender) == (REPAYMENT, 0)
    assert holdings(loan, loan.borrower) == (0, COLLATERAL)


def test_an_unpaid_loan_defaults_at_the_engagement_due_time(dapp, loan):
    create_by_client(loan, tenor=DAY)
    loan.taker.engage_loan(1)
    page = dapp(loan.lender).connect(f"#/{loan.instrument}/positions")
    expect(page.by("state-1")).to_have_text("engaged")
    expect(page.by("engagement-due-1")).to_have_count(0)

    chain.sleep(DAY)
    chain.mine()
    page.go(f"#/{loan.instrument}/positions").transact("engagement-due-1")

    expect(page.by("state-1")).to_have_text("defaulted")
    assert loan.maker.issuance(1).state == LoanState.DEFAULTED
    assert holdings(loan, loan.lender) == (0, COLLATERAL)


def test_a_margin_call_defaults_an_undercollateralised_loan(dapp, loan, deployer):
    create_by_client(loan, maintenance_ratio=MAINTENANCE_RATIO)
    loan.taker.engage_loan(1)
    page = dapp(loan.lender).connect(f"#/{loan.instrument}/positions")
    expect(page.by("state-1")).to_have_text("engaged")
    expect(page.by("margin-call-1")).to_have_count(0)

    # One TKA now worth 2.6 TKB: 300 TKB hold 110% of the 105 TKA owed, under the 120% maintenance.
    loan.system.oracle.setRate(loan.system.tka, loan.system.tkb, 26 * TKB // 10, TKA, {"from": deployer})
    assert loan.maker.is_margin_callable(1)
    page.go(f"#/{loan.instrument}/positions").transact("margin-call-1")

    expect(page.by("state-1")).to_have_text("defaulted")
    assert loan.maker.issuance(1).state == LoanState.DEFAULTED
    assert holdings(loan, loan.lender) == (0, COLLATERAL)
