"""The admin functions both escrows share, on each kind: what they book, what they move, what they log."""

import pytest

from escrow_support import MAKER_ETH, MAKER_OTHER, MAKER_TOKENS, MAX_UINT, assert_single_event, eth_held, solvent
from support import ETH


def test_eth_constant_and_admin_are_those_of_the_creation(escrow, admin):
    assert escrow.ETH() == ETH
    assert escrow.admin() == admin


def test_deposit_by_admin_credits_the_account_with_the_eth_sent(escrow, admin, maker):
    ledger, held, admin_eth, maker_eth = escrow.getBalance(maker), eth_held(escrow), admin.balance(), maker.balance()

    tx = escrow.depositByAdmin(maker, {"from": admin, "value": 12_345})

    assert escrow.getBalance(maker) == ledger + 12_345
    assert escrow.getTokenBalance(maker, ETH) == escrow.getBalance(maker)
    assert eth_held(escrow) == held + 12_345
    assert admin.balance() == admin_eth - 12_345
    assert maker.balance() == maker_eth
    assert_single_event(tx, escrow, "Deposited", account=maker, token=ETH, amount=12_345)


def test_deposit_token_by_admin_pulls_from_the_admin_and_credits_the_account(escrow, admin, maker, token):
    token.approve(escrow, 700, {"from": admin})
    ledger, held, admin_tokens, maker_tokens = (
        escrow.getTokenBalance(maker, token),
        token.balanceOf(escrow),
        token.balanceOf(admin),
        token.balanceOf(maker),
    )

    tx = escrow.depositTokenByAdmin(maker, token, 700, {"from": admin})

    assert escrow.getTokenBalance(maker, token) == ledger + 700
    assert escrow.getTokenBalance(admin, token) == 0
    assert token.balanceOf(escrow) == held + 700
    assert token.balanceOf(admin) == admin_tokens - 700
    assert token.balanceOf(maker) == maker_tokens
    assert token.allowance(admin, escrow) == 0
    assert_single_event(tx, escrow, "Deposited", account=maker, token=token, amount=700)


def test_balances_are_booked_per_account_and_per_token(funded, admin, maker, taker, token, other_token):
    funded.depositTokenByAdmin(taker, other_token, 9, {"from": admin})

    assert funded.getTokenBalance(maker, token) == MAKER_TOKENS
    assert funded.getTokenBalance(maker, other_token) == MAKER_OTHER
    assert funded.getBalance(maker) == MAKER_ETH
    assert funded.getTokenBalance(maker, ETH) == MAKER_ETH
    assert funded.getTokenBalance(taker, other_token) == 9
    assert funded.getTokenBalance(taker, token) == 0
    assert funded.getBalance(taker) == 0
    assert other_token.balanceOf(funded) == MAKER_OTHER + 9


def test_withdraw_by_admin_debits_the_account_and_sends_the_eth_to_the_admin(funded, admin, maker):
    held, admin_eth, maker_eth = eth_held(funded), admin.balance(), maker.balance()

    tx = funded.withdrawByAdmin(maker, 400, {"from": admin})

    assert funded.getBalance(maker) == MAKER_ETH - 400
    assert funded.getTokenBalance(maker, ETH) == MAKER_ETH - 400
    assert eth_held(funded) == held - 400
    assert admin.balance() == admin_eth + 400
    assert maker.balance() == maker_eth
    assert_single_event(tx, funded, "Withdrawn", account=maker, token=ETH, amount=400, recipient=admin)


def test_withdraw_by_admin_can_take_the_whole_balance(funded, admin, maker):
    funded.withdrawByAdmin(maker, MAKER_ETH, {"from": admin})

    assert funded.getBalance(maker) == 0
    assert eth_held(funded) == 0


def test_withdraw_token_by_admin_debits_the_account_and_sends_the_tokens_to_the_admin(funded, admin, maker, token):
    held, admin_tokens, maker_tokens = token.balanceOf(funded), token.balanceOf(admin), token.balanceOf(maker)

    tx = funded.withdrawTokenByAdmin(maker, token, 250, {"from": admin})

    assert funded.getTokenBalance(maker, token) == MAKER_TOKENS - 250
    assert token.balanceOf(funded) == held - 250
    assert token.balanceOf(admin) == admin_tokens + 250
    assert token.balanceOf(maker) == maker_tokens
    assert_single_event(tx, funded, "Withdrawn", account=maker, token=token, amount=250, recipient=admin)


def test_send_token_by_admin_debits_the_account_and_sends_the_tokens_to_the_recipient(
    funded, admin, maker, taker, other_token
):
    held, admin_tokens, taker_tokens = (
        other_token.balanceOf(funded),
        other_token.balanceOf(admin),
        other_token.balanceOf(taker),
    )

    tx = funded.sendTokenByAdmin(maker, other_token, 30, taker, {"from": admin})

    assert funded.getTokenBalance(maker, other_token) == MAKER_OTHER - 30
    assert funded.getTokenBalance(taker, other_token) == 0
    assert other_token.balanceOf(funded) == held - 30
    assert other_token.balanceOf(taker) == taker_tokens + 30
    assert other_token.balanceOf(admin) == admin_tokens
    assert_single_event(tx, funded, "Withdrawn", account=maker, token=other_token, amount=30, recipient=taker)


def test_credit_token_by_admin_books_tokens_without_moving_any(funded, admin, maker, taker, token):
    held, admin_tokens = token.balanceOf(funded), token.balanceOf(admin)

    tx = funded.creditTokenByAdmin(taker, token, 55, {"from": admin})

    assert funded.getTokenBalance(taker, token) == 55
    assert funded.getTokenBalance(maker, token) == MAKER_TOKENS
    assert token.balanceOf(funded) == held
    assert token.balanceOf(admin) == admin_tokens
    assert_single_event(tx, funded, "Deposited", account=taker, token=token, amount=55)


def test_send_then_credit_moves_tokens_from_one_escrow_to_another_with_one_transfer(
    instrument_escrow, issuance_escrow, admin, maker, token
):
    token.approve(instrument_escrow, 1_000, {"from": admin})
    instrument_escrow.depositTokenByAdmin(maker, token, 1_000, {"from": admin})
    source_ledger = instrument_escrow.getTokenBalance(maker, token)
    source_held, target_held = token.balanceOf(instrument_escrow), token.balanceOf(issuance_escrow)
    target_ledger = issuance_escrow.getTokenBalance(maker, token)

    instrument_escrow.sendTokenByAdmin(maker, token, 600, issuance_escrow, {"from": admin})
    arrived = token.balanceOf(issuance_escrow) - target_held
    tx = issuance_escrow.creditTokenByAdmin(maker, token, arrived, {"from": admin})

    assert arrived == 600
    assert token.balanceOf(instrument_escrow) == source_held - 600
    assert instrument_escrow.getTokenBalance(maker, token) == source_ledger - 600
    assert issuance_escrow.getTokenBalance(maker, token) == target_ledger + 600
    assert_single_event(tx, issuance_escrow, "Deposited", account=maker, token=token, amount=600)


@pytest.mark.parametrize("asset", ["ETH", "token"])
def test_transfer_by_admin_moves_the_balance_inside_the_ledger_only(funded, admin, maker, taker, token, asset):
    booked = MAKER_ETH if asset == "ETH" else MAKER_TOKENS
    asset = ETH if asset == "ETH" else token
    eth, tokens = eth_held(funded), token.balanceOf(funded)

    tx = funded.transferByAdmin(maker, taker, asset, 77, {"from": admin})

    assert funded.getTokenBalance(maker, asset) == booked - 77
    assert funded.getTokenBalance(taker, asset) == 77
    assert eth_held(funded) == eth
    assert token.balanceOf(funded) == tokens
    assert_single_event(tx, funded, "Transferred", **{"from": maker, "to": taker, "token": asset, "amount": 77})


def test_transfer_by_admin_of_the_whole_balance_empties_the_sender(funded, admin, maker, taker):
    funded.transferByAdmin(maker, taker, ETH, MAKER_ETH, {"from": admin})

    assert funded.getBalance(maker) == 0
    assert funded.getBalance(taker) == MAKER_ETH
    assert eth_held(funded) == MAKER_ETH


def test_transfer_by_admin_to_the_same_account_keeps_its_balance(funded, admin, maker, token):
    tx = funded.transferByAdmin(maker, maker, token, 10, {"from": admin})

    assert funded.getTokenBalance(maker, token) == MAKER_TOKENS
    assert_single_event(tx, funded, "Transferred", **{"from": maker, "to": maker, "token": token, "amount": 10})


def test_deposit_token_by_admin_credits_what_arrived_for_fee_token(escrow, admin, maker, fee_token):
    fee_token.approve(escrow, MAX_UINT, {"from": admin})
    admin_tokens = fee_token.balanceOf(admin)

    tx = escrow.depositTokenByAdmin(maker, fee_token, 10_000, {"from": admin})

    assert fee_token.balanceOf(admin) == admin_tokens - 10_000
    assert fee_token.balanceOf(escrow) == 9_900
    assert escrow.getTokenBalance(maker, fee_token) == 9_900
    assert_single_event(tx, escrow, "Deposited", account=maker, token=fee_token, amount=9_900)
    assert solvent(escrow, fee_token, [maker, admin])


def test_fee_token_credited_by_admin_can_all_be_withdrawn_again(escrow, admin, maker, taker, fee_token):
    fee_token.approve(escrow, MAX_UINT, {"from": admin})
    escrow.depositTokenByAdmin(maker, fee_token, 10_000, {"from": admin})
    escrow.depositTokenByAdmin(taker, fee_token, 20_000, {"from": admin})
    admin_tokens = fee_token.balanceOf(admin)

    tx = escrow.withdrawTokenByAdmin(maker, fee_token, 9_900, {"from": admin})

    assert escrow.getTokenBalance(maker, fee_token) == 0
    assert fee_token.balanceOf(admin) == admin_tokens + 9_801
    assert_single_event(tx, escrow, "Withdrawn", account=maker, token=fee_token, amount=9_900, recipient=admin)
    assert solvent(escrow, fee_token, [maker, taker])

    escrow.sendTokenByAdmin(taker, fee_token, 19_800, taker, {"from": admin})

    assert escrow.getTokenBalance(taker, fee_token) == 0
    assert fee_token.balanceOf(escrow) == 0
