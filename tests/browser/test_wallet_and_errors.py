"""The wallet in the browser: discovery and connect, a wallet on another chain (the switch
prompt), a user rejection, an account switch, and a revert shown as its decoded custom error
(the same error the Python client decodes)."""

import pytest
from brownie import web3
from playwright.sync_api import expect

from nuts_escrow import NATIVE_ETH
from nuts_escrow.errors import decode_revert

MAINNET = 1


def test_the_app_finds_the_wallet_and_connects_on_request(dapp, maker):
    app = dapp(maker)
    expect(app.by("connect")).to_be_visible()
    assert app.page.evaluate("() => window.testWallet.requestsOf('eth_requestAccounts').length") == 0

    app.connect()

    assert app.page.evaluate("() => window.testWallet.requestsOf('eth_requestAccounts').length") == 1
    expect(app.by("wrong-network")).to_have_count(0)


def test_a_wallet_on_another_chain_is_asked_to_switch(dapp, system, maker):
    app = dapp(maker, chain_id=MAINNET).connect("#/swap/account")
    expect(app.by("wrong-network")).to_be_visible()
    app.fill(token=NATIVE_ETH, amount="1").transact("deposit", count=0, state="failed")
    expect(app.by("tx-status")).to_contain_text("another network")

    app.by("switch-network").click()

    expect(app.by("wrong-network")).to_have_count(0)
    switches = app.page.evaluate("() => window.testWallet.requestsOf('wallet_switchEthereumChain')")
    assert [request["params"][0]["chainId"] for request in switches] == [hex(system.chain_id)]
    app.go("#/swap/account").fill(token=NATIVE_ETH, amount="1").transact("deposit")
    assert system.escrow_balance(maker, "swap", NATIVE_ETH) == 10**18


def test_a_rejected_transaction_is_shown_as_rejected_and_nothing_is_sent(dapp, system, maker):
    app = dapp(maker).connect("#/swap/account")
    nonce = web3.eth.get_transaction_count(maker.address)
    app.reject_next("eth_sendTransaction")

    app.fill(token=NATIVE_ETH, amount="1").transact("deposit", state="rejected")

    expect(app.by("tx-status")).to_contain_text("rejected")
    expect(app.by("page-error")).to_have_count(0)
    assert web3.eth.get_transaction_count(maker.address) == nonce
    assert system.escrow_balance(maker, "swap", NATIVE_ETH) == 0


def test_a_revert_is_shown_as_the_decoded_custom_error(dapp, system, maker):
    escrow = system.domain(maker, "swap").instrument_escrow
    with pytest.raises(ValueError) as call_error:  # brownie's web3 raises the node's error as it is
        escrow.functions.withdraw(10**18).call({"from": maker.address})
    client_error = decode_revert(call_error.value.args[0]["data"])
    app = dapp(maker).connect("#/swap/account")

    app.fill(token=NATIVE_ETH, amount="1").transact("withdraw", count=0, state="failed")

    status = app.by("tx-status")
    expect(status).to_contain_text(f"{type(client_error).__name__}:")
    # The error's sentence with its arguments, the token named by its symbol.
    assert (client_error.account, client_error.token, client_error.balance) == (maker.address, NATIVE_ETH, 0)
    expect(status).to_contain_text(f"{maker.address} holds 0 of ETH here, less than the {client_error.needed} amount")
    assert type(client_error).__name__ == "EscrowInsufficientBalance"


def test_an_account_switch_shows_the_new_account_and_its_balances(dapp, system, maker, taker):
    system.domain(maker, "swap").deposit_eth(2 * 10**18)
    app = dapp(maker).connect("#/swap/account")
    expect(app.by("escrow-ETH")).to_have_text("2")

    app.switch_account(taker.address)

    expect(app.by("account")).to_have_text(taker.address, ignore_case=True)
    expect(app.by("escrow-ETH")).to_have_text("0")
    app.fill(token=NATIVE_ETH, amount="0.25").transact("deposit")
    assert app.sent()[-1]["from"].lower() == taker.address.lower()
    assert system.escrow_balance(taker, "swap", NATIVE_ETH) == 25 * 10**16
    assert system.escrow_balance(maker, "swap", NATIVE_ETH) == 2 * 10**18


def test_a_rejected_connection_leaves_the_app_usable(dapp, maker):
    app = dapp(maker)
    app.reject_next("eth_requestAccounts")

    app.by("connect").click()

    app.page.wait_for_function("() => window.testWallet.requestsOf('eth_requestAccounts').length === 1")
    expect(app.by("connect")).to_be_visible()
    expect(app.by("account")).to_have_count(0)
    expect(app.by("page-error")).to_have_count(0)
    app.connect("#/swap/account")
    expect(app.by("escrow-ETH")).to_have_text("0")
