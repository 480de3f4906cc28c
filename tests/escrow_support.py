"""Helpers for the escrow and factory unit tests.

- `assert_single_event`: the emitter logged exactly one event in a transaction, with exactly the
  given fields, its indexed fields checked in the raw log topics as well as decoded.
- `holdings` / `reverts_unchanged`: everything a call could have changed (ledger entries, the
  escrow's and every party's token and ETH holdings), and a revert that must leave it all as it
  was. Gas costs nothing on the development network (`gas_price: 0`), so ETH held by accounts
  must not move either.
- `REENTRANT_CALL`: the revert data of OpenZeppelin's `ReentrancyGuardReentrantCall()`.
"""

from contextlib import contextmanager

from brownie import ZERO_ADDRESS, web3
from eth_utils import keccak, to_checksum_address
from hexbytes import HexBytes

from support import ETH, reverts

MAX_UINT = 2**256 - 1
REENTRANT_CALL = HexBytes(keccak(text="ReentrancyGuardReentrantCall()")[:4])
SALT = b"\x01".rjust(32, b"\x00")

# What the `funded` fixtures book for the maker.
MAKER_ETH = 10**18
MAKER_TOKENS = 1_000 * 10**18
MAKER_OTHER = 500 * 10**6


def address_of(value):
    """A lower-case address string for an account, a contract or an address."""
    return str(getattr(value, "address", value)).lower()


def _same(value, expected, abi_type):
    if abi_type == "address":
        return address_of(value) == address_of(expected)
    if abi_type.startswith("bytes"):
        return HexBytes(value) == HexBytes(expected)
    return value == expected


def _topic(value, abi_type):
    if abi_type == "address":
        return HexBytes(bytes(12) + bytes.fromhex(address_of(value)[2:]))
    if abi_type == "bytes32":
        return HexBytes(value)
    return HexBytes(int(value).to_bytes(32, "big"))


def assert_single_event(tx, emitter, name, **fields):
    """Asserts that `emitter` logged exactly one event in `tx`: `name`, carrying exactly `fields`."""
    abi = next(item for item in emitter.abi if item["type"] == "event" and item["name"] == name)
    inputs = abi["inputs"]
    assert set(fields) == {item["name"] for item in inputs}, "give every field of the event"

    logs = [log for log in tx.logs if address_of(log["address"]) == address_of(emitter)]
    assert len(logs) == 1, f"{emitter.address} logged {len(logs)} events, expected one {name}"
    signature = f"{name}({','.join(item['type'] for item in inputs)})"
    expected_topics = [HexBytes(keccak(text=signature))] + [
        _topic(fields[item["name"]], item["type"]) for item in inputs if item["indexed"]
    ]
    assert [HexBytes(topic) for topic in logs[0]["topics"]] == expected_topics

    events = [event for event in tx.events[name] if address_of(event.address) == address_of(emitter)]
    assert len(events) == 1
    for item in inputs:
        value = events[0][item["name"]]
        assert _same(value, fields[item["name"]], item["type"]), f"{name}.{item['name']} is {value}"


def _checksum(value):
    return to_checksum_address(address_of(value))


def eth_held(holder):
    return web3.eth.get_balance(_checksum(holder))


def holdings(escrow, accounts, tokens):
    """The ledger of `accounts` for ETH and `tokens`, and what the escrow and the accounts hold.

    Read in one JSON-RPC batch: a snapshot is taken twice in most tests.
    """
    keys, requests = [], []
    for account in [*accounts, ZERO_ADDRESS]:
        for asset in [ETH, *tokens]:
            keys.append(("ledger", address_of(account), address_of(asset)))
            requests.append((escrow, escrow.getTokenBalance.encode_input(account, asset)))
    for holder in [escrow, *accounts]:
        keys.append(("held", address_of(holder), "ETH"))
        requests.append((holder, None))
        for token in tokens:
            keys.append(("held", address_of(holder), address_of(token)))
            requests.append((token, token.balanceOf.encode_input(holder)))
    with web3.batch_requests() as batch:
        for target, data in requests:
            address = _checksum(target)
            if data is None:
                batch.add(web3.eth.get_balance(address))
            else:
                batch.add(web3.eth.call({"to": address, "data": data}))
        results = batch.execute()
    # Balances come back as ints, call results as 32-byte words.
    return {
        key: value if isinstance(value, int) else int.from_bytes(value, "big")
        for key, value in zip(keys, results, strict=True)
    }


@contextmanager
def reverts_unchanged(snapshot, error, *args):
    """The block reverts with custom error `error(*args)`, and `snapshot()` reads as before."""
    before = snapshot()
    with reverts(error, *args):
        yield
    assert snapshot() == before


def solvent(escrow, token, accounts):
    """The escrow holds at least what its ledger promises `accounts` of `token`."""
    booked = sum(escrow.getTokenBalance(account, token) for account in accounts)
    held = eth_held(escrow) if address_of(token) == ETH.lower() else token.balanceOf(escrow)
    return held >= booked
