"""Helpers for the price oracle tests: both oracles behind one face for the rules they share,
exact block times, and conversions the way an instrument makes them."""

from brownie import chain, web3

HOUR = 3600
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
    web3.provider.make_request("evm_setNextBlockTimestamp", [timestamp])
    chain.mine()


class AdminPairs:
    """The admin oracle's entries: a fixed rate per pair."""

    EMPTY = (0, 0)
    set_event, removed_event = "RateSet", "RateRemoved"
    RATE = (3, 7)

    def __init__(self, oracle):
        self.oracle = oracle

    def set(self, base, quote, sender):
        return self.oracle.setRate(base, quote, *self.RATE, {"from": sender})

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
    """The Chainlink oracle's entries: one feed per pair."""

    EMPTY = ("0x" + "00" * 20, 0)
    set_event, removed_event = "FeedSet", "FeedRemoved"

    def __init__(self, oracle, aggregator):
        self.oracle = oracle
        self.aggregator = aggregator

    def set(self, base, quote, sender):
        return self.oracle.setFeed(base, quote, self.aggregator, HOUR, {"from": sender})

    def remove(self, base, quote, sender):
        return self.oracle.removeFeed(base, quote, {"from": sender})

    def entry(self, base, quote):
        """What is stored for exactly base -> quote (EMPTY when nothing is)."""
        feed, max_age = self.oracle.getFeed(base, quote)
        return (str(feed), int(max_age))

    def set_event_args(self, base, quote):
        return {
            "baseToken": address_of(base),
            "quoteToken": address_of(quote),
            "feed": self.aggregator.address,
            "maxAge": HOUR,
        }


def everything(pairs, tokens):
    """Every entry between `tokens`, both directions, and the ownership: to compare before and after."""
    oracle = pairs.oracle
    snapshot = {"owner": oracle.owner(), "pendingOwner": oracle.pendingOwner()}
    for base in tokens:
        for quote in tokens:
            snapshot[(address_of(base), address_of(quote))] = pairs.entry(base, quote)
    return snapshot
