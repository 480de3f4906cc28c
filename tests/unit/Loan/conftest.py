"""Fixtures for the Lending and Borrowing tests: an admin-set oracle, a token whose fee anyone
switches, and one domain of each instrument; `loan` runs a test for both."""

from types import SimpleNamespace

import pytest
from brownie import AdjustableFeeToken, AdminPriceOracle, Borrowing, Lending

from loan_support import RATE
from support import ETH, activate, everything


@pytest.fixture(scope="module")
def switch_token(deployer, maker, taker, stranger):
    """A token with no fee until someone (anyone) switches one on: `setFeeBasisPoints`, up to
    10,000 (everything of every transfer)."""
    contract = AdjustableFeeToken.deploy({"from": deployer})
    for holder in (maker, taker, stranger):
        contract.mint(holder, 10**21, {"from": deployer})
    return contract


@pytest.fixture(scope="module")
def oracle(deployer, token, other_token, fee_token, switch_token):
    """The oracle's owner is the deployer; every pair the tests use is worth RATE."""
    contract = AdminPriceOracle.deploy(deployer, {"from": deployer})
    contract.setRate(token, other_token, *RATE, {"from": deployer})
    contract.setRate(token, fee_token, *RATE, {"from": deployer})
    contract.setRate(token, switch_token, *RATE, {"from": deployer})
    contract.setRate(switch_token, other_token, *RATE, {"from": deployer})
    contract.setRate(token, ETH, *RATE, {"from": deployer})
    contract.setRate(ETH, other_token, *RATE, {"from": deployer})
    return contract


def _domain(instrument, registry, provider, lends):
    manager, escrow = activate(registry, instrument, provider)
    return SimpleNamespace(instrument=instrument, manager=manager, escrow=escrow, lends=lends)


@pytest.fixture(scope="module")
def lending_domain(oracle, registry, provider, deployer):
    return _domain(Lending.deploy(oracle, {"from": deployer}), registry, provider, True)


@pytest.fixture(scope="module")
def borrowing_domain(oracle, registry, provider, deployer):
    return _domain(Borrowing.deploy(oracle, {"from": deployer}), registry, provider, False)


@pytest.fixture(scope="module", params=["lending", "borrowing"])
def loan(request, lending_domain, borrowing_domain):
    """Each test taking `loan` runs once for Lending (maker lends) and once for Borrowing."""
    return lending_domain if request.param == "lending" else borrowing_domain


@pytest.fixture
def state(loan, token, other_token, fee_token, switch_token, maker, taker, stranger):
    """A function returning everything the loan's domain holds and records, right now."""
    return lambda: everything(
        loan.instrument,
        loan.manager,
        loan.escrow,
        [maker, taker, stranger],
        [token, other_token, fee_token, switch_token, ETH],
    )
