"""Branch coverage of the project's contracts, measured by a brownie test run on Anvil.

Status: not part of `./run test` yet, and unproven: no run of this version has yet printed its
table (a subset of tests/unit passed under it but ran out of time first; a full unit-tier run is
estimated at 30-40 minutes on 2 cores), so the project has no coverage figure yet (issue "Prove
the escrows keep every wei").

    python tools/coverage.py [--min 95] [--network anvil-cov] [PATHS ...] [-- PYTEST ARGS]

Runs `brownie test PATHS --coverage` (default PATHS: tests/unit) in this process, writes
reports/coverage.json (brownie's own report, viewable in `brownie gui`) and
reports/coverage-eval.json (the raw merged evaluation), prints a per-contract table for the
contracts under contracts/ (not contracts/test/, not OpenZeppelin) and every branch that is not
covered on both sides, and exits 1 when the overall branch coverage or any contract's is below
--min (0 when at or above; 2 when nothing could be measured). Failing tests do not stop the
report; their count is printed.

Two things stand in the way of `brownie test --coverage` with eth-brownie 1.22.2 on Anvil:

* Anvil returns no trace steps unless started with `--steps-tracing`. brownie's Anvil backend maps
  the `steps_tracing` cmd_setting to that flag, so the run uses its own network (default
  `anvil-cov`, port 8548), added once with
  `brownie networks add Development anvil-cov cmd=anvil host=http://127.0.0.1 port=8548
  accounts=10 base_fee=0 gas_limit=12000000 steps_tracing=true`.
* The mypyc-compiled `brownie.test.output` and `brownie.test.coverage` declare a transaction's
  evaluation per source as `dict[int, set]`, but `brownie.network.transaction` (pure Python)
  builds it as a list `[statements, false-branches, true-branches]`, so the compiled report
  builder fails with "dict object expected; got list". The pure-Python sources of both modules
  ship next to their .so; a meta-path finder installed before brownie is imported makes Python
  load those instead (the same code, without mypyc's type checks).

brownie also caches per-transaction coverage in build/tests.json and reuses it for transactions
with the same hash; runs without coverage (or on Anvil without --steps-tracing) store empty
evaluations there, which would silently count as "nothing covered". This tool ignores that cache
(every transaction is traced afresh) and writes its test/transaction record to
build/coverage-tests.json instead of build/tests.json, so it neither reads nor disturbs the
cache of ordinary test runs.
"""

import argparse
import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PURE_PYTHON_MODULES = ("brownie.test.coverage", "brownie.test.output")
# OpenZeppelin code compiled into ours (same list as brownie-config.yaml `reports`).
PRODUCT_DIR = "contracts/"
EXCLUDED_DIR = "contracts/test/"


class _PurePythonBrownie(importlib.abc.MetaPathFinder):
    """Loads the listed brownie modules from their .py source instead of the mypyc build."""

    def find_spec(self, fullname, path, target=None):
        if fullname not in PURE_PYTHON_MODULES or not path:
            return None
        for entry in path:
            source = Path(entry, fullname.rsplit(".", 1)[1] + ".py")
            if source.is_file():
                loader = importlib.machinery.SourceFileLoader(fullname, str(source))
                return importlib.util.spec_from_file_location(fullname, source, loader=loader)
        return None


def _install_pure_python_modules():
    if any(name in sys.modules for name in ("brownie", *PURE_PYTHON_MODULES)):
        sys.exit("tools/coverage.py must install its import hook before brownie is imported")
    sys.meta_path.insert(0, _PurePythonBrownie())
    import brownie  # noqa: F401  (imports brownie.network.transaction -> brownie.test.coverage)
    import brownie.test.coverage as coverage
    import brownie.test.output as output

    for module in (coverage, output):
        if not module.__file__.endswith(".py"):
            sys.exit(f"{module.__name__} is still the compiled module ({module.__file__})")
    return coverage, output


def _patch_brownie(coverage, output, captured):
    # Ignore build/tests.json's cached evaluations: trace every transaction of this run.
    coverage._add_cached_transaction = lambda coverage_hash, coverage_eval: None

    save = output._save_coverage_report

    def save_and_capture(build, coverage_eval, report_path):
        from brownie.project import get_loaded_projects

        captured["eval"] = coverage_eval
        captured["sources"] = get_loaded_projects()[0]._sources
        return save(build, coverage_eval, report_path)

    output._save_coverage_report = save_and_capture

    from brownie.test.managers.runner import PytestBrownieRunner

    PytestBrownieRunner.pytest_sessionfinish = lambda self: self._sessionfinish("coverage-tests.json")


EIP1167_PREFIX = bytes.fromhex("363d3d373d3d3d363d73")


def _metadata_tail(code):
    """The CBOR metadata solc appends to runtime code (its length is in the last two bytes)."""
    if len(code) < 2:
        return None
    length = int.from_bytes(code[-2:], "big") + 2
    return bytes(code[-length:]) if 2 < length <= len(code) else None


def _patch_trace_resolution():
    """Resolve each call frame of a trace by the code it runs, for coverage only.

    brownie maps a frame to a contract by address and reads it with that contract's
    program-counter map (pcMap), which misses almost all of this project's code:

    * brownie drops a contract's pcMap when its on-chain code differs from the artifact's
      (`_verify_deployed_code`), which is always the case with Solidity immutables: EscrowFactory
      and InstrumentRegistry (their implementation addresses) and every escrow (`_implementation`).
    * Every escrow and manager is an EIP-1167 clone of an implementation that the factory or the
      registry deploys in its constructor. The tests register a clone as e.g.
      `InstrumentEscrow.at(clone)`, so brownie would read the 45-byte proxy with InstrumentEscrow's
      map, and the implementation the proxy delegates to is unknown to it.

    This wraps the trace expansion's `_get_last_map` (nothing else calls it): a proxy frame is
    treated as unknown code (its delegatecall frame is the implementation), and a frame whose code
    carries the same solc metadata hash as a project artifact is read with that artifact's pcMap
    (immutables change PUSH32 arguments only, never program counters).
    """
    import brownie.network.transaction as transaction
    from brownie.network.contract import ProjectContract
    from brownie.network.state import _add_contract, _find_contract
    from brownie.network.web3 import web3
    from brownie.project import get_loaded_projects

    original = transaction._get_last_map
    by_tail = {}

    def lookup(tail):
        if not by_tail:
            for project in get_loaded_projects():
                for _name, build in project._build.items():
                    code = build.get("deployedBytecode") or ""
                    if code and "_" not in code and build.get("pcMap"):
                        key = _metadata_tail(bytes.fromhex(code.removeprefix("0x")))
                        if key:
                            by_tail[key] = (project, build)
        return by_tail.get(tail)

    def unknown(address, sig):
        return {
            "address": transaction.EthAddress(address),
            "jumpDepth": 0,
            "name": None,
            "coverage": False,
            "contract": None,
            "internal_calls": [f"<UnknownContract>.{sig}"],
            "pc_map": None,
        }

    def known(address, contract, build, sig):
        # what brownie's `_get_last_map` returns for a project contract, with the artifact's pcMap
        method = contract.get_method(sig)
        last_map = {
            "address": transaction.EthAddress(address),
            "jumpDepth": 0,
            "name": contract._name,
            "coverage": True,
            "contract": contract,
            "function": contract.get_method_object(sig),
            "internal_calls": [f"{contract._name}.{method}" if method else contract._name],
            "path_map": build.get("allSourcePaths"),
            "pc_map": build["pcMap"],
        }
        if build.get("language") == "Solidity":
            last_map["active_branches"] = set()
        return last_map

    def get_last_map(address, sig):
        code = bytes(web3.eth.get_code(transaction.EthAddress(address)))
        if code.startswith(EIP1167_PREFIX):
            return unknown(address, sig)
        tail = _metadata_tail(code)
        found = lookup(tail) if tail else None
        if not found:
            return original(address, sig)
        project, build = found
        contract = _find_contract(address)
        if not isinstance(contract, ProjectContract) or contract._name != build["contractName"]:
            # an implementation deployed inside a constructor: register it like `.at()` would,
            # since brownie's revert and traceback code also looks frames up by address (brownie
            # forgets it again when the test's snapshot is reverted)
            contract = ProjectContract(project, build, transaction.EthAddress(address))
            _add_contract(contract)
        return known(address, contract, build, sig)

    transaction._get_last_map = get_last_map


def _compile_if_sources_changed():
    """What `./run` does before every test run: brownie's cache misses embedded creation code."""
    stamp = ROOT / "build/.sources.sha256"
    files = sorted(str(p.relative_to(ROOT)) for d in ("contracts", "interfaces") for p in (ROOT / d).rglob("*.sol"))
    data = (ROOT / "brownie-config.yaml").read_bytes() + b"".join((ROOT / f).read_bytes() for f in files)
    want = hashlib.sha256(data).hexdigest()
    if not stamp.exists() or stamp.read_text().strip() != want:
        print("[coverage] Solidity sources changed: compiling everything", file=sys.stderr)
        subprocess.run(
            [str(ROOT / ".venv/bin/brownie"), "compile", "--all"],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        stamp.write_text(want + "\n")


def _text(text_cache, sources, path):
    if path not in text_cache:
        try:
            text = sources.get(path)
        except Exception:
            text = (ROOT / path).read_text(encoding="utf-8")
        text_cache[path] = text.encode("utf-8")
    return text_cache[path]


def _line_of(text_cache, sources, path, offset):
    return _text(text_cache, sources, path)[:offset].count(b"\n") + 1


def analyse(coverage_eval, builds, sources):
    """Per product contract: branch sides covered, statements covered, and uncovered branches.

    brownie's evaluation per contract and source id is [statements, branches seen not jumping,
    branches seen jumping]; a coverage-map branch entry is [start, stop, jump_means_true].
    """
    contracts = {}
    text_cache = {}
    for _, build in sorted(builds.items()):
        source = build.get("sourcePath", "")
        if not build.get("bytecode") or not source.startswith(PRODUCT_DIR):
            continue
        if source.startswith(EXCLUDED_DIR):
            continue
        name = build["contractName"]
        paths = build["allSourcePaths"]
        evaluation = coverage_eval.get(name, {})
        result = {
            "source": source,
            "branches": 0,
            "sides": 0,
            "both": 0,
            "statements": 0,
            "statements_hit": 0,
            "uncovered": [],
        }
        for kind in ("statements", "branches"):
            for path_id, functions in build["coverageMap"][kind].items():
                path = paths[path_id]
                if not path.startswith(PRODUCT_DIR) or path.startswith(EXCLUDED_DIR):
                    continue  # OpenZeppelin (node_modules) and mocks are measured elsewhere
                hit = evaluation.get(path_id) or [[], [], []]
                stmts, no_jump, jumped = (set(map(int, s)) for s in hit)
                for fn, entries in functions.items():
                    for index, entry in entries.items():
                        index = int(index)
                        if kind == "statements":
                            result["statements"] += 1
                            result["statements_hit"] += index in stmts
                            continue
                        start, stop, jump_means_true = entry
                        seen_true = index in (jumped if jump_means_true else no_jump)
                        seen_false = index in (no_jump if jump_means_true else jumped)
                        result["branches"] += 1
                        result["sides"] += seen_true + seen_false
                        result["both"] += seen_true and seen_false
                        if seen_true and seen_false:
                            continue
                        if not (seen_true or seen_false):
                            missing = "never evaluated"
                        elif seen_true:
                            missing = "never false"
                        else:
                            missing = "never true"
                        snippet = _snippet(text_cache, sources, path, start, stop)
                        result["uncovered"].append(
                            {
                                "function": fn,
                                "location": f"{path}:{_line_of(text_cache, sources, path, start)}",
                                "condition": snippet,
                                "missing": missing,
                            }
                        )
        result["uncovered"].sort(key=lambda u: (u["location"].split(":")[0], _line_key(u)))
        contracts[name] = result
    return contracts


def _line_key(u):
    return int(u["location"].rsplit(":", 1)[1])


def _snippet(text_cache, sources, path, start, stop):
    text = _text(text_cache, sources, path)[start:stop].decode("utf-8", "replace")
    text = " ".join(text.split())
    return text if len(text) <= 70 else text[:67] + "..."


def _pct(part, whole):
    return 100.0 * part / whole if whole else 100.0


def print_report(contracts, minimum, test_status, elapsed):
    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if sys.stdout.isatty() else 160)
    table = Table(title=f"Branch coverage (gate {minimum:g}%)", title_justify="left")
    for column in ("contract", "branches", "sides hit", "branch %", "both sides", "statements %"):
        table.add_column(column, justify="left" if column == "contract" else "right")
    total = {"branches": 0, "sides": 0, "both": 0, "statements": 0, "statements_hit": 0}
    failing = []
    for name, r in sorted(contracts.items()):
        pct = _pct(r["sides"], 2 * r["branches"])
        if pct < minimum:
            failing.append(name)
        style = "green" if pct >= minimum else "red"
        table.add_row(
            name,
            str(r["branches"]),
            f"{r['sides']}/{2 * r['branches']}",
            f"[{style}]{pct:.1f}%[/]",
            f"{r['both']}/{r['branches']}",
            f"{_pct(r['statements_hit'], r['statements']):.1f}%",
        )
        for key in total:
            total[key] += r[key]
    overall = _pct(total["sides"], 2 * total["branches"])
    style = "green" if overall >= minimum else "red"
    table.add_row(
        "[bold]total",
        str(total["branches"]),
        f"{total['sides']}/{2 * total['branches']}",
        f"[bold {style}]{overall:.1f}%[/]",
        f"{total['both']}/{total['branches']}",
        f"{_pct(total['statements_hit'], total['statements']):.1f}%",
        end_section=True,
    )
    console.print(table)

    uncovered = [(n, u) for n, r in sorted(contracts.items()) for u in r["uncovered"]]
    if uncovered:
        listing = Table(title="Branches not covered on both sides", title_justify="left")
        for column in ("contract", "function", "location", "missing", "condition"):
            listing.add_column(column, overflow="fold")
        for name, u in uncovered:
            listing.add_row(name, u["function"], u["location"], u["missing"], u["condition"])
        console.print(listing)

    console.print(f"tests: {test_status}; coverage run took {elapsed:.1f}s")
    if overall < minimum or failing:
        below = ", ".join(failing) or "total"
        console.print(f"[red]branch coverage below {minimum:g}%: {below}")
        return 1
    console.print(f"[green]branch coverage {overall:.1f}% >= {minimum:g}%")
    return 0


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1 :]
        argv = argv[: argv.index("--")]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=["tests/unit"])
    parser.add_argument("--min", type=float, default=95.0, help="gate in percent (default 95)")
    parser.add_argument("--network", default="anvil-cov", help="brownie network id")
    parser.add_argument("--no-compile", action="store_true", help="skip the source-change check")
    args = parser.parse_args(argv)

    os.chdir(ROOT)
    os.environ["PATH"] = os.pathsep.join(
        [str(ROOT / "node_modules/.bin"), str(ROOT / ".venv/bin"), os.environ.get("PATH", "")]
    )
    if not args.no_compile:
        _compile_if_sources_changed()

    coverage, output = _install_pure_python_modules()
    captured = {}
    _patch_brownie(coverage, output, captured)
    _patch_trace_resolution()

    from brownie._cli.__main__ import main as brownie_main

    sys.argv = [
        "brownie",
        "test",
        *args.paths,
        "--coverage",
        "--network",
        args.network,
        "-p",
        "no:cacheprovider",
        *extra,
    ]
    # The artifacts as brownie loads them at the start (build/ may be recompiled by someone else
    # during the run, which would shift the coverage maps' indices). brownie's in-memory Build
    # holds them in another shape; the JSON files are what its coverage maps index.
    builds = {}
    for artifact in sorted((ROOT / "build/contracts").glob("*.json")):
        data = json.loads(artifact.read_text())
        builds[data["contractName"]] = data
    started = time.monotonic()
    try:
        brownie_main()
        code = 0
    except SystemExit as exc:
        code = exc.code
    elapsed = time.monotonic() - started

    if "eval" not in captured:
        print(f"[coverage] brownie wrote no coverage report (exit {code!r})", file=sys.stderr)
        return 2
    coverage_eval = captured["eval"]
    Path(ROOT / "reports/coverage-eval.json").write_text(
        json.dumps(coverage_eval, default=sorted, indent=1, sort_keys=True)
    )
    contracts = analyse(coverage_eval, builds, captured["sources"])
    if not any(r["sides"] for r in contracts.values()):
        print("[coverage] no branch was recorded: is the network tracing steps?", file=sys.stderr)
        return 2
    status = "all passed" if code == 0 else f"pytest exit {code} (some tests failed or errored)"
    return print_report(contracts, args.min, status, elapsed)


if __name__ == "__main__":
    sys.exit(main())
