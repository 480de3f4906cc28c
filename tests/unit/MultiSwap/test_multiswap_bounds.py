"""The durations a domain's MultiSwap issuances may have: defaults until the domain's provider sets
them, set by that provider only, within 1 second and the cap, and checked at every creation."""

import pytest
from brownie import ZERO_ADDRESS

from multiswap_support import DEFAULT_BOUNDS, DURATION_CAP, ENGAGEABLE, HOUR, create_multiswap, fill, record
from support import events, fund, reverts


def test_a_domain_whose_provider_set_nothing_has_the_default_bounds(multiswap, manager, stranger):
    assert tuple(multiswap.getBounds(manager)) == DEFAULT_BOUNDS
    assert tuple(multiswap.getBounds(stranger)) == DEFAULT_BOUNDS
    assert multiswap.durationCap() == DURATION_CAP


@pytest.mark.parametrize("bounds", [(1, 1), (HOUR, 2 * HOUR), (1, DURATION_CAP), (DURATION_CAP, DURATION_CAP)])
def test_the_provider_sets_its_domains_bounds(multiswap, manager, provider, bounds):
    tx = multiswap.setBounds(manager, *bounds, {"from": provider})
    assert events(tx, "MultiSwapBoundsSet") == [
        {"manager": manager.address, "minDuration": bounds[0], "maxDuration": bounds[1]}
    ]
    assert tuple(multiswap.getBounds(manager)) == bounds


def test_the_latest_bounds_apply_and_other_domains_keep_theirs(registry, multiswap, manager, provider, stranger):
    _, other_manager, _ = registry.activateInstrument(multiswap, {"from": stranger}).return_value
    multiswap.setBounds(manager, HOUR, 2 * HOUR, {"from": provider})
    multiswap.setBounds(manager, 2 * HOUR, 3 * HOUR, {"from": provider})
    assert tuple(multiswap.getBounds(manager)) == (2 * HOUR, 3 * HOUR)
    assert tuple(multiswap.getBounds(other_manager)) == DEFAULT_BOUNDS
    multiswap.setBounds(other_manager, 5, 6, {"from": stranger})
    assert tuple(multiswap.getBounds(other_manager)) == (5, 6)
    assert tuple(multiswap.getBounds(manager)) == (2 * HOUR, 3 * HOUR)


@pytest.mark.parametrize("caller_role", ["maker", "stranger", "deployer", "other_provider"])
def test_anyone_but_the_domains_provider_setting_bounds_reverts_instrument_not_provider(
    registry, multiswap, manager, provider, maker, stranger, deployer, caller_role
):
    if caller_role == "other_provider":
        registry.activateInstrument(multiswap, {"from": stranger})  # stranger provides another domain
    caller = {"maker": maker, "stranger": stranger, "deployer": deployer, "other_provider": stranger}[caller_role]
    with reverts("InstrumentNotProvider", manager, caller, provider):
        multiswap.setBounds(manager, HOUR, 2 * HOUR, {"from": caller})
    assert tuple(multiswap.getBounds(manager)) == DEFAULT_BOUNDS


@pytest.mark.parametrize("not_a_manager", ["eoa", "zero"])
def test_bounds_for_an_address_without_code_revert_instrument_not_manager(multiswap, stranger, not_a_manager):
    address = stranger.address if not_a_manager == "eoa" else ZERO_ADDRESS
    with reverts("InstrumentNotManager", address):
        multiswap.setBounds(address, HOUR, 2 * HOUR, {"from": stranger})
    assert tuple(multiswap.getBounds(address)) == DEFAULT_BOUNDS


@pytest.mark.parametrize(
    "bounds, error, args",
    [
        ((0, HOUR), "MultiSwapZeroMinDuration", ()),
        ((0, 0), "MultiSwapZeroMinDuration", ()),
        ((HOUR + 1, HOUR), "MultiSwapMinDurationAboveMax", (HOUR + 1, HOUR)),
        ((1, DURATION_CAP + 1), "MultiSwapMaxDurationAboveCap", (DURATION_CAP + 1, DURATION_CAP)),
        ((1, 2**256 - 1), "MultiSwapMaxDurationAboveCap", (2**256 - 1, DURATION_CAP)),
        ((2**256 - 1, 2**256 - 1), "MultiSwapMaxDurationAboveCap", (2**256 - 1, DURATION_CAP)),
    ],
    ids=["zero_min", "both_zero", "min_above_max", "max_above_cap", "max_uint", "both_max_uint"],
)
def test_invalid_bounds_revert_with_the_rule_they_break(multiswap, manager, provider, bounds, error, args):
    multiswap.setBounds(manager, HOUR, 2 * HOUR, {"from": provider})
    with reverts(error, *args):
        multiswap.setBounds(manager, *bounds, {"from": provider})
    assert tuple(multiswap.getBounds(manager)) == (HOUR, 2 * HOUR)


@pytest.mark.parametrize("duration", [HOUR - 1, 2 * HOUR + 1, 1, DEFAULT_BOUNDS[1]])
def test_creation_outside_the_domains_bounds_reverts_invalid_duration(
    multiswap, manager, domain_escrow, state, token, other_token, maker, provider, duration
):
    multiswap.setBounds(manager, HOUR, 2 * HOUR, {"from": provider})
    fund(domain_escrow, maker, token, 10)
    before = state()
    with reverts("MultiSwapInvalidDuration", duration, HOUR, 2 * HOUR):
        create_multiswap(manager, maker, token, other_token, 10, 10, duration=duration)
    assert state() == before


@pytest.mark.parametrize("duration", [HOUR, 2 * HOUR])
def test_creation_at_the_domains_bounds_is_accepted(
    multiswap, manager, domain_escrow, token, other_token, maker, provider, duration
):
    multiswap.setBounds(manager, HOUR, 2 * HOUR, {"from": provider})
    fund(domain_escrow, maker, token, 10)
    tx = create_multiswap(manager, maker, token, other_token, 10, 10, duration=duration)
    assert record(multiswap, manager)["dueTime"] == tx.timestamp + duration


def test_new_bounds_leave_existing_issuances_as_they_were(
    multiswap, manager, domain_escrow, token, other_token, maker, taker, provider
):
    fund(domain_escrow, maker, token, 10)
    fund(domain_escrow, taker, other_token, 10)
    create_multiswap(manager, maker, token, other_token, 10, 10, duration=HOUR)
    before = record(multiswap, manager)
    multiswap.setBounds(manager, 2 * HOUR, 3 * HOUR, {"from": provider})
    assert record(multiswap, manager) == before
    fill(manager, taker, 5)
    assert record(multiswap, manager)["state"] == ENGAGEABLE
