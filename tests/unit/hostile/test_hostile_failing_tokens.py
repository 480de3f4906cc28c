"""Tokens that fail: one that returns `false` instead of reverting (a failed transfer must revert
the escrow call with `SafeERC20FailedOperation(token)`), and a USDT-style one that returns
nothing and reverts (its own error comes through). Every escrow function that moves the token and
every Swap flow is tried while the token fails; each reverts and changes nothing: no ledger entry,
no holding, no issuance, no swap state.
"""

import pytest
from brownie import FalseReturnToken, IssuanceEscrow, NoReturnToken, chain

from hostile_support import ODD_SUPPLY, snapshot
from nuts_escrow import CANCEL_ISSUANCE, ISSUANCE_DUE
from support import ETH, fund, reverts, swap_terms

HOUR = 3600


@pytest.fixture(scope="module")
def false_token(deployer, maker, taker, stranger, admin):
    contract = FalseReturnToken.deploy({"from": deployer})
    for holder in (maker, taker, stranger, admin):
        contract.mint(holder, ODD_SUPPLY, {"from": deployer})
    return contract


@pytest.fixture(scope="module")
def booked_escrows(instrument_escrow, issuance_escrow, false_token, admin, maker):
    """Both admin-run escrows book 5,000 of the false token for the maker; the maker also booked
    5,000 on its own in the Instrument Escrow."""
    for escrow in (instrument_escrow, issuance_escrow):
        false_token.approve(escrow, 5_000, {"from": admin})
        escrow.depositTokenByAdmin(maker, false_token, 5_000, {"from": admin})
    fund(instrument_escrow, maker, false_token, 5_000)
    return instrument_escrow, issuance_escrow


@pytest.fixture
def everything(instrument_escrow, issuance_escrow, false_token, admin, maker, taker, stranger):
    return lambda: snapshot([instrument_escrow, issuance_escrow], [admin, maker, taker, stranger], [false_token, ETH])


# Calls while the token fails: (escrows, parties, token) -> call.
FAILING_CALLS = {
    "depositToken": lambda e, p, t: e[0].depositToken(t, 100, {"from": p.maker}),
    "withdrawToken": lambda e, p, t: e[0].withdrawToken(t, 100, {"from": p.maker}),
    "depositTokenByAdmin": lambda e, p, t: e[p.i].depositTokenByAdmin(p.maker, t, 100, {"from": p.admin}),
    "withdrawTokenByAdmin": lambda e, p, t: e[p.i].withdrawTokenByAdmin(p.maker, t, 100, {"from": p.admin}),
    "sendTokenByAdmin": lambda e, p, t: e[p.i].sendTokenByAdmin(p.maker, t, 100, p.taker, {"from": p.admin}),
}


class Parties:
    def __init__(self, i, admin, maker, taker):
        self.i, self.admin, self.maker, self.taker = i, admin, maker, taker


# The Issuance Escrow (1) has no user functions.
CALL_CASES = [(call, which) for call in FAILING_CALLS for which in (0, 1) if which == 0 or "ByAdmin" in call]


@pytest.mark.parametrize("call, which", CALL_CASES, ids=[f"{c}-{('instrument', 'issuance')[w]}" for c, w in CALL_CASES])
def test_a_transfer_returning_false_reverts_the_escrow_call_and_changes_nothing(
    booked_escrows, false_token, everything, deployer, admin, maker, taker, call, which
):
    false_token.setFailing(True, {"from": deployer})
    before = everything()

    with reverts("SafeERC20FailedOperation", false_token):
        FAILING_CALLS[call](booked_escrows, Parties(which, admin, maker, taker), false_token)

    assert everything() == before


@pytest.mark.parametrize("which", [0, 1], ids=["instrument", "issuance"])
def test_a_deposit_without_allowance_returns_false_and_reverts(booked_escrows, false_token, everything, admin, which):
    escrow = booked_escrows[which]
    before = everything()
    with reverts("SafeERC20FailedOperation", false_token):
        escrow.depositTokenByAdmin(admin, false_token, 100, {"from": admin})
    assert everything() == before


def test_a_user_deposit_beyond_the_users_balance_returns_false_and_reverts(
    booked_escrows, false_token, everything, taker
):
    escrow = booked_escrows[0]
    false_token.approve(escrow, ODD_SUPPLY + 1, {"from": taker})
    before = everything()
    with reverts("SafeERC20FailedOperation", false_token):
        escrow.depositToken(false_token, ODD_SUPPLY + 1, {"from": taker})
    assert everything() == before


def test_a_no_return_token_that_reverts_reverts_the_deposit_with_its_own_error(instrument_escrow, deployer, maker):
    token = NoReturnToken.deploy({"from": deployer})
    token.mint(maker, 1_000, {"from": deployer})
    with reverts("NoReturnInsufficientAllowance", instrument_escrow, 0, 100):
        instrument_escrow.depositToken(token, 100, {"from": maker})
    assert instrument_escrow.getTokenBalance(maker, token) == 0
    assert token.balanceOf(maker) == 1_000


# ------------------------------------------------------------------------------- Swap flows


@pytest.fixture(scope="module")
def swap_ready(manager, domain_escrow, false_token, maker, taker):
    """Issuance 1: the maker swaps 1,000 false token for 300 wei; the taker has 1,000 wei."""
    fund(domain_escrow, maker, false_token, 5_000)
    fund(domain_escrow, taker, ETH, 1_000)
    manager.createIssuance(swap_terms(HOUR, false_token, ETH, 1_000, 300), {"from": maker})
    return IssuanceEscrow.at(manager.getIssuanceEscrow(1))


FAILING_FLOWS = {
    "create": lambda m, p: m.createIssuance(swap_terms(HOUR, p.token, ETH, 100, 1), {"from": p.maker}),
    "engage": lambda m, p: m.engageIssuance(1, b"", {"from": p.taker}),
    "cancel": lambda m, p: m.processEvent(1, 0, CANCEL_ISSUANCE, b"", {"from": p.maker}),
    "due": lambda m, p: m.processEvent(1, 0, ISSUANCE_DUE, b"", {"from": p.stranger}),
}


@pytest.mark.parametrize("flow", FAILING_FLOWS)
def test_a_swap_flow_whose_token_transfer_returns_false_reverts_and_changes_nothing(
    swap, manager, domain_escrow, swap_ready, false_token, deployer, maker, taker, stranger, flow
):
    if flow == "due":
        chain.sleep(HOUR + 1)
        chain.mine()
    false_token.setFailing(True, {"from": deployer})

    def state():
        return (
            snapshot([domain_escrow, swap_ready], [maker, taker, stranger], [false_token, ETH], [manager]),
            manager.issuanceCount(),
            swap.getIssuance(manager, 1),
        )

    before = state()
    parties = type("Parties", (), {"token": false_token, "maker": maker, "taker": taker, "stranger": stranger})
    with reverts("SafeERC20FailedOperation", false_token):
        FAILING_FLOWS[flow](manager, parties)
    assert state() == before

    # Once the token works again, the same flow goes through.
    false_token.setFailing(False, {"from": deployer})
    FAILING_FLOWS[flow](manager, parties)
