"""Ownership of both oracles (OpenZeppelin Ownable2Step): set at deployment, moved only when the
new owner accepts, and only the current owner may change entries."""

import pytest
from brownie import ZERO_ADDRESS, AdminPriceOracle, ChainlinkPriceOracle

from support import reverts


@pytest.mark.parametrize("contract_type", [AdminPriceOracle, ChainlinkPriceOracle], ids=lambda c: c._name)
def test_the_owner_is_the_account_given_at_deployment(contract_type, deployer, stranger):
    oracle = contract_type.deploy(stranger, {"from": deployer})
    assert oracle.owner() == stranger
    assert oracle.pendingOwner() == ZERO_ADDRESS
    with reverts("OwnableInvalidOwner", ZERO_ADDRESS):
        contract_type.deploy(ZERO_ADDRESS, {"from": deployer})


def test_ownership_moves_only_when_the_new_owner_accepts(pairs, usdc, dai, deployer, maker, stranger):
    oracle = pairs.oracle
    tx = oracle.transferOwnership(maker, {"from": deployer})
    assert dict(tx.events["OwnershipTransferStarted"]) == {"previousOwner": deployer, "newOwner": maker}
    assert oracle.owner() == deployer
    assert oracle.pendingOwner() == maker

    # Until it accepts, the pending owner has no rights and the owner keeps them.
    with reverts("OwnableUnauthorizedAccount", maker):
        pairs.set(usdc, dai, maker)
    pairs.set(usdc, dai, deployer)
    with reverts("OwnableUnauthorizedAccount", stranger):
        oracle.acceptOwnership({"from": stranger})

    tx = oracle.acceptOwnership({"from": maker})

    assert dict(tx.events["OwnershipTransferred"]) == {"previousOwner": deployer, "newOwner": maker}
    assert oracle.owner() == maker
    assert oracle.pendingOwner() == ZERO_ADDRESS
    with reverts("OwnableUnauthorizedAccount", deployer):
        pairs.remove(usdc, dai, deployer)
    pairs.remove(usdc, dai, maker)
    assert pairs.entry(usdc, dai) == pairs.EMPTY


def test_only_the_owner_starts_a_transfer(pairs, deployer, stranger):
    with reverts("OwnableUnauthorizedAccount", stranger):
        pairs.oracle.transferOwnership(stranger, {"from": stranger})
    assert pairs.oracle.pendingOwner() == ZERO_ADDRESS
    assert pairs.oracle.owner() == deployer
