"""Fixtures for the behaviour both kinds of escrow share (`escrow` is parametrised over them).

`funded` books, through the admin, MAKER_ETH wei, MAKER_TOKENS of `token` and MAKER_OTHER of
`other_token` for the maker; the admin has approved the escrow for both tokens without limit.
"""

from types import SimpleNamespace

import pytest
from brownie import ContractWallet, InstrumentEscrow, IssuanceEscrow, ReentrantToken

from escrow_support import MAKER_ETH, MAKER_OTHER, MAKER_TOKENS, MAX_UINT, SALT, holdings


@pytest.fixture(scope="module")
def parties(admin, maker, taker, stranger, token, other_token):
    """The accounts and tokens the parametrised calls use."""
    return SimpleNamespace(
        admin=admin, maker=maker, taker=taker, stranger=stranger, token=token, other_token=other_token
    )


@pytest.fixture(scope="module")
def funded(escrow, admin, maker, token, other_token):
    for asset in (token, other_token):
        asset.approve(escrow, MAX_UINT, {"from": admin})
    escrow.depositByAdmin(maker, {"from": admin, "value": MAKER_ETH})
    escrow.depositTokenByAdmin(maker, token, MAKER_TOKENS, {"from": admin})
    escrow.depositTokenByAdmin(maker, other_token, MAKER_OTHER, {"from": admin})
    return escrow


@pytest.fixture
def snapshot(escrow, admin, maker, taker, stranger, token, other_token):
    """Reads everything an escrow call could change."""
    return lambda: holdings(escrow, [admin, maker, taker, stranger], [token, other_token])


@pytest.fixture(scope="module")
def reentrant_token(deployer, admin):
    """A token whose transfers call back into a target; minted to the admin, no target yet."""
    contract = ReentrantToken.deploy({"from": deployer})
    contract.mint(admin, MAKER_TOKENS * 10, {"from": deployer})
    return contract


@pytest.fixture(scope="module", params=["instrument", "issuance"])
def wallet_escrow(request, factory, deployer, maker, token):
    """(wallet, escrow): an escrow of each kind whose admin is a ContractWallet.

    Through the wallet, MAKER_ETH wei and MAKER_TOKENS of `token` are booked for the maker, and
    the wallet has approved the escrow for `token` without limit and still holds MAKER_TOKENS.
    """
    wallet = ContractWallet.deploy({"from": deployer})
    if request.param == "instrument":
        wallet.execute(factory, factory.createInstrumentEscrow.encode_input(), 0, {"from": deployer})
        escrow = InstrumentEscrow.at(factory.predictInstrumentEscrow(wallet))
    else:
        wallet.execute(factory, factory.createIssuanceEscrow.encode_input(SALT), 0, {"from": deployer})
        escrow = IssuanceEscrow.at(factory.predictIssuanceEscrow(wallet, SALT))
    token.mint(wallet, 2 * MAKER_TOKENS, {"from": deployer})
    wallet.execute(token, token.approve.encode_input(escrow, MAX_UINT), 0, {"from": deployer})
    wallet.execute(escrow, escrow.depositByAdmin.encode_input(maker), MAKER_ETH, {"from": deployer, "value": MAKER_ETH})
    wallet.execute(escrow, escrow.depositTokenByAdmin.encode_input(maker, token, MAKER_TOKENS), 0, {"from": deployer})
    return wallet, escrow
