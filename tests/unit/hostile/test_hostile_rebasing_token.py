"""A rebasing token whose balances shrink (RebasingToken.rebase scales every balance): after a
shrink the ledger promises more than the escrow holds. The escrow stays honest: it never pays out
more than it holds, a withdrawal or move it cannot pay reverts (with the token's own error) and
changes nothing, and users can still withdraw, first come first served, up to what it holds.
"""

import pytest
from brownie import IssuanceEscrow, RebasingToken, chain

from hostile_support import snapshot
from nuts_escrow import CANCEL_ISSUANCE, ISSUANCE_DUE
from support import ETH, fund, reverts, swap_terms

SUPPLY = 10**6
HOUR = 3600


@pytest.fixture(scope="module")
def rebasing(deployer, maker, taker, stranger, admin):
    contract = RebasingToken.deploy({"from": deployer})
    for holder in (maker, taker, stranger, admin):
        contract.mint(holder, SUPPLY, {"from": deployer})
    return contract


def test_only_the_owner_rebases(rebasing, stranger):
    with reverts("RebasingTokenUnauthorized", stranger):
        rebasing.rebase(1, 2, {"from": stranger})


def test_after_a_shrink_users_withdraw_first_come_first_served_up_to_what_the_escrow_holds(
    instrument_escrow, rebasing, deployer, maker, taker, stranger
):
    escrow = instrument_escrow
    fund(escrow, maker, rebasing, 1_000)
    fund(escrow, taker, rebasing, 1_000)
    rebasing.rebase(3, 4, {"from": deployer})
    assert rebasing.balanceOf(escrow) == 1_500
    assert escrow.getTokenBalance(maker, rebasing) + escrow.getTokenBalance(taker, rebasing) == 2_000

    def state():
        return snapshot([escrow], [maker, taker, stranger], [rebasing, ETH])

    escrow.withdrawToken(rebasing, 1_000, {"from": maker})
    assert rebasing.balanceOf(escrow) == 500
    assert escrow.getTokenBalance(maker, rebasing) == 0

    # The taker's full balance is more than the escrow holds: refused, nothing changes.
    before = state()
    with reverts("ERC20InsufficientBalance", escrow, 500, 1_000):
        escrow.withdrawToken(rebasing, 1_000, {"from": taker})
    assert state() == before

    # Up to what the escrow holds still comes out.
    escrow.withdrawToken(rebasing, 500, {"from": taker})
    assert rebasing.balanceOf(taker) == (SUPPLY - 1_000) * 3 // 4 + 500
    assert escrow.getTokenBalance(taker, rebasing) == 500
    assert rebasing.balanceOf(escrow) == 0

    before = state()
    with reverts("ERC20InsufficientBalance", escrow, 0, 1):
        escrow.withdrawToken(rebasing, 1, {"from": taker})
    assert state() == before


def test_a_shrunk_escrow_pays_out_no_more_than_it_holds_through_admin_functions(
    escrow, rebasing, deployer, admin, maker, taker
):
    rebasing.approve(escrow, 2_000, {"from": admin})
    escrow.depositTokenByAdmin(maker, rebasing, 2_000, {"from": admin})
    rebasing.rebase(1, 2, {"from": deployer})

    def state():
        return snapshot([escrow], [admin, maker, taker], [rebasing, ETH])

    before = state()
    with reverts("ERC20InsufficientBalance", escrow, 1_000, 2_000):
        escrow.withdrawTokenByAdmin(maker, rebasing, 2_000, {"from": admin})
    with reverts("ERC20InsufficientBalance", escrow, 1_000, 1_001):
        escrow.sendTokenByAdmin(maker, rebasing, 1_001, taker, {"from": admin})
    assert state() == before

    escrow.sendTokenByAdmin(maker, rebasing, 1_000, taker, {"from": admin})
    assert rebasing.balanceOf(escrow) == 0
    assert escrow.getTokenBalance(maker, rebasing) == 1_000


def test_a_swap_whose_input_shrank_cannot_be_closed_until_its_escrow_holds_the_input_again(
    swap, manager, domain_escrow, rebasing, deployer, maker, stranger
):
    """The Swap returns the whole input the ledger books; while the Issuance Escrow holds less,
    cancelling (and closing when due) reverts with the token's error and changes nothing. When the
    balance grows back, the swap closes normally."""
    fund(domain_escrow, maker, rebasing, 1_000)
    manager.createIssuance(swap_terms(HOUR, rebasing, ETH, 1_000, 1), {"from": maker})
    issuance = IssuanceEscrow.at(manager.getIssuanceEscrow(1))
    rebasing.rebase(1, 2, {"from": deployer})

    def state():
        return (
            snapshot([domain_escrow, issuance], [maker, stranger], [rebasing, ETH], [manager]),
            swap.getIssuance(manager, 1),
        )

    before = state()
    with reverts("ERC20InsufficientBalance", issuance, 500, 1_000):
        manager.processEvent(1, 0, CANCEL_ISSUANCE, b"", {"from": maker})
    chain.sleep(HOUR + 1)
    chain.mine()
    with reverts("ERC20InsufficientBalance", issuance, 500, 1_000):
        manager.processEvent(1, 0, ISSUANCE_DUE, b"", {"from": stranger})
    assert state() == before

    rebasing.rebase(2, 1, {"from": deployer})
    manager.processEvent(1, 0, ISSUANCE_DUE, b"", {"from": stranger})
    assert domain_escrow.getTokenBalance(maker, rebasing) == 1_000
    assert rebasing.balanceOf(domain_escrow) == 1_000


def test_a_swap_cannot_commit_more_than_a_shrunk_instrument_escrow_holds(
    swap, manager, domain_escrow, rebasing, deployer, maker, taker
):
    fund(domain_escrow, maker, rebasing, 1_000)
    fund(domain_escrow, taker, rebasing, 1_000)
    rebasing.rebase(1, 4, {"from": deployer})
    before = snapshot([domain_escrow], [maker, taker], [rebasing, ETH], [manager]), manager.issuanceCount()

    with reverts("ERC20InsufficientBalance", domain_escrow, 500, 1_000):
        manager.createIssuance(swap_terms(HOUR, rebasing, ETH, 1_000, 1), {"from": maker})

    assert (snapshot([domain_escrow], [maker, taker], [rebasing, ETH], [manager]), manager.issuanceCount()) == before
    # What it holds can still be committed.
    manager.createIssuance(swap_terms(HOUR, rebasing, ETH, 500, 1), {"from": maker})
    assert rebasing.balanceOf(domain_escrow) == 0
    assert IssuanceEscrow.at(manager.getIssuanceEscrow(1)).getTokenBalance(maker, rebasing) == 500
