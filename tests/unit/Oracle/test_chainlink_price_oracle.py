"""ChainlinkPriceOracle: feed answers scaled by both tokens' decimals, in both directions, and every
answer that cannot be trusted (not positive, too large, stale, of an impossible time) refused."""

from decimal import Decimal

import pytest
from brownie import ZERO_ADDRESS, MockAggregator, MockERC20, chain

from oracle_support import FEED_ANSWER, FEED_DECIMALS, HOUR, ChainlinkPairs, convert, everything, mine_at, rate
from support import ETH, reverts

MAX_UINT = 2**256 - 1
MAX_INT = 2**255 - 1
DECIMALS = {"usdc": 6, "wbtc": 8, "dai": 18, "eth": 18}


@pytest.fixture
def feeds(chainlink_oracle, aggregator, usdc, wbtc, dai):
    """A function returning every feed between the test tokens and ETH, and the ownership."""
    pairs = ChainlinkPairs(chainlink_oracle, aggregator)
    return lambda: everything(pairs, [usdc, wbtc, dai, ETH])


@pytest.fixture
def eth_usdc(chainlink_oracle, aggregator, usdc, deployer):
    """The conftest's feed (3,000 with 8 decimals) registered as the price of one ETH in USDC."""
    chainlink_oracle.setFeed(ETH, usdc, aggregator, HOUR, 0, 0, {"from": deployer})
    return aggregator


def units(amount, decimals):
    """`amount` whole tokens (a decimal string) in smallest units; it must be exact."""
    value = Decimal(amount) * 10**decimals
    assert value == int(value), f"{amount} has more than {decimals} decimals"
    return int(value)


# --------------------------------------------------------------------------------------- rates


def test_1500_usdc_is_half_an_eth_at_3000_usdc_per_eth(chainlink_oracle, eth_usdc, usdc):
    assert FEED_ANSWER == 3_000 * 10**8 and FEED_DECIMALS == 8
    # The documented formula: answer * 10**quoteDecimals / 10**(feedDecimals + baseDecimals).
    assert rate(chainlink_oracle, ETH, usdc) == (3_000 * 10**8 * 10**6, 10 ** (8 + 18))
    assert rate(chainlink_oracle, usdc, ETH) == (10 ** (8 + 18), 3_000 * 10**8 * 10**6)

    assert convert(1_500 * 10**6, rate(chainlink_oracle, usdc, ETH)) == 5 * 10**17
    assert convert(5 * 10**17, rate(chainlink_oracle, ETH, usdc)) == 1_500 * 10**6
    assert convert(1, rate(chainlink_oracle, ETH, usdc)) == 0  # one wei is worth less than a USDC unit


@pytest.mark.parametrize(
    "base, quote, feed_decimals, price, amount, worth",
    [
        ("usdc", "dai", 8, "1.0001", "1500", "1500.15"),
        ("dai", "usdc", 18, "0.9999", "1500", "1499.85"),
        ("wbtc", "dai", 8, "60000", "0.01", "600"),
        ("dai", "wbtc", 8, "0.00002", "600", "0.012"),
        ("eth", "usdc", 8, "3000", "0.5", "1500"),
        ("usdc", "eth", 18, "0.0004", "1500", "0.6"),
        ("wbtc", "eth", 18, "20.5", "1", "20.5"),
        ("eth", "wbtc", 6, "0.05", "3", "0.15"),
        ("wbtc", "usdc", 0, "60000", "0.5", "30000"),
    ],
    ids=["6to18", "18to6", "8to18", "18to8", "ETHto6", "6toETH", "8toETH", "ETHto8", "feed0decimals"],
)
def test_a_feed_prices_whole_tokens_and_the_rate_converts_smallest_units_both_ways(
    chainlink_oracle, usdc, wbtc, dai, deployer, base, quote, feed_decimals, price, amount, worth
):
    """`amount` whole base tokens are worth `worth` whole quote tokens when one base costs `price`."""
    named = {"usdc": usdc, "wbtc": wbtc, "dai": dai, "eth": ETH}
    feed = MockAggregator.deploy(feed_decimals, units(price, feed_decimals), {"from": deployer})
    chainlink_oracle.setFeed(named[base], named[quote], feed, HOUR, 0, 0, {"from": deployer})
    base_units, worth_units = units(amount, DECIMALS[base]), units(worth, DECIMALS[quote])

    forward = rate(chainlink_oracle, named[base], named[quote])
    backward = rate(chainlink_oracle, named[quote], named[base])

    assert backward == forward[::-1]
    assert convert(base_units, forward) == worth_units
    assert base_units * forward[0] % forward[1] == 0  # exactly, not rounded
    assert convert(worth_units, backward) == base_units


def test_a_new_answer_is_used_at_once(chainlink_oracle, eth_usdc, usdc, deployer):
    round_before = eth_usdc.roundId()
    eth_usdc.setAnswer(2_500 * 10**8, {"from": deployer})
    assert eth_usdc.roundId() == round_before + 1
    assert convert(10**18, rate(chainlink_oracle, ETH, usdc)) == 2_500 * 10**6
    assert convert(1_000 * 10**6, rate(chainlink_oracle, usdc, ETH)) == 4 * 10**17


# ------------------------------------------------------------------------------ bad feed input


@pytest.mark.parametrize("feed", ["stranger", "zero"])
def test_a_feed_without_code_is_refused(chainlink_oracle, usdc, deployer, stranger, feeds, feed):
    address = stranger.address if feed == "stranger" else ZERO_ADDRESS
    before = feeds()
    with reverts("ChainlinkOracleFeedNotContract", address):
        chainlink_oracle.setFeed(ETH, usdc, address, HOUR, 0, 0, {"from": deployer})
    assert feeds() == before


def test_a_zero_max_age_is_refused(chainlink_oracle, aggregator, usdc, deployer, feeds):
    before = feeds()
    with reverts("ChainlinkOracleZeroMaxAge"):
        chainlink_oracle.setFeed(ETH, usdc, aggregator, 0, 0, 0, {"from": deployer})
    assert feeds() == before


@pytest.mark.parametrize("role", ["base", "quote", "feed"])
def test_a_token_or_feed_without_decimals_is_refused(
    chainlink_oracle, admin_oracle, aggregator, usdc, deployer, feeds, role
):
    # The admin oracle is a contract without `decimals()`.
    base, quote, feed = {
        "base": (admin_oracle, usdc, aggregator),
        "quote": (usdc, admin_oracle, aggregator),
        "feed": (ETH, usdc, admin_oracle),
    }[role]
    before = feeds()
    with reverts("ChainlinkOracleNoDecimals", admin_oracle):
        chainlink_oracle.setFeed(base, quote, feed, HOUR, 0, 0, {"from": deployer})
    assert feeds() == before


@pytest.mark.parametrize("role", ["base", "quote", "feed"])
def test_more_than_36_decimals_are_refused(chainlink_oracle, aggregator, usdc, deployer, feeds, role):
    too_precise = MockERC20.deploy("Too precise", "TP", 37, {"from": deployer})
    feed_37 = MockAggregator.deploy(37, 1, {"from": deployer})
    base, quote, feed, culprit = {
        "base": (too_precise, usdc, aggregator, too_precise),
        "quote": (usdc, too_precise, aggregator, too_precise),
        "feed": (ETH, usdc, feed_37, feed_37),
    }[role]
    before = feeds()
    with reverts("ChainlinkOracleDecimalsTooLarge", culprit, 37, 36):
        chainlink_oracle.setFeed(base, quote, feed, HOUR, 0, 0, {"from": deployer})
    assert feeds() == before
    assert chainlink_oracle.MAX_DECIMALS() == 36


def test_decimals_are_read_on_every_call(chainlink_oracle, eth_usdc, usdc, deployer):
    eth_usdc.setDecimals(37, {"from": deployer})
    for base, quote in ((ETH, usdc), (usdc, ETH)):
        with reverts("ChainlinkOracleDecimalsTooLarge", eth_usdc, 37, 36):
            chainlink_oracle.getRate(base, quote)

    # The same answer, 300,000,000,000, read with 9 decimals: 300 USDC per ETH.
    eth_usdc.setDecimals(9, {"from": deployer})
    assert convert(10**18, rate(chainlink_oracle, ETH, usdc)) == 300 * 10**6


# ------------------------------------------------------------------------------ bad answers


@pytest.mark.parametrize("answer", [0, -1, -3_000 * 10**8, -(2**255)], ids=["zero", "minus_one", "negative", "min"])
def test_a_non_positive_answer_is_refused_in_both_directions(chainlink_oracle, eth_usdc, usdc, deployer, answer):
    eth_usdc.setAnswer(answer, {"from": deployer})
    for base, quote in ((ETH, usdc), (usdc, ETH)):
        with reverts("ChainlinkOracleNonPositiveAnswer", eth_usdc, answer):
            chainlink_oracle.getRate(base, quote)


def test_the_largest_answer_at_36_decimals_everywhere_does_not_overflow(chainlink_oracle, deployer):
    base = MockERC20.deploy("Base", "B36", 36, {"from": deployer})
    quote = MockERC20.deploy("Quote", "Q36", 36, {"from": deployer})
    largest = MAX_UINT // 10**36
    assert largest > 10**41
    feed = MockAggregator.deploy(36, largest, {"from": deployer})
    chainlink_oracle.setFeed(base, quote, feed, HOUR, 0, 0, {"from": deployer})

    assert rate(chainlink_oracle, base, quote) == (largest * 10**36, 10**72)
    assert rate(chainlink_oracle, quote, base) == (10**72, largest * 10**36)

    feed.setAnswer(largest + 1, {"from": deployer})
    for pair in ((base, quote), (quote, base)):
        with reverts("ChainlinkOracleAnswerTooLarge", feed, largest + 1, largest):
            chainlink_oracle.getRate(*pair)


def test_the_largest_answer_depends_on_the_quote_decimals(chainlink_oracle, dai, deployer):
    feed = MockAggregator.deploy(8, MAX_INT, {"from": deployer})
    chainlink_oracle.setFeed(ETH, dai, feed, HOUR, 0, 0, {"from": deployer})
    with reverts("ChainlinkOracleAnswerTooLarge", feed, MAX_INT, MAX_UINT // 10**18):
        chainlink_oracle.getRate(ETH, dai)

    # With a quote token of no decimals every positive int256 answer fits.
    whole = MockERC20.deploy("Whole", "WHL", 0, {"from": deployer})
    chainlink_oracle.setFeed(ETH, whole, feed, HOUR, 0, 0, {"from": deployer})
    assert rate(chainlink_oracle, ETH, whole) == (MAX_INT, 10 ** (8 + 18))


def test_an_answer_without_an_update_time_is_refused(chainlink_oracle, eth_usdc, usdc, deployer):
    eth_usdc.setUpdatedAt(0, {"from": deployer})
    for base, quote in ((ETH, usdc), (usdc, ETH)):
        with reverts("ChainlinkOracleInvalidUpdateTime", eth_usdc, 0):
            chainlink_oracle.getRate(base, quote)


def test_an_answer_updated_in_the_future_is_refused(chainlink_oracle, eth_usdc, usdc, deployer):
    now = chain[-1].timestamp
    future = now + 3_600
    eth_usdc.setUpdatedAt(future, {"from": deployer})
    assert chain[-1].timestamp < future
    for base, quote in ((ETH, usdc), (usdc, ETH)):
        with reverts("ChainlinkOracleInvalidUpdateTime", eth_usdc, future):
            chainlink_oracle.getRate(base, quote)

    mine_at(future)  # no longer in the future: an answer of age zero
    assert convert(10**18, rate(chainlink_oracle, ETH, usdc)) == 3_000 * 10**6


def test_an_answer_older_than_the_max_age_is_stale(chainlink_oracle, eth_usdc, usdc, deployer):
    updated_at = eth_usdc.setAnswer(3_100 * 10**8, {"from": deployer}).timestamp
    assert eth_usdc.updatedAt() == updated_at

    chain.sleep(HOUR - 60)
    chain.mine()
    assert convert(10**18, rate(chainlink_oracle, ETH, usdc)) == 3_100 * 10**6

    chain.sleep(120)
    chain.mine()
    for base, quote in ((ETH, usdc), (usdc, ETH)):
        with reverts("ChainlinkOracleStaleAnswer", eth_usdc, updated_at, HOUR):
            chainlink_oracle.getRate(base, quote)

    # A new answer is fresh again.
    eth_usdc.setAnswer(3_200 * 10**8, {"from": deployer})
    assert convert(10**18, rate(chainlink_oracle, ETH, usdc)) == 3_200 * 10**6


def test_an_answer_exactly_max_age_old_is_still_fresh(chainlink_oracle, eth_usdc, usdc, deployer):
    updated_at = eth_usdc.setAnswer(3_100 * 10**8, {"from": deployer}).timestamp

    mine_at(updated_at + HOUR)
    assert convert(10**18, rate(chainlink_oracle, ETH, usdc)) == 3_100 * 10**6

    mine_at(updated_at + HOUR + 1)
    with reverts("ChainlinkOracleStaleAnswer", eth_usdc, updated_at, HOUR):
        chainlink_oracle.getRate(ETH, usdc)


def test_each_pair_has_its_own_max_age(chainlink_oracle, eth_usdc, usdc, dai, deployer):
    chainlink_oracle.setFeed(dai, ETH, eth_usdc, 10 * HOUR, 0, 0, {"from": deployer})
    updated_at = eth_usdc.updatedAt()
    mine_at(updated_at + 2 * HOUR)
    with reverts("ChainlinkOracleStaleAnswer", eth_usdc, updated_at, HOUR):
        chainlink_oracle.getRate(ETH, usdc)
    assert rate(chainlink_oracle, dai, ETH) == (3_000 * 10**8 * 10**18, 10 ** (8 + 18))
