"""Helpers for the Swap tests: creation and engagement (the states are nuts_escrow.types.SwapState;
the domain snapshot is support.everything)."""

from eth_abi import encode

from support import swap_terms

HOUR = 3600


def create_swap(manager, maker, input_token, output_token, input_amount, output_amount, duration=HOUR):
    terms = swap_terms(duration, input_token, output_token, input_amount, output_amount)
    return manager.createIssuance(terms, {"from": maker})


def taker_data(min_input_received=None):
    """The Swap taker data: empty (the original form: no minimum beyond something), or
    abi.encode(minInputReceived), the least input the taker accepts to be credited with."""
    return b"" if min_input_received is None else encode(["uint256"], [min_input_received])


def engage_swap(manager, taker, min_input_received=None, issuance_id=1):
    """`taker` engages swap `issuance_id`, accepting no less than `min_input_received` if given."""
    return manager.engageIssuance(issuance_id, taker_data(min_input_received), {"from": taker})
