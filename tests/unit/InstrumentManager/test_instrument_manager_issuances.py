"""InstrumentManager around the transfers: issuance escrows, unknown ids, reentrancy, stray ETH,
and the isolation of one domain from another, with a HostileInstrument doing its worst.
"""

import pytest
from brownie import ContractWallet, IssuanceEscrow, web3
from eth_abi import encode

from manager_support import POKE, create, holdings
from nuts_escrow import CANCEL_ISSUANCE, event_name
from nuts_escrow.types import TransferKind
from support import ETH, fund, reverts


def selector(signature):
    return bytes(web3.keccak(text=signature)[:4])


def salt(issuance_id):
    return issuance_id.to_bytes(32, "big")


# -------------------------------------------------------------------------------- issuance escrows


def test_each_issuance_gets_its_own_escrow_at_the_predicted_address_with_the_manager_as_admin(
    hostile, hostile_manager, factory, token, maker, taker
):
    escrows = []
    for issuance_id, caller in ((1, maker), (2, taker), (3, maker)):
        predicted = factory.predictIssuanceEscrow(hostile_manager, salt(issuance_id))
        assert web3.eth.get_code(predicted) == b""

        tx = create(hostile_manager, hostile, caller, [])

        assert tx.return_value == issuance_id
        assert hostile_manager.issuanceCount() == issuance_id
        assert hostile_manager.getIssuanceEscrow(issuance_id) == predicted
        assert IssuanceEscrow.at(predicted).admin() == hostile_manager.address
        assert dict(tx.events["IssuanceCreated"][0]) == {
            "issuanceId": issuance_id,
            "maker": caller.address,
            "issuanceEscrow": predicted,
        }
        created = tx.events["IssuanceEscrowCreated"][0]
        assert created.address == factory.address
        assert created["admin"] == hostile_manager.address
        assert created["escrow"] == predicted
        assert bytes(created["salt"]) == salt(issuance_id)
        escrows.append(predicted)
    assert len(set(escrows)) == 3
    assert hostile_manager.getInstrumentEscrow() not in escrows


def test_the_same_issuance_id_in_two_domains_has_two_different_escrows(hostile_manager, second_domain, committed):
    other_manager, _, other_issuance = second_domain
    assert other_manager.getIssuanceEscrow(1) == other_issuance.address
    assert hostile_manager.getIssuanceEscrow(1) == committed[0].address
    assert other_issuance.address != committed[0].address
    assert other_issuance.admin() == other_manager.address


@pytest.mark.parametrize("issuance_id", [0, 3, 2**256 - 1])
def test_unknown_issuance_ids_revert_manager_unknown_issuance(
    hostile, hostile_manager, hostile_escrow, committed, token, maker, taker, issuance_id
):
    hostile.script([(TransferKind.INBOUND, token, taker, taker, 1, 0)], {"from": taker})
    before = holdings([hostile_escrow, *committed], [maker, taker], [token, ETH])
    with reverts("ManagerUnknownIssuance", issuance_id):
        hostile_manager.engageIssuance(issuance_id, b"", {"from": taker})
    with reverts("ManagerUnknownIssuance", issuance_id):
        hostile_manager.processEvent(issuance_id, 1, CANCEL_ISSUANCE, b"", {"from": taker})
    with reverts("ManagerUnknownIssuance", issuance_id):
        hostile_manager.getIssuanceEscrow(issuance_id)
    assert holdings([hostile_escrow, *committed], [maker, taker], [token, ETH]) == before
    assert hostile_manager.issuanceCount() == 2


# ------------------------------------------------------------------------------ hostile call-backs


@pytest.mark.parametrize("entry_point", ["createIssuance", "engageIssuance", "processEvent"])
def test_the_instrument_cannot_call_back_into_the_manager(
    hostile, hostile_manager, hostile_escrow, committed, token, maker, entry_point
):
    reentry = {
        "createIssuance": lambda: hostile_manager.createIssuance.encode_input(b""),
        "engageIssuance": lambda: hostile_manager.engageIssuance.encode_input(1, b""),
        "processEvent": lambda: hostile_manager.processEvent.encode_input(1, 0, event_name("x"), b""),
    }[entry_point]()
    hostile.scriptCall(hostile_manager, reentry, {"from": maker})

    tx = create(hostile_manager, hostile, maker, [(TransferKind.INBOUND, token, maker, maker, 7, 0)])

    assert hostile.callSucceeded() is False
    assert bytes(hostile.callResult()) == selector("ReentrancyGuardReentrantCall()")
    assert tx.return_value == 3
    assert hostile_manager.issuanceCount() == 3
    assert len(tx.events["IssuanceCreated"]) == 1
    assert len(tx.events["TransferExecuted"]) == 1
    assert hostile_escrow.getTokenBalance(maker, token) == 700 - 7


@pytest.mark.parametrize("target", ["instrument_escrow", "issuance_escrow"])
def test_the_instrument_cannot_use_the_escrows_admin_functions(
    hostile, hostile_manager, hostile_escrow, committed, token, maker, target
):
    escrow = hostile_escrow if target == "instrument_escrow" else committed[0]
    calls = [
        escrow.transferByAdmin.encode_input(maker, hostile, token, 1),
        escrow.withdrawTokenByAdmin.encode_input(maker, token, 1),
        escrow.sendTokenByAdmin.encode_input(maker, token, 1, hostile),
        escrow.withdrawByAdmin.encode_input(maker, 1),
        escrow.receiveTokenByAdmin.encode_input(hostile, token, 1, committed[1], maker),
    ]
    unauthorized = selector("EscrowUnauthorized(address,address)") + encode(
        ["address", "address"], [hostile.address, hostile_manager.address]
    )
    for data in calls:
        before = holdings([hostile_escrow, *committed], [maker, hostile], [token, ETH])
        hostile.scriptCall(escrow, data, {"from": maker})
        hostile_manager.processEvent(1, 0, POKE, b"", {"from": maker})
        assert hostile.callSucceeded() is False
        assert bytes(hostile.callResult()) == unauthorized
        assert holdings([hostile_escrow, *committed], [maker, hostile], [token, ETH]) == before


@pytest.mark.parametrize("source", ["instrument_escrow", "issuance_escrow"])
def test_the_instrument_cannot_use_the_managers_escrow_callback(
    hostile, hostile_manager, hostile_escrow, committed, token, maker, source
):
    """`sendTokenToEscrow` answers only the escrow being moved into, during the move: the
    instrument, called by the manager, cannot have an escrow send it the maker's tokens."""
    escrow = hostile_escrow if source == "instrument_escrow" else committed[0]
    data = hostile_manager.sendTokenToEscrow.encode_input(escrow, maker, token, 1)
    refused = selector("ManagerUnexpectedCallback(address)") + encode(["address"], [hostile.address])
    before = holdings([hostile_escrow, *committed], [maker, hostile], [token, ETH])
    hostile.scriptCall(hostile_manager, data, {"from": maker})
    hostile_manager.processEvent(1, 0, POKE, b"", {"from": maker})
    assert hostile.callSucceeded() is False
    assert bytes(hostile.callResult()) == refused
    assert holdings([hostile_escrow, *committed], [maker, hostile], [token, ETH]) == before
    assert token.balanceOf(hostile) == 0


def test_escrows_the_instrument_makes_for_itself_are_its_own_not_the_managers(hostile, hostile_manager, factory, maker):
    hostile.scriptCall(factory, factory.createIssuanceEscrow.encode_input(salt(1)), {"from": maker})
    create(hostile_manager, hostile, maker, [])
    assert hostile.callSucceeded() is True
    own = factory.predictIssuanceEscrow(hostile, salt(1))
    assert IssuanceEscrow.at(own).admin() == hostile.address
    assert hostile_manager.getIssuanceEscrow(1) != own
    assert IssuanceEscrow.at(hostile_manager.getIssuanceEscrow(1)).admin() == hostile_manager.address


# -------------------------------------------------------------------------------------- stray ETH


def test_eth_sent_straight_to_the_manager_reverts_manager_unexpected_eth(hostile_manager, maker, deployer):
    wallet = ContractWallet.deploy({"from": deployer})
    before = maker.balance()
    with reverts("ManagerUnexpectedEth", maker, 5):
        maker.transfer(hostile_manager, 5)
    with reverts("ManagerUnexpectedEth", wallet, 9):
        wallet.execute(hostile_manager, b"", 9, {"from": maker, "value": 9})
    assert maker.balance() == before
    assert web3.eth.get_balance(hostile_manager.address) == 0
    assert web3.eth.get_balance(wallet.address) == 0


def test_eth_moved_between_escrows_passes_through_the_manager_and_leaves_nothing_there(
    hostile, hostile_manager, hostile_escrow, committed, maker
):
    hostile.script(
        [(TransferKind.INBOUND, ETH, maker, maker, 900, 0), (TransferKind.OUTBOUND, ETH, maker, maker, 1_000, 0)],
        {"from": maker},
    )
    tx = hostile_manager.processEvent(1, 0, POKE, b"", {"from": maker})
    assert [event["amount"] for event in tx.events["TransferExecuted"]] == [900, 1_000]
    assert committed[0].getBalance(maker) == 0
    assert web3.eth.get_balance(committed[0].address) == 0
    assert hostile_escrow.getBalance(maker) == 1_000
    assert web3.eth.get_balance(hostile_escrow.address) == 1_000 + 950
    assert web3.eth.get_balance(hostile_manager.address) == 0


# -------------------------------------------------------------------------------------- isolation


def test_nothing_done_in_one_domain_touches_another(
    hostile, hostile_manager, hostile_escrow, committed, second_domain, token, fee_token, maker, taker, stranger
):
    other_manager, other_escrow, other_issuance = second_domain
    accounts = [maker, taker, stranger]
    other_before = holdings([other_escrow, other_issuance], accounts, [token, fee_token, ETH], wallets=False)
    assert other_issuance.getTokenBalance(maker, token) == 4_000

    # Amounts that only the second domain could pay are refused by the first domain's escrows.
    with reverts("EscrowInsufficientBalance", maker, token, 300, 4_000):
        hostile.script([(TransferKind.OUTBOUND, token, maker, maker, 4_000, 0)], {"from": maker})
        hostile_manager.processEvent(1, 0, POKE, b"", {"from": maker})
    with reverts("EscrowInsufficientBalance", maker, ETH, 900, 4_500):
        hostile.script([(TransferKind.INBOUND, ETH, maker, maker, 4_500, 0)], {"from": maker})
        hostile_manager.createIssuance(b"", {"from": maker})
    with reverts("ManagerTransferNotAllowed", 0, TransferKind.INTRA_INSTRUMENT, taker, maker):
        hostile.script([(TransferKind.INTRA_INSTRUMENT, token, taker, maker, 1, 0)], {"from": maker})
        hostile_manager.processEvent(2, 0, POKE, b"", {"from": maker})

    # Everything that is allowed in the first domain happens there only.
    fund(hostile_escrow, stranger, fee_token, 1_000)
    create(hostile_manager, hostile, stranger, [(TransferKind.INBOUND, fee_token, stranger, stranger, 500, 0)])
    hostile.script(
        [
            (TransferKind.OUTBOUND, token, maker, taker, 300, 0),
            (TransferKind.OUTBOUND, ETH, maker, taker, 100, 0),
            (TransferKind.INTRA_INSTRUMENT, token, taker, maker, 9, 0),
        ],
        {"from": taker},
    )
    hostile_manager.engageIssuance(1, b"", {"from": taker})
    hostile.script([(TransferKind.OUTBOUND, token, taker, taker, 200, 0)], {"from": taker})
    hostile_manager.processEvent(2, 0, POKE, b"", {"from": taker})
    hostile_escrow.withdrawToken(token, 1_000, {"from": taker})
    hostile_escrow.withdraw(1_000, {"from": taker})

    assert hostile_escrow.getTokenBalance(taker, token) == 800 + 300 - 9 + 200 - 1_000
    assert holdings([other_escrow, other_issuance], accounts, [token, fee_token, ETH], wallets=False) == other_before
    assert other_manager.issuanceCount() == 1
