"""What the taker states when engaging a swap: nothing (the original, empty taker data) or the
least input it accepts, `abi.encode(minInputReceived)`. Engage releases the input with a minimum
credit of max(1, minInputReceived): a taker never pays the output for nothing, nor for less than it
accepts. The input token here takes a fee anyone may set at any time, up to all of a transfer."""

import pytest

from nuts_escrow.types import SwapState, TransferKind
from support import ETH, events, fund, issuance_escrow, reverts, transfer_event
from swap_support import create_swap, engage_swap, taker_data

EVERYTHING = 10_000  # basis points: the token takes all of a transfer
ONE_PERCENT = 100


@pytest.fixture
def offered(manager, domain_escrow, adjustable_fee_token, other_token, maker, taker):
    """Swap 1: 400 of the adjustable-fee token for 300 other_token, made while the token took no
    fee, so all 400 arrived; the taker holds exactly the 300 other_token."""
    fund(domain_escrow, maker, adjustable_fee_token, 1_000)
    fund(domain_escrow, taker, other_token, 300)
    create_swap(manager, maker, adjustable_fee_token, other_token, 400, 300)
    assert issuance_escrow(manager, 1).getTokenBalance(maker, adjustable_fee_token) == 400


@pytest.mark.parametrize("setter", ["maker", "stranger"])
@pytest.mark.parametrize("minimum", [None, 400], ids=["empty_taker_data", "minimum_400"])
def test_an_input_token_that_takes_everything_before_the_engagement_makes_it_revert(
    offered,
    swap,
    manager,
    domain_escrow,
    state,
    adjustable_fee_token,
    other_token,
    maker,
    taker,
    stranger,
    setter,
    minimum,
):
    """Without the minimum credit the taker would pay the 300 and be credited nothing."""
    adjustable_fee_token.setFeeBasisPoints(EVERYTHING, {"from": maker if setter == "maker" else stranger})
    before = state()

    with reverts("ManagerCreditBelowMinimum", 1, adjustable_fee_token, taker, 0, minimum or 1):
        engage_swap(manager, taker, minimum)

    assert state() == before
    assert domain_escrow.getTokenBalance(taker, other_token) == 300, "the taker paid nothing"
    assert domain_escrow.getTokenBalance(maker, other_token) == 0
    assert swap.getIssuance(manager, 1)["state"] == SwapState.ENGAGEABLE

    # The swap is as it was: once the token takes nothing again, the taker engages it.
    adjustable_fee_token.setFeeBasisPoints(0, {"from": stranger})
    engage_swap(manager, taker, minimum)
    assert domain_escrow.getTokenBalance(taker, adjustable_fee_token) == 400
    assert domain_escrow.getTokenBalance(maker, other_token) == 300


@pytest.mark.parametrize(
    "fee, arrives", [(0, 400), (ONE_PERCENT, 396)], ids=["no_fee", "one_percent_fee_on_the_way_out"]
)
def test_a_minimum_above_what_arrives_reverts_and_exactly_what_arrives_is_accepted(
    offered,
    swap,
    manager,
    domain_escrow,
    state,
    adjustable_fee_token,
    other_token,
    maker,
    taker,
    stranger,
    fee,
    arrives,
):
    adjustable_fee_token.setFeeBasisPoints(fee, {"from": stranger})
    before = state()
    for minimum in (arrives + 1, 2**256 - 1):
        with reverts("ManagerCreditBelowMinimum", 1, adjustable_fee_token, taker, arrives, minimum):
            engage_swap(manager, taker, minimum)
    assert state() == before

    tx = engage_swap(manager, taker, arrives)

    assert events(tx, "TransferExecuted")[1] == transfer_event(
        1, TransferKind.OUTBOUND, adjustable_fee_token, maker, taker, arrives
    )
    assert domain_escrow.getTokenBalance(taker, adjustable_fee_token) == arrives
    assert domain_escrow.getTokenBalance(taker, other_token) == 0
    assert domain_escrow.getTokenBalance(maker, other_token) == 300
    assert swap.getIssuance(manager, 1)["state"] == SwapState.COMPLETE_ENGAGED


@pytest.mark.parametrize("minimum", [None, 0, 1, 396], ids=["empty_taker_data", "zero", "one", "what_arrives"])
def test_with_a_one_percent_fee_the_taker_gets_what_arrives_at_any_minimum_up_to_it(
    offered, manager, domain_escrow, adjustable_fee_token, taker, stranger, minimum
):
    adjustable_fee_token.setFeeBasisPoints(ONE_PERCENT, {"from": stranger})
    engage_swap(manager, taker, minimum)
    assert domain_escrow.getTokenBalance(taker, adjustable_fee_token) == 396


def test_an_eth_input_arrives_whole_and_a_minimum_above_it_reverts(
    swap, manager, domain_escrow, state, other_token, maker, taker
):
    fund(domain_escrow, maker, ETH, 1_000)
    fund(domain_escrow, taker, other_token, 300)
    create_swap(manager, maker, ETH, other_token, 400, 300)
    before = state()
    with reverts("ManagerCreditBelowMinimum", 1, ETH, taker, 400, 401):
        engage_swap(manager, taker, 401)
    assert state() == before
    engage_swap(manager, taker, 400)
    assert domain_escrow.getBalance(taker) == 400


@pytest.mark.parametrize("length", [1, 31, 33, 64, 96])
def test_taker_data_of_another_length_reverts_invalid_taker_data(offered, manager, state, taker, length):
    data = (taker_data(1) * 3)[:length]
    before = state()
    with reverts("InstrumentInvalidTakerData", length):
        manager.engageIssuance(1, data, {"from": taker})
    assert state() == before
