"""Amounts up to 2**256 - 1, with a token whose supply reaches it: deposited, moved through both
escrows and through a swap, and withdrawn in full, with no overflow anywhere."""

import pytest
from brownie import IssuanceEscrow, MockERC20

from hostile_support import MAX_UINT, assert_books_exact
from support import ETH, fund, swap_terms

HOUR = 3600


@pytest.fixture(scope="module")
def max_tokens(deployer, maker, taker):
    """Two tokens, each with its whole supply of 2**256 - 1 minted to one of maker, taker."""
    tokens = {}
    for holder in (maker, taker):
        contract = MockERC20.deploy("Max", "MAX", 18, {"from": deployer})
        contract.mint(holder, MAX_UINT, {"from": deployer})
        assert contract.totalSupply() == MAX_UINT
        tokens[holder.address] = contract
    return tokens


@pytest.mark.parametrize("direction", ["instrument to issuance", "issuance to instrument"])
def test_the_admin_moves_the_maximum_through_both_escrows(mock_admin, deployer, maker, taker, direction):
    """By an admin contract (EscrowAdminMock) of one escrow of each kind, holding the whole supply."""
    mock, call = mock_admin.admin, mock_admin.call
    escrow, other = (mock_admin.instrument, mock_admin.issuance)[:: 1 if direction.startswith("instrument") else -1]
    token = MockERC20.deploy("Max", "MAX", 18, {"from": deployer})
    token.mint(mock, MAX_UINT, {"from": deployer})
    call(token, "approve", escrow, MAX_UINT)
    call(escrow, "depositTokenByAdmin", maker, token, MAX_UINT)
    assert escrow.getTokenBalance(maker, token) == MAX_UINT

    call(escrow, "transferByAdmin", maker, taker, token, MAX_UINT)
    assert escrow.getTokenBalance(taker, token) == MAX_UINT
    tx = call(other, "receiveTokenByAdmin", maker, token, MAX_UINT, escrow, taker)
    assert other.receiveTokenByAdmin.decode_output(tx.return_value) == MAX_UINT
    assert other.getTokenBalance(maker, token) == MAX_UINT
    assert escrow.getTokenBalance(taker, token) == 0
    assert token.balanceOf(other) == MAX_UINT
    assert_books_exact([escrow, other], [maker, taker, mock], [token])

    call(other, "withdrawTokenByAdmin", maker, token, MAX_UINT)
    assert token.balanceOf(mock) == MAX_UINT
    assert token.balanceOf(escrow) == token.balanceOf(other) == 0


@pytest.mark.parametrize("side", ["input", "output"])
def test_the_maximum_goes_through_a_swap_and_out_again(max_tokens, manager, domain_escrow, maker, taker, side):
    if side == "input":
        token = max_tokens[maker.address]
        fund(domain_escrow, maker, token, MAX_UINT)
        fund(domain_escrow, taker, ETH, 1)
        manager.createIssuance(swap_terms(HOUR, token, ETH, MAX_UINT, 1), {"from": maker})
        gets_max, pays_max = taker, maker
    else:
        token = max_tokens[taker.address]
        fund(domain_escrow, maker, ETH, 1)
        fund(domain_escrow, taker, token, MAX_UINT)
        manager.createIssuance(swap_terms(HOUR, ETH, token, 1, MAX_UINT), {"from": maker})
        gets_max, pays_max = maker, taker
    issuance = IssuanceEscrow.at(manager.getIssuanceEscrow(1))
    assert token.balanceOf(issuance) == (MAX_UINT if side == "input" else 0)

    manager.engageIssuance(1, b"", {"from": taker})

    assert domain_escrow.getTokenBalance(gets_max, token) == MAX_UINT
    assert token.balanceOf(domain_escrow) == MAX_UINT
    assert_books_exact([domain_escrow, issuance], [maker, taker], [token, ETH])
    domain_escrow.withdrawToken(token, MAX_UINT, {"from": gets_max})
    assert token.balanceOf(gets_max) == MAX_UINT
    assert token.balanceOf(pays_max) == 0
    assert token.balanceOf(domain_escrow) == token.balanceOf(issuance) == 0
    assert domain_escrow.getTokenBalance(gets_max, token) == 0
