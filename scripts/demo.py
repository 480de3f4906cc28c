"""Walk through every instrument on a local chain and show, after every step, where each balance is.

Run with `./run demo` (every walk-through) or `./run demo main <walk-through>` (one of swap,
lending, borrowing, margincall, multiswap); on another development network `./run brownie run
scripts/demo.py main [<walk-through>] --network <network>`. It deploys everything with
`scripts/deploy.py` (with an AdminPriceOracle owned by the deployer), then each walk-through
deploys two fresh demo tokens (MockERC20: TKA with 18 decimals, TKB with 6), mints them to its
parties and runs in its instrument's own domain:

- swap: the maker offers 100 TKA for 250 TKB; the taker engages, stating the least it accepts
  (100 TKA); both withdraw. Then the maker offers 1 ETH in a second swap and cancels it: the ETH
  comes back.
- lending: the deployer sets the oracle's rate (1 TKA = 2 TKB); the maker lends 500 TKB for a
  week at 5% and bounds the price: it accepts no less than 0.6 TKA of collateral per TKB
  (300 TKA), whatever the oracle says; the taker engages, stating the least principal it accepts
  (500 TKB) and the most collateral it posts (375 TKA), posts the collateral the oracle prices
  (150%: 375 TKA), and repays 525 TKB: the collateral returns.
- borrowing: the maker borrows 500 TKB against 375 TKA (priced at creation); the taker lends,
  stating the least collateral the loan must hold (375 TKA); nothing is repaid; once the week is
  over a keeper (a third party) sends `engagement_due` and the collateral goes to the lender.
- margincall: the maker lends 500 TKB against 375 TKA (150%) with a maintenance ratio of 120%;
  the keeper's `margin_call` changes nothing while 1 TKA = 2 TKB; the oracle's owner then sets
  1 TKA = 1.5 TKB, so the 375 TKA held fall below 120% of the 525 TKB owed (420 TKA); the
  keeper's `margin_call` defaults the loan and the collateral goes to the lender.
- multiswap: the maker offers 300 TKA for 600 TKB in fills of 100 to 300 TKB; two takers quote
  and fill 200 and 250 TKB, each stating the quoted TKA as its minimum, and receive their
  pro-rata TKA; a day later the keeper sends `issuance_due` and the unfilled 75 TKA return to
  the maker.

Every taker states in its taker data the least it accepts (docs/security.md, "Nobody pays for nothing"):
the manager reverts the whole engagement if less would arrive.

Every party acts through its own `nuts_escrow.EscrowClient` (web3.py, connected to brownie's
chain; see `DomainDemo.domain_of`): the walk-throughs are what a dApp's code does with the client.
Brownie only deploys, mints the demo tokens and sets the oracle's rates, silently.

Users only deposit to and withdraw from their own Instrument Escrow account; every other move is
made by the domain's Instrument Manager. The demo prints one line per transaction (who, what, gas)
and, after each step, a table of every party's balance of each asset in its wallet, in the
domain's Instrument Escrow and in each Issuance Escrow, plus what the escrow contracts really
hold; changed cells are highlighted. `run_demo` returns every snapshot and transaction of every
walk-through, for tests.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from brownie import AdminPriceOracle, InstrumentEscrow, InstrumentManager, MockERC20, accounts, chain, web3
from rich.console import Console
from rich.table import Table
from web3 import HTTPProvider, Web3
from web3.logs import DISCARD

from nuts_escrow import NATIVE_ETH, Deployment, Domain, EscrowClient, LoanDomain, LoanTerms, MultiSwapTerms, SwapTerms
from nuts_escrow.deployment import PRICE_ORACLE
from nuts_escrow.terms import PRICE_BOUND_SCALE
from scripts.deploy import DEFAULT_DEPLOYMENTS_DIR, OracleChoice, deploy, is_development_network, step_progress

ONE_DAY = 24 * 60 * 60
WALLET = "Wallet"
INSTRUMENT_ESCROW = "Instrument Escrow"
MINTED_UNITS = 1_000
TABLE_MIN_WIDTH = 80
HOLDINGS_ROW_LABEL = "escrow holds"
# Swap
SWAP_INPUT_UNITS = 100
SWAP_OUTPUT_UNITS = 250
ETH_SWAP_INPUT_WEI = 10**18
ETH_SWAP_OUTPUT_UNITS = 500
# Lending and Borrowing: the oracle's rate, and the loan's terms (principal in TKB, collateral in TKA)
TKA_PRICE_IN_TKB = Fraction(2)
LOAN_PRINCIPAL_UNITS = 500
COLLATERAL_RATIO = 15_000  # basis points: 150%
INTEREST_RATE = 500  # basis points of the principal, for the whole tenor: 5%
LOAN_TENOR = 7 * ONE_DAY
LOAN_ENGAGEMENT_ID = 1
# The Lending maker's price bound: no less than this collateral for the whole principal (0.6 TKA
# per TKB), whatever the oracle says; in maker data as collateral units per principal unit x 1e18.
LENDER_MIN_COLLATERAL_UNITS = 300
# Margin call: the loan's maintenance ratio, and the price the oracle's owner then sets
MAINTENANCE_RATIO = 12_000  # basis points: 120% of principal plus interest
FALLEN_TKA_PRICE_IN_TKB = Fraction(3, 2)
# MultiSwap
MULTISWAP_INPUT_UNITS = 300
MULTISWAP_OUTPUT_UNITS = 600
MULTISWAP_FILL_LIMITS_UNITS = (100, 300)
MULTISWAP_FILLS_UNITS = {"taker": 200, "taker 2": 250}
INTRODUCTION = (
    "Users only deposit to and withdraw from their own Instrument Escrow account. Every other "
    "move below is made by the domain's Instrument Manager, the only admin of both escrows, "
    "when the instrument asks for it. Every taker states in its taker data the least it accepts; "
    "the manager reverts the whole engagement if less would arrive. "
    "Changed balances are [bold yellow]highlighted[/]; "
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


ETH = DemoAsset("ETH", NATIVE_ETH, 18)


@dataclass(frozen=True)
class DemoParties:
    """Who takes part: the `deployer` (provider of every domain, owner of the oracle, minter of the
    demo tokens), a `maker`, a `taker`, a `second_taker` (MultiSwap) and a `keeper`, a third party
    who sends the timed events."""

    deployer: object
    maker: object
    taker: object
    second_taker: object
    keeper: object


#: The DemoParties fields, in the order of their accounts.
PARTY_NAMES = ("deployer", "maker", "taker", "second_taker", "keeper")


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
    """One walk-through: its instrument, the deployment record, who and what took part, the
    domain's Instrument Escrow and the Issuance Escrows by place, its name (a key of
    WALKTHROUGHS) and its tables' title, the issuances it created, each snapshot and transaction."""

    instrument: str
    deployment: dict
    accounts: dict[str, str]
    assets: dict[str, str]
    instrument_escrow: str
    issuance_escrows: dict[str, str]
    name: str = ""
    title: str = ""
    issuance_ids: list[int] = field(default_factory=list)
    snapshots: list[BalanceSnapshot] = field(default_factory=list)
    transactions: list = field(default_factory=list)

    @property
    def final(self) -> BalanceSnapshot:
        """The balances at the end of the walk-through."""
        return self.snapshots[-1]


@dataclass
class DemoRun:
    """A run of the demo: the deployment record and each walk-through's result, by name."""

    deployment: dict
    walkthroughs: dict[str, DemoResult]


def issuance_place(issuance_id: int) -> str:
    """The label of the Issuance Escrow of issuance `issuance_id`."""
    return f"Issuance Escrow #{issuance_id}"


class TransactionLog:
    """Every transaction mined since the last look, read from the chain whoever sent it (a party's
    client, or brownie for the demo tokens and the oracle's rates), printed one line each: who,
    what, gas. The receipts are brownie's, for the tests' fee accounting and event reading."""

    def __init__(self, console: Console, parties: DemoParties):
        self.console = console
        self.names = {getattr(parties, name).address: name.replace("second_taker", "taker 2") for name in PARTY_NAMES}
        self.next_block = web3.eth.block_number + 1

    def collect(self) -> list:
        """The receipts of the transactions mined since the last call, each printed on its line."""
        latest = web3.eth.block_number
        receipts = [
            chain.get_transaction(tx_hash)
            for number in range(self.next_block, latest + 1)
            for tx_hash in web3.eth.get_block(number)["transactions"]
        ]
        self.next_block = latest + 1
        for receipt in receipts:
            self.console.print(self.line(receipt), highlight=False, soft_wrap=True)
        return receipts

    def line(self, receipt) -> str:
        """One transaction: its sender's role, the contract and function (or what it deployed), gas."""
        what = (
            f"deploy {receipt.contract_name}"
            if receipt.contract_address
            else f"{receipt.contract_name}.{receipt.fn_name}"
        )
        who = self.names.get(receipt.sender, receipt.sender)
        return f"[dim]  tx  {who:<9} {what:<42} gas {receipt.gas_used:>9,}[/]"


class DomainDemo:
    """Runs one walk-through in the domain of `instrument` (a name of the deployment record's
    `domains`): each party acts through its own `nuts_escrow` client (`domain_of`); after each step
    it records and prints the transactions sent, takes a balance snapshot and prints it."""

    def __init__(
        self,
        instrument: str,
        deployment: dict,
        roles: dict,
        assets: list[DemoAsset],
        transactions: TransactionLog,
        w3: Web3,
        name: str = "",
        title: str = "",
    ):
        """Binds to the domain through clients on `w3`; `roles` maps a role's name to its account,
        `assets` are tracked; `name` is the walk-through's, `title` heads its tables (the
        instrument by default)."""
        self.deployment = Deployment.from_record(deployment)
        deployed = self.deployment.domains[instrument]
        self.domain_id = deployed.domain_id
        # brownie learns the domain's contracts only to name the transactions sent to them.
        InstrumentManager.at(deployed.instrument_manager)
        InstrumentEscrow.at(deployed.instrument_escrow)
        self._domains: dict[str, Domain] = {}
        self.w3 = w3
        self.client = EscrowClient.from_deployment(w3, self.deployment)  # reads only: no account
        self.reader = self.client.domain(self.domain_id)
        self.roles = roles
        self.assets = assets
        self.transactions = transactions
        self.console = transactions.console
        self.on_snapshot = None  # called after each snapshot (run_demo advances its progress bar)
        self.places = {WALLET: None, INSTRUMENT_ESCROW: deployed.instrument_escrow}
        self.result = DemoResult(
            instrument=instrument,
            deployment=deployment,
            accounts={role: account.address for role, account in roles.items()},
            assets={asset.symbol: asset.address for asset in assets},
            instrument_escrow=deployed.instrument_escrow,
            issuance_escrows={},
            name=name or instrument.lower(),
            title=title or instrument,
        )

    def domain_of(self, account) -> Domain:
        """The domain through the client of `account` (its transactions are sent from it)."""
        if account.address not in self._domains:
            client = EscrowClient.from_deployment(self.w3, self.deployment, account=account.address)
            self._domains[account.address] = client.domain(self.domain_id)
        return self._domains[account.address]

    def issued(self, issuance_id: int) -> str:
        """Tracks the Issuance Escrow of new issuance `issuance_id`; returns its place."""
        place = issuance_place(issuance_id)
        self.places[place] = self.reader.issuance_escrow(issuance_id).address
        self.result.issuance_escrows[place] = self.places[place]
        self.result.issuance_ids.append(issuance_id)
        return place

    def snapshot(self, caption: str) -> BalanceSnapshot:
        """Prints the transactions sent since the last snapshot, reads every balance, prints the
        table with `caption` and keeps the snapshot."""
        self.result.transactions += self.transactions.collect()
        escrows = {place: escrow for place, escrow in self.places.items() if escrow is not None}
        held = self._held_by([account.address for account in self.roles.values()] + list(escrows.values()))
        balances = {role: self._balances_of(account, held) for role, account in self.roles.items()}
        holdings = {
            asset.symbol: {place: held[asset.symbol, escrow] for place, escrow in escrows.items()}
            for asset in self.assets
        }
        current = BalanceSnapshot(caption, balances, holdings)
        previous = self.result.snapshots[-1] if self.result.snapshots else None
        self.result.snapshots.append(current)
        self.console.print(self.table(current, previous, step=len(self.result.snapshots)))
        if self.on_snapshot is not None:
            self.on_snapshot()
        return current

    def _held_by(self, holders: list[str]) -> dict[tuple[str, str], int]:
        """What each of `holders` really holds of each asset, by (symbol, holder): the token
        balances in one JSON-RPC batch (the client's `batch_call`), ETH balances one call each."""
        tokens = [asset for asset in self.assets if asset.token is not None]
        calls = [self.client.token(asset.address).functions.balanceOf(h) for asset in tokens for h in holders]
        values = iter(self.client.batch_call(calls))
        held = {(asset.symbol, holder): next(values) for asset in tokens for holder in holders}
        if ETH in self.assets:
            held.update({(ETH.symbol, holder): self.w3.eth.get_balance(holder) for holder in holders})
        return held

    def _balances_of(self, account, held: dict[tuple[str, str], int]) -> dict[str, dict[str, int]]:
        """`account`'s balance of each asset at every place: its wallet (from `held`), then the
        domain's escrows (one client read, `Domain.balances`)."""
        tokens = [asset.address for asset in self.assets]
        escrowed = self.reader.balances(account.address, tokens=tokens, issuance_ids=self.result.issuance_ids)
        return {
            asset.symbol: {
                WALLET: held[asset.symbol, account.address],
                INSTRUMENT_ESCROW: escrowed.instrument_escrow[asset.address],
                **{issuance_place(i): held[asset.address] for i, held in escrowed.issuance_escrows.items()},
            }
            for asset in self.assets
        }

    def table(self, current: BalanceSnapshot, previous: BalanceSnapshot | None, step: int) -> Table:
        """The balances of `current` as a rich table, cells changed since `previous` highlighted."""
        table = Table(
            title=f"{self.result.title}, step {step}",
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

    def deposit(self, role: str, *deposits: tuple[DemoAsset, int]):
        """`role` deposits each (asset, amount) into its Instrument Escrow account (its client
        approves a token first); one snapshot for them all."""
        domain = self.domain_of(self.roles[role])
        for asset, amount in deposits:
            domain.deposit(asset.address, amount)
        self.snapshot(f"{role.capitalize()} deposited {amounts_text(deposits)} into its Instrument Escrow account.")

    def withdraw(self, role: str, *withdrawals: tuple[DemoAsset, int]):
        """`role` withdraws each (asset, amount) from the Instrument Escrow to its wallet."""
        domain = self.domain_of(self.roles[role])
        for asset, amount in withdrawals:
            domain.withdraw(asset.address, amount)
        self.snapshot(f"{role.capitalize()} withdrew {amounts_text(withdrawals)} to its wallet.")

    def escrowed(self, account, asset: DemoAsset) -> int:
        """What `account` may withdraw of `asset` from the domain's Instrument Escrow."""
        balances = self.reader.balances(account.address, tokens=[asset.address], issuance_ids=[])
        return balances.instrument_escrow[asset.address]


def client_connection() -> Web3:
    """The clients' own web3.py connection to brownie's node, as a dApp's would be; it asks the
    chain id once (web3.py checks it before every call and transaction)."""
    provider = HTTPProvider(web3.provider.endpoint_uri, cache_allowed_requests=True, cacheable_requests={"eth_chainId"})
    return Web3(provider)


def amounts_text(amounts: Sequence[tuple[DemoAsset, int]]) -> str:
    """(asset, amount) pairs as text: "100 TKA and 25 TKB"."""
    return " and ".join(f"{asset.format(amount)} {asset.symbol}" for asset, amount in amounts)


def deploy_demo_tokens(deployer, silent: bool = False) -> tuple[DemoAsset, DemoAsset]:
    """Deploys the two demo tokens: TKA with 18 decimals and TKB with 6 (`silent`: brownie prints
    nothing)."""
    token_a = MockERC20.deploy("Demo Token A", "TKA", 18, {"from": deployer}, silent=silent)
    token_b = MockERC20.deploy("Demo Token B", "TKB", 6, {"from": deployer}, silent=silent)
    return (
        DemoAsset("TKA", token_a.address, 18, token_a),
        DemoAsset("TKB", token_b.address, 6, token_b),
    )


def mint(demo: DomainDemo, deployer, grants: Sequence[tuple[str, DemoAsset, int]], note: str = ""):
    """The deployer mints (role, asset, whole units) to each role's wallet; one snapshot."""
    for role, asset, units in grants:
        asset.token.mint(demo.roles[role], asset.units(units), {"from": deployer}, silent=True)
    minted = ", ".join(f"{units:,} {asset.symbol} to the {role}" for role, asset, units in grants)
    demo.snapshot(f"Demo tokens deployed; minted {minted}.{note}")


def set_demo_rate(
    deployment: dict, deployer, token_a: DemoAsset, token_b: DemoAsset, price: Fraction = TKA_PRICE_IN_TKB
) -> str:
    """The deployer, the AdminPriceOracle's owner, sets 1 TKA = `price` TKB; returns a note."""
    oracle = AdminPriceOracle.at(deployment["contracts"][PRICE_ORACLE])
    # quoteAmount = baseAmount * numerator / denominator, in smallest units: decimals included.
    oracle.setRate(
        token_a.address,
        token_b.address,
        token_b.units(price.numerator),
        token_a.units(price.denominator),
        {"from": deployer},
        silent=True,
    )
    return f" The deployer (the oracle's owner) set 1 TKA = {float(price):g} TKB."


# --------------------------------------------------------------------------------- walk-throughs


def walk_swap(demo: DomainDemo, deployer, parties: DemoParties, token_a: DemoAsset, token_b: DemoAsset):
    """A swap engaged, and an ETH swap cancelled (see the module's docstring)."""
    maker, taker = demo.domain_of(parties.maker), demo.domain_of(parties.taker)
    mint(demo, deployer, [("maker", token_a, MINTED_UNITS), ("taker", token_b, MINTED_UNITS)])
    input_amount, output_amount = token_a.units(SWAP_INPUT_UNITS), token_b.units(SWAP_OUTPUT_UNITS)
    demo.deposit("maker", (token_a, input_amount))
    demo.deposit("taker", (token_b, output_amount))

    swap_id = maker.create_swap(
        SwapTerms(
            input_token=token_a.address,
            input_amount=input_amount,
            output_token=token_b.address,
            output_amount=output_amount,
            duration=ONE_DAY,
        )
    )
    place = demo.issued(swap_id)
    demo.snapshot(
        f"Maker created swap #{swap_id} ({SWAP_INPUT_UNITS} TKA for {SWAP_OUTPUT_UNITS} TKB, one day): "
        f"its TKA moved to {place}."
    )
    # The client quotes the input the taker would receive and states it as the least it accepts:
    # taker data abi.encode(minInputReceived); the engagement reverts if less would arrive.
    quote = taker.quote_swap(swap_id)
    taker.engage_swap(swap_id)
    demo.snapshot(
        f"Taker engaged swap #{swap_id}, stating the least it accepts (taker data "
        f"abi.encode(minInputReceived): the quoted {token_a.format(quote)} TKA): the manager paid the maker "
        f"{SWAP_OUTPUT_UNITS} TKB and the taker {SWAP_INPUT_UNITS} TKA."
    )
    demo.withdraw("maker", (token_b, output_amount))
    demo.withdraw("taker", (token_a, input_amount))

    demo.deposit("maker", (ETH, ETH_SWAP_INPUT_WEI))
    eth_swap_id = maker.create_swap(
        SwapTerms(
            input_token=NATIVE_ETH,
            input_amount=ETH_SWAP_INPUT_WEI,
            output_token=token_b.address,
            output_amount=token_b.units(ETH_SWAP_OUTPUT_UNITS),
            duration=ONE_DAY,
        )
    )
    place = demo.issued(eth_swap_id)
    demo.snapshot(
        f"Maker created swap #{eth_swap_id} ({ETH.format(ETH_SWAP_INPUT_WEI)} ETH for {ETH_SWAP_OUTPUT_UNITS} "
        f"TKB): its ETH moved to {place}."
    )
    maker.cancel_swap(eth_swap_id)
    demo.snapshot(f"Maker cancelled swap #{eth_swap_id}: the manager moved its ETH back to its account.")
    demo.withdraw("maker", (ETH, ETH_SWAP_INPUT_WEI))


def create_demo_loan(
    maker: LoanDomain,
    token_a: DemoAsset,
    token_b: DemoAsset,
    min_collateral_per_principal: int = 0,
    maintenance_ratio: int = 0,
) -> int:
    """The maker offers the demo's loan: LOAN_PRINCIPAL_UNITS TKB against TKA collateral, one day
    to engage, with a price bound or a maintenance ratio if given. Returns its id."""
    return maker.create_loan(
        LoanTerms(
            principal_token=token_b.address,
            principal_amount=token_b.units(LOAN_PRINCIPAL_UNITS),
            collateral_token=token_a.address,
            collateral_ratio=COLLATERAL_RATIO,
            tenor=LOAN_TENOR,
            interest_rate=INTEREST_RATE,
            duration=ONE_DAY,
            min_collateral_per_principal=min_collateral_per_principal,
            maintenance_ratio=maintenance_ratio,
        )
    )


def demo_loan_collateral(domain: LoanDomain, token_a: DemoAsset, token_b: DemoAsset) -> int:
    """The TKA collateral the demo's loan asks at the oracle's rate now."""
    return domain.collateral_of(
        principal_token=token_b.address,
        principal_amount=token_b.units(LOAN_PRINCIPAL_UNITS),
        collateral_token=token_a.address,
        collateral_ratio=COLLATERAL_RATIO,
    )


def lender_price_bound(token_a: DemoAsset, token_b: DemoAsset) -> int:
    """The Lending maker's minCollateralPerPrincipal: LENDER_MIN_COLLATERAL_UNITS TKA for the whole
    principal, as TKA units per TKB unit scaled by 1e18."""
    return token_a.units(LENDER_MIN_COLLATERAL_UNITS) * PRICE_BOUND_SCALE // token_b.units(LOAN_PRINCIPAL_UNITS)


def walk_lending(demo: DomainDemo, deployer, parties: DemoParties, token_a: DemoAsset, token_b: DemoAsset):
    """The maker lends with a price bound; the taker posts the priced collateral within its own
    limits and repays with interest."""
    lender, borrower = demo.domain_of(parties.maker), demo.domain_of(parties.taker)
    note = set_demo_rate(demo.result.deployment, deployer, token_a, token_b)
    principal = token_b.units(LOAN_PRINCIPAL_UNITS)
    collateral = demo_loan_collateral(lender, token_a, token_b)
    repayment = lender.instrument.functions.repaymentOf(principal, INTEREST_RATE).call()
    interest = repayment - principal
    mint(
        demo,
        deployer,
        [("maker", token_b, MINTED_UNITS), ("taker", token_a, MINTED_UNITS), ("taker", token_b, 100)],
        note,
    )
    demo.deposit("maker", (token_b, principal))
    demo.deposit("taker", (token_a, collateral), (token_b, interest))

    loan_id = create_demo_loan(
        lender, token_a, token_b, min_collateral_per_principal=lender_price_bound(token_a, token_b)
    )
    place = demo.issued(loan_id)
    demo.snapshot(
        f"Maker offered loan #{loan_id}: {LOAN_PRINCIPAL_UNITS} TKB for {LOAN_TENOR // ONE_DAY} days at "
        f"{INTEREST_RATE / 100:g}%, collateral {COLLATERAL_RATIO / 100:g}% in TKA, and its price bound "
        f"(minCollateralPerPrincipal): no less than {LENDER_MIN_COLLATERAL_UNITS} TKA of collateral, "
        f"whatever the oracle says; the principal moved to {place}."
    )
    # Taker data abi.encode(minPrincipalReceived, maxCollateral): the borrower's own limits, by
    # default the loan's principal and the collateral the oracle asks now.
    borrower.engage_loan(loan_id)
    demo.snapshot(
        f"Taker borrowed, stating its limits (abi.encode(minPrincipalReceived, maxCollateral): at least "
        f"{LOAN_PRINCIPAL_UNITS} TKB, at most {token_a.format(collateral)} TKA): the oracle priced the "
        f"collateral at {token_a.format(collateral)} TKA, now in {place}; the {LOAN_PRINCIPAL_UNITS} TKB "
        "principal reached the taker's account."
    )
    borrower.repay_loan(loan_id)
    demo.snapshot(f"Taker repaid (repay_full): {token_b.format(repayment)} TKB to the maker; the collateral came back.")
    demo.withdraw("maker", (token_b, repayment))
    demo.withdraw("taker", (token_a, collateral))


def walk_borrowing(demo: DomainDemo, deployer, parties: DemoParties, token_a: DemoAsset, token_b: DemoAsset):
    """The maker borrows and does not repay; a keeper sends engagement_due: collateral to the lender."""
    borrower, lender = demo.domain_of(parties.maker), demo.domain_of(parties.taker)
    note = set_demo_rate(demo.result.deployment, deployer, token_a, token_b)
    principal = token_b.units(LOAN_PRINCIPAL_UNITS)
    collateral = demo_loan_collateral(borrower, token_a, token_b)
    mint(demo, deployer, [("maker", token_a, MINTED_UNITS), ("taker", token_b, MINTED_UNITS)], note)
    demo.deposit("maker", (token_a, collateral))
    demo.deposit("taker", (token_b, principal))

    loan_id = create_demo_loan(borrower, token_a, token_b)
    place = demo.issued(loan_id)
    demo.snapshot(
        f"Maker asked to borrow {LOAN_PRINCIPAL_UNITS} TKB for {LOAN_TENOR // ONE_DAY} days (loan #{loan_id}): the "
        f"oracle priced the collateral at {token_a.format(collateral)} TKA, moved to {place}."
    )
    # Taker data abi.encode(minCollateralHeld): by default what the loan holds now.
    lender.engage_loan(loan_id)
    demo.snapshot(
        f"Taker lent, stating the least collateral the loan must hold (abi.encode(minCollateralHeld): "
        f"{token_a.format(collateral)} TKA): "
        f"its {LOAN_PRINCIPAL_UNITS} TKB went to the maker's account."
    )
    demo.withdraw("maker", (token_b, principal))
    chain.sleep(LOAN_TENOR + 1)
    chain.mine()
    demo.domain_of(parties.keeper).close_overdue_loan(loan_id)
    demo.snapshot(
        f"{LOAN_TENOR // ONE_DAY} days later, unpaid: a keeper (a third party) sent engagement_due; "
        f"the {token_a.format(collateral)} TKA collateral went to the lender (the taker)."
    )
    demo.withdraw("taker", (token_a, collateral))


def walk_margin_call(demo: DomainDemo, deployer, parties: DemoParties, token_a: DemoAsset, token_b: DemoAsset):
    """A loan with a maintenance ratio; the oracle's price falls; a keeper's margin_call defaults
    it and the collateral goes to the lender."""
    lender, borrower, keeper = (demo.domain_of(party) for party in (parties.maker, parties.taker, parties.keeper))
    deployment = demo.result.deployment
    note = set_demo_rate(deployment, deployer, token_a, token_b)
    principal = token_b.units(LOAN_PRINCIPAL_UNITS)
    collateral = demo_loan_collateral(lender, token_a, token_b)
    mint(demo, deployer, [("maker", token_b, MINTED_UNITS), ("taker", token_a, MINTED_UNITS)], note)
    demo.deposit("maker", (token_b, principal))
    demo.deposit("taker", (token_a, collateral))

    loan_id = create_demo_loan(lender, token_a, token_b, maintenance_ratio=MAINTENANCE_RATIO)
    place = demo.issued(loan_id)
    owed = lender.repayment_for(loan_id)
    maintenance = f"{MAINTENANCE_RATIO / 100:g}% of the {token_b.format(owed)} TKB owed"
    demo.snapshot(
        f"Maker offered loan #{loan_id}: {LOAN_PRINCIPAL_UNITS} TKB for {LOAN_TENOR // ONE_DAY} days at "
        f"{INTEREST_RATE / 100:g}%, collateral {COLLATERAL_RATIO / 100:g}% in TKA, maintenance ratio "
        f"{MAINTENANCE_RATIO / 100:g}%: should the collateral fall below {maintenance}, anyone may "
        f"margin call; the principal moved to {place}."
    )
    borrower.engage_loan(loan_id)
    demo.snapshot(
        f"Taker borrowed (at least {LOAN_PRINCIPAL_UNITS} TKB, at most {token_a.format(collateral)} TKA): "
        f"its {token_a.format(collateral)} TKA collateral is in {place}."
    )

    required = keeper.margin_requirement(loan_id)
    keeper.margin_call(loan_id)
    demo.snapshot(
        f"A keeper (a third party) sent margin_call: {maintenance} is {token_a.format(required)} TKA at this "
        f"price, the loan holds {token_a.format(collateral)} TKA: nothing changed."
    )
    note = set_demo_rate(deployment, deployer, token_a, token_b, FALLEN_TKA_PRICE_IN_TKB)
    required = keeper.margin_requirement(loan_id)
    worth = keeper.price_oracle().convert(token_a.address, token_b.address, collateral)
    demo.snapshot(
        f"{note.strip()} The {token_a.format(collateral)} TKA held are now worth {token_b.format(worth)} TKB, "
        f"less than {maintenance} ({token_a.format(required)} TKA at this price)."
    )
    receipt = keeper.margin_call(loan_id)
    (called,) = keeper.instrument.events.LoanMarginCalled().process_receipt(receipt, errors=DISCARD)
    demo.snapshot(
        f"The keeper sent margin_call again: the loan defaulted (LoanMarginCalled: held "
        f"{token_a.format(called.args.held)} TKA, required {token_a.format(called.args.required)} TKA) and its "
        f"collateral went to the lender (the maker); the taker keeps the {LOAN_PRINCIPAL_UNITS} TKB."
    )
    demo.withdraw("maker", (token_a, collateral))
    demo.withdraw("taker", (token_b, principal))


def walk_multiswap(demo: DomainDemo, deployer, parties: DemoParties, token_a: DemoAsset, token_b: DemoAsset):
    """Two takers fill part of a multi-swap; at due time the rest returns to the maker."""
    grants = [("maker", token_a, MINTED_UNITS), ("taker", token_b, MINTED_UNITS), ("taker 2", token_b, MINTED_UNITS)]
    mint(demo, deployer, grants)
    input_amount = token_a.units(MULTISWAP_INPUT_UNITS)
    demo.deposit("maker", (token_a, input_amount))
    for role, fill_units in MULTISWAP_FILLS_UNITS.items():
        demo.deposit(role, (token_b, token_b.units(fill_units)))

    min_fill, max_fill = (token_b.units(units) for units in MULTISWAP_FILL_LIMITS_UNITS)
    swap_id = demo.domain_of(parties.maker).create_multiswap(
        MultiSwapTerms(
            input_token=token_a.address,
            input_amount=input_amount,
            output_token=token_b.address,
            output_amount=token_b.units(MULTISWAP_OUTPUT_UNITS),
            duration=ONE_DAY,
            min_fill_output=min_fill,
            max_fill_output=max_fill,
        )
    )
    place = demo.issued(swap_id)
    demo.snapshot(
        f"Maker created multi-swap #{swap_id}: {MULTISWAP_INPUT_UNITS} TKA for {MULTISWAP_OUTPUT_UNITS} TKB, "
        f"fills of {MULTISWAP_FILL_LIMITS_UNITS[0]} to {MULTISWAP_FILL_LIMITS_UNITS[1]} TKB, one day; "
        f"the TKA moved to {place}."
    )
    for role, fill_units in MULTISWAP_FILLS_UNITS.items():
        taker = demo.domain_of(demo.roles[role])
        fill_output = token_b.units(fill_units)
        # The taker asks what its fill pays now, then states it as its minimum:
        # abi.encode(fillOutput, minInputReceived).
        quote = taker.quote_fill(swap_id, fill_output)
        filled = taker.fill_multiswap(swap_id, fill_output, min_input_received=quote)
        demo.snapshot(
            f"{role.capitalize()} filled {fill_units} TKB, stating the quoted {token_a.format(quote)} TKA as its "
            f"minimum, and received {token_a.format(filled.input_paid)} TKA."
        )
    chain.sleep(ONE_DAY)
    chain.mine()
    demo.domain_of(parties.keeper).close_multiswap(swap_id)
    remainder = demo.escrowed(parties.maker, token_a)
    demo.snapshot(
        f"A day later a keeper (a third party) sent issuance_due: the unfilled {token_a.format(remainder)} TKA "
        "went back to the maker."
    )
    filled_output = token_b.units(sum(MULTISWAP_FILLS_UNITS.values()))
    demo.withdraw("maker", (token_a, remainder), (token_b, filled_output))
    for role in MULTISWAP_FILLS_UNITS:
        demo.withdraw(role, (token_a, demo.escrowed(demo.roles[role], token_a)))


@dataclass(frozen=True)
class Walkthrough:
    """A walk-through: its instrument (a domain of the record), heading, roles (by DemoParties
    field), the snapshots it takes, the function that runs it, whether it tracks ETH besides the
    two tokens, and its tables' title (the instrument by default)."""

    instrument: str
    heading: str
    roles: dict[str, str]
    steps: int
    run: Callable
    with_eth: bool = False
    title: str = ""


WALKTHROUGHS = {
    "swap": Walkthrough(
        "Swap", "A swap, step by step", {"maker": "maker", "taker": "taker"}, 11, walk_swap, with_eth=True
    ),
    "lending": Walkthrough(
        "Lending",
        "Lending: the maker lends, the taker borrows and repays",
        {"maker": "maker", "taker": "taker"},
        8,
        walk_lending,
    ),
    "borrowing": Walkthrough(
        "Borrowing",
        "Borrowing: the maker borrows and defaults",
        {"maker": "maker", "taker": "taker"},
        8,
        walk_borrowing,
    ),
    "margincall": Walkthrough(
        "Lending",
        "Margin call: the price falls and a third party calls the loan",
        {"maker": "maker", "taker": "taker"},
        10,
        walk_margin_call,
        title="Lending margin call",
    ),
    "multiswap": Walkthrough(
        "MultiSwap",
        "MultiSwap: two takers fill part, the rest returns at due time",
        {"maker": "maker", "taker": "taker", "taker 2": "second_taker"},
        11,
        walk_multiswap,
    ),
}


def run_demo(
    parties: DemoParties,
    instruments: Sequence[str] | None = None,
    deployments_dir: Path = DEFAULT_DEPLOYMENTS_DIR,
    console: Console | None = None,
) -> DemoRun:
    """Deploys everything from `parties.deployer` and runs the walk-throughs named in
    `instruments` (keys of WALKTHROUGHS; all by default), in that order.

    The deployment record goes to `deployments_dir`. Returns every snapshot of every walk-through;
    at the end of each, nothing is left in any escrow of its domain.
    """
    names = list(instruments or WALKTHROUGHS)
    console = console or Console()
    deployment = deploy(
        parties.deployer,
        deployments_dir=deployments_dir,
        console=console,
        oracle=OracleChoice("admin", explicit=True),
        silent=True,
    )
    results = {}
    progress = step_progress(console)
    with progress:
        task = progress.add_task("[bold]Demo", total=sum(WALKTHROUGHS[name].steps for name in names))
        progress.console.print(INTRODUCTION)
        transactions = TransactionLog(progress.console, parties)
        w3 = client_connection()
        for name in names:
            walkthrough = WALKTHROUGHS[name]
            progress.console.rule(f"[bold]{walkthrough.heading}")
            token_a, token_b = deploy_demo_tokens(parties.deployer, silent=True)
            assets = [token_a, token_b, ETH] if walkthrough.with_eth else [token_a, token_b]
            roles = {role: getattr(parties, field_name) for role, field_name in walkthrough.roles.items()}
            demo = DomainDemo(
                walkthrough.instrument, deployment, roles, assets, transactions, w3, name, walkthrough.title
            )
            demo.on_snapshot = lambda: progress.advance(task)
            walkthrough.run(demo, parties.deployer, parties, token_a, token_b)
            demo.on_snapshot = None
            results[name] = demo.result
    return DemoRun(deployment, results)


def main(instrument: str | None = None):
    """Runs the demo on a local development chain with accounts[0] (deployer), [1] (maker), [2]
    (taker), [3] (second taker) and [4] (keeper): every walk-through, or the one `instrument`
    names (a key of WALKTHROUGHS: an instrument, or `margincall`)."""
    if not is_development_network():
        raise SystemExit("The demo mints tokens and spends gas: run it on a local network only.")
    if instrument is not None and instrument.lower() not in WALKTHROUGHS:
        raise SystemExit(
            f"Unknown walk-through '{instrument}': choose one of {', '.join(WALKTHROUGHS)}, or none for all."
        )
    parties = DemoParties(*accounts[:5])
    return run_demo(parties, instruments=[instrument.lower()] if instrument else None)
