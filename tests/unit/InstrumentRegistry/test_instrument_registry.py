"""InstrumentRegistry: activating and deactivating domains, telling real managers apart.

A domain is a manager clone and its Instrument Escrow, made together by the registry; managers
made anywhere else (the implementation, outside clones, other registries) are not domains.
"""

import pytest
from brownie import (
    ZERO_ADDRESS,
    HostileInstrument,
    InstrumentEscrow,
    InstrumentManager,
    InstrumentRegistry,
    IssuanceEscrow,
    OutsideManagerCloner,
    SilentFallbackContract,
    chain,
    web3,
)

from nuts_escrow import CANCEL_ISSUANCE, ISSUANCE_DUE
from nuts_escrow.types import SwapState
from support import ETH, fund, reverts, swap_terms


def only_event(tx, name):
    """The single event `name` of `tx`, as a dict of its arguments, and its emitter."""
    assert len(tx.events[name]) == 1
    event = tx.events[name][0]
    return dict(event), event.address


@pytest.fixture(scope="module")
def cloner(deployer):
    return OutsideManagerCloner.deploy({"from": deployer})


@pytest.fixture(scope="module")
def silent(deployer):
    return SilentFallbackContract.deploy({"from": deployer})


@pytest.fixture(scope="module")
def hostile(deployer):
    return HostileInstrument.deploy({"from": deployer})


def domain_config(registry, factory, domain_id, instrument, claimed_registry=None):
    """A DomainConfig tuple as the registry would write it for `domain_id`."""
    return (
        (claimed_registry or registry).address,
        domain_id,
        instrument.address,
        factory.address,
        factory.instrumentEscrowImplementation(),
        factory.issuanceEscrowImplementation(),
    )


# ------------------------------------------------------------------------------------ activation


def test_activating_an_instrument_creates_a_manager_and_its_instrument_escrow(
    registry, factory, hostile, manager, stranger
):
    assert registry.domainCount() == 1

    tx = registry.activateInstrument(hostile, {"from": stranger})

    domain_id, manager_address, escrow_address = tx.return_value
    assert domain_id == 2
    assert registry.domainCount() == 2
    new_manager = InstrumentManager.at(manager_address)
    assert new_manager != manager
    assert new_manager.registry() == registry.address
    assert new_manager.instrument() == hostile.address
    assert new_manager.domainId() == 2
    assert new_manager.provider() == stranger.address
    assert manager.provider() == registry.getDomain(1)["provider"]
    assert new_manager.escrowFactory() == factory.address
    assert new_manager.isActive()
    assert new_manager.issuanceCount() == 0
    assert new_manager.getInstrumentEscrow() == escrow_address
    escrow = InstrumentEscrow.at(escrow_address)
    assert escrow.admin() == manager_address
    assert factory.predictInstrumentEscrow(manager_address) == escrow_address
    assert len(escrow.bytecode) > 0
    assert registry.getDomain(2) == (stranger.address, hostile.address, manager_address, escrow_address, True)
    assert registry.domainIdOf(manager_address) == 2
    assert registry.getDomain(1)["manager"] == manager.address

    args, emitter = only_event(tx, "InstrumentActivated")
    assert emitter == registry.address
    assert args == {
        "domainId": 2,
        "instrument": hostile.address,
        "provider": stranger.address,
        "manager": manager_address,
        "instrumentEscrow": escrow_address,
    }
    args, emitter = only_event(tx, "InstrumentEscrowCreated")
    assert emitter == factory.address
    assert args == {"admin": manager_address, "escrow": escrow_address}


def test_each_activation_gets_its_own_id_manager_and_escrow(registry, manager, swap, hostile, provider, stranger):
    second = registry.activateInstrument(swap, {"from": stranger}).return_value
    third = registry.activateInstrument(hostile, {"from": provider}).return_value

    assert [second[0], third[0]] == [2, 3]
    assert len({manager.address, second[1], third[1]}) == 3
    assert len({manager.getInstrumentEscrow(), second[2], third[2]}) == 3
    assert registry.domainCount() == 3
    assert registry.getDomain(2) == (stranger.address, swap.address, second[1], second[2], True)
    assert registry.getDomain(3) == (provider.address, hostile.address, third[1], third[2], True)
    for domain_id, address, _ in (second, third):
        assert InstrumentManager.at(address).domainId() == domain_id
        assert registry.domainIdOf(address) == domain_id


@pytest.mark.parametrize("who", ["eoa", "zero"])
def test_activating_an_address_without_code_reverts_and_creates_nothing(registry, manager, provider, stranger, who):
    instrument = stranger.address if who == "eoa" else ZERO_ADDRESS
    with reverts("RegistryInstrumentNotContract", instrument):
        registry.activateInstrument(instrument, {"from": provider})
    assert registry.domainCount() == 1
    with reverts("RegistryUnknownDomain", 2):
        registry.getDomain(2)


@pytest.mark.parametrize("domain_id", [0, 2, 2**256 - 1])
def test_getting_an_unknown_domain_reverts_with_its_id(registry, manager, domain_id):
    assert registry.domainCount() == 1
    with reverts("RegistryUnknownDomain", domain_id):
        registry.getDomain(domain_id)


# ---------------------------------------------------------------------------------- deactivation


def test_the_provider_deactivates_its_domain_and_the_manager_says_so(registry, manager, domain_escrow, swap, provider):
    tx = registry.deactivateInstrument(1, {"from": provider})

    args, emitter = only_event(tx, "InstrumentDeactivated")
    assert emitter == registry.address
    assert args == {"domainId": 1, "provider": provider.address}
    args, emitter = only_event(tx, "Deactivated")
    assert emitter == manager.address
    assert args == {}
    assert not manager.isActive()
    assert registry.getDomain(1) == (provider.address, swap.address, manager.address, domain_escrow.address, False)
    assert registry.domainIdOf(manager) == 1


@pytest.mark.parametrize("caller_role", ["stranger", "deployer", "maker"])
def test_anyone_but_the_provider_deactivating_reverts_registry_not_provider(
    registry, manager, provider, stranger, deployer, maker, caller_role
):
    caller = {"stranger": stranger, "deployer": deployer, "maker": maker}[caller_role]
    with reverts("RegistryNotProvider", caller, provider):
        registry.deactivateInstrument(1, {"from": caller})
    assert manager.isActive()
    assert registry.getDomain(1)["active"] is True


def test_deactivating_twice_reverts_registry_domain_inactive(registry, manager, provider):
    registry.deactivateInstrument(1, {"from": provider})
    with reverts("RegistryDomainInactive", 1):
        registry.deactivateInstrument(1, {"from": provider})
    assert not manager.isActive()


def test_the_provider_of_one_domain_cannot_deactivate_another(registry, manager, swap, provider, stranger):
    other_id, other_manager, _ = registry.activateInstrument(swap, {"from": stranger}).return_value
    with reverts("RegistryNotProvider", provider, stranger):
        registry.deactivateInstrument(other_id, {"from": provider})
    registry.deactivateInstrument(1, {"from": provider})
    assert InstrumentManager.at(other_manager).isActive()
    assert not manager.isActive()


@pytest.mark.parametrize("domain_id", [0, 2, 99])
def test_deactivating_an_unknown_domain_reverts_registry_unknown_domain(registry, manager, provider, domain_id):
    with reverts("RegistryUnknownDomain", domain_id):
        registry.deactivateInstrument(domain_id, {"from": provider})
    assert manager.isActive()


def test_a_deactivated_domain_refuses_new_issuances_and_keeps_everything_else_going(
    registry, manager, domain_escrow, swap, token, other_token, maker, taker, stranger, provider
):
    fund(domain_escrow, maker, token, 1_000)
    fund(domain_escrow, taker, other_token, 500)
    manager.createIssuance(swap_terms(3600, token, other_token, 300, 200), {"from": maker})
    manager.createIssuance(swap_terms(3600, token, other_token, 400, 200), {"from": maker})
    manager.createIssuance(swap_terms(60, token, other_token, 100, 50), {"from": maker})
    registry.deactivateInstrument(1, {"from": provider})

    with reverts("ManagerDeactivated"):
        manager.createIssuance(swap_terms(3600, token, other_token, 100, 100), {"from": maker})
    assert manager.issuanceCount() == 3
    assert domain_escrow.getTokenBalance(maker, token) == 200

    # Deposits and withdrawals go on.
    domain_escrow.deposit({"from": stranger, "value": 10})
    fund(domain_escrow, stranger, token, 70)
    domain_escrow.withdraw(4, {"from": stranger})
    domain_escrow.withdrawToken(token, 20, {"from": stranger})
    assert domain_escrow.getBalance(stranger) == 6
    assert domain_escrow.getTokenBalance(stranger, token) == 50

    # Existing issuances are engaged, cancelled and closed as before.
    tx = manager.engageIssuance(1, b"", {"from": taker})
    assert tx.events["IssuanceEngaged"][0]["taker"] == taker.address
    manager.processEvent(2, 0, CANCEL_ISSUANCE, b"", {"from": maker})
    chain.sleep(61)
    chain.mine()
    manager.processEvent(3, 0, ISSUANCE_DUE, b"", {"from": stranger})
    assert [swap.getIssuance(manager, i)["state"] for i in (1, 2, 3)] == [
        SwapState.COMPLETE_ENGAGED,
        SwapState.CANCELLED,
        SwapState.COMPLETE_NOT_ENGAGED,
    ]

    assert domain_escrow.getTokenBalance(maker, token) == 200 + 400 + 100
    assert domain_escrow.getTokenBalance(maker, other_token) == 200
    assert domain_escrow.getTokenBalance(taker, token) == 300
    assert domain_escrow.getTokenBalance(taker, other_token) == 300
    for issuance_id in (1, 2, 3):
        assert IssuanceEscrow.at(manager.getIssuanceEscrow(issuance_id)).getTokenBalance(maker, token) == 0

    before = token.balanceOf(maker)
    domain_escrow.withdrawToken(token, 700, {"from": maker})
    assert token.balanceOf(maker) == before + 700
    assert domain_escrow.getTokenBalance(maker, token) == 0


# ----------------------------------------------------------------------------- telling managers


def test_domain_id_of_names_each_real_manager_by_its_id(registry, manager, swap, stranger):
    _, second, _ = registry.activateInstrument(swap, {"from": stranger}).return_value
    assert registry.domainIdOf(manager) == 1
    assert registry.domainIdOf(second) == 2


def test_domain_id_of_is_zero_for_accounts_and_contracts_that_are_not_managers(
    registry, manager, domain_escrow, factory, swap, token, stranger
):
    for address in (
        stranger.address,
        ZERO_ADDRESS,
        ETH,
        swap.address,
        token.address,
        factory.address,
        domain_escrow.address,
        registry.address,
        registry.managerImplementation(),
    ):
        assert registry.domainIdOf(address) == 0, address
    assert registry.domainIdOf(manager) == 1


def test_domain_id_of_is_zero_for_a_contract_that_answers_every_call_with_nothing(registry, manager, silent):
    # `domainIdOf` promises 0 for anything that is not a manager; a contract whose fallback
    # succeeds without return data is not one.
    assert registry.domainIdOf(silent) == 0


def test_domain_id_of_is_zero_for_a_manager_clone_made_outside_that_claims_a_real_id(
    registry, manager, factory, swap, cloner, deployer
):
    implementation = registry.managerImplementation()
    claims_registry = cloner.cloneManager(
        implementation, domain_config(registry, factory, 1, swap), {"from": deployer}
    ).return_value
    own_registry = cloner.cloneManager(
        implementation, domain_config(registry, factory, 1, swap, claimed_registry=cloner), {"from": deployer}
    ).return_value
    # The second clone names the cloner as its registry, so the cloner can make it fully working.
    escrow = cloner.initializeManager(own_registry, {"from": deployer}).return_value

    for fake in (claims_registry, own_registry):
        assert InstrumentManager.at(fake).domainId() == 1
        assert InstrumentManager.at(fake).instrument() == swap.address
        assert registry.domainIdOf(fake) == 0
    assert InstrumentEscrow.at(escrow).admin() == own_registry
    assert registry.getDomain(1)["manager"] == manager.address
    assert registry.domainCount() == 1


def test_domain_id_of_is_zero_for_a_manager_of_another_registry(registry, manager, factory, swap, deployer, stranger):
    other_registry = InstrumentRegistry.deploy(factory, {"from": deployer})
    _, foreign, _ = other_registry.activateInstrument(swap, {"from": stranger}).return_value
    assert InstrumentManager.at(foreign).domainId() == 1
    assert other_registry.domainIdOf(foreign) == 1
    assert registry.domainIdOf(foreign) == 0
    assert other_registry.domainIdOf(manager) == 0


def test_an_outside_clone_naming_the_real_registry_cannot_be_initialised_by_anyone(
    registry, manager, factory, swap, cloner, deployer, stranger
):
    fake = InstrumentManager.at(
        cloner.cloneManager(
            registry.managerImplementation(), domain_config(registry, factory, 1, swap), {"from": deployer}
        ).return_value
    )
    for caller in (stranger, deployer):
        with reverts("ManagerUnauthorized", caller):
            fake.initialize({"from": caller})
    with reverts("ManagerUnauthorized", cloner):
        cloner.initializeManager(fake, {"from": deployer})
    assert web3.eth.get_code(factory.predictInstrumentEscrow(fake)) == b""


# ------------------------------------------------------------------------- manager access rules


@pytest.mark.parametrize("caller_role", ["provider", "stranger", "deployer"])
def test_manager_initialize_and_deactivate_refuse_everyone_but_the_registry(
    manager, domain_escrow, factory, provider, stranger, deployer, caller_role
):
    caller = {"provider": provider, "stranger": stranger, "deployer": deployer}[caller_role]
    with reverts("ManagerUnauthorized", caller):
        manager.initialize({"from": caller})
    with reverts("ManagerUnauthorized", caller):
        manager.deactivate({"from": caller})
    assert manager.isActive()
    assert factory.predictInstrumentEscrow(manager) == domain_escrow.address


def test_the_manager_implementation_refuses_to_be_used(registry, manager, token, other_token, maker, provider):
    implementation = InstrumentManager.at(registry.managerImplementation())
    assert len(implementation.bytecode) > 0
    for view in ("registry", "domainId", "instrument", "escrowFactory", "getInstrumentEscrow"):
        with reverts("ManagerImplementationNotUsable"):
            getattr(implementation, view)()
    with reverts("ManagerImplementationNotUsable"):
        implementation.createIssuance(swap_terms(3600, token, other_token, 1, 1), {"from": maker})
    with reverts("ManagerImplementationNotUsable"):
        implementation.initialize({"from": provider})
    with reverts("ManagerImplementationNotUsable"):
        implementation.deactivate({"from": provider})
    assert implementation.issuanceCount() == 0
    assert registry.domainIdOf(implementation) == 0


def test_a_manager_deployed_on_its_own_is_not_usable_and_not_a_domain(
    registry, manager, token, other_token, maker, deployer
):
    standalone = InstrumentManager.deploy({"from": deployer})
    with reverts("ManagerImplementationNotUsable"):
        standalone.domainId()
    with reverts("ManagerImplementationNotUsable"):
        standalone.createIssuance(swap_terms(3600, token, other_token, 1, 1), {"from": maker})
    assert registry.domainIdOf(standalone) == 0


def test_domain_id_of_is_zero_for_a_manager_clone_that_claims_id_zero(registry, factory, swap, cloner, deployer):
    fake = cloner.cloneManager(
        registry.managerImplementation(), domain_config(registry, factory, 0, swap), {"from": deployer}
    ).return_value
    assert InstrumentManager.at(fake).domainId() == 0
    assert registry.domainIdOf(fake) == 0


def test_a_manager_refuses_to_be_deactivated_twice_even_by_its_registry(
    registry, factory, swap, cloner, deployer, stranger
):
    # The registry never asks twice (RegistryDomainInactive); a clone naming `stranger` as its
    # registry shows the manager's own check.
    fake = InstrumentManager.at(
        cloner.cloneManager(
            registry.managerImplementation(),
            domain_config(registry, factory, 1, swap, claimed_registry=stranger),
            {"from": deployer},
        ).return_value
    )
    fake.deactivate({"from": stranger})
    assert not fake.isActive()
    with reverts("ManagerDeactivated"):
        fake.deactivate({"from": stranger})
    assert not fake.isActive()
