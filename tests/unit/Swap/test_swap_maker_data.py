"""Swap creation refusals: bad maker data and makers without enough deposited.

Each refusal reverts with the exact error and leaves nothing behind: no issuance, no issuance
escrow, no swap record, no balance moved.
"""

import brownie
import pytest
from brownie import ZERO_ADDRESS, web3

from support import ETH, fund, reverts, swap_terms
from swap_support import HOUR, create_swap


@pytest.fixture
def refused(swap, manager, domain_escrow, factory, state, token, other_token, maker):
    """Asserts that the maker's createIssuance with `data` reverts `error(*args)` and changes nothing."""
    fund(domain_escrow, maker, token, 1_000)
    fund(domain_escrow, maker, ETH, 1_000)

    def check(data, error, *args):
        before = state()
        with reverts(error, *args):
            manager.createIssuance(data, {"from": maker})
        assert state() == before
        assert manager.issuanceCount() == 0
        assert swap.getIssuance(manager, 1)["maker"] == ZERO_ADDRESS
        assert web3.eth.get_code(factory.predictIssuanceEscrow(manager, (1).to_bytes(32, "big"))) == b""

    return check


@pytest.mark.parametrize("length", [0, 1, 128, 159, 161, 192, 320])
def test_maker_data_of_the_wrong_length_reverts_invalid_maker_data(refused, token, other_token, length):
    valid = swap_terms(HOUR, token, other_token, 10, 10)
    data = (valid * 2)[:length]
    refused(data, "InstrumentInvalidMakerData", length)


@pytest.mark.parametrize("side", ["input", "output"])
@pytest.mark.parametrize("bad", ["eoa", "zero"])
def test_a_token_without_code_reverts_invalid_token(refused, token, stranger, side, bad):
    bad_token = stranger.address if bad == "eoa" else ZERO_ADDRESS
    pair = (bad_token, token) if side == "input" else (token, bad_token)
    refused(swap_terms(HOUR, *pair, 10, 10), "InstrumentInvalidToken", bad_token)


@pytest.mark.parametrize("asset", ["token", "eth"])
def test_the_same_token_on_both_sides_reverts_same_token(refused, token, asset):
    same = token if asset == "token" else ETH
    refused(swap_terms(HOUR, same, same, 10, 10), "InstrumentSameToken", same)


@pytest.mark.parametrize("amounts", [(0, 10), (10, 0), (0, 0)])
def test_a_zero_amount_on_either_side_reverts_zero_amount(refused, token, other_token, amounts):
    refused(swap_terms(HOUR, token, other_token, *amounts), "InstrumentZeroAmount")


def test_maker_data_with_a_malformed_address_word_reverts_and_creates_nothing(
    manager, domain_escrow, state, token, other_token, maker
):
    fund(domain_escrow, maker, token, 1_000)
    data = bytearray(swap_terms(HOUR, token, other_token, 10, 10))
    data[32] = 1  # the input token's word now has a non-zero upper byte: not an address
    before = state()
    with brownie.reverts():
        manager.createIssuance(bytes(data), {"from": maker})
    assert state() == before
    assert manager.issuanceCount() == 0


@pytest.mark.parametrize("asset", ["token", "eth"])
def test_a_maker_without_enough_deposited_reverts_escrow_insufficient_balance(
    refused, token, other_token, maker, asset
):
    given = token if asset == "token" else ETH
    wanted = other_token
    refused(swap_terms(HOUR, given, wanted, 1_001, 10), "EscrowInsufficientBalance", maker, given, 1_000, 1_001)


def test_a_maker_who_deposited_nothing_of_the_input_is_refused(refused, other_token, token, maker):
    refused(swap_terms(HOUR, other_token, token, 1, 10), "EscrowInsufficientBalance", maker, other_token, 0, 1)


def test_a_maker_cannot_commit_what_another_user_deposited(
    manager, domain_escrow, state, token, other_token, maker, taker
):
    fund(domain_escrow, taker, token, 1_000)
    before = state()
    with reverts("EscrowInsufficientBalance", maker, token, 0, 500):
        create_swap(manager, maker, token, other_token, 500, 10)
    assert state() == before
    assert domain_escrow.getTokenBalance(taker, token) == 1_000
