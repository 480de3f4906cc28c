"""Run slither over the product contracts and hold every high or medium finding to the triage file.

Usage (inside the project's environment, e.g. `./run slither`):
    python tools/check_slither.py [--update-keys]

What is analysed: every contracts/**/*.sol except the mocks in contracts/test/, compiled together
as one standard-JSON input with brownie-config.yaml's compiler settings (the shim in
tools/solc-shim.cjs is the compiler; brownie's own build cannot be used: it keeps no AST of the
files in interfaces/). Findings located only in node_modules (OpenZeppelin) or contracts/test are
dropped by slither's --filter-paths.

The gate: each high or medium finding must be listed in tools/slither-triage.json, matched by its
detector and a key built from its elements' names (contract, function signature, statement text),
never by line numbers, so moving code does not disturb it while changing a flagged statement
brings it back for a new look. The check fails on
  * a high/medium finding with no triage entry (fix the contract or triage it), and
  * a triage entry that no longer matches any finding (stale: delete it).
Low and informational findings are counted, not gated. The full slither report is written to
reports/slither.json.

--update-keys prints the entries for findings not yet triaged, ready to paste (with a reason).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml
from rich.console import Console
from rich.markup import escape
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
TRIAGE = ROOT / "tools" / "slither-triage.json"
REPORT = ROOT / "reports" / "slither.json"
SHIM = ROOT / "tools" / "solc-shim.cjs"
GATED = ("High", "Medium")
FILTER_PATHS = "node_modules/|contracts/test/"

# Wide enough for the findings' locations when CI's output is not a terminal.
console = Console(highlight=False, width=max(shutil.get_terminal_size((140, 24)).columns, 120))


def standard_json_input() -> dict:
    """One compilation of every product contract, with brownie's compiler settings."""
    config = yaml.safe_load((ROOT / "brownie-config.yaml").read_text())["compiler"]
    solc = config["solc"]
    sources = sorted(
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "contracts").rglob("*.sol")
        if not path.relative_to(ROOT).as_posix().startswith("contracts/test/")
    )
    optimizer = solc.get("optimizer", {"enabled": False})
    return {
        "language": "Solidity",
        "sources": {source: {"urls": [source]} for source in sources},
        "settings": {
            "remappings": list(solc.get("remappings", [])),
            "optimizer": {"enabled": bool(optimizer.get("enabled")), "runs": int(optimizer.get("runs", 200))},
            "evmVersion": config.get("evm_version", "cancun"),
        },
    }


def run_slither() -> dict:
    REPORT.parent.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        # slither runs in a directory of links to the sources, not in the project: crytic-compile
        # walks up from its working directory for a framework, and the project's foundry.toml would
        # make it take the solc-json input for a Foundry project (and fail).
        for linked in ("contracts", "interfaces", "node_modules"):
            (Path(tmp) / linked).symlink_to(ROOT / linked, target_is_directory=True)
        input_path = Path(tmp) / "contracts.json"
        input_path.write_text(json.dumps(standard_json_input(), indent=1))
        output_path = Path(tmp) / "slither.json"
        command = [
            sys.executable,
            "-m",
            "slither",
            str(input_path),
            "--compile-force-framework",
            "solc-json",
            "--solc",
            str(SHIM),
            "--filter-paths",
            FILTER_PATHS,
            "--fail-none",
            "--json",
            str(output_path),
        ]
        done = subprocess.run(command, cwd=tmp, capture_output=True, text=True)
        if not output_path.exists():
            sys.stderr.write(done.stdout + done.stderr)
            raise SystemExit(f"[slither] slither wrote no report (exit code {done.returncode})")
        report = json.loads(output_path.read_text())
    REPORT.write_text(json.dumps(report, indent=1))
    if not report.get("success"):
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"[slither] slither failed: {report.get('error')}")
    return report


def element_key(element: dict) -> str:
    fields = element.get("type_specific_fields", {})
    parent = fields.get("parent", {})
    kind = element["type"]
    if kind == "function":
        return f"function {parent.get('name', '?')}.{fields.get('signature', element['name'])}"
    if kind == "node":
        function = parent.get("type_specific_fields", {})
        owner = function.get("parent", {}).get("name", "?")
        signature = function.get("signature", parent.get("name", "?"))
        return f"node {owner}.{signature}: {' '.join(element['name'].split())}"
    if kind in ("variable", "event", "modifier", "struct", "enum", "custom_error"):
        return f"{kind} {parent.get('name', '?')}.{element['name']}"
    return f"{kind} {element['name']}"


def finding_key(finding: dict) -> str:
    """Detector-independent, line-independent identity of a finding: its elements by name."""
    return " | ".join(element_key(element) for element in finding["elements"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update-keys", action="store_true", help="print entries for untriaged findings")
    args = parser.parse_args()

    started = time.monotonic()
    report = run_slither()
    findings = report.get("results", {}).get("detectors", [])
    gated = [f for f in findings if f["impact"] in GATED]
    ungated = Counter(f["impact"] for f in findings if f["impact"] not in GATED)

    triage = json.loads(TRIAGE.read_text())["findings"]
    triaged = Counter((entry["detector"], entry["key"]) for entry in triage)
    found = Counter((f["check"], finding_key(f)) for f in gated)

    table = Table(title="slither: high and medium findings", title_justify="left")
    for column in ("impact", "detector", "where", "status"):
        table.add_column(column)
    new = []
    for finding in sorted(gated, key=lambda f: (GATED.index(f["impact"]), f["check"], finding_key(f))):
        ident = (finding["check"], finding_key(finding))
        ok = ident in triaged
        if not ok:
            new.append(finding)
        where = finding["first_markdown_element"]
        table.add_row(finding["impact"], finding["check"], escape(where), "triaged" if ok else "[red]NOT TRIAGED[/red]")
    stale = [entry for entry in triage if (entry["detector"], entry["key"]) not in found]
    for entry in stale:
        status = "[red]STALE triage entry[/red]"
        table.add_row(entry.get("impact", "?"), entry["detector"], escape(entry["key"]), status)
    if gated or stale:
        console.print(table)
    elapsed = time.monotonic() - started
    console.print(
        f"\\[slither] {len(gated)} high/medium finding(s), {len(gated) - len(new)} triaged in "
        f"{TRIAGE.relative_to(ROOT)}; not gated: "
        + (", ".join(f"{n} {impact.lower()}" for impact, n in sorted(ungated.items())) or "none")
        + f"; report: {REPORT.relative_to(ROOT)} ({elapsed:.1f} s)"
    )

    for finding in new:
        title = f"[red]NOT TRIAGED[/red] {finding['check']} ({finding['impact']})"
        console.print(f"{title}:\n{escape(finding['description'])}")
    if new and args.update_keys:
        entries = [
            {
                "detector": f["check"],
                "impact": f["impact"],
                "key": finding_key(f),
                "verdict": "TODO",
                "reason": "TODO",
            }
            for f in new
        ]
        print(json.dumps(entries, indent=2))
    for entry in stale:
        stale_key = escape(entry["key"])
        console.print(f"[red]STALE[/red] {entry['detector']}: {stale_key} no longer occurs; remove it from the triage")
    if new or stale:
        console.print(
            "\\[slither] failed: fix each new finding in the contract or triage it (with the reason) in "
            f"{TRIAGE.relative_to(ROOT)}; `python tools/check_slither.py --update-keys` prints its entry"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
