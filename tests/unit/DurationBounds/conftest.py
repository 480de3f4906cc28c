"""Fixtures for the duration bounds that Swap and MultiSwap share (DurationBounded): each test runs
once per instrument, on a domain of that instrument activated by the conftest's provider."""

from dataclasses import dataclass

import pytest

from nuts_escrow import MultiSwapFillTerms
from support import activate, everything, multiswap_terms, swap_terms


@dataclass(frozen=True)
class BoundedDomain:
    """A domain of a duration-bounded instrument, with how to make and take its issuances."""

    instrument: object
    manager: object
    escrow: object

    def create(self, maker, input_token, output_token, amount, duration):
        """`maker` offers `amount` of `input_token` for as much `output_token`, for `duration`."""
        if self.instrument._name == "Swap":
            terms = swap_terms(duration, input_token, output_token, amount, amount)
        else:
            terms = multiswap_terms(duration, input_token, output_token, amount, amount, 1, amount)
        return self.manager.createIssuance(terms, {"from": maker})

    def take_all(self, taker, amount, issuance_id=1):
        """`taker` takes the whole of issuance `issuance_id` (an engagement or a full fill)."""
        data = b"" if self.instrument._name == "Swap" else MultiSwapFillTerms(fill_output=amount).encode()
        return self.manager.engageIssuance(issuance_id, data, {"from": taker})

    def due_time(self, issuance_id=1):
        """The due time recorded for issuance `issuance_id`."""
        return self.instrument.getIssuance(self.manager, issuance_id)["dueTime"]


@pytest.fixture(params=["swap", "multiswap"])
def bounded(request, registry, swap, multiswap, provider):
    """A fresh domain of the Swap or of the MultiSwap instrument."""
    instrument = {"swap": swap, "multiswap": multiswap}[request.param]
    manager, escrow = activate(registry, instrument, provider)
    return BoundedDomain(instrument, manager, escrow)


@pytest.fixture
def state(bounded, token, other_token, maker, taker, stranger):
    """A function returning everything the domain holds and records, right now."""
    return lambda: everything(
        bounded.instrument, bounded.manager, bounded.escrow, [maker, taker, stranger], [token, other_token]
    )
