"""Every manager move and Swap flow with every kind of odd token (`odd`), on either side of a swap
against ETH: each escrow holds exactly what it books after every step, every transfer credits what
arrived, and when everyone has withdrawn, the Instrument Escrow and the Issuance Escrow hold
nothing and every wallet got exactly what the ledger promised it (less the token's own fees).
"""

import pytest
from brownie import IssuanceEscrow, chain

from hostile_support import (
    ODD_SUPPLY,
    address_of,
    arm,
    assert_books_exact,
    assert_hook_refused,
    held,
    withdraw_everything,
)
from support import ETH, event_name, fund, swap_terms

HOUR = 3600
FUNDED, INPUT, OUTPUT = 10_000, 6_000, 4_000


def _arrived(odd, asset, amount):
    return amount if address_of(asset) == ETH else odd.arrived(amount)


@pytest.mark.parametrize("ending", ["engage", "cancel", "due"])
@pytest.mark.parametrize("side", ["input", "output"])
def test_a_swap_keeps_every_wei_of_an_odd_token(odd, manager, domain_escrow, maker, taker, stranger, side, ending):
    token, escrow = odd.token, domain_escrow
    arm(odd, escrow, escrow.withdrawTokenByAdmin.encode_input(maker, token, 1))
    input_asset, output_asset = (token, ETH) if side == "input" else (ETH, token)
    accounts, assets = [maker, taker, stranger], [token, ETH]
    fund(escrow, maker, input_asset, FUNDED)
    fund(escrow, taker, output_asset, FUNDED)
    maker_funded, taker_funded = _arrived(odd, input_asset, FUNDED), _arrived(odd, output_asset, FUNDED)

    tx = manager.createIssuance(swap_terms(HOUR, input_asset, output_asset, INPUT, OUTPUT), {"from": maker})
    assert_hook_refused(odd)
    issuance = IssuanceEscrow.at(manager.getIssuanceEscrow(1))
    committed = _arrived(odd, input_asset, INPUT)
    assert tx.events["TransferExecuted"]["amount"] == committed
    assert escrow.getTokenBalance(maker, input_asset) == maker_funded - INPUT
    assert issuance.getTokenBalance(maker, input_asset) == committed
    assert held(issuance, input_asset) == committed
    assert_books_exact([escrow, issuance], accounts, assets)

    if ending == "engage":
        manager.engageIssuance(1, b"", {"from": taker})
        receiver = taker
    elif ending == "cancel":
        manager.processEvent(1, 0, event_name("cancel_issuance"), b"", {"from": maker})
        receiver = maker
    else:
        chain.sleep(HOUR + 1)
        chain.mine()
        manager.processEvent(1, 0, event_name("issuance_due"), b"", {"from": stranger})
        receiver = maker
    assert_hook_refused(odd)
    returned = _arrived(odd, input_asset, committed)
    paid = OUTPUT if ending == "engage" else 0
    expected = {
        (maker, input_asset): maker_funded - INPUT + (returned if receiver == maker else 0),
        (maker, output_asset): paid,
        (taker, input_asset): returned if receiver == taker else 0,
        (taker, output_asset): taker_funded - paid,
    }
    for (account, asset), amount in expected.items():
        assert escrow.getTokenBalance(account, asset) == amount
    assert issuance.getTokenBalance(maker, input_asset) == 0
    assert held(issuance, input_asset) == 0
    assert held(manager, ETH) == 0
    assert_books_exact([escrow, issuance], accounts, assets)

    withdrawn = withdraw_everything(escrow, accounts, assets)
    assert_hook_refused(odd)
    assert held(escrow, token) == 0
    assert held(escrow, ETH) == 0
    assert_books_exact([escrow, issuance], accounts, assets)
    for account in (maker, taker):
        deposited = FUNDED if (account == maker) == (side == "input") else 0
        assert token.balanceOf(account) == ODD_SUPPLY - deposited + odd.arrived(
            withdrawn[address_of(account), address_of(token)]
        )
