"""The symbolic proofs of the escrows and the manager (tests/foundry/proofs), with halmos.

    .venv-halmos/bin/python tools/prove.py [--deep]      (or ./run prove [--deep])

Generates the broken twins of tests/foundry/proofs/twins.toml (each a copy of the product code
with one line changed) into build/foundry/halmos-twins/, then runs two halmos processes side by
side on the Foundry profile `halmos`: on the proof contracts (every `check_` must be proved, with every loop fully
unrolled) and on the twins (every proof a twin names must be refuted with a counterexample). It
prints one table row per proof and twin (result, halmos's time, paths) from halmos's
--json-output, and exits 1 on any mismatch, including a proof that no twin names (2 when halmos
itself failed to run).

--deep also proves the checks listed in DEEP_ONLY (longer instrument answers), which take
minutes rather than seconds. forge (node_modules/.bin) and halmos's solvers must be on PATH:
`. tools/setup.sh` puts them there.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROOFS = ROOT / "tests/foundry/proofs"
TWINS_FILE = PROOFS / "twins.toml"
TWINS_OUT = ROOT / "build/foundry/halmos-twins"  # the profile's `test` folder
BUILD_OUT = "build/foundry/halmos-out"  # the profile's `out` folder
REPORTS = ROOT / "build/foundry"

# Loops in the proofs and the code they reach run at most 3 times (two issuances, three
# assets, at most two transfers): a bound of 4 unrolls every one of them; a proof that still
# hits the bound fails (see _judge).
LOOP_BOUND = 4

# The two halmos processes, by contract name (proofs and their twins): about the same work each.
PARTS = (r"^Manager\w*Proofs", r"^(?!Manager)\w*Proofs")

# Proofs run only with --deep: the transfer rule for answers of two transfers.
DEEP_ONLY = ["check_transferRuleForTwoTransfers"]


@dataclass(frozen=True)
class Deployer:
    """A product contract a proof deploys through a ProofBase hook, and the files a twin copies
    so that the copy deploys the twin's code."""

    files: tuple[str, ...]
    hook: str  # the override in the twin's proof contract; {S} is the twin's suffix
    imports: tuple[str, ...]  # interfaces the override names


DEPLOYERS = {
    "EscrowFactory": Deployer(
        files=(
            "contracts/escrows/Escrow.sol",
            "contracts/escrows/InstrumentEscrow.sol",
            "contracts/escrows/IssuanceEscrow.sol",
            "contracts/escrows/EscrowFactory.sol",
        ),
        hook="function _newEscrowFactory() internal override returns (IEscrowFactory) {\n"
        "        return new EscrowFactory{S}();\n    }",
        imports=("interfaces/IEscrowFactory.sol:IEscrowFactory",),
    ),
    "InstrumentRegistry": Deployer(
        files=("contracts/domain/InstrumentManager.sol", "contracts/domain/InstrumentRegistry.sol"),
        hook="function _newInstrumentRegistry(IEscrowFactory factory) internal override"
        " returns (IInstrumentRegistry) {\n        return new InstrumentRegistry{S}(factory);\n    }",
        imports=(
            "interfaces/IEscrowFactory.sol:IEscrowFactory",
            "interfaces/IInstrumentRegistry.sol:IInstrumentRegistry",
        ),
    ),
}

CONTRACT_DECLARATION = re.compile(r"^(?:abstract\s+)?contract\s+(\w+)", re.MULTILINE)
RELATIVE_IMPORT = re.compile(r'(import\s+[^;]*?")(\.\.?/[^"]+)(")')


@dataclass(frozen=True)
class Twin:
    name: str
    why: str
    deployed_by: str
    file: str
    line: str
    becomes: str
    proofs: str
    refuted: tuple[str, ...]

    @property
    def suffix(self) -> str:
        return "_" + self.name

    @property
    def contract(self) -> str:
        return self.proofs + self.suffix


def load_twins() -> list[Twin]:
    with TWINS_FILE.open("rb") as f:
        entries = tomllib.load(f)["twin"]
    twins = [Twin(**{**entry, "refuted": tuple(entry["refuted"])}) for entry in entries]
    for twin in twins:
        if twin.deployed_by not in DEPLOYERS or twin.file not in DEPLOYERS[twin.deployed_by].files:
            raise SystemExit(f"twins.toml: {twin.name}: {twin.file} is not deployed by {twin.deployed_by}")
    return twins


def proof_source(contract: str) -> Path:
    """The file under tests/foundry/proofs that declares `contract`."""
    for path in sorted(PROOFS.glob("*.sol")):
        if re.search(rf"^contract\s+{contract}\b", path.read_text(), re.MULTILINE):
            return path
    raise SystemExit(f"twins.toml: no proof contract {contract} in {PROOFS.relative_to(ROOT)}")


def generate_twin(twin: Twin) -> None:
    """Writes the twin's copies of the product files and its proof contract."""
    deployer = DEPLOYERS[twin.deployed_by]
    folder = TWINS_OUT / twin.name
    folder.mkdir(parents=True)
    sources = {path: (ROOT / path).read_text() for path in deployer.files}
    found = sources[twin.file].count(twin.line)
    if found != 1:
        raise SystemExit(f"twins.toml: {twin.name}: the line occurs {found} times in {twin.file}, not once")
    sources[twin.file] = sources[twin.file].replace(twin.line, twin.becomes)
    names = [name for text in sources.values() for name in CONTRACT_DECLARATION.findall(text)]
    renamed = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")
    for path, text in sources.items():
        text = renamed.sub(lambda m: m.group(1) + twin.suffix, text)
        origin = (ROOT / path).parent

        def relocate(m: re.Match[str], origin: Path = origin) -> str:
            target = (origin / m.group(2)).resolve()
            if target.parent == origin and target.stem.endswith(twin.suffix):
                return m.group(0)  # another copy, beside this one
            return m.group(1) + os.path.relpath(target, folder) + m.group(3)

        text = RELATIVE_IMPORT.sub(relocate, text)
        header = f"// Generated by tools/prove.py from {path} for the twin {twin.name}: do not edit.\n"
        (folder / f"{Path(path).stem}{twin.suffix}.sol").write_text(header + text)
    imports = [
        f'import {{{symbol}}} from "{os.path.relpath(ROOT / path, folder)}";'
        for path, symbol in (entry.split(":") for entry in deployer.imports)
    ]
    proofs = proof_source(twin.proofs)
    imports.append(f'import {{{twin.proofs}}} from "{os.path.relpath(proofs, folder)}";')
    imports.append(f'import {{{twin.deployed_by}{twin.suffix}}} from "./{twin.deployed_by}{twin.suffix}.sol";')
    (folder / f"{twin.contract}.sol").write_text(
        "// SPDX-License-Identifier: MIT\n"
        "// Generated by tools/prove.py from tests/foundry/proofs/twins.toml: do not edit.\n"
        "pragma solidity ^0.8.28;\n\n" + "\n".join(imports) + "\n\n"
        f"/// @notice {twin.proofs} against a twin where {twin.why}.\n"
        f"contract {twin.contract} is {twin.proofs} {{\n"
        f"    {deployer.hook.replace('{S}', twin.suffix)}\n}}\n"
    )


def start_halmos(contracts: str, tests: str, report: Path, extra: list[str]) -> subprocess.Popen[bytes]:
    """Starts halmos (which first runs `forge build` on the profile) on the matching checks."""
    command = [
        str(Path(sys.executable).parent / "halmos"),
        "--root",
        str(ROOT),
        "--forge-build-out",
        BUILD_OUT,
        "--match-contract",
        contracts,
        "--match-test",
        tests,
        "--loop",
        str(LOOP_BOUND),
        "--json-output",
        str(report),
        *extra,
    ]
    report.unlink(missing_ok=True)
    log = report.with_suffix(".log").open("w")
    env = {**os.environ, "FOUNDRY_PROFILE": "halmos"}
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_until_built(process: subprocess.Popen[bytes], report: Path) -> None:
    """Waits until halmos has finished its `forge build` (it prints its first `Running`), so that
    a second halmos started then finds the build done instead of racing it."""
    log = report.with_suffix(".log")
    while process.poll() is None and "Running " not in log.read_text():
        time.sleep(0.2)


def results_of(process: subprocess.Popen[bytes], report: Path) -> dict[str, Any]:
    process.wait()
    if not report.exists():
        log = report.with_suffix(".log")
        sys.stdout.write(log.read_text()[-4000:])
        print(f"[prove] halmos wrote no results (its output: {log.relative_to(ROOT)})", file=sys.stderr)
        sys.exit(2)
    return json.loads(report.read_text()).get("test_results") or {}


def results_by_contract(results: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """contract name -> check name (without its signature) -> halmos's result."""
    table: dict[str, dict[str, dict[str, Any]]] = {}
    for path, tests in results.items():
        contract = path.rsplit(":", 1)[-1]
        table[contract] = {test["name"].split("(")[0]: test for test in tests}
    return table


# halmos's exit codes per test (halmos.__main__.Exitcode)
EXITCODES = {0: "proved", 1: "refuted", 2: "timeout", 3: "stuck", 4: "all paths revert", 5: "error"}


def _judge(result: dict[str, Any] | None, expected: str) -> tuple[bool, str]:
    if result is None:
        return False, "not run"
    outcome = EXITCODES.get(result["exitcode"], f"exit code {result['exitcode']}")
    if expected == "proved" and outcome == "proved" and result.get("num_bounded_loops"):
        return False, "loop bound hit"
    if expected == "refuted" and outcome == "refuted" and not result.get("num_models"):
        return False, "refuted without a counterexample"
    return outcome == expected, outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deep", action="store_true", help=f"also prove {', '.join(DEEP_ONLY)}")
    args = parser.parse_args()
    started = time.monotonic()

    twins = load_twins()
    shutil.rmtree(TWINS_OUT, ignore_errors=True)
    for twin in twins:
        generate_twin(twin)

    skipped = [] if args.deep else DEEP_ONLY
    tests = "^" + "".join(f"(?!{re.escape(name)}\\()" for name in skipped) + "check_"
    # Two halmos processes side by side (halmos explores paths on one core), each on about half
    # of the work; the second starts once the first has built. --early-exit stops a check at its
    # first counterexample: all a twin needs, and a proof has none.
    processes = []
    for part, contracts in enumerate(PARTS):
        report = REPORTS / f"halmos-{part}.json"
        processes.append((start_halmos(contracts, tests, report, ["--early-exit"]), report))
        if part == 0:
            wait_until_built(*processes[0])
    results: dict[str, dict[str, dict[str, Any]]] = {}
    for process, report in processes:
        results.update(results_by_contract(results_of(process, report)))

    rows: list[tuple[str, str, str, bool, float, int]] = []

    def add_row(label: str, result: dict[str, Any] | None, expected: str) -> None:
        ok, outcome = _judge(result, expected)
        seconds = result["time"][0] if result and result.get("time") else 0.0
        paths = result["num_paths"][0] if result and result.get("num_paths") else 0
        rows.append((label, expected, outcome, ok, seconds, paths))

    # The proof contracts are those declared under tests/foundry/proofs; a build may still hold a
    # twin of an earlier twins.toml, which is not one.
    declared = {name for path in PROOFS.glob("*.sol") for name in CONTRACT_DECLARATION.findall(path.read_text())}
    proof_contracts = sorted(set(results) & declared)
    for contract in proof_contracts:
        for name, result in sorted(results[contract].items()):
            add_row(f"{contract}.{name}", result, "proved")
    # A twin also runs the proofs it does not name (they inherit them); only the named ones count.
    for twin in twins:
        for name in twin.refuted:
            if name in skipped:
                continue
            add_row(f"twin {twin.name}: {twin.proofs}.{name}", results.get(twin.contract, {}).get(name), "refuted")

    # Every proof must be shown able to fail: a twin must name it (and be refuted, above).
    named = {(twin.proofs, name) for twin in twins for name in twin.refuted}
    for contract in proof_contracts:
        for name in sorted(results[contract]):
            if (contract, name) not in named:
                rows.append((f"no twin: {contract}.{name}", "refuted", "no twin names it", False, 0.0, 0))

    width = max(len(row[0]) for row in rows)
    print(f"\n{'proof':<{width}}  {'expected':<8}  {'result':<16}  {'time':>7}  {'paths':>6}")
    for label, expected, outcome, ok, seconds, paths in rows:
        mark = "" if ok else "   <-- MISMATCH"
        print(f"{label:<{width}}  {expected:<8}  {outcome:<16}  {seconds:>6.1f}s  {paths:>6}{mark}")
    failures = sum(not row[3] for row in rows)
    proved = sum(row[1] == "proved" and row[3] for row in rows)
    refutations = sum(row[1] == "refuted" and row[3] for row in rows)
    print(
        f"\n[prove] {proved} proofs proved, {refutations} twin refutations found, {failures} mismatches;"
        f" {time.monotonic() - started:.0f} s in all"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
