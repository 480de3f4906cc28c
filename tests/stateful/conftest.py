"""Fixtures for the stateful tier: five domains (two Swap, Lending, Borrowing, MultiSwap), the
price oracle of the loans, four users, four tokens and the profile.

Everything here is module-scoped, so it is deployed once and lies inside the chain snapshot that
brownie's `state_machine` reverts to before every example.

Profiles (environment variable `STATEFUL_PROFILE`):
- `ci` (default): what `./run test` runs, 20 examples x 25 steps: a check that the machine and its
  model still agree with the contracts. The invariant campaigns of the Foundry tier
  (tests/foundry/invariant, 100,000 calls per run) carry the depth.
- `medium`: about three times the steps of `ci`, for an extra check before a merge.
- `deep`: about 10,000 steps (roughly 15-25 minutes); run it after touching escrows, manager or an instrument:
  `STATEFUL_PROFILE=deep ./run test tests/stateful`.
"""

import os
from types import SimpleNamespace

import pytest
from brownie import (
    AdjustableFeeToken,
    AdminPriceOracle,
    Borrowing,
    FeeOnTransferToken,
    Lending,
    MockERC20,
    accounts,
)
from escrow_machine import BASE_DOMAINS
from hypothesis import HealthCheck
from loan_rules import INITIAL_RATES

from support import ETH, activate

PROFILES = {
    "smoke": {"max_examples": 2, "stateful_step_count": 10},
    "ci": {"max_examples": 20, "stateful_step_count": 25},
    "medium": {"max_examples": 100, "stateful_step_count": 40},
    "deep": {"max_examples": 200, "stateful_step_count": 60},
}

USER_SUPPLY = 10**30
FEE_BASIS_POINTS = 100


@pytest.fixture(scope="session")
def stateful_settings():
    """Hypothesis settings of the profile named by STATEFUL_PROFILE (default `ci`)."""
    name = os.environ.get("STATEFUL_PROFILE", "ci")
    if name not in PROFILES:
        raise pytest.UsageError(f"STATEFUL_PROFILE={name!r}: choose one of {', '.join(PROFILES)}")
    return {
        **PROFILES[name],
        "deadline": None,
        "report_multiple_bugs": False,
        "suppress_health_check": list(HealthCheck),
    }


@pytest.fixture(scope="module")
def users():
    """Four users who deposit, make, take, cancel and close."""
    return [accounts[2], accounts[3], accounts[4], accounts[5]]


@pytest.fixture(scope="module")
def providers(provider):
    """The providers of the two domains: the conftest's provider and a second one."""
    return [provider, accounts[6]]


@pytest.fixture(scope="module")
def assets(deployer, users):
    """[(key, contract)]: ETH, an 18-decimal token, a 6-decimal token, a 1% fee-on-transfer token
    and a fee-on-transfer token whose fee anyone may change (no fee until the machine sets one)."""
    plain = MockERC20.deploy("Alpha", "ALP", 18, {"from": deployer})
    small = MockERC20.deploy("Beta", "BET", 6, {"from": deployer})
    fee = FeeOnTransferToken.deploy(FEE_BASIS_POINTS, {"from": deployer})
    adjustable = AdjustableFeeToken.deploy({"from": deployer})
    for contract in (plain, small, fee, adjustable):
        for user in users:
            contract.mint(user, USER_SUPPLY, {"from": deployer})
    return [(ETH, None)] + [(contract.address, contract) for contract in (plain, small, fee, adjustable)]


@pytest.fixture(scope="module")
def oracle(deployer, assets):
    """The AdminPriceOracle (owned by the deployer) of Lending and Borrowing, at loan_rules.INITIAL_RATES."""
    contract = AdminPriceOracle.deploy(deployer, {"from": deployer})
    for (base, quote), (numerator, denominator) in INITIAL_RATES.items():
        contract.setRate(assets[base][0], assets[quote][0], numerator, denominator, {"from": deployer})
    return contract


@pytest.fixture(scope="module")
def instruments(swap, multiswap, oracle, deployer):
    """Each instrument of escrow_machine.BASE_DOMAINS by name; the loans priced by `oracle`."""
    return {
        "swap": swap,
        "lending": Lending.deploy(oracle, {"from": deployer}),
        "borrowing": Borrowing.deploy(oracle, {"from": deployer}),
        "multiswap": multiswap,
    }


@pytest.fixture(scope="module")
def domains(registry, instruments, providers, users, assets):
    """The domains of escrow_machine.BASE_DOMAINS (two of the Swap, one of each other instrument),
    activated through one registry by the two providers in turn: [SimpleNamespace(name,
    instrument, provider, manager, escrow)].

    Every user has approved every Instrument Escrow for every token, once, here.
    """
    result = []
    for i, name in enumerate(BASE_DOMAINS):
        provider = providers[i % len(providers)]
        manager, escrow = activate(registry, instruments[name], provider)
        result.append(
            SimpleNamespace(name=name, instrument=instruments[name], provider=provider, manager=manager, escrow=escrow)
        )
        for _, contract in assets[1:]:
            for user in users:
                contract.approve(escrow, 2**256 - 1, {"from": user})
    return result


@pytest.fixture(scope="module")
def funding(domains, users, assets):
    """{token: amount} every user deposited in every domain before the machine starts.

    So every example can make, take and withdraw from its first step on, whatever rules
    hypothesis enables in it; the 1% fee token books 1% less than this.
    """
    amounts = {ETH: 10**20, **{token: 10**21 for token, _ in assets[1:]}}
    for escrow in (dom.escrow for dom in domains):
        for user in users:
            for token, contract in assets:
                if contract is None:
                    escrow.deposit({"from": user, "value": amounts[token]})
                else:  # approved in `domains`
                    escrow.depositToken(contract, amounts[token], {"from": user})
    return amounts
