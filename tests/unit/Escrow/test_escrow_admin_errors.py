"""Bad calls of the shared escrow functions, on each kind: each reverts with its exact custom error
and changes nothing (ledger, the escrow's holdings, every party's tokens and ETH)."""

import pytest
from brownie import ZERO_ADDRESS, FeeOnTransferToken

from escrow_support import MAKER_ETH, MAKER_OTHER, MAKER_TOKENS, reverts_unchanged
from support import ETH, reverts

# A valid call of each admin function for a `funded` escrow, as (escrow, parties, sender) -> tx.
ADMIN_CALLS = {
    "depositByAdmin": lambda e, p, s: e.depositByAdmin(p.maker, {"from": s, "value": 5}),
    "depositTokenByAdmin": lambda e, p, s: e.depositTokenByAdmin(p.maker, p.token, 5, {"from": s}),
    "withdrawByAdmin": lambda e, p, s: e.withdrawByAdmin(p.maker, 5, {"from": s}),
    "withdrawTokenByAdmin": lambda e, p, s: e.withdrawTokenByAdmin(p.maker, p.token, 5, {"from": s}),
    "sendTokenByAdmin": lambda e, p, s: e.sendTokenByAdmin(p.maker, p.token, 5, s, {"from": s}),
    # The source is the escrow itself: none of the refusals here gets as far as the admin's callback.
    "receiveTokenByAdmin": lambda e, p, s: e.receiveTokenByAdmin(p.maker, p.token, 5, e, p.maker, {"from": s}),
    "transferByAdmin": lambda e, p, s: e.transferByAdmin(p.maker, s, p.token, 5, {"from": s}),
}


def _cases(table):
    return [pytest.param(call, id=name) for name, call in table.items()]


def test_every_admin_function_of_the_abi_is_checked(escrow):
    by_admin = {item["name"] for item in escrow.abi if item.get("name", "").endswith("ByAdmin")}
    assert by_admin == set(ADMIN_CALLS)


@pytest.mark.parametrize("call", _cases(ADMIN_CALLS))
@pytest.mark.parametrize("caller", ["maker", "stranger"])
def test_admin_functions_refuse_anyone_but_the_admin(funded, parties, snapshot, admin, call, caller):
    caller = getattr(parties, caller)
    parties.token.approve(funded, 5, {"from": caller})
    with reverts_unchanged(snapshot, "EscrowUnauthorized", caller, admin):
        call(funded, parties, caller)


# `receiveTokenByAdmin` calls its admin back, which the `admin` account (no code) cannot answer:
# test_escrow_admin.py has it succeed for an admin contract (EscrowAdminMock).
@pytest.mark.parametrize("call", _cases({k: v for k, v in ADMIN_CALLS.items() if k != "receiveTokenByAdmin"}))
def test_the_valid_calls_of_the_refusal_tests_succeed_for_the_admin(funded, parties, snapshot, admin, call):
    before = snapshot()
    call(funded, parties, admin)
    assert snapshot() != before


def test_receive_token_by_admin_refuses_anyone_but_an_admin_contract(mock_admin, maker, stranger, token):
    source, destination = mock_admin.instrument, mock_admin.issuance
    token.mint(mock_admin.admin, 5, {"from": stranger})
    mock_admin.call(token, "approve", source, 5)
    mock_admin.call(source, "depositTokenByAdmin", maker, token, 5)
    for caller in (maker, stranger):
        with reverts("EscrowUnauthorized", caller, mock_admin.admin):
            destination.receiveTokenByAdmin(maker, token, 5, source, maker, {"from": caller})
    assert source.getTokenBalance(maker, token) == 5

    mock_admin.call(destination, "receiveTokenByAdmin", maker, token, 5, source, maker)

    assert (source.getTokenBalance(maker, token), destination.getTokenBalance(maker, token)) == (0, 5)


ZERO_AMOUNT = {
    "depositByAdmin": lambda e, p: e.depositByAdmin(p.maker, {"from": p.admin, "value": 0}),
    "depositTokenByAdmin": lambda e, p: e.depositTokenByAdmin(p.maker, p.token, 0, {"from": p.admin}),
    "withdrawByAdmin": lambda e, p: e.withdrawByAdmin(p.maker, 0, {"from": p.admin}),
    "withdrawTokenByAdmin": lambda e, p: e.withdrawTokenByAdmin(p.maker, p.token, 0, {"from": p.admin}),
    "sendTokenByAdmin": lambda e, p: e.sendTokenByAdmin(p.maker, p.token, 0, p.taker, {"from": p.admin}),
    "receiveTokenByAdmin": lambda e, p: e.receiveTokenByAdmin(p.maker, p.token, 0, e, p.taker, {"from": p.admin}),
    "transferByAdmin(token)": lambda e, p: e.transferByAdmin(p.maker, p.taker, p.token, 0, {"from": p.admin}),
    "transferByAdmin(ETH)": lambda e, p: e.transferByAdmin(p.maker, p.taker, ETH, 0, {"from": p.admin}),
}


@pytest.mark.parametrize("call", _cases(ZERO_AMOUNT))
def test_a_zero_amount_reverts_with_escrow_zero_amount(funded, parties, snapshot, call):
    with reverts_unchanged(snapshot, "EscrowZeroAmount"):
        call(funded, parties)


ZERO_ACCOUNT = {
    "depositByAdmin": lambda e, p: e.depositByAdmin(ZERO_ADDRESS, {"from": p.admin, "value": 5}),
    "depositTokenByAdmin": lambda e, p: e.depositTokenByAdmin(ZERO_ADDRESS, p.token, 5, {"from": p.admin}),
    "withdrawByAdmin": lambda e, p: e.withdrawByAdmin(ZERO_ADDRESS, 5, {"from": p.admin}),
    "withdrawTokenByAdmin": lambda e, p: e.withdrawTokenByAdmin(ZERO_ADDRESS, p.token, 5, {"from": p.admin}),
    "sendTokenByAdmin(account)": lambda e, p: e.sendTokenByAdmin(ZERO_ADDRESS, p.token, 5, p.taker, {"from": p.admin}),
    "sendTokenByAdmin(recipient)": lambda e, p: e.sendTokenByAdmin(
        p.maker, p.token, 5, ZERO_ADDRESS, {"from": p.admin}
    ),
    "receiveTokenByAdmin": lambda e, p: e.receiveTokenByAdmin(ZERO_ADDRESS, p.token, 5, e, p.taker, {"from": p.admin}),
    "transferByAdmin(from)": lambda e, p: e.transferByAdmin(ZERO_ADDRESS, p.taker, p.token, 5, {"from": p.admin}),
    "transferByAdmin(to)": lambda e, p: e.transferByAdmin(p.maker, ZERO_ADDRESS, p.token, 5, {"from": p.admin}),
    "transferByAdmin(to, ETH)": lambda e, p: e.transferByAdmin(p.maker, ZERO_ADDRESS, ETH, 5, {"from": p.admin}),
}


@pytest.mark.parametrize("call", _cases(ZERO_ACCOUNT))
def test_a_zero_account_or_recipient_reverts_with_escrow_zero_account(funded, parties, snapshot, call):
    with reverts_unchanged(snapshot, "EscrowZeroAccount"):
        call(funded, parties)


# The token functions, taking the token to use as an extra argument.
TOKEN_CALLS = {
    "depositTokenByAdmin": lambda e, p, t: e.depositTokenByAdmin(p.maker, t, 5, {"from": p.admin}),
    "withdrawTokenByAdmin": lambda e, p, t: e.withdrawTokenByAdmin(p.maker, t, 5, {"from": p.admin}),
    "sendTokenByAdmin": lambda e, p, t: e.sendTokenByAdmin(p.maker, t, 5, p.taker, {"from": p.admin}),
    "receiveTokenByAdmin": lambda e, p, t: e.receiveTokenByAdmin(p.maker, t, 5, e, p.taker, {"from": p.admin}),
}


@pytest.mark.parametrize("call", _cases(TOKEN_CALLS))
def test_a_token_address_without_code_reverts_with_escrow_token_not_contract(funded, parties, snapshot, stranger, call):
    with reverts_unchanged(snapshot, "EscrowTokenNotContract", stranger):
        call(funded, parties, stranger)
    assert funded.getTokenBalance(parties.maker, stranger) == 0


@pytest.mark.parametrize("call", _cases(TOKEN_CALLS))
def test_the_eth_constant_given_to_a_token_function_reverts_with_escrow_eth_is_not_a_token(
    funded, parties, snapshot, call
):
    with reverts_unchanged(snapshot, "EscrowEthIsNotAToken"):
        call(funded, parties, ETH)


# Calls asking for one more than the maker's `funded` balance: (call, token, balance).
TOO_MUCH = {
    "withdrawByAdmin": (lambda e, p: e.withdrawByAdmin(p.maker, MAKER_ETH + 1, {"from": p.admin}), "ETH", MAKER_ETH),
    "withdrawTokenByAdmin": (
        lambda e, p: e.withdrawTokenByAdmin(p.maker, p.token, MAKER_TOKENS + 1, {"from": p.admin}),
        "token",
        MAKER_TOKENS,
    ),
    "sendTokenByAdmin": (
        lambda e, p: e.sendTokenByAdmin(p.maker, p.other_token, MAKER_OTHER + 1, p.taker, {"from": p.admin}),
        "other_token",
        MAKER_OTHER,
    ),
    "transferByAdmin(ETH)": (
        lambda e, p: e.transferByAdmin(p.maker, p.taker, ETH, MAKER_ETH + 1, {"from": p.admin}),
        "ETH",
        MAKER_ETH,
    ),
    "transferByAdmin(token)": (
        lambda e, p: e.transferByAdmin(p.maker, p.taker, p.token, MAKER_TOKENS + 1, {"from": p.admin}),
        "token",
        MAKER_TOKENS,
    ),
}


@pytest.mark.parametrize("call, asset, balance", [pytest.param(*case, id=name) for name, case in TOO_MUCH.items()])
def test_more_than_the_balance_reverts_with_escrow_insufficient_balance(
    funded, parties, snapshot, call, asset, balance
):
    token = ETH if asset == "ETH" else getattr(parties, asset)
    with reverts_unchanged(snapshot, "EscrowInsufficientBalance", parties.maker, token, balance, balance + 1):
        call(funded, parties)


def test_an_account_with_nothing_booked_cannot_be_debited(funded, admin, taker, token, snapshot):
    with reverts_unchanged(snapshot, "EscrowInsufficientBalance", taker, token, 0, 1):
        funded.withdrawTokenByAdmin(taker, token, 1, {"from": admin})
    with reverts_unchanged(snapshot, "EscrowInsufficientBalance", taker, ETH, 0, 1):
        funded.transferByAdmin(taker, admin, ETH, 1, {"from": admin})


def test_a_balance_of_one_token_cannot_pay_for_another(funded, admin, maker, fee_token, snapshot):
    with reverts_unchanged(snapshot, "EscrowInsufficientBalance", maker, fee_token, 0, 1):
        funded.sendTokenByAdmin(maker, fee_token, 1, admin, {"from": admin})


def test_deposit_token_by_admin_needs_the_admins_approval(funded, admin, maker, token, snapshot):
    token.approve(funded, 4, {"from": admin})
    with reverts_unchanged(snapshot, "ERC20InsufficientAllowance", funded, 4, 5):
        funded.depositTokenByAdmin(maker, token, 5, {"from": admin})


def test_deposit_token_by_admin_reverts_when_nothing_arrives(escrow, deployer, admin, maker, snapshot):
    # A token that burns everything it moves delivers zero: nothing may be credited.
    burner = FeeOnTransferToken.deploy(10_000, {"from": deployer})
    burner.mint(admin, 100, {"from": deployer})
    burner.approve(escrow, 100, {"from": admin})
    before = (burner.balanceOf(admin), escrow.getTokenBalance(maker, burner))
    with reverts_unchanged(snapshot, "EscrowZeroAmount"):
        escrow.depositTokenByAdmin(maker, burner, 100, {"from": admin})
    assert (burner.balanceOf(admin), escrow.getTokenBalance(maker, burner)) == before


@pytest.mark.parametrize("sender", ["admin", "stranger"])
def test_eth_sent_straight_to_the_escrow_reverts_with_escrow_unexpected_eth(funded, parties, snapshot, sender):
    sender = getattr(parties, sender)
    with reverts_unchanged(snapshot, "EscrowUnexpectedEth", sender, 3):
        sender.transfer(funded, 3)
