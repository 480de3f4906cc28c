"""Measure the gas of every user-facing operation from real receipts, beside the original's.

Run with `./run gas` (or `./run brownie run scripts/gas_report.py`). It deploys the system on the
local chain, performs each operation in the state a user meets it in, reads `gasUsed` from the
transaction receipts and writes `gas/report.md` and `gas/report.json`: each figure beside the
original NUTS Platform's (v2.5, London rules), the ratio, the target and, where a target is
missed, why and what the floor is. `./run gas update-snapshot` also rewrites `gas/snapshot.json`,
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
from dataclasses import asdict, dataclass
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
    borrowing_take,
    lending_take,
    loan_terms,
    multiswap_fill,
    multiswap_terms,
    swap_take,
    swap_terms,
)
from scripts.gas_floor import COLD_ACCOUNT, Floor, floor_of
from scripts.readme_tables import update_readme

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

# Why a target is missed. The report puts each beside the measured floor (scripts/gas_floor.py: the
# EVM's charges for the accounts, storage, creation and logs the transaction touches) and what the
# operation spends above it. "over" below is that difference as measured when this was written.
MISSED_TARGET_NOTES: dict[str, str] = {
    "deposit_token_repeat": (
        "the floor is under the target; the ~5,200 over it are computation: the token's own transferFrom, "
        "the two balanceOf calls of the kept balance-delta crediting (~1,400), the reentrancy guard (~300), "
        "the clone forwarding the call and the escrow's checks. Meeting 50,000 would mean dropping the "
        "balance-delta crediting, which stays."
    ),
    "deposit_eth_first": (
        "the floor itself is above the target. 2,600 of it is the cold DELEGATECALL into the implementation "
        "behind the escrow clone: the price of activating a domain for 231k gas, where deploying a full "
        "Instrument Escrow (6,930 bytes of code, about 1.4M gas) would miss that target by far."
    ),
    "withdraw_eth": (
        "~1,700 over a floor of its own just under the target: the reentrancy guard (~300), the clone "
        "forwarding the call, the checks and the value call's return handling. Without the clone's 2,600 "
        "(see deposit ETH) it would be under the target."
    ),
    "withdraw_token": (
        "the floor is above the target, for the clone's cold DELEGATECALL (2,600, see deposit ETH); above "
        "the floor ~5,000 of computation: the token's own transfer, SafeERC20's return check, the guard, and "
        "the two balanceOf calls around the transfer that refuse a token taking more than it sends (~2,000)."
    ),
    "swap_create_first": (
        "as later creations, plus 17,100: the domain's issuance counter goes from zero to one (a new slot)."
    ),
    "swap_create": (
        "the floor is above the target. Its storage is 5 new slots of swap terms (110,500: maker, due time "
        "and state; input token; output token; both amounts at full uint256 width, since amounts up to "
        "2**256 - 1 must go through) and 2 new slots for the input in the issuance escrow (44,200: its "
        "ledger entry and its token balance); its creation is the issuance escrow clone (CREATE2 32,000 + "
        "65 bytes of code). 200,000 would need the terms in at most two slots, the rest kept only as a "
        "hash that every later call passes back in full: on-chain readable terms (getIssuance) traded for "
        "gas; not done. Above the floor ~27,000 of computation across nine calls and four clone forwards "
        "(manager, factory, swap, both escrows, the manager's callback, the token's transfer and balances)."
    ),
    "swap_engage": (
        "the floor is above the target: two new ledger entries in the Instrument Escrow (44,200: the "
        "maker's output and the taker's input), seven cold accounts (manager and escrows with their "
        "implementations, swap, token) and eight events. Above the floor ~29,600 of computation across "
        "ten calls and six clone forwards: manager to swap, to both escrows through their clones, the "
        "whole-balance read, the receiving escrow's balance measuring around the manager's callback, the "
        "sending escrow's around its transfer (~2,000), the token."
    ),
    "swap_cancel": (
        "the floor is under the target; the ~24,400 over it are computation across nine calls and five "
        "clone forwards (dispatch, ABI coding, checks): manager, swap, the whole-balance read, the "
        "Instrument Escrow measuring what arrives around the manager's callback to the issuance escrow, "
        "the issuance escrow measuring what leaves around its transfer (~2,000), and the token. About "
        "3,000 of it is the manager decoding its clone configuration and computing both escrow addresses, "
        "which precomputed clone arguments could partly save; 80,000 would need the move without the "
        "callback and the balance measuring, the protections against hook and fee-on-top tokens, which stay."
    ),
    "swap_close_due": "as cancel: the same transfers and calls.",
    "lending_create": (
        "the floor is under the target; its storage is five slots of loan terms (110,500) and the principal's "
        "two new slots in the issuance escrow (44,200). The ~29,000 above it are decoding and checking seven "
        "terms against the domain's bounds and the same call chain as a swap's creation; not trimmed yet."
    ),
    "lending_repay": (
        "the floor is above the target: the repayment updates the lender's and the borrower's Instrument "
        "Escrow entries, the collateral's way back updates four ledger and token-balance slots and the loan's "
        "state, through seven cold accounts with eight events. The original's repay moved no collateral between "
        "two escrows; this one keeps the collateral out of reach of anything but its own issuance."
    ),
    "lending_cancel": "as the swap's cancel: the same transfers and calls.",
    "borrowing_create": (
        "the floor is under the target; above it ~32,000 of computation: the oracle's rate (the maker's "
        "collateral is priced now), the terms' checks and the creation's call chain; not trimmed yet."
    ),
    "borrowing_repay": "as Lending's repay: the same transfers.",
    "multiswap_create": (
        "the floor is above the target: the MultiSwap keeps nine slots per issuance (terms, minimum and "
        "maximum fill, remaining output, basis and fill count) where the Swap keeps five. Not storing the "
        "input amount once the basis is recorded would save ~20,000; not done."
    ),
    "multiswap_fill_first": (
        "the floor is above the target: the first fill records the basis (a new slot) besides the two new "
        "ledger entries a fill needs (the maker's output, the taker's input)."
    ),
    "multiswap_fill": (
        "the floor is under the target; the ~29,000 above it are the fill's checks and pro-rata arithmetic "
        "(mulDiv) and the call chain of its two transfers."
    ),
    "multiswap_fill_last": (
        "the floor is under the target; the completing fill also returns the rounding remainder to the "
        "maker (a whole-balance read and a third transfer), ~47,500 of computation in all."
    ),
    "multiswap_cancel": "as the swap's cancel: the same transfers and calls.",
}


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

    terms = swap_terms(ONE_DAY, offered.address, asked.address, 10**20, 2 * 10**20)
    record("swap_create_first", manager.createIssuance(terms, {"from": maker}))
    record("swap_engage", manager.engageIssuance(1, swap_take(10**20), {"from": taker}))
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
    terms = loan_terms(ONE_DAY, principal.address, 10**20, collateral.address, 15_000, 30 * ONE_DAY, 500)
    taker_bounds = {"lending": lending_take(10**20, 3 * 10**20), "borrowing": borrowing_take(3 * 10**20)}
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
    _measure_margin_call(record, deployer, maker, taker, lending_manager, oracle, principal, collateral)


def _measure_margin_call(record, deployer, maker, taker, manager, oracle, principal, collateral):
    """A Lending loan with a 120% maintenance ratio, engaged at 2 collateral per principal; the
    rate halves, and a keeper's margin call sends the collateral to the lender."""
    terms = loan_terms(
        ONE_DAY, principal.address, 10**20, collateral.address, 15_000, 30 * ONE_DAY, 500, maintenance_ratio=12_000
    )
    issuance_id = manager.createIssuance(terms, {"from": maker}).return_value
    manager.engageIssuance(issuance_id, lending_take(10**20, 3 * 10**20), {"from": taker})
    oracle.setRate(principal, collateral, 1, 1, {"from": deployer})
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
    terms = multiswap_terms(ONE_DAY, offered.address, asked.address, 10**20, 3 * 10**20, 10**19, 3 * 10**20)
    manager.createIssuance(terms, {"from": maker})
    record("multiswap_create", manager.createIssuance(terms, {"from": maker}))
    first, second = takers
    # Each fill of 100 asked is quoted a third of the 100 offered, and states that as its minimum.
    fill = multiswap_fill(10**20, 10**20 // 3)
    record("multiswap_fill_first", manager.engageIssuance(2, fill, {"from": first}))
    record("multiswap_fill", manager.engageIssuance(2, fill, {"from": second}))
    record("multiswap_fill_last", manager.engageIssuance(2, fill, {"from": first}))
    manager.engageIssuance(1, multiswap_fill(10**20), {"from": first})
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


def _note(operation: Operation, measured: int, floor: Floor) -> str:
    """For a missed target: the measured floor, what is spent above it, and why."""
    if measured <= operation.target:
        return ""
    why = MISSED_TARGET_NOTES.get(operation.key, "not explained yet.")
    return f"floor {floor.total:,} ({_floor_text(floor)}), {measured - floor.total:,} above it; {why}"


def report_rows(gas: dict[str, int], floors: dict[str, Floor]) -> list[dict]:
    """One row per operation: figures, the figure before the settlement checks, ratio to the
    original, target, floor and verdict."""
    before = json.loads(BEFORE_CHECKS_FILE.read_text())
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
                "note": _note(operation, measured, floor),
            }
        )
    return rows


def markdown_table(rows: list[dict]) -> str:
    """The report as a Markdown table (the README shows it)."""
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
        lines += ["", "Targets missed, why, and the floor:", *notes]
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
    if update_readme("gas-report", markdown_table(rows)):
        console.print("README.md gas table updated")
    if "update-snapshot" in args:
        write_snapshot(gas)
        console.print(f"Snapshot updated: {SNAPSHOT_FILE}")
