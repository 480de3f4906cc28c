"""Wall times of the toolchain on this machine: a cold and a cached compile, and each test tier.

Run by `./run gas` after the gas benchmark (inside the project's environment, nothing else using
port 8545). Writes gas/toolchain.md and gas/toolchain.json. Each figure is one measured run of the
real command, so it varies with the machine and its load.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

PROJECT_ROOT = Path(__file__).resolve().parent.parent

GAS_DIR = PROJECT_ROOT / "gas"
TIERS = ["unit", "integration", "stateful", "client", "browser"]


def timed(command: list[str], env: dict | None = None) -> tuple[float, int]:
    """Runs `command` in the project root; returns its wall time in seconds and its exit code."""
    started = time.perf_counter()
    result = subprocess.run(command, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - started, result.returncode


def solc_js_seconds(timing_file: Path) -> float:
    """What solc-js itself spent (loading and compiling) in the runs tools/solc-shim.cjs logged."""
    if not timing_file.exists():
        return 0.0
    runs = [json.loads(line) for line in timing_file.read_text().splitlines() if line.strip()]
    return sum(run["loadMs"] + run["compileMs"] for run in runs) / 1000


def main() -> int:
    """Measures every step, prints a table and writes the files; non-zero if a step failed."""
    console = Console()
    cold_compile = ("cold compile (brownie compile --all)", ["brownie", "compile", "--all"])
    steps = [cold_compile, ("cached compile (brownie compile, nothing changed)", ["brownie", "compile"])]
    steps += [
        (f"test tier: tests/{tier}", ["brownie", "test", f"tests/{tier}"])
        for tier in TIERS
        if (PROJECT_ROOT / "tests" / tier).is_dir()
    ]
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        # The shim logs solc-js's own time during the cold compile: how much of it is the compiler.
        timing_file = Path(scratch, "solc-js.jsonl")
        for step in steps:
            label, command = step
            env = {**os.environ, "SOLC_SHIM_TIMING_FILE": str(timing_file)} if step is cold_compile else None
            with console.status(f"timing {label}..."):
                seconds, code = timed(command, env)
            rows.append({"step": label, "command": " ".join(command), "seconds": round(seconds, 1), "exitCode": code})
            if step is cold_compile:
                solc_js = solc_js_seconds(timing_file)
                rows.append(
                    {
                        "step": "  of which solc-js itself (load + compile, logged by the shim)",
                        "command": "SOLC_SHIM_TIMING_FILE",
                        "seconds": round(solc_js, 1),
                        "exitCode": 0 if solc_js else 1,
                    }
                )

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
    console.print(f"Written: {GAS_DIR / 'toolchain.md'}, {GAS_DIR / 'toolchain.json'} (docs/testing.md links them)")
    return 0 if all(row["exitCode"] == 0 for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
