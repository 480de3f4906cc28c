"""Helpers for the Swap tests: swap states and creation (the domain snapshot is support.everything)."""

from support import swap_terms

NONE, ENGAGEABLE, CANCELLED, COMPLETE_ENGAGED, COMPLETE_NOT_ENGAGED = range(5)
HOUR = 3600


def create_swap(manager, maker, input_token, output_token, input_amount, output_amount, duration=HOUR):
    terms = swap_terms(duration, input_token, output_token, input_amount, output_amount)
    return manager.createIssuance(terms, {"from": maker})
