"""The admin functions both escrows share, on each kind: what they book, what they move, what they log."""

import brownie
import pytest
from brownie import ZERO_ADDRESS

from escrow_support import MAKER_ETH, MAKER_OTHER, MAKER_TOKENS, MAX_UINT, assert_single_event, eth_held, solvent
from support import ETH, reverts


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


def _receive_pair(mock_admin, direction):
    """(source, destination) among the mock admin's two escrows."""
    pair = (mock_admin.instrument, mock_admin.issuance)
    return pair if direction == "instrument to issuance" else pair[::-1]


def _book(mock_admin, escrow, account, token, amount, deployer):
    """Books `amount` of `token` (minted to the mock) for `account` in `escrow`, through the mock."""
    token.mint(mock_admin.admin, amount, {"from": deployer})
    mock_admin.call(token, "approve", escrow, amount)
    mock_admin.call(escrow, "depositTokenByAdmin", account, token, amount)


DIRECTIONS = ["instrument to issuance", "issuance to instrument"]


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_receive_token_by_admin_moves_tokens_from_one_escrow_to_another_with_one_transfer(
    mock_admin, deployer, maker, taker, token, direction
):
    source, destination = _receive_pair(mock_admin, direction)
    _book(mock_admin, source, maker, token, 1_000, deployer)
    source_held, destination_held = token.balanceOf(source), token.balanceOf(destination)
    mock_tokens = token.balanceOf(mock_admin.admin)

    data = destination.receiveTokenByAdmin.encode_input(taker, token, 600, source, maker)
    tx = mock_admin.admin.execute(destination, data, {"from": deployer})

    assert destination.receiveTokenByAdmin.decode_output(tx.return_value) == 600
    assert mock_admin.admin.callbacks() == 1
    assert source.getTokenBalance(maker, token) == 400
    assert token.balanceOf(source) == source_held - 600
    assert destination.getTokenBalance(taker, token) == 600
    assert destination.getTokenBalance(maker, token) == 0
    assert token.balanceOf(destination) == destination_held + 600
    assert token.balanceOf(mock_admin.admin) == mock_tokens
    # One token transfer, straight from escrow to escrow.
    transfers = tx.events["Transfer"]
    assert len(transfers) == 1
    assert (transfers[0]["from"], transfers[0]["to"], transfers[0]["value"]) == (source, destination, 600)
    assert_single_event(tx, source, "Withdrawn", account=maker, token=token, amount=600, recipient=destination)
    assert_single_event(tx, destination, "Deposited", account=taker, token=token, amount=600)


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_receive_token_by_admin_credits_what_arrived_of_a_fee_token(
    mock_admin, deployer, maker, taker, fee_token, direction
):
    source, destination = _receive_pair(mock_admin, direction)
    _book(mock_admin, source, maker, fee_token, 10_000, deployer)
    assert source.getTokenBalance(maker, fee_token) == 9_900

    data = destination.receiveTokenByAdmin.encode_input(taker, fee_token, 5_000, source, maker)
    tx = mock_admin.admin.execute(destination, data, {"from": deployer})

    assert destination.receiveTokenByAdmin.decode_output(tx.return_value) == 4_950
    assert source.getTokenBalance(maker, fee_token) == 4_900
    assert fee_token.balanceOf(source) == 4_900
    assert destination.getTokenBalance(taker, fee_token) == 4_950
    assert fee_token.balanceOf(destination) == 4_950
    assert_single_event(tx, destination, "Deposited", account=taker, token=fee_token, amount=4_950)
    assert solvent(source, fee_token, [maker, taker])
    assert solvent(destination, fee_token, [maker, taker])


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_receive_token_by_admin_credits_nothing_when_nothing_arrives(
    mock_admin, deployer, maker, taker, token, direction
):
    # The admin answers the callback without delivering (as a token that took it all would leave
    # it): the escrow books nothing, logs nothing and returns zero; the move still ends.
    source, destination = _receive_pair(mock_admin, direction)
    _book(mock_admin, source, maker, token, 1_000, deployer)
    mock_admin.admin.setDeliversNothing(True, {"from": deployer})
    held = token.balanceOf(source), token.balanceOf(destination)

    data = destination.receiveTokenByAdmin.encode_input(taker, token, 600, source, maker)
    tx = mock_admin.admin.execute(destination, data, {"from": deployer})

    assert destination.receiveTokenByAdmin.decode_output(tx.return_value) == 0
    assert mock_admin.admin.callbacks() == 1
    assert destination.getTokenBalance(taker, token) == 0
    assert source.getTokenBalance(maker, token) == 1_000
    assert (token.balanceOf(source), token.balanceOf(destination)) == held
    assert "Deposited" not in tx.events


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_receive_token_by_admin_of_the_whole_balance_empties_the_source_account(
    mock_admin, deployer, maker, token, direction
):
    source, destination = _receive_pair(mock_admin, direction)
    _book(mock_admin, source, maker, token, 1_000, deployer)

    mock_admin.call(destination, "receiveTokenByAdmin", maker, token, 1_000, source, maker)

    assert source.getTokenBalance(maker, token) == 0
    assert token.balanceOf(source) == 0
    assert destination.getTokenBalance(maker, token) == 1_000
    assert token.balanceOf(destination) == 1_000


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_receive_token_by_admin_fails_with_the_source_escrows_error(
    mock_admin, deployer, maker, taker, token, direction
):
    # The source's refusal (here: more than the account has) comes back through the callback and
    # undoes the whole move.
    source, destination = _receive_pair(mock_admin, direction)
    _book(mock_admin, source, maker, token, 1_000, deployer)
    before = [(e.getTokenBalance(a, token), token.balanceOf(e)) for e in (source, destination) for a in (maker, taker)]

    with reverts("EscrowInsufficientBalance", maker, token, 1_000, 1_001):
        mock_admin.call(destination, "receiveTokenByAdmin", taker, token, 1_001, source, maker)
    with reverts("EscrowZeroAccount"):
        mock_admin.call(destination, "receiveTokenByAdmin", taker, token, 1, source, ZERO_ADDRESS)
    with reverts("EscrowInsufficientBalance", taker, token, 0, 1):
        mock_admin.call(destination, "receiveTokenByAdmin", maker, token, 1, source, taker)

    after = [(e.getTokenBalance(a, token), token.balanceOf(e)) for e in (source, destination) for a in (maker, taker)]
    assert after == before
    assert mock_admin.admin.callbacks() == 0


def test_receive_token_by_admin_needs_an_admin_that_answers_the_callback(funded, admin, maker, taker, token):
    # The `admin` account has no code: the escrow's call back to it reverts (without data), and
    # nothing moves.
    other = funded  # any source: the call never gets that far
    held, ledger = token.balanceOf(funded), funded.getTokenBalance(maker, token)
    with brownie.reverts():
        funded.receiveTokenByAdmin(taker, token, 5, other, maker, {"from": admin})
    assert (token.balanceOf(funded), funded.getTokenBalance(maker, token)) == (held, ledger)
    assert funded.getTokenBalance(taker, token) == 0


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
