"""Measure the gas of every user-facing operation from real receipts, beside the original's.

Run with `./run gas` (or `./run brownie run scripts/gas_report.py`). It deploys the system on the
local chain, performs each operation in the state a user meets it in, reads `gasUsed` from the
transaction receipts and writes `gas/report.md` and `gas/report.json`: each figure beside the
original NUTS Platform's (v2.5, London rules), the ratio, the target and, where a target is
missed, why and what the floor is. `./run gas update-snapshot` also rewrites `gas/snapshot.json`,
which the test suite compares against (tests/integration/test_gas_snapshot.py).

Token operations use a plain OpenZeppelin 5 ERC20 (MockERC20) with an unlimited approval given
once. "first" is a user's first deposit of a token the escrow already holds.
"""

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from brownie import (
    EscrowFactory,
    InstrumentEscrow,
    InstrumentManager,
    InstrumentRegistry,
    MockERC20,
    Swap,
    accounts,
    chain,
)
from rich.console import Console
from rich.table import Table

from nuts_escrow import event_name, swap_terms

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GAS_DIR = PROJECT_ROOT / "gas"
SNAPSHOT_FILE = GAS_DIR / "snapshot.json"
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
    Operation("swap_create", "Swap create issuance (issuance escrow + input moved in)", 1_287_958, 200_000),
    Operation("swap_engage", "Swap engage", 457_063, 120_000),
    Operation("swap_cancel", "Swap cancel", None, 80_000),
    Operation("swap_close_due", "Swap close at due", None, 80_000),
    Operation("issuance_escrow_create", "create one Issuance Escrow through the factory, alone", None, 70_000),
]

# Why a target is missed, and the floor: the sum of the EVM costs the operation cannot avoid in
# this architecture (21,000 intrinsic; 2,600 per cold account, which includes the implementation
# behind every clone; 22,100 per new storage slot, 5,000 per updated one; ~1,750-2,650 per event).
# Worked out from call traces (debug_traceTransaction with callTracer) of these transactions.
MISSED_TARGET_NOTES: dict[str, str] = {
    "deposit_token_repeat": (
        "floor ~46,800 (21,000 + 2,600 clone implementation + 2,600 token + 3 x 5,000 for the ledger entry and "
        "both token balances + 2,100 allowance read + two events 3,500); the other ~5,800 are the kept "
        "balance-delta crediting (two balanceOf calls, ~1,400), the reentrancy guard (~300) and Solidity "
        "dispatch and checks, not yet trimmed."
    ),
    "deposit_eth_first": (
        "floor 47,456 (21,000 + 2,600 cold DELEGATECALL into the clone's implementation + 22,100 new ledger "
        "entry + 1,756 event) is above the target: the clone that makes a domain cost 231k instead of 1.86M "
        "costs every escrow call 2,600."
    ),
    "withdraw_eth": (
        "floor ~37,900 (21,000 + 2,600 clone implementation + 5,000 ledger + 6,700 value call + 2,000 event + "
        "calldata); ~1,300 of guard, checks and dispatch remain."
    ),
    "withdraw_token": (
        "floor ~45,300 (21,000 + 2,600 clone implementation + 2,600 token + 3 x 5,000 ledger and both token "
        "balances + two events 3,800) is above the target, for the clone's 2,600."
    ),
    "swap_create": (
        "floor ~250,000 in this design: 21,000 + issuance escrow clone 45,000 (CREATE2 32,000 + code 13,000) + "
        "swap terms 5 new slots 110,500 (maker/due/state, input token, output token, both amounts at full "
        "uint256 width) + the input's move with two new slots in the issuance escrow 44,200 + cold accesses "
        "and events ~30,000. Reaching 200,000 needs fewer swap slots: deriving the input amount from the "
        "issuance escrow (-22,100) and packing amounts below 2**96 (-44,200, a limit on amounts); not done yet."
    ),
    "swap_engage": (
        "floor ~118,000: 21,000 + 44,200 for the two new ledger entries (maker's output, taker's input) + "
        "~20,000 of other storage updates + ~20,800 cold accesses (manager, swap, both escrows and their "
        "implementations, token) + ~12,000 events; the other ~35,000 are the swap reading the issuance "
        "escrow through the manager (~8,500), the manager decoding its clone configuration and computing "
        "escrow addresses, and ABI-encoding the transfer list; not yet trimmed."
    ),
    "swap_cancel": (
        "floor ~74,600 (21,000 + 8 cold accesses 20,800 + storage updates ~30,000 - 9,600 refunds for the "
        "emptied slots + six events ~11,800); the other ~21,000 are the same manager and swap overheads as "
        "engage, not yet trimmed."
    ),
    "swap_close_due": "as cancel: floor ~74,600; the other ~21,000 are manager and swap overheads not yet trimmed.",
}


def measure(deployer, provider, maker, taker, earlier_user) -> dict[str, int]:
    """Deploys a fresh system and returns `gasUsed` of each operation in `OPERATIONS`."""
    gas = {}
    factory = EscrowFactory.deploy({"from": deployer})
    registry = InstrumentRegistry.deploy(factory, {"from": deployer})
    swap = Swap.deploy({"from": deployer})
    offered = MockERC20.deploy("Offered", "OFR", 18, {"from": deployer})
    asked = MockERC20.deploy("Asked", "ASK", 18, {"from": deployer})

    tx = registry.activateInstrument(swap, {"from": provider})
    gas["activate"] = tx.gas_used
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

    gas["deposit_token_first"] = escrow.depositToken(offered, 10**21, {"from": maker}).gas_used
    gas["deposit_token_repeat"] = escrow.depositToken(offered, 10**21, {"from": maker}).gas_used
    gas["deposit_eth_first"] = escrow.deposit({"from": maker, "value": 10**19}).gas_used
    gas["withdraw_eth"] = escrow.withdraw(10**18, {"from": maker}).gas_used
    gas["withdraw_token"] = escrow.withdrawToken(offered, 10**18, {"from": maker}).gas_used
    escrow.depositToken(asked, 10**21, {"from": taker})

    terms = swap_terms(ONE_DAY, offered.address, asked.address, 10**20, 2 * 10**20)
    gas["swap_create"] = manager.createIssuance(terms, {"from": maker}).gas_used
    gas["swap_engage"] = manager.engageIssuance(1, b"", {"from": taker}).gas_used
    manager.createIssuance(terms, {"from": maker})
    gas["swap_cancel"] = manager.processEvent(2, 0, event_name("cancel_issuance"), b"", {"from": maker}).gas_used
    manager.createIssuance(terms, {"from": maker})
    chain.sleep(ONE_DAY + 1)
    chain.mine()
    gas["swap_close_due"] = manager.processEvent(3, 0, event_name("issuance_due"), b"", {"from": taker}).gas_used

    salt = (42).to_bytes(32, "big")
    gas["issuance_escrow_create"] = factory.createIssuanceEscrow(salt, {"from": earlier_user}).gas_used
    return gas


def report_rows(gas: dict[str, int]) -> list[dict]:
    """One row per operation: figures, ratio to the original, target and verdict."""
    rows = []
    for operation in OPERATIONS:
        measured = gas[operation.key]
        ratio = None if operation.original is None else operation.original / measured
        rows.append(
            {
                **asdict(operation),
                "gas": measured,
                "ratio": None if ratio is None else round(ratio, 2),
                "met": measured <= operation.target,
                "note": MISSED_TARGET_NOTES.get(operation.key, ""),
            }
        )
    return rows


def markdown_table(rows: list[dict]) -> str:
    """The report as a Markdown table (the README shows it)."""
    lines = [
        "| operation | original | this project | original / this | target | met |",
        "|---|---:|---:|---:|---:|:---:|",
    ]
    for row in rows:
        original = "-" if row["original"] is None else f"{row['original']:,}"
        ratio = "-" if row["ratio"] is None else f"{row['ratio']:.1f}x"
        met = "yes" if row["met"] else ("no, see below" if row["note"] else "no")
        lines.append(f"| {row['label']} | {original} | {row['gas']:,} | {ratio} | <= {row['target']:,} | {met} |")
    notes = [f"- **{row['label']}**: {row['note']}" for row in rows if not row["met"] and row["note"]]
    if notes:
        lines += ["", "Targets missed, why, and the floor:", *notes]
    return "\n".join(lines) + "\n"


def rich_table(rows: list[dict]) -> Table:
    """The report as a rich table for the terminal."""
    table = Table(title="Gas per operation (gasUsed from receipts)")
    for column, justify in [
        ("operation", "left"),
        ("original", "right"),
        ("this project", "right"),
        ("ratio", "right"),
        ("target", "right"),
        ("met", "center"),
    ]:
        table.add_column(column, justify=justify)
    for row in rows:
        table.add_row(
            row["label"],
            "-" if row["original"] is None else f"{row['original']:,}",
            f"{row['gas']:,}",
            "-" if row["ratio"] is None else f"{row['ratio']:.1f}x",
            f"<= {row['target']:,}",
            "[green]yes" if row["met"] else "[red]no",
        )
    return table


def write_report(rows: list[dict], gas_dir: Path = GAS_DIR) -> None:
    """Writes gas/report.md and gas/report.json."""
    gas_dir.mkdir(parents=True, exist_ok=True)
    (gas_dir / "report.md").write_text(markdown_table(rows))
    (gas_dir / "report.json").write_text(json.dumps(rows, indent=2) + "\n")


def update_readme(table: str, readme: Path = PROJECT_ROOT / "README.md") -> bool:
    """Replaces the table between the README's gas-report markers; False if they are missing."""
    start, end = "<!-- gas-report:start -->", "<!-- gas-report:end -->"
    text = readme.read_text()
    if start not in text or end not in text:
        return False
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    readme.write_text(f"{before}{start}\n{table}{end}{after}")
    return True


def write_snapshot(gas: dict[str, int], path: Path = SNAPSHOT_FILE) -> None:
    """Rewrites the snapshot that the test suite holds the figures to."""
    path.write_text(json.dumps(dict(sorted(gas.items())), indent=2) + "\n")


def main(*args):
    """Measures, prints and writes the report; the argument `update-snapshot` also rewrites the snapshot."""
    console = Console()
    with console.status("Deploying and measuring every operation..."):
        gas = measure(accounts[0], accounts[1], accounts[2], accounts[3], accounts[4])
    rows = report_rows(gas)
    console.print(rich_table(rows))
    write_report(rows)
    console.print(f"Written: {GAS_DIR / 'report.md'}, {GAS_DIR / 'report.json'}")
    if update_readme(markdown_table(rows)):
        console.print("README.md gas table updated")
    if "update-snapshot" in args:
        write_snapshot(gas)
        console.print(f"Snapshot updated: {SNAPSHOT_FILE}")
