"""The Account and History pages of each instrument in the browser: deposits and withdrawals of
ETH and tokens into the domain's Instrument Escrow (the approval only when the allowance is
short), a pasted token, and the history those moves leave; each checked on the chain with the
Python client as well as on the page."""

import pytest
from brownie import MockERC20
from playwright.sync_api import expect

from nuts_escrow import NATIVE_ETH


@pytest.mark.parametrize("instrument", ["swap", "multiswap", "lending", "borrowing"])
def test_deposit_and_withdraw_eth_and_a_token(dapp, system, maker, instrument):
    app = dapp(maker).connect(f"#/{instrument}/account")
    expect(app.by("escrow-ETH")).to_have_text("0")

    app.fill(token=NATIVE_ETH, amount="1.5").transact("deposit")
    expect(app.by("escrow-ETH")).to_have_text("1.5")
    assert system.escrow_balance(maker, instrument, NATIVE_ETH) == 15 * 10**17
    app.fill(token=NATIVE_ETH, amount="0.5").transact("withdraw")
    expect(app.by("escrow-ETH")).to_have_text("1")
    assert system.escrow_balance(maker, instrument, NATIVE_ETH) == 10**18

    # TKB (6 decimals): no allowance yet, so the approval comes first, for the amount deposited.
    app.fill(token=system.tkb.address, amount="250.25").transact("deposit", count=2)
    expect(app.by("escrow-TKB")).to_have_text("250.25")
    approval, deposit = app.sent()[-2:]
    assert approval["to"].lower() == system.tkb.address.lower()
    assert deposit["to"].lower() == system.domain(maker, instrument).instrument_escrow.address.lower()
    assert system.escrow_balance(maker, instrument, system.tkb.address) == 250_250_000
    app.fill(token=system.tkb.address, amount="50").transact("withdraw")
    expect(app.by("escrow-TKB")).to_have_text("200.25")
    assert system.escrow_balance(maker, instrument, system.tkb.address) == 200_250_000
    assert system.tkb.balanceOf(maker) == 1_000_000 * 10**6 - 200_250_000

    # The dashboard shows the balances in this domain's escrow, none in the others'.
    app.go("#/")
    expect(app.by(f"dashboard-{instrument}-ETH")).to_have_text("1")
    expect(app.by(f"dashboard-{instrument}-TKB")).to_have_text("200.25")
    for other in {"swap", "multiswap", "lending", "borrowing"} - {instrument}:
        expect(app.by(f"dashboard-{other}-TKB")).to_have_text("0")

    # The history lists the four moves, newest first.
    app.go(f"#/{instrument}/history")
    rows = app.by("history-row")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("Withdrawn")
    expect(rows.nth(0)).to_contain_text("50 TKB")
    expect(rows.nth(3)).to_contain_text("Deposited")
    expect(rows.nth(3)).to_contain_text("1.5 ETH")


def test_a_deposit_within_the_allowance_sends_no_approval(dapp, system, maker):
    escrow = system.deployment.domains["Swap"].instrument_escrow
    system.tka.approve(escrow, 10 * 10**18, {"from": maker})
    app = dapp(maker).connect("#/swap/account")

    app.fill(token=system.tka.address, amount="10").transact("deposit", count=1)

    expect(app.by("escrow-TKA")).to_have_text("10")
    assert app.sent()[-1]["to"].lower() == escrow.lower()
    assert system.tka.allowance(maker, escrow) == 0
    assert system.escrow_balance(maker, "swap", system.tka.address) == 10 * 10**18


def test_a_pasted_token_is_listed_with_its_symbol_and_decimals(dapp, system, deployer, maker):
    pasted = MockERC20.deploy("Pasted", "PST", 8, {"from": deployer})
    pasted.mint(maker, 12_345 * 10**8, {"from": deployer})
    app = dapp(maker).connect("#/lending/account")
    expect(app.by("balance-PST")).to_have_count(0)

    app.fill(**{"token-address": pasted.address})
    app.by("add-token").click()

    expect(app.by("wallet-PST")).to_have_text("12345")
    app.fill(token=pasted.address, amount="0.00000001").transact("deposit", count=2)
    expect(app.by("escrow-PST")).to_have_text("0.00000001")
    assert system.escrow_balance(maker, "lending", pasted.address) == 1
