"""Helpers for tests: exact custom-error assertions, instruments' maker and taker data, deposits,
activation, and snapshots of everything a domain holds."""

from contextlib import contextmanager

import brownie
from brownie import chain, web3

import nuts_escrow

# The address under which the escrows book native ETH.
ETH = nuts_escrow.NATIVE_ETH

# IInstrument.WHOLE_BALANCE: as an Outbound or IntraIssuance amount, all `from` holds in the Issuance Escrow.
WHOLE_BALANCE = 2**256 - 1


def _format(value):
    if hasattr(value, "address"):
        value = value.address
    if isinstance(value, str) and value.startswith("0x") and len(value) == 42:
        return value.lower()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(int(value))
    return str(value)


@contextmanager
def reverts(error, *args):
    """Asserts that the block reverts with custom error `error` carrying exactly `args`.

    brownie decodes custom errors of compiled contracts as "Name: arg1, arg2".
    """
    expected = f"{error}: {', '.join(_format(a) for a in args)}"
    with brownie.reverts(expected):
        yield


def swap_terms(duration, input_token, output_token, input_amount, output_amount):
    """The Swap maker data (nuts_escrow.SwapTerms), taking brownie contracts or addresses."""
    return nuts_escrow.SwapTerms(
        duration=duration,
        input_token=_format(input_token),
        output_token=_format(output_token),
        input_amount=input_amount,
        output_amount=output_amount,
    ).encode()


def loan_terms(
    duration, principal_token, principal_amount, collateral_token, collateral_ratio, tenor, interest_rate, **optional
):
    """The Lending/Borrowing maker data (nuts_escrow.LoanTerms), taking brownie contracts or
    addresses; `optional`: min_collateral_per_principal, maintenance_ratio."""
    return nuts_escrow.LoanTerms(
        duration=duration,
        principal_token=_format(principal_token),
        principal_amount=principal_amount,
        collateral_token=_format(collateral_token),
        collateral_ratio=collateral_ratio,
        tenor=tenor,
        interest_rate=interest_rate,
        **optional,
    ).encode()


def multiswap_terms(duration, input_token, output_token, input_amount, output_amount, min_fill_output, max_fill_output):
    """The MultiSwap maker data (nuts_escrow.MultiSwapTerms), taking brownie contracts or addresses."""
    return nuts_escrow.MultiSwapTerms(
        duration=duration,
        input_token=_format(input_token),
        output_token=_format(output_token),
        input_amount=input_amount,
        output_amount=output_amount,
        min_fill_output=min_fill_output,
        max_fill_output=max_fill_output,
    ).encode()


def fund(escrow, account, token, amount):
    """`account` deposits `amount` of `token` (or ETH) on its own account in `escrow`."""
    if token == ETH:
        escrow.deposit({"from": account, "value": amount})
    else:
        token.approve(escrow, amount, {"from": account})
        escrow.depositToken(token, amount, {"from": account})


def activate(registry, instrument, provider):
    """`provider` activates a domain for `instrument`: returns (manager, its Instrument Escrow)."""
    from brownie import InstrumentEscrow, InstrumentManager

    tx = registry.activateInstrument(instrument, {"from": provider})
    _, manager_address, escrow_address = tx.return_value
    return InstrumentManager.at(manager_address), InstrumentEscrow.at(escrow_address)


def events(tx, name):
    """The events `name` that `tx` emitted, as dicts (none: an empty list)."""
    return [dict(event) for event in tx.events[name]] if name in tx.events else []


def transfer_event(issuance_id, kind, token, source, destination, amount):
    """A manager's TransferExecuted event, as `events` returns it."""
    return {
        "issuanceId": issuance_id,
        "kind": kind,
        "token": str(getattr(token, "address", token)),
        "from": source.address,
        "to": destination.address,
        "amount": amount,
    }


def transfer_sources(tx):
    """The `from` account of every TransferExecuted event of `tx`, in order."""
    return [event["from"] for event in events(tx, "TransferExecuted")]


def ledger(escrow, account, assets):
    """What `escrow`'s ledger books `account` of each of `assets`, by asset."""
    return {str(asset): escrow.getTokenBalance(account, asset) for asset in assets}


def send_timed_events(manager, domain_escrow, keeper, assets, name, waits, issuance_id=1):
    """`keeper` sends event `name` (about the whole issuance, engagement 0) to issuance
    `issuance_id` after each of `waits` seconds, and is never debited: after every call its books in
    the domain's Instrument Escrow and in the issuance escrow are as before, the manager records it
    as the caller, and no transfer comes from its account. Returns the transactions."""
    escrow = issuance_escrow(manager, issuance_id)

    def books():
        return ledger(domain_escrow, keeper, assets), ledger(escrow, keeper, assets)

    before = books()
    sent = []
    for wait in waits:
        sleep_past(wait)
        tx = manager.processEvent(issuance_id, 0, name, b"", {"from": keeper})
        assert [event["caller"] for event in events(tx, "EventProcessed")] == [keeper.address]
        assert keeper.address not in transfer_sources(tx)
        assert books() == before
        sent.append(tx)
    return sent


def pick(asset, token, other_token, fee_token):
    """The asset a test parameter names: a token fixture, or ETH."""
    return {"token": token, "other_token": other_token, "fee_token": fee_token, "eth": ETH}[asset]


def sleep_past(seconds):
    """Moves the chain's time on by `seconds` and mines a block."""
    chain.sleep(seconds)
    chain.mine()


def issuance_escrow(manager, issuance_id):
    """The Issuance Escrow of issuance `issuance_id` of `manager`."""
    from brownie import IssuanceEscrow

    return IssuanceEscrow.at(manager.getIssuanceEscrow(issuance_id))


def held(holder, token):
    """What `holder` really owns of `token` (or ETH)."""
    address = getattr(holder, "address", holder)
    return web3.eth.get_balance(address) if token == ETH else token.balanceOf(address)


def domain_escrows(manager, domain_escrow):
    """The domain's Instrument Escrow followed by the Issuance Escrow of each of its issuances."""
    return [domain_escrow] + [issuance_escrow(manager, i) for i in range(1, manager.issuanceCount() + 1)]


def everything(instrument, manager, domain_escrow, accounts, tokens):
    """Ledgers, real holdings, wallets and the instrument's issuance records of the domain, to compare
    before and after."""
    count = manager.issuanceCount()
    snapshot = {"count": count, "issuances": [instrument.getIssuance(manager, i) for i in range(1, count + 2)]}
    for escrow in domain_escrows(manager, domain_escrow):
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


def booked(escrow, accounts, token):
    """What `escrow`'s ledger promises `accounts` of `token`."""
    return sum(escrow.getTokenBalance(account, token) for account in accounts)


def assert_books_exact(escrows, accounts, tokens):
    """Every escrow holds exactly what its ledger promises `accounts`, for every token."""
    for escrow in escrows:
        for token in tokens:
            assert held(escrow, token) == booked(escrow, accounts, token), (
                f"{escrow.address} holds {held(escrow, token)} of {_format(token)} "
                f"but books {booked(escrow, accounts, token)}"
            )
