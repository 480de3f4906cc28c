"""Users deposit and withdraw ETH and tokens on their own Instrument Escrow account."""

from escrow_support import (
    MAKER_ETH,
    MAKER_OTHER,
    MAKER_TOKENS,
    MAX_UINT,
    assert_single_event,
    eth_held,
    reverts_unchanged,
    solvent,
)
from support import ETH


def test_deposit_credits_the_eth_sent_to_the_caller(instrument_escrow, maker, taker):
    ledger, held, maker_eth = instrument_escrow.getBalance(maker), eth_held(instrument_escrow), maker.balance()

    tx = instrument_escrow.deposit({"from": maker, "value": 4_321})

    assert instrument_escrow.getBalance(maker) == ledger + 4_321
    assert instrument_escrow.getTokenBalance(maker, ETH) == instrument_escrow.getBalance(maker)
    assert instrument_escrow.getBalance(taker) == 0
    assert eth_held(instrument_escrow) == held + 4_321
    assert maker.balance() == maker_eth - 4_321
    assert_single_event(tx, instrument_escrow, "Deposited", account=maker, token=ETH, amount=4_321)


def test_withdraw_debits_the_caller_and_sends_it_the_eth(maker_funded, maker):
    held, maker_eth = eth_held(maker_funded), maker.balance()

    tx = maker_funded.withdraw(1_000, {"from": maker})

    assert maker_funded.getBalance(maker) == MAKER_ETH - 1_000
    assert maker_funded.getTokenBalance(maker, ETH) == MAKER_ETH - 1_000
    assert eth_held(maker_funded) == held - 1_000
    assert maker.balance() == maker_eth + 1_000
    assert_single_event(tx, maker_funded, "Withdrawn", account=maker, token=ETH, amount=1_000, recipient=maker)


def test_withdraw_can_take_the_whole_balance(maker_funded, maker):
    held = eth_held(maker_funded)

    maker_funded.withdraw(MAKER_ETH, {"from": maker})

    assert maker_funded.getBalance(maker) == 0
    assert eth_held(maker_funded) == held - MAKER_ETH


def test_deposit_token_pulls_from_the_caller_and_credits_it(instrument_escrow, maker, other_token):
    other_token.approve(instrument_escrow, 2_500, {"from": maker})
    ledger, held, maker_tokens = (
        instrument_escrow.getTokenBalance(maker, other_token),
        other_token.balanceOf(instrument_escrow),
        other_token.balanceOf(maker),
    )

    tx = instrument_escrow.depositToken(other_token, 2_500, {"from": maker})

    assert instrument_escrow.getTokenBalance(maker, other_token) == ledger + 2_500
    assert other_token.balanceOf(instrument_escrow) == held + 2_500
    assert other_token.balanceOf(maker) == maker_tokens - 2_500
    assert other_token.allowance(maker, instrument_escrow) == 0
    assert_single_event(tx, instrument_escrow, "Deposited", account=maker, token=other_token, amount=2_500)


def test_withdraw_token_debits_the_caller_and_sends_it_the_tokens(maker_funded, maker, token):
    held, maker_tokens = token.balanceOf(maker_funded), token.balanceOf(maker)

    tx = maker_funded.withdrawToken(token, 600, {"from": maker})

    assert maker_funded.getTokenBalance(maker, token) == MAKER_TOKENS - 600
    assert token.balanceOf(maker_funded) == held - 600
    assert token.balanceOf(maker) == maker_tokens + 600
    assert_single_event(tx, maker_funded, "Withdrawn", account=maker, token=token, amount=600, recipient=maker)


def test_deposits_of_different_tokens_are_booked_apart(maker_funded, maker, token, other_token):
    assert maker_funded.getTokenBalance(maker, token) == MAKER_TOKENS
    assert maker_funded.getTokenBalance(maker, other_token) == MAKER_OTHER
    assert maker_funded.getBalance(maker) == MAKER_ETH

    maker_funded.withdrawToken(other_token, MAKER_OTHER, {"from": maker})

    assert maker_funded.getTokenBalance(maker, other_token) == 0
    assert maker_funded.getTokenBalance(maker, token) == MAKER_TOKENS
    assert maker_funded.getBalance(maker) == MAKER_ETH


def test_a_user_can_only_withdraw_from_its_own_account(maker_funded, maker, taker, token, snapshot):
    maker_funded.deposit({"from": taker, "value": 10})

    with reverts_unchanged(snapshot, "EscrowInsufficientBalance", taker, ETH, 10, 11):
        maker_funded.withdraw(11, {"from": taker})
    with reverts_unchanged(snapshot, "EscrowInsufficientBalance", taker, token, 0, 1):
        maker_funded.withdrawToken(token, 1, {"from": taker})
    assert maker_funded.getBalance(maker) == MAKER_ETH
    assert maker_funded.getBalance(taker) == 10


def test_user_deposits_and_admin_functions_share_one_ledger(maker_funded, admin, maker, taker, token):
    maker_funded.transferByAdmin(maker, taker, token, 300, {"from": admin})
    maker_funded.depositByAdmin(taker, {"from": admin, "value": 50})
    taker_tokens, taker_eth = token.balanceOf(taker), taker.balance()

    maker_funded.withdrawToken(token, 300, {"from": taker})
    maker_funded.withdraw(50, {"from": taker})

    assert token.balanceOf(taker) == taker_tokens + 300
    assert taker.balance() == taker_eth + 50
    assert maker_funded.getTokenBalance(maker, token) == MAKER_TOKENS - 300
    assert maker_funded.getTokenBalance(taker, token) == 0
    assert maker_funded.getBalance(taker) == 0


def test_deposit_credits_what_arrived_for_fee_token(instrument_escrow, maker, fee_token):
    fee_token.approve(instrument_escrow, 50_000, {"from": maker})
    maker_tokens = fee_token.balanceOf(maker)

    tx = instrument_escrow.depositToken(fee_token, 50_000, {"from": maker})

    assert fee_token.balanceOf(maker) == maker_tokens - 50_000
    assert fee_token.balanceOf(instrument_escrow) == 49_500
    assert instrument_escrow.getTokenBalance(maker, fee_token) == 49_500
    assert_single_event(tx, instrument_escrow, "Deposited", account=maker, token=fee_token, amount=49_500)


def test_everything_credited_for_fee_token_can_be_withdrawn_again(instrument_escrow, maker, taker, fee_token):
    for user, amount in ((maker, 50_000), (taker, 30_000)):
        fee_token.approve(instrument_escrow, MAX_UINT, {"from": user})
        instrument_escrow.depositToken(fee_token, amount, {"from": user})
    assert solvent(instrument_escrow, fee_token, [maker, taker])
    maker_tokens = fee_token.balanceOf(maker)

    tx = instrument_escrow.withdrawToken(fee_token, 49_500, {"from": maker})

    assert instrument_escrow.getTokenBalance(maker, fee_token) == 0
    assert fee_token.balanceOf(maker) == maker_tokens + 49_005
    assert_single_event(
        tx, instrument_escrow, "Withdrawn", account=maker, token=fee_token, amount=49_500, recipient=maker
    )
    assert solvent(instrument_escrow, fee_token, [maker, taker])

    instrument_escrow.withdrawToken(fee_token, 29_700, {"from": taker})

    assert instrument_escrow.getTokenBalance(taker, fee_token) == 0
    assert fee_token.balanceOf(instrument_escrow) == 0


def test_repeated_deposits_and_withdrawals_add_up(instrument_escrow, maker, token):
    token.approve(instrument_escrow, MAX_UINT, {"from": maker})
    ledger, eth_ledger = instrument_escrow.getTokenBalance(maker, token), instrument_escrow.getBalance(maker)
    for i in (1, 2, 3):
        instrument_escrow.depositToken(token, 100 * i, {"from": maker})
        instrument_escrow.deposit({"from": maker, "value": 10 * i})
    instrument_escrow.withdrawToken(token, 250, {"from": maker})
    instrument_escrow.withdraw(25, {"from": maker})

    assert instrument_escrow.getTokenBalance(maker, token) == ledger + 600 - 250
    assert instrument_escrow.getBalance(maker) == eth_ledger + 60 - 25
    assert solvent(instrument_escrow, token, [maker])
