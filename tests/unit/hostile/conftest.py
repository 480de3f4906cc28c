"""Fixtures for the hostile and odd token tests.

`odd` is parametrised over every kind of odd token (in the style of yearn's `token` fixtures):
each test that takes it runs once per kind. Every kind is minted (ODD_SUPPLY) to the maker, the
taker, the stranger and the admin. Max-amount, rebasing, failing and re-entering cases have their
own fixtures in the modules that need them.
"""

import pytest
from brownie import (
    FalseReturnToken,
    FeeOnTopToken,
    FeeOnTransferToken,
    MockERC20,
    NoReturnToken,
    RebasingToken,
    ReentrantToken,
)

from hostile_support import ODD_SUPPLY, OddToken

FEE_BPS = 100  # 1% burned on every transfer

# kind -> deploy(deployer): the token contract and its fee in basis points.
KINDS = {
    "fee_on_transfer": lambda d: (FeeOnTransferToken.deploy(FEE_BPS, {"from": d}), FEE_BPS),
    "no_return_value": lambda d: (NoReturnToken.deploy({"from": d}), 0),
    "false_on_failure": lambda d: (FalseReturnToken.deploy({"from": d}), 0),
    "reentrant_hook": lambda d: (ReentrantToken.deploy({"from": d}), 0),
    "rebasing": lambda d: (RebasingToken.deploy({"from": d}), 0),
    # Charges the sender a fee on top when switched on (test_hostile_fee_on_top_token.py); off here.
    "fee_on_top_switched_off": lambda d: (FeeOnTopToken.deploy({"from": d}), 0),
    "six_decimals": lambda d: (MockERC20.deploy("Six", "SIX", 6, {"from": d}), 0),
    "zero_decimals": lambda d: (MockERC20.deploy("Zero", "ZERO", 0, {"from": d}), 0),
}


@pytest.fixture(scope="module", params=list(KINDS))
def odd(request, deployer, maker, taker, stranger, admin):
    """One odd token per kind, minted to every role; `odd.token` is the contract."""
    contract, fee = KINDS[request.param](deployer)
    for holder in (maker, taker, stranger, admin):
        contract.mint(holder, ODD_SUPPLY, {"from": deployer})
    return OddToken(request.param, contract, fee)
