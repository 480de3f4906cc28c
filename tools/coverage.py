"""Branch coverage of the project's contracts, measured while the tests run on Anvil.

`./run test` runs the unit tier through it (the unit tests are the coverage run, not run twice).

    python tools/coverage.py [--min 95] [--jobs N] [--network development] [--no-compile] [PATHS ...] [-- PYTEST ARGS]

Runs `brownie test PATHS` (default: tests/unit) in this process and, right after every
transaction is mined and every contract call is answered, asks Anvil for its execution trace
and credits the statements and branches it ran. It then prints a table per contract under
contracts/ (not contracts/test/, not OpenZeppelin) and every branch not covered on both sides,
and writes the raw evaluation to reports/coverage-eval.json. It exits with pytest's code when
tests failed, else 1 when the overall branch coverage or any contract's is below --min, 2 when
nothing could be measured, 0 otherwise.

Why not `brownie test --coverage`: with eth-brownie 1.22.2 on Anvil it measures nothing (Anvil
records no steps unless started with --steps-tracing; with them brownie's mypyc-compiled report
builder crashes on its own data), its build/tests.json cache replays empty results, it cannot
attribute code run in EIP-1167 clones or in contracts with immutables (their code differs from
the artifact), and its trace processing (full memory at every step) made a unit-tier run take
an hour on 2 cores. This collector asks for the smallest traces that answer the question: the
opcode log without stack, memory or storage, plus a call tree (callTracer) that says which code
each call frame ran. A frame's code is matched to an artifact by the solc metadata hash at its
end (immutables change PUSH32 arguments, never program counters), so clones count for their
implementation and contracts with immutables count at all. Statements and branches are read
from brownie's own pcMap and coverageMap, with brownie's rule for a branch: a JUMPI counts when
the frame evaluated that branch's condition, "true" or "false" by whether it jumped.

The network (default `development`, the Anvil brownie starts on 8545) is started with
`--steps-tracing` for this run only (brownie maps the `steps_tracing` cmd_setting to it).

`--jobs N` runs N processes, each against its own Anvil (ports 8545, 8546, ...; each must be
free) and each on a shard of the test modules with about the same number of tests (the
`TEST_SHARD` hook in tests/conftest.py), then merges what they measured into one report.
Tracing is CPU-bound Python, one core per process: on 2 cores, `--jobs 2` (what `./run test`
uses) lets the second core do half of it.
"""

import argparse
import hashlib
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT_DIR = "contracts/"
EXCLUDED_DIR = "contracts/test/"


EIP1167_PREFIX = bytes.fromhex("363d3d373d3d3d363d73")
CALL_OPS = {"CALL", "CALLCODE", "DELEGATECALL", "STATICCALL", "CREATE", "CREATE2"}
CREATE_OPS = {"CREATE", "CREATE2"}
STEP_LOG = {"disableStack": True, "disableMemory": True, "disableStorage": True, "enableReturnData": False}


def _metadata_tail(code):
    """The CBOR metadata solc appends to runtime code (its length is in the last two bytes)."""
    if len(code) < 2:
        return None
    length = int.from_bytes(code[-2:], "big") + 2
    return bytes(code[-length:]) if 2 < length <= len(code) else None


class _Frame:
    """One call frame of a trace: the artifact whose code it runs (None: not ours, or a proxy)."""

    __slots__ = ("name", "pc_map", "active")

    def __init__(self, artifact=None):
        self.name = artifact["contractName"] if artifact else None
        self.pc_map = artifact["pcMapByPc"] if artifact else None
        self.active = set()


class Collector:
    """Accumulates brownie-style coverage evaluations: {contract: {source id: [statements,
    branches not jumped, branches jumped]}} over every traced transaction and call."""

    def __init__(self, builds, rpc, get_code):
        self.evaluation = {}
        self.traced = 0
        self.failed = 0
        self._rpc = rpc
        self._get_code = get_code
        self._by_tail = {}
        for build in builds.values():
            code = build.get("deployedBytecode") or ""
            if code and "_" not in code and build.get("pcMap"):
                tail = _metadata_tail(bytes.fromhex(code.removeprefix("0x")))
                if tail:
                    build["pcMapByPc"] = {int(pc): entry for pc, entry in build["pcMap"].items()}
                    self._by_tail[tail] = build

    def transaction(self, txid):
        self._trace("debug_traceTransaction", [txid, STEP_LOG], [txid, {"tracer": "callTracer"}])

    def call(self, tx, block):
        self._trace("debug_traceCall", [tx, block, STEP_LOG], [tx, block, {"tracer": "callTracer"}])

    def _trace(self, method, step_params, call_params):
        try:
            steps = self._rpc(method, step_params)["structLogs"]
            root = self._rpc(method, call_params)
            self._evaluate(steps, self._preorder(root))
        except Exception as error:  # never fail a test: count it, and show the first
            if not self.failed:
                print(f"[coverage] could not trace ({method}): {error!r}", file=sys.stderr)
            self.failed += 1
            return
        self.traced += 1

    @staticmethod
    def _preorder(root):
        frames, pending = [], [root]
        while pending:
            frame = pending.pop()
            frames.append(frame)
            pending.extend(reversed(frame.get("calls") or []))
        return frames

    def _frame_for(self, call, codes):
        if call is None or call.get("type") in CREATE_OPS or not call.get("to"):
            return _Frame()
        address = call["to"]
        if address not in codes:
            codes[address] = bytes(self._get_code(address))
        code = codes[address]
        if not code or code.startswith(EIP1167_PREFIX):
            return _Frame()  # a clone's proxy: its DELEGATECALL frame runs the implementation
        return _Frame(self._by_tail.get(_metadata_tail(code)))

    def _evaluate(self, steps, calls):
        codes = {}
        pending_calls = iter(calls)
        frames = [self._frame_for(next(pending_calls, None), codes)]
        evaluation = self.evaluation
        last = len(steps) - 1
        for i, step in enumerate(steps):
            depth = step["depth"]
            del frames[depth:]
            frame = frames[-1]
            op = step["op"]
            if frame.pc_map is not None:
                pc = frame.pc_map.get(step["pc"])
                if pc is not None and "fn" in pc and "path" in pc:
                    hits = evaluation.setdefault(frame.name, {}).setdefault(pc["path"], [set(), set(), set()])
                    if "statement" in pc:
                        hits[0].add(pc["statement"])
                    if "branch" in pc:
                        branch = pc["branch"]
                        if op != "JUMPI":
                            frame.active.add(branch)
                        elif branch in frame.active and i < last:
                            hits[1 if steps[i + 1]["pc"] == step["pc"] + 1 else 2].add(branch)
                            frame.active.discard(branch)
            if op in CALL_OPS:
                callee = next(pending_calls, None)
                if i < last and steps[i + 1]["depth"] == depth + 1:
                    frames.append(self._frame_for(callee, codes) if op not in CREATE_OPS else _Frame())


def _rpc_transaction(transaction):
    """A call's parameters as JSON-RPC wants them (quantities and bytes in hex)."""
    encoded = {}
    for key, value in transaction.items():
        if isinstance(value, bytes):
            value = "0x" + value.hex()
        elif isinstance(value, int):
            value = hex(value)
        encoded[key] = value
    return encoded


def _rpc_block(block_identifier):
    if block_identifier is None:
        return "latest"
    return hex(block_identifier) if isinstance(block_identifier, int) else block_identifier


def _install_collector(collector):
    """Traces every transaction once its receipt is in, and every contract call once answered."""
    import brownie.network.contract as contract_module
    from brownie.network.transaction import TransactionReceipt

    set_from_receipt = TransactionReceipt._set_from_receipt

    def set_and_trace(self, receipt):
        set_from_receipt(self, receipt)
        # Once per receipt object, not per hash: with every test in its own chain snapshot, a
        # later test's transaction can have the very hash of an earlier one (same sender, nonce
        # and data) and still run differently.
        if not getattr(self, "_coverage_traced", False):
            self._coverage_traced = True
            collector.transaction(self.txid)

    TransactionReceipt._set_from_receipt = set_and_trace

    eth = contract_module.web3.eth
    call = eth.call

    def call_and_trace(transaction, block_identifier=None, state_override=None):
        try:
            answer = call(transaction, block_identifier, state_override)
        except Exception:  # a call that reverts ran code too
            if state_override is None:
                collector.call(_rpc_transaction(transaction), _rpc_block(block_identifier))
            raise
        # Inside a JSON-RPC batch the call is only queued (it answers with the request): not traced.
        if state_override is None and isinstance(answer, bytes):
            collector.call(_rpc_transaction(transaction), _rpc_block(block_identifier))
        return answer

    eth.call = call_and_trace


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


def _text(text_cache, path):
    if path not in text_cache:
        text_cache[path] = (ROOT / path).read_bytes()
    return text_cache[path]


def _line_of(text_cache, path, offset):
    return _text(text_cache, path)[:offset].count(b"\n") + 1


def analyse(coverage_eval, builds):
    """Per product contract: branch sides covered, statements covered, and uncovered branches.

    brownie's evaluation per contract and source id is [statements, branches seen not jumping,
    branches seen jumping]; a coverage-map branch entry is [start, stop, jump_means_true].

    A branch whose id no JUMPI carries in the contract's pcMap cannot be observed at all: the
    optimizer shared its jump with other code (a modifier inlined into several functions, say),
    and solc's source map gave the jump to another location. Such branches are left out of the
    percentages and listed as "not measurable", so that they neither count as covered nor hide.
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
        measurable = {
            (entry["path"], entry["branch"])
            for entry in build["pcMap"].values()
            if entry.get("op") == "JUMPI" and "branch" in entry
        }
        evaluation = coverage_eval.get(name, {})
        result = {
            "source": source,
            "branches": 0,
            "sides": 0,
            "both": 0,
            "statements": 0,
            "statements_hit": 0,
            "uncovered": [],
            "unmeasurable": [],
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
                        place = {
                            "function": fn,
                            "location": f"{path}:{_line_of(text_cache, path, start)}",
                            "condition": _snippet(text_cache, path, start, stop),
                        }
                        if (path_id, index) not in measurable:
                            result["unmeasurable"].append({**place, "missing": "not measurable"})
                            continue
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
                        result["uncovered"].append({**place, "missing": missing})
        for listing in ("uncovered", "unmeasurable"):
            result[listing].sort(key=lambda u: (u["location"].split(":")[0], _line_key(u)))
        contracts[name] = result
    return contracts


def _line_key(u):
    return int(u["location"].rsplit(":", 1)[1])


def _snippet(text_cache, path, start, stop):
    text = _text(text_cache, path)[start:stop].decode("utf-8", "replace")
    text = " ".join(text.split())
    return text if len(text) <= 70 else text[:67] + "..."


def _pct(part, whole):
    return 100.0 * part / whole if whole else 100.0


def print_report(contracts, minimum, test_status, elapsed):
    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if sys.stdout.isatty() else 160)
    table = Table(title=f"Branch coverage (gate {minimum:g}%)", title_justify="left")
    for column in ("contract", "branches", "sides hit", "branch %", "both sides", "statements %", "not measurable"):
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
            str(len(r["unmeasurable"])),
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
        str(sum(len(r["unmeasurable"]) for r in contracts.values())),
        end_section=True,
    )
    console.print(table)

    uncovered = [(n, u) for n, r in sorted(contracts.items()) for u in r["uncovered"] + r["unmeasurable"]]
    if uncovered:
        listing = Table(
            title="Branches not covered on both sides, and those no trace can show (not measurable)",
            title_justify="left",
        )
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


def _merge_evaluations(target, source):
    """Adds the statements and branches of `source` (a Collector evaluation, as written to JSON:
    lists) to `target` (sets)."""
    for contract, sources in source.items():
        for source_id, parts in sources.items():
            merged = target.setdefault(contract, {}).setdefault(source_id, [set(), set(), set()])
            for index, part in enumerate(parts):
                merged[index].update(part)


def _port_is_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _wait_for_port(port, process, timeout=300):
    """Waits until something listens on `port`, or `process` ended, or `timeout` seconds passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None and _port_is_free(port):
        time.sleep(0.5)


def _run_jobs(args, extra):
    """Runs the tests in `args.jobs` shards, each in a process with its own Anvil; returns (pytest's
    worst exit code, the merged evaluation, the elapsed seconds). Each job's output is printed
    when it ends, the first one's as it runs."""
    ports = [args.base_port + index for index in range(args.jobs)]
    taken = [port for port in ports if not _port_is_free(port)]
    if taken:
        sys.exit(f"[coverage] port(s) {taken} taken: a leftover Anvil would be attached to; stop it first")
    started = time.monotonic()
    jobs = []
    for index, port in enumerate(ports):
        out = ROOT / f"reports/coverage-eval-{index}.json"
        log = None if index == 0 else open(ROOT / f"reports/coverage-job-{index}.log", "w")  # noqa: SIM115
        command = [sys.executable, __file__, "--no-compile", "--port", str(port), "--eval-out", str(out)]
        command += ["--network", args.network, *args.paths, "--", *extra]
        # tests/conftest.py keeps this shard's share of the test modules.
        env = {**os.environ, "TEST_SHARD": f"{index}/{args.jobs}"}
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT if log else None, env=env)
        jobs.append((process, out, log))
        # brownie deletes and rewrites build artifacts while it loads the project: the next job
        # starts once this one has loaded it, which is when its Anvil listens.
        _wait_for_port(port, process)
    codes, evaluation = [], {}
    for index, (process, out, log) in enumerate(jobs):
        codes.append(process.wait())
        if log:
            log.close()
            print(f"[coverage] job {index + 1} of {len(jobs)}:")
            print(Path(log.name).read_text())
        if out.exists():
            _merge_evaluations(evaluation, json.loads(out.read_text()))
    return max(codes), evaluation, time.monotonic() - started


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1 :]
        argv = argv[: argv.index("--")]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=["tests/unit"])
    parser.add_argument("--min", type=float, default=95.0, help="gate in percent (default 95)")
    parser.add_argument("--network", default="development", help="brownie network id (a local Anvil)")
    parser.add_argument("--no-compile", action="store_true", help="skip the source-change check")
    parser.add_argument("--jobs", type=int, default=1, help="processes, each with its own Anvil (default 1)")
    parser.add_argument("--base-port", type=int, default=8545, help="the first job's Anvil port (default 8545)")
    # Internal, for the jobs of --jobs: the Anvil's port and where to write the raw evaluation.
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--eval-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    os.chdir(ROOT)
    os.environ["PATH"] = os.pathsep.join(
        [str(ROOT / "node_modules/.bin"), str(ROOT / ".venv/bin"), os.environ.get("PATH", "")]
    )
    if not args.no_compile:
        _compile_if_sources_changed()

    (ROOT / "reports").mkdir(exist_ok=True)
    # The artifacts as compiled now: build/ may be recompiled by someone else during the run,
    # which would shift the coverage maps' indices.
    builds = {}
    for artifact in sorted((ROOT / "build/contracts").glob("*.json")):
        data = json.loads(artifact.read_text())
        builds[data["contractName"]] = data
    if args.jobs > 1:
        code, coverage_eval, elapsed = _run_jobs(args, extra)
        return _report(coverage_eval, builds, args.min, code, elapsed)

    import brownie  # noqa: F401  (loads brownie's configuration)
    from brownie._config import CONFIG
    from brownie.network.web3 import web3
    from eth_utils import to_checksum_address

    CONFIG.networks[args.network].setdefault("cmd_settings", {})["steps_tracing"] = True
    if args.port:
        CONFIG.networks[args.network]["cmd_settings"]["port"] = args.port

    def rpc(method, params):
        answer = web3.provider.make_request(method, params)
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return answer["result"]

    collector = Collector(builds, rpc, lambda address: web3.eth.get_code(to_checksum_address(address)))
    _install_collector(collector)

    from brownie._cli.__main__ import main as brownie_main

    sys.argv = ["brownie", "test", *args.paths, "--network", args.network, "-p", "no:cacheprovider", *extra]
    started = time.monotonic()
    try:
        brownie_main()
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    elapsed = time.monotonic() - started

    coverage_eval = collector.evaluation
    print(f"[coverage] traced {collector.traced} transactions and calls ({collector.failed} not traceable)")
    if args.eval_out:  # a job of --jobs: its parent merges and reports
        args.eval_out.write_text(json.dumps(coverage_eval, default=sorted, sort_keys=True))
        return code
    return _report(coverage_eval, builds, args.min, code, elapsed)


def _report(coverage_eval, builds, minimum, code, elapsed):
    """Writes the raw evaluation, prints the report; returns the exit code (see the docstring)."""
    (ROOT / "reports/coverage-eval.json").write_text(
        json.dumps(coverage_eval, default=sorted, indent=1, sort_keys=True)
    )
    contracts = analyse(coverage_eval, builds)
    if not any(r["sides"] for r in contracts.values()):
        print("[coverage] no branch was recorded: is the network tracing steps?", file=sys.stderr)
        return 2
    status = "all passed" if code == 0 else f"pytest exit {code} (some tests failed or errored)"
    below = print_report(contracts, minimum, status, elapsed)
    return code or below


if __name__ == "__main__":
    sys.exit(main())
