"""Mutation testing of the product contracts against the Foundry unit tier (`./run mutation`).

slither-mutate's own runner compiles every mutant twice (crytic-compile, then the test command)
and runs them one at a time. This is an equivalent that keeps its mutants and drops that cost:
slither-mutate's mutator classes only *generate* the patches (every mutator, every line of every
contract under contracts/ except contracts/test/), and this runner applies each patch in a private
copy of the tree (build/mutation/worker-N, one per worker, each with its own forge build cache),
runs `forge test --fail-fast` once under [profile.unit] (build and the whole unit tier), and
restores the file. The checkout's contracts are never
edited.

Outcomes: `killed` (a test failed), `timeout` (the tests ran over --timeout: counted as killed and
reported apart), `survived` (every test passed), `uncompiled` (solc refused the mutant: not counted
in the score).

Results are kept in docs/mutation-results.json, keyed by the mutant (file, position, old and new
text) and the hash of contracts/ and interfaces/: while the contracts are unchanged a rerun keeps
killed and uncompiled mutants and retests only survivors (when the tests changed) and new mutants.
docs/mutation.md is the report; tools/mutation-equivalent.json holds the reason why each surviving
mutant that no test can kill behaves exactly as the original.

Usage: python tools/mutation.py [--workers N] [--timeout S] [--only PATH_SUBSTRING] [--report-only]
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "docs" / "mutation-results.json"
REPORT = ROOT / "docs" / "mutation.md"
EQUIVALENT = ROOT / "tools" / "mutation-equivalent.json"
WORKDIR = ROOT / "build" / "mutation"
UNIT_TESTS = "tests/foundry/unit"
# What a worker's copy of the tree needs to build and test (node_modules is linked, not copied).
TREE = ["contracts", "interfaces", "tests/foundry", "foundry.toml", "tools/solc-shim.cjs"]
PROFILE = {**os.environ, "FOUNDRY_PROFILE": "unit"}
BATCH = 40  # mutants of one file a worker takes at a time


def tree_hash(*folders: str) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


# ------------------------------------------------------------------------------------ mutants


def generate_mutants() -> list[dict]:
    """Every patch of every slither-mutate mutator over the product contracts, in source order."""
    import logging

    from slither import Slither
    from slither.tools.mutator.mutators import all_mutators
    from slither.tools.mutator.mutators.abstract_mutator import AbstractMutator

    logging.getLogger("CryticCompile").setLevel(logging.ERROR)
    # crytic-compile builds the project with forge (the unit profile: optimizer off).
    os.environ["FOUNDRY_PROFILE"] = "unit"
    slither = Slither(str(ROOT), compile_force_framework="foundry")
    mutators = [
        cls
        for cls in vars(all_mutators).values()
        if inspect.isclass(cls) and issubclass(cls, AbstractMutator) and cls is not AbstractMutator
    ]
    mutants: dict[str, dict] = {}
    for unit in slither.compilation_units:
        for contract in unit.contracts:
            source = contract.source_mapping.filename.relative
            if not source.startswith("contracts/") or source.startswith("contracts/test/"):
                continue
            if contract.is_interface:
                continue
            for mutator_class in sorted(mutators, key=lambda cls: cls.NAME):
                mutator = mutator_class(unit, 0, "", None, contract, None, False, WORKDIR, [])
                for path, patches in mutator._mutate().get("patches", {}).items():
                    for patch in patches:
                        mutant = {
                            "file": os.path.relpath(path, ROOT),
                            "contract": contract.name,
                            "mutator": mutator_class.NAME,
                            "line": patch["line_number"],
                            "start": patch["start"],
                            "end": patch["end"],
                            "old": patch["old_string"],
                            "new": patch["new_string"],
                        }
                        key = json.dumps([mutant[k] for k in ("file", "start", "end", "new")])
                        mutant["id"] = hashlib.sha256(key.encode()).hexdigest()[:12]
                        mutants.setdefault(mutant["id"], mutant)
    return sorted(mutants.values(), key=lambda m: (m["file"], m["start"], m["mutator"], m["new"]))


def apply(source: bytes, mutant: dict) -> bytes:
    return source[: mutant["start"]] + mutant["new"].encode() + source[mutant["end"] :]


# ------------------------------------------------------------------------------------ workers


class Worker:
    """A private copy of the tree in which one mutant at a time is built and tested."""

    def __init__(self, index: int, timeout: float) -> None:
        self.tree = WORKDIR / f"worker-{index}"
        self.timeout = timeout
        self.mutated: Path | None = None
        self.original = b""

    def prepare(self) -> None:
        self.tree.mkdir(parents=True, exist_ok=True)
        for item in TREE:
            src, dst = ROOT / item, self.tree / item
            if dst.is_dir():
                shutil.rmtree(dst)
            dst.parent.mkdir(parents=True, exist_ok=True)
            (shutil.copytree if src.is_dir() else shutil.copy2)(src, dst)
        link = self.tree / "node_modules"
        if not link.exists():
            link.symlink_to(ROOT / "node_modules")
        passed, output = self.forge()
        if not passed:
            sys.exit(f"[mutation] the unit tier fails on the unmutated tree:\n{output[-3000:]}")

    def forge(self) -> tuple[bool, str]:
        """Builds the tree and runs the unit tier, stopping at the first failure; True when
        everything compiled and passed. One forge process: the whole tier runs in well under a
        second, so running the mutated contract's own tests first would only add a process."""
        result = subprocess.run(
            ["forge", "test", "--fail-fast"],
            cwd=self.tree,
            env=PROFILE,
            capture_output=True,
            text=True,
            timeout=self.timeout,
            check=False,
        )
        return result.returncode == 0, result.stdout + result.stderr

    def run(self, mutant: dict) -> dict:
        target = self.tree / mutant["file"]
        if self.mutated != target:
            self.restore()
            self.mutated, self.original = target, target.read_bytes()
        target.write_bytes(apply(self.original, mutant))
        started = time.monotonic()
        try:
            passed, output = self.forge()
        except subprocess.TimeoutExpired:
            return {"status": "timeout", "seconds": round(time.monotonic() - started, 1)}
        seconds = round(time.monotonic() - started, 1)
        if passed:
            return {"status": "survived", "seconds": seconds}
        if "Compiler run failed" in output or re.search(r"^Error( \(\d+\))?:", output, re.M):
            return {"status": "uncompiled", "seconds": seconds}
        # forge's summary: "Encountered 1 failing test in PATH:Contract" then "[FAIL: why] test()".
        failed = re.search(r"failing tests? in \S+:(\w+)\n\[FAIL.*\] (\w+)\(", output)
        by = f"{failed.group(1)}.{failed.group(2)}" if failed else "?"
        return {"status": "killed", "seconds": seconds, "by": by}

    def restore(self) -> None:
        if self.mutated is not None:
            self.mutated.write_bytes(self.original)
            self.mutated = None


# ------------------------------------------------------------------------------------ campaign


def load_results() -> dict:
    return json.loads(RESULTS.read_text()) if RESULTS.exists() else {}


def save_results(results: dict) -> None:
    RESULTS.write_text(json.dumps(dict(sorted(results.items())), indent=1) + "\n")


def still_valid(entry: dict | None, contracts: str, tests: str) -> bool:
    if not entry or entry.get("contracts") != contracts:
        return False
    return entry["status"] != "survived" or entry.get("tests") == tests


def campaign(mutants: list[dict], workers: int, timeout: float) -> None:
    contracts, tests = tree_hash("contracts", "interfaces"), tree_hash("tests/foundry")
    results = load_results()
    todo = [m for m in mutants if not still_valid(results.get(m["id"]), contracts, tests)]
    print(f"[mutation] {len(mutants)} mutants, {len(mutants) - len(todo)} known, {len(todo)} to test", flush=True)
    if not todo:
        return
    # A worker takes a batch of one file's mutants at a time (switching files costs a recompile
    # of the restored file); small files first, so that whole contracts are done early.
    by_file: dict[str, list[dict]] = defaultdict(list)
    for mutant in todo:
        by_file[mutant["file"]].append(mutant)
    jobs: queue.Queue = queue.Queue()
    for file in sorted(by_file, key=lambda f: len(by_file[f])):
        for first in range(0, len(by_file[file]), BATCH):
            jobs.put(by_file[file][first : first + BATCH])
    lock = threading.Lock()
    done = [0]
    started = time.monotonic()

    def work(index: int) -> None:
        worker = Worker(index, timeout)
        worker.prepare()
        try:
            while True:
                try:
                    batch = jobs.get_nowait()
                except queue.Empty:
                    return
                for mutant in batch:
                    outcome = worker.run(mutant)
                    with lock:
                        results[mutant["id"]] = {**mutant, **outcome, "contracts": contracts, "tests": tests}
                        done[0] += 1
                        if done[0] % 10 == 0 or done[0] == len(todo):
                            save_results(results)
                            rate = (time.monotonic() - started) / done[0]
                            print(
                                f"[mutation] {done[0]}/{len(todo)} ({rate:.1f} s each, "
                                f"~{rate * (len(todo) - done[0]) / 60:.0f} min left)",
                                flush=True,
                            )
        finally:
            worker.restore()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    save_results(results)


# ------------------------------------------------------------------------------------ report


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def report(mutants: list[dict]) -> float:
    results = load_results()
    equivalent = json.loads(EQUIVALENT.read_text()) if EQUIVALENT.exists() else {}
    rows = [results[m["id"]] for m in mutants if m["id"] in results]
    count = Counter(r["status"] for r in rows)
    compiled = count["killed"] + count["timeout"] + count["survived"]
    score = 100.0 * (count["killed"] + count["timeout"]) / compiled if compiled else 0.0
    compiled_seconds = [r["seconds"] for r in rows if r["status"] != "uncompiled"]
    uncompiled_seconds = [r["seconds"] for r in rows if r["status"] == "uncompiled"]
    mean = sum(r["seconds"] for r in rows) / max(len(rows), 1)
    survivors = [r for r in rows if r["status"] == "survived"]
    explained = sum(1 for r in survivors if r["id"] in equivalent)
    lines = [
        "# Mutation score",
        "",
        "Generated by `./run mutation` (tools/mutation.py): slither-mutate's mutators generate every",
        "mutant of every product contract (contracts/ except contracts/test/); each is built and run",
        "against the Foundry unit tier (tests/foundry/unit, profile `unit`: optimizer off).",
        "A timeout counts as killed. Uncompiled mutants are not in the score.",
        "",
        f"- mutants generated: {len(mutants)}; tested: {len(rows)}; not yet tested: {len(mutants) - len(rows)}",
        f"- compiled: {compiled}; uncompiled: {count['uncompiled']}",
        f"- killed: {count['killed']} (+ {count['timeout']} by timeout); surviving: {count['survived']}",
        f"- **score: {score:.1f}%** of the compiled mutants tested so far killed; of the {count['survived']} survivors "
        f"{explained} are equivalent (reason below) and {count['survived'] - explained} not killed yet",
        f"- time per mutant in one worker (build and unit tier): {_mean(compiled_seconds):.1f} s compiled, "
        f"{_mean(uncompiled_seconds):.1f} s uncompiled; the {len(mutants) - len(rows)} untested mutants "
        f"would take about {(len(mutants) - len(rows)) * mean / 2 / 60:.0f} min with two workers",
        "",
        "## Per contract",
        "",
        "| file | generated | tested | compiled | killed | surviving | score |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for file in sorted({m["file"] for m in mutants}):
        mine = [m for m in mutants if m["file"] == file]
        got = [results[m["id"]] for m in mine if m["id"] in results]
        c = Counter(r["status"] for r in got)
        comp = c["killed"] + c["timeout"] + c["survived"]
        pct = f"{100.0 * (comp - c['survived']) / comp:.1f}%" if comp else "-"
        lines.append(
            f"| {file} | {len(mine)} | {len(got)} | {comp} | {c['killed'] + c['timeout']} | {c['survived']} | {pct} |"
        )
    lines += ["", "## Surviving mutants", ""]
    if not survivors:
        lines.append("None.")
    for r in survivors:
        why = equivalent.get(r["id"])
        status = f"equivalent: {why}" if why else "**not killed yet**"
        old = r["old"].strip().replace("|", "\\|").replace("\n", " ")
        new = r["new"].strip().replace("|", "\\|").replace("\n", " ")
        lines.append(f"- `{r['id']}` {r['file']}:{r['line']} {r['mutator']}: `{old}` → `{new}`: {status}")
    REPORT.write_text("\n".join(lines) + "\n")
    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per mutant; over it counts as killed")
    parser.add_argument("--only", help="test only mutants whose file path contains one of these (comma-separated)")
    parser.add_argument("--report-only", action="store_true", help="rewrite docs/mutation.md from the results")
    parser.add_argument("--list", action="store_true", help="print the mutant counts per file and stop")
    args = parser.parse_args()
    mutants = generate_mutants()
    if args.list:
        for file, n in sorted(Counter(m["file"] for m in mutants).items()):
            print(f"{n:5d} {file}")
        print(f"{len(mutants):5d} total")
        return
    if not args.report_only:
        chosen = [m for m in mutants if not args.only or any(part in m["file"] for part in args.only.split(","))]
        campaign(chosen, args.workers, args.timeout)
    score = report(mutants)
    print(f"[mutation] score {score:.1f}% ({REPORT.relative_to(ROOT)})")


if __name__ == "__main__":
    main()
