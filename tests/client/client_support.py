"""Deploys the escrow core with web3.py alone, from brownie's build JSON (no brownie network)."""

import json
from pathlib import Path

from web3 import Web3
from web3.logs import DISCARD

BUILD_DIR = Path(__file__).resolve().parents[2] / "build" / "contracts"
NATIVE_ETH = "0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE"


def build(name: str) -> dict:
    """brownie's build artifact of contract `name`."""
    return json.loads((BUILD_DIR / f"{name}.json").read_text())


def deploy_contract(w3: Web3, name: str, sender: str, *args):
    """Deploys contract `name` from node account `sender`; returns the web3 contract."""
    artifact = build(name)
    factory = w3.eth.contract(abi=artifact["abi"], bytecode=artifact["bytecode"])
    receipt = w3.eth.wait_for_transaction_receipt(factory.constructor(*args).transact({"from": sender}))
    assert receipt["status"] == 1, f"deploying {name} failed"
    return w3.eth.contract(receipt["contractAddress"], abi=artifact["abi"]), receipt


def deploy_system(w3: Web3, deployer: str, network: str = "client-test") -> dict:
    """Deploys factory, registry and Swap, activates a Swap domain; returns the deployment record
    in scripts/deploy.py's layout."""
    factory, first = deploy_contract(w3, "EscrowFactory", deployer)
    registry, _ = deploy_contract(w3, "InstrumentRegistry", deployer, factory.address)
    swap, _ = deploy_contract(w3, "Swap", deployer)
    receipt = w3.eth.wait_for_transaction_receipt(
        registry.functions.activateInstrument(swap.address).transact({"from": deployer})
    )
    (activated,) = registry.events.InstrumentActivated().process_receipt(receipt, errors=DISCARD)
    return {
        "formatVersion": 1,
        "network": network,
        "chainId": w3.eth.chain_id,
        "deployer": deployer,
        "blockNumber": first["blockNumber"],
        "nativeEth": NATIVE_ETH,
        "contracts": {"EscrowFactory": factory.address, "InstrumentRegistry": registry.address, "Swap": swap.address},
        "swapDomain": {
            "domainId": activated.args.domainId,
            "instrumentManager": activated.args.manager,
            "instrumentEscrow": activated.args.instrumentEscrow,
        },
    }


def deploy_token(w3: Web3, deployer: str, symbol: str, decimals: int, holders: dict[str, int]):
    """A MockERC20 minted to each of `holders` (address -> amount)."""
    token, _ = deploy_contract(w3, "MockERC20", deployer, f"Token {symbol}", symbol, decimals)
    for holder, amount in holders.items():
        w3.eth.wait_for_transaction_receipt(token.functions.mint(holder, amount).transact({"from": deployer}))
    return token
