"""Helpers for the manager tests: scripted issuances and calls, executed transfers, balance
snapshots, and the logs a call left.

A scripted transfer is the tuple of `Transfer` in interfaces/IInstrument.sol:
(kind, token, from, to, amount, minimum), `minimum` being the least `to` must be credited.
"""

from contextlib import contextmanager

from brownie import chain, web3

from nuts_escrow import event_name
from support import ETH

ENTRY_POINTS = ["create", "engage", "event"]
# An event name no real instrument knows; the scripted instrument takes any.
POKE = event_name("poke")


def create(manager, instrument, caller, transfers):
    """`caller` creates an issuance whose instrument answers with `transfers`."""
    instrument.script(transfers, {"from": caller})
    tx = manager.createIssuance(b"", {"from": caller})
    instrument.script([], {"from": caller})
    return tx


def call_manager(manager, instrument, entry_point, caller, transfers, issuance_id=1, event=POKE):
    """Has `caller` reach the instrument through `entry_point` (for "event", the event `event`),
    the instrument answering `transfers`."""
    instrument.script(transfers, {"from": caller})
    if entry_point == "create":
        return manager.createIssuance(b"", {"from": caller})
    if entry_point == "engage":
        return manager.engageIssuance(issuance_id, b"", {"from": caller})
    return manager.processEvent(issuance_id, 0, event, b"", {"from": caller})


def transfers_executed(tx):
    """The TransferExecuted events of `tx`, as dicts."""
    return [dict(event) for event in tx.events["TransferExecuted"]] if "TransferExecuted" in tx.events else []


def logs_since(block_number):
    """Every log of every contract in the blocks mined after `block_number` (a reverted call that
    was mined is among them, and leaves none)."""
    if web3.eth.block_number <= block_number:
        return []
    return web3.eth.get_logs({"fromBlock": block_number + 1, "toBlock": "latest"})


@contextmanager
def unchanged(state):
    """Asserts that the block (a call that reverts inside it) changes nothing `state()` returns and
    that no block mined meanwhile holds a log."""
    before, block = state(), chain.height
    yield
    assert state() == before
    assert logs_since(block) == []


def holdings(escrows, accounts, tokens, contracts=(), wallets=True):
    """Every ledger balance of `accounts` in `escrows`, plus what each escrow, each of `contracts`
    and (with `wallets`) each account actually holds of each token, to compare before and after."""
    snapshot = {}
    for escrow in escrows:
        for account in accounts:
            for token in tokens:
                snapshot[("ledger", escrow.address, account.address, str(token))] = escrow.getTokenBalance(
                    account, token
                )
    for holder in list(escrows) + list(contracts) + (list(accounts) if wallets else []):
        for token in tokens:
            if token == ETH:
                snapshot[("held", holder.address, ETH)] = web3.eth.get_balance(holder.address)
            else:
                snapshot[("held", holder.address, token.address)] = token.balanceOf(holder)
    return snapshot
