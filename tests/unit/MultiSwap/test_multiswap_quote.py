"""quoteFill: what a fill would pay its taker, asked before filling. It answers exactly what the
fill then pays (before and after the basis is recorded, for a fee-on-transfer input, for a tail
that rounds to nothing), and refuses what the fill would refuse, with the same error."""

import pytest

from multiswap_support import HOUR, create_multiswap, fill, share
from nuts_escrow import CANCEL_ISSUANCE, ISSUANCE_DUE
from support import events, fund, reverts, sleep_past


def quote(multiswap, manager, fill_output, issuance_id=1):
    return multiswap.quoteFill(manager, issuance_id, fill_output)


def paid(transaction):
    return events(transaction, "MultiSwapFilled")[0]["inputPaid"]


def test_the_quote_is_what_each_fill_then_pays(multiswap, manager, domain_escrow, token, other_token, maker, taker):
    fund(domain_escrow, maker, token, 1_000)
    fund(domain_escrow, taker, other_token, 300)
    create_multiswap(manager, maker, token, other_token, 1_000, 300)
    for size in (100, 150, 50):
        quoted = quote(multiswap, manager, size)
        assert quoted == share(1_000, size, 300)
        assert paid(fill(manager, taker, size)) == quoted


def test_the_quote_prices_a_fee_on_transfer_input_against_what_arrived(
    multiswap, manager, domain_escrow, fee_token, other_token, maker, taker
):
    fund(domain_escrow, maker, fee_token, 10_000)
    fund(domain_escrow, taker, other_token, 7)
    create_multiswap(manager, maker, fee_token, other_token, 5_000, 7)
    quoted = quote(multiswap, manager, 3)
    assert quoted == share(4_950, 3, 7)  # 1% of the 5,000 burned on the way into the issuance escrow
    assert paid(fill(manager, taker, 3)) == quoted
    assert quote(multiswap, manager, 4) == share(4_950, 4, 7)


def test_the_quote_shows_a_tail_that_would_pay_nothing_and_its_fill_reverts(
    multiswap, manager, domain_escrow, state, token, other_token, maker, taker
):
    # Three units of input for 1,000 of output: a fill of 333 pays 0.999, so 0.
    fund(domain_escrow, maker, token, 3)
    fund(domain_escrow, taker, other_token, 1_000)
    create_multiswap(manager, maker, token, other_token, 3, 1_000)
    assert paid(fill(manager, taker, 667)) == 2
    assert quote(multiswap, manager, 333) == 0

    before = state()
    with reverts("ManagerCreditBelowMinimum", 1, token, taker, 0, 1):
        fill(manager, taker, 333)
    assert state() == before
    assert domain_escrow.getTokenBalance(taker, other_token) == 1_000 - 667, "the taker paid nothing for the tail"

    # The tail cannot be filled; the maker takes back the unit it would have paid.
    manager.processEvent(1, 0, CANCEL_ISSUANCE, b"", {"from": maker})
    assert domain_escrow.getTokenBalance(maker, token) == 1


def test_anyone_may_ask_and_nothing_changes(
    multiswap, manager, domain_escrow, state, token, other_token, maker, stranger
):
    fund(domain_escrow, maker, token, 100)
    create_multiswap(manager, maker, token, other_token, 100, 10)
    before = state()
    assert multiswap.quoteFill(manager, 1, 5, {"from": stranger}) == 50
    assert state() == before


@pytest.fixture
def open_issuance(manager, domain_escrow, token, other_token, maker, taker):
    """Issuance 1: 1,000 token for 100 other_token, fills of 10 to 40."""
    fund(domain_escrow, maker, token, 1_000)
    fund(domain_escrow, taker, other_token, 1_000)
    return create_multiswap(manager, maker, token, other_token, 1_000, 100, min_fill=10, max_fill=40)


@pytest.mark.parametrize(
    "fill_output, error, args",
    [
        (9, "MultiSwapFillBelowMinimum", (9, 10, 100)),
        (41, "MultiSwapFillAboveMaximum", (41, 40)),
        (101, "MultiSwapFillAboveRemaining", (101, 100)),
    ],
    ids=["below_min", "above_max", "above_remaining"],
)
def test_a_quote_outside_the_fill_limits_reverts_like_the_fill(
    open_issuance, multiswap, manager, fill_output, error, args
):
    with reverts(error, *args):
        quote(multiswap, manager, fill_output)


def test_the_exact_tail_is_quoted_even_below_the_minimum(open_issuance, multiswap, manager, taker):
    for size in (40, 40, 15):
        fill(manager, taker, size)
    assert quote(multiswap, manager, 5) == share(1_000, 5, 100)


def test_a_quote_at_the_due_time_reverts_issuance_due(open_issuance, multiswap, manager):
    sleep_past(HOUR)
    with reverts("InstrumentIssuanceDue", 1, open_issuance.timestamp + HOUR):
        quote(multiswap, manager, 20)


@pytest.mark.parametrize("ended_by, state", [("cancel", 2), ("due", 4)])
def test_a_quote_after_the_issuance_ended_reverts_wrong_state(
    open_issuance, multiswap, manager, maker, stranger, ended_by, state
):
    if ended_by == "cancel":
        manager.processEvent(1, 0, CANCEL_ISSUANCE, b"", {"from": maker})
    else:
        sleep_past(HOUR)
        manager.processEvent(1, 0, ISSUANCE_DUE, b"", {"from": stranger})
    with reverts("InstrumentWrongState", 1, state):
        quote(multiswap, manager, 20)


def test_a_quote_for_an_issuance_the_manager_never_created_reverts_unknown(open_issuance, multiswap, manager, stranger):
    with reverts("InstrumentUnknownIssuance", 2):
        quote(multiswap, manager, 20, issuance_id=2)
    with reverts("InstrumentUnknownIssuance", 1):
        quote(multiswap, stranger, 20)
