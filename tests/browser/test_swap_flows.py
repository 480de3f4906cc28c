"""Swap and MultiSwap in the browser, maker and taker in two pages: create from the form, engage
from the marketplace with the minimum from the quote (the same taker data the Python client
sends), a cancel from positions (test_positions.py has cancel and close at due for every
instrument); each checked on the chain."""

from brownie import chain
from playwright.sync_api import expect

from nuts_escrow import MultiSwapFillTerms, MultiSwapState, SwapState, SwapTakerTerms, SwapTerms
from nuts_escrow.terms import lowered

TKA = 10**18  # one whole TKA (18 decimals)
TKB = 10**6  # one whole TKB (6 decimals)
HOUR = 3600


def taker_data_sent(app, domain):
    """The taker data of the last engageIssuance the app had the wallet send."""
    function, arguments = domain.manager.decode_function_input(app.sent()[-1]["data"])
    assert function.fn_name == "engageIssuance"
    return arguments["takerData"]


def test_swap_create_engage_and_positions(dapp, system, maker, taker):
    maker_swap, taker_swap = system.domain(maker, "swap"), system.domain(taker, "swap")
    maker_swap.deposit_token(system.tka.address, 100 * TKA)
    taker_swap.deposit_token(system.tkb.address, 150 * TKB)
    maker_page = dapp(maker).connect("#/swap/create")
    taker_page = dapp(taker).connect("#/swap/market")
    expect(taker_page.by("issuance-1")).to_have_count(0)

    maker_page.fill(
        **{
            "input-token": system.tka.address,
            "input-amount": "100",
            "output-token": system.tkb.address,
            "output-amount": "150",
            "duration-hours": "24",
        }
    ).transact("submit")

    offer = maker_swap.issuance(1)
    assert (offer.state, offer.maker, offer.input_amount, offer.output_amount) == (
        SwapState.ENGAGEABLE,
        maker.address,
        100 * TKA,
        150 * TKB,
    )
    assert offer.due_time == chain[-1].timestamp + 24 * HOUR
    assert system.escrow_balance(maker, "swap", system.tka.address) == 0

    taker_page.go("#/swap/market")
    expect(taker_page.by("issuance-1")).to_contain_text("100 TKA for 150 TKB")
    taker_page.transact("engage-1")

    assert taker_data_sent(taker_page, taker_swap) == SwapTakerTerms(min_input_received=100 * TKA).encode()
    assert maker_swap.issuance(1).state == SwapState.COMPLETE_ENGAGED
    assert system.escrow_balance(taker, "swap", system.tka.address) == 100 * TKA
    assert system.escrow_balance(maker, "swap", system.tkb.address) == 150 * TKB
    expect(taker_page.by("issuance-1")).to_have_count(0)
    maker_page.go("#/swap/positions")
    expect(maker_page.by("state-1")).to_have_text("complete (engaged)")


def test_multiswap_partial_fill_with_the_quote_then_cancel(dapp, system, maker, taker):
    maker_multi, taker_multi = system.domain(maker, "multiswap"), system.domain(taker, "multiswap")
    maker_multi.deposit_token(system.tka.address, 90 * TKA)
    taker_multi.deposit_token(system.tkb.address, 100 * TKB)
    maker_page = dapp(maker).connect("#/multiswap/create")

    maker_page.fill(
        **{
            "input-token": system.tka.address,
            "input-amount": "90",
            "output-token": system.tkb.address,
            "output-amount": "60",
            "min-fill": "10",
            "max-fill": "30",
            "duration-hours": "48",
        }
    ).transact("submit")

    offer = maker_multi.issuance(1)
    assert (offer.state, offer.input_amount, offer.output_amount) == (MultiSwapState.ENGAGEABLE, 90 * TKA, 60 * TKB)
    assert (offer.min_fill_output, offer.max_fill_output, offer.remaining_output) == (10 * TKB, 30 * TKB, 60 * TKB)

    taker_page = dapp(taker).connect("#/multiswap/market")
    quote = taker_multi.quote_fill(1, 20 * TKB)
    taker_page.fill(**{"fill-1": "20"}).transact("engage-1")

    assert (
        taker_data_sent(taker_page, taker_multi)
        == MultiSwapFillTerms(fill_output=20 * TKB, min_input_received=quote).encode()
    )
    assert quote == 30 * TKA
    assert system.escrow_balance(taker, "multiswap", system.tka.address) == 30 * TKA
    assert system.escrow_balance(taker, "multiswap", system.tkb.address) == 80 * TKB
    assert maker_multi.issuance(1).remaining_output == 40 * TKB
    expect(taker_page.by("issuance-1")).to_contain_text("40 TKB left")

    maker_page.go("#/multiswap/positions").transact("cancel-1")

    expect(maker_page.by("state-1")).to_have_text("cancelled")
    assert maker_multi.issuance(1).state == MultiSwapState.CANCELLED
    assert system.escrow_balance(maker, "multiswap", system.tka.address) == 60 * TKA
    assert system.escrow_balance(maker, "multiswap", system.tkb.address) == 20 * TKB


def test_create_checks_the_domains_bounds_before_sending(dapp, system, deployer, maker):
    system.domain(deployer, "swap").set_bounds(HOUR, 48 * HOUR)
    system.domain(maker, "swap").deposit_token(system.tka.address, 10 * TKA)
    app = dapp(maker).connect("#/swap/create")
    expect(app.by("bounds")).to_contain_text("open 1 h to 2 d")
    terms = {
        "input-token": system.tka.address,
        "input-amount": "10",
        "output-token": system.tkb.address,
        "output-amount": "5",
    }

    app.fill(**terms, **{"duration-hours": "72"})
    app.by("submit").click()

    expect(app.by("notice")).to_contain_text("within 1 h and 2 d")
    assert app.sends() == 0
    assert system.domain(maker, "swap").issuance_count() == 0
    app.fill(**{"duration-hours": "48"}).transact("submit")
    assert system.domain(maker, "swap").issuance(1).due_time == chain[-1].timestamp + 48 * HOUR


def test_engaging_with_a_tolerance_lowers_the_minimum_by_it(dapp, system, maker, taker):
    system.domain(maker, "swap").deposit_token(system.tka.address, 100 * TKA)
    system.domain(maker, "swap").create_swap(
        SwapTerms(
            input_token=system.tka.address,
            input_amount=100 * TKA,
            output_token=system.tkb.address,
            output_amount=10 * TKB,
            duration=HOUR,
        )
    )
    taker_swap = system.domain(taker, "swap")
    taker_swap.deposit_token(system.tkb.address, 10 * TKB)
    app = dapp(taker).connect("#/swap/market")

    app.fill(tolerance="2.5").transact("engage-1")

    assert taker_data_sent(app, taker_swap) == SwapTakerTerms(min_input_received=lowered(100 * TKA, 250)).encode()
    assert taker_swap.issuance(1).state == SwapState.COMPLETE_ENGAGED
