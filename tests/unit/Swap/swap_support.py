"""Helpers for the Swap tests: deposits, swap creation and a snapshot of everything a swap touches."""

from brownie import IssuanceEscrow, web3

from support import ETH, swap_terms

NONE, ENGAGEABLE, CANCELLED, COMPLETE_ENGAGED, COMPLETE_NOT_ENGAGED = range(5)
HOUR = 3600


def create_swap(manager, maker, input_token, output_token, input_amount, output_amount, duration=HOUR):
    terms = swap_terms(duration, input_token, output_token, input_amount, output_amount)
    return manager.createIssuance(terms, {"from": maker})


def issuance_escrow(manager, issuance_id):
    return IssuanceEscrow.at(manager.getIssuanceEscrow(issuance_id))


def held(holder, token):
    """What `holder` really owns of `token` (or ETH)."""
    address = getattr(holder, "address", holder)
    return web3.eth.get_balance(address) if token == ETH else token.balanceOf(address)


def everything(swap, manager, domain_escrow, accounts, tokens):
    """Ledgers, real holdings, wallets and swap records of the domain, to compare before and after."""
    count = manager.issuanceCount()
    escrows = [domain_escrow] + [issuance_escrow(manager, i) for i in range(1, count + 1)]
    snapshot = {"count": count, "issuances": [swap.getIssuance(manager, i) for i in range(1, count + 2)]}
    for escrow in escrows:
        for token in tokens:
            snapshot[("held", escrow.address, str(token))] = held(escrow, token)
            for account in accounts:
                snapshot[("ledger", escrow.address, account.address, str(token))] = escrow.getTokenBalance(
                    account, token
                )
    for account in accounts:
        for token in tokens:
            snapshot[("wallet", account.address, str(token))] = held(account, token)
    snapshot["manager eth"] = web3.eth.get_balance(manager.address)
    return snapshot
