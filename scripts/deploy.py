"""Deploy the escrow core and activate a Swap domain, then record the addresses for dApps.

Run with `./run brownie run scripts/deploy.py --network <network>`. The deployment goes out in
four transactions from one account:

1. `EscrowFactory` (it deploys the two escrow implementations itself),
2. `InstrumentRegistry(factory)`,
3. the `Swap` instrument,
4. `registry.activateInstrument(swap)`: the deploying account becomes the domain's provider, and
   the registry creates the domain's Instrument Manager and Instrument Escrow.

The addresses go to `deployments/<network-id>.json` (see `build_record` for the layout). Files of
local development chains are git-ignored; those of live networks are meant to be committed.

Which account deploys (see `resolve_deployer`):
- on a development network (a local chain brownie starts): `accounts[0]`;
- on a live network: the brownie keystore account named by `DEPLOYER_ACCOUNT` (unlocked with
  `DEPLOYER_PASSWORD` if set, otherwise brownie prompts), or else the private key in
  `DEPLOYER_PRIVATE_KEY`. `DEPLOYER_REQUIRED_CONFS` sets how many confirmations each
  transaction waits for on a live network (default 2).

Before any transaction on a live network, `main` checks (see `preflight`), and stops with a
message naming the problem:
- `DEPLOYER_EXPECTED_CHAIN_ID`, if set, equals the node's chain id (on any network);
- an existing `deployments/<network-id>.json` was written for the node's chain id; if all its
  contracts have code there, the core is already deployed and the run changes nothing (no double
  deployment); if none has code (a reset test chain), it deploys anew; if only some have, it stops;
- the deploying account exists (keystore name, password, key) and holds some ETH.
`DEPLOYMENTS_DIR` writes (and looks for) the record in another folder than `deployments/`.
"""

import json
import os
from collections.abc import Mapping
from pathlib import Path

from brownie import EscrowFactory, InstrumentRegistry, Swap, accounts, chain, network, web3
from brownie._config import CONFIG
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEPLOYMENTS_DIR = PROJECT_ROOT / "deployments"
NATIVE_ETH = "0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE"
DEFAULT_LIVE_REQUIRED_CONFS = 2
RECORD_FORMAT_VERSION = 1


class DeploymentRefused(RuntimeError):
    """A check before the first transaction failed: nothing was sent."""


class DeployerNotConfiguredError(DeploymentRefused):
    """No usable deploying account was named for a live network."""


class WrongChainError(DeploymentRefused):
    """The node's chain id is not the one expected (environment) or recorded (deployment file)."""


class EmptyBalanceError(DeploymentRefused):
    """The deploying account has no ETH to pay for gas."""


def is_development_network() -> bool:
    """Whether the active network is a local chain that brownie launched (or forked)."""
    return CONFIG.network_type == "development"


def resolve_deployer(is_development: bool, environ: Mapping[str, str] = os.environ):
    """The account that deploys: `accounts[0]` locally, else one named by the environment.

    On a live network `DEPLOYER_ACCOUNT` (a brownie keystore name, password from
    `DEPLOYER_PASSWORD` if set) wins over `DEPLOYER_PRIVATE_KEY`. Raises
    `DeployerNotConfiguredError` when neither is set.
    """
    if is_development:
        return accounts[0]
    keystore_name = environ.get("DEPLOYER_ACCOUNT", "").strip()
    if keystore_name:
        try:
            return accounts.load(keystore_name, password=environ.get("DEPLOYER_PASSWORD"))
        except FileNotFoundError:
            raise DeployerNotConfiguredError(
                f"DEPLOYER_ACCOUNT names '{keystore_name}', but brownie's keystore has no such account "
                "(`brownie accounts list`; add one with `brownie accounts new <name>`)."
            ) from None
        except ValueError as error:  # eth-account: wrong password ("MAC mismatch")
            raise DeployerNotConfiguredError(
                f"Could not unlock keystore account '{keystore_name}': {error}. Check DEPLOYER_PASSWORD."
            ) from None
    private_key = environ.get("DEPLOYER_PRIVATE_KEY", "").strip()
    if private_key:
        try:
            return accounts.add(private_key)
        except (ValueError, TypeError) as error:
            raise DeployerNotConfiguredError(f"DEPLOYER_PRIVATE_KEY is not a valid private key: {error}") from None
    raise DeployerNotConfiguredError(
        f"No deployer account for live network '{network.show_active()}'. Set DEPLOYER_ACCOUNT "
        "to the name of a brownie keystore account (`brownie accounts list`; optionally "
        "DEPLOYER_PASSWORD), or DEPLOYER_PRIVATE_KEY to a hex private key."
    )


def check_expected_chain_id(chain_id: int, environ: Mapping[str, str] = os.environ) -> None:
    """Raises `WrongChainError` when `DEPLOYER_EXPECTED_CHAIN_ID` is set and is not `chain_id`."""
    expected = environ.get("DEPLOYER_EXPECTED_CHAIN_ID", "").strip()
    if expected and int(expected) != chain_id:
        raise WrongChainError(
            f"Network '{network.show_active()}' serves chain id {chain_id}, but DEPLOYER_EXPECTED_CHAIN_ID "
            f"is {expected}: wrong RPC URL or network? Nothing was sent."
        )


def find_existing_deployment(path: Path, chain_id: int, get_code=None) -> dict | None:
    """The record at `path` if the core it records is deployed on this chain, else None.

    Raises `WrongChainError` when the record was written for another chain id, and
    `DeploymentRefused` when only some of its contracts have code (a partial or foreign record).
    Returns None when there is no record, or none of its contracts has code (a reset chain).
    """
    if not path.is_file():
        return None
    record = json.loads(path.read_text())
    if int(record.get("chainId", -1)) != chain_id:
        raise WrongChainError(
            f"{path} records a deployment on chain id {record.get('chainId')}, but network "
            f"'{network.show_active()}' serves chain id {chain_id}: wrong RPC URL or network? "
            "Nothing was sent. Move the file away to deploy anew on this chain."
        )
    get_code = get_code or web3.eth.get_code
    domain = record["swapDomain"]
    addresses = [*record["contracts"].values(), domain["instrumentManager"], domain["instrumentEscrow"]]
    with_code = [address for address in addresses if len(get_code(address)) > 0]
    if len(with_code) == len(addresses):
        return record
    if with_code:
        missing = sorted(set(addresses) - set(with_code))
        raise DeploymentRefused(
            f"{path} records contracts of which only some have code on chain id {chain_id} "
            f"(none at {', '.join(missing)}). Nothing was sent; check the record by hand."
        )
    return None


def check_balance(account) -> None:
    """Raises `EmptyBalanceError` when `account` holds no ETH to pay for the deployment."""
    if account.balance() == 0:
        raise EmptyBalanceError(
            f"The deployer {account.address} has no ETH on network '{network.show_active()}' "
            f"(chain id {chain.id}): fund it first. Nothing was sent."
        )


def preflight(deployments_dir: Path, environ: Mapping[str, str] = os.environ):
    """The checks before the first transaction: returns (account, existing record or None).

    Raises a `DeploymentRefused` naming the problem; see the module's docstring.
    """
    development = is_development_network()
    check_expected_chain_id(chain.id, environ)
    if not development:
        existing = find_existing_deployment(deployment_file(network.show_active(), deployments_dir), chain.id)
        if existing is not None:
            return None, existing
    account = resolve_deployer(development, environ)
    if not development:
        check_balance(account)
    return account, None


def deployment_file(network_id: str, deployments_dir: Path = DEFAULT_DEPLOYMENTS_DIR) -> Path:
    """Where the record of a deployment on network `network_id` is written."""
    return Path(deployments_dir) / f"{network_id}.json"


def build_record(
    network_id: str,
    chain_id: int,
    deployer: str,
    block_number: int,
    factory: str,
    registry: str,
    swap: str,
    swap_domain_id: int,
    manager: str,
    instrument_escrow: str,
) -> dict:
    """The JSON-ready record of a deployment, the layout dApps read.

    `blockNumber` is the block of the first deployment transaction: an indexer starts there.
    """
    return {
        "formatVersion": RECORD_FORMAT_VERSION,
        "network": network_id,
        "chainId": chain_id,
        "deployer": deployer,
        "blockNumber": block_number,
        "nativeEth": NATIVE_ETH,
        "contracts": {
            "EscrowFactory": factory,
            "InstrumentRegistry": registry,
            "Swap": swap,
        },
        "swapDomain": {
            "domainId": swap_domain_id,
            "instrumentManager": manager,
            "instrumentEscrow": instrument_escrow,
        },
    }


def write_record(record: dict, path: Path) -> Path:
    """Writes `record` as JSON at `path` (creating the folder), replacing it atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps(record, indent=2) + "\n")
    partial.replace(path)
    return path


def summary_table(record: dict, path: Path) -> Table:
    """A rich table of a deployment record, to show what was deployed where."""
    table = Table(title=f"Deployment on {record['network']} (chain id {record['chainId']})")
    table.add_column("What")
    table.add_column("Address / value", style="cyan")
    for name, address in record["contracts"].items():
        table.add_row(name, address)
    domain = record["swapDomain"]
    table.add_row("Swap domain id", str(domain["domainId"]))
    table.add_row("Swap domain Instrument Manager", domain["instrumentManager"])
    table.add_row("Swap domain Instrument Escrow", domain["instrumentEscrow"])
    table.add_row("Deployer (domain provider)", record["deployer"])
    table.add_row("First block", str(record["blockNumber"]))
    table.caption = f"Written to {path}"
    return table


def step_progress(console: Console) -> Progress:
    """A transient rich progress bar for a sequence of steps: which runs, how many done, how long."""
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


def deploy(
    account,
    deployments_dir: Path = DEFAULT_DEPLOYMENTS_DIR,
    required_confs: int | None = None,
    console: Console | None = None,
) -> dict:
    """Deploys the core and a Swap domain from `account` and writes the deployment record.

    `required_confs` is how many confirmations each transaction waits for; by default 1 on a
    development network and `DEFAULT_LIVE_REQUIRED_CONFS` on a live one. The record (see
    `build_record`) is written to `deployment_file(<active network>, deployments_dir)` and
    returned.
    """
    console = console or Console()
    network_id = network.show_active()
    if required_confs is None:
        required_confs = 1 if is_development_network() else DEFAULT_LIVE_REQUIRED_CONFS
    if required_confs < 1:
        raise ValueError("required_confs must be at least 1: addresses come from mined receipts")
    transaction = {"from": account, "required_confs": required_confs}

    console.rule(f"[bold]Deploying the escrow core to {network_id}")
    console.print(f"Deployer: [cyan]{account.address}[/]")
    console.print(f"Confirmations awaited per transaction: {required_confs}")

    # Each step waits for its confirmations; the bar shows which one runs and for how long.
    progress = step_progress(console)
    with progress:
        task = progress.add_task("Deploying EscrowFactory", total=4)
        factory = EscrowFactory.deploy(transaction)
        first_block = factory.tx.block_number
        progress.console.print(f"[green]1/4[/] EscrowFactory       {factory.address}")
        progress.update(task, advance=1, description="Deploying InstrumentRegistry")
        registry = InstrumentRegistry.deploy(factory, transaction)
        progress.console.print(f"[green]2/4[/] InstrumentRegistry  {registry.address}")
        progress.update(task, advance=1, description="Deploying Swap")
        swap = Swap.deploy(transaction)
        progress.console.print(f"[green]3/4[/] Swap                {swap.address}")
        progress.update(task, advance=1, description="Activating the Swap domain")

        # The addresses come from the registry's event, not the return value: reading a return
        # value needs transaction tracing, which live nodes rarely offer.
        activation = registry.activateInstrument(swap, transaction)
        activated = activation.events["InstrumentActivated"]
        domain_id = int(activated["domainId"])
        domain = registry.getDomain(domain_id)
        if (domain[2], domain[3]) != (activated["manager"], activated["instrumentEscrow"]):
            raise RuntimeError(f"The registry and its event disagree on domain {domain_id}")
        progress.console.print(f"[green]4/4[/] Swap domain {domain_id}    manager {activated['manager']}")
        progress.update(task, advance=1)

    record = build_record(
        network_id=network_id,
        chain_id=chain.id,
        deployer=account.address,
        block_number=first_block,
        factory=factory.address,
        registry=registry.address,
        swap=swap.address,
        swap_domain_id=domain_id,
        manager=activated["manager"],
        instrument_escrow=activated["instrumentEscrow"],
    )
    path = write_record(record, deployment_file(network_id, deployments_dir))
    console.print(summary_table(record, path))
    return record


def main():
    """Deploys to the active network from the account `resolve_deployer` picks, after `preflight`.

    On a live network where the recorded deployment already exists, changes nothing and returns
    its record.
    """
    console = Console()
    deployments_dir = Path(os.environ.get("DEPLOYMENTS_DIR", "").strip() or DEFAULT_DEPLOYMENTS_DIR)
    try:
        account, existing = preflight(deployments_dir)
    except DeploymentRefused as error:
        console.print(f"[bold red]{error}")
        raise SystemExit(1) from None
    if existing is not None:
        path = deployment_file(network.show_active(), deployments_dir)
        console.print(f"[bold green]Already deployed[/] on chain id {chain.id}: every contract of {path} has code.")
        console.print("Nothing was sent. Move the record away to deploy anew.")
        console.print(summary_table(existing, path))
        return existing
    required_confs = (
        None
        if is_development_network()
        else int(os.environ.get("DEPLOYER_REQUIRED_CONFS", DEFAULT_LIVE_REQUIRED_CONFS))
    )
    return deploy(account, deployments_dir=deployments_dir, required_confs=required_confs, console=console)
