"""Helpers for the price oracle tests: both oracles behind one face for the rules they share,
exact block times, and conversions the way an instrument makes them."""

from brownie import ZERO_ADDRESS, accounts, chain, web3

HOUR = 3600
ZERO = ZERO_ADDRESS
# The conftest's `aggregator`: 3,000.00000000 (e.g. ETH in USD, with 8 decimals as Chainlink's USD feeds).
FEED_DECIMALS = 8
FEED_ANSWER = 3_000 * 10**FEED_DECIMALS


def address_of(value):
    return str(getattr(value, "address", value))


def rate(oracle, base, quote):
    """`oracle.getRate(base, quote)` as a tuple of ints (brownie's return value cannot be compared
    with a tuple of plain ints)."""
    return tuple(int(part) for part in oracle.getRate(base, quote))


def convert(amount, rate):
    """`amount` of the base token in the quote token, rounded down, as an instrument would
    (Math.mulDiv(amount, numerator, denominator))."""
    numerator, denominator = rate
    return amount * numerator // denominator


def mine_at(timestamp):
    """Mines a block at exactly `timestamp`; calls then run at that time."""
    next_block_at(timestamp)
    chain.mine()


def next_block_at(timestamp):
    """The next block, e.g. that of the next transaction, is mined at exactly `timestamp`."""
    web3.provider.make_request("evm_setNextBlockTimestamp", [timestamp])


class AdminPairs:
    """The admin oracle's entries: a fixed rate per pair."""

    EMPTY = (0, 0)
    set_event, removed_event = "RateSet", "RateRemoved"
    RATE = (3, 7)

    def __init__(self, oracle):
        self.oracle = oracle

    def set(self, base, quote, sender):
        return self.oracle.setRate(base, quote, *self.RATE, {"from": sender})

    def replace(self, base, quote, sender):
        """Sets the rate of a pair that has one again: for this oracle, at once."""
        return self.set(base, quote, sender)

    def remove(self, base, quote, sender):
        return self.oracle.removeRate(base, quote, {"from": sender})

    def entry(self, base, quote):
        """What is stored for exactly base -> quote (EMPTY when nothing is)."""
        return tuple(int(part) for part in self.oracle.rateOf(base, quote))

    def set_event_args(self, base, quote):
        return {
            "baseToken": address_of(base),
            "quoteToken": address_of(quote),
            "numerator": self.RATE[0],
            "denominator": self.RATE[1],
        }


class ChainlinkPairs:
    """The Chainlink oracle's entries: one feed per pair. A pair's first feed is set at once; a
    replacement or a removal is announced, waited for (FEED_CHANGE_DELAY) and executed."""

    EMPTY = (ZERO, 0, 0, 0, (ZERO, 0, 0, 0, 0))
    set_event, removed_event = "FeedSet", "FeedRemoved"

    def __init__(self, oracle, aggregator):
        self.oracle = oracle
        self.aggregator = aggregator

    def set(self, base, quote, sender):
        return self.oracle.setFeed(base, quote, self.aggregator, HOUR, 0, 0, {"from": sender})

    def replace(self, base, quote, sender):
        self.oracle.announceFeedChange(base, quote, self.aggregator, HOUR, 0, 0, {"from": sender})
        return self._execute_later(base, quote)

    def remove(self, base, quote, sender):
        self.oracle.announceFeedRemoval(base, quote, {"from": sender})
        return self._execute_later(base, quote)

    def _execute_later(self, base, quote):
        """Waits out the delay and executes the pending change (anyone may: an account of no role
        does). The feed's answer is renewed first, so that it is not stale by then."""
        mine_at(pending(self.oracle, base, quote)[4])
        self.aggregator.setAnswer(self.aggregator.answer(), {"from": accounts[-1]})
        return self.oracle.executeFeedChange(base, quote, {"from": accounts[-1]})

    def entry(self, base, quote):
        """What is stored for exactly base -> quote, the pending change included (EMPTY when
        nothing is)."""
        feed, max_age, min_answer, max_answer = self.oracle.getFeed(base, quote)
        return (str(feed), int(max_age), int(min_answer), int(max_answer), pending(self.oracle, base, quote))

    def set_event_args(self, base, quote):
        return {
            "baseToken": address_of(base),
            "quoteToken": address_of(quote),
            "feed": self.aggregator.address,
            "maxAge": HOUR,
            "minAnswer": 0,
            "maxAnswer": 0,
        }


def pending(oracle, base, quote):
    """The Chainlink oracle's pending change of base -> quote as plain values:
    (feed, maxAge, minAnswer, maxAnswer, executableAt); all zero when none is pending."""
    feed, max_age, min_answer, max_answer, executable_at = oracle.getPendingFeedChange(base, quote)
    return (str(feed), int(max_age), int(min_answer), int(max_answer), int(executable_at))


def everything(pairs, tokens):
    """Every entry between `tokens`, both directions, and the ownership: to compare before and after."""
    oracle = pairs.oracle
    snapshot = {"owner": oracle.owner(), "pendingOwner": oracle.pendingOwner()}
    for base in tokens:
        for quote in tokens:
            snapshot[(address_of(base), address_of(quote))] = pairs.entry(base, quote)
    return snapshot
