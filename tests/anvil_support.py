"""A standalone Anvil for tests that must not use brownie's network (the web3.py client, live
deployments): started from node_modules/.bin/anvil on a free port in 8550-8559, stopped after.
"""

import json
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ANVIL = PROJECT_ROOT / "node_modules" / ".bin" / "anvil"
PORTS = range(8550, 8560)
# Anvil's default mnemonic: its first accounts are funded with 10,000 ETH and unlocked.
ANVIL_MNEMONIC = "test test test test test test test test test test test junk"
START_TIMEOUT = 20


@dataclass(frozen=True)
class AnvilNode:
    """A running Anvil: its RPC URL, chain id and process."""

    url: str
    port: int
    chain_id: int
    process: subprocess.Popen


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _rpc(url: str, method: str, params: list | None = None):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())["result"]


def _wait_until_ready(url: str, process: subprocess.Popen) -> bool:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            _rpc(url, "eth_chainId")
            return True
        except OSError:
            time.sleep(0.1)
    return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def anvil(chain_id: int = 31337, block_time: int | None = None, extra_args: tuple[str, ...] = ()):
    """Starts Anvil on the first free port of 8550-8559 and stops it (only it) on exit.

    `block_time` mines a block every that many seconds (as a live network does), so that waiting
    for confirmations ends; without it Anvil mines one block per transaction.
    """
    if not ANVIL.exists():
        raise RuntimeError(f"{ANVIL} is missing: run ./run setup")
    args = ["--chain-id", str(chain_id), "--silent", *extra_args]
    if block_time:
        args += ["--block-time", str(block_time)]
    for port in PORTS:
        if not _port_is_free(port):
            continue
        process = subprocess.Popen(
            [str(ANVIL), "--port", str(port), *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        url = f"http://127.0.0.1:{port}"
        if not _wait_until_ready(url, process):  # lost a race for the port: try the next one
            _stop(process)
            continue
        try:
            yield AnvilNode(url, port, chain_id, process)
        finally:
            _stop(process)
        return
    raise RuntimeError(f"no free port for Anvil in {PORTS.start}-{PORTS.stop - 1}")


def rpc(node: AnvilNode, method: str, params: list | None = None):
    """A raw JSON-RPC call to `node` (no web3, no brownie)."""
    return _rpc(node.url, method, params)
