"""Re-entry into the shared escrow functions, on each kind, is refused by the reentrancy guard.

Three ways back in while an escrow is sending or pulling assets:
- a ReentrantToken whose transfer hook calls the escrow (outer calls: every admin function that
  moves tokens; the hook's call is any admin function);
- a ContractWallet that is the escrow's admin and calls the escrow from its `receive` when
  `withdrawByAdmin` pays it (there the inner call comes from the admin itself, so without the
  guard it would succeed);
- an EscrowAdminMock (an admin contract answering `receiveTokenByAdmin`'s callback) that, from a
  ReentrantToken's hook while one of its escrows receives tokens from the other, calls either
  escrow itself.
In each case the inner call must fail with exactly `ReentrancyGuardReentrantCall()`, and the outer
call must have done exactly its own work.
"""

import pytest
from hexbytes import HexBytes

from escrow_support import MAKER_ETH, MAKER_TOKENS, MAX_UINT, REENTRANT_CALL, address_of, eth_held, holdings
from support import ETH, reverts

# Inner calls, encoded for `escrow`: (escrow, parties, token) -> calldata.
INNER = {
    "depositByAdmin": lambda e, p, t: e.depositByAdmin.encode_input(p.maker),
    "depositTokenByAdmin": lambda e, p, t: e.depositTokenByAdmin.encode_input(p.maker, t, 1),
    "withdrawByAdmin": lambda e, p, t: e.withdrawByAdmin.encode_input(p.maker, 1),
    "withdrawTokenByAdmin": lambda e, p, t: e.withdrawTokenByAdmin.encode_input(p.maker, t, 1),
    "sendTokenByAdmin": lambda e, p, t: e.sendTokenByAdmin.encode_input(p.maker, t, 1, p.stranger),
    # Any source will do here (the escrow itself): the guard refuses before the admin's callback.
    "receiveTokenByAdmin": lambda e, p, t: e.receiveTokenByAdmin.encode_input(p.stranger, t, 1, e, p.maker),
    "transferByAdmin": lambda e, p, t: e.transferByAdmin.encode_input(p.maker, p.stranger, t, 1),
}

# Outer token calls by the admin, with the change each makes to (maker's ledger, taker's holding).
OUTER_TOKEN = {
    "depositTokenByAdmin": (lambda e, p, t: e.depositTokenByAdmin(p.maker, t, 100, {"from": p.admin}), 100, 0),
    "withdrawTokenByAdmin": (lambda e, p, t: e.withdrawTokenByAdmin(p.maker, t, 100, {"from": p.admin}), -100, 0),
    "sendTokenByAdmin": (lambda e, p, t: e.sendTokenByAdmin(p.maker, t, 100, p.taker, {"from": p.admin}), -100, 100),
}

# Every outer call re-entered with one inner call, and one outer call re-entered with every inner
# call: a pair fails to be refused exactly when one of its functions lacks the guard.
TOKEN_PAIRS = [(outer, "withdrawTokenByAdmin") for outer in OUTER_TOKEN] + [
    ("depositTokenByAdmin", inner) for inner in INNER if inner != "withdrawTokenByAdmin"
]


@pytest.fixture(scope="module")
def reentrant_funded(escrow, reentrant_token, admin, maker):
    """MAKER_TOKENS of the reentrant token booked for the maker; the admin approved the escrow."""
    reentrant_token.approve(escrow, MAX_UINT, {"from": admin})
    escrow.depositTokenByAdmin(maker, reentrant_token, MAKER_TOKENS, {"from": admin})
    return escrow


@pytest.mark.parametrize("outer, inner", TOKEN_PAIRS)
def test_a_token_hook_cannot_reenter_an_admin_token_function(reentrant_funded, reentrant_token, parties, outer, inner):
    escrow, token = reentrant_funded, reentrant_token
    call, ledger_change, taker_change = OUTER_TOKEN[outer]
    token.setReentry(escrow, INNER[inner](escrow, parties, token), {"from": parties.stranger})
    ledger, held = escrow.getTokenBalance(parties.maker, token), token.balanceOf(escrow)
    admin_tokens, taker_tokens = token.balanceOf(parties.admin), token.balanceOf(parties.taker)

    call(escrow, parties, token)

    assert token.lastCallSucceeded() is False
    assert HexBytes(token.lastCallResult()) == REENTRANT_CALL
    assert escrow.getTokenBalance(parties.maker, token) == ledger + ledger_change
    assert token.balanceOf(escrow) == held + ledger_change
    assert token.balanceOf(parties.taker) == taker_tokens + taker_change
    assert token.balanceOf(parties.admin) == admin_tokens - ledger_change - taker_change
    for account in (parties.taker, parties.stranger, token):
        assert escrow.getTokenBalance(account, token) == 0


@pytest.mark.parametrize("inner", INNER)
def test_an_admin_wallet_cannot_reenter_from_the_eth_it_is_paid(wallet_escrow, parties, deployer, inner):
    wallet, escrow = wallet_escrow
    token = parties.token
    wallet.setReentry(escrow, INNER[inner](escrow, parties, token), {"from": deployer})
    accounts = [wallet, parties.maker, parties.taker, parties.stranger]
    expected = holdings(escrow, accounts, [token])
    expected["ledger", address_of(parties.maker), ETH.lower()] -= 100
    expected["held", address_of(escrow), "ETH"] -= 100
    expected["held", address_of(wallet), "ETH"] += 100

    wallet.execute(escrow, escrow.withdrawByAdmin.encode_input(parties.maker, 100), 0, {"from": deployer})

    assert wallet.reentrySucceeded() is False
    assert HexBytes(wallet.reentryResult()) == REENTRANT_CALL
    assert wallet.received() == 100
    assert holdings(escrow, accounts, [token]) == expected
    assert escrow.getBalance(parties.maker) == MAKER_ETH - 100
    assert eth_held(escrow) == MAKER_ETH - 100


def test_the_admin_wallet_inner_calls_succeed_when_not_reentering(wallet_escrow, parties, deployer):
    """The inner calls above are valid calls by the admin: only the guard stops them.

    `receiveTokenByAdmin` needs an admin that answers its callback, which the wallet is not: the
    admin-contract test below has the same call go through (and be refused as a re-entry).
    """
    wallet, escrow = wallet_escrow
    for name, encode in INNER.items():
        if name == "receiveTokenByAdmin":
            continue
        value = 1 if name == "depositByAdmin" else 0
        wallet.execute(escrow, encode(escrow, parties, parties.token), value, {"from": deployer, "value": value})
    assert escrow.getTokenBalance(parties.stranger, parties.token) == 1
    # +1 deposited, -1 withdrawn, -1 sent, -1 transferred to the stranger.
    assert escrow.getTokenBalance(parties.maker, parties.token) == MAKER_TOKENS - 2
    assert escrow.getBalance(parties.maker) == MAKER_ETH
    assert wallet.received() == 1


@pytest.fixture(scope="module")
def admin_contract_escrows(mock_admin, reentrant_token, admin, deployer):
    """The EscrowAdminMock's two escrows, MAKER_TOKENS of the reentrant token booked for the admin
    account in each; the mock holds MAKER_TOKENS more (no hook armed yet)."""
    mock = mock_admin.admin
    reentrant_token.transfer(mock, 3 * MAKER_TOKENS, {"from": admin})
    for escrow in (mock_admin.instrument, mock_admin.issuance):
        mock_admin.call(reentrant_token, "approve", escrow, MAKER_TOKENS)
        mock_admin.call(escrow, "depositTokenByAdmin", admin, reentrant_token, MAKER_TOKENS)
    return mock_admin


@pytest.mark.parametrize("locked", ["destination", "source"])
@pytest.mark.parametrize("inner", INNER)
@pytest.mark.parametrize("direction", ["instrument to issuance", "issuance to instrument"])
def test_the_admin_itself_cannot_reenter_either_escrow_during_receive_token_by_admin(
    admin_contract_escrows, reentrant_token, parties, deployer, admin, direction, inner, locked
):
    """While the destination escrow receives (and measures) and the source escrow sends, the hook
    has the admin contract itself call either escrow: a genuine admin call, refused by the guard
    alone (ReentrancyGuardReentrantCall, bubbled up by the admin's `execute`)."""
    m, token = admin_contract_escrows, reentrant_token
    source, destination = (
        (m.instrument, m.issuance) if direction == "instrument to issuance" else (m.issuance, m.instrument)
    )
    target = destination if locked == "destination" else source
    data = INNER[inner](target, parties, token)
    if inner == "receiveTokenByAdmin":
        data = target.receiveTokenByAdmin.encode_input(
            parties.stranger, token, 1, source if locked == "destination" else destination, admin
        )
    token.setReentry(m.admin, m.admin.execute.encode_input(target, data), {"from": deployer})
    accounts = [admin, parties.maker, parties.taker, parties.stranger, m.admin]
    expected = {e: holdings(e, accounts, [token]) for e in (source, destination)}
    expected[source]["ledger", address_of(admin), address_of(token)] -= 100
    expected[source]["held", address_of(source), address_of(token)] -= 100
    expected[destination]["ledger", address_of(parties.taker), address_of(token)] += 100
    expected[destination]["held", address_of(destination), address_of(token)] += 100

    tx = m.call(destination, "receiveTokenByAdmin", parties.taker, token, 100, source, admin)

    assert token.lastCallSucceeded() is False
    assert HexBytes(token.lastCallResult()) == REENTRANT_CALL
    assert destination.receiveTokenByAdmin.decode_output(tx.return_value) == 100
    for escrow in (source, destination):
        assert holdings(escrow, accounts, [token]) == expected[escrow]


@pytest.mark.parametrize("inner", INNER)
def test_the_admin_contract_inner_calls_succeed_when_not_reentering(
    admin_contract_escrows, reentrant_token, parties, admin, inner
):
    """The inner calls of the test above, made by the admin contract outside of a move, go through."""
    m, token = admin_contract_escrows, reentrant_token
    for target, other in ((m.instrument, m.issuance), (m.issuance, m.instrument)):
        data = INNER[inner](target, parties, token)
        if inner == "receiveTokenByAdmin":
            data = target.receiveTokenByAdmin.encode_input(parties.stranger, token, 1, other, admin)
        value = 1 if inner == "depositByAdmin" else 0
        if inner in ("depositByAdmin", "withdrawByAdmin"):
            m.call(target, "depositByAdmin", parties.maker, value=1)
        if inner in ("withdrawTokenByAdmin", "sendTokenByAdmin", "transferByAdmin"):
            m.call(target, "transferByAdmin", admin, parties.maker, token, 1)
        if inner == "depositTokenByAdmin":
            m.call(token, "approve", target, 1)
        before = holdings(target, [admin, parties.maker, parties.stranger, m.admin], [token])
        m.admin.execute(target, data, {"from": parties.stranger, "value": value})
        assert holdings(target, [admin, parties.maker, parties.stranger, m.admin], [token]) != before


def test_an_admin_that_rejects_eth_cannot_withdraw_it_and_the_balance_stays(wallet_escrow, parties, deployer):
    wallet, escrow = wallet_escrow
    wallet.setMode(1, {"from": deployer})  # ContractWallet.Mode.Reject
    accounts = [wallet, parties.maker, parties.taker, parties.stranger]
    before = holdings(escrow, accounts, [parties.token])

    with reverts("EscrowEthTransferFailed", wallet, 100):
        wallet.execute(escrow, escrow.withdrawByAdmin.encode_input(parties.maker, 100), 0, {"from": deployer})

    assert holdings(escrow, accounts, [parties.token]) == before
    assert escrow.getBalance(parties.maker) == MAKER_ETH
