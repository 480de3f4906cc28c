"""Integration tests of scripts/deploy.py on the test chain.

`deploy` is run for real from the `deployer` account, writing its record to a temporary folder;
the tests check the deployed contracts' wiring, the domain of each instrument the registry
recorded, the JSON record dApps read (and the client's reading of it), continuing an interrupted
or version 1 deployment, and the oracle options. `resolve_deployer`, `preflight` and `main` are
checked for how they pick the account and what they refuse before sending anything.
"""

import io
import json

import pytest
from brownie import (
    AdminPriceOracle,
    Borrowing,
    ChainlinkPriceOracle,
    EscrowFactory,
    InstrumentEscrow,
    InstrumentManager,
    InstrumentRegistry,
    Lending,
    MultiSwap,
    Swap,
    accounts,
    chain,
    history,
    network,
    web3,
)
from eth_account import Account
from rich.console import Console

from nuts_escrow import NATIVE_ETH, Deployment
from scripts import deploy as deploy_script
from scripts.deploy import (
    INSTRUMENTS,
    DeployerNotConfiguredError,
    DeploymentRefused,
    OracleChoice,
    OracleChoiceError,
    choose_oracle,
    deploy,
    deployment_file,
    resolve_deployer,
)

# A throwaway private key, used only to check that a key from the environment is picked up.
THROWAWAY_PRIVATE_KEY = "0x" + "5e" * 32
STEP_COUNT = 11
CONTRACT_NAMES = {"EscrowFactory", "InstrumentRegistry", "PriceOracle", *INSTRUMENTS}
INSTRUMENT_CONTRACTS = {"Swap": Swap, "Lending": Lending, "Borrowing": Borrowing, "MultiSwap": MultiSwap}


class Interrupted(Exception):
    """Stands for a deployment killed right after a step's record was written."""


@pytest.fixture
def quiet_console():
    """A rich console writing into memory, so tests print nothing."""
    return Console(file=io.StringIO(), width=120)


@pytest.fixture(scope="module")
def record_folder(tmp_path_factory):
    """The folder of the module's deployment record."""
    return tmp_path_factory.mktemp("deployments")


@pytest.fixture(scope="module")
def record(deployer, record_folder):
    """The record of a fresh deployment from `deployer`, written into `record_folder`."""
    return deploy(deployer, deployments_dir=record_folder, console=Console(file=io.StringIO(), width=120))


def sent_since(count_before: int) -> list:
    """The transactions sent since `history` held `count_before`."""
    return list(history)[count_before:]


def deploy_quietly(account, folder, **options) -> dict:
    """`deploy` from `account` into `folder`, printing nothing."""
    return deploy(account, deployments_dir=folder, console=Console(file=io.StringIO()), **options)


def interrupt_after(monkeypatch, steps: int):
    """Makes the next deployment stop (raise `Interrupted`) right after writing its record for the
    `steps`-th time, as a deployment killed after that step would."""
    real_write = deploy_script.write_record
    writes = []

    def write_then_stop(record, path):
        real_write(record, path)
        writes.append(path)
        if len(writes) == steps:
            raise Interrupted

    monkeypatch.setattr(deploy_script, "write_record", write_then_stop)


def assert_domain_activated(record: dict, name: str, provider):
    """The registry holds `record`'s domain of instrument `name`, active, provided by `provider`,
    and its manager and Instrument Escrow are bound to it."""
    contracts, domain = record["contracts"], record["domains"][name]
    registry = InstrumentRegistry.at(contracts["InstrumentRegistry"])
    manager = InstrumentManager.at(domain["instrumentManager"])
    instrument_escrow = InstrumentEscrow.at(domain["instrumentEscrow"])

    assert registry.getDomain(domain["domainId"]) == (
        provider.address,
        contracts[name],
        manager.address,
        instrument_escrow.address,
        True,
    )
    assert registry.domainIdOf(manager) == domain["domainId"]
    assert manager.registry() == registry.address
    assert manager.domainId() == domain["domainId"]
    assert manager.instrument() == contracts[name]
    assert manager.provider() == provider.address
    assert manager.escrowFactory() == contracts["EscrowFactory"]
    assert manager.getInstrumentEscrow() == instrument_escrow.address
    assert EscrowFactory.at(contracts["EscrowFactory"]).predictInstrumentEscrow(manager) == instrument_escrow.address
    assert instrument_escrow.admin() == manager.address


# ----------------------------------------------------------------------------- a fresh deployment


def test_core_contracts_are_deployed_and_wired(record, deployer):
    contracts = record["contracts"]
    for address in contracts.values():
        assert web3.eth.get_code(address), f"no code at {address}"
    factory = EscrowFactory.at(contracts["EscrowFactory"])
    registry = InstrumentRegistry.at(contracts["InstrumentRegistry"])

    assert registry.escrowFactory() == factory.address
    assert web3.eth.get_code(registry.managerImplementation())
    assert web3.eth.get_code(factory.instrumentEscrowImplementation())
    assert web3.eth.get_code(factory.issuanceEscrowImplementation())
    assert registry.domainCount() == len(INSTRUMENTS)


def test_the_loans_use_the_recorded_oracle_owned_by_the_deployer(record, deployer):
    contracts = record["contracts"]
    oracle = AdminPriceOracle.at(contracts["PriceOracle"])

    assert record["priceOracleKind"] == "admin", "the default on a development network"
    assert oracle.owner() == deployer.address
    assert [int(part) for part in oracle.getRate(record["nativeEth"], record["nativeEth"])] == [1, 1]
    assert Lending.at(contracts["Lending"]).oracle() == oracle.address
    assert Borrowing.at(contracts["Borrowing"]).oracle() == oracle.address
    assert Lending.at(contracts["Lending"]).makerIsLender() is True
    assert Borrowing.at(contracts["Borrowing"]).makerIsLender() is False


@pytest.mark.parametrize("name", INSTRUMENTS)
def test_each_instrument_has_an_active_domain_provided_by_the_deployer(record, deployer, name):
    assert_domain_activated(record, name, deployer)


def test_domains_are_numbered_in_instrument_order(record):
    assert [record["domains"][name]["domainId"] for name in INSTRUMENTS] == [1, 2, 3, 4]


def test_the_instruments_bounds_are_their_defaults(record):
    """No bounds are set at deployment: the instruments' absolute limits apply until a provider
    sets them, and they admit the usual terms."""
    contracts, domains = record["contracts"], record["domains"]
    for name in ("Lending", "Borrowing"):
        loan = INSTRUMENT_CONTRACTS[name].at(contracts[name])
        assert loan.getBounds(domains[name]["instrumentManager"]) == loan.maxBounds()
    for name in ("Swap", "MultiSwap"):
        instrument = INSTRUMENT_CONTRACTS[name].at(contracts[name])
        bounds = instrument.getBounds(domains[name]["instrumentManager"])
        assert [int(bound) for bound in bounds] == [1, 365 * 24 * 60 * 60]


def test_record_is_written_as_json_for_the_active_network(record, record_folder, deployer):
    path = deployment_file(network.show_active(), record_folder)

    assert path == record_folder / f"{network.show_active()}.json"
    assert json.loads(path.read_text()) == record
    assert [entry.name for entry in record_folder.iterdir()] == [path.name], "no partial file left"
    assert record["formatVersion"] == 2
    assert record["network"] == network.show_active()
    assert record["chainId"] == chain.id
    assert record["deployer"] == deployer.address
    assert record["nativeEth"] == NATIVE_ETH
    assert set(record["contracts"]) == CONTRACT_NAMES
    assert list(record["domains"]) == list(INSTRUMENTS)
    for domain in record["domains"].values():
        assert set(domain) == {"domainId", "instrumentManager", "instrumentEscrow"}
    assert "swapDomain" not in record


def test_record_block_number_is_the_first_block_to_index(record):
    factory = record["contracts"]["EscrowFactory"]
    first_block = record["blockNumber"]

    assert web3.eth.get_code(factory, block_identifier=first_block)
    assert not web3.eth.get_code(factory, block_identifier=first_block - 1)


def test_the_client_reads_every_domain_of_the_record(record, record_folder):
    deployment = Deployment.for_network(network.show_active(), record_folder)

    assert set(deployment.domains) == set(INSTRUMENTS)
    for name in INSTRUMENTS:
        domain = deployment.domains[name]
        assert domain.instrument == record["contracts"][name]
        assert domain.domain_id == record["domains"][name]["domainId"]
        assert domain.instrument_manager == record["domains"][name]["instrumentManager"]
        assert domain.instrument_escrow == record["domains"][name]["instrumentEscrow"]
    assert deployment.price_oracle == record["contracts"]["PriceOracle"]
    assert deployment.price_oracle_kind == "admin"
    # the attributes of formatVersion 1 still answer, for the Swap domain
    assert deployment.swap == record["contracts"]["Swap"]
    assert deployment.swap_domain_id == 1
    assert deployment.swap_instrument_manager == record["domains"]["Swap"]["instrumentManager"]
    assert deployment.swap_instrument_escrow == record["domains"]["Swap"]["instrumentEscrow"]


def test_the_client_still_reads_a_version_1_record(record):
    version_1 = {
        **{key: value for key, value in record.items() if key not in ("domains", "priceOracleKind")},
        "formatVersion": 1,
        "contracts": {name: record["contracts"][name] for name in ("EscrowFactory", "InstrumentRegistry", "Swap")},
        "swapDomain": record["domains"]["Swap"],
    }

    deployment = Deployment.from_record(version_1)

    assert list(deployment.domains) == ["Swap"]
    assert deployment.domains["Swap"].instrument_manager == record["domains"]["Swap"]["instrumentManager"]
    assert deployment.swap_domain_id == 1
    assert deployment.price_oracle is None
    assert deployment.price_oracle_kind is None
    with pytest.raises(ValueError, match="formatVersion 3"):
        Deployment.from_record({**record, "formatVersion": 3})


def test_deploy_prints_a_summary_with_each_steps_transactions_and_gas(deployer, tmp_path, quiet_console):
    before = len(history)

    record = deploy(deployer, deployments_dir=tmp_path, console=quiet_console)

    sent = sent_since(before)
    printed = quiet_console.file.getvalue()
    assert len(sent) == STEP_COUNT
    for address in record["contracts"].values():
        assert address in printed
    for domain in record["domains"].values():
        assert domain["instrumentManager"] in printed and domain["instrumentEscrow"] in printed
    for transaction in sent:
        assert f"{transaction.gas_used:,}" in printed
    assert f"{sum(transaction.gas_used for transaction in sent):,}" in printed, "the total"


def test_deploy_creates_a_missing_deployments_folder(deployer, tmp_path):
    folder = tmp_path / "nested" / "deployments"

    deploy_quietly(deployer, folder)

    assert deployment_file(network.show_active(), folder).is_file()


def test_deploy_refuses_zero_confirmations_before_sending_anything(deployer, tmp_path):
    transactions_before = len(history)

    with pytest.raises(ValueError, match="required_confs"):
        deploy(deployer, deployments_dir=tmp_path, required_confs=0, console=Console(quiet=True))

    assert len(history) == transactions_before
    assert not list(tmp_path.iterdir())


# ------------------------------------------------------------------- continuing a deployment


def test_deploying_again_sends_nothing_and_keeps_the_record(record, record_folder, deployer, quiet_console):
    path = deployment_file(network.show_active(), record_folder)
    saved = path.read_text()
    before = len(history)

    again = deploy(deployer, deployments_dir=record_folder, console=quiet_console)

    assert again == record
    assert len(history) == before
    assert path.read_text() == saved
    assert quiet_console.file.getvalue().count("already recorded") == STEP_COUNT


@pytest.mark.parametrize("steps_done", [1, 3, 7, 9])
def test_an_interrupted_deployment_resumes_where_it_stopped(deployer, tmp_path, monkeypatch, steps_done):
    path = deployment_file(network.show_active(), tmp_path)
    interrupt_after(monkeypatch, steps_done)
    with pytest.raises(Interrupted):
        deploy_quietly(deployer, tmp_path)
    monkeypatch.undo()
    interrupted = json.loads(path.read_text())
    before = len(history)

    resumed = deploy_quietly(deployer, tmp_path)

    assert len(sent_since(before)) == STEP_COUNT - steps_done, "only the missing steps are sent"
    assert len(interrupted["contracts"]) + len(interrupted["domains"]) == steps_done
    for name, address in interrupted["contracts"].items():
        assert resumed["contracts"][name] == address
    assert resumed["blockNumber"] == interrupted["blockNumber"]
    assert json.loads(path.read_text()) == resumed
    assert InstrumentRegistry.at(resumed["contracts"]["InstrumentRegistry"]).domainCount() == len(INSTRUMENTS)
    for name in INSTRUMENTS:
        assert_domain_activated(resumed, name, deployer)
    assert Lending.at(resumed["contracts"]["Lending"]).oracle() == resumed["contracts"]["PriceOracle"]


@pytest.mark.parametrize("steps_recorded", [7, 10])
def test_an_activation_mined_but_not_recorded_is_found_not_repeated(deployer, tmp_path, monkeypatch, steps_recorded):
    # The run dies as it writes the record of the activation after `steps_recorded` steps: the
    # activation is on chain, the record does not know it.
    real_write = deploy_script.write_record
    writes = []

    def die_before_the_next_write(record, path):
        if len(writes) == steps_recorded:
            raise Interrupted
        real_write(record, path)
        writes.append(path)

    monkeypatch.setattr(deploy_script, "write_record", die_before_the_next_write)
    with pytest.raises(Interrupted):
        deploy_quietly(deployer, tmp_path)
    monkeypatch.undo()
    before = len(history)

    resumed = deploy_quietly(deployer, tmp_path)

    assert len(sent_since(before)) == STEP_COUNT - steps_recorded - 1, "the mined activation is not sent again"
    registry = InstrumentRegistry.at(resumed["contracts"]["InstrumentRegistry"])
    assert registry.domainCount() == len(INSTRUMENTS), "no second domain"
    for name in INSTRUMENTS:
        assert_domain_activated(resumed, name, deployer)


def write_version_1_deployment(deployer, folder) -> dict:
    """Deploys what a formatVersion 1 deployment held (factory, registry, Swap and its domain) and
    writes its record, in that version's layout, into `folder`."""
    factory = EscrowFactory.deploy({"from": deployer})
    registry = InstrumentRegistry.deploy(factory, {"from": deployer})
    swap = Swap.deploy({"from": deployer})
    activated = registry.activateInstrument(swap, {"from": deployer}).events["InstrumentActivated"]
    version_1 = {
        "formatVersion": 1,
        "network": network.show_active(),
        "chainId": chain.id,
        "deployer": deployer.address,
        "blockNumber": factory.tx.block_number,
        "nativeEth": NATIVE_ETH,
        "contracts": {"EscrowFactory": factory.address, "InstrumentRegistry": registry.address, "Swap": swap.address},
        "swapDomain": {
            "domainId": activated["domainId"],
            "instrumentManager": activated["manager"],
            "instrumentEscrow": activated["instrumentEscrow"],
        },
    }
    deployment_file(network.show_active(), folder).write_text(json.dumps(version_1))
    return version_1


def test_a_version_1_record_is_extended_with_the_other_instruments(deployer, tmp_path):
    version_1 = write_version_1_deployment(deployer, tmp_path)
    before = len(history)

    extended = deploy_quietly(deployer, tmp_path)

    assert len(sent_since(before)) == STEP_COUNT - 4, "oracle, three instruments, three activations"
    assert extended["formatVersion"] == 2
    assert json.loads(deployment_file(network.show_active(), tmp_path).read_text()) == extended
    assert set(extended["contracts"]) == CONTRACT_NAMES
    for name, address in version_1["contracts"].items():
        assert extended["contracts"][name] == address
    assert extended["domains"]["Swap"] == version_1["swapDomain"]
    assert extended["blockNumber"] == version_1["blockNumber"]
    assert "swapDomain" not in extended
    for name in INSTRUMENTS:
        assert_domain_activated(extended, name, deployer)


def test_a_record_none_of_whose_contracts_has_code_is_deployed_anew(record, deployer, tmp_path):
    """A reset test chain: the record's addresses hold nothing any more."""
    stale = json.loads(json.dumps(record))
    nowhere = iter(Account.create().address for _ in range(20))
    stale["contracts"] = {name: next(nowhere) for name in stale["contracts"]}
    for domain in stale["domains"].values():
        domain.update(instrumentManager=next(nowhere), instrumentEscrow=next(nowhere))
    deployment_file(network.show_active(), tmp_path).write_text(json.dumps(stale))
    before = len(history)

    fresh = deploy_quietly(deployer, tmp_path)

    assert len(sent_since(before)) == STEP_COUNT
    assert set(fresh["contracts"].values()).isdisjoint(stale["contracts"].values())
    for name in INSTRUMENTS:
        assert_domain_activated(fresh, name, deployer)


def test_a_record_with_only_some_contracts_having_code_is_refused(record, deployer, tmp_path):
    foreign = json.loads(json.dumps(record))
    foreign["domains"]["Lending"]["instrumentEscrow"] = Account.create().address
    deployment_file(network.show_active(), tmp_path).write_text(json.dumps(foreign))
    before = len(history)

    with pytest.raises(DeploymentRefused, match=foreign["domains"]["Lending"]["instrumentEscrow"]):
        deploy_quietly(deployer, tmp_path)

    assert len(history) == before


def test_an_interrupted_deployment_is_continued_only_by_its_deployer(deployer, tmp_path, monkeypatch):
    interrupt_after(monkeypatch, 3)
    with pytest.raises(Interrupted):
        deploy_quietly(deployer, tmp_path)
    monkeypatch.undo()
    before = len(history)

    with pytest.raises(DeploymentRefused, match=f"made by {deployer.address}"):
        deploy_quietly(accounts[1], tmp_path)

    assert len(history) == before


def test_existing_record_with_code_on_this_chain_is_found(record, record_folder):
    path = deployment_file(network.show_active(), record_folder)

    assert deploy_script.find_existing_deployment(path, chain.id) == record


def test_record_of_another_chain_id_is_refused(record, record_folder):
    path = deployment_file(network.show_active(), record_folder)

    with pytest.raises(deploy_script.WrongChainError, match=f"chain id {chain.id}"):
        deploy_script.find_existing_deployment(path, chain.id + 1)


def test_record_without_code_means_deploy_anew_and_partial_code_is_refused(record, record_folder, tmp_path):
    path = deployment_file(network.show_active(), record_folder)
    assert deploy_script.find_existing_deployment(path, chain.id, get_code=lambda address: b"") is None
    factory = record["contracts"]["EscrowFactory"]
    partial = lambda address: b"" if address == factory else b"\x01"  # noqa: E731

    with pytest.raises(deploy_script.DeploymentRefused, match=factory):
        deploy_script.find_existing_deployment(path, chain.id, get_code=partial)
    assert deploy_script.find_existing_deployment(tmp_path / "none.json", chain.id) is None


# ------------------------------------------------------------------------------------ the oracle


def test_the_oracle_defaults_to_admin_locally_and_chainlink_on_live_networks():
    assert choose_oracle(is_development=True, environ={}) == OracleChoice("admin")
    assert choose_oracle(is_development=False, environ={}) == OracleChoice("chainlink")


def test_the_oracle_kind_comes_from_the_environment():
    assert choose_oracle(True, {"PRICE_ORACLE_KIND": "chainlink"}) == OracleChoice("chainlink", explicit=True)
    assert choose_oracle(False, {"PRICE_ORACLE_KIND": " Admin "}) == OracleChoice("admin", explicit=True)


def test_an_unknown_oracle_kind_is_refused():
    with pytest.raises(OracleChoiceError, match="PRICE_ORACLE_KIND is 'pyth'; it must be one of: admin, chainlink"):
        choose_oracle(True, {"PRICE_ORACLE_KIND": "pyth"})


def test_an_oracle_address_and_kind_together_are_refused(record):
    environ = {"PRICE_ORACLE": record["contracts"]["PriceOracle"], "PRICE_ORACLE_KIND": "admin"}

    with pytest.raises(OracleChoiceError, match="not both"):
        choose_oracle(True, environ)


def test_a_chainlink_oracle_is_deployed_owned_by_the_deployer(deployer, tmp_path):
    record = deploy_quietly(deployer, tmp_path, oracle=OracleChoice("chainlink"))

    oracle = ChainlinkPriceOracle.at(record["contracts"]["PriceOracle"])
    assert record["priceOracleKind"] == "chainlink"
    assert oracle.owner() == deployer.address
    assert oracle.MAX_DECIMALS() == 36
    assert Lending.at(record["contracts"]["Lending"]).oracle() == oracle.address
    assert Borrowing.at(record["contracts"]["Borrowing"]).oracle() == oracle.address


def test_an_existing_oracle_is_used_as_given(deployer, tmp_path, quiet_console):
    oracle = AdminPriceOracle.deploy(deployer, {"from": deployer})
    choice = choose_oracle(True, {"PRICE_ORACLE": oracle.address.lower()})
    assert choice == OracleChoice("external", oracle.address, explicit=True)
    before = len(history)

    record = deploy(deployer, deployments_dir=tmp_path, console=quiet_console, oracle=choice)

    assert len(sent_since(before)) == STEP_COUNT - 1, "no oracle deployed"
    assert record["contracts"]["PriceOracle"] == oracle.address
    assert record["priceOracleKind"] == "external"
    assert Lending.at(record["contracts"]["Lending"]).oracle() == oracle.address
    assert Borrowing.at(record["contracts"]["Borrowing"]).oracle() == oracle.address
    assert "given (PRICE_ORACLE)" in quiet_console.file.getvalue()


def test_an_oracle_address_that_is_no_oracle_is_refused(token, taker):
    with pytest.raises(OracleChoiceError, match="not an address"):
        choose_oracle(True, {"PRICE_ORACLE": "0x1234"})
    with pytest.raises(OracleChoiceError, match=f"{taker.address} has no code"):
        choose_oracle(True, {"PRICE_ORACLE": taker.address})
    with pytest.raises(OracleChoiceError, match=f"{token.address} does not answer IPriceOracle.getRate"):
        choose_oracle(True, {"PRICE_ORACLE": token.address})


def test_an_explicit_oracle_must_agree_with_the_recorded_one(record, deployer):
    recorded = record["contracts"]["PriceOracle"]
    other = AdminPriceOracle.deploy(deployer, {"from": deployer})

    deploy_script.check_oracle_matches(record, OracleChoice("chainlink"))  # the default: the record wins
    deploy_script.check_oracle_matches(record, OracleChoice("admin", explicit=True))
    with pytest.raises(OracleChoiceError, match=rf"\(admin\) at {recorded}, but PRICE_ORACLE_KIND=chainlink"):
        deploy_script.check_oracle_matches(record, OracleChoice("chainlink", explicit=True))
    with pytest.raises(OracleChoiceError, match=f"but PRICE_ORACLE {other.address}"):
        deploy_script.check_oracle_matches(record, OracleChoice("external", other.address, explicit=True))


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


def test_an_unknown_keystore_account_is_refused_with_a_clear_message():
    with pytest.raises(DeployerNotConfiguredError, match="no-such-deployer"):
        resolve_deployer(is_development=False, environ={"DEPLOYER_ACCOUNT": "no-such-deployer-account"})


def test_an_account_without_eth_is_refused():
    empty = accounts.add()
    try:
        with pytest.raises(deploy_script.EmptyBalanceError, match=empty.address):
            deploy_script.check_balance(empty)
    finally:
        accounts.remove(empty)


def test_expected_chain_id_from_the_environment():
    deploy_script.check_expected_chain_id(chain.id, {"DEPLOYER_EXPECTED_CHAIN_ID": str(chain.id)})
    deploy_script.check_expected_chain_id(chain.id, {})
    with pytest.raises(deploy_script.WrongChainError, match="DEPLOYER_EXPECTED_CHAIN_ID"):
        deploy_script.check_expected_chain_id(chain.id, {"DEPLOYER_EXPECTED_CHAIN_ID": "1"})


# ------------------------------------------------------------------------------------------ main


def test_main_deploys_from_the_first_account_on_a_development_network(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setenv("DEPLOYMENTS_DIR", str(tmp_path))
    monkeypatch.delenv("PRICE_ORACLE", raising=False)
    monkeypatch.delenv("PRICE_ORACLE_KIND", raising=False)
    monkeypatch.setattr(deploy_script, "deploy", lambda account, **options: calls.append((account, options)))

    deploy_script.main()

    assert len(calls) == 1
    account, options = calls[0]
    assert account == accounts[0]
    assert options["required_confs"] is None
    assert options["oracle"] == OracleChoice("admin")


def test_main_passes_the_oracle_kind_from_the_environment(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setenv("DEPLOYMENTS_DIR", str(tmp_path))
    monkeypatch.setenv("PRICE_ORACLE_KIND", "chainlink")
    monkeypatch.setattr(deploy_script, "deploy", lambda account, **options: calls.append(options))

    deploy_script.main()

    assert calls[0]["oracle"] == OracleChoice("chainlink", explicit=True)


def test_main_exits_with_an_error_on_a_live_network_without_an_account(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("DEPLOYMENTS_DIR", str(tmp_path))
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
    assert calls[0][1]["oracle"] == OracleChoice("chainlink"), "the default on a live network"


def test_main_skips_a_complete_deployment(record, record_folder, monkeypatch, capsys):
    monkeypatch.setenv("DEPLOYMENTS_DIR", str(record_folder))
    monkeypatch.setattr(deploy_script, "is_development_network", lambda: False)
    monkeypatch.setattr(deploy_script, "deploy", lambda *args, **options: pytest.fail("deployed twice"))
    transactions_before = len(history)

    assert deploy_script.main() == record
    assert "Already deployed" in capsys.readouterr().out
    assert len(history) == transactions_before


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("PRICE_ORACLE_KIND", "pyth", "must be one of"),
        ("PRICE_ORACLE_KIND", "chainlink", "already has its price oracle (admin)"),
        ("PRICE_ORACLE", "0x000000000000000000000000000000000000dEaD", "has no code"),
    ],
)
def test_main_refuses_oracle_options_before_sending(
    record, record_folder, monkeypatch, capsys, variable, value, message
):
    monkeypatch.setenv("DEPLOYMENTS_DIR", str(record_folder))
    monkeypatch.setenv(variable, value)
    saved = deployment_file(network.show_active(), record_folder).read_text()
    transactions_before = len(history)

    with pytest.raises(SystemExit) as exit_info:
        deploy_script.main()

    assert exit_info.value.code == 1
    assert message in capsys.readouterr().out
    assert len(history) == transactions_before
    assert deployment_file(network.show_active(), record_folder).read_text() == saved
