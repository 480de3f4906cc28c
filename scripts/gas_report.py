"""Measure the gas of every user-facing operation from real receipts, beside the original's.

Run with `./run gas` (or `./run brownie run scripts/gas_report.py`). It deploys the system on the
local chain, performs each operation in the state a user meets it in, reads `gasUsed` from the
transaction receipts and writes `gas/report.md` and `gas/report.json`: each figure beside the
original NUTS Platform's (v2.5, London rules), the ratio, the target and, where a target is
missed, what the floor is; why each target is missed is explained in docs/gas.md, which links the
report. `./run gas update-snapshot` also rewrites `gas/snapshot.json`,
which the test suite compares against (tests/integration/test_gas_snapshot.py).

Each figure also stands beside the one measured before the settlement checks of issue 11 (taker
minimums, the manager's minimum-credit check, the escrow's overdraw check, the loans' price and
collateral checks): `gas/before-settlement-checks.json`, the snapshot as it was then, so that the
report shows what those checks cost per operation. Takers engage as the client does: stating a
minimum (the issuance escrow's holding for a swap, the quote for a fill, the principal and the
priced collateral for a loan).

Token operations use a plain OpenZeppelin 5 ERC20 (MockERC20) with an unlimited approval given
once. "first" is a user's first deposit of a token the escrow already holds.
"""

import json
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from brownie import (
    AdminPriceOracle,
    Borrowing,
    EscrowFactory,
    InstrumentEscrow,
    InstrumentManager,
    InstrumentRegistry,
    Lending,
    MockERC20,
    MultiSwap,
    Swap,
    accounts,
    chain,
)
from rich.console import Console
from rich.table import Table

from nuts_escrow import (
    CANCEL_ISSUANCE,
    ISSUANCE_DUE,
    MARGIN_CALL,
    REPAY_FULL,
    BorrowingTakerTerms,
    LendingTakerTerms,
    LoanTerms,
    MultiSwapFillTerms,
    MultiSwapTerms,
    SwapTakerTerms,
    SwapTerms,
)
from scripts.gas_floor import COLD_ACCOUNT, Floor, floor_of

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GAS_DIR = PROJECT_ROOT / "gas"
SNAPSHOT_FILE = GAS_DIR / "snapshot.json"
BEFORE_CHECKS_FILE = GAS_DIR / "before-settlement-checks.json"
MAX_UINT = 2**256 - 1
ONE_DAY = 24 * 60 * 60


@dataclass(frozen=True)
class Operation:
    """A measured operation: its key, what it is, the original's figure and the target."""

    key: str
    label: str
    original: int | None
    target: int


OPERATIONS = [
    Operation("activate", "activate an instrument domain (manager + instrument escrow)", 1_858_843, 250_000),
    Operation("deposit_token_first", "Instrument Escrow `depositToken`, first", 94_284, 70_000),
    Operation("deposit_token_repeat", "Instrument Escrow `depositToken`, repeat", 60_084, 50_000),
    Operation("deposit_eth_first", "Instrument Escrow `deposit` ETH, first", 87_562, 47_000),
    Operation("withdraw_eth", "Instrument Escrow `withdraw` ETH (part of the balance)", 62_029, 38_000),
    Operation("withdraw_token", "Instrument Escrow `withdrawToken` (part of the balance)", 52_892, 45_000),
    Operation(
        "swap_create_first",
        "Swap create issuance, a domain's first (issuance escrow + input moved in)",
        1_287_958,
        200_000,
    ),
    Operation("swap_create", "Swap create issuance, later ones (issuance escrow + input moved in)", 1_287_958, 200_000),
    Operation("swap_engage", "Swap engage", 457_063, 120_000),
    Operation("swap_cancel", "Swap cancel", None, 80_000),
    Operation("swap_close_due", "Swap close at due", None, 80_000),
    Operation("issuance_escrow_create", "create one Issuance Escrow through the factory, alone", None, 70_000),
    # Lending and Borrowing (issue 6): a fifth of the original Lending's figures; the original had
    # no separate Borrowing figures, and its mirror is held to the same targets.
    Operation("lending_create", "Lending create issuance (issuance escrow + principal moved in)", 1_371_634, 274_327),
    Operation("lending_engage", "Lending engage (collateral priced and moved in, principal out)", 1_137_332, 227_466),
    Operation("lending_repay", "Lending repay (principal + interest paid, collateral back)", 318_921, 63_784),
    Operation("lending_cancel", "Lending cancel (principal back)", None, 80_000),
    Operation("borrowing_create", "Borrowing create issuance (collateral priced and moved in)", None, 274_327),
    Operation("borrowing_engage", "Borrowing engage (principal paid to the maker)", None, 227_466),
    Operation("borrowing_repay", "Borrowing repay (principal + interest paid, collateral back)", None, 63_784),
    # MultiSwap (issue 6): no original figures; held to the Swap's targets.
    Operation("multiswap_create", "MultiSwap create issuance (issuance escrow + input moved in)", None, 200_000),
    Operation("multiswap_fill_first", "MultiSwap first fill (records the basis)", None, 120_000),
    Operation("multiswap_fill", "MultiSwap later fill", None, 120_000),
    Operation("multiswap_fill_last", "MultiSwap last fill (completes; the rest back to the maker)", None, 120_000),
    Operation("multiswap_cancel", "MultiSwap cancel after a fill (the rest back)", None, 80_000),
    # Margin call (issue 11): one transfer, like a cancel, plus the oracle and the collateral held.
    Operation("lending_margin_call", "Lending margin call (collateral priced, to the lender)", None, 80_000),
]

# Why a target is missed is explained beside the report, in docs/gas.md: one `- **label**:` note
# per operation whose target is missed.
NOTES_PAGE = PROJECT_ROOT / "docs" / "gas.md"


def measure(deployer, provider, maker, taker, earlier_user, floors: dict | None = None) -> dict[str, int]:
    """Deploys a fresh system and returns `gasUsed` of each operation in `OPERATIONS`; with `floors`,
    also fills it with each operation's floor (scripts/gas_floor.py)."""
    gas = {}

    def record(key, tx):
        gas[key] = tx.gas_used
        if floors is not None:
            floors[key] = floor_of(tx)

    factory = EscrowFactory.deploy({"from": deployer})
    registry = InstrumentRegistry.deploy(factory, {"from": deployer})
    swap = Swap.deploy({"from": deployer})
    offered = MockERC20.deploy("Offered", "OFR", 18, {"from": deployer})
    asked = MockERC20.deploy("Asked", "ASK", 18, {"from": deployer})

    tx = registry.activateInstrument(swap, {"from": provider})
    record("activate", tx)
    _, manager_address, escrow_address = tx.return_value
    manager = InstrumentManager.at(manager_address)
    escrow = InstrumentEscrow.at(escrow_address)

    for user in (maker, taker, earlier_user):
        for token in (offered, asked):
            token.mint(user, 10**30, {"from": deployer})
            token.approve(escrow, MAX_UINT, {"from": user})
    # The escrow already holds both tokens and ETH: users meet it after others have deposited.
    for token in (offered, asked):
        escrow.depositToken(token, 10**18, {"from": earlier_user})
    escrow.deposit({"from": earlier_user, "value": 10**18})

    record("deposit_token_first", escrow.depositToken(offered, 10**21, {"from": maker}))
    record("deposit_token_repeat", escrow.depositToken(offered, 10**21, {"from": maker}))
    record("deposit_eth_first", escrow.deposit({"from": maker, "value": 10**19}))
    record("withdraw_eth", escrow.withdraw(10**18, {"from": maker}))
    record("withdraw_token", escrow.withdrawToken(offered, 10**18, {"from": maker}))
    escrow.depositToken(asked, 10**21, {"from": taker})

    terms = SwapTerms(
        duration=ONE_DAY,
        input_token=offered.address,
        output_token=asked.address,
        input_amount=10**20,
        output_amount=2 * 10**20,
    ).encode()
    record("swap_create_first", manager.createIssuance(terms, {"from": maker}))
    record(
        "swap_engage", manager.engageIssuance(1, SwapTakerTerms(min_input_received=10**20).encode(), {"from": taker})
    )
    record("swap_create", manager.createIssuance(terms, {"from": maker}))
    record("swap_cancel", manager.processEvent(2, 0, CANCEL_ISSUANCE, b"", {"from": maker}))
    manager.createIssuance(terms, {"from": maker})
    chain.sleep(ONE_DAY + 1)
    chain.mine()
    record("swap_close_due", manager.processEvent(3, 0, ISSUANCE_DUE, b"", {"from": taker}))

    salt = (42).to_bytes(32, "big")
    record("issuance_escrow_create", factory.createIssuanceEscrow(salt, {"from": earlier_user}))

    _measure_loans(record, deployer, provider, maker, taker, registry, offered, asked)
    _measure_multiswap(record, deployer, provider, maker, (taker, earlier_user), registry, offered, asked)
    return gas


def _measure_loans(record, deployer, provider, maker, taker, registry, principal, collateral):
    """Lending and Borrowing, each in its own domain whose users hold both tokens already; the
    measured loan is a domain's second (the first pays for the issuance counter's slot). Takers
    state their bounds as the client does: the borrower the principal and the priced collateral
    (3 * 10**20 at 2 collateral per principal and 150%), the lender the collateral held."""
    lending_manager = None
    oracle = AdminPriceOracle.deploy(deployer, {"from": deployer})
    oracle.setRate(principal, collateral, 2, 1, {"from": deployer})
    loan = LoanTerms(
        duration=ONE_DAY,
        principal_token=principal.address,
        principal_amount=10**20,
        collateral_token=collateral.address,
        collateral_ratio=15_000,
        tenor=30 * ONE_DAY,
        interest_rate=500,
    )
    terms = loan.encode()
    borrowers_bounds = LendingTakerTerms(min_principal_received=10**20, max_collateral=3 * 10**20).encode()
    taker_bounds = {
        "lending": borrowers_bounds,
        "borrowing": BorrowingTakerTerms(min_collateral_held=3 * 10**20).encode(),
    }
    for instrument_type, name in ((Lending, "lending"), (Borrowing, "borrowing")):
        instrument = instrument_type.deploy(oracle, {"from": deployer})
        _, manager_address, escrow_address = registry.activateInstrument(instrument, {"from": provider}).return_value
        manager, escrow = InstrumentManager.at(manager_address), InstrumentEscrow.at(escrow_address)
        for user in (maker, taker):
            for token in (principal, collateral):
                token.approve(escrow, MAX_UINT, {"from": user})
                escrow.depositToken(token, 10**24, {"from": user})
        manager.createIssuance(terms, {"from": maker})
        record(f"{name}_create", manager.createIssuance(terms, {"from": maker}))
        record(f"{name}_engage", manager.engageIssuance(2, taker_bounds[name], {"from": taker}))
        borrower = taker if instrument.makerIsLender() else maker
        record(f"{name}_repay", manager.processEvent(2, 1, REPAY_FULL, b"", {"from": borrower}))
        if name == "lending":
            record("lending_cancel", manager.processEvent(1, 0, CANCEL_ISSUANCE, b"", {"from": maker}))
            lending_manager = manager
    # Last: it moves the oracle's rate.
    margin_callable = replace(loan, maintenance_ratio=12_000)
    _measure_margin_call(record, deployer, maker, taker, lending_manager, oracle, margin_callable, borrowers_bounds)


def _measure_margin_call(record, deployer, maker, taker, manager, oracle, loan, borrowers_bounds):
    """A Lending `loan` with a 120% maintenance ratio, engaged at 2 collateral per principal; the
    rate halves, and a keeper's margin call sends the collateral to the lender."""
    issuance_id = manager.createIssuance(loan.encode(), {"from": maker}).return_value
    manager.engageIssuance(issuance_id, borrowers_bounds, {"from": taker})
    oracle.setRate(loan.principal_token, loan.collateral_token, 1, 1, {"from": deployer})
    record("lending_margin_call", manager.processEvent(issuance_id, 1, MARGIN_CALL, b"", {"from": deployer}))


def _measure_multiswap(record, deployer, provider, maker, takers, registry, offered, asked):
    """MultiSwap in its own domain whose users hold both tokens; the measured issuance is the
    domain's second. 100 offered for 300 asked, filled 100 + 100 + 100 by two takers."""
    multiswap = MultiSwap.deploy({"from": deployer})
    _, manager_address, escrow_address = registry.activateInstrument(multiswap, {"from": provider}).return_value
    manager, escrow = InstrumentManager.at(manager_address), InstrumentEscrow.at(escrow_address)
    for user in (maker, *takers):
        for token in (offered, asked):
            token.approve(escrow, MAX_UINT, {"from": user})
            escrow.depositToken(token, 10**24, {"from": user})
    terms = MultiSwapTerms(
        duration=ONE_DAY,
        input_token=offered.address,
        output_token=asked.address,
        input_amount=10**20,
        output_amount=3 * 10**20,
        min_fill_output=10**19,
        max_fill_output=3 * 10**20,
    ).encode()
    manager.createIssuance(terms, {"from": maker})
    record("multiswap_create", manager.createIssuance(terms, {"from": maker}))
    first, second = takers
    # Each fill of 100 asked is quoted a third of the 100 offered, and states that as its minimum.
    fill = MultiSwapFillTerms(fill_output=10**20, min_input_received=10**20 // 3).encode()
    record("multiswap_fill_first", manager.engageIssuance(2, fill, {"from": first}))
    record("multiswap_fill", manager.engageIssuance(2, fill, {"from": second}))
    record("multiswap_fill_last", manager.engageIssuance(2, fill, {"from": first}))
    manager.engageIssuance(1, MultiSwapFillTerms(fill_output=10**20).encode(), {"from": first})
    record("multiswap_cancel", manager.processEvent(1, 0, CANCEL_ISSUANCE, b"", {"from": maker}))


def _floor_text(floor: Floor) -> str:
    parts = [f"intrinsic {floor.intrinsic:,}"]
    if floor.accounts:
        parts.append(f"{floor.accounts // COLD_ACCOUNT} cold accounts {floor.accounts:,}")
    for name in ("storage", "creation", "eth_calls", "logs"):
        if getattr(floor, name):
            parts.append(f"{name.replace('_', ' ')} {getattr(floor, name):,}")
    text = " + ".join(parts)
    return f"{text} - refunds {floor.refund:,}" if floor.refund else text


def _note(operation: Operation, measured: int, floor: Floor, explained: set[str]) -> str:
    """For a missed target: the measured floor, what is spent above it, and whether docs/gas.md
    says why."""
    if measured <= operation.target:
        return ""
    why = "why: docs/gas.md" if operation.label in explained else "not explained in docs/gas.md yet"
    return f"floor {floor.total:,} ({_floor_text(floor)}), {measured - floor.total:,} above it; {why}"


def explained_labels(notes_page: Path = NOTES_PAGE) -> set[str]:
    """The operations whose missed target docs/gas.md explains: the labels of its `- **label**:` notes."""
    return set(re.findall(r"^- \*\*(.+?)\*\*:", notes_page.read_text(), flags=re.MULTILINE))


def report_rows(gas: dict[str, int], floors: dict[str, Floor]) -> list[dict]:
    """One row per operation: figures, the figure before the settlement checks, ratio to the
    original, target, floor and verdict."""
    before = json.loads(BEFORE_CHECKS_FILE.read_text())
    explained = explained_labels()
    rows = []
    for operation in OPERATIONS:
        measured = gas[operation.key]
        floor = floors[operation.key]
        ratio = None if operation.original is None else operation.original / measured
        rows.append(
            {
                **asdict(operation),
                "gas": measured,
                "before_checks": before.get(operation.key),
                "ratio": None if ratio is None else round(ratio, 2),
                "met": measured <= operation.target,
                "floor": floor.total,
                "floor_parts": floor.as_dict(),
                "note": _note(operation, measured, floor, explained),
            }
        )
    return rows


def markdown_table(rows: list[dict]) -> str:
    """The report as Markdown: the table, then each missed target's floor (gas/report.md; docs/gas.md
    links it and says why each target is missed)."""
    lines = [
        "| operation | original | this project | before settlement checks | checks cost | original / this "
        "| target | met | floor |",
        "|---|---:|---:|---:|---:|---:|---:|:---:|---:|",
    ]
    for row in rows:
        original = "-" if row["original"] is None else f"{row['original']:,}"
        ratio = "-" if row["ratio"] is None else f"{row['ratio']:.1f}x"
        met = "yes" if row["met"] else ("no, see below" if row["note"] else "no")
        target, floor = f"<= {row['target']:,}", f"{row['floor']:,}"
        before, cost = _before_checks(row)
        figures = f"{row['gas']:,} | {before} | {cost} | {ratio} | {target} | {met} | {floor}"
        lines.append(f"| {row['label']} | {original} | {figures} |")
    notes = [f"- **{row['label']}**: {row['note']}" for row in rows if not row["met"] and row["note"]]
    if notes:
        why = "[docs/gas.md](../docs/gas.md#why-a-target-is-missed)"
        lines += ["", f"Targets missed and the floor (why: {why}):", *notes]
    return "\n".join(lines) + "\n"


def _before_checks(row: dict) -> tuple[str, str]:
    """The figure before the settlement checks and what they cost (a new operation has neither)."""
    if row["before_checks"] is None:
        return "-", "new"
    return f"{row['before_checks']:,}", f"{row['gas'] - row['before_checks']:+,}"


def rich_table(rows: list[dict]) -> Table:
    """The report as a rich table for the terminal."""
    table = Table(title="Gas per operation (gasUsed from receipts)")
    for column, justify in [
        ("operation", "left"),
        ("original", "right"),
        ("this project", "right"),
        ("before checks", "right"),
        ("checks cost", "right"),
        ("ratio", "right"),
        ("target", "right"),
        ("met", "center"),
        ("floor", "right"),
    ]:
        table.add_column(column, justify=justify)
    for row in rows:
        table.add_row(
            row["label"],
            "-" if row["original"] is None else f"{row['original']:,}",
            f"{row['gas']:,}",
            *_before_checks(row),
            "-" if row["ratio"] is None else f"{row['ratio']:.1f}x",
            f"<= {row['target']:,}",
            "[green]yes" if row["met"] else "[red]no",
            f"{row['floor']:,}",
        )
    return table


def write_report(rows: list[dict], gas_dir: Path = GAS_DIR) -> None:
    """Writes gas/report.md and gas/report.json."""
    gas_dir.mkdir(parents=True, exist_ok=True)
    (gas_dir / "report.md").write_text(markdown_table(rows))
    (gas_dir / "report.json").write_text(json.dumps(rows, indent=2) + "\n")


def write_snapshot(gas: dict[str, int], path: Path = SNAPSHOT_FILE) -> None:
    """Rewrites the snapshot that the test suite holds the figures to."""
    path.write_text(json.dumps(dict(sorted(gas.items())), indent=2) + "\n")


def main(*args):
    """Measures, prints and writes the report; the argument `update-snapshot` also rewrites the snapshot."""
    console = Console()
    with console.status("Deploying and measuring every operation..."):
        floors = {}
        gas = measure(accounts[0], accounts[1], accounts[2], accounts[3], accounts[4], floors)
    rows = report_rows(gas, floors)
    console.print(rich_table(rows))
    write_report(rows)
    console.print(f"Written: {GAS_DIR / 'report.md'}, {GAS_DIR / 'report.json'}")
    if "update-snapshot" in args:
        write_snapshot(gas)
        console.print(f"Snapshot updated: {SNAPSHOT_FILE}")
