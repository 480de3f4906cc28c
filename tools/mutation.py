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
text) and the hash of the product contracts and interfaces/: while those are unchanged a rerun keeps
killed and uncompiled mutants and retests only survivors (when the tests or the test doubles of
contracts/test changed) and new mutants.
docs/mutation.md is the report; tools/mutation-equivalent.json holds the reason why each surviving
mutant that no test can kill behaves exactly as the original.

Trivial compiler equivalence (TCE, Papadakis et al., ICSE 2015): after the tests, every survivor is
also built under [profile.tce], the deployed compiler settings (default profile: solc 0.8.28, evm
cancun, optimizer on with 1,000,000 runs) without the CBOR metadata (whose hash of the source text
would differ for every mutant), and the creation and runtime bytecode of every contract under
contracts/ except contracts/test/ (with their link references and immutable offsets) are compared
with those of the unmutated build. All identical: the mutant is the same program as deployed, so
provably equivalent (`"tce": "identical"`); otherwise `"tce": "differs"` and `tce_differs` names
the contracts whose code differs. A survivor whose code differs is built once more under
[profile.tce_ir], the same settings through the IR pipeline (`via_ir`), whose Yul optimizer
simplifies what the legacy one leaves, e.g. `x <= 0` to `x == 0` for an unsigned x: identical
there too proves the mutant the same program as the original (`"tce_profile": "tce_ir"`), as
Papadakis et al. count a mutant equivalent when any optimization level compiles both to the same
binary. The verdict is kept while the contracts and those settings are unchanged (`tce_key`).

Usage: python tools/mutation.py [--workers N] [--timeout S] [--only PATH_SUBSTRING] [--report-only]
       python tools/mutation.py --tce [--workers N]   (the TCE pass over the survivors only)
       python tools/mutation.py --tce-check ID,...   (prints the TCE verdict of any mutants)
"""

from __future__ import annotations

import argparse
import functools
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
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable
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
# The trivial-compiler-equivalence builds, in the order tried, and their output folders: the
# deployed settings, then the same through the IR pipeline (tried only where
# same_meaning_through_ir admits the mutant).
TCE_IR = "tce_ir"
TCE_PROFILES = {"tce": "build/foundry/tce-out", TCE_IR: "build/foundry/tce-ir-out"}
# The compiler settings that decide a TCE build's bytecode (`forge config` of each TCE profile).
TCE_SETTINGS = [
    "solc",
    "evm_version",
    "optimizer",
    "optimizer_runs",
    "optimizer_details",
    "via_ir",
    "bytecode_hash",
    "cbor_metadata",
    "remappings",
    "libraries",
]
BATCH = 40  # mutants of one file a worker takes at a time


class WorkerFailure(Exception):
    """A worker cannot do its work (e.g. the unmutated tree fails): the whole campaign stops."""


def tree_hash(*folders: str, exclude: str | None = None) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and not (exclude and path.is_relative_to(ROOT / exclude)):
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def contracts_hash() -> str:
    """What the mutants are made of: the product contracts and the interfaces."""
    return tree_hash("contracts", "interfaces", exclude="contracts/test")


def tests_hash() -> str:
    """What decides whether a mutant survives: the Foundry tests and the test doubles they use."""
    return tree_hash("tests/foundry", "contracts/test")


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

    def __init__(self, index: int, timeout: float | None = None) -> None:
        self.tree = WORKDIR / f"worker-{index}"
        self.timeout = timeout
        self.mutated: Path | None = None
        self.original = b""
        self.baselines: dict[str, dict[str, tuple]] = {}

    def copy_tree(self) -> None:
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

    def prepare(self) -> None:
        self.copy_tree()
        passed, output = self.forge()
        if not passed:
            raise WorkerFailure(f"the unit tier fails on the unmutated tree:\n{output[-3000:]}")

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

    def mutate(self, mutant: dict) -> None:
        target = self.tree / mutant["file"]
        if self.mutated != target:
            self.restore()
            self.mutated, self.original = target, target.read_bytes()
        target.write_bytes(apply(self.original, mutant))

    def run(self, mutant: dict) -> dict:
        self.mutate(mutant)
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

    # Trivial compiler equivalence -------------------------------------------------------------

    def prepare_tce(self) -> None:
        self.copy_tree()
        for profile in TCE_PROFILES:
            baseline = self.tce_build(profile)
            if baseline is None:
                raise WorkerFailure(f"the unmutated tree does not build under [profile.{profile}]")
            self.baselines[profile] = baseline

    def tce_build(self, profile: str) -> dict[str, tuple] | None:
        """Builds the tree under [profile.PROFILE]; the code of every product contract, or None when
        the build fails."""
        result = subprocess.run(
            ["forge", "build"],
            cwd=self.tree,
            env={**os.environ, "FOUNDRY_PROFILE": profile},
            capture_output=True,
            text=True,
            check=False,
        )
        output = result.stdout + result.stderr
        if result.returncode != 0:
            return None
        if self.mutated is not None and self.mutated.read_bytes() != self.original and "Compiling" not in output:
            # forge's cache keys sources by content, so a changed file is always recompiled; if it
            # was not, the artifacts are stale and comparing them would prove nothing. (A mutant
            # whose text is the original's may rightly reuse the unmutated build.)
            raise WorkerFailure(f"forge did not recompile the mutated {self.mutated}:\n{output[-3000:]}")
        return product_code(self.tree / TCE_PROFILES[profile])

    def tce(self, mutant: dict) -> dict:
        """`identical` (and the first profile under which it is) or `differs` (and the contracts
        whose code differs under the deployed settings)."""
        self.mutate(mutant)
        verdict: dict = {"tce": "uncompiled"}
        for profile, baseline in self.baselines.items():
            if profile == TCE_IR and not same_meaning_through_ir(mutant):
                continue
            code = self.tce_build(profile)
            if code is None:
                continue
            differs = sorted(name for name in baseline.keys() | code.keys() if code.get(name) != baseline.get(name))
            if not differs:
                return {"tce": "identical", "tce_profile": profile}
            if verdict["tce"] == "uncompiled":
                verdict = {"tce": "differs", "tce_differs": differs}
        return verdict


# An integer type name: a mutant that only swaps these, or only a comparison operator, means the same
# through either pipeline (the report lists the pipelines' documented differences in meaning).
_INTEGER_TYPE = re.compile(r"\bu?int\d*\b")


def same_meaning_through_ir(mutant: dict) -> bool:
    """Whether the mutant changes only a comparison operator (ROR) or integer type names, so that
    identical bytecode through the IR pipeline proves it equivalent to the original as deployed."""
    if mutant["mutator"] == "ROR":
        return True
    return _INTEGER_TYPE.sub("int", mutant["old"]) == _INTEGER_TYPE.sub("int", mutant["new"])


def product_code(out: Path) -> dict[str, tuple]:
    """`source:Contract` -> creation bytecode, its link references, runtime bytecode, its link
    references and the runtime's immutable offsets, for every contract of contracts/ except
    contracts/test/ in a forge output folder. The immutables are compared by their offsets only:
    forge recompiles only the changed files and what imports them, so AST ids (the keys of
    immutableReferences) depend on which files a build compiled."""
    code = {}
    for path in out.rglob("*.json"):
        if "build-info" in path.parts:
            continue
        artifact = json.loads(path.read_text())
        target = artifact.get("metadata", {}).get("settings", {}).get("compilationTarget", {})
        for source, name in target.items():
            if source.startswith("contracts/") and not source.startswith("contracts/test/"):
                creation, runtime = artifact["bytecode"], artifact["deployedBytecode"]
                immutables = sorted(
                    sorted((ref["start"], ref["length"]) for ref in refs)
                    for refs in runtime.get("immutableReferences", {}).values()
                )
                code[f"{source}:{name}"] = (
                    creation["object"],
                    json.dumps(creation.get("linkReferences", {}), sort_keys=True),
                    runtime["object"],
                    json.dumps(runtime.get("linkReferences", {}), sort_keys=True),
                    json.dumps(immutables),
                )
    return code


def tce_key(contracts: str) -> str:
    """What a TCE verdict depends on: the contracts and the TCE builds' compiler settings."""
    digest = hashlib.sha256(json.dumps([contracts, tce_settings()], sort_keys=True).encode())
    return digest.hexdigest()[:16]


@functools.cache
def tce_settings() -> dict:
    """The compiler settings of each TCE profile (`forge config`) and the solc-js version: asked
    once per run."""
    settings: dict = {}
    for profile in TCE_PROFILES:
        result = subprocess.run(
            ["forge", "config", "--json"],
            cwd=ROOT,
            env={**os.environ, "FOUNDRY_PROFILE": profile},
            capture_output=True,
            text=True,
            check=True,
        )
        config = json.loads(result.stdout)
        settings[profile] = {name: config.get(name) for name in TCE_SETTINGS}
    settings["solc-js"] = json.loads((ROOT / "node_modules" / "solc" / "package.json").read_text())["version"]
    return settings


# ------------------------------------------------------------------------------------ campaign


def load_results() -> dict:
    return json.loads(RESULTS.read_text()) if RESULTS.exists() else {}


def save_results(results: dict) -> None:
    RESULTS.write_text(json.dumps(dict(sorted(results.items())), indent=1) + "\n")


def still_valid(entry: dict | None, contracts: str, tests: str) -> bool:
    if not entry or entry.get("contracts") != contracts:
        return False
    return entry["status"] != "survived" or entry.get("tests") == tests


def in_workers(
    todo: list[dict],
    workers: int,
    start: Callable[[Worker], None],
    step: Callable[[Worker, dict], dict],
    record: Callable[[dict, dict], None],
    results: dict | None,
) -> None:
    """Runs STEP on every mutant of TODO in WORKERS worker trees (each made ready by START) and
    RECORDs each outcome (into RESULTS, saved as it goes, unless RESULTS is None). A worker that
    fails (START raises WorkerFailure, or anything else goes wrong) stops every worker, and the run
    exits with the failure's message and a non-zero status: an exception inside a thread (SystemExit
    included) would otherwise be lost, and the run would print a score as if it had tested."""
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
    stop = threading.Event()
    failures: list[str] = []
    done = [0]
    started = time.monotonic()

    def work(index: int) -> None:
        worker = Worker(index)
        try:
            start(worker)
            while not stop.is_set():
                try:
                    batch = jobs.get_nowait()
                except queue.Empty:
                    return
                for mutant in batch:
                    if stop.is_set():
                        return
                    outcome = step(worker, mutant)
                    with lock:
                        record(mutant, outcome)
                        done[0] += 1
                        if results is not None and (done[0] % 10 == 0 or done[0] == len(todo)):
                            save_results(results)
                            rate = (time.monotonic() - started) / done[0]
                            print(
                                f"[mutation] {done[0]}/{len(todo)} ({rate:.1f} s each, "
                                f"~{rate * (len(todo) - done[0]) / 60:.0f} min left)",
                                flush=True,
                            )
        except BaseException as error:  # SystemExit and the like must stop the run too
            why = str(error) if isinstance(error, WorkerFailure) else traceback.format_exc()
            with lock:
                failures.append(f"worker {index}: {why}")
            stop.set()
        finally:
            worker.restore()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if results is not None:
        save_results(results)
    if failures:
        sys.exit("[mutation] stopped, a worker failed:\n" + "\n".join(failures))


def campaign(mutants: list[dict], workers: int, timeout: float) -> None:
    contracts, tests = contracts_hash(), tests_hash()
    results = load_results()
    todo = [m for m in mutants if not still_valid(results.get(m["id"]), contracts, tests)]
    print(f"[mutation] {len(mutants)} mutants, {len(mutants) - len(todo)} known, {len(todo)} to test", flush=True)
    if not todo:
        return

    def start(worker: Worker) -> None:
        worker.timeout = timeout
        worker.prepare()

    def record(mutant: dict, outcome: dict) -> None:
        old = results.get(mutant["id"]) or {}
        # A survivor retested against changed tests keeps its TCE verdict (it depends only on the
        # contracts and the compiler settings, see tce_key).
        kept = {k: v for k, v in old.items() if k.startswith("tce")} if outcome["status"] == "survived" else {}
        results[mutant["id"]] = {**mutant, **outcome, "contracts": contracts, "tests": tests, **kept}

    in_workers(todo, workers, start, Worker.run, record, results)


def tce_pass(mutants: list[dict], workers: int) -> None:
    """Trivial compiler equivalence of every survivor without a verdict for the current contracts
    and settings (see the module's docstring)."""
    contracts = contracts_hash()
    key = tce_key(contracts)
    results = load_results()
    survivors = [m for m in mutants if (results.get(m["id"]) or {}).get("status") == "survived"]
    todo = [m for m in survivors if results[m["id"]].get("tce_key") != key]
    print(f"[mutation] TCE: {len(survivors)} survivors, {len(survivors) - len(todo)} known, {len(todo)} to build")
    if not todo:
        return

    def record(mutant: dict, outcome: dict) -> None:
        entry = {k: v for k, v in results[mutant["id"]].items() if not k.startswith("tce")}
        results[mutant["id"]] = {**entry, **outcome, "tce_key": key}

    in_workers(todo, workers, Worker.prepare_tce, Worker.tce, record, results)


def tce_check(mutants: list[dict], ids: list[str]) -> None:
    """Prints the TCE verdict of the given mutants (any status), saving nothing."""
    chosen = [m for m in mutants if m["id"] in ids]
    missing = set(ids) - {m["id"] for m in chosen}
    if missing:
        sys.exit(f"[mutation] no such mutants: {', '.join(sorted(missing))}")
    verdicts: dict = {}
    in_workers(chosen, 1, Worker.prepare_tce, Worker.tce, lambda m, o: verdicts.update({m["id"]: o}), None)
    for mutant in chosen:
        print(
            f"{mutant['id']} {mutant['file']}:{mutant['line']} `{mutant['old']}` -> `{mutant['new']}`: "
            f"{json.dumps(verdicts[mutant['id']])}"
        )


# ------------------------------------------------------------------------------------ report


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def percent(part: int, whole: int) -> str:
    """PART/WHOLE as a percentage cut (never rounded up) to one decimal."""
    return f"{part * 1000 // whole / 10:.1f}%" if whole else "-"


def report(mutants: list[dict]) -> tuple[int, int]:
    """Writes docs/mutation.md; returns the score against the goal as (killed, denominator)."""
    results = load_results()
    equivalent = json.loads(EQUIVALENT.read_text()) if EQUIVALENT.exists() else {}
    key = tce_key(contracts_hash())

    def verdict(entry: dict) -> str | None:
        """The survivor's TCE verdict, if it was made for the current contracts and settings."""
        return entry.get("tce") if entry.get("tce_key") == key else None

    def proved_through_ir(entry: dict) -> bool:
        """Whether the survivor's bytecode is identical only through the IR pipeline."""
        return verdict(entry) == "identical" and entry.get("tce_profile") == TCE_IR

    def tally(entries: list[dict]) -> dict[str, int]:
        c = Counter(r["status"] for r in entries)
        survivors = [r for r in entries if r["status"] == "survived"]
        identical = sum(1 for r in survivors if verdict(r) == "identical")
        return {
            "killed": c["killed"] + c["timeout"],
            "timeout": c["timeout"],
            "survived": c["survived"],
            "uncompiled": c["uncompiled"],
            "compiled": c["killed"] + c["timeout"] + c["survived"],
            "identical": identical,
            "identical_ir": sum(1 for r in survivors if proved_through_ir(r)),
            "differs": sum(1 for r in survivors if verdict(r) == "differs"),
            "unchecked": sum(1 for r in survivors if verdict(r) not in ("identical", "differs")),
            "reason_only": sum(1 for r in survivors if verdict(r) != "identical" and r["id"] in equivalent),
            "unexplained": sum(1 for r in survivors if verdict(r) != "identical" and r["id"] not in equivalent),
        }

    rows = [results[m["id"]] for m in mutants if m["id"] in results]
    t = tally(rows)
    ir_mutators = Counter(r["mutator"] for r in rows if r["status"] == "survived" and proved_through_ir(r))
    goal = t["compiled"] - t["identical"]
    met = goal > 0 and t["killed"] * 100 >= 95 * goal and t["unexplained"] == 0
    compiled_seconds = [r["seconds"] for r in rows if r["status"] != "uncompiled"]
    uncompiled_seconds = [r["seconds"] for r in rows if r["status"] == "uncompiled"]
    mean = sum(r["seconds"] for r in rows) / max(len(rows), 1)
    survivors = [r for r in rows if r["status"] == "survived"]
    lines = [
        "# Mutation score",
        "",
        f"**Score against the goal (at least 95% killed, every survivor killed or equivalent): "
        f"{percent(t['killed'], goal)}** = {t['killed']} killed / {goal} compiled mutants whose bytecode differs "
        f"from the original's ({t['compiled']} compiled − {t['identical']} with identical bytecode, "
        f"{t['identical_ir']} of them through the IR pipeline only). "
        f"Goal **{'met' if met else 'not met'}**"
        + (f" ({t['unexplained']} survivors neither killed nor explained)" if t["unexplained"] else "")
        + (f"; {t['unchecked']} survivors' bytecode not compared yet" if t["unchecked"] else "")
        + f". Over all {t['compiled']} compiled mutants, identical-bytecode ones included, "
        f"{percent(t['killed'], t['compiled'])} are killed. Percentages are cut, not rounded, to one decimal.",
        "",
        "Generated by `./run mutation` (tools/mutation.py): slither-mutate's mutators generate every",
        "mutant of every product contract (contracts/ except contracts/test/); each is built and run",
        "against the Foundry unit tier (tests/foundry/unit, profile `unit`: optimizer off).",
        "A timeout counts as killed. Uncompiled mutants are not in the score.",
        "Every survivor is then built with the deployed compiler settings (profile `tce`: solc 0.8.28,",
        "evm cancun, optimizer on, 1,000,000 runs; CBOR metadata off) and the creation and runtime",
        "bytecode (with link references and immutable offsets) of every product contract compared with",
        "the unmutated build's: identical for all means the mutant compiles to the very program deployed,",
        "so it is equivalent by proof (trivial compiler equivalence, Papadakis et al., ICSE 2015).",
        "A survivor whose bytecode differs is built again through the IR pipeline (profile `tce_ir`: the",
        "same settings with `via_ir`, whose Yul optimizer simplifies more, e.g. `x <= 0` to `x == 0` for",
        "an unsigned x); identical there is the same proof for a second optimization level, as the paper",
        "counts a mutant equivalent when any level compiles both to the same binary. The two pipelines",
        'differ in meaning only where the Solidity docs list ("IR-based Codegen Changes": state variable',
        "initialisation order under inheritance, `delete` of storage structs, modifiers running `_` more",
        "than once, copying `bytes` to storage, the free memory pointer's limit, the order of evaluating",
        "expressions with side effects, dirty bits seen from inline assembly). A changed comparison",
        "operator or integer type touches none of those (the product contracts hold no inline assembly),",
        "so only such mutants are tried this way; they are marked below (mutators: "
        + (", ".join(f"{name} {n}" for name, n in sorted(ir_mutators.items())) or "none")
        + ").",
        "The other survivors are equivalent only by the written reason in tools/mutation-equivalent.json.",
        "",
        f"- mutants generated: {len(mutants)}; tested: {len(rows)}; not yet tested: {len(mutants) - len(rows)}",
        f"- compiled: {t['compiled']}; uncompiled: {t['uncompiled']}",
        f"- killed: {t['killed']} (of which {t['timeout']} by timeout); surviving: {t['survived']}",
        f"- survivors with identical bytecode (equivalent by proof): {t['identical']} "
        f"({t['identical'] - t['identical_ir']} under the deployed settings, {t['identical_ir']} through the IR "
        f"pipeline only); with different bytecode: "
        f"{t['differs']}; not compared yet: {t['unchecked']}",
        f"- survivors equivalent by a written reason only (bytecode not identical or not compared): "
        f"{t['reason_only']}; neither identical nor explained: {t['unexplained']}",
        f"- killed / compiled: {t['killed']} / {t['compiled']} = {percent(t['killed'], t['compiled'])}",
        f"- killed / (compiled − identical bytecode): {t['killed']} / {goal} = {percent(t['killed'], goal)} "
        "(the score against the goal)",
        f"- time per mutant in one worker (build and unit tier): {_mean(compiled_seconds):.1f} s compiled, "
        f"{_mean(uncompiled_seconds):.1f} s uncompiled; the {len(mutants) - len(rows)} untested mutants "
        f"would take about {(len(mutants) - len(rows)) * mean / 2 / 60:.0f} min with two workers",
        "",
        "## Per contract",
        "",
        "`identical` counts the survivors with identical bytecode; `score` is killed / compiled,",
        "`score excl. identical` is killed / (compiled − identical).",
        "",
        "| file | generated | tested | compiled | killed | surviving | identical | score | score excl. identical |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for file in sorted({m["file"] for m in mutants}):
        mine = [m for m in mutants if m["file"] == file]
        c = tally([results[m["id"]] for m in mine if m["id"] in results])
        lines.append(
            f"| {file} | {len(mine)} | {c['compiled'] + c['uncompiled']} | {c['compiled']} | {c['killed']} "
            f"| {c['survived']} | {c['identical']} | {percent(c['killed'], c['compiled'])} "
            f"| {percent(c['killed'], c['compiled'] - c['identical'])} |"
        )
    lines += ["", "## Surviving mutants", ""]
    if not survivors:
        lines.append("None.")
    for r in survivors:
        why = equivalent.get(r["id"])
        tce = verdict(r)
        if proved_through_ir(r):
            proof = "**identical bytecode through the IR pipeline** (equivalent by proof)"
        elif tce == "identical":
            proof = "**identical bytecode** (equivalent by proof)"
        elif tce == "differs":
            names = ", ".join(name.split(":")[-1] for name in r.get("tce_differs", []))
            proof = f"bytecode differs ({names})"
        else:
            proof = "bytecode not compared"
        status = f"equivalent: {why}" if why else "**not killed yet**"
        old = r["old"].strip().replace("|", "\\|").replace("\n", " ")
        new = r["new"].strip().replace("|", "\\|").replace("\n", " ")
        lines.append(f"- `{r['id']}` {r['file']}:{r['line']} {r['mutator']}: `{old}` → `{new}`: {proof}; {status}")
    REPORT.write_text("\n".join(lines) + "\n")
    return t["killed"], goal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per mutant; over it counts as killed")
    parser.add_argument("--only", help="test only mutants whose file path contains one of these (comma-separated)")
    parser.add_argument("--report-only", action="store_true", help="rewrite docs/mutation.md from the results")
    parser.add_argument("--tce", action="store_true", help="only the TCE pass over the survivors, then the report")
    parser.add_argument("--tce-check", metavar="IDS", help="print the TCE verdict of these mutants (comma-separated)")
    parser.add_argument("--list", action="store_true", help="print the mutant counts per file and stop")
    args = parser.parse_args()
    mutants = generate_mutants()
    if args.list:
        for file, n in sorted(Counter(m["file"] for m in mutants).items()):
            print(f"{n:5d} {file}")
        print(f"{len(mutants):5d} total")
        return
    if args.tce_check:
        tce_check(mutants, args.tce_check.split(","))
        return
    if not args.report_only:
        chosen = [m for m in mutants if not args.only or any(part in m["file"] for part in args.only.split(","))]
        if not args.tce:
            campaign(chosen, args.workers, args.timeout)
        tce_pass(chosen, args.workers)
    killed, goal = report(mutants)
    where = REPORT.relative_to(ROOT)
    print(f"[mutation] score {percent(killed, goal)}: killed / (compiled - identical bytecode) ({where})")


if __name__ == "__main__":
    main()
