"""Deploys the escrow core with web3.py alone, from brownie's build JSON (no brownie network)."""

import json
from pathlib import Path

from web3 import Web3
from web3.logs import DISCARD

from nuts_escrow import NATIVE_ETH

BUILD_DIR = Path(__file__).resolve().parents[2] / "build" / "contracts"
LOANS = ("Lending", "Borrowing")
#: The domain deploy_system activates for each instrument, by id.
DOMAIN_IDS = {"Swap": 1, "MultiSwap": 2, "Lending": 3, "Borrowing": 4}
#: The oracle's rates (conftest's `oracle`), in smallest units: one TKA (18 decimals) is worth
#: 2 TKB (6 decimals), one ETH 3,000 TKB.
TKA_IN_TKB = (2 * 10**6, 10**18)
ETH_IN_TKB = (3_000 * 10**6, 10**18)


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


def send(w3: Web3, function, sender: str):
    """Sends `function` from node account `sender`; returns the receipt of the mined transaction."""
    receipt = w3.eth.wait_for_transaction_receipt(function.transact({"from": sender}))
    assert receipt["status"] == 1, f"{function.fn_name} failed"
    return receipt


def activate(w3: Web3, registry, instrument: str, provider: str):
    """Activates a domain for `instrument` with `provider` as its provider; its InstrumentActivated args."""
    receipt = send(w3, registry.functions.activateInstrument(instrument), provider)
    (activated,) = registry.events.InstrumentActivated().process_receipt(receipt, errors=DISCARD)
    return activated.args


def deploy_system(w3: Web3, deployer: str, network: str = "client-test") -> dict:
    """Deploys factory, registry, an AdminPriceOracle and the four instruments, and activates one
    domain of each with `deployer` as provider (ids in `DOMAIN_IDS`); returns the deployment
    record in scripts/deploy.py's layout, the oracle and the instruments among its contracts."""
    factory, first = deploy_contract(w3, "EscrowFactory", deployer)
    registry, _ = deploy_contract(w3, "InstrumentRegistry", deployer, factory.address)
    oracle, _ = deploy_contract(w3, "AdminPriceOracle", deployer, deployer)
    instruments = {name: deploy_contract(w3, name, deployer)[0] for name in ("Swap", "MultiSwap")}
    instruments.update({name: deploy_contract(w3, name, deployer, oracle.address)[0] for name in LOANS})
    domains = {name: activate(w3, registry, instruments[name].address, deployer) for name in DOMAIN_IDS}
    assert {name: args.domainId for name, args in domains.items()} == DOMAIN_IDS
    activated = domains["Swap"]
    contracts = {"EscrowFactory": factory.address, "InstrumentRegistry": registry.address}
    contracts.update({name: contract.address for name, contract in instruments.items()})
    return {
        "formatVersion": 1,
        "network": network,
        "chainId": w3.eth.chain_id,
        "deployer": deployer,
        "blockNumber": first["blockNumber"],
        "nativeEth": NATIVE_ETH,
        "contracts": {**contracts, "AdminPriceOracle": oracle.address},
        "swapDomain": {
            "domainId": activated.domainId,
            "instrumentManager": activated.manager,
            "instrumentEscrow": activated.instrumentEscrow,
        },
    }


def deploy_token(w3: Web3, deployer: str, symbol: str, decimals: int, holders: dict[str, int]):
    """A MockERC20 minted to each of `holders` (address -> amount)."""
    token, _ = deploy_contract(w3, "MockERC20", deployer, f"Token {symbol}", symbol, decimals)
    for holder, amount in holders.items():
        send(w3, token.functions.mint(holder, amount), deployer)
    return token


def fund(domain, token, amount: int, minter: str) -> None:
    """Mints `amount` of MockERC20 `token` to the account of client `domain` (from `minter`, a
    node account) and deposits it into the domain's Instrument Escrow through the client."""
    send(domain.w3, token.functions.mint(domain.account, amount), minter)
    domain.deposit_token(token.address, amount)


def deploy_fee_token(w3: Web3, deployer: str, holders: dict[str, int]):
    """An AdjustableFeeToken (18 decimals, no fee until `setFeeBasisPoints`) minted to `holders`."""
    token, _ = deploy_contract(w3, "AdjustableFeeToken", deployer)
    for holder, amount in holders.items():
        send(w3, token.functions.mint(holder, amount), deployer)
    return token


def last_taker_data(domain) -> bytes:
    """The taker data of the latest transaction (Anvil mines one per block), which must be an
    `engageIssuance` call to `domain`'s manager: what the client really sent."""
    (transaction,) = domain.w3.eth.get_block("latest", full_transactions=True).transactions
    assert transaction["to"] == domain.manager.address
    function, arguments = domain.manager.decode_function_input(transaction["input"])
    assert function.fn_name == "engageIssuance"
    return bytes(arguments["takerData"])
