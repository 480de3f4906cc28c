"""Contract wallets as makers and takers of swaps with ETH: the manager's ETH moves between the
escrows never push ETH to a wallet, so a wallet whose `receive` uses more than 2,300 gas withdraws
what a swap gave it, one that rejects ETH can neither block its swap nor lose its balance (its
withdrawal reverts with EscrowEthTransferFailed), and one that re-enters the manager from
`receive` is refused. (The Instrument Escrow's own functions re-entered from `receive` are in
tests/unit/InstrumentEscrow/test_instrument_escrow_contract_wallet.py.)
"""

from types import SimpleNamespace

import pytest
from brownie import ContractWallet, IssuanceEscrow, chain
from hexbytes import HexBytes

from escrow_support import REENTRANT_CALL
from hostile_support import MAX_UINT, assert_books_exact, held_key, ledger_key, snapshot
from nuts_escrow import CANCEL_ISSUANCE, ISSUANCE_DUE
from support import ETH, reverts, swap_terms

ACCEPT, REJECT = 0, 1
HOUR = 3600


@pytest.fixture(scope="module")
def w(manager, domain_escrow, token, deployer, stranger):
    """Two contract wallets in the Swap domain. The maker wallet deposited 1,000 wei and made
    issuance 1 (600 wei for 2,000 token, due in an hour); the taker wallet deposited 1,000 wei and
    5,000 token and made issuance 2 (1,000 token for 1 wei)."""
    escrow = domain_escrow
    maker_wallet, taker_wallet = (ContractWallet.deploy({"from": deployer}) for _ in range(2))

    def act(wallet, target, data, value=0):
        return wallet.execute(target, data, value, {"from": deployer, "value": value})

    for wallet in (maker_wallet, taker_wallet):
        act(wallet, escrow, escrow.deposit.encode_input(), 1_000)
    token.mint(taker_wallet, 10_000, {"from": deployer})
    act(taker_wallet, token, token.approve.encode_input(escrow, MAX_UINT))
    act(taker_wallet, escrow, escrow.depositToken.encode_input(token, 5_000))
    act(maker_wallet, manager, manager.createIssuance.encode_input(swap_terms(HOUR, ETH, token, 600, 2_000)))
    act(taker_wallet, manager, manager.createIssuance.encode_input(swap_terms(HOUR, token, ETH, 1_000, 1)))
    return SimpleNamespace(
        maker=maker_wallet,
        taker=taker_wallet,
        act=act,
        escrow=escrow,
        manager=manager,
        token=token,
        stranger=stranger,
        issuances=[IssuanceEscrow.at(manager.getIssuanceEscrow(i)) for i in (1, 2)],
    )


def _accounts(w):
    return [w.maker, w.taker, w.stranger]


def _end(w, ending):
    """Ends issuance 1; returns the wallet whose Instrument Escrow account gets its 600 wei."""
    if ending == "engage":
        w.act(w.taker, w.manager, w.manager.engageIssuance.encode_input(1, b""))
        return w.taker
    if ending == "cancel":
        w.act(w.maker, w.manager, w.manager.processEvent.encode_input(1, 0, CANCEL_ISSUANCE, b""))
        return w.maker
    chain.sleep(HOUR + 1)
    chain.mine()
    w.manager.processEvent(1, 0, ISSUANCE_DUE, b"", {"from": w.stranger})
    return w.maker


@pytest.mark.parametrize("ending", ["engage", "cancel", "due"])
def test_eth_a_swap_gives_a_wallet_whose_receive_needs_more_than_2300_gas_can_be_withdrawn(w, ending):
    receiver = _end(w, ending)

    assert w.manager.balance() == 0
    assert w.issuances[0].getBalance(w.maker) == 0
    assert w.issuances[0].balance() == 0
    expected = 1_000 + 600 if receiver == w.taker else 1_000
    assert w.escrow.getBalance(receiver) == expected
    assert_books_exact([w.escrow, *w.issuances], _accounts(w), [ETH, w.token])

    w.act(receiver, w.escrow, w.escrow.withdraw.encode_input(expected))

    assert receiver.received() == expected
    assert receiver.balance() == expected
    assert w.escrow.getBalance(receiver) == 0
    assert_books_exact([w.escrow, *w.issuances], _accounts(w), [ETH, w.token])


@pytest.mark.parametrize("ending", ["engage", "cancel", "due"])
def test_a_maker_wallet_that_rejects_eth_cannot_block_its_swap_and_keeps_its_balance(w, deployer, ending):
    w.maker.setMode(REJECT, {"from": deployer})

    _end(w, ending)

    assert_books_exact([w.escrow, *w.issuances], _accounts(w), [ETH, w.token])
    balance = w.escrow.getBalance(w.maker)
    assert balance == (400 if ending == "engage" else 1_000)
    before = snapshot([w.escrow, *w.issuances], _accounts(w), [ETH, w.token], [w.manager])
    with reverts("EscrowEthTransferFailed", w.maker, balance):
        w.act(w.maker, w.escrow, w.escrow.withdraw.encode_input(balance))
    assert snapshot([w.escrow, *w.issuances], _accounts(w), [ETH, w.token], [w.manager]) == before

    w.maker.setMode(ACCEPT, {"from": deployer})
    w.act(w.maker, w.escrow, w.escrow.withdraw.encode_input(balance))
    assert w.maker.received() == balance
    assert w.escrow.getBalance(w.maker) == 0


# What the taker wallet's `receive` tries on the manager: (w) -> calldata. Each is valid for the
# taker wallet when it is not re-entering (last test).
INNER = {
    "createIssuance": lambda w: w.manager.createIssuance.encode_input(swap_terms(HOUR, ETH, w.token, 10, 1)),
    "engageIssuance": lambda w: w.manager.engageIssuance.encode_input(1, b""),
    "processEvent": lambda w: w.manager.processEvent.encode_input(2, 0, CANCEL_ISSUANCE, b""),
}


@pytest.mark.parametrize("inner", INNER)
def test_a_wallet_cannot_reenter_the_manager_from_the_eth_it_withdraws(swap, w, deployer, inner):
    w.taker.setReentry(w.manager, INNER[inner](w), {"from": deployer})
    escrows = [w.escrow, *w.issuances]
    expected = snapshot(escrows, _accounts(w), [ETH, w.token], [w.manager])
    expected[ledger_key(w.escrow, w.taker, ETH)] -= 500
    expected[held_key(w.escrow, ETH)] -= 500
    expected[held_key(w.taker, ETH)] += 500
    issuances = [swap.getIssuance(w.manager, i) for i in (1, 2)]

    w.act(w.taker, w.escrow, w.escrow.withdraw.encode_input(500))

    assert w.taker.reentrySucceeded() is False
    assert HexBytes(w.taker.reentryResult()) == REENTRANT_CALL
    assert w.taker.received() == 500
    assert snapshot(escrows, _accounts(w), [ETH, w.token], [w.manager]) == expected
    assert w.manager.issuanceCount() == 2
    assert [swap.getIssuance(w.manager, i) for i in (1, 2)] == issuances


def test_the_wallets_manager_calls_go_through_when_not_reentering(w):
    for encode in INNER.values():
        w.act(w.taker, w.manager, encode(w))
    assert w.manager.issuanceCount() == 3
    # 1,000 wei, 10 into issuance 3, 600 from engaging issuance 1.
    assert w.escrow.getBalance(w.taker) == 1_000 - 10 + 600
    # 4,000 after issuance 2; 2,000 paid for issuance 1; 1,000 back from cancelling 2.
    assert w.escrow.getTokenBalance(w.taker, w.token) == 4_000 - 2_000 + 1_000
