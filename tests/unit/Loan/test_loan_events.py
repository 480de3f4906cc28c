"""Which engagement a loan event may name, and timed events sent by a keeper.

Events about the whole issuance (cancel_issuance, issuance_due) name engagement 0; the loan's own
events (repay_full, engagement_due, margin_call) name engagement 1, and only once it was engaged.
A keeper sending timed events, early, on time or again, never pays or receives anything, whatever
it holds in the domain.
"""

import pytest

from loan_support import DURATION, TENOR, create, engage, executed, fund_parties, parties, send
from nuts_escrow import CANCEL_ISSUANCE, ENGAGEMENT_DUE, ISSUANCE_DUE, MARGIN_CALL, REPAY_FULL
from nuts_escrow.types import LoanState
from support import ETH, domain_escrows, fund, held, reverts, sleep_past

ISSUANCE_EVENTS = (CANCEL_ISSUANCE, ISSUANCE_DUE)
LOAN_EVENTS = (REPAY_FULL, ENGAGEMENT_DUE, MARGIN_CALL)


@pytest.fixture
def created(loan, token, other_token, maker, taker):
    fund_parties(loan, maker, taker, token, other_token)
    create(loan, maker, token, other_token, maintenance_ratio=12_000)
    return loan


def callers(loan, maker, taker):
    """Who could send each event: the maker for cancel, the borrower for repay."""
    _, borrower = parties(loan, maker, taker)
    return {
        CANCEL_ISSUANCE: maker,
        ISSUANCE_DUE: maker,
        REPAY_FULL: borrower,
        ENGAGEMENT_DUE: maker,
        MARGIN_CALL: maker,
    }


@pytest.mark.parametrize("engaged", [False, True], ids=["engageable", "engaged"])
def test_an_event_naming_an_engagement_the_loan_does_not_have_reverts(created, state, maker, taker, stranger, engaged):
    loan = created
    if engaged:
        engage(loan, taker)
    sender = callers(loan, maker, taker)
    before = state()
    for event in LOAN_EVENTS:
        with reverts("InstrumentUnknownEngagement", 1, 12345):
            send(loan, sender[event], event, engagement_id=12345)
    for event in ISSUANCE_EVENTS:
        for engagement_id in (1, 12345):
            with reverts("InstrumentUnknownEngagement", 1, engagement_id):
                send(loan, sender[event], event, engagement_id=engagement_id)
    assert state() == before


def test_loan_events_before_the_engagement_name_an_unknown_engagement(created, state, maker, taker, stranger):
    loan = created
    sender = callers(loan, maker, taker)
    before = state()
    for event in LOAN_EVENTS:
        with reverts("InstrumentUnknownEngagement", 1, 1):
            send(loan, sender[event], event)
    assert state() == before


def test_a_keepers_timed_events_never_touch_its_balances(
    loan, token, other_token, maker, taker, stranger, oracle, deployer
):
    keeper = stranger
    for asset, amount in ((token, 10_000), (other_token, 10_000), (ETH, 10_000)):
        fund(loan.escrow, keeper, asset, amount)
    for _ in range(3):
        fund_parties(loan, maker, taker, token, other_token)
    create(loan, maker, token, other_token)  # 1: expires
    create(loan, maker, token, other_token, maintenance_ratio=12_000)  # 2: margin called
    create(loan, maker, token, other_token)  # 3: defaults on its due time
    engage(loan, taker, issuance_id=2)
    engage(loan, taker, issuance_id=3)

    def keepers_balances():
        balances = {
            (escrow.address, str(asset)): escrow.getTokenBalance(keeper, asset)
            for escrow in domain_escrows(loan.manager, loan.escrow)
            for asset in (token, other_token, ETH)
        }
        balances["wallet token"] = held(keeper, token)
        balances["wallet other token"] = held(keeper, other_token)
        return balances

    kept = keepers_balances()
    assert kept[(loan.escrow.address, str(token))] == 10_000

    def keeper_sends(event, issuance_id, engagement_id):
        tx = send(loan, keeper, event, issuance_id=issuance_id, engagement_id=engagement_id)
        assert keepers_balances() == kept
        assert all(keeper.address not in (source, destination) for _, _, source, destination, _ in executed(tx))
        return tx

    def state_of(issuance_id):
        return loan.instrument.getIssuance(loan.manager, issuance_id)["state"]

    # Early: nothing is due, nothing is margin called.
    assert executed(keeper_sends(ISSUANCE_DUE, 1, 0)) == []
    for issuance_id in (2, 3):
        assert executed(keeper_sends(ENGAGEMENT_DUE, issuance_id, 1)) == []
    assert executed(keeper_sends(MARGIN_CALL, 2, 1)) == []

    # On time, then again.
    oracle.setRate(token, other_token, 3, 1, {"from": deployer})
    for _ in range(2):
        keeper_sends(MARGIN_CALL, 2, 1)
    assert state_of(2) == LoanState.DEFAULTED
    sleep_past(DURATION)
    for _ in range(2):
        keeper_sends(ISSUANCE_DUE, 1, 0)
    assert state_of(1) == LoanState.EXPIRED
    sleep_past(TENOR)
    for _ in range(2):
        for issuance_id in (2, 3):
            keeper_sends(ENGAGEMENT_DUE, issuance_id, 1)
    assert state_of(3) == LoanState.DEFAULTED
