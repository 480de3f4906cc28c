"""Fixtures for the Swap tests: the conftest's Swap domain, with a snapshot of all it holds."""

import pytest

from support import ETH, everything


@pytest.fixture
def state(swap, manager, domain_escrow, token, other_token, fee_token, adjustable_fee_token, maker, taker, stranger):
    """A function returning everything the Swap domain holds and records, right now."""
    return lambda: everything(
        swap,
        manager,
        domain_escrow,
        [maker, taker, stranger],
        [token, other_token, fee_token, adjustable_fee_token, ETH],
    )
