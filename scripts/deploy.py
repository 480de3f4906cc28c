"""Deploy the escrow core, a price oracle and the four instruments, activate one domain per
instrument, and record the addresses for dApps.

Run with `./run brownie run scripts/deploy.py --network <network>`. The deployment is eleven
steps from one account, one transaction each (see `deployment_steps`):

1. `EscrowFactory` (it deploys the two escrow implementations itself),
2. `InstrumentRegistry(factory)`,
3. the price oracle (below),
4. to 7. the instruments `Swap`, `Lending(oracle)`, `Borrowing(oracle)` and `MultiSwap`,
8. to 11. `registry.activateInstrument(instrument)` for each: the deploying account becomes the
   domain's provider, and the registry creates the domain's Instrument Manager and Instrument
   Escrow. No bounds are set: until a provider sets them, each instrument's absolute limits apply.

The price oracle (see `choose_oracle`):
- `PRICE_ORACLE=<address>`: an existing oracle, used as it is (step 3 sends nothing); it must have
  code and answer `getRate` (the same token gives (1, 1));
- otherwise `PRICE_ORACLE_KIND=admin`, an `AdminPriceOracle` owned by the deployer, which sets its
  rates by hand (the default on development networks), or `chainlink`, a `ChainlinkPriceOracle`
  owned by the deployer, whose feeds it registers afterwards with `setFeed` (the default on live
  networks).

The addresses go to `deployments/<network-id>.json` (formatVersion 2, see
`nuts_escrow.deployment` and deployments/README.md), rewritten after every step. Files of local development chains are
git-ignored; those of live networks are meant to be committed.

**Resumable.** A run that finds the record of an earlier run on this chain continues it: each step
whose contracts the record holds is skipped, so an interrupted deployment picks up where it
stopped, a complete one sends nothing, and a formatVersion 1 record (the core and a Swap domain
only) is extended with the other instruments and rewritten as version 2. A step interrupted after
its transaction was mined but before the record was written is sent again, except an activation:
the registry is asked first, and a domain of that instrument already activated by the deployer is
recorded instead of activating a second one.

Which account deploys (see `resolve_deployer`):
- on a development network (a local chain brownie starts): `accounts[0]`;
- on a live network: the brownie keystore account named by `DEPLOYER_ACCOUNT` (unlocked with
  `DEPLOYER_PASSWORD` if set, otherwise brownie prompts), or else the private key in
  `DEPLOYER_PRIVATE_KEY`. `DEPLOYER_REQUIRED_CONFS` sets how many confirmations each
  transaction waits for on a live network (default 2).

Before any transaction, `main` checks (see `preflight`), and stops with a message naming the
problem:
- `DEPLOYER_EXPECTED_CHAIN_ID`, if set, equals the node's chain id;
- `PRICE_ORACLE` and `PRICE_ORACLE_KIND` are valid, and not both set;
- an existing `deployments/<network-id>.json` was written for the node's chain id; if all its
  contracts have code there it is continued (or, when complete, the run changes nothing); if none
  has code (a reset test chain), it deploys anew; if only some have, it stops; a record is only
  continued by its own deployer, with the oracle it records;
- the deploying account exists (keystore name, password, key) and, on a live network, holds ETH.
`DEPLOYMENTS_DIR` writes (and looks for) the record in another folder than `deployments/`.
"""

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from brownie import (
    AdminPriceOracle,
    Borrowing,
    ChainlinkPriceOracle,
    EscrowFactory,
    InstrumentRegistry,
    Lending,
    MultiSwap,
    Swap,
    accounts,
    chain,
    network,
    web3,
)
from brownie._config import CONFIG
from eth_utils import is_address, to_checksum_address
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from nuts_escrow.deployment import (
    ESCROW_FACTORY,
    EXTERNAL_ORACLE_KIND,
    INSTRUMENT_REGISTRY,
    INSTRUMENTS,
    PRICE_ORACLE,
    deployment_file,
    is_complete,
    new_record,
    read_record,
    recorded_addresses,
    upgraded_record,
    write_record,
)
from nuts_escrow.types import NATIVE_ETH

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEPLOYMENTS_DIR = PROJECT_ROOT / "deployments"
DEFAULT_LIVE_REQUIRED_CONFS = 2
# The oracles the script can deploy, by PRICE_ORACLE_KIND; an oracle named by PRICE_ORACLE is
# recorded as EXTERNAL_ORACLE_KIND.
ORACLE_CONTRACTS = {"admin": AdminPriceOracle, "chainlink": ChainlinkPriceOracle}


class DeploymentRefused(RuntimeError):
    """A check before the first transaction failed: nothing was sent."""


class DeployerNotConfiguredError(DeploymentRefused):
    """No usable deploying account was named for a live network."""


class WrongChainError(DeploymentRefused):
    """The node's chain id is not the one expected (environment) or recorded (deployment file)."""


class EmptyBalanceError(DeploymentRefused):
    """The deploying account has no ETH to pay for gas."""


class OracleChoiceError(DeploymentRefused):
    """PRICE_ORACLE or PRICE_ORACLE_KIND is invalid, or contradicts the record being continued."""


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


def check_balance(account) -> None:
    """Raises `EmptyBalanceError` when `account` holds no ETH to pay for the deployment."""
    if account.balance() == 0:
        raise EmptyBalanceError(
            f"The deployer {account.address} has no ETH on network '{network.show_active()}' "
            f"(chain id {chain.id}): fund it first. Nothing was sent."
        )


# ----------------------------------------------------------------------------------- the oracle


@dataclass(frozen=True)
class OracleChoice:
    """Which price oracle the deployment uses: `kind` is a key of ORACLE_CONTRACTS (deploy one) or
    EXTERNAL_ORACLE_KIND (use `address`); `explicit` when the environment asked for it, rather
    than the network's default."""

    kind: str
    address: str | None = None
    explicit: bool = False


def default_oracle(is_development: bool) -> OracleChoice:
    """An AdminPriceOracle on development networks, a ChainlinkPriceOracle on live ones."""
    return OracleChoice("admin" if is_development else "chainlink")


def choose_oracle(is_development: bool, environ: Mapping[str, str] = os.environ) -> OracleChoice:
    """The oracle `PRICE_ORACLE` or `PRICE_ORACLE_KIND` names, else the network's default.

    Raises `OracleChoiceError` when both are set, the kind is unknown, or the address is not an
    oracle on this chain (no code, or `getRate` of a token with itself is not (1, 1)).
    """
    address = environ.get("PRICE_ORACLE", "").strip()
    kind = environ.get("PRICE_ORACLE_KIND", "").strip().lower()
    if address and kind:
        raise OracleChoiceError(
            "Set either PRICE_ORACLE (an existing oracle's address) or PRICE_ORACLE_KIND (the kind to "
            "deploy), not both. Nothing was sent."
        )
    if address:
        return OracleChoice(EXTERNAL_ORACLE_KIND, check_external_oracle(address), explicit=True)
    if kind:
        if kind not in ORACLE_CONTRACTS:
            raise OracleChoiceError(
                f"PRICE_ORACLE_KIND is '{kind}'; it must be one of: {', '.join(ORACLE_CONTRACTS)} "
                "(or set PRICE_ORACLE to an existing oracle's address). Nothing was sent."
            )
        return OracleChoice(kind, explicit=True)
    return default_oracle(is_development)


def check_external_oracle(address: str) -> str:
    """`address`, checksummed, if it is a price oracle on this chain; else `OracleChoiceError`."""
    if not is_address(address):
        raise OracleChoiceError(f"PRICE_ORACLE is '{address}', which is not an address. Nothing was sent.")
    address = to_checksum_address(address)
    if len(web3.eth.get_code(address)) == 0:
        raise OracleChoiceError(
            f"PRICE_ORACLE {address} has no code on chain id {chain.id}: wrong address or network? Nothing was sent."
        )
    oracle = web3.eth.contract(address=address, abi=AdminPriceOracle.abi)
    try:
        rate = tuple(oracle.functions.getRate(NATIVE_ETH, NATIVE_ETH).call())
    except Exception:  # a revert, or an answer that does not decode: not an IPriceOracle
        rate = None
    if rate != (1, 1):
        raise OracleChoiceError(
            f"PRICE_ORACLE {address} does not answer IPriceOracle.getRate (a token with itself must give "
            "(1, 1)): not a price oracle? Nothing was sent."
        )
    return address


# ---------------------------------------------------------------------------------- the record


def find_existing_deployment(path: Path, chain_id: int, get_code=None) -> dict | None:
    """The record at `path`, as formatVersion 2, if what it records is deployed on this chain.

    The record may be incomplete (an interrupted deployment) or of version 1: `deploy` continues
    it. Raises `WrongChainError` when the record was written for another chain id, and
    `DeploymentRefused` when only some of its contracts have code (a partial or foreign record).
    Returns None when there is no record, or none of its contracts has code (a reset chain).
    """
    if not path.is_file():
        return None
    record = read_record(path)
    if int(record.get("chainId", -1)) != chain_id:
        raise WrongChainError(
            f"{path} records a deployment on chain id {record.get('chainId')}, but network "
            f"'{network.show_active()}' serves chain id {chain_id}: wrong RPC URL or network? "
            "Nothing was sent. Move the file away to deploy anew on this chain."
        )
    get_code = get_code or web3.eth.get_code
    try:
        addresses = recorded_addresses(record)
    except ValueError as error:
        raise DeploymentRefused(f"{path}: {error}. Nothing was sent.") from None
    with_code = [address for address in addresses if len(get_code(address)) > 0]
    if not with_code:
        return None
    if len(with_code) < len(addresses):
        missing = sorted(set(addresses) - set(with_code))
        raise DeploymentRefused(
            f"{path} records contracts of which only some have code on chain id {chain_id} "
            f"(none at {', '.join(missing)}). Nothing was sent; check the record by hand."
        )
    return upgraded_record(record)


def check_continuable(record: dict, account, oracle: OracleChoice) -> None:
    """Raises `DeploymentRefused` unless `account` may continue `record` with `oracle`.

    A record is continued by its own deployer (the provider of its domains and the owner of the
    oracle it deployed), and with the oracle it records: an explicit PRICE_ORACLE or
    PRICE_ORACLE_KIND must agree with it.
    """
    if record["contracts"] and account.address != record["deployer"]:
        raise DeploymentRefused(
            f"The deployment recorded on chain id {record['chainId']} was made by {record['deployer']}; "
            f"continue it from that account, not {account.address}. Nothing was sent."
        )
    check_oracle_matches(record, oracle)


def check_oracle_matches(record: dict, oracle: OracleChoice) -> None:
    """Raises `OracleChoiceError` when `oracle` was asked for explicitly and differs from the
    oracle `record` already holds."""
    recorded = record["contracts"].get(PRICE_ORACLE)
    if recorded is None or not oracle.explicit:
        return
    kind = record.get("priceOracleKind")
    if oracle.kind != kind or (oracle.address is not None and oracle.address != recorded):
        asked = f"PRICE_ORACLE {oracle.address}" if oracle.address else f"PRICE_ORACLE_KIND={oracle.kind}"
        raise OracleChoiceError(
            f"The deployment recorded on chain id {record['chainId']} already has its price oracle ({kind}) at "
            f"{recorded}, but {asked} was asked for. Unset it to continue the recorded deployment. "
            "Nothing was sent."
        )


# ----------------------------------------------------------------------------------- the steps


@dataclass(frozen=True)
class Step:
    """One step of the deployment: `done(record)` tells whether the record already holds what it
    makes; `run(record, sending)` sends its transactions (see `Sending`), enters what they made
    in the record and returns them; `made(record)` names it."""

    title: str
    done: Callable[[dict], bool]
    run: Callable[[dict, "Sending"], list]
    made: Callable[[dict], str]


@dataclass(frozen=True)
class StepOutcome:
    """What a step did: `status` is "sent", "recorded" (skipped: the record held it) or "given"
    (PRICE_ORACLE named the oracle); its transactions and the gas they used."""

    title: str
    status: str
    transactions: int = 0
    gas_used: int = 0


@dataclass(frozen=True)
class Sending:
    """How the steps send their transactions: brownie's transaction parameters (`from`,
    `required_confs`), and whether brownie stays `silent` (no "Transaction sent" lines: the
    deployment prints one line per step, with its gas)."""

    params: dict
    silent: bool = False


def contract_step(name: str, container, *arguments: Callable[[dict], str]) -> Step:
    """Deploys `container` as `contracts[name]`, its constructor arguments read from the record."""

    def run(record: dict, sending: Sending) -> list:
        contract = container.deploy(
            *(argument(record) for argument in arguments), sending.params, silent=sending.silent
        )
        record["contracts"][name] = contract.address
        return [contract.tx]

    return Step(name, lambda record: name in record["contracts"], run, lambda record: record["contracts"][name])


def oracle_step(oracle: OracleChoice) -> Step:
    """Deploys the oracle `oracle` names, owned by the deployer, or records the given one."""
    if oracle.kind == EXTERNAL_ORACLE_KIND:

        def run(record: dict, sending: Sending) -> list:
            record["contracts"][PRICE_ORACLE] = oracle.address
            record["priceOracleKind"] = EXTERNAL_ORACLE_KIND
            return []

        title = f"{PRICE_ORACLE} (given)"
    else:
        deploy_contract = contract_step(PRICE_ORACLE, ORACLE_CONTRACTS[oracle.kind], lambda record: record["deployer"])

        def run(record: dict, sending: Sending) -> list:
            record["priceOracleKind"] = oracle.kind
            return deploy_contract.run(record, sending)

        title = f"{PRICE_ORACLE} ({ORACLE_CONTRACTS[oracle.kind]._name})"
    return Step(title, lambda record: PRICE_ORACLE in record["contracts"], run, lambda r: r["contracts"][PRICE_ORACLE])


def activated_domain(registry, instrument: str, provider: str) -> dict | None:
    """The record entry of the active domain of `instrument` that `provider` activated in
    `registry`, or None. The registry is this deployment's own, so it holds a handful of domains."""
    for domain_id in range(1, registry.domainCount() + 1):
        domain_provider, domain_instrument, manager, instrument_escrow, active = registry.getDomain(domain_id)
        if active and (domain_provider, domain_instrument) == (provider, instrument):
            return {"domainId": domain_id, "instrumentManager": manager, "instrumentEscrow": instrument_escrow}
    return None


def activation_step(name: str) -> Step:
    """Activates a domain for instrument `name`: the deployer becomes its provider."""

    def run(record: dict, sending: Sending) -> list:
        # persist=False: brownie 1.22.2 fails to add a contract it did not deploy itself to its
        # live-network deployment map (`_add_deployment`: "dict object expected").
        registry = InstrumentRegistry.at(record["contracts"][INSTRUMENT_REGISTRY], persist=False)
        earlier = activated_domain(registry, record["contracts"][name], record["deployer"])
        if earlier is not None:
            # An earlier run activated it and died before recording it: a second activation
            # would leave an orphan domain, so the existing one is recorded instead.
            record["domains"][name] = earlier
            return []
        # The addresses come from the registry's event, not the return value: reading a return
        # value needs transaction tracing, which live nodes rarely offer.
        activation = registry.activateInstrument(record["contracts"][name], sending.params, silent=sending.silent)
        activated = activation.events["InstrumentActivated"]
        domain_id = int(activated["domainId"])
        _, _, manager, instrument_escrow, _ = registry.getDomain(domain_id)
        if (manager, instrument_escrow) != (activated["manager"], activated["instrumentEscrow"]):
            raise RuntimeError(f"The registry and its event disagree on domain {domain_id}")
        record["domains"][name] = {
            "domainId": domain_id,
            "instrumentManager": manager,
            "instrumentEscrow": instrument_escrow,
        }
        return [activation]

    def made(record: dict) -> str:
        domain = record["domains"][name]
        return f"id {domain['domainId']}, manager {domain['instrumentManager']}"

    return Step(f"{name} domain", lambda record: name in record["domains"], run, made)


def recorded(name: str) -> Callable[[dict], str]:
    """A constructor argument: the address of `contracts[name]` in the record."""
    return lambda record: record["contracts"][name]


def deployment_steps(oracle: OracleChoice) -> list[Step]:
    """The eleven steps of a deployment, in order (see the module's docstring)."""
    return [
        contract_step(ESCROW_FACTORY, EscrowFactory),
        contract_step(INSTRUMENT_REGISTRY, InstrumentRegistry, recorded(ESCROW_FACTORY)),
        oracle_step(oracle),
        contract_step("Swap", Swap),
        contract_step("Lending", Lending, recorded(PRICE_ORACLE)),
        contract_step("Borrowing", Borrowing, recorded(PRICE_ORACLE)),
        contract_step("MultiSwap", MultiSwap),
        *(activation_step(name) for name in INSTRUMENTS),
    ]


# ------------------------------------------------------------------------------------- output


def summary_table(record: dict, path: Path) -> Table:
    """A rich table of a deployment record, to show what was deployed where."""
    table = Table(title=f"Deployment on {record['network']} (chain id {record['chainId']})")
    table.add_column("What")
    table.add_column("Address / value", style="cyan")
    for name, address in record["contracts"].items():
        table.add_row(name, address)
    if record.get("priceOracleKind"):
        table.add_row("Price oracle kind", record["priceOracleKind"])
    for name, domain in record["domains"].items():
        table.add_section()
        table.add_row(f"{name} domain", f"id {domain['domainId']}")
        table.add_row("  Instrument Manager", domain["instrumentManager"])
        table.add_row("  Instrument Escrow", domain["instrumentEscrow"])
    table.add_section()
    table.add_row("Deployer (domain provider)", record["deployer"])
    table.add_row("First block", str(record["blockNumber"]))
    table.caption = f"Written to {path}"
    return table


def steps_table(outcomes: list[StepOutcome]) -> Table:
    """A rich table of what each step did, with its transactions and gas, and the totals."""
    table = Table(title="Steps")
    table.add_column("#", justify="right")
    table.add_column("Step")
    table.add_column("Result")
    table.add_column("Transactions", justify="right")
    table.add_column("Gas used", justify="right")
    for number, outcome in enumerate(outcomes, start=1):
        result = {"sent": "[green]sent", "recorded": "[dim]already recorded", "given": "given (PRICE_ORACLE)"}
        table.add_row(
            str(number), outcome.title, result[outcome.status], str(outcome.transactions), f"{outcome.gas_used:,}"
        )
    table.add_section()
    table.add_row(
        "",
        "Total",
        "",
        str(sum(outcome.transactions for outcome in outcomes)),
        f"{sum(outcome.gas_used for outcome in outcomes):,}",
    )
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


# ------------------------------------------------------------------------------------- deploy


def deploy(
    account,
    deployments_dir: Path = DEFAULT_DEPLOYMENTS_DIR,
    required_confs: int | None = None,
    console: Console | None = None,
    oracle: OracleChoice | None = None,
    silent: bool = False,
) -> dict:
    """Deploys (or continues deploying) the core, the oracle and every instrument's domain from
    `account`, writing the record after every step; returns the record.

    The record is `deployment_file(<active network>, deployments_dir)`; when it holds an earlier
    deployment on this chain (see `find_existing_deployment`), the steps it holds are skipped.
    `oracle` defaults to the network's (`default_oracle`). `required_confs` is how many
    confirmations each transaction waits for; by default 1 on a development network and
    `DEFAULT_LIVE_REQUIRED_CONFS` on a live one. Raises `DeploymentRefused` (nothing sent) when
    the record cannot be continued. `silent` keeps brownie from printing each transaction (the
    steps' lines and tables still show what was sent, with its gas).
    """
    console = console or Console()
    network_id = network.show_active()
    if required_confs is None:
        required_confs = 1 if is_development_network() else DEFAULT_LIVE_REQUIRED_CONFS
    if required_confs < 1:
        raise ValueError("required_confs must be at least 1: addresses come from mined receipts")
    oracle = oracle or default_oracle(is_development_network())
    path = deployment_file(network_id, deployments_dir)
    record = find_existing_deployment(path, chain.id) or new_record(network_id, chain.id, account.address)
    check_continuable(record, account, oracle)
    sending = Sending({"from": account, "required_confs": required_confs}, silent)
    steps = deployment_steps(oracle)

    console.rule(f"[bold]Deploying the escrow core and its instruments to {network_id}")
    console.print(f"Deployer: [cyan]{account.address}[/]")
    console.print(f"Confirmations awaited per transaction: {required_confs}")
    already = sum(step.done(record) for step in steps)
    if already:
        console.print(f"Continuing the deployment recorded in {path}: {already} of {len(steps)} steps are done.")

    # Each step waits for its confirmations; the bar shows which one runs and for how long.
    outcomes = []
    progress = step_progress(console)
    with progress:
        task = progress.add_task("Deploying", total=len(steps))
        for number, step in enumerate(steps, start=1):
            progress.update(task, description=f"Step {number}: {step.title}")
            if step.done(record):
                outcomes.append(StepOutcome(step.title, "recorded"))
                progress.console.print(
                    f"[dim]{number:>2}/{len(steps)} {step.title}: {step.made(record)} (recorded)", soft_wrap=True
                )
            else:
                transactions = step.run(record, sending)
                if record["blockNumber"] is None and transactions:
                    record["blockNumber"] = transactions[0].block_number
                write_record(record, path)
                status = "sent" if transactions else "given"
                gas_used = sum(tx.gas_used for tx in transactions)
                outcomes.append(StepOutcome(step.title, status, len(transactions), gas_used))
                gas = f", gas {gas_used:,}" if transactions else ""
                progress.console.print(
                    f"[green]{number:>2}/{len(steps)}[/] {step.title}: {step.made(record)}{gas}", soft_wrap=True
                )
            progress.advance(task)

    console.print(summary_table(record, path))
    console.print(steps_table(outcomes))
    return record


def preflight(deployments_dir: Path, environ: Mapping[str, str] = os.environ):
    """The checks before the first transaction: returns (account, record, oracle choice).

    `record` is the deployment recorded on this chain as `deploy` would continue it, or None; when
    it is complete, `account` is None (nothing is to be sent). Raises a `DeploymentRefused` naming
    the problem; see the module's docstring.
    """
    development = is_development_network()
    check_expected_chain_id(chain.id, environ)
    oracle = choose_oracle(development, environ)
    existing = find_existing_deployment(deployment_file(network.show_active(), deployments_dir), chain.id)
    if existing is not None:
        check_oracle_matches(existing, oracle)
        if is_complete(existing):
            return None, existing, oracle
    account = resolve_deployer(development, environ)
    if existing is not None:
        check_continuable(existing, account, oracle)
    if not development:
        check_balance(account)
    return account, existing, oracle


def main():
    """Deploys to the active network from the account `resolve_deployer` picks, after `preflight`.

    Where the recorded deployment is already complete, changes nothing and returns its record.
    """
    console = Console()
    deployments_dir = Path(os.environ.get("DEPLOYMENTS_DIR", "").strip() or DEFAULT_DEPLOYMENTS_DIR)
    try:
        account, existing, oracle = preflight(deployments_dir)
        if account is None:
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
        return deploy(
            account, deployments_dir=deployments_dir, required_confs=required_confs, console=console, oracle=oracle
        )
    except DeploymentRefused as error:
        console.print(f"[bold red]{error}")
        raise SystemExit(1) from None
