"""Every deposit and withdrawal of both escrows, with every kind of odd token (`odd`): the ledger
credits what arrived, pays out exactly what it debits, and each escrow holds exactly what it books
after every step, down to zero when everything is withdrawn.

Kinds: fee-on-transfer (1% burned), no return value (USDT style), `false` instead of a revert
(succeeding here), a transfer hook calling back into the escrow, a rebasing token (not rebased
here), a token charging a fee on top (switched off here), 6 and 0 decimals.
"""

import pytest
from brownie import ZERO_ADDRESS

from hostile_support import ODD_SUPPLY, arm, assert_books_exact, assert_hook_refused


def test_users_deposit_and_withdraw_every_wei_of_an_odd_token(odd, instrument_escrow, maker, taker, stranger):
    escrow, token = instrument_escrow, odd.token
    arm(odd, escrow, escrow.withdrawTokenByAdmin.encode_input(maker, token, 1))
    accounts = [maker, taker, stranger]

    for account, amount in ((maker, 10_000), (taker, 3_333)):
        token.approve(escrow, amount, {"from": account})
        held_before = token.balanceOf(escrow)
        tx = escrow.depositToken(token, amount, {"from": account})
        assert_hook_refused(odd)
        credited = odd.arrived(amount)
        assert escrow.getTokenBalance(account, token) == credited
        assert token.balanceOf(escrow) == held_before + credited
        assert token.balanceOf(account) == ODD_SUPPLY - amount
        assert tx.events["Deposited"]["amount"] == credited
        assert_books_exact([escrow], accounts, [token])

    maker_credit = odd.arrived(10_000)
    tx = escrow.withdrawToken(token, 4_000, {"from": maker})
    assert_hook_refused(odd)
    assert tx.events["Withdrawn"]["amount"] == 4_000
    assert escrow.getTokenBalance(maker, token) == maker_credit - 4_000
    assert token.balanceOf(maker) == ODD_SUPPLY - 10_000 + odd.arrived(4_000)
    assert_books_exact([escrow], accounts, [token])

    escrow.withdrawToken(token, maker_credit - 4_000, {"from": maker})
    escrow.withdrawToken(token, odd.arrived(3_333), {"from": taker})
    assert_hook_refused(odd)
    assert token.balanceOf(maker) == ODD_SUPPLY - 10_000 + odd.arrived(4_000) + odd.arrived(maker_credit - 4_000)
    assert token.balanceOf(taker) == ODD_SUPPLY - 3_333 + odd.arrived(odd.arrived(3_333))
    assert token.balanceOf(escrow) == 0
    assert_books_exact([escrow], accounts, [token])


@pytest.mark.parametrize("direction", ["instrument to issuance", "issuance to instrument"])
def test_admin_moves_of_both_escrows_keep_every_wei_of_an_odd_token(
    odd, mock_admin, deployer, maker, taker, stranger, direction
):
    """The admin functions of both escrows, made by an admin contract (EscrowAdminMock) that is
    the admin of one escrow of each kind, moving tokens from `escrow` to `other`."""
    token, mock, call = odd.token, mock_admin.admin, mock_admin.call
    escrow, other = (mock_admin.instrument, mock_admin.issuance)[:: 1 if direction.startswith("instrument") else -1]
    arm(odd, escrow, escrow.transferByAdmin.encode_input(maker, odd.token, odd.token, 1))
    accounts = [maker, taker, stranger, mock, ZERO_ADDRESS]
    token.mint(mock, ODD_SUPPLY, {"from": deployer})

    call(token, "approve", escrow, 10_000)
    call(escrow, "depositTokenByAdmin", maker, token, 10_000)
    credited = odd.arrived(10_000)
    assert escrow.getTokenBalance(maker, token) == credited
    assert token.balanceOf(mock) == ODD_SUPPLY - 10_000
    assert_books_exact([escrow], accounts, [token])

    call(escrow, "transferByAdmin", maker, taker, token, 1_000)
    assert token.balanceOf(escrow) == credited
    call(escrow, "withdrawTokenByAdmin", taker, token, 1_000)
    assert token.balanceOf(mock) == ODD_SUPPLY - 10_000 + odd.arrived(1_000)
    assert escrow.getTokenBalance(taker, token) == 0
    assert_books_exact([escrow], accounts, [token])

    # The manager's one-transfer move: `other` receives from `escrow` and credits what arrived.
    arm(odd, other, other.transferByAdmin.encode_input(maker, odd.token, odd.token, 1))
    other_before = token.balanceOf(other)
    tx = call(other, "receiveTokenByAdmin", stranger, token, 2_000, escrow, maker)
    assert_hook_refused(odd)
    arrived = token.balanceOf(other) - other_before
    assert arrived == odd.arrived(2_000)
    assert other.receiveTokenByAdmin.decode_output(tx.return_value) == arrived
    assert other.getTokenBalance(stranger, token) == arrived
    assert_books_exact([escrow, other], accounts, [token])

    rest = escrow.getTokenBalance(maker, token)
    assert rest == credited - 3_000
    call(escrow, "sendTokenByAdmin", maker, token, rest, taker)
    assert_hook_refused(odd)
    assert token.balanceOf(taker) == ODD_SUPPLY + odd.arrived(rest)
    assert token.balanceOf(escrow) == 0
    call(other, "withdrawTokenByAdmin", stranger, token, arrived)
    assert token.balanceOf(other) == 0
    assert_books_exact([escrow, other], accounts, [token])
