"""Wall times of the toolchain on this machine: a cold and a cached compile, and each test tier.

Run by `./run gas` after the gas benchmark (inside the project's environment, nothing else using
port 8545). Writes gas/toolchain.md and gas/toolchain.json. Each figure is one measured run of the
real command, so it varies with the machine and its load.
"""

import json
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GAS_DIR = PROJECT_ROOT / "gas"
TIERS = ["unit", "integration", "stateful", "client"]


def timed(command: list[str]) -> tuple[float, int]:
    """Runs `command` in the project root; returns its wall time in seconds and its exit code."""
    started = time.perf_counter()
    result = subprocess.run(command, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started, result.returncode


def main() -> int:
    """Measures every step, prints a table and writes the files; non-zero if a step failed."""
    console = Console()
    steps = [
        ("cold compile (brownie compile --all)", ["brownie", "compile", "--all"]),
        ("cached compile (brownie compile, nothing changed)", ["brownie", "compile"]),
    ]
    steps += [
        (f"test tier: tests/{tier}", ["brownie", "test", f"tests/{tier}"])
        for tier in TIERS
        if (PROJECT_ROOT / "tests" / tier).is_dir()
    ]
    rows = []
    for label, command in steps:
        with console.status(f"timing {label}..."):
            seconds, code = timed(command)
        rows.append({"step": label, "command": " ".join(command), "seconds": round(seconds, 1), "exitCode": code})

    table = Table(title="Toolchain wall times (one run each, this machine)")
    table.add_column("step")
    table.add_column("seconds", justify="right")
    table.add_column("ok", justify="center")
    for row in rows:
        table.add_row(row["step"], f"{row['seconds']:.1f}", "[green]yes" if row["exitCode"] == 0 else "[red]no")
    console.print(table)

    GAS_DIR.mkdir(exist_ok=True)
    (GAS_DIR / "toolchain.json").write_text(json.dumps(rows, indent=2) + "\n")
    lines = ["| step | seconds |", "|---|---:|"]
    lines += [f"| {row['step']} | {row['seconds']:.1f} |" for row in rows]
    (GAS_DIR / "toolchain.md").write_text("\n".join(lines) + "\n")
    return 0 if all(row["exitCode"] == 0 for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
