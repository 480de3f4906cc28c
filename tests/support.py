"""Helpers for tests: exact custom-error assertions and swap maker data."""

from contextlib import contextmanager

import brownie

import nuts_escrow
from nuts_escrow import event_name  # noqa: F401  (re-exported for the tests)

ETH = "0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE"

# TransferKind, in the order of interfaces/IInstrument.sol.
INBOUND, OUTBOUND, INTRA_INSTRUMENT, INTRA_ISSUANCE = range(4)
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
    """The Swap maker data (nuts_escrow.swap_terms), taking brownie contracts or addresses."""
    return nuts_escrow.swap_terms(duration, _format(input_token), _format(output_token), input_amount, output_amount)


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
