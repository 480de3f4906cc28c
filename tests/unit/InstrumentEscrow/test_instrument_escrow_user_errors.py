"""Bad calls of the Instrument Escrow's user functions: each reverts with its exact custom error and
changes nothing."""

import pytest
from brownie import FeeOnTransferToken

from escrow_support import MAKER_ETH, MAKER_TOKENS, reverts_unchanged
from support import ETH

ZERO_AMOUNT = {
    "deposit": lambda e, p, t: e.deposit({"from": p, "value": 0}),
    "withdraw": lambda e, p, t: e.withdraw(0, {"from": p}),
    "depositToken": lambda e, p, t: e.depositToken(t, 0, {"from": p}),
    "withdrawToken": lambda e, p, t: e.withdrawToken(t, 0, {"from": p}),
}

TOKEN_CALLS = {
    "depositToken": lambda e, p, t: e.depositToken(t, 5, {"from": p}),
    "withdrawToken": lambda e, p, t: e.withdrawToken(t, 5, {"from": p}),
}


def _cases(table):
    return [pytest.param(call, id=name) for name, call in table.items()]


@pytest.mark.parametrize("call", _cases(ZERO_AMOUNT))
def test_a_zero_amount_reverts_with_escrow_zero_amount(maker_funded, maker, token, snapshot, call):
    token.approve(maker_funded, 5, {"from": maker})
    with reverts_unchanged(snapshot, "EscrowZeroAmount"):
        call(maker_funded, maker, token)


@pytest.mark.parametrize("call", _cases(TOKEN_CALLS))
def test_a_token_address_without_code_reverts_with_escrow_token_not_contract(
    maker_funded, maker, stranger, snapshot, call
):
    with reverts_unchanged(snapshot, "EscrowTokenNotContract", stranger):
        call(maker_funded, maker, stranger)


@pytest.mark.parametrize("call", _cases(TOKEN_CALLS))
def test_the_eth_constant_given_to_a_token_function_reverts_with_escrow_eth_is_not_a_token(
    maker_funded, maker, snapshot, call
):
    with reverts_unchanged(snapshot, "EscrowEthIsNotAToken"):
        call(maker_funded, maker, ETH)
    assert maker_funded.getBalance(maker) == MAKER_ETH


def test_withdrawing_more_eth_than_booked_reverts_with_escrow_insufficient_balance(maker_funded, maker, snapshot):
    with reverts_unchanged(snapshot, "EscrowInsufficientBalance", maker, ETH, MAKER_ETH, MAKER_ETH + 1):
        maker_funded.withdraw(MAKER_ETH + 1, {"from": maker})


def test_withdrawing_more_tokens_than_booked_reverts_with_escrow_insufficient_balance(
    maker_funded, maker, token, snapshot
):
    with reverts_unchanged(snapshot, "EscrowInsufficientBalance", maker, token, MAKER_TOKENS, MAKER_TOKENS + 1):
        maker_funded.withdrawToken(token, MAKER_TOKENS + 1, {"from": maker})


def test_deposit_token_without_approval_reverts_in_the_token(instrument_escrow, maker, token, snapshot):
    token.approve(instrument_escrow, 0, {"from": maker})
    with reverts_unchanged(snapshot, "ERC20InsufficientAllowance", instrument_escrow, 0, 5):
        instrument_escrow.depositToken(token, 5, {"from": maker})


def test_deposit_token_reverts_when_nothing_arrives(instrument_escrow, deployer, maker, snapshot):
    burner = FeeOnTransferToken.deploy(10_000, {"from": deployer})
    burner.mint(maker, 100, {"from": deployer})
    burner.approve(instrument_escrow, 100, {"from": maker})

    with reverts_unchanged(snapshot, "EscrowZeroAmount"):
        instrument_escrow.depositToken(burner, 100, {"from": maker})

    assert burner.balanceOf(maker) == 100
    assert instrument_escrow.getTokenBalance(maker, burner) == 0
