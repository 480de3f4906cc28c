"""scripts/deploy.py against a network brownie does not start: a standalone Anvil (a block every
second, like a live chain) added as a live network with `brownie networks add`.

Every brownie command runs as a subprocess (`.venv/bin/brownie run scripts/deploy.py --network
<live-id>`) with HOME pointed at a temporary folder, so brownie's network list and keystore are
the test's own (the user's ~/.brownie is not touched), and with DEPLOYMENTS_DIR pointed at a
temporary folder, so no record lands in deployments/. brownie's own live-network artifacts
(build/deployments/<chain id>/, build/deployments/map.json) are removed afterwards.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from eth_account import Account
from web3 import Web3

from anvil_support import ANVIL_MNEMONIC, PROJECT_ROOT, anvil
from scripts.deploy import INSTRUMENTS

CHAIN_ID = 845_501
NETWORK_ID = "nuts-live-test"
PASSWORD = "correct horse battery staple"
BROWNIE = PROJECT_ROOT / ".venv" / "bin" / "brownie"
DEPLOY_TIMEOUT = 240
STEP_COUNT = 11  # transactions of a whole deployment


def _anvil_key(index: int) -> str:
    Account.enable_unaudited_hdwallet_features()
    return Account.from_mnemonic(ANVIL_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}").key.hex()


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """A HOME for brownie: its own ~/.brownie. The compiler comes from the checkout's .solcx/
    (SOLCX_BINARY_PATH, set by ./run and passed on), not from HOME."""
    return tmp_path_factory.mktemp("home")


def brownie(home: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Runs `.venv/bin/brownie ARGS` in the project with the temporary HOME."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DEPLOYER_", "PRICE_ORACLE")) and key not in ("DEPLOYMENTS_DIR", "PYTEST_CURRENT_TEST")
    }
    bins = f"{PROJECT_ROOT / '.venv' / 'bin'}:{PROJECT_ROOT / 'node_modules' / '.bin'}"
    environment.update(HOME=str(home), PATH=f"{bins}:{os.environ.get('PATH', '')}", NO_COLOR="1")
    environment.update(env or {})
    return subprocess.run(
        [str(BROWNIE), *args],
        cwd=PROJECT_ROOT,
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=DEPLOY_TIMEOUT,
    )


@pytest.fixture(scope="module")
def live(home):
    """A standalone Anvil registered (in the temporary HOME) as live network NETWORK_ID."""
    map_file = PROJECT_ROOT / "build" / "deployments" / "map.json"
    map_existed = map_file.exists()
    with anvil(chain_id=CHAIN_ID, block_time=1) as node:
        added = brownie(home, "networks", "add", "Ethereum", NETWORK_ID, f"host={node.url}", f"chainid={CHAIN_ID}")
        assert added.returncode == 0, added.stdout + added.stderr
        try:
            yield node
        finally:
            removed = brownie(home, "networks", "delete", NETWORK_ID)
            shutil.rmtree(PROJECT_ROOT / "build" / "deployments" / str(CHAIN_ID), ignore_errors=True)
            if map_file.exists():
                deployments = json.loads(map_file.read_text())
                deployments.pop(str(CHAIN_ID), None)
                if deployments or map_existed:
                    map_file.write_text(json.dumps(deployments, indent=2, sort_keys=True))
                else:
                    map_file.unlink()
            assert removed.returncode == 0, removed.stdout + removed.stderr


@pytest.fixture(scope="module")
def w3(live):
    return Web3(Web3.HTTPProvider(live.url))


@pytest.fixture(scope="module")
def keystore_account(home):
    """Anvil's account 1, saved encrypted in the temporary HOME's brownie keystore as `deployer`."""
    key = _anvil_key(1)
    folder = home / ".brownie" / "accounts"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "deployer.json").write_text(json.dumps(Account.encrypt(key, PASSWORD)))
    return Account.from_key(key)


def deploy(home, deployments_dir: Path, **env) -> subprocess.CompletedProcess:
    """`brownie run scripts/deploy.py --network NETWORK_ID` with `env` and DEPLOYMENTS_DIR."""
    return brownie(
        home,
        "run",
        "scripts/deploy.py",
        "--network",
        NETWORK_ID,
        env={"DEPLOYMENTS_DIR": str(deployments_dir), **env},
    )


def output(result: subprocess.CompletedProcess) -> str:
    """What the run printed, with rich's line wrapping undone (every run of whitespace one space)."""
    return " ".join((result.stdout + result.stderr).split())


def contract(w3, name: str, address: str):
    """A web3 contract of project contract `name` at `address` (ABI from brownie's build)."""
    abi = json.loads((PROJECT_ROOT / "build" / "contracts" / f"{name}.json").read_text())["abi"]
    return w3.eth.contract(address=address, abi=abi)


def assert_deployed(w3, record: dict, deployer: str, oracle_kind: str):
    """`record` is a complete formatVersion 2 deployment by `deployer` on the live chain: every
    address has code, each instrument has its domain provided by `deployer`, and the loans use
    the recorded oracle, of `oracle_kind`."""
    assert record["formatVersion"] == 2
    assert record["chainId"] == CHAIN_ID
    assert record["network"] == NETWORK_ID
    assert record["deployer"] == deployer
    assert record["priceOracleKind"] == oracle_kind
    assert list(record["domains"]) == list(INSTRUMENTS)
    contracts = record["contracts"]
    addresses = list(contracts.values())
    for domain in record["domains"].values():
        addresses += [domain["instrumentManager"], domain["instrumentEscrow"]]
    for address in addresses:
        assert w3.eth.get_code(address), f"no code at {address}"
    registry = contract(w3, "InstrumentRegistry", contracts["InstrumentRegistry"])
    for name, domain in record["domains"].items():
        provider, instrument, manager, instrument_escrow, active = registry.functions.getDomain(
            domain["domainId"]
        ).call()
        assert (provider, instrument, active) == (deployer, contracts[name], True)
        assert (manager, instrument_escrow) == (domain["instrumentManager"], domain["instrumentEscrow"])
    for name in ("Lending", "Borrowing"):
        assert contract(w3, name, contracts[name]).functions.oracle().call() == contracts["PriceOracle"]


def read_record(folder: Path) -> dict:
    return json.loads((folder / f"{NETWORK_ID}.json").read_text())


@pytest.fixture(scope="module")
def keystore_run(live, home, keystore_account, tmp_path_factory):
    folder = tmp_path_factory.mktemp("keystore-deployments")
    env = {"DEPLOYER_ACCOUNT": "deployer", "DEPLOYER_PASSWORD": PASSWORD, "DEPLOYER_REQUIRED_CONFS": "2"}
    return folder, env, deploy(home, folder, **env)


def test_deploys_from_a_brownie_keystore_account(w3, keystore_run, keystore_account):
    folder, _, result = keystore_run

    assert result.returncode == 0, output(result)
    record = read_record(folder)
    assert_deployed(w3, record, keystore_account.address, oracle_kind="chainlink")
    assert "Confirmations awaited per transaction: 2" in result.stdout
    assert w3.eth.get_transaction_count(keystore_account.address) == STEP_COUNT


def test_the_default_oracle_on_a_live_network_is_a_chainlink_oracle_owned_by_the_deployer(
    w3, keystore_run, keystore_account
):
    folder, _, result = keystore_run
    assert result.returncode == 0, output(result)
    oracle = contract(w3, "ChainlinkPriceOracle", read_record(folder)["contracts"]["PriceOracle"])

    assert oracle.functions.owner().call() == keystore_account.address
    assert oracle.functions.MAX_DECIMALS().call() == 36


def test_a_second_run_finds_the_deployment_and_sends_nothing(w3, home, keystore_run, keystore_account):
    folder, env, first = keystore_run
    assert first.returncode == 0, output(first)
    path = folder / f"{NETWORK_ID}.json"
    before = path.read_text()

    second = deploy(home, folder, **env)

    assert second.returncode == 0, output(second)
    assert "Already deployed" in second.stdout
    assert path.read_text() == before
    assert w3.eth.get_transaction_count(keystore_account.address) == STEP_COUNT


@pytest.fixture(scope="module")
def key_run(live, home, tmp_path_factory):
    """A deployment from a private key in the environment, with PRICE_ORACLE_KIND=admin."""
    folder = tmp_path_factory.mktemp("key-deployments")
    env = {"DEPLOYER_PRIVATE_KEY": _anvil_key(2), "DEPLOYER_REQUIRED_CONFS": "1", "PRICE_ORACLE_KIND": "admin"}
    return folder, env, deploy(home, folder, **env)


def test_deploys_from_a_private_key_in_the_environment_with_an_admin_oracle(w3, key_run):
    folder, env, result = key_run

    assert result.returncode == 0, output(result)
    deployer = Account.from_key(env["DEPLOYER_PRIVATE_KEY"]).address
    record = read_record(folder)
    assert_deployed(w3, record, deployer, oracle_kind="admin")
    assert contract(w3, "AdminPriceOracle", record["contracts"]["PriceOracle"]).functions.owner().call() == deployer


def test_an_interrupted_deployment_resumes_with_the_missing_steps(w3, home, key_run, tmp_path):
    """The record as a run killed after step 5 (the factory, the registry, the oracle, Swap and
    Lending) left it, on a chain where the first run also activated Swap and Lending: the next run
    deploys Borrowing and MultiSwap and activates them, and finds the Swap and Lending domains
    already activated by the deployer instead of activating them again (four transactions)."""
    folder, env, first = key_run
    assert first.returncode == 0, output(first)
    complete = read_record(folder)
    done = ("EscrowFactory", "InstrumentRegistry", "PriceOracle", "Swap", "Lending")
    interrupted = {**complete, "contracts": {name: complete["contracts"][name] for name in done}, "domains": {}}
    (tmp_path / f"{NETWORK_ID}.json").write_text(json.dumps(interrupted))
    deployer = Account.from_key(env["DEPLOYER_PRIVATE_KEY"]).address
    nonce = w3.eth.get_transaction_count(deployer)

    result = deploy(home, tmp_path, **env)

    assert result.returncode == 0, output(result)
    assert "5 of 11 steps are done" in output(result)
    already_activated = ("Swap", "Lending")
    assert w3.eth.get_transaction_count(deployer) == nonce + STEP_COUNT - len(done) - len(already_activated)
    resumed = read_record(tmp_path)
    assert_deployed(w3, resumed, deployer, oracle_kind="admin")
    for name in done:
        assert resumed["contracts"][name] == complete["contracts"][name]
    for name in already_activated:
        assert resumed["domains"][name] == complete["domains"][name]
    assert resumed["blockNumber"] == complete["blockNumber"]


def test_an_existing_oracle_is_used_as_given(w3, home, keystore_run, tmp_path):
    folder, _, first = keystore_run
    assert first.returncode == 0, output(first)
    oracle = read_record(folder)["contracts"]["PriceOracle"]
    key = _anvil_key(4)

    result = deploy(home, tmp_path, DEPLOYER_PRIVATE_KEY=key, DEPLOYER_REQUIRED_CONFS="1", PRICE_ORACLE=oracle)

    assert result.returncode == 0, output(result)
    record = read_record(tmp_path)
    assert_deployed(w3, record, Account.from_key(key).address, oracle_kind="external")
    assert record["contracts"]["PriceOracle"] == oracle
    assert w3.eth.get_transaction_count(Account.from_key(key).address) == STEP_COUNT - 1


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PRICE_ORACLE_KIND": "pyth"}, "it must be one of: admin, chainlink"),
        ({"PRICE_ORACLE": "0x000000000000000000000000000000000000dEaD"}, "has no code on chain id 845501"),
        ({"PRICE_ORACLE": "0x000000000000000000000000000000000000dEaD", "PRICE_ORACLE_KIND": "admin"}, "not both"),
    ],
)
def test_bad_oracle_options_stop_before_sending(w3, live, home, tmp_path, env, message):
    key = _anvil_key(3)

    result = deploy(home, tmp_path, DEPLOYER_PRIVATE_KEY=key, **env)

    assert result.returncode != 0
    assert message in output(result)
    assert w3.eth.get_transaction_count(Account.from_key(key).address) == 0
    assert not list(tmp_path.iterdir())


def test_wrong_expected_chain_id_stops_before_sending(w3, live, home, tmp_path):
    key = _anvil_key(3)

    result = deploy(home, tmp_path, DEPLOYER_PRIVATE_KEY=key, DEPLOYER_EXPECTED_CHAIN_ID="11155111")

    assert result.returncode != 0
    assert "DEPLOYER_EXPECTED_CHAIN_ID" in output(result) and str(CHAIN_ID) in output(result)
    assert w3.eth.get_transaction_count(Account.from_key(key).address) == 0
    assert not list(tmp_path.iterdir())


def test_a_record_of_another_chain_stops_before_sending(w3, live, home, tmp_path):
    key = _anvil_key(3)
    stale = {"chainId": 1, "contracts": {}, "swapDomain": {}}
    (tmp_path / f"{NETWORK_ID}.json").write_text(json.dumps(stale))

    result = deploy(home, tmp_path, DEPLOYER_PRIVATE_KEY=key)

    assert result.returncode != 0
    assert "chain id 1" in output(result) and "wrong RPC URL" in output(result)
    assert w3.eth.get_transaction_count(Account.from_key(key).address) == 0


def test_a_missing_keystore_account_stops_before_sending(live, home, tmp_path):
    result = deploy(home, tmp_path, DEPLOYER_ACCOUNT="nobody", DEPLOYER_PASSWORD=PASSWORD)

    assert result.returncode != 0
    assert "no such account" in output(result)
    assert not list(tmp_path.iterdir())


def test_no_account_at_all_stops_before_sending(live, home, tmp_path):
    result = deploy(home, tmp_path)

    assert result.returncode != 0
    assert "DEPLOYER_ACCOUNT" in output(result) and "DEPLOYER_PRIVATE_KEY" in output(result)


def test_an_account_without_eth_stops_before_sending(w3, live, home, tmp_path):
    empty = Account.create()

    result = deploy(home, tmp_path, DEPLOYER_PRIVATE_KEY=empty.key.hex())

    assert result.returncode != 0
    assert "has no ETH" in output(result) and empty.address in output(result)
    assert w3.eth.get_transaction_count(empty.address) == 0
    assert not list(tmp_path.iterdir())
