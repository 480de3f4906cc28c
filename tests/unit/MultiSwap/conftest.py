"""Fixtures for the MultiSwap tests: a MultiSwap domain, which stands in here for the conftest's
Swap domain as `manager` and `domain_escrow`; more takers; a snapshot of everything the domain
holds; and, after every test, a check that each of its escrows holds exactly what it books."""

import pytest
from brownie import accounts

from multiswap_support import EXTRA_TAKER_SUPPLY
from support import ETH, activate, assert_books_exact, domain_escrows, everything


@pytest.fixture(scope="module")
def multiswap_domain(registry, multiswap, provider):
    """An activated MultiSwap domain: (manager, its Instrument Escrow)."""
    return activate(registry, multiswap, provider)


@pytest.fixture(scope="module")
def manager(multiswap_domain):
    """The Instrument Manager of the MultiSwap domain."""
    return multiswap_domain[0]


@pytest.fixture(scope="module")
def domain_escrow(multiswap_domain):
    """The Instrument Escrow of the MultiSwap domain."""
    return multiswap_domain[1]


@pytest.fixture(scope="module")
def extra_takers(deployer, token, other_token, fee_token):
    """accounts[5..8], each holding every test token (and its own ETH)."""
    extra = list(accounts[5:9])
    for holder in extra:
        for contract in (token, other_token, fee_token):
            contract.mint(holder, EXTRA_TAKER_SUPPLY, {"from": deployer})
    return extra


@pytest.fixture(scope="module")
def parties(maker, taker, stranger, extra_takers):
    """Everyone who may hold anything in the domain's escrows."""
    return [maker, taker, stranger, *extra_takers]


@pytest.fixture(scope="module")
def assets(token, other_token, fee_token, adjustable_fee_token):
    return [token, other_token, fee_token, adjustable_fee_token, ETH]


@pytest.fixture
def state(multiswap, manager, domain_escrow, parties, assets):
    """A function returning everything the MultiSwap domain holds and records, right now."""
    return lambda: everything(multiswap, manager, domain_escrow, parties, assets)


@pytest.fixture(autouse=True)
def escrows_stay_solvent(manager, domain_escrow, parties, assets):
    """After each test, every escrow of the domain holds exactly what its ledger books its parties."""
    yield
    assert_books_exact(domain_escrows(manager, domain_escrow), parties, assets)
