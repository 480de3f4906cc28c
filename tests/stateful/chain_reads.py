"""Reading the chain for the stateful tier: raw JSON-RPC batches of calls, and the snapshot that
holds what one batch read, keyed like the model (see escrow_machine.EscrowMachine.snapshot)."""

from functools import cache

import requests
from brownie import web3
from eth_abi import encode

_session = requests.Session()


def low(value):
    """An address (or contract, or account) as a lowercase hex string: the model's key."""
    return str(getattr(value, "address", value)).lower()


def selector(signature):
    return bytes(web3.keccak(text=signature)[:4])


BALANCE_OF = selector("balanceOf(address)")
TOTAL_SUPPLY = selector("totalSupply()")
ADJUSTED_FEE = selector("adjustedFeeBasisPoints()")
GET_TOKEN_BALANCE = selector("getTokenBalance(address,address)")
ISSUANCE_COUNT = selector("issuanceCount()")
IS_ACTIVE = selector("isActive()")
GET_ISSUANCE = selector("getIssuance(address,uint256)")
RATE_OF = selector("rateOf(address,address)")
WITHDRAW = selector("withdraw(uint256)")
WITHDRAW_TOKEN = selector("withdrawToken(address,uint256)")


def rpc_batch(calls):
    """Sends [(method, params)] as one JSON-RPC batch; returns the responses in order."""
    payload = [{"jsonrpc": "2.0", "id": i, "method": m, "params": p} for i, (m, p) in enumerate(calls)]
    if not payload:
        return []
    answer = _session.post(web3.provider.endpoint_uri, json=payload, timeout=120).json()
    by_id = {item["id"]: item for item in answer}
    return [by_id[i] for i in range(len(payload))]


def eth_call(to, data, sender=None):
    params = {"to": to, "data": "0x" + data.hex()}
    if sender:
        params["from"] = sender
    return ("eth_call", [params, "latest"])


@cache
def call_with(selector_bytes, types, values):
    """Calldata: a selector and its ABI-encoded arguments (tuples; cached, as the snapshot asks
    for the same calls after every step)."""
    return selector_bytes + encode(types, values)


class Snapshot:
    """Chain values keyed like the model; `escrows[domain_index]` lists that domain's escrows.

    Keys, `d` being a domain's index: ("held", d, escrow, token), ("ledger", d, escrow, account,
    token), ("count", d), ("active", d), ("manager_eth", d), ("issuance", d, id) (the instrument's
    getIssuance record as a dict by field name, addresses lowercase), ("supply", fee token) of both
    fee tokens, ("fee", adjustable-fee token) (its fee in basis points) and ("rate", base, quote)
    (the oracle's rateOf).
    """

    def __init__(self, values, escrows):
        self.values = values
        self.escrows = escrows

    def ledger_total(self, domain_index, token, escrow=None):
        return sum(
            v
            for k, v in self.values.items()
            if k[0] == "ledger" and k[1] == domain_index and k[4] == token and (escrow is None or k[2] == escrow)
        )

    def held_total(self, domain_index, token):
        return sum(v for k, v in self.values.items() if k[0] == "held" and k[1] == domain_index and k[3] == token)

    def domain_values(self, domain_index):
        return {k: v for k, v in self.values.items() if len(k) > 1 and k[1] == domain_index}
