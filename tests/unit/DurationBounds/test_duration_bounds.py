"""The durations a domain's Swap and MultiSwap issuances may have (DurationBounded): defaults until
the domain's provider sets them, set by that provider only, within 1 second and the cap, checked at
every creation, and never changing issuances already made."""

import pytest
from brownie import ZERO_ADDRESS

from support import fund, reverts

HOUR = 3600
DAY = 24 * HOUR
DEFAULT_BOUNDS = (1, 365 * DAY)
DURATION_CAP = 10 * 365 * DAY
MAX_UINT = 2**256 - 1


def bounds_of(bounded, manager=None):
    return tuple(bounded.instrument.getBounds(manager or bounded.manager))


def test_a_domain_whose_provider_set_nothing_has_the_default_bounds(bounded, stranger):
    assert bounds_of(bounded) == DEFAULT_BOUNDS
    assert bounds_of(bounded, stranger) == DEFAULT_BOUNDS
    assert bounded.instrument.durationCap() == DURATION_CAP


@pytest.mark.parametrize("bounds", [(1, 1), (HOUR, 2 * HOUR), (1, DURATION_CAP), (DURATION_CAP, DURATION_CAP)])
def test_the_provider_sets_its_domains_bounds(bounded, provider, bounds):
    tx = bounded.instrument.setBounds(bounded.manager, *bounds, {"from": provider})
    assert [dict(event) for event in tx.events["DurationBoundsSet"]] == [
        {"manager": bounded.manager.address, "minDuration": bounds[0], "maxDuration": bounds[1]}
    ]
    assert bounds_of(bounded) == bounds


def test_the_latest_bounds_apply_and_other_domains_keep_theirs(registry, bounded, provider, stranger):
    instrument = bounded.instrument
    _, other_manager, _ = registry.activateInstrument(instrument, {"from": stranger}).return_value
    instrument.setBounds(bounded.manager, HOUR, 2 * HOUR, {"from": provider})
    instrument.setBounds(bounded.manager, 2 * HOUR, 3 * HOUR, {"from": provider})
    assert bounds_of(bounded) == (2 * HOUR, 3 * HOUR)
    assert bounds_of(bounded, other_manager) == DEFAULT_BOUNDS
    instrument.setBounds(other_manager, 5, 6, {"from": stranger})
    assert bounds_of(bounded, other_manager) == (5, 6)
    assert bounds_of(bounded) == (2 * HOUR, 3 * HOUR)


def test_one_instruments_bounds_leave_another_instruments_domains_alone(registry, swap, multiswap, provider):
    swap_manager = registry.activateInstrument(swap, {"from": provider}).return_value[1]
    multiswap_manager = registry.activateInstrument(multiswap, {"from": provider}).return_value[1]
    swap.setBounds(swap_manager, HOUR, 2 * HOUR, {"from": provider})
    assert tuple(multiswap.getBounds(multiswap_manager)) == DEFAULT_BOUNDS
    assert tuple(multiswap.getBounds(swap_manager)) == DEFAULT_BOUNDS


@pytest.mark.parametrize("caller_role", ["maker", "stranger", "deployer", "other_provider"])
def test_anyone_but_the_domains_provider_setting_bounds_reverts_instrument_not_provider(
    registry, bounded, provider, maker, stranger, deployer, caller_role
):
    if caller_role == "other_provider":
        registry.activateInstrument(bounded.instrument, {"from": stranger})  # stranger provides another domain
    caller = {"maker": maker, "stranger": stranger, "deployer": deployer, "other_provider": stranger}[caller_role]
    with reverts("InstrumentNotProvider", bounded.manager, caller, provider):
        bounded.instrument.setBounds(bounded.manager, HOUR, 2 * HOUR, {"from": caller})
    assert bounds_of(bounded) == DEFAULT_BOUNDS


@pytest.mark.parametrize("not_a_manager", ["eoa", "zero"])
def test_bounds_for_an_address_without_code_revert_instrument_not_manager(bounded, stranger, not_a_manager):
    address = stranger.address if not_a_manager == "eoa" else ZERO_ADDRESS
    with reverts("InstrumentNotManager", address):
        bounded.instrument.setBounds(address, HOUR, 2 * HOUR, {"from": stranger})
    assert bounds_of(bounded, address) == DEFAULT_BOUNDS


@pytest.mark.parametrize(
    "bounds, error, args",
    [
        ((0, HOUR), "DurationBoundsZeroMin", ()),
        ((0, 0), "DurationBoundsZeroMin", ()),
        ((HOUR + 1, HOUR), "DurationBoundsMinAboveMax", (HOUR + 1, HOUR)),
        ((1, DURATION_CAP + 1), "DurationBoundsAboveCap", (DURATION_CAP + 1, DURATION_CAP)),
        ((1, MAX_UINT), "DurationBoundsAboveCap", (MAX_UINT, DURATION_CAP)),
        ((MAX_UINT, MAX_UINT), "DurationBoundsAboveCap", (MAX_UINT, DURATION_CAP)),
    ],
    ids=["zero_min", "both_zero", "min_above_max", "max_above_cap", "max_uint", "both_max_uint"],
)
def test_invalid_bounds_revert_with_the_rule_they_break(bounded, provider, bounds, error, args):
    bounded.instrument.setBounds(bounded.manager, HOUR, 2 * HOUR, {"from": provider})
    with reverts(error, *args):
        bounded.instrument.setBounds(bounded.manager, *bounds, {"from": provider})
    assert bounds_of(bounded) == (HOUR, 2 * HOUR)


@pytest.mark.parametrize("duration", [0, DEFAULT_BOUNDS[1] + 1, MAX_UINT])
def test_creation_outside_the_default_bounds_reverts_duration_out_of_bounds(
    bounded, state, token, other_token, maker, duration
):
    fund(bounded.escrow, maker, token, 10)
    before = state()
    with reverts("DurationOutOfBounds", duration, *DEFAULT_BOUNDS):
        bounded.create(maker, token, other_token, 10, duration)
    assert state() == before
    assert bounded.manager.issuanceCount() == 0


@pytest.mark.parametrize("duration", [HOUR - 1, 2 * HOUR + 1, 1, DEFAULT_BOUNDS[1]])
def test_creation_outside_the_domains_bounds_reverts_duration_out_of_bounds(
    bounded, state, token, other_token, maker, provider, duration
):
    bounded.instrument.setBounds(bounded.manager, HOUR, 2 * HOUR, {"from": provider})
    fund(bounded.escrow, maker, token, 10)
    before = state()
    with reverts("DurationOutOfBounds", duration, HOUR, 2 * HOUR):
        bounded.create(maker, token, other_token, 10, duration)
    assert state() == before


@pytest.mark.parametrize("bounds", [DEFAULT_BOUNDS, (HOUR, 2 * HOUR)], ids=["default", "set"])
@pytest.mark.parametrize("end", [0, 1], ids=["shortest", "longest"])
def test_creation_at_the_domains_bounds_is_accepted(bounded, token, other_token, maker, provider, bounds, end):
    if bounds != DEFAULT_BOUNDS:
        bounded.instrument.setBounds(bounded.manager, *bounds, {"from": provider})
    fund(bounded.escrow, maker, token, 10)
    tx = bounded.create(maker, token, other_token, 10, bounds[end])
    assert bounded.due_time() == tx.timestamp + bounds[end]


def test_new_bounds_leave_existing_issuances_as_they_were(bounded, token, other_token, maker, taker, provider):
    fund(bounded.escrow, maker, token, 10)
    fund(bounded.escrow, taker, other_token, 10)
    tx = bounded.create(maker, token, other_token, 10, HOUR)
    bounded.instrument.setBounds(bounded.manager, 2 * HOUR, 3 * HOUR, {"from": provider})
    assert bounded.due_time() == tx.timestamp + HOUR
    bounded.take_all(taker, 10)
    assert bounded.escrow.getTokenBalance(taker, token) == 10
    assert bounded.escrow.getTokenBalance(maker, other_token) == 10
