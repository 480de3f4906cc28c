"""Walk through a swap on a local chain and show, after every step, where each balance is.

Run with `./run demo` (or `./run brownie run scripts/demo.py --network <development network>`).
It deploys the core with `scripts/deploy.py`, then:

1. deploys two demo tokens (MockERC20) and mints some to a maker and a taker;
2. the maker and the taker approve the Swap domain's Instrument Escrow and deposit;
3. the maker creates a swap (100 TKA for 250 TKB, one day): the manager, admin of both
   escrows, moves the maker's 100 TKA into the swap's own Issuance Escrow;
4. the taker engages it: the manager pays the taker's 250 TKB to the maker inside the Instrument
   Escrow and moves the 100 TKA from the Issuance Escrow to the taker's account;
5. both withdraw what they received;
6. with ETH: the maker deposits 1 ETH, offers it in a second swap, cancels that swap (the ETH
   comes back) and withdraws it.

After each step a table shows every account's balance of each token in its wallet, in the
Instrument Escrow and in each Issuance Escrow, plus what the escrow contracts really hold;
changed cells are highlighted. `run_demo` returns every snapshot, for tests.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from brownie import (
    InstrumentEscrow,
    InstrumentManager,
    IssuanceEscrow,
    MockERC20,
    accounts,
    web3,
)
from rich.console import Console
from rich.table import Table

from nuts_escrow import CANCEL_ISSUANCE, swap_terms
from scripts.deploy import (
    DEFAULT_DEPLOYMENTS_DIR,
    NATIVE_ETH,
    deploy,
    is_development_network,
    step_progress,
)

ONE_DAY = 24 * 60 * 60
WALLET = "Wallet"
INSTRUMENT_ESCROW = "Instrument Escrow"
MINTED_UNITS = 1_000
SWAP_INPUT_UNITS = 100
SWAP_OUTPUT_UNITS = 250
ETH_SWAP_INPUT_WEI = 10**18
ETH_SWAP_OUTPUT_UNITS = 500
TABLE_MIN_WIDTH = 80
HOLDINGS_ROW_LABEL = "escrow holds"
DEMO_STEPS = 11  # balance snapshots run_demo takes, for its progress bar
INTRODUCTION = (
    "Users only deposit to and withdraw from their own Instrument Escrow account. Every other "
    "move below is made by the domain's Instrument Manager, the only admin of both escrows, "
    "when the Swap instrument asks for it. Changed balances are [bold yellow]highlighted[/]; "
    f"'{HOLDINGS_ROW_LABEL}' rows show what each escrow contract really holds."
)


@dataclass(frozen=True)
class DemoAsset:
    """An asset the demo tracks: a demo token, or ETH (no contract, booked under NATIVE_ETH)."""

    symbol: str
    address: str
    decimals: int
    token: object | None = None

    def units(self, whole_units: int) -> int:
        """`whole_units` of the asset in its smallest unit."""
        return whole_units * 10**self.decimals

    def format(self, amount: int) -> str:
        """`amount` (smallest units) in whole units, e.g. 1234.5."""
        value = Decimal(amount) / Decimal(10**self.decimals)
        return f"{value.normalize():,f}"

    def held_by(self, address: str) -> int:
        """What `address` really holds of the asset (its token or ETH balance)."""
        if self.token is None:
            return web3.eth.get_balance(address)
        return self.token.balanceOf(address)


@dataclass
class BalanceSnapshot:
    """Balances after one demo step.

    `balances[role][symbol][place]` is what account `role` has of asset `symbol` at `place`
    (`WALLET`, `INSTRUMENT_ESCROW` or `Issuance Escrow #<id>`); `holdings[symbol][place]` is
    what the escrow contract at `place` really holds of it.
    """

    caption: str
    balances: dict[str, dict[str, dict[str, int]]]
    holdings: dict[str, dict[str, int]]


@dataclass
class DemoResult:
    """Everything the demo did: the deployment record, who and what took part, each snapshot."""

    deployment: dict
    accounts: dict[str, str]
    assets: dict[str, str]
    issuance_escrows: dict[str, str]
    snapshots: list[BalanceSnapshot] = field(default_factory=list)
    transactions: list = field(default_factory=list)

    @property
    def final(self) -> BalanceSnapshot:
        """The balances at the end of the demo."""
        return self.snapshots[-1]


def issuance_place(issuance_id: int) -> str:
    """The label of the Issuance Escrow of issuance `issuance_id`."""
    return f"Issuance Escrow #{issuance_id}"


class SwapDemo:
    """Runs the demo's steps and takes a balance snapshot (and prints it) after each one."""

    def __init__(self, deployment: dict, maker, taker, assets: list[DemoAsset], console: Console):
        """Binds to the deployed Swap domain; `assets` are the tokens (and ETH) to track."""
        domain = deployment["swapDomain"]
        self.manager = InstrumentManager.at(domain["instrumentManager"])
        self.instrument_escrow = InstrumentEscrow.at(domain["instrumentEscrow"])
        self.roles = {"maker": maker, "taker": taker}
        self.assets = assets
        self.console = console
        self.on_snapshot = None  # called after each snapshot (run_demo advances its progress bar)
        self.places = {WALLET: None, INSTRUMENT_ESCROW: self.instrument_escrow}
        self.result = DemoResult(
            deployment=deployment,
            accounts={role: account.address for role, account in self.roles.items()},
            assets={asset.symbol: asset.address for asset in assets},
            issuance_escrows={},
        )

    def record(self, transaction):
        """Keeps `transaction` (for the fee accounting of tests) and returns it."""
        self.result.transactions.append(transaction)
        return transaction

    def snapshot(self, caption: str) -> BalanceSnapshot:
        """Reads every balance, prints the table with `caption` and keeps the snapshot."""
        balances = {
            role: {asset.symbol: self._balances_of(account, asset) for asset in self.assets}
            for role, account in self.roles.items()
        }
        escrows = {place: escrow for place, escrow in self.places.items() if escrow is not None}
        holdings = {
            asset.symbol: {place: asset.held_by(escrow.address) for place, escrow in escrows.items()}
            for asset in self.assets
        }
        current = BalanceSnapshot(caption, balances, holdings)
        previous = self.result.snapshots[-1] if self.result.snapshots else None
        self.result.snapshots.append(current)
        self.console.print(self.table(current, previous, step=len(self.result.snapshots)))
        if self.on_snapshot is not None:
            self.on_snapshot()
        return current

    def _balances_of(self, account, asset: DemoAsset) -> dict[str, int]:
        """`account`'s balance of `asset` at every place."""
        balances = {}
        for place, escrow in self.places.items():
            if escrow is None:
                balances[place] = asset.held_by(account.address)
            else:
                balances[place] = escrow.getTokenBalance(account, asset.address)
        return balances

    def table(self, current: BalanceSnapshot, previous: BalanceSnapshot | None, step: int) -> Table:
        """The balances of `current` as a rich table, cells changed since `previous` highlighted."""
        table = Table(
            title=f"Step {step}",
            caption=current.caption,
            caption_justify="left",
            min_width=TABLE_MIN_WIDTH,
        )
        table.add_column("Account", no_wrap=True)
        table.add_column("Asset")
        for place in self.places:
            # "Issuance Escrow #1" -> "Issuance\nEscrow #1": narrow columns, so more of them fit.
            table.add_column(place.replace(" ", "\n", 1), justify="right")
        for role in self.roles:
            for asset in self.assets:
                before = previous.balances[role][asset.symbol] if previous else {}
                now = current.balances[role][asset.symbol]
                cells = [self._cell(asset, now[place], before.get(place)) for place in self.places]
                table.add_row(role, asset.symbol, *cells)
            table.add_section()
        for asset in self.assets:
            before = previous.holdings[asset.symbol] if previous else {}
            now = current.holdings[asset.symbol]
            cells = [
                self._cell(asset, now[place], before.get(place)) if place in now else "[dim]-" for place in self.places
            ]
            table.add_row(f"[dim]{HOLDINGS_ROW_LABEL}", asset.symbol, *cells)
        return table

    @staticmethod
    def _cell(asset: DemoAsset, amount: int, amount_before: int | None) -> str:
        """`amount` formatted; highlighted with its change when it differs from `amount_before`."""
        text = asset.format(amount)
        if amount_before is None or amount_before == amount:
            return text if amount else f"[dim]{text}"
        change = asset.format(abs(amount - amount_before))
        sign = "+" if amount > amount_before else "-"
        return f"[bold yellow]{text}[/] [dim]({sign}{change})"

    def approve_and_deposit(self, role: str, asset: DemoAsset, amount: int):
        """`role` approves the Instrument Escrow for `amount` of `asset` and deposits it."""
        account = self.roles[role]
        self.record(asset.token.approve(self.instrument_escrow, amount, {"from": account}))
        self.record(self.instrument_escrow.depositToken(asset.address, amount, {"from": account}))
        self.snapshot(
            f"{role.capitalize()} approved the Instrument Escrow and deposited "
            f"{asset.format(amount)} {asset.symbol} (depositToken)."
        )

    def create_swap(
        self,
        role: str,
        offered: DemoAsset,
        offered_amount: int,
        wanted: DemoAsset,
        wanted_amount: int,
    ) -> int:
        """`role` offers `offered_amount` of `offered` for `wanted_amount` of `wanted` for a day.

        Returns the issuance id.
        """
        terms = swap_terms(ONE_DAY, offered.address, wanted.address, offered_amount, wanted_amount)
        transaction = self.record(self.manager.createIssuance(terms, {"from": self.roles[role]}))
        issuance_id = int(transaction.events["IssuanceCreated"]["issuanceId"])
        escrow = IssuanceEscrow.at(self.manager.getIssuanceEscrow(issuance_id))
        place = issuance_place(issuance_id)
        self.places[place] = escrow
        self.result.issuance_escrows[place] = escrow.address
        offer = f"{offered.format(offered_amount)} {offered.symbol}"
        self.snapshot(
            f"{role.capitalize()} created swap #{issuance_id} ({offer} for "
            f"{wanted.format(wanted_amount)} {wanted.symbol}): {offered.symbol} moved to {place}."
        )
        return issuance_id

    def withdraw(self, role: str, asset: DemoAsset, amount: int):
        """`role` withdraws `amount` of `asset` from the Instrument Escrow to its wallet."""
        account = self.roles[role]
        escrow = self.instrument_escrow
        if asset.token is None:
            self.record(escrow.withdraw(amount, {"from": account}))
        else:
            self.record(escrow.withdrawToken(asset.address, amount, {"from": account}))
        self.snapshot(f"{role.capitalize()} withdrew {asset.format(amount)} {asset.symbol} to its wallet.")


def deploy_demo_tokens(deployer) -> tuple[DemoAsset, DemoAsset]:
    """Deploys the two demo tokens: TKA with 18 decimals and TKB with 6."""
    token_a = MockERC20.deploy("Demo Token A", "TKA", 18, {"from": deployer})
    token_b = MockERC20.deploy("Demo Token B", "TKB", 6, {"from": deployer})
    return (
        DemoAsset("TKA", token_a.address, 18, token_a),
        DemoAsset("TKB", token_b.address, 6, token_b),
    )


def run_demo(
    deployer,
    maker,
    taker,
    deployments_dir: Path = DEFAULT_DEPLOYMENTS_DIR,
    console: Console | None = None,
) -> DemoResult:
    """Deploys everything from `deployer` and walks `maker` and `taker` through the swaps.

    The deployment record goes to `deployments_dir`. Returns every balance snapshot; at the end
    the maker holds the 250 TKB it asked for, the taker the 100 TKA, and nothing is left in any
    escrow.
    """
    console = console or Console()
    deployment = deploy(deployer, deployments_dir=deployments_dir, console=console)
    token_a, token_b = deploy_demo_tokens(deployer)
    eth = DemoAsset("ETH", NATIVE_ETH, 18)
    demo = SwapDemo(deployment, maker, taker, [token_a, token_b, eth], console)
    console.rule("[bold]A swap, step by step")
    console.print(INTRODUCTION)

    progress = step_progress(console)
    with progress:
        task = progress.add_task("[bold]Demo", total=DEMO_STEPS)
        demo.on_snapshot = lambda: progress.advance(task)
        demo.record(token_a.token.mint(maker, token_a.units(MINTED_UNITS), {"from": deployer}))
        demo.record(token_b.token.mint(taker, token_b.units(MINTED_UNITS), {"from": deployer}))
        demo.snapshot(
            f"Demo tokens deployed; minted {MINTED_UNITS:,} TKA to the maker, {MINTED_UNITS:,} TKB to the taker."
        )

        input_amount = token_a.units(SWAP_INPUT_UNITS)
        output_amount = token_b.units(SWAP_OUTPUT_UNITS)
        demo.approve_and_deposit("maker", token_a, input_amount)
        demo.approve_and_deposit("taker", token_b, output_amount)

        swap_id = demo.create_swap("maker", token_a, input_amount, token_b, output_amount)

        demo.record(demo.manager.engageIssuance(swap_id, b"", {"from": taker}))
        demo.snapshot(
            f"Taker engaged swap #{swap_id}: manager paid the maker {SWAP_OUTPUT_UNITS} TKB "
            f"and the taker {SWAP_INPUT_UNITS} TKA."
        )

        demo.withdraw("maker", token_b, output_amount)
        demo.withdraw("taker", token_a, input_amount)

        console.rule("[bold]ETH works the same way: a second swap, cancelled")
        demo.record(demo.instrument_escrow.deposit({"from": maker, "value": ETH_SWAP_INPUT_WEI}))
        demo.snapshot(f"Maker deposited {eth.format(ETH_SWAP_INPUT_WEI)} ETH (deposit, payable).")
        eth_output_amount = token_b.units(ETH_SWAP_OUTPUT_UNITS)
        eth_swap_id = demo.create_swap("maker", eth, ETH_SWAP_INPUT_WEI, token_b, eth_output_amount)
        demo.record(demo.manager.processEvent(eth_swap_id, 0, CANCEL_ISSUANCE, b"", {"from": maker}))
        demo.snapshot(
            f"Maker cancelled swap #{eth_swap_id}: the manager moved its "
            f"{eth.format(ETH_SWAP_INPUT_WEI)} ETH back to its account."
        )
        demo.withdraw("maker", eth, ETH_SWAP_INPUT_WEI)
    demo.on_snapshot = None
    return demo.result


def main():
    """Runs the demo on a local development chain with accounts[0] (deployer), [1] and [2]."""
    if not is_development_network():
        raise SystemExit("The demo mints tokens and spends gas: run it on a local network only.")
    return run_demo(deployer=accounts[0], maker=accounts[1], taker=accounts[2])
