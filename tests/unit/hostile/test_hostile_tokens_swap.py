"""Every manager move and Swap flow with every kind of odd token (`odd`), on either side of a swap
against ETH: each escrow holds exactly what it books after every step, every transfer credits what
arrived, and when everyone has withdrawn, the Instrument Escrow and the Issuance Escrow hold
nothing and every wallet got exactly what the ledger promised it (less the token's own fees).
A taker is credited at least what it states (and always something): a token that takes all of
the input, on the way in or on the way out, makes engaging revert with ManagerCreditBelowMinimum
instead of having the taker pay for nothing, while the maker can still close its swap.
"""

import pytest
from brownie import AdjustableFeeToken, IssuanceEscrow, chain
from eth_abi import encode

from hostile_support import (
    ODD_SUPPLY,
    address_of,
    arm,
    assert_books_exact,
    assert_hook_refused,
    held,
    snapshot,
    withdraw_everything,
)
from nuts_escrow import CANCEL_ISSUANCE, ISSUANCE_DUE
from nuts_escrow.types import SwapState
from support import ETH, fund, reverts, swap_terms

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
        manager.processEvent(1, 0, CANCEL_ISSUANCE, b"", {"from": maker})
        receiver = maker
    else:
        chain.sleep(HOUR + 1)
        chain.mine()
        manager.processEvent(1, 0, ISSUANCE_DUE, b"", {"from": stranger})
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


def _min_input_received(amount):
    """Swap taker data: the least input the taker accepts."""
    return encode(["uint256"], [amount])


@pytest.mark.parametrize("side", ["input", "output"])
def test_a_takers_minimum_is_met_by_exactly_what_arrives_of_an_odd_token(
    odd, swap, manager, domain_escrow, maker, taker, side
):
    token, escrow = odd.token, domain_escrow
    input_asset, output_asset = (token, ETH) if side == "input" else (ETH, token)
    fund(escrow, maker, input_asset, FUNDED)
    fund(escrow, taker, output_asset, FUNDED)
    manager.createIssuance(swap_terms(HOUR, input_asset, output_asset, INPUT, OUTPUT), {"from": maker})
    issuance = IssuanceEscrow.at(manager.getIssuanceEscrow(1))
    arrives = _arrived(odd, input_asset, _arrived(odd, input_asset, INPUT))
    accounts, assets = [maker, taker], [token, ETH]

    before = snapshot([escrow, issuance], accounts, assets, [manager]), swap.getIssuance(manager, 1)
    with reverts("ManagerCreditBelowMinimum", 1, input_asset, taker, arrives, arrives + 1):
        manager.engageIssuance(1, _min_input_received(arrives + 1), {"from": taker})
    assert (snapshot([escrow, issuance], accounts, assets, [manager]), swap.getIssuance(manager, 1)) == before

    tx = manager.engageIssuance(1, _min_input_received(arrives), {"from": taker})
    assert tx.events["TransferExecuted"][1]["amount"] == arrives
    assert escrow.getTokenBalance(taker, input_asset) == arrives
    assert_books_exact([escrow, issuance], accounts, assets)


@pytest.fixture
def swallowing(deployer, maker, taker):
    """A fee-on-transfer token whose fee anyone sets, up to all of a transfer; starts at none."""
    contract = AdjustableFeeToken.deploy({"from": deployer})
    for holder in (maker, taker):
        contract.mint(holder, ODD_SUPPLY, {"from": deployer})
    return contract


@pytest.mark.parametrize("ending", ["engage", "cancel", "due"])
def test_a_token_that_took_all_of_the_input_on_the_way_in_leaves_a_swap_nobody_can_pay_for(
    swallowing, swap, manager, domain_escrow, maker, taker, stranger, ending
):
    fund(domain_escrow, maker, swallowing, FUNDED)
    fund(domain_escrow, taker, ETH, FUNDED)
    swallowing.setFeeBasisPoints(10_000, {"from": stranger})
    tx = manager.createIssuance(swap_terms(HOUR, swallowing, ETH, INPUT, OUTPUT), {"from": maker})
    issuance = IssuanceEscrow.at(manager.getIssuanceEscrow(1))
    # The maker's commitment has no minimum: it goes through, and nothing arrived.
    assert tx.events["TransferExecuted"]["amount"] == 0
    assert domain_escrow.getTokenBalance(maker, swallowing) == FUNDED - INPUT
    assert issuance.getTokenBalance(maker, swallowing) == held(issuance, swallowing) == 0
    swallowing.setFeeBasisPoints(0, {"from": stranger})
    accounts, assets = [maker, taker, stranger], [swallowing, ETH]

    def state():
        return snapshot([domain_escrow, issuance], accounts, assets, [manager]), swap.getIssuance(manager, 1)

    before = state()
    if ending == "engage":
        # The taker would pay OUTPUT wei for the whole balance of nothing: refused, nothing moves.
        with reverts("ManagerCreditBelowMinimum", 1, swallowing, taker, 0, 1):
            manager.engageIssuance(1, b"", {"from": taker})
        assert state() == before
        assert domain_escrow.getBalance(taker) == FUNDED
        return
    if ending == "cancel":
        tx = manager.processEvent(1, 0, CANCEL_ISSUANCE, b"", {"from": maker})
        final_state = SwapState.CANCELLED
    else:
        chain.sleep(HOUR + 1)
        chain.mine()
        tx = manager.processEvent(1, 0, ISSUANCE_DUE, b"", {"from": stranger})
        final_state = SwapState.COMPLETE_NOT_ENGAGED
    # The maker takes back its commitment, which is nothing: no transfer, no revert.
    assert "TransferExecuted" not in tx.events
    assert swap.getIssuance(manager, 1)["state"] == final_state
    assert state()[0] == before[0]
    assert_books_exact([domain_escrow, issuance], accounts, assets)


def test_a_token_that_takes_all_of_the_input_on_the_way_out_cannot_be_engaged_until_it_lets_some_through(
    swallowing, swap, manager, domain_escrow, maker, taker, stranger
):
    fund(domain_escrow, maker, swallowing, FUNDED)
    fund(domain_escrow, taker, ETH, FUNDED)
    manager.createIssuance(swap_terms(HOUR, swallowing, ETH, INPUT, OUTPUT), {"from": maker})
    issuance = IssuanceEscrow.at(manager.getIssuanceEscrow(1))
    accounts, assets = [maker, taker], [swallowing, ETH]
    swallowing.setFeeBasisPoints(10_000, {"from": stranger})

    before = snapshot([domain_escrow, issuance], accounts, assets, [manager]), swap.getIssuance(manager, 1)
    with reverts("ManagerCreditBelowMinimum", 1, swallowing, taker, 0, 1):
        manager.engageIssuance(1, b"", {"from": taker})
    assert (snapshot([domain_escrow, issuance], accounts, assets, [manager]), swap.getIssuance(manager, 1)) == before

    swallowing.setFeeBasisPoints(9_999, {"from": stranger})
    tx = manager.engageIssuance(1, b"", {"from": taker})
    arrived = INPUT - INPUT * 9_999 // 10_000
    assert arrived == 1
    assert tx.events["TransferExecuted"][1]["amount"] == arrived
    assert domain_escrow.getTokenBalance(taker, swallowing) == arrived
    assert domain_escrow.getBalance(maker) == OUTPUT
    assert_books_exact([domain_escrow, issuance], accounts, assets)
