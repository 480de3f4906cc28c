"""Fixtures for the price oracle tests: both oracles owned by the deployer, a feed and tokens of
6, 8 and 18 decimals (named after the real tokens that have them)."""

import pytest
from brownie import AdminPriceOracle, ChainlinkPriceOracle, MockAggregator, MockERC20

from oracle_support import FEED_ANSWER, FEED_DECIMALS, AdminPairs, ChainlinkPairs, everything
from support import ETH


@pytest.fixture(scope="module")
def admin_oracle(deployer):
    return AdminPriceOracle.deploy(deployer, {"from": deployer})


@pytest.fixture(scope="module")
def chainlink_oracle(deployer):
    return ChainlinkPriceOracle.deploy(deployer, {"from": deployer})


@pytest.fixture(scope="module")
def aggregator(deployer):
    """A feed answering FEED_ANSWER with FEED_DECIMALS decimals, updated at deployment."""
    return MockAggregator.deploy(FEED_DECIMALS, FEED_ANSWER, {"from": deployer})


@pytest.fixture(scope="module")
def usdc(deployer):
    return MockERC20.deploy("USD Coin", "USDC", 6, {"from": deployer})


@pytest.fixture(scope="module")
def wbtc(deployer):
    return MockERC20.deploy("Wrapped Bitcoin", "WBTC", 8, {"from": deployer})


@pytest.fixture(scope="module")
def dai(deployer):
    return MockERC20.deploy("Dai", "DAI", 18, {"from": deployer})


@pytest.fixture(scope="module", params=["admin", "chainlink"])
def pairs(request, admin_oracle, chainlink_oracle, aggregator):
    """Each oracle in turn behind one face (oracle_support.AdminPairs / ChainlinkPairs), for the
    rules both share: setting, removing and reading entries, ownership."""
    if request.param == "admin":
        return AdminPairs(admin_oracle)
    return ChainlinkPairs(chainlink_oracle, aggregator)


@pytest.fixture
def state(pairs, usdc, wbtc, dai):
    """A function returning every entry between the test tokens and ETH, and the ownership."""
    return lambda: everything(pairs, [usdc, wbtc, dai, ETH])
