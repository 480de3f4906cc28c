"""Who may call what: every state-changing function of every contract, read from its ABI.

`RULES` names, for each contract, the rule of each function that is not a view. The first test
fails when a contract gains a function (or a receive/fallback) that has no rule here; the others
call each restricted function as a stranger and expect the exact custom error, and check that the
open functions only ever act on the caller's own account or namespace.
"""

import pytest
from brownie import (
    AdminPriceOracle,
    Borrowing,
    ChainlinkPriceOracle,
    EscrowFactory,
    InstrumentEscrow,
    InstrumentManager,
    InstrumentRegistry,
    IssuanceEscrow,
    Lending,
    MultiSwap,
    Swap,
)

from nuts_escrow import CANCEL_ISSUANCE, ISSUANCE_DUE
from support import ETH, activate, loan_terms, reverts, swap_terms

ADMIN_FUNCTIONS = {
    "depositByAdmin": "admin",
    "depositTokenByAdmin": "admin",
    "withdrawByAdmin": "admin",
    "withdrawTokenByAdmin": "admin",
    "sendTokenByAdmin": "admin",
    "receiveTokenByAdmin": "admin",
    "transferByAdmin": "admin",
    "receive": "refuses ETH",
}

# Every instrument: issuances in the calling manager's namespace, bounds set by its provider.
INSTRUMENT_RULES = {
    "createIssuance": "anyone, own namespace",
    "engageIssuance": "anyone, own namespace",
    "processEvent": "anyone, own namespace",
    "setBounds": "the provider of the manager's domain",
}
# OpenZeppelin Ownable2Step: the owner proposes, the proposed owner accepts.
OWNERSHIP_RULES = {
    "transferOwnership": "owner",
    "renounceOwnership": "owner",
    "acceptOwnership": "the proposed owner",
}

RULES = {
    EscrowFactory: {
        "createInstrumentEscrow": "anyone, for itself",
        "createIssuanceEscrow": "anyone, for itself",
    },
    InstrumentEscrow: {
        **ADMIN_FUNCTIONS,
        "deposit": "own account",
        "withdraw": "own account",
        "depositToken": "own account",
        "withdrawToken": "own account",
    },
    IssuanceEscrow: ADMIN_FUNCTIONS,
    InstrumentManager: {
        "initialize": "registry",
        "deactivate": "registry",
        "createIssuance": "anyone, transfer rule",
        "engageIssuance": "anyone, transfer rule",
        "processEvent": "anyone, transfer rule",
        "sendTokenToEscrow": "only the escrow being moved into, during a move",
        "receive": "refuses ETH",
    },
    InstrumentRegistry: {
        "activateInstrument": "anyone, for itself",
        "deactivateInstrument": "provider",
    },
    **dict.fromkeys((Swap, MultiSwap, Lending, Borrowing), INSTRUMENT_RULES),
    AdminPriceOracle: {"setRate": "owner", "removeRate": "owner", **OWNERSHIP_RULES},
    ChainlinkPriceOracle: {
        "setFeed": "owner",
        "announceFeedChange": "owner",
        "announceFeedRemoval": "owner",
        "cancelFeedChange": "owner",
        "executeFeedChange": "anyone, once the announced delay has passed",
        **OWNERSHIP_RULES,
    },
}


def state_changing_entries(contract_type):
    """Names of the ABI's non-view functions, plus `receive`/`fallback` where present."""
    names = set()
    for entry in contract_type.abi:
        if entry["type"] == "function" and entry["stateMutability"] not in ("view", "pure"):
            names.add(entry["name"])
        elif entry["type"] in ("receive", "fallback"):
            names.add(entry["type"])
    return names


@pytest.mark.parametrize("contract_type", list(RULES), ids=lambda c: c._name)
def test_every_state_changing_function_has_an_access_rule(contract_type):
    assert state_changing_entries(contract_type) == set(RULES[contract_type])


def admin_calls(escrow, token, maker):
    """A valid-looking call of each admin function: (name, args, value)."""
    return [
        ("depositByAdmin", [maker], 1),
        ("depositTokenByAdmin", [maker, token, 1], 0),
        ("withdrawByAdmin", [maker, 1], 0),
        ("withdrawTokenByAdmin", [maker, token, 1], 0),
        ("sendTokenByAdmin", [maker, token, 1, maker], 0),
        ("receiveTokenByAdmin", [maker, token, 1, escrow, maker], 0),
        ("transferByAdmin", [maker, maker, token, 1], 0),
    ]


@pytest.mark.parametrize("function_index", range(7))
def test_escrow_admin_functions_refuse_everyone_but_the_admin(escrow, admin, token, maker, stranger, function_index):
    name, args, value = admin_calls(escrow, token, maker)[function_index]
    assert RULES[InstrumentEscrow][name] == "admin"
    for caller in (stranger, maker):
        with reverts("EscrowUnauthorized", caller, admin):
            getattr(escrow, name)(*args, {"from": caller, "value": value})


@pytest.mark.parametrize("function_index", range(7))
def test_domain_escrow_admin_functions_refuse_even_the_provider(
    domain_escrow, manager, token, maker, provider, function_index
):
    name, args, value = admin_calls(domain_escrow, token, maker)[function_index]
    with reverts("EscrowUnauthorized", provider, manager):
        getattr(domain_escrow, name)(*args, {"from": provider, "value": value})


def test_escrows_and_manager_refuse_plain_eth(instrument_escrow, issuance_escrow, manager, stranger):
    for target in (instrument_escrow, issuance_escrow):
        with reverts("EscrowUnexpectedEth", stranger, 5):
            stranger.transfer(target, 5)
    with reverts("ManagerUnexpectedEth", stranger, 5):
        stranger.transfer(manager, 5)


def test_only_the_escrow_being_moved_into_may_call_the_managers_callback(
    manager, domain_escrow, token, maker, stranger
):
    # Outside of a move nobody may, not even the domain's own escrow: the manager expects no one.
    token.approve(domain_escrow, 100, {"from": maker})
    domain_escrow.depositToken(token, 100, {"from": maker})
    assert RULES[InstrumentManager]["sendTokenToEscrow"] == "only the escrow being moved into, during a move"
    for caller in (stranger, maker):
        with reverts("ManagerUnexpectedCallback", caller):
            manager.sendTokenToEscrow(domain_escrow, maker, token, 100, {"from": caller})
    assert domain_escrow.getTokenBalance(maker, token) == 100
    assert token.balanceOf(domain_escrow) == 100


def test_user_functions_of_the_instrument_escrow_act_only_on_the_callers_account(
    instrument_escrow, token, maker, stranger
):
    token.approve(instrument_escrow, 100, {"from": maker})
    instrument_escrow.depositToken(token, 100, {"from": maker})
    instrument_escrow.deposit({"from": maker, "value": 100})

    with reverts("EscrowInsufficientBalance", stranger, ETH, 0, 1):
        instrument_escrow.withdraw(1, {"from": stranger})
    with reverts("EscrowInsufficientBalance", stranger, token, 0, 1):
        instrument_escrow.withdrawToken(token, 1, {"from": stranger})
    instrument_escrow.deposit({"from": stranger, "value": 7})

    assert instrument_escrow.getBalance(stranger) == 7
    assert instrument_escrow.getBalance(maker) == 100
    assert instrument_escrow.getTokenBalance(maker, token) == 100


def test_manager_registry_functions_refuse_everyone_but_the_registry(manager, provider, stranger):
    for caller in (stranger, provider):
        with reverts("ManagerUnauthorized", caller):
            manager.initialize({"from": caller})
        with reverts("ManagerUnauthorized", caller):
            manager.deactivate({"from": caller})
    assert manager.isActive()


def test_only_the_provider_deactivates_its_domain(registry, manager, provider, stranger):
    domain_id = manager.domainId()
    with reverts("RegistryNotProvider", stranger, provider):
        registry.deactivateInstrument(domain_id, {"from": stranger})
    assert manager.isActive()
    registry.deactivateInstrument(domain_id, {"from": provider})
    assert not manager.isActive()


def test_factory_makes_the_caller_admin_of_what_it_creates(factory, stranger):
    instrument_escrow = InstrumentEscrow.at(factory.createInstrumentEscrow({"from": stranger}).return_value)
    issuance_escrow = IssuanceEscrow.at(factory.createIssuanceEscrow(b"\x07" * 32, {"from": stranger}).return_value)
    assert instrument_escrow.admin() == stranger
    assert issuance_escrow.admin() == stranger


def test_activating_makes_the_caller_provider_of_a_new_domain_only(registry, swap, manager, stranger):
    tx = registry.activateInstrument(swap, {"from": stranger})
    domain_id, new_manager, _ = tx.return_value
    assert registry.getDomain(domain_id)["provider"] == stranger
    assert new_manager != manager
    assert registry.getDomain(manager.domainId())["provider"] != stranger


def test_calling_the_swap_directly_touches_only_the_callers_namespace(
    swap, manager, domain_escrow, token, other_token, maker, stranger
):
    token.approve(domain_escrow, 100, {"from": maker})
    domain_escrow.depositToken(token, 100, {"from": maker})
    manager.createIssuance(swap_terms(3600, token, other_token, 100, 50), {"from": maker})
    before = swap.getIssuance(manager, 1)

    # A stranger acting as if it were a manager writes only under its own address, and the
    # transfers the swap answers with are executed by nobody.
    swap.createIssuance(1, stranger, swap_terms(3600, other_token, token, 5, 5), {"from": stranger})

    assert swap.getIssuance(manager, 1) == before
    assert swap.getIssuance(stranger, 1)["maker"] == stranger
    issuance_escrow = IssuanceEscrow.at(manager.getIssuanceEscrow(1))
    assert issuance_escrow.getTokenBalance(maker, token) == 100
    assert domain_escrow.getTokenBalance(maker, token) == 0


@pytest.mark.parametrize("instrument_type", [Swap, MultiSwap], ids=lambda c: c._name)
def test_only_the_domains_provider_sets_the_duration_bounds(
    registry, swap, multiswap, provider, maker, stranger, instrument_type
):
    instrument = swap if instrument_type is Swap else multiswap
    manager, _ = activate(registry, instrument, provider)
    assert RULES[instrument_type]["setBounds"] == "the provider of the manager's domain"
    defaults = tuple(instrument.getBounds(manager))
    for caller in (stranger, maker):
        with reverts("InstrumentNotProvider", manager, caller, provider):
            instrument.setBounds(manager, 60, 120, {"from": caller})
    assert tuple(instrument.getBounds(manager)) == defaults
    instrument.setBounds(manager, 60, 120, {"from": provider})
    assert tuple(instrument.getBounds(manager)) == (60, 120)


@pytest.mark.parametrize("oracle_type", [AdminPriceOracle, ChainlinkPriceOracle], ids=lambda c: c._name)
def test_oracle_setters_and_ownership_refuse_everyone_but_the_owner(
    oracle_type, deployer, token, other_token, stranger
):
    oracle = oracle_type.deploy(deployer, {"from": deployer})
    setters = {"setRate": [token, other_token, 1, 1], "removeRate": [token, other_token]}
    if oracle_type is ChainlinkPriceOracle:
        setters = {
            "setFeed": [token, other_token, oracle, 3600, 0, 0],
            "announceFeedChange": [token, other_token, oracle, 3600, 0, 0],
            "announceFeedRemoval": [token, other_token],
            "cancelFeedChange": [token, other_token],
        }
    for name, args in setters.items():
        assert RULES[oracle_type][name] == "owner"
        with reverts("OwnableUnauthorizedAccount", stranger):
            getattr(oracle, name)(*args, {"from": stranger})
    for name, args in {"transferOwnership": [stranger], "renounceOwnership": []}.items():
        with reverts("OwnableUnauthorizedAccount", stranger):
            getattr(oracle, name)(*args, {"from": stranger})
    with reverts("OwnableUnauthorizedAccount", stranger):
        oracle.acceptOwnership({"from": stranger})
    assert oracle.owner() == deployer


def test_calling_a_loan_instrument_directly_touches_only_the_callers_namespace(
    registry, provider, deployer, token, other_token, maker, stranger
):
    oracle = AdminPriceOracle.deploy(deployer, {"from": deployer})
    oracle.setRate(token, other_token, 1, 1, {"from": deployer})
    lending = Lending.deploy(oracle, {"from": deployer})
    manager, escrow = activate(registry, lending, provider)
    token.approve(escrow, 100, {"from": maker})
    escrow.depositToken(token, 100, {"from": maker})
    terms = loan_terms(3600, token, 100, other_token, 15_000, 3600, 0)
    manager.createIssuance(terms, {"from": maker})
    before = lending.getIssuance(manager, 1)

    lending.createIssuance(1, stranger, terms, {"from": stranger})
    lending.processEvent(1, 0, stranger, CANCEL_ISSUANCE, b"", {"from": stranger})

    assert lending.getIssuance(manager, 1) == before
    assert lending.getIssuance(stranger, 1)["maker"] == stranger
    assert IssuanceEscrow.at(manager.getIssuanceEscrow(1)).getTokenBalance(maker, token) == 100
    with reverts("InstrumentNotProvider", manager, stranger, provider):
        lending.setBounds(manager, (1, 2, 1, 2, 1, 2, 0, 2), {"from": stranger})


def test_calling_the_swap_as_a_manager_meets_its_own_checks(swap, token, other_token, stranger):
    # A real manager never creates an id twice nor names an unknown one (it checks first); the
    # swap refuses both anyway, in the caller's own namespace.
    terms = swap_terms(3600, token, other_token, 5, 5)
    swap.createIssuance(1, stranger, terms, {"from": stranger})
    with reverts("InstrumentIssuanceExists", 1):
        swap.createIssuance(1, stranger, terms, {"from": stranger})
    with reverts("InstrumentUnknownIssuance", 2):
        swap.engageIssuance(2, stranger, b"", {"from": stranger})
    with reverts("InstrumentUnknownIssuance", 2):
        swap.processEvent(2, 0, stranger, ISSUANCE_DUE, b"", {"from": stranger})
    assert swap.getIssuance(stranger, 1)["maker"] == stranger
