"""Helpers for the manager tests: transfer kinds, deposits, scripted issuances, balance snapshots."""

from brownie import web3

from support import ETH


def create(manager, instrument, caller, transfers):
    """`caller` creates an issuance whose instrument answers with `transfers`."""
    instrument.script(transfers, {"from": caller})
    tx = manager.createIssuance(b"", {"from": caller})
    instrument.script([], {"from": caller})
    return tx


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
