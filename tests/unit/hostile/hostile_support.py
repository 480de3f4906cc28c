"""Helpers for the hostile token tests: what arrives of a transfer, and whether escrows book
exactly what they hold."""

from dataclasses import dataclass

from brownie import web3

from support import ETH, assert_books_exact, held  # noqa: F401  (assert_books_exact: shared, re-exported for the tests)

ODD_SUPPLY = 10**12
MAX_UINT = 2**256 - 1


@dataclass(frozen=True)
class OddToken:
    kind: str
    token: object
    fee_bps: int

    def arrived(self, amount):
        """What the recipient of a transfer of `amount` gets."""
        return amount - amount * self.fee_bps // 10_000

    def __str__(self):
        return self.kind


def address_of(value):
    return str(getattr(value, "address", value))


def snapshot(escrows, accounts, tokens, holders=()):
    """Ledgers of `accounts` in `escrows` and what escrows, accounts and `holders` hold."""
    state = {}
    for escrow in escrows:
        for token in tokens:
            for account in accounts:
                state["ledger", address_of(escrow), address_of(account), address_of(token)] = escrow.getTokenBalance(
                    account, token
                )
    for holder in [*escrows, *accounts, *holders]:
        for token in tokens:
            state["held", address_of(holder), address_of(token)] = held(holder, token)
    return state


def ledger_key(escrow, account, token):
    return "ledger", address_of(escrow), address_of(account), address_of(token)


def held_key(holder, token):
    return "held", address_of(holder), address_of(token)


def arm(odd, target, data):
    """For the re-entering kind: every transfer of the token calls `target` with `data`, as the token."""
    if odd.kind == "reentrant_hook":
        odd.token.setReentry(target, data, {"from": web3.eth.accounts[0]})


def assert_hook_refused(odd):
    """For the re-entering kind: the token's last call back (if it made one) failed."""
    if odd.kind == "reentrant_hook" and address_of(odd.token.target()) != "0x" + "0" * 40:
        assert odd.token.lastCallSucceeded() is False


def withdraw_everything(escrow, accounts, assets):
    """Each of `accounts` withdraws all it holds of each asset from the Instrument Escrow `escrow`;
    returns {(account, asset): amount withdrawn}."""
    withdrawn = {}
    for account in accounts:
        for asset in assets:
            amount = escrow.getTokenBalance(account, asset)
            withdrawn[address_of(account), address_of(asset)] = amount
            if amount == 0:
                continue
            if address_of(asset) == ETH:
                escrow.withdraw(amount, {"from": account})
            else:
                escrow.withdrawToken(asset, amount, {"from": account})
    return withdrawn
