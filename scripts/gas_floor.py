"""The floor of a transaction's gas: what the EVM charges for the state it touches and the logs it
writes, whatever code does it, worked out from the node's own traces of the mined transaction.

For one transaction (cancun rules, the project's EVM version) it adds up:

* intrinsic: 21,000 plus 16 gas per non-zero and 4 per zero calldata byte;
* accounts: 2,600 for every account the transaction touched cold (contracts called, clone
  implementations delegated to, tokens), that is all but sender, recipient, coinbase and the
  accounts it created;
* storage: per slot touched, 22,100 when it goes from zero to non-zero, 5,000 when it changes
  otherwise, 2,100 when it is only read; emptied slots refund 4,800, at most a fifth of the total;
* creation: 32,000 plus 200 per byte of code deposited for every contract created;
* ETH: 6,700 per call that carries value (9,000 less the 2,300 stipend);
* logs: 375 plus 375 per topic plus 8 per byte of data, from the receipt.

What a transaction spends above its floor is computation: dispatch, ABI encoding, checks, the
reentrancy guard, balance-delta measuring, calls between the contracts. The floor is "in this
design": how many slots and accounts an operation touches follows from the storage layout and
the contracts involved, which the report explains where a target is missed.
"""

from dataclasses import asdict, dataclass

from brownie import web3

# Warm from the start of every transaction (EIP-2929, EIP-3651) and the precompiles.
PRECOMPILES = {f"0x{i:040x}" for i in range(1, 11)}
COLD_ACCOUNT = 2_600
COLD_SLOAD = 2_100
NEW_SLOT = 22_100
UPDATED_SLOT = 5_000
CLEARED_SLOT_REFUND = 4_800
CREATE = 32_000
CODE_DEPOSIT_PER_BYTE = 200
VALUE_CALL = 9_000 - 2_300


@dataclass(frozen=True)
class Floor:
    """The parts of a transaction's gas that do not depend on how its code is written."""

    intrinsic: int
    accounts: int
    storage: int
    refund: int
    creation: int
    eth_calls: int
    logs: int

    @property
    def total(self) -> int:
        return self.intrinsic + self.accounts + self.storage - self.refund + self.creation + self.eth_calls + self.logs

    def as_dict(self) -> dict[str, int]:
        return {**asdict(self), "total": self.total}


def _trace(txid: str, tracer: str, **config) -> dict:
    answer = web3.provider.make_request("debug_traceTransaction", [txid, {"tracer": tracer, "tracerConfig": config}])
    if "error" in answer:
        raise RuntimeError(f"debug_traceTransaction({tracer}) failed: {answer['error']}")
    return answer["result"]


def _calls_with_value(frame: dict) -> int:
    """CALLs carrying value below `frame` (the transaction's own value costs nothing extra)."""
    count = 0
    for child in frame.get("calls", []):
        count += child.get("type") == "CALL" and int(child.get("value", "0x0"), 16) > 0
        count += _calls_with_value(child)
    return count


def _intrinsic(data: bytes) -> int:
    return 21_000 + sum(16 if byte else 4 for byte in data)


def floor_of(tx) -> Floor:
    """The floor of the mined brownie transaction `tx`."""
    touched = _trace(tx.txid, "prestateTracer")
    diff = _trace(tx.txid, "prestateTracer", diffMode=True)
    block = web3.eth.get_block(tx.block_number)
    warm = {tx.sender.address.lower(), str(tx.receiver).lower(), block["miner"].lower(), *PRECOMPILES}

    created = {
        address
        for address, post in diff["post"].items()
        if post.get("code") and not diff["pre"].get(address, {}).get("code")
    }
    creation = sum(
        CREATE + CODE_DEPOSIT_PER_BYTE * (len(diff["post"][address]["code"]) - 2) // 2 for address in created
    )
    accounts = COLD_ACCOUNT * len(set(touched) - warm - created)

    storage = refund = 0
    for address, state in touched.items():
        changed = diff["pre"].get(address, {}).get("storage", {})
        after = diff["post"].get(address, {}).get("storage", {})
        for slot, before in state.get("storage", {}).items():
            # The diff leaves a slot emptied by the transaction out of its post-state.
            was = int(before, 16)
            now = int(after.get(slot, "0x0" if slot in changed else before), 16)
            if was == now:
                storage += COLD_SLOAD
            elif was == 0:
                storage += NEW_SLOT
            else:
                storage += UPDATED_SLOT
                refund += CLEARED_SLOT_REFUND if now == 0 else 0
    # Slots written in a created contract may be missing from the pre-state.
    for address in created:
        seen = touched.get(address, {}).get("storage", {})
        written = diff["post"][address].get("storage", {})
        storage += NEW_SLOT * sum(1 for slot, value in written.items() if slot not in seen and int(value, 16))

    logs = sum(375 + 375 * len(log["topics"]) + 8 * len(bytes(log["data"])) for log in tx.logs)
    intrinsic = _intrinsic(bytes(web3.eth.get_transaction(tx.txid)["input"]))
    eth_calls = VALUE_CALL * _calls_with_value(_trace(tx.txid, "callTracer"))
    partial = intrinsic + accounts + storage + creation + eth_calls + logs
    return Floor(intrinsic, accounts, storage, min(refund, partial // 5), creation, eth_calls, logs)
