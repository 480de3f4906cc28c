"""The pair rules both oracles share (PairPriceOracle), run against each: one entry per pair in the
direction it was set, the inverse for the other direction, (1, 1) for the same token, and every
bad pair, missing entry and wrong caller refused with its exact error and no change."""

import pytest
from brownie import ZERO_ADDRESS

from oracle_support import rate
from support import ETH, reverts


def events(tx, name):
    return [dict(event) for event in tx.events[name]] if name in tx.events else []


def test_the_same_token_is_one_to_one_without_any_entry(pairs, usdc, stranger):
    for token in (usdc, ETH, stranger):
        assert rate(pairs.oracle, token, token) == (1, 1)


def test_a_pair_set_in_neither_direction_is_unknown(pairs, usdc, dai):
    with reverts("PriceOracleUnknownPair", usdc, dai):
        pairs.oracle.getRate(usdc, dai)
    with reverts("PriceOracleUnknownPair", dai, usdc):
        pairs.oracle.getRate(dai, usdc)


def test_setting_an_entry_emits_it_and_prices_both_directions(pairs, usdc, dai, deployer, state):
    before = state()

    tx = pairs.set(usdc, dai, deployer)

    assert events(tx, pairs.set_event) == [pairs.set_event_args(usdc, dai)]
    after = state()
    changed = {key for key in after if after[key] != before[key]}
    assert changed == {(usdc.address, dai.address)}
    assert pairs.entry(usdc, dai) != pairs.EMPTY
    assert pairs.entry(dai, usdc) == pairs.EMPTY  # stored one way only
    numerator, denominator = rate(pairs.oracle, usdc, dai)
    assert numerator > 0 and denominator > 0
    assert rate(pairs.oracle, dai, usdc) == (denominator, numerator)
    with reverts("PriceOracleUnknownPair", usdc, ETH):
        pairs.oracle.getRate(usdc, ETH)


def test_removing_an_entry_emits_and_forgets_both_directions(pairs, usdc, dai, deployer, state):
    empty = state()
    pairs.set(usdc, dai, deployer)

    tx = pairs.remove(usdc, dai, deployer)

    assert events(tx, pairs.removed_event) == [{"baseToken": usdc.address, "quoteToken": dai.address}]
    assert state() == empty
    with reverts("PriceOracleUnknownPair", usdc, dai):
        pairs.oracle.getRate(usdc, dai)
    with reverts("PriceOracleUnknownPair", dai, usdc):
        pairs.oracle.getRate(dai, usdc)
    # Once removed, the pair may be set the other way round.
    pairs.set(dai, usdc, deployer)
    numerator, denominator = rate(pairs.oracle, dai, usdc)
    assert rate(pairs.oracle, usdc, dai) == (denominator, numerator)


def test_the_reverse_of_a_set_pair_cannot_be_set(pairs, usdc, dai, deployer, state):
    pairs.set(usdc, dai, deployer)
    before = state()

    with reverts("PriceOracleReversePairSet", usdc, dai):
        pairs.set(dai, usdc, deployer)

    assert state() == before


@pytest.mark.parametrize(
    "base, quote, error, argument",
    [
        ("usdc", "usdc", "PriceOracleSameToken", "usdc"),
        ("eth", "eth", "PriceOracleSameToken", "eth"),
        ("zero", "usdc", "PriceOracleInvalidToken", "zero"),
        ("usdc", "zero", "PriceOracleInvalidToken", "zero"),
        ("zero", "zero", "PriceOracleInvalidToken", "zero"),
        ("stranger", "eth", "PriceOracleInvalidToken", "stranger"),
        ("eth", "stranger", "PriceOracleInvalidToken", "stranger"),
    ],
    ids=["same_token", "same_eth", "zero_base", "zero_quote", "both_zero", "account_base", "account_quote"],
)
def test_a_bad_pair_is_refused_and_changes_nothing(
    pairs, usdc, stranger, deployer, state, base, quote, error, argument
):
    named = {"usdc": usdc, "eth": ETH, "zero": ZERO_ADDRESS, "stranger": stranger}
    before = state()

    with reverts(error, named[argument]):
        pairs.set(named[base], named[quote], deployer)

    assert state() == before


def test_only_an_entry_set_in_that_direction_can_be_removed(pairs, usdc, dai, wbtc, deployer, state):
    with reverts("PriceOraclePairNotSet", usdc, dai):
        pairs.remove(usdc, dai, deployer)
    pairs.set(usdc, dai, deployer)
    before = state()

    with reverts("PriceOraclePairNotSet", dai, usdc):
        pairs.remove(dai, usdc, deployer)
    with reverts("PriceOraclePairNotSet", usdc, wbtc):
        pairs.remove(usdc, wbtc, deployer)

    assert state() == before


def test_setting_the_same_direction_again_replaces_the_entry(pairs, usdc, dai, wbtc, deployer):
    # The admin oracle sets it again at once; the Chainlink oracle announces, waits and executes.
    pairs.set(usdc, dai, deployer)
    tx = pairs.replace(usdc, dai, deployer)
    assert events(tx, pairs.set_event) == [pairs.set_event_args(usdc, dai)]
    pairs.set(usdc, wbtc, deployer)  # one base may be priced in several quotes
    assert pairs.entry(usdc, dai) == pairs.entry(usdc, wbtc) != pairs.EMPTY


def test_only_the_owner_sets_and_removes_entries(pairs, usdc, dai, deployer, maker, stranger, state):
    empty = state()
    for caller in (stranger, maker):
        with reverts("OwnableUnauthorizedAccount", caller):
            pairs.set(usdc, dai, caller)
    assert state() == empty

    pairs.set(usdc, dai, deployer)
    before = state()
    with reverts("OwnableUnauthorizedAccount", stranger):
        pairs.remove(usdc, dai, stranger)
    assert state() == before
