"""Fixtures of the web3.py client tests: a standalone Anvil (not brownie's network), the escrow
core deployed on it with web3.py, and accounts. Every test runs between an evm_snapshot and an
evm_revert of that Anvil, instead of brownie's chain isolation."""

import json

import pytest
from client_support import ETH_IN_TKB, TKA_IN_TKB, deploy_system, deploy_token, send
from eth_account import Account
from web3 import Web3

from anvil_support import anvil, rpc
from nuts_escrow import NATIVE_ETH, Deployment, EscrowClient, load_abi

UNIT = 10**18
MINTED = 1_000 * UNIT


@pytest.fixture(scope="session")
def node():
    """A standalone Anvil on a free port of 8550-8559, for the whole session."""
    with anvil(chain_id=31337) as started:
        yield started


@pytest.fixture(autouse=True)
def isolation(node, record, tokens, oracle):
    """Overrides tests/conftest.py's brownie isolation: snapshot and revert the standalone Anvil.

    It needs the session's deployment, tokens and rates, so they exist before the first snapshot
    and no revert can take them away."""
    snapshot = rpc(node, "evm_snapshot")
    yield
    assert rpc(node, "evm_revert", [snapshot]), "evm_revert failed"


@pytest.fixture(scope="session")
def w3(node):
    return Web3(Web3.HTTPProvider(node.url))


@pytest.fixture(scope="session")
def anvil_accounts():
    """Anvil's first accounts as eth-account LocalAccounts (funded with 10,000 ETH each)."""
    Account.enable_unaudited_hdwallet_features()
    mnemonic = "test test test test test test test test test test test junk"
    return [Account.from_mnemonic(mnemonic, account_path=f"m/44'/60'/0'/0/{i}") for i in range(6)]


@pytest.fixture(scope="session")
def deployer_address(anvil_accounts):
    return anvil_accounts[0].address


@pytest.fixture(scope="session")
def maker_account(anvil_accounts):
    """The maker signs locally (a LocalAccount): the client sends raw transactions."""
    return anvil_accounts[2]


@pytest.fixture(scope="session")
def taker_address(anvil_accounts):
    """The taker is an address the node holds: the client uses eth_sendTransaction."""
    return anvil_accounts[3].address


@pytest.fixture(scope="session")
def record(w3, deployer_address):
    return deploy_system(w3, deployer_address)


@pytest.fixture(scope="session")
def deployment_path(record, tmp_path_factory):
    """The record written as deployments/<network>.json in a temporary folder."""
    path = tmp_path_factory.mktemp("deployments") / f"{record['network']}.json"
    path.write_text(json.dumps(record, indent=2))
    return path


@pytest.fixture(scope="session")
def deployment(deployment_path):
    return Deployment.load(deployment_path)


@pytest.fixture(scope="session")
def tokens(w3, deployer_address, maker_account, taker_address):
    """TKA (18 decimals) minted to the maker and TKB (6 decimals) minted to the taker."""
    token_a = deploy_token(w3, deployer_address, "TKA", 18, {maker_account.address: MINTED})
    token_b = deploy_token(w3, deployer_address, "TKB", 6, {taker_address: 1_000 * 10**6})
    return token_a, token_b


@pytest.fixture(scope="session")
def oracle(w3, record, tokens, deployer_address):
    """The AdminPriceOracle the loans use, with the rates TKA -> TKB and ETH -> TKB set."""
    contract = w3.eth.contract(record["contracts"]["AdminPriceOracle"], abi=load_abi("AdminPriceOracle"))
    token_a, token_b = tokens
    send(w3, contract.functions.setRate(token_a.address, token_b.address, *TKA_IN_TKB), deployer_address)
    send(w3, contract.functions.setRate(NATIVE_ETH, token_b.address, *ETH_IN_TKB), deployer_address)
    return contract


@pytest.fixture(scope="session")
def maker_client(w3, deployment, maker_account):
    """The maker's client (a LocalAccount: signed locally, sent raw)."""
    return EscrowClient.from_deployment(w3, deployment, account=maker_account)


@pytest.fixture(scope="session")
def taker_client(w3, deployment, taker_address):
    """The taker's client (a node account: eth_sendTransaction)."""
    return EscrowClient.from_deployment(w3, deployment, account=taker_address)


@pytest.fixture(scope="session")
def provider_client(w3, deployment, deployer_address):
    """The client of the deployer, the provider of every domain."""
    return EscrowClient.from_deployment(w3, deployment, account=deployer_address)


@pytest.fixture(scope="session")
def maker(maker_client, deployment, tokens):
    """The maker's Swap domain."""
    return maker_client.domain(deployment.swap_domain_id)


@pytest.fixture(scope="session")
def taker(taker_client, deployment, tokens):
    """The taker's Swap domain."""
    return taker_client.domain(deployment.swap_domain_id)
