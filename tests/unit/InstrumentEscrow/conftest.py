"""Fixtures for the Instrument Escrow's own functions (user deposits and withdrawals).

`maker_funded`: the maker has deposited, on its own, MAKER_ETH wei, MAKER_TOKENS of `token` and
MAKER_OTHER of `other_token`. `user_wallet`: a ContractWallet (in Accept mode) that has deposited,
through `execute`, MAKER_ETH wei and MAKER_TOKENS of `token`, still holds MAKER_TOKENS of `token`
and has approved the escrow for it without limit.
"""

import pytest
from brownie import ContractWallet, ReentrantToken

from escrow_support import MAKER_ETH, MAKER_OTHER, MAKER_TOKENS, MAX_UINT, holdings


@pytest.fixture(scope="module")
def maker_funded(instrument_escrow, maker, token, other_token):
    for asset, amount in ((token, MAKER_TOKENS), (other_token, MAKER_OTHER)):
        asset.approve(instrument_escrow, amount, {"from": maker})
        instrument_escrow.depositToken(asset, amount, {"from": maker})
    instrument_escrow.deposit({"from": maker, "value": MAKER_ETH})
    return instrument_escrow


@pytest.fixture
def snapshot(instrument_escrow, admin, maker, taker, stranger, token, other_token):
    """Reads everything an escrow call could change."""
    return lambda: holdings(instrument_escrow, [admin, maker, taker, stranger], [token, other_token])


@pytest.fixture(scope="module")
def user_wallet(instrument_escrow, deployer, token):
    wallet = ContractWallet.deploy({"from": deployer})
    token.mint(wallet, 2 * MAKER_TOKENS, {"from": deployer})
    wallet.execute(token, token.approve.encode_input(instrument_escrow, MAX_UINT), 0, {"from": deployer})
    wallet.execute(
        instrument_escrow, instrument_escrow.deposit.encode_input(), MAKER_ETH, {"from": deployer, "value": MAKER_ETH}
    )
    wallet.execute(
        instrument_escrow, instrument_escrow.depositToken.encode_input(token, MAKER_TOKENS), 0, {"from": deployer}
    )
    return wallet


@pytest.fixture(scope="module")
def reentrant_token(instrument_escrow, deployer, maker):
    """A token whose transfers call back into a target (none yet). The maker holds some, has
    approved the escrow without limit, and has deposited MAKER_TOKENS of it."""
    contract = ReentrantToken.deploy({"from": deployer})
    contract.mint(maker, MAKER_TOKENS * 10, {"from": deployer})
    contract.approve(instrument_escrow, MAX_UINT, {"from": maker})
    instrument_escrow.depositToken(contract, MAKER_TOKENS, {"from": maker})
    return contract
