"""Integration tests of scripts/deploy.py on the test chain.

`deploy` is run for real from the `deployer` account, writing its record to a temporary folder;
the tests check the deployed contracts' wiring, the Swap domain the registry recorded, and the
JSON record dApps read. `resolve_deployer` and `main` are checked for how they pick the account.
"""

import io
import json

import pytest
from brownie import (
    EscrowFactory,
    InstrumentEscrow,
    InstrumentManager,
    InstrumentRegistry,
    Swap,
    accounts,
    chain,
    history,
    network,
    web3,
)
from eth_account import Account
from rich.console import Console

from scripts import deploy as deploy_script
from scripts.deploy import (
    DeployerNotConfiguredError,
    deploy,
    deployment_file,
    resolve_deployer,
)

# A throwaway private key, used only to check that a key from the environment is picked up.
THROWAWAY_PRIVATE_KEY = "0x" + "5e" * 32


@pytest.fixture
def quiet_console():
    """A rich console writing into memory, so tests print nothing."""
    return Console(file=io.StringIO(), width=120)


@pytest.fixture
def record(deployer, tmp_path, quiet_console):
    """The record of a fresh deployment from `deployer`, written into `tmp_path`."""
    return deploy(deployer, deployments_dir=tmp_path, console=quiet_console)


def test_core_contracts_are_deployed_and_wired(record):
    contracts = record["contracts"]
    for address in contracts.values():
        assert web3.eth.get_code(address), f"no code at {address}"
    factory = EscrowFactory.at(contracts["EscrowFactory"])
    registry = InstrumentRegistry.at(contracts["InstrumentRegistry"])
    swap = Swap.at(contracts["Swap"])

    assert registry.escrowFactory() == factory.address
    assert web3.eth.get_code(registry.managerImplementation())
    assert web3.eth.get_code(factory.instrumentEscrowImplementation())
    assert web3.eth.get_code(factory.issuanceEscrowImplementation())
    assert registry.domainCount() == 1
    assert swap.maxDuration() == 365 * 24 * 60 * 60


def test_swap_domain_is_recorded_by_the_registry_with_the_deployer_as_provider(record, deployer):
    contracts, domain = record["contracts"], record["swapDomain"]
    registry = InstrumentRegistry.at(contracts["InstrumentRegistry"])

    assert domain["domainId"] == 1
    provider, instrument, manager, instrument_escrow, active = registry.getDomain(domain["domainId"])
    assert provider == deployer.address
    assert instrument == contracts["Swap"]
    assert manager == domain["instrumentManager"]
    assert instrument_escrow == domain["instrumentEscrow"]
    assert active is True
    assert registry.domainIdOf(manager) == domain["domainId"]


def test_manager_and_instrument_escrow_are_bound_to_the_deployment(record):
    contracts, domain = record["contracts"], record["swapDomain"]
    manager = InstrumentManager.at(domain["instrumentManager"])
    instrument_escrow = InstrumentEscrow.at(domain["instrumentEscrow"])
    factory = EscrowFactory.at(contracts["EscrowFactory"])

    assert manager.registry() == contracts["InstrumentRegistry"]
    assert manager.domainId() == domain["domainId"]
    assert manager.instrument() == contracts["Swap"]
    assert manager.escrowFactory() == contracts["EscrowFactory"]
    assert manager.isActive() is True
    assert manager.issuanceCount() == 0
    assert manager.getInstrumentEscrow() == instrument_escrow.address
    assert factory.predictInstrumentEscrow(manager) == instrument_escrow.address
    assert instrument_escrow.admin() == manager.address


def test_record_is_written_as_json_for_the_active_network(record, tmp_path, deployer):
    path = deployment_file(network.show_active(), tmp_path)

    assert path == tmp_path / f"{network.show_active()}.json"
    assert json.loads(path.read_text()) == record
    assert [entry.name for entry in tmp_path.iterdir()] == [path.name], "no partial file left"
    assert record["network"] == network.show_active()
    assert record["chainId"] == chain.id
    assert record["deployer"] == deployer.address
    assert record["nativeEth"] == "0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE"
    assert set(record["contracts"]) == {"EscrowFactory", "InstrumentRegistry", "Swap"}
    assert set(record["swapDomain"]) == {"domainId", "instrumentManager", "instrumentEscrow"}


def test_record_block_number_is_the_first_block_to_index(record):
    factory = record["contracts"]["EscrowFactory"]
    first_block = record["blockNumber"]

    assert web3.eth.get_code(factory, block_identifier=first_block)
    assert not web3.eth.get_code(factory, block_identifier=first_block - 1)


def test_deploying_again_replaces_the_record(record, deployer, tmp_path, quiet_console):
    second = deploy(deployer, deployments_dir=tmp_path, console=quiet_console)

    saved = json.loads(deployment_file(network.show_active(), tmp_path).read_text())
    assert saved == second
    assert second["contracts"]["InstrumentRegistry"] != record["contracts"]["InstrumentRegistry"]
    assert second["swapDomain"]["domainId"] == 1, "a new registry numbers its domains from 1"


def test_deploy_creates_a_missing_deployments_folder(deployer, tmp_path, quiet_console):
    folder = tmp_path / "nested" / "deployments"

    deploy(deployer, deployments_dir=folder, console=quiet_console)

    assert deployment_file(network.show_active(), folder).is_file()


def test_deploy_prints_a_summary(record, quiet_console):
    printed = quiet_console.file.getvalue()

    for address in record["contracts"].values():
        assert address in printed
    assert record["swapDomain"]["instrumentManager"] in printed


def test_deploy_refuses_zero_confirmations_before_sending_anything(deployer, tmp_path):
    transactions_before = len(history)

    with pytest.raises(ValueError, match="required_confs"):
        deploy(deployer, deployments_dir=tmp_path, required_confs=0, console=Console(quiet=True))

    assert len(history) == transactions_before
    assert not list(tmp_path.iterdir())


# ------------------------------------------------------------------------ choosing the account


def test_development_network_deploys_from_the_first_account():
    assert resolve_deployer(is_development=True, environ={}) == accounts[0]


def test_live_network_uses_the_private_key_from_the_environment():
    expected = Account.from_key(THROWAWAY_PRIVATE_KEY).address

    account = resolve_deployer(is_development=False, environ={"DEPLOYER_PRIVATE_KEY": THROWAWAY_PRIVATE_KEY})
    try:
        assert account.address == expected
    finally:
        accounts.remove(account)


def test_live_network_prefers_the_named_keystore_account(monkeypatch):
    loaded = []

    def fake_load(name, password=None):
        loaded.append((name, password))
        return accounts[7]

    monkeypatch.setattr(accounts, "load", fake_load)
    environ = {
        "DEPLOYER_ACCOUNT": "release-deployer",
        "DEPLOYER_PASSWORD": "secret",
        "DEPLOYER_PRIVATE_KEY": THROWAWAY_PRIVATE_KEY,
    }

    assert resolve_deployer(is_development=False, environ=environ) == accounts[7]
    assert loaded == [("release-deployer", "secret")]


def test_keystore_password_is_prompted_for_when_not_in_the_environment(monkeypatch):
    loaded = []
    monkeypatch.setattr(accounts, "load", lambda name, password=None: loaded.append((name, password)) or accounts[7])

    resolve_deployer(is_development=False, environ={"DEPLOYER_ACCOUNT": "release-deployer"})

    assert loaded == [("release-deployer", None)]


def test_live_network_without_an_account_fails_with_a_clear_message():
    with pytest.raises(DeployerNotConfiguredError) as failure:
        resolve_deployer(is_development=False, environ={})

    message = str(failure.value)
    assert "DEPLOYER_ACCOUNT" in message
    assert "DEPLOYER_PRIVATE_KEY" in message
    assert network.show_active() in message


def test_main_deploys_from_the_first_account_on_a_development_network(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setenv("DEPLOYMENTS_DIR", str(tmp_path))
    monkeypatch.setattr(deploy_script, "deploy", lambda account, **options: calls.append((account, options)))

    deploy_script.main()

    assert len(calls) == 1
    account, options = calls[0]
    assert account == accounts[0]
    assert options["required_confs"] is None


def test_main_exits_with_an_error_on_a_live_network_without_an_account(monkeypatch, capsys):
    monkeypatch.setattr(deploy_script, "is_development_network", lambda: False)
    for name in ("DEPLOYER_ACCOUNT", "DEPLOYER_PASSWORD", "DEPLOYER_PRIVATE_KEY"):
        monkeypatch.delenv(name, raising=False)
    transactions_before = len(history)

    with pytest.raises(SystemExit) as exit_info:
        deploy_script.main()

    assert exit_info.value.code == 1
    assert "DEPLOYER_PRIVATE_KEY" in capsys.readouterr().out
    assert len(history) == transactions_before


def test_main_waits_for_the_configured_confirmations_on_a_live_network(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setenv("DEPLOYMENTS_DIR", str(tmp_path))
    monkeypatch.setattr(deploy_script, "is_development_network", lambda: False)
    monkeypatch.setattr(deploy_script, "resolve_deployer", lambda is_development, environ=None: accounts[7])
    monkeypatch.setattr(deploy_script, "deploy", lambda account, **options: calls.append((account, options)))
    monkeypatch.setenv("DEPLOYER_REQUIRED_CONFS", "5")

    deploy_script.main()

    assert calls[0][0] == accounts[7]
    assert calls[0][1]["required_confs"] == 5


# ------------------------------------------------------------ checks before the first transaction


def test_existing_record_with_code_on_this_chain_is_found(record, tmp_path):
    path = deployment_file(network.show_active(), tmp_path)

    assert deploy_script.find_existing_deployment(path, chain.id) == record


def test_record_of_another_chain_id_is_refused(record, tmp_path):
    path = deployment_file(network.show_active(), tmp_path)

    with pytest.raises(deploy_script.WrongChainError, match=f"chain id {chain.id}"):
        deploy_script.find_existing_deployment(path, chain.id + 1)


def test_record_without_code_means_deploy_anew_and_partial_code_is_refused(record, tmp_path):
    path = deployment_file(network.show_active(), tmp_path)
    assert deploy_script.find_existing_deployment(path, chain.id, get_code=lambda address: b"") is None
    factory = record["contracts"]["EscrowFactory"]
    partial = lambda address: b"" if address == factory else b"\x01"  # noqa: E731

    with pytest.raises(deploy_script.DeploymentRefused, match=factory):
        deploy_script.find_existing_deployment(path, chain.id, get_code=partial)
    assert deploy_script.find_existing_deployment(tmp_path / "none.json", chain.id) is None


def test_expected_chain_id_from_the_environment(monkeypatch):
    deploy_script.check_expected_chain_id(chain.id, {"DEPLOYER_EXPECTED_CHAIN_ID": str(chain.id)})
    deploy_script.check_expected_chain_id(chain.id, {})
    with pytest.raises(deploy_script.WrongChainError, match="DEPLOYER_EXPECTED_CHAIN_ID"):
        deploy_script.check_expected_chain_id(chain.id, {"DEPLOYER_EXPECTED_CHAIN_ID": "1"})


def test_main_on_a_live_network_skips_an_existing_deployment(record, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DEPLOYMENTS_DIR", str(tmp_path))
    monkeypatch.setattr(deploy_script, "is_development_network", lambda: False)
    monkeypatch.setattr(deploy_script, "deploy", lambda *args, **options: pytest.fail("deployed twice"))
    transactions_before = len(history)

    assert deploy_script.main() == record
    assert "Already deployed" in capsys.readouterr().out
    assert len(history) == transactions_before


def test_an_account_without_eth_is_refused(monkeypatch):
    empty = accounts.add()
    try:
        with pytest.raises(deploy_script.EmptyBalanceError, match=empty.address):
            deploy_script.check_balance(empty)
    finally:
        accounts.remove(empty)


def test_an_unknown_keystore_account_is_refused_with_a_clear_message():
    with pytest.raises(DeployerNotConfiguredError, match="no-such-deployer"):
        resolve_deployer(is_development=False, environ={"DEPLOYER_ACCOUNT": "no-such-deployer-account"})
