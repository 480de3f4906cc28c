"""Helpers for the MultiSwap tests: bounds, issuance creation, fills and records (the states are
nuts_escrow.types.MultiSwapState)."""

from eth_abi import encode

from nuts_escrow import MultiSwapFillTerms
from support import multiswap_terms

HOUR = 3600
DAY = 24 * HOUR
DEFAULT_BOUNDS = (1, 365 * DAY)
DURATION_CAP = 10 * 365 * DAY
MAX_UINT = 2**256 - 1
EXTRA_TAKER_SUPPLY = 10**24


def create_multiswap(
    manager, maker, input_token, output_token, input_amount, output_amount, min_fill=1, max_fill=None, duration=HOUR
):
    """`maker` offers `input_amount` for `output_amount`; fills from `min_fill` to `max_fill`
    (default: the whole output)."""
    max_fill = output_amount if max_fill is None else max_fill
    terms = multiswap_terms(duration, input_token, output_token, input_amount, output_amount, min_fill, max_fill)
    return manager.createIssuance(terms, {"from": maker})


def fill_data(fill_output, min_input_received=None):
    """The MultiSwap taker data: abi.encode(fillOutput) (the original 32-byte form: no minimum
    beyond something), or abi.encode(fillOutput, minInputReceived), the least input the taker
    accepts to be credited with."""
    if min_input_received is None:
        return MultiSwapFillTerms(fill_output=fill_output).encode()
    return encode(["uint256", "uint256"], [fill_output, min_input_received])


def fill(manager, taker, fill_output, issuance_id=1, min_input_received=None):
    """`taker` fills `fill_output` of the output of issuance `issuance_id`, accepting no less than
    `min_input_received` of the input if given."""
    return manager.engageIssuance(issuance_id, fill_data(fill_output, min_input_received), {"from": taker})


def record(multiswap, manager, issuance_id=1):
    """The MultiSwapIssuance of `manager`'s issuance `issuance_id`, as a dict by field name."""
    return multiswap.getIssuance(manager, issuance_id).dict()


def share(basis, fill_output, output_amount):
    """What a fill pays: its pro-rata share of the input basis, rounded down."""
    return basis * fill_output // output_amount


def filled_event(manager, engagement_id, taker, fill_output, input_paid, issuance_id=1):
    """A MultiSwapFilled event, as support.events returns it."""
    return {
        "manager": manager.address,
        "issuanceId": issuance_id,
        "engagementId": engagement_id,
        "taker": taker.address,
        "fillOutput": fill_output,
        "inputPaid": input_paid,
    }


def state_event(manager, state, issuance_id=1):
    """A MultiSwapStateChanged event, as support.events returns it."""
    return {"manager": manager.address, "issuanceId": issuance_id, "state": state}
