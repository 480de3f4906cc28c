"""ETH leaves the Instrument Escrow with a call carrying all gas, so a contract wallet whose
`receive` writes storage (more than the 2,300 gas of `transfer`) can deposit and withdraw; a
wallet that rejects ETH keeps its balance; a wallet re-entering from `receive` is refused."""

import pytest
from hexbytes import HexBytes

from escrow_support import MAKER_ETH, MAKER_TOKENS, REENTRANT_CALL, address_of, assert_single_event, eth_held, holdings
from support import ETH, reverts

ACCEPT, REJECT = 0, 1


def _state(escrow, wallet, maker, token):
    return holdings(escrow, [wallet, maker], [token])


def test_a_contract_wallet_can_deposit_through_execute(instrument_escrow, deployer, user_wallet):
    held, deployer_eth = eth_held(instrument_escrow), deployer.balance()

    tx = user_wallet.execute(
        instrument_escrow, instrument_escrow.deposit.encode_input(), 700, {"from": deployer, "value": 700}
    )

    assert instrument_escrow.getBalance(user_wallet) == MAKER_ETH + 700
    assert eth_held(instrument_escrow) == held + 700
    assert deployer.balance() == deployer_eth - 700
    assert eth_held(user_wallet) == 0
    assert_single_event(tx, instrument_escrow, "Deposited", account=user_wallet, token=ETH, amount=700)


def test_a_contract_wallet_whose_receive_needs_more_than_2300_gas_can_withdraw(
    instrument_escrow, deployer, user_wallet
):
    held = eth_held(instrument_escrow)

    tx = user_wallet.execute(instrument_escrow, instrument_escrow.withdraw.encode_input(900), 0, {"from": deployer})

    assert user_wallet.received() == 900
    assert eth_held(user_wallet) == 900
    assert instrument_escrow.getBalance(user_wallet) == MAKER_ETH - 900
    assert eth_held(instrument_escrow) == held - 900
    assert_single_event(
        tx, instrument_escrow, "Withdrawn", account=user_wallet, token=ETH, amount=900, recipient=user_wallet
    )


def test_a_wallet_that_rejects_eth_cannot_withdraw_and_keeps_its_balance(
    instrument_escrow, deployer, maker, token, user_wallet
):
    user_wallet.setMode(REJECT, {"from": deployer})
    before = _state(instrument_escrow, user_wallet, maker, token)

    with reverts("EscrowEthTransferFailed", user_wallet, 900):
        user_wallet.execute(instrument_escrow, instrument_escrow.withdraw.encode_input(900), 0, {"from": deployer})

    assert _state(instrument_escrow, user_wallet, maker, token) == before
    assert instrument_escrow.getBalance(user_wallet) == MAKER_ETH
    assert user_wallet.received() == 0

    user_wallet.setMode(ACCEPT, {"from": deployer})
    user_wallet.execute(instrument_escrow, instrument_escrow.withdraw.encode_input(900), 0, {"from": deployer})
    assert user_wallet.received() == 900


# What the wallet's `receive` tries, encoded for the escrow: (escrow, token) -> calldata. Each is a
# valid call by the wallet on its own account (see the last test), so only the guard stops it.
INNER = {
    "withdraw": lambda e, t: e.withdraw.encode_input(1),
    "withdrawToken": lambda e, t: e.withdrawToken.encode_input(t, 1),
    "depositToken": lambda e, t: e.depositToken.encode_input(t, 1),
    "deposit": lambda e, t: e.deposit.encode_input(),
}


@pytest.mark.parametrize("inner", INNER)
def test_a_wallet_cannot_reenter_the_escrow_from_the_eth_it_withdraws(
    instrument_escrow, deployer, maker, token, user_wallet, inner
):
    user_wallet.setReentry(instrument_escrow, INNER[inner](instrument_escrow, token), {"from": deployer})
    expected = _state(instrument_escrow, user_wallet, maker, token)
    expected["ledger", address_of(user_wallet), ETH.lower()] -= 900
    expected["held", address_of(instrument_escrow), "ETH"] -= 900
    expected["held", address_of(user_wallet), "ETH"] += 900

    user_wallet.execute(instrument_escrow, instrument_escrow.withdraw.encode_input(900), 0, {"from": deployer})

    assert user_wallet.reentrySucceeded() is False
    assert HexBytes(user_wallet.reentryResult()) == REENTRANT_CALL
    assert user_wallet.received() == 900
    assert _state(instrument_escrow, user_wallet, maker, token) == expected


def test_the_wallets_reentry_calls_succeed_when_not_reentering(instrument_escrow, deployer, token, user_wallet):
    for name, encode in INNER.items():
        value = 1 if name == "deposit" else 0
        user_wallet.execute(
            instrument_escrow, encode(instrument_escrow, token), value, {"from": deployer, "value": value}
        )
    assert user_wallet.received() == 1
    assert instrument_escrow.getBalance(user_wallet) == MAKER_ETH
    assert instrument_escrow.getTokenBalance(user_wallet, token) == MAKER_TOKENS
