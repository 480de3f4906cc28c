"""ChainlinkPriceOracle feed changes and answer bounds: a pair's first feed takes effect at once;
replacing or removing it only FEED_CHANGE_DELAY after the owner announces it, the old feed answering
until then; the owner may cancel; and answers outside a feed's bounds are refused."""

import pytest
from brownie import ZERO_ADDRESS, MockAggregator, accounts

from oracle_support import (
    FEED_ANSWER,
    HOUR,
    ChainlinkPairs,
    convert,
    everything,
    mine_at,
    next_block_at,
    pending,
    rate,
)
from support import ETH, reverts

DELAY = 2 * 24 * HOUR
NOTHING_PENDING = (ZERO_ADDRESS, 0, 0, 0, 0)
MIN, MAX = 2_000 * 10**8, 4_000 * 10**8  # bounds around the conftest feed's 3,000.00000000


@pytest.fixture
def feeds(chainlink_oracle, aggregator, usdc, wbtc, dai):
    """A function returning every feed and pending change between the test tokens and ETH, and the
    ownership."""
    pairs = ChainlinkPairs(chainlink_oracle, aggregator)
    return lambda: everything(pairs, [usdc, wbtc, dai, ETH])


@pytest.fixture
def eth_usdc(chainlink_oracle, aggregator, usdc, deployer):
    """The conftest's feed (3,000 with 8 decimals) registered as the price of one ETH in USDC."""
    chainlink_oracle.setFeed(ETH, usdc, aggregator, HOUR, 0, 0, {"from": deployer})
    return aggregator


@pytest.fixture
def other_feed(deployer):
    """A second feed for ETH/USDC: 2,000 with 18 decimals."""
    return MockAggregator.deploy(18, 2_000 * 10**18, {"from": deployer})


def usdc_per_eth(oracle, usdc):
    """(USDC units for one ETH, wei for one USDC), by the rate in each direction."""
    return convert(10**18, rate(oracle, ETH, usdc)), convert(10**6, rate(oracle, usdc, ETH))


def feed_of(oracle, base, quote):
    feed, max_age, min_answer, max_answer = oracle.getFeed(base, quote)
    return (str(feed), int(max_age), int(min_answer), int(max_answer))


def refresh(*aggregators):
    """New rounds with the same answers: fresh again after time has passed (anyone may set a mock's
    answer)."""
    for aggregator in aggregators:
        aggregator.setAnswer(aggregator.answer(), {"from": accounts[-1]})


def test_the_delay_is_two_days(chainlink_oracle):
    assert chainlink_oracle.FEED_CHANGE_DELAY() == DELAY


# ------------------------------------------------------------------------------ the first feed


def test_a_first_feed_takes_effect_at_once(chainlink_oracle, aggregator, usdc, deployer):
    tx = chainlink_oracle.setFeed(ETH, usdc, aggregator, HOUR, MIN, MAX, {"from": deployer})

    assert dict(tx.events["FeedSet"]) == {
        "baseToken": ETH,
        "quoteToken": usdc.address,
        "feed": aggregator.address,
        "maxAge": HOUR,
        "minAnswer": MIN,
        "maxAnswer": MAX,
    }
    assert feed_of(chainlink_oracle, ETH, usdc) == (aggregator.address, HOUR, MIN, MAX)
    assert pending(chainlink_oracle, ETH, usdc) == NOTHING_PENDING
    assert usdc_per_eth(chainlink_oracle, usdc) == (3_000 * 10**6, 10**18 // 3_000)


def test_set_feed_refuses_a_pair_that_has_a_feed(chainlink_oracle, eth_usdc, other_feed, usdc, deployer, feeds):
    before = feeds()
    for feed in (other_feed, eth_usdc):  # even the same feed: a new maxAge or bounds is a change too
        with reverts("ChainlinkOracleFeedAlreadySet", ETH, usdc, eth_usdc):
            chainlink_oracle.setFeed(ETH, usdc, feed, 60, 0, 0, {"from": deployer})
    assert feeds() == before
    assert usdc_per_eth(chainlink_oracle, usdc)[0] == 3_000 * 10**6


# ------------------------------------------------------------------------------ replacement


def test_a_replacement_takes_effect_only_after_the_delay(
    chainlink_oracle, eth_usdc, other_feed, usdc, deployer, stranger
):
    tx = chainlink_oracle.announceFeedChange(ETH, usdc, other_feed, 2 * HOUR, MIN * 10**10, 0, {"from": deployer})

    executable_at = tx.timestamp + DELAY
    assert dict(tx.events["FeedChangeAnnounced"]) == {
        "baseToken": ETH,
        "quoteToken": usdc.address,
        "feed": other_feed.address,
        "maxAge": 2 * HOUR,
        "minAnswer": MIN * 10**10,
        "maxAnswer": 0,
        "executableAt": executable_at,
    }
    assert "FeedSet" not in tx.events
    assert pending(chainlink_oracle, ETH, usdc) == (other_feed.address, 2 * HOUR, MIN * 10**10, 0, executable_at)
    assert feed_of(chainlink_oracle, ETH, usdc) == (eth_usdc.address, HOUR, 0, 0)
    assert usdc_per_eth(chainlink_oracle, usdc)[0] == 3_000 * 10**6

    # During the delay the old feed keeps answering, and the change cannot be executed.
    mine_at(executable_at - 100)
    refresh(eth_usdc, other_feed)
    mine_at(executable_at - 3)
    assert usdc_per_eth(chainlink_oracle, usdc)[0] == 3_000 * 10**6
    for moment, caller in ((executable_at - 2, deployer), (executable_at - 1, stranger)):
        next_block_at(moment)
        with reverts("ChainlinkOracleFeedChangeTooEarly", ETH, usdc, executable_at):
            chainlink_oracle.executeFeedChange(ETH, usdc, {"from": caller})
    assert feed_of(chainlink_oracle, ETH, usdc) == (eth_usdc.address, HOUR, 0, 0)
    assert usdc_per_eth(chainlink_oracle, usdc)[0] == 3_000 * 10**6

    # From executableAt on anyone may execute it; the new feed then answers, with its bounds.
    next_block_at(executable_at)
    tx = chainlink_oracle.executeFeedChange(ETH, usdc, {"from": stranger})
    assert tx.timestamp == executable_at

    assert dict(tx.events["FeedSet"]) == {
        "baseToken": ETH,
        "quoteToken": usdc.address,
        "feed": other_feed.address,
        "maxAge": 2 * HOUR,
        "minAnswer": MIN * 10**10,
        "maxAnswer": 0,
    }
    assert feed_of(chainlink_oracle, ETH, usdc) == (other_feed.address, 2 * HOUR, MIN * 10**10, 0)
    assert pending(chainlink_oracle, ETH, usdc) == NOTHING_PENDING
    assert usdc_per_eth(chainlink_oracle, usdc) == (2_000 * 10**6, 10**18 // 2_000)
    other_feed.setAnswer(MIN * 10**10 - 1, {"from": deployer})
    with reverts("ChainlinkOracleAnswerOutOfBounds", other_feed, MIN * 10**10 - 1, MIN * 10**10, 0):
        chainlink_oracle.getRate(ETH, usdc)
    with reverts("ChainlinkOracleNoFeedChangePending", ETH, usdc):
        chainlink_oracle.executeFeedChange(ETH, usdc, {"from": stranger})


def test_a_new_max_age_or_new_bounds_for_the_same_feed_wait_too(chainlink_oracle, eth_usdc, usdc, deployer):
    tx = chainlink_oracle.announceFeedChange(ETH, usdc, eth_usdc, HOUR, MIN, MIN, {"from": deployer})
    executable_at = tx.timestamp + DELAY

    mine_at(executable_at - 100)
    refresh(eth_usdc)
    assert usdc_per_eth(chainlink_oracle, usdc)[0] == 3_000 * 10**6  # the bounds are not in force yet
    with reverts("ChainlinkOracleFeedChangeTooEarly", ETH, usdc, executable_at):
        chainlink_oracle.executeFeedChange(ETH, usdc, {"from": deployer})

    mine_at(executable_at)
    chainlink_oracle.executeFeedChange(ETH, usdc, {"from": deployer})
    with reverts("ChainlinkOracleAnswerOutOfBounds", eth_usdc, FEED_ANSWER, MIN, MIN):
        chainlink_oracle.getRate(ETH, usdc)


# ------------------------------------------------------------------------------ removal


def test_a_removal_takes_effect_only_after_the_delay(chainlink_oracle, eth_usdc, other_feed, usdc, deployer, stranger):
    tx = chainlink_oracle.announceFeedRemoval(ETH, usdc, {"from": deployer})

    executable_at = tx.timestamp + DELAY
    assert dict(tx.events["FeedChangeAnnounced"]) == {
        "baseToken": ETH,
        "quoteToken": usdc.address,
        "feed": ZERO_ADDRESS,
        "maxAge": 0,
        "minAnswer": 0,
        "maxAnswer": 0,
        "executableAt": executable_at,
    }
    assert "FeedRemoved" not in tx.events
    assert pending(chainlink_oracle, ETH, usdc) == (ZERO_ADDRESS, 0, 0, 0, executable_at)

    mine_at(executable_at - 100)
    refresh(eth_usdc)
    mine_at(executable_at - 2)
    assert usdc_per_eth(chainlink_oracle, usdc)[0] == 3_000 * 10**6
    next_block_at(executable_at - 1)
    with reverts("ChainlinkOracleFeedChangeTooEarly", ETH, usdc, executable_at):
        chainlink_oracle.executeFeedChange(ETH, usdc, {"from": stranger})
    assert usdc_per_eth(chainlink_oracle, usdc)[0] == 3_000 * 10**6

    next_block_at(executable_at)
    tx = chainlink_oracle.executeFeedChange(ETH, usdc, {"from": stranger})

    assert dict(tx.events["FeedRemoved"]) == {"baseToken": ETH, "quoteToken": usdc.address}
    assert "FeedSet" not in tx.events
    assert feed_of(chainlink_oracle, ETH, usdc) == (ZERO_ADDRESS, 0, 0, 0)
    assert pending(chainlink_oracle, ETH, usdc) == NOTHING_PENDING
    for base, quote in ((ETH, usdc), (usdc, ETH)):
        with reverts("PriceOracleUnknownPair", base, quote):
            chainlink_oracle.getRate(base, quote)
    # The pair has no feed any more: a new one is again a first feed, in either direction.
    chainlink_oracle.setFeed(usdc, ETH, other_feed, DELAY, 0, 0, {"from": deployer})
    assert feed_of(chainlink_oracle, usdc, ETH) == (other_feed.address, DELAY, 0, 0)


# ------------------------------------------------------------------------------ cancel, one at a time


@pytest.mark.parametrize("change", ["replacement", "removal"])
def test_a_cancelled_change_never_takes_effect(chainlink_oracle, eth_usdc, other_feed, usdc, deployer, feeds, change):
    before = feeds()
    if change == "replacement":
        chainlink_oracle.announceFeedChange(ETH, usdc, other_feed, HOUR, 0, 0, {"from": deployer})
        announced = other_feed.address
    else:
        chainlink_oracle.announceFeedRemoval(ETH, usdc, {"from": deployer})
        announced = ZERO_ADDRESS
    executable_at = pending(chainlink_oracle, ETH, usdc)[4]

    tx = chainlink_oracle.cancelFeedChange(ETH, usdc, {"from": deployer})

    assert dict(tx.events["FeedChangeCancelled"]) == {
        "baseToken": ETH,
        "quoteToken": usdc.address,
        "feed": announced,
    }
    assert feeds() == before
    mine_at(executable_at)
    with reverts("ChainlinkOracleNoFeedChangePending", ETH, usdc):
        chainlink_oracle.executeFeedChange(ETH, usdc, {"from": deployer})
    refresh(eth_usdc)
    assert usdc_per_eth(chainlink_oracle, usdc)[0] == 3_000 * 10**6
    # Once cancelled, another change may be announced.
    tx = chainlink_oracle.announceFeedChange(ETH, usdc, other_feed, HOUR, 0, 0, {"from": deployer})
    assert pending(chainlink_oracle, ETH, usdc)[4] == tx.timestamp + DELAY


def test_cancelling_or_executing_nothing_is_refused(chainlink_oracle, eth_usdc, usdc, dai, deployer, feeds):
    before = feeds()
    for base, quote in ((ETH, usdc), (usdc, ETH), (usdc, dai)):
        with reverts("ChainlinkOracleNoFeedChangePending", base, quote):
            chainlink_oracle.cancelFeedChange(base, quote, {"from": deployer})
        with reverts("ChainlinkOracleNoFeedChangePending", base, quote):
            chainlink_oracle.executeFeedChange(base, quote, {"from": deployer})
    assert feeds() == before


def test_one_change_of_a_pair_is_pending_at_a_time(chainlink_oracle, eth_usdc, other_feed, usdc, dai, deployer, feeds):
    executable_at = (
        chainlink_oracle.announceFeedChange(ETH, usdc, other_feed, HOUR, 0, 0, {"from": deployer}).timestamp + DELAY
    )
    before = feeds()

    with reverts("ChainlinkOracleFeedChangePending", ETH, usdc, executable_at):
        chainlink_oracle.announceFeedChange(ETH, usdc, eth_usdc, HOUR, 0, 0, {"from": deployer})
    with reverts("ChainlinkOracleFeedChangePending", ETH, usdc, executable_at):
        chainlink_oracle.announceFeedRemoval(ETH, usdc, {"from": deployer})
    mine_at(executable_at)  # still pending, executable or not
    with reverts("ChainlinkOracleFeedChangePending", ETH, usdc, executable_at):
        chainlink_oracle.announceFeedRemoval(ETH, usdc, {"from": deployer})

    assert feeds() == before
    # Another pair is not held up.
    chainlink_oracle.setFeed(dai, ETH, eth_usdc, HOUR, 0, 0, {"from": deployer})
    chainlink_oracle.announceFeedRemoval(dai, ETH, {"from": deployer})


def test_only_a_pair_set_in_that_direction_can_be_announced(
    chainlink_oracle, eth_usdc, other_feed, usdc, dai, deployer, feeds
):
    before = feeds()
    for base, quote in ((usdc, ETH), (usdc, dai)):
        with reverts("PriceOraclePairNotSet", base, quote):
            chainlink_oracle.announceFeedChange(base, quote, other_feed, HOUR, 0, 0, {"from": deployer})
        with reverts("PriceOraclePairNotSet", base, quote):
            chainlink_oracle.announceFeedRemoval(base, quote, {"from": deployer})
    assert feeds() == before


# ------------------------------------------------------------------------------ who may


def test_only_the_owner_announces_and_cancels_and_anyone_executes(
    chainlink_oracle, eth_usdc, other_feed, usdc, deployer, maker, stranger, feeds
):
    before = feeds()
    for caller in (stranger, maker):
        with reverts("OwnableUnauthorizedAccount", caller):
            chainlink_oracle.setFeed(usdc, ETH, other_feed, HOUR, 0, 0, {"from": caller})
        with reverts("OwnableUnauthorizedAccount", caller):
            chainlink_oracle.announceFeedChange(ETH, usdc, other_feed, HOUR, 0, 0, {"from": caller})
        with reverts("OwnableUnauthorizedAccount", caller):
            chainlink_oracle.announceFeedRemoval(ETH, usdc, {"from": caller})
    assert feeds() == before

    chainlink_oracle.announceFeedRemoval(ETH, usdc, {"from": deployer})
    announced = feeds()
    for caller in (stranger, maker):
        with reverts("OwnableUnauthorizedAccount", caller):
            chainlink_oracle.cancelFeedChange(ETH, usdc, {"from": caller})
    assert feeds() == announced

    mine_at(pending(chainlink_oracle, ETH, usdc)[4])
    chainlink_oracle.executeFeedChange(ETH, usdc, {"from": maker})
    assert feed_of(chainlink_oracle, ETH, usdc) == (ZERO_ADDRESS, 0, 0, 0)


def test_a_new_owner_may_cancel_what_the_previous_one_announced(
    chainlink_oracle, eth_usdc, other_feed, usdc, deployer, maker
):
    chainlink_oracle.announceFeedChange(ETH, usdc, other_feed, HOUR, 0, 0, {"from": deployer})
    chainlink_oracle.transferOwnership(maker, {"from": deployer})
    chainlink_oracle.acceptOwnership({"from": maker})

    with reverts("OwnableUnauthorizedAccount", deployer):
        chainlink_oracle.cancelFeedChange(ETH, usdc, {"from": deployer})
    chainlink_oracle.cancelFeedChange(ETH, usdc, {"from": maker})
    assert pending(chainlink_oracle, ETH, usdc) == NOTHING_PENDING


# ------------------------------------------------------------------------------ checks on a new feed


@pytest.mark.parametrize("entry", ["set", "announce"])
@pytest.mark.parametrize("problem", ["no_code", "zero_max_age", "bounds", "no_decimals", "too_many_decimals"])
def test_a_new_feed_is_checked_whether_set_or_announced(
    chainlink_oracle, admin_oracle, aggregator, usdc, dai, deployer, stranger, feeds, entry, problem
):
    # An announcement needs a pair with a feed: dai -> ETH has one, and ETH -> usdc has none.
    if entry == "announce":
        chainlink_oracle.setFeed(dai, ETH, aggregator, HOUR, 0, 0, {"from": deployer})
        base, quote, call = dai, ETH, chainlink_oracle.announceFeedChange
    else:
        base, quote, call = ETH, usdc, chainlink_oracle.setFeed
    feed_37 = MockAggregator.deploy(37, 1, {"from": deployer})
    args, error = {
        "no_code": ((stranger, HOUR, 0, 0), ("ChainlinkOracleFeedNotContract", stranger)),
        "zero_max_age": ((aggregator, 0, 0, 0), ("ChainlinkOracleZeroMaxAge",)),
        "bounds": ((aggregator, HOUR, MAX, MIN), ("ChainlinkOracleInvalidBounds", MAX, MIN)),
        "no_decimals": ((admin_oracle, HOUR, 0, 0), ("ChainlinkOracleNoDecimals", admin_oracle)),
        "too_many_decimals": ((feed_37, HOUR, 0, 0), ("ChainlinkOracleDecimalsTooLarge", feed_37, 37, 36)),
    }[problem]
    before = feeds()

    with reverts(*error):
        call(base, quote, *args, {"from": deployer})

    assert feeds() == before


# ------------------------------------------------------------------------------ bounds


def test_bounds_refuse_answers_outside_them_and_accept_answers_at_them(chainlink_oracle, aggregator, usdc, deployer):
    chainlink_oracle.setFeed(ETH, usdc, aggregator, HOUR, MIN, MAX, {"from": deployer})

    for answer in (MIN, MAX, FEED_ANSWER):
        aggregator.setAnswer(answer, {"from": deployer})
        assert rate(chainlink_oracle, ETH, usdc) == (answer * 10**6, 10 ** (8 + 18))
        assert rate(chainlink_oracle, usdc, ETH) == (10 ** (8 + 18), answer * 10**6)
    for answer in (MIN - 1, MAX + 1, 1, 10**40):
        aggregator.setAnswer(answer, {"from": deployer})
        for base, quote in ((ETH, usdc), (usdc, ETH)):
            with reverts("ChainlinkOracleAnswerOutOfBounds", aggregator, answer, MIN, MAX):
                chainlink_oracle.getRate(base, quote)
    # A non-positive answer is refused as such, bounds or not.
    aggregator.setAnswer(0, {"from": deployer})
    with reverts("ChainlinkOracleNonPositiveAnswer", aggregator, 0):
        chainlink_oracle.getRate(ETH, usdc)


def test_a_bound_of_zero_is_no_bound(chainlink_oracle, usdc, dai, wbtc, deployer):
    only_min = MockAggregator.deploy(8, MIN, {"from": deployer})
    only_max = MockAggregator.deploy(8, MAX, {"from": deployer})
    exact = MockAggregator.deploy(8, MIN, {"from": deployer})
    chainlink_oracle.setFeed(ETH, usdc, only_min, HOUR, MIN, 0, {"from": deployer})
    chainlink_oracle.setFeed(ETH, dai, only_max, HOUR, 0, MAX, {"from": deployer})
    chainlink_oracle.setFeed(ETH, wbtc, exact, HOUR, MIN, MIN, {"from": deployer})  # min == max is valid

    only_min.setAnswer(10**40, {"from": deployer})
    assert rate(chainlink_oracle, ETH, usdc)[0] == 10**40 * 10**6
    only_min.setAnswer(MIN - 1, {"from": deployer})
    with reverts("ChainlinkOracleAnswerOutOfBounds", only_min, MIN - 1, MIN, 0):
        chainlink_oracle.getRate(ETH, usdc)

    only_max.setAnswer(1, {"from": deployer})
    assert rate(chainlink_oracle, ETH, dai)[0] == 10**18
    only_max.setAnswer(MAX + 1, {"from": deployer})
    with reverts("ChainlinkOracleAnswerOutOfBounds", only_max, MAX + 1, 0, MAX):
        chainlink_oracle.getRate(ETH, dai)

    assert rate(chainlink_oracle, ETH, wbtc)[0] == MIN * 10**8
    exact.setAnswer(MIN + 1, {"from": deployer})
    with reverts("ChainlinkOracleAnswerOutOfBounds", exact, MIN + 1, MIN, MIN):
        chainlink_oracle.getRate(ETH, wbtc)


def test_bounds_do_not_lift_the_scaling_limit(chainlink_oracle, dai, deployer):
    max_uint = 2**256 - 1
    largest = max_uint // 10**18
    feed = MockAggregator.deploy(8, largest + 1, {"from": deployer})
    chainlink_oracle.setFeed(ETH, dai, feed, HOUR, 0, max_uint, {"from": deployer})
    with reverts("ChainlinkOracleAnswerTooLarge", feed, largest + 1, largest):
        chainlink_oracle.getRate(ETH, dai)
