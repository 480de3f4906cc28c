"""InstrumentManager transfer rule, tried by a HostileInstrument that answers with any transfers.

A caller's Instrument Escrow account is spent only on its own call; Outbound and IntraIssuance
spend only the Issuance Escrow of the issuance the call is about. Refused transfers revert the
whole call and move nothing; allowed ones emit TransferExecuted with what was credited.
"""

import pytest
from brownie import ZERO_ADDRESS, IssuanceEscrow, web3

from manager_support import ENTRY_POINTS, POKE, call_manager, create, holdings, transfers_executed
from nuts_escrow import ISSUANCE_DUE
from nuts_escrow.types import TransferKind
from support import ETH, WHOLE_BALANCE, fund, reverts

# ------------------------------------------------------------------------------ refused transfers


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
@pytest.mark.parametrize(
    "kind", [TransferKind.INBOUND, TransferKind.INTRA_INSTRUMENT], ids=["inbound", "intra_instrument"]
)
@pytest.mark.parametrize("asset", ["token", "eth"])
def test_taking_another_users_instrument_escrow_balance_reverts_and_moves_nothing(
    hostile, hostile_manager, everything, token, maker, taker, entry_point, kind, asset
):
    asset = token if asset == "token" else ETH
    before = everything()
    # The first transfer is allowed and would execute; the second reaches for the taker's account.
    transfers = [(TransferKind.INBOUND, asset, maker, maker, 10, 0), (kind, asset, taker, maker, 10, 0)]
    with reverts("ManagerTransferNotAllowed", 1, kind, taker, maker):
        call_manager(hostile_manager, hostile, entry_point, maker, transfers)
    assert everything() == before
    assert hostile_manager.issuanceCount() == 2


@pytest.mark.parametrize(
    "kind", [TransferKind.INBOUND, TransferKind.INTRA_INSTRUMENT], ids=["inbound", "intra_instrument"]
)
def test_a_stranger_cannot_make_the_instrument_spend_the_makers_instrument_escrow_balance(
    hostile, hostile_manager, everything, token, maker, stranger, kind
):
    before = everything()
    with reverts("ManagerTransferNotAllowed", 0, kind, maker, stranger):
        call_manager(hostile_manager, hostile, "event", stranger, [(kind, token, maker, stranger, 700, 0)])
    assert everything() == before


@pytest.mark.parametrize(
    "kind", [TransferKind.OUTBOUND, TransferKind.INTRA_ISSUANCE], ids=["outbound", "intra_issuance"]
)
@pytest.mark.parametrize("asset", ["token", "eth"])
def test_spending_from_the_issuance_escrow_never_reaches_another_issuances_escrow(
    hostile, hostile_manager, everything, committed, token, maker, taker, kind, asset
):
    asset = token if asset == "token" else ETH
    # The taker holds 200 token / 50 wei in issuance 2's escrow and more in the Instrument
    # Escrow, but nothing in issuance 1's escrow, which is the only one a call about 1 spends.
    assert committed[1].getTokenBalance(taker, asset) > 0
    before = everything()
    with reverts("EscrowInsufficientBalance", taker, asset, 0, 1):
        call_manager(hostile_manager, hostile, "event", maker, [(kind, asset, taker, maker, 1, 0)], issuance_id=1)
    assert everything() == before


@pytest.mark.parametrize(
    "kind", [TransferKind.OUTBOUND, TransferKind.INTRA_ISSUANCE], ids=["outbound", "intra_issuance"]
)
@pytest.mark.parametrize("entry_point", ["engage", "event"])
def test_spending_more_than_the_issuance_escrow_holds_reverts_with_the_escrows_error(
    hostile, hostile_manager, everything, token, maker, taker, kind, entry_point
):
    before = everything()
    transfers = [(kind, ETH, maker, maker, 100, 0), (kind, token, maker, taker, 301, 0)]
    with reverts("EscrowInsufficientBalance", maker, token, 300, 301):
        call_manager(hostile_manager, hostile, entry_point, taker, transfers, issuance_id=1)
    assert everything() == before


def test_outbound_never_takes_from_the_instrument_escrow_even_on_the_owners_call(
    hostile, hostile_manager, everything, token, maker
):
    # The maker holds 700 token in the Instrument Escrow but only 300 in issuance 1's escrow.
    before = everything()
    with reverts("EscrowInsufficientBalance", maker, token, 300, 700):
        call_manager(hostile_manager, hostile, "event", maker, [(TransferKind.OUTBOUND, token, maker, maker, 700, 0)])
    assert everything() == before


def test_a_new_issuance_starts_with_an_empty_escrow_and_cannot_spend_any_other(
    hostile, hostile_manager, everything, token, maker
):
    before = everything()
    with reverts("EscrowInsufficientBalance", maker, token, 0, 1):
        call_manager(hostile_manager, hostile, "create", maker, [(TransferKind.OUTBOUND, token, maker, maker, 1, 0)])
    assert everything() == before
    assert hostile_manager.issuanceCount() == 2


@pytest.mark.parametrize(
    "transfer, error",
    [
        ((TransferKind.INBOUND, "token", "maker", ZERO_ADDRESS, 1, 0), ("EscrowZeroAccount",)),
        (
            (TransferKind.INBOUND, "eth", "maker", "maker", 901, 0),
            ("EscrowInsufficientBalance", "maker", ETH, 900, 901),
        ),
        ((TransferKind.INTRA_INSTRUMENT, "token", "maker", ZERO_ADDRESS, 1, 0), ("EscrowZeroAccount",)),
    ],
    ids=["zero_recipient", "too_much_eth", "intra_zero_recipient"],
)
def test_bad_transfers_revert_with_the_escrows_error_and_move_nothing(
    hostile, hostile_manager, everything, token, maker, transfer, error
):
    names = {"token": token, "eth": ETH, "maker": maker}

    def resolve(value):
        return names.get(value, value) if isinstance(value, str) else value

    before = everything()
    with reverts(error[0], *[resolve(arg) for arg in error[1:]]):
        call_manager(hostile_manager, hostile, "event", maker, [tuple(resolve(v) for v in transfer)])
    assert everything() == before


@pytest.mark.parametrize("kind", [TransferKind.INBOUND, TransferKind.OUTBOUND], ids=["inbound", "outbound"])
def test_moving_a_token_without_code_between_escrows_reverts_and_moves_nothing(
    hostile, hostile_manager, everything, maker, stranger, kind
):
    before = everything()
    with reverts("EscrowTokenNotContract", stranger):
        call_manager(hostile_manager, hostile, "event", maker, [(kind, stranger.address, maker, maker, 1, 0)])
    assert everything() == before


# ------------------------------------------------------------------------------ allowed transfers


def test_every_allowed_kind_executes_and_emits_transfer_executed_in_order(
    hostile, hostile_manager, hostile_escrow, committed, everything, token, maker, taker, stranger
):
    issuance_1, issuance_2 = committed
    before = everything()
    transfers = [
        (TransferKind.INBOUND, token, maker, stranger, 40, 0),
        (TransferKind.INBOUND, ETH, maker, maker, 30, 0),
        (TransferKind.OUTBOUND, token, maker, stranger, 100, 0),
        (TransferKind.OUTBOUND, ETH, maker, taker, 60, 0),
        (TransferKind.INTRA_INSTRUMENT, token, maker, taker, 25, 0),
        (TransferKind.INTRA_INSTRUMENT, ETH, maker, stranger, 5, 0),
        (TransferKind.INTRA_ISSUANCE, token, maker, taker, 50, 0),
        (TransferKind.INTRA_ISSUANCE, ETH, maker, stranger, 20, 0),
    ]

    tx = call_manager(hostile_manager, hostile, "event", maker, transfers, issuance_id=1)

    assert transfers_executed(tx) == [
        {
            "issuanceId": 1,
            "kind": k,
            "token": str(getattr(t, "address", t)),
            "from": f.address,
            "to": to.address,
            "amount": a,
        }
        for k, t, f, to, a, _ in transfers
    ]
    assert all(event.address == hostile_manager.address for event in tx.events["TransferExecuted"])
    assert dict(tx.events["EventProcessed"][0]) == {
        "issuanceId": 1,
        "engagementId": 0,
        "eventName": "0x" + POKE.hex(),
        "caller": maker.address,
    }

    # Instrument Escrow ledger.
    assert hostile_escrow.getTokenBalance(maker, token) == 700 - 40 - 25
    assert hostile_escrow.getTokenBalance(stranger, token) == 100
    assert hostile_escrow.getTokenBalance(taker, token) == 800 + 25
    assert hostile_escrow.getBalance(maker) == 900 - 30 - 5
    assert hostile_escrow.getBalance(taker) == 950 + 60
    assert hostile_escrow.getBalance(stranger) == 5
    # Issuance 1's ledger.
    assert issuance_1.getTokenBalance(maker, token) == 300 + 0 - 100 - 50
    assert issuance_1.getTokenBalance(stranger, token) == 40
    assert issuance_1.getTokenBalance(taker, token) == 50
    assert issuance_1.getBalance(maker) == 100 + 30 - 60 - 20
    assert issuance_1.getBalance(stranger) == 20
    # What the escrows hold follows the ledgers; issuance 2 and the manager are untouched.
    assert token.balanceOf(hostile_escrow) == before[("held", hostile_escrow.address, token.address)] - 40 + 100
    assert token.balanceOf(issuance_1) == 300 + 40 - 100
    assert web3.eth.get_balance(hostile_escrow.address) == 900 + 950 - 30 + 60
    assert web3.eth.get_balance(issuance_1.address) == 100 + 30 - 60
    assert web3.eth.get_balance(hostile_manager.address) == 0
    assert issuance_2.getTokenBalance(taker, token) == 200
    assert issuance_2.getBalance(taker) == 50
    assert token.balanceOf(issuance_2) == 200
    assert web3.eth.get_balance(issuance_2.address) == 50
    # No wallet moved.
    for account in (maker, taker, stranger):
        assert token.balanceOf(account) == before[("held", account.address, token.address)]
        assert account.balance() == before[("held", account.address, ETH)]


def test_anyone_may_have_an_issuance_spend_what_was_committed_to_it(
    hostile, hostile_manager, hostile_escrow, committed, token, maker, stranger
):
    # The rule protects accounts that did not call; what is in an issuance's escrow is the
    # instrument's to move, whoever calls.
    tx = call_manager(
        hostile_manager, hostile, "event", stranger, [(TransferKind.OUTBOUND, token, maker, stranger, 300, 0)]
    )
    assert transfers_executed(tx) == [
        {
            "issuanceId": 1,
            "kind": TransferKind.OUTBOUND,
            "token": token.address,
            "from": maker.address,
            "to": stranger.address,
            "amount": 300,
        }
    ]
    assert committed[0].getTokenBalance(maker, token) == 0
    assert hostile_escrow.getTokenBalance(stranger, token) == 300
    assert committed[1].getTokenBalance(maker, token) == 0
    assert token.balanceOf(committed[1]) == 200


def test_engaging_spends_the_takers_own_balance_and_emits_issuance_engaged(
    hostile, hostile_manager, hostile_escrow, committed, token, maker, taker
):
    transfers = [
        (TransferKind.INTRA_INSTRUMENT, token, taker, maker, 80, 0),
        (TransferKind.OUTBOUND, token, maker, taker, 300, 0),
    ]
    tx = call_manager(hostile_manager, hostile, "engage", taker, transfers, issuance_id=1)

    assert dict(tx.events["IssuanceEngaged"][0]) == {"issuanceId": 1, "engagementId": 1, "taker": taker.address}
    assert tx.return_value == 1
    assert [event["amount"] for event in tx.events["TransferExecuted"]] == [80, 300]
    assert hostile_escrow.getTokenBalance(taker, token) == 800 - 80 + 300
    assert hostile_escrow.getTokenBalance(maker, token) == 700 + 80
    assert committed[0].getTokenBalance(maker, token) == 0
    assert committed[1].getTokenBalance(taker, token) == 200


@pytest.mark.parametrize(
    "entry_point, event",
    [("create", None), ("engage", None), ("event", ISSUANCE_DUE)],
    ids=["create", "engage", "issuance_due"],
)
def test_the_exact_rule_any_caller_exposes_its_own_instrument_escrow_balance_in_that_domain_even_a_keeper(
    hostile,
    hostile_manager,
    hostile_escrow,
    committed,
    second_domain,
    token,
    maker,
    taker,
    stranger,
    entry_point,
    event,
):
    """More than "what was committed to its own issuances": whoever calls the manager, for any
    reason (here a keeper closing the maker's issuance 1 when due), lets the instrument spend that
    caller's own Instrument Escrow balance in this domain (Inbound, IntraInstrument from the
    caller). Never anyone else's, never the caller's balance in another domain, never a wallet."""
    keeper = stranger
    other_manager, other_escrow, other_issuance = second_domain
    fund(hostile_escrow, keeper, token, 500)
    fund(hostile_escrow, keeper, ETH, 40)
    fund(other_escrow, keeper, token, 600)
    other_before = holdings([other_escrow, other_issuance], [maker, taker, keeper], [token, ETH], wallets=False)
    wallet_before = (token.balanceOf(keeper), keeper.balance())

    def keeper_calls(transfers):
        return call_manager(hostile_manager, hostile, entry_point, keeper, transfers, event=event or POKE)

    # Not anyone else's balance, although the keeper called.
    for victim in (maker, taker):
        with reverts("ManagerTransferNotAllowed", 0, TransferKind.INBOUND, victim, keeper):
            keeper_calls([(TransferKind.INBOUND, token, victim, maker, 1, 0)])
    # Not more than the keeper holds here (its 600 in the other domain are out of reach).
    with reverts("EscrowInsufficientBalance", keeper, token, 500, 600):
        keeper_calls([(TransferKind.INBOUND, token, keeper, maker, 600, 0)])

    # But all the keeper holds in this domain, to anyone.
    tx = keeper_calls(
        [
            (TransferKind.INBOUND, token, keeper, maker, 500, 0),
            (TransferKind.INTRA_INSTRUMENT, ETH, keeper, maker, 40, 0),
        ]
    )

    assert [(e["kind"], e["from"], e["to"], e["amount"]) for e in transfers_executed(tx)] == [
        (TransferKind.INBOUND, keeper.address, maker.address, 500),
        (TransferKind.INTRA_INSTRUMENT, keeper.address, maker.address, 40),
    ]
    issuance = IssuanceEscrow.at(hostile_manager.getIssuanceEscrow(3 if entry_point == "create" else 1))
    assert hostile_escrow.getTokenBalance(keeper, token) == 0
    assert hostile_escrow.getBalance(keeper) == 0
    assert issuance.getTokenBalance(maker, token) == 500 + (0 if entry_point == "create" else 300)
    assert hostile_escrow.getBalance(maker) == 900 + 40
    assert holdings([other_escrow, other_issuance], [maker, taker, keeper], [token, ETH], wallets=False) == other_before
    assert other_escrow.getTokenBalance(keeper, token) == 600
    assert (token.balanceOf(keeper), keeper.balance()) == wallet_before


def test_zero_amount_transfers_are_skipped_without_an_event_and_the_rest_executes(
    hostile, hostile_manager, hostile_escrow, committed, token, maker, taker
):
    transfers = [(kind, token, taker, maker, 0, 0) for kind in range(4)] + [
        (TransferKind.OUTBOUND, token, maker, maker, 5, 0)
    ]
    tx = call_manager(hostile_manager, hostile, "event", maker, transfers)
    assert transfers_executed(tx) == [
        {
            "issuanceId": 1,
            "kind": TransferKind.OUTBOUND,
            "token": token.address,
            "from": maker.address,
            "to": maker.address,
            "amount": 5,
        }
    ]
    assert hostile_escrow.getTokenBalance(taker, token) == 800
    assert hostile_escrow.getTokenBalance(maker, token) == 705
    assert committed[0].getTokenBalance(maker, token) == 295


@pytest.mark.parametrize(
    "kind", [TransferKind.OUTBOUND, TransferKind.INTRA_ISSUANCE], ids=["outbound", "intra_issuance"]
)
@pytest.mark.parametrize("asset", ["token", "eth"])
def test_whole_balance_moves_all_that_from_holds_in_the_issuance_escrow(
    hostile, hostile_manager, hostile_escrow, committed, token, maker, taker, kind, asset
):
    asset, held = (token, 300) if asset == "token" else (ETH, 100)
    taker_before = hostile_escrow.getTokenBalance(taker, asset)
    tx = call_manager(hostile_manager, hostile, "event", maker, [(kind, asset, maker, taker, WHOLE_BALANCE, 0)])

    assert [(e["kind"], e["from"], e["to"], e["amount"]) for e in transfers_executed(tx)] == [
        (kind, maker.address, taker.address, held)
    ]
    assert committed[0].getTokenBalance(maker, asset) == 0
    if kind == TransferKind.OUTBOUND:
        assert hostile_escrow.getTokenBalance(taker, asset) == taker_before + held
        assert committed[0].getTokenBalance(taker, asset) == 0
    else:
        assert committed[0].getTokenBalance(taker, asset) == held
        assert hostile_escrow.getTokenBalance(taker, asset) == taker_before


def test_whole_balance_of_an_account_holding_nothing_is_skipped(
    hostile, hostile_manager, everything, maker, stranger, token
):
    before = everything()
    transfers = [
        (kind, token, stranger, maker, WHOLE_BALANCE, 0)
        for kind in (TransferKind.OUTBOUND, TransferKind.INTRA_ISSUANCE)
    ]
    tx = call_manager(hostile_manager, hostile, "event", stranger, transfers)
    assert transfers_executed(tx) == []
    assert everything() == before


@pytest.mark.parametrize(
    "kind", [TransferKind.INBOUND, TransferKind.INTRA_INSTRUMENT], ids=["inbound", "intra_instrument"]
)
def test_whole_balance_is_an_ordinary_amount_when_spending_the_instrument_escrow(
    hostile, hostile_manager, hostile_escrow, everything, token, maker, kind
):
    before = everything()
    balance = hostile_escrow.getTokenBalance(maker, token)
    with reverts("EscrowInsufficientBalance", maker, token, balance, WHOLE_BALANCE):
        call_manager(hostile_manager, hostile, "event", maker, [(kind, token, maker, maker, WHOLE_BALANCE, 0)])
    assert everything() == before


def test_an_instrument_answering_nothing_moves_nothing(hostile, hostile_manager, everything, maker):
    before = everything()
    tx = call_manager(hostile_manager, hostile, "create", maker, [])
    assert tx.return_value == 3
    assert "TransferExecuted" not in tx.events
    assert everything() == before


@pytest.mark.parametrize("direction", ["inbound", "outbound"])
def test_fee_on_transfer_tokens_moved_between_escrows_credit_what_arrived(
    hostile, hostile_manager, hostile_escrow, committed, fee_token, maker, direction
):
    fund(hostile_escrow, maker, fee_token, 10_000)
    assert hostile_escrow.getTokenBalance(maker, fee_token) == 9_900
    tx = create(hostile_manager, hostile, maker, [(TransferKind.INBOUND, fee_token, maker, maker, 5_000, 0)])
    issuance = IssuanceEscrow.at(hostile_manager.getIssuanceEscrow(3))

    assert transfers_executed(tx)[0]["amount"] == 4_950
    assert hostile_escrow.getTokenBalance(maker, fee_token) == 4_900
    assert issuance.getTokenBalance(maker, fee_token) == 4_950
    assert fee_token.balanceOf(issuance) == 4_950
    assert fee_token.balanceOf(hostile_escrow) == 4_900

    if direction == "outbound":
        tx = call_manager(
            hostile_manager, hostile, "event", maker, [(TransferKind.OUTBOUND, fee_token, maker, maker, 4_950, 0)], 3
        )
        arrived = 4_950 - 4_950 * 100 // 10_000
        assert transfers_executed(tx)[0]["amount"] == arrived
        assert issuance.getTokenBalance(maker, fee_token) == 0
        assert fee_token.balanceOf(issuance) == 0
        assert hostile_escrow.getTokenBalance(maker, fee_token) == 4_900 + arrived
        assert fee_token.balanceOf(hostile_escrow) == 4_900 + arrived
        # The ledger never promises more than the escrow holds: the maker withdraws it all.
        hostile_escrow.withdrawToken(fee_token, 4_900 + arrived, {"from": maker})
        assert fee_token.balanceOf(hostile_escrow) == 0
