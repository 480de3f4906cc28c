"""A token whose every transfer calls back (ERC777-style hooks; ReentrantToken) tries to re-enter
every escrow and manager entry point while each user operation and each Swap flow moves it.

Two kinds of call back, from the hook:
- through the user's contract wallet `W` (the hook calls `W.execute`, so the escrow and the
  manager see a genuine user acting on its own account, and each call would go through if it were
  not a re-entry: see the first test): the Instrument Escrow's `deposit`, `withdraw`,
  `depositToken`, `withdrawToken`, and the manager's `createIssuance`, `engageIssuance`,
  `processEvent`;
- from the token itself: every `*ByAdmin` function of the Instrument Escrow and of the Issuance
  Escrow the operation is about.
Each must fail, with `ReentrancyGuardReentrantCall()` (or `EscrowUnauthorized` for an admin
function called by the token), and the outer operation must do exactly its own work, every escrow
holding exactly what it books.
"""

from types import SimpleNamespace

import pytest
from brownie import ContractWallet, IssuanceEscrow, ReentrantToken, chain
from eth_abi import encode
from eth_utils import keccak
from hexbytes import HexBytes

from escrow_support import REENTRANT_CALL
from hostile_support import MAX_UINT, assert_books_exact, held_key, ledger_key, snapshot
from nuts_escrow import CANCEL_ISSUANCE, ISSUANCE_DUE
from support import ETH, fund, swap_terms

HOUR, LONG = 3600, 10 * 24 * 3600


def unauthorized(caller, admin):
    selector = keccak(text="EscrowUnauthorized(address,address)")[:4]
    return HexBytes(selector + encode(["address", "address"], [str(caller), str(admin)]))


@pytest.fixture(scope="module")
def arena(manager, domain_escrow, factory, deployer, maker, taker, stranger):
    """The Swap domain with a hook token T and a user wallet W.

    Deposits in the Instrument Escrow: maker 20,000 T + 10,000 wei, taker 10,000 T + 10,000 wei,
    W 10,000 T + 10,000 wei. W also holds 1,000 wei itself; W and the maker approved the escrow
    for T without limit.
    Issuances: 1 (maker, 1,000 T for 100 wei, due in an hour), 2 (W, 1,000 T for 100 wei),
    3 (maker, 100 wei for 1,000 T); 2 and 3 are due in ten days.
    """
    escrow = domain_escrow
    token = ReentrantToken.deploy({"from": deployer})
    wallet = ContractWallet.deploy({"from": deployer})
    for holder in (maker, taker, wallet):
        token.mint(holder, 10**9, {"from": deployer})
    deployer.transfer(wallet, 1_000)
    fund(escrow, maker, token, 20_000)
    for account in (maker, taker):
        fund(escrow, account, ETH, 10_000)
    fund(escrow, taker, token, 10_000)
    token.approve(escrow, MAX_UINT, {"from": maker})
    wallet.execute(token, token.approve.encode_input(escrow, MAX_UINT), 0, {"from": deployer})
    wallet.execute(escrow, escrow.depositToken.encode_input(token, 10_000), 0, {"from": deployer})
    wallet.execute(escrow, escrow.deposit.encode_input(), 10_000, {"from": deployer, "value": 10_000})
    manager.createIssuance(swap_terms(HOUR, token, ETH, 1_000, 100), {"from": maker})
    wallet.execute(
        manager, manager.createIssuance.encode_input(swap_terms(LONG, token, ETH, 1_000, 100)), 0, {"from": deployer}
    )
    manager.createIssuance(swap_terms(LONG, ETH, token, 100, 1_000), {"from": maker})
    issuances = [IssuanceEscrow.at(manager.getIssuanceEscrow(i)) for i in (1, 2, 3)]
    fourth = factory.predictIssuanceEscrow(manager, (4).to_bytes(32, "big"))
    return SimpleNamespace(
        token=token,
        wallet=wallet,
        escrow=escrow,
        manager=manager,
        issuances=issuances,
        fourth=fourth,
        maker=maker,
        taker=taker,
        stranger=stranger,
        deployer=deployer,
    )


# What W does from the hook: (arena) -> (target, calldata, value).
WALLET_INNER = {
    "deposit": lambda a: (a.escrow, a.escrow.deposit.encode_input(), 1),
    "withdraw": lambda a: (a.escrow, a.escrow.withdraw.encode_input(1), 0),
    "depositToken": lambda a: (a.escrow, a.escrow.depositToken.encode_input(a.token, 100), 0),
    "withdrawToken": lambda a: (a.escrow, a.escrow.withdrawToken.encode_input(a.token, 100), 0),
    "createIssuance": lambda a: (
        a.manager,
        a.manager.createIssuance.encode_input(swap_terms(LONG, a.token, ETH, 100, 1)),
        0,
    ),
    "engageIssuance": lambda a: (a.manager, a.manager.engageIssuance.encode_input(3, b""), 0),
    "processEvent": lambda a: (a.manager, a.manager.processEvent.encode_input(2, 0, CANCEL_ISSUANCE, b""), 0),
}

# What the token calls itself, on an escrow `e`: (e, arena) -> calldata.
ADMIN_INNER = {
    "depositByAdmin": lambda e, a: e.depositByAdmin.encode_input(a.maker),
    "depositTokenByAdmin": lambda e, a: e.depositTokenByAdmin.encode_input(a.maker, a.token, 1),
    "withdrawByAdmin": lambda e, a: e.withdrawByAdmin.encode_input(a.maker, 1),
    "withdrawTokenByAdmin": lambda e, a: e.withdrawTokenByAdmin.encode_input(a.maker, a.token, 1),
    "sendTokenByAdmin": lambda e, a: e.sendTokenByAdmin.encode_input(a.maker, a.token, 1, a.stranger),
    "receiveTokenByAdmin": lambda e, a: e.receiveTokenByAdmin.encode_input(a.maker, a.token, 1, a.escrow, a.maker),
    "transferByAdmin": lambda e, a: e.transferByAdmin.encode_input(a.maker, a.stranger, a.token, 1),
}


def _outer_issuance(a, outer):
    """The address of the Issuance Escrow an outer operation is about (for createIssuance, the one
    it creates)."""
    return a.fourth if outer == "createIssuance" else a.issuances[0].address


def _move_t(changes, a, source, destination, account_from, account_to, amount):
    changes[ledger_key(source, account_from, a.token)] = -amount
    changes[held_key(source, a.token)] = -amount
    changes[ledger_key(destination, account_to, a.token)] = amount
    changes[held_key(destination, a.token)] = amount


def _run_outer(a, outer):
    """Runs the outer operation; returns the changes it must make to `_state(a)`."""
    escrow, manager, t, maker, first = a.escrow, a.manager, a.token, a.maker, a.issuances[0]
    changes = {}
    if outer == "depositToken":
        escrow.depositToken(t, 500, {"from": maker})
        changes = {ledger_key(escrow, maker, t): 500, held_key(escrow, t): 500, held_key(maker, t): -500}
    elif outer == "withdrawToken":
        escrow.withdrawToken(t, 500, {"from": maker})
        changes = {ledger_key(escrow, maker, t): -500, held_key(escrow, t): -500, held_key(maker, t): 500}
    elif outer == "createIssuance":
        manager.createIssuance(swap_terms(HOUR, t, ETH, 500, 1), {"from": maker})
        changes = {ledger_key(escrow, maker, t): -500, held_key(escrow, t): -500}
    elif outer == "engageIssuance":
        manager.engageIssuance(1, b"", {"from": a.taker})
        changes[ledger_key(escrow, a.taker, ETH)] = -100
        changes[ledger_key(escrow, maker, ETH)] = 100
        _move_t(changes, a, first, escrow, maker, a.taker, 1_000)
    else:
        if outer == "due":
            chain.sleep(HOUR + 1)
            chain.mine()
        manager.processEvent(1, 0, CANCEL_ISSUANCE if outer == "cancel" else ISSUANCE_DUE, b"", {"from": maker})
        _move_t(changes, a, first, escrow, maker, maker, 1_000)
    return changes


OUTER = ["depositToken", "withdrawToken", "createIssuance", "engageIssuance", "cancel", "due"]
# What is in the middle of a call when the hook runs, for each outer operation. In a move between
# the escrows both are: the destination in `receiveTokenByAdmin` (measuring what arrives), the
# source in `sendTokenByAdmin` (called back through the manager).
MOVE = {"manager", "instrument escrow", "issuance escrow"}
LOCKED = {
    "depositToken": {"instrument escrow"},
    "withdrawToken": {"instrument escrow"},
    "createIssuance": MOVE,
    "engageIssuance": MOVE,
    "cancel": MOVE,
    "due": MOVE,
}
# The outer operations that move T out of issuance 1 into the Instrument Escrow (Outbound).
OUTBOUND_MOVES = ["engageIssuance", "cancel", "due"]


def _accounts(a):
    return [a.maker, a.taker, a.stranger, a.wallet, a.token, a.manager]


def _state(a):
    return snapshot([a.escrow, *a.issuances], _accounts(a), [a.token, ETH], [a.manager])


def test_every_wallet_inner_call_goes_through_when_it_is_not_a_reentry(arena):
    """So only the reentrancy guard can stop them below."""
    a = arena
    for inner in WALLET_INNER.values():
        target, data, value = inner(a)
        a.wallet.execute(target, data, value, {"from": a.deployer})
    assert a.manager.issuanceCount() == 4
    # +1 -1 wei; 100 wei for engaging issuance 3.
    assert a.escrow.getBalance(a.wallet) == 10_000 + 100
    # 9,000 left after issuance 2; +100 -100; 100 into issuance 4; 1,000 paid for issuance 3;
    # 1,000 back from cancelling 2.
    assert a.escrow.getTokenBalance(a.wallet, a.token) == 9_000 - 100 - 1_000 + 1_000


def test_every_entry_point_is_tried(arena):
    names = {
        item["name"]
        for item in arena.escrow.abi
        if item["type"] == "function" and item["stateMutability"] not in ("view", "pure")
    }
    assert names == set(WALLET_INNER) - {"createIssuance", "engageIssuance", "processEvent"} | set(ADMIN_INNER)
    manager_names = {
        item["name"]
        for item in arena.manager.abi
        if item["type"] == "function" and item["stateMutability"] not in ("view", "pure")
    }
    # `sendTokenToEscrow` is tried by test_nobody_but_the_receiving_escrow_can_use_the_managers_callback.
    assert manager_names - {"initialize", "deactivate"} == {
        "createIssuance",
        "engageIssuance",
        "processEvent",
        "sendTokenToEscrow",
    }


@pytest.mark.parametrize("inner", WALLET_INNER)
@pytest.mark.parametrize("outer", OUTER)
def test_a_wallet_called_from_the_token_hook_cannot_reenter(arena, outer, inner):
    a = arena
    target, data, value = WALLET_INNER[inner](a)
    a.token.setReentry(a.wallet, a.wallet.execute.encode_input(target, data, value), {"from": a.deployer})
    expected = _state(a)

    changes = _run_outer(a, outer)

    assert a.token.lastCallSucceeded() is False, f"{inner} re-entered during {outer}"
    assert HexBytes(a.token.lastCallResult()) == REENTRANT_CALL
    for key, change in changes.items():
        expected[key] += change
    assert _state(a) == expected
    escrows = [a.escrow, *a.issuances] + ([IssuanceEscrow.at(a.fourth)] if outer == "createIssuance" else [])
    assert_books_exact(escrows, _accounts(a), [a.token, ETH])


@pytest.mark.parametrize("inner", WALLET_INNER)
@pytest.mark.parametrize("outer", OUTER)
def test_every_escrow_still_holds_exactly_what_it_books_after_a_reentry_attempt(arena, outer, inner):
    """The harm a re-entry that went through would do: a deposit or withdrawal by W while the
    manager measures what arrived in the Instrument Escrow is counted as part of the move."""
    a = arena
    target, data, value = WALLET_INNER[inner](a)
    a.token.setReentry(a.wallet, a.wallet.execute.encode_input(target, data, value), {"from": a.deployer})

    _run_outer(a, outer)

    escrows = [a.escrow, *a.issuances] + ([IssuanceEscrow.at(a.fourth)] if outer == "createIssuance" else [])
    assert_books_exact(escrows, _accounts(a), [a.token, ETH])


@pytest.mark.parametrize("which", ["instrument escrow", "issuance escrow"])
@pytest.mark.parametrize("inner", ADMIN_INNER)
@pytest.mark.parametrize("outer", OUTER)
def test_the_token_cannot_use_admin_functions_from_its_hook(arena, outer, inner, which):
    a = arena
    # Calldata is the same for every clone of an escrow kind; the target is the one in question.
    escrow, target = (
        (a.escrow, a.escrow) if which == "instrument escrow" else (a.issuances[0], _outer_issuance(a, outer))
    )
    a.token.setReentry(target, ADMIN_INNER[inner](escrow, a), {"from": a.deployer})
    expected = _state(a)

    changes = _run_outer(a, outer)

    assert a.token.lastCallSucceeded() is False
    refused = {REENTRANT_CALL, unauthorized(a.token, a.manager)}
    assert HexBytes(a.token.lastCallResult()) in refused
    if which in LOCKED[outer]:
        assert HexBytes(a.token.lastCallResult()) == REENTRANT_CALL
    for key, change in changes.items():
        expected[key] += change
    assert _state(a) == expected


@pytest.mark.parametrize("caller", ["wallet", "token"])
@pytest.mark.parametrize("outer", OUTER)
def test_nobody_but_the_receiving_escrow_can_use_the_managers_callback(arena, outer, caller):
    """From the hook, W (or the token) asks the manager to have the Instrument Escrow send the
    maker's T to it: the manager answers only the escrow it is moving tokens into, and only once,
    so it refuses with ManagerUnexpectedCallback(caller), also in the middle of a move."""
    a = arena
    data = a.manager.sendTokenToEscrow.encode_input(a.escrow, a.maker, a.token, 1)
    if caller == "wallet":
        a.token.setReentry(a.wallet, a.wallet.execute.encode_input(a.manager, data, 0), {"from": a.deployer})
    else:
        a.token.setReentry(a.manager, data, {"from": a.deployer})
    expected = _state(a)

    changes = _run_outer(a, outer)

    assert a.token.lastCallSucceeded() is False
    refused = keccak(text="ManagerUnexpectedCallback(address)")[:4] + encode(["address"], [getattr(a, caller).address])
    assert HexBytes(a.token.lastCallResult()) == HexBytes(refused)
    for key, change in changes.items():
        expected[key] += change
    assert _state(a) == expected


@pytest.mark.parametrize("inner", ["depositToken", "withdrawToken"])
@pytest.mark.parametrize("outer", OUTBOUND_MOVES)
def test_a_user_cannot_deposit_or_withdraw_in_the_instrument_escrow_while_a_move_pays_into_it(arena, outer, inner):
    """The bug `receiveTokenByAdmin` fixes. While T moves from issuance 1 to the Instrument Escrow
    (engage, cancel, issuance_due), the hook has W deposit or withdraw 100 T there. When the manager
    measured the Instrument Escrow's balance around the transfer, that escrow was not in any call,
    W's deposit went through and was counted into the move as well (W's withdrawal taken off it),
    and the escrow booked 100 T more (less) than it held. Now the Instrument Escrow itself
    measures, locked: W's call is refused with ReentrancyGuardReentrantCall() and exactly the
    1,000 T that arrived are credited."""
    a = arena
    target, data, value = WALLET_INNER[inner](a)
    a.token.setReentry(a.wallet, a.wallet.execute.encode_input(target, data, value), {"from": a.deployer})
    first = a.issuances[0]
    receiver = a.taker if outer == "engageIssuance" else a.maker
    held, booked_receiver = a.token.balanceOf(a.escrow), a.escrow.getTokenBalance(receiver, a.token)
    wallet_booked, wallet_tokens = a.escrow.getTokenBalance(a.wallet, a.token), a.token.balanceOf(a.wallet)

    _run_outer(a, outer)

    assert a.token.lastCallSucceeded() is False, f"W's {inner} went through during {outer}"
    assert HexBytes(a.token.lastCallResult()) == REENTRANT_CALL
    assert a.token.balanceOf(a.escrow) == held + 1_000
    assert a.escrow.getTokenBalance(receiver, a.token) == booked_receiver + 1_000
    assert a.escrow.getTokenBalance(a.wallet, a.token) == wallet_booked
    assert a.token.balanceOf(a.wallet) == wallet_tokens
    assert a.token.balanceOf(first) == first.getTokenBalance(a.maker, a.token) == 0
    assert_books_exact([a.escrow, *a.issuances], _accounts(a), [a.token, ETH])
