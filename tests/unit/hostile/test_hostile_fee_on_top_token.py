"""A token that charges the sender a fee on top of what it sends (FeeOnTopToken: sending 1,000
takes 1,010 from the sender at 1%). Were an escrow to send it, its ledger would drop by 1,000 and
its holdings by 1,010, and the other accounts booked there would pay the fee. So every way a
token leaves an escrow (a user's withdrawal, the admin's withdrawals and sends of both escrows,
the moves between escrows, made by an admin contract and by the Instrument Manager) reverts with
`EscrowSendOverdrawn(token, sent, taken)` while the fee is on, and changes nothing. A balance that
falls by less than what was sent is fine. With the fee off the token is a plain one (it also runs
through every test of the `odd` kinds, in conftest.py).
"""

import pytest
from brownie import FeeOnTopToken, IssuanceEscrow

from hostile_support import ODD_SUPPLY, assert_books_exact, snapshot
from nuts_escrow import CANCEL_ISSUANCE
from support import ETH, fund, reverts, swap_terms

FEE_BPS = 100  # 1% on top of every transfer, burned from the sender
HOUR = 3600
BOOKED = 5_000  # booked for the maker and for the taker in the escrow under test


def taken(amount):
    """What a send of `amount` takes from the sender while the fee is on."""
    return amount + amount * FEE_BPS // 10_000


@pytest.fixture(scope="module")
def top(deployer, maker, taker, stranger, admin):
    """A FeeOnTopToken with the fee off, minted to every role."""
    contract = FeeOnTopToken.deploy({"from": deployer})
    for holder in (maker, taker, stranger, admin):
        contract.mint(holder, ODD_SUPPLY, {"from": deployer})
    return contract


def switch_fee(top, deployer, on):
    top.setFeeBasisPoints(FEE_BPS if on else 0, {"from": deployer})


def test_the_token_charges_the_sender_on_top(top, deployer, maker, taker):
    switch_fee(top, deployer, on=True)
    top.transfer(taker, 1_000, {"from": maker})
    assert top.balanceOf(maker) == ODD_SUPPLY - 1_010
    assert top.balanceOf(taker) == ODD_SUPPLY + 1_000


# ------------------------------------------------------------------- Instrument Escrow, users


@pytest.mark.parametrize("amount", [1_000, BOOKED], ids=["part", "all"])
def test_a_user_withdrawal_the_token_overcharges_reverts_and_changes_nothing(
    instrument_escrow, top, deployer, maker, taker, stranger, amount
):
    escrow = instrument_escrow
    fund(escrow, maker, top, BOOKED)
    fund(escrow, taker, top, BOOKED)
    switch_fee(top, deployer, on=True)

    def state():
        return snapshot([escrow], [maker, taker, stranger], [top, ETH])

    before = state()
    with reverts("EscrowSendOverdrawn", top, amount, taken(amount)):
        escrow.withdrawToken(top, amount, {"from": maker})
    assert state() == before

    # With the fee off the same withdrawal goes through, and the escrow holds what it books.
    switch_fee(top, deployer, on=False)
    tx = escrow.withdrawToken(top, amount, {"from": maker})
    assert tx.events["Withdrawn"]["amount"] == amount
    assert top.balanceOf(maker) == ODD_SUPPLY - BOOKED + amount
    assert top.balanceOf(escrow) == 2 * BOOKED - amount
    assert_books_exact([escrow], [maker, taker, stranger], [top])


# ---------------------------------------------------------------- both escrows, admin functions

ADMIN_SENDS = {
    "withdrawTokenByAdmin": lambda escrow, top, amount, p: escrow.withdrawTokenByAdmin(
        p["maker"], top, amount, {"from": p["admin"]}
    ),
    "sendTokenByAdmin": lambda escrow, top, amount, p: escrow.sendTokenByAdmin(
        p["maker"], top, amount, p["stranger"], {"from": p["admin"]}
    ),
}


@pytest.mark.parametrize("call", ADMIN_SENDS)
def test_an_admin_send_the_token_overcharges_reverts_and_changes_nothing(
    escrow, top, deployer, admin, maker, taker, stranger, call
):
    """`escrow`: each kind in turn, whose admin is the `admin` account; the sends pay the admin
    (withdrawTokenByAdmin) or the stranger (sendTokenByAdmin)."""
    top.approve(escrow, 2 * BOOKED, {"from": admin})
    for account in (maker, taker):
        escrow.depositTokenByAdmin(account, top, BOOKED, {"from": admin})
    switch_fee(top, deployer, on=True)
    parties = {"admin": admin, "maker": maker, "stranger": stranger}

    def state():
        return snapshot([escrow], [admin, maker, taker, stranger], [top, ETH])

    before = state()
    for amount in (1_000, BOOKED):
        with reverts("EscrowSendOverdrawn", top, amount, taken(amount)):
            ADMIN_SENDS[call](escrow, top, amount, parties)
    assert state() == before

    switch_fee(top, deployer, on=False)
    ADMIN_SENDS[call](escrow, top, 1_000, parties)
    recipient = admin if call == "withdrawTokenByAdmin" else stranger
    assert top.balanceOf(recipient) == before["held", recipient.address, top.address] + 1_000
    assert escrow.getTokenBalance(maker, top) == BOOKED - 1_000
    assert_books_exact([escrow], [admin, maker, taker, stranger], [top])


@pytest.mark.parametrize("fee_on, fell", [(True, 10), (False, 0)], ids=["fee on", "fee off"])
def test_a_send_whose_balance_falls_by_less_than_it_sent_goes_through(
    escrow, top, deployer, admin, maker, taker, fee_on, fell
):
    """Sending to itself, the escrow gets back what it sent: its balance falls only by the fee
    (10 for 1,000 sent and debited) or, with the fee off, not at all; it still holds more than
    it books."""
    top.approve(escrow, 2 * BOOKED, {"from": admin})
    for account in (maker, taker):
        escrow.depositTokenByAdmin(account, top, BOOKED, {"from": admin})
    switch_fee(top, deployer, on=fee_on)

    tx = escrow.sendTokenByAdmin(maker, top, 1_000, escrow, {"from": admin})

    assert tx.events["Withdrawn"]["amount"] == 1_000
    assert escrow.getTokenBalance(maker, top) == BOOKED - 1_000
    assert top.balanceOf(escrow) == 2 * BOOKED - fell


# ----------------------------------------------------------- moves between escrows, admin contract


@pytest.mark.parametrize("direction", ["instrument to issuance", "issuance to instrument"])
def test_a_move_between_escrows_the_token_overcharges_reverts_and_changes_nothing(
    mock_admin, top, deployer, maker, taker, stranger, direction
):
    """The one-transfer move (`receiveTokenByAdmin`, the admin's callback, `sendTokenByAdmin`),
    made by an EscrowAdminMock that is the admin of one escrow of each kind."""
    mock, call = mock_admin.admin, mock_admin.call
    escrows = (mock_admin.instrument, mock_admin.issuance)
    source, destination = escrows if direction.startswith("instrument") else escrows[::-1]
    top.mint(mock, ODD_SUPPLY, {"from": deployer})
    call(top, "approve", source, 2 * BOOKED)
    for account in (maker, taker):
        call(source, "depositTokenByAdmin", account, top, BOOKED)
    switch_fee(top, deployer, on=True)

    def state():
        return snapshot([source, destination], [mock, maker, taker, stranger], [top, ETH]), mock.callbacks()

    before = state()
    with reverts("EscrowSendOverdrawn", top, 1_000, 1_010):
        call(destination, "receiveTokenByAdmin", stranger, top, 1_000, source, maker)
    assert state() == before

    switch_fee(top, deployer, on=False)
    call(destination, "receiveTokenByAdmin", stranger, top, 1_000, source, maker)
    assert destination.getTokenBalance(stranger, top) == 1_000
    assert source.getTokenBalance(maker, top) == BOOKED - 1_000
    assert_books_exact([source, destination], [mock, maker, taker, stranger], [top])


# ------------------------------------------------------------ moves between escrows, the manager


def test_a_swap_committing_a_token_that_overcharges_reverts_and_changes_nothing(
    swap, manager, domain_escrow, top, deployer, maker, taker
):
    """The Inbound move of a swap's creation: the Instrument Escrow, holding the taker's tokens
    too, would pay the fee out of them."""
    fund(domain_escrow, maker, top, BOOKED)
    fund(domain_escrow, taker, top, BOOKED)
    switch_fee(top, deployer, on=True)
    terms = swap_terms(HOUR, top, ETH, 1_000, 1)

    def state():
        return (
            snapshot([domain_escrow], [maker, taker], [top, ETH], [manager]),
            manager.issuanceCount(),
            swap.getIssuance(manager, 1),
        )

    before = state()
    with reverts("EscrowSendOverdrawn", top, 1_000, 1_010):
        manager.createIssuance(terms, {"from": maker})
    assert state() == before

    switch_fee(top, deployer, on=False)
    manager.createIssuance(terms, {"from": maker})
    issuance = IssuanceEscrow.at(manager.getIssuanceEscrow(1))
    assert issuance.getTokenBalance(maker, top) == 1_000
    assert domain_escrow.getTokenBalance(maker, top) == BOOKED - 1_000
    assert_books_exact([domain_escrow, issuance], [maker, taker], [top])


SWAP_ENDINGS = {
    "engage": lambda manager, p: manager.engageIssuance(1, b"", {"from": p["taker"]}),
    "cancel": lambda manager, p: manager.processEvent(1, 0, CANCEL_ISSUANCE, b"", {"from": p["maker"]}),
}


@pytest.mark.parametrize("ending", SWAP_ENDINGS)
def test_a_swap_returning_a_token_that_overcharges_reverts_and_changes_nothing(
    swap, manager, domain_escrow, top, deployer, maker, taker, stranger, ending
):
    """The Outbound move of a swap's engagement or cancellation. The Issuance Escrow holds 100
    more than it books (sent to it straight by the stranger), so the fee could be paid out of
    them: without them the token's own balance check would refuse the send first."""
    fund(domain_escrow, maker, top, BOOKED)
    fund(domain_escrow, taker, ETH, 10)
    manager.createIssuance(swap_terms(HOUR, top, ETH, 1_000, 1), {"from": maker})
    issuance = IssuanceEscrow.at(manager.getIssuanceEscrow(1))
    top.transfer(issuance, 100, {"from": stranger})
    switch_fee(top, deployer, on=True)
    parties = {"maker": maker, "taker": taker}

    def state():
        return (
            snapshot([domain_escrow, issuance], [maker, taker, stranger], [top, ETH], [manager]),
            swap.getIssuance(manager, 1),
        )

    before = state()
    with reverts("EscrowSendOverdrawn", top, 1_000, 1_010):
        SWAP_ENDINGS[ending](manager, parties)
    assert state() == before

    switch_fee(top, deployer, on=False)
    SWAP_ENDINGS[ending](manager, parties)
    receiver = taker if ending == "engage" else maker
    assert domain_escrow.getTokenBalance(receiver, top) == (1_000 if ending == "engage" else BOOKED)
    assert issuance.getTokenBalance(maker, top) == 0
    assert top.balanceOf(issuance) == 100
