"""MultiSwap creation: what the maker commits and what is recorded, and every refusal of bad maker
data, each with its exact error and leaving nothing behind (no issuance, no issuance escrow, no
record, no balance moved)."""

import brownie
import pytest
from brownie import ZERO_ADDRESS, web3

from multiswap_support import HOUR, create_multiswap, record, state_event
from nuts_escrow.types import MultiSwapState, TransferKind
from support import ETH, events, fund, held, issuance_escrow, multiswap_terms, reverts, transfer_event


def test_creating_moves_the_input_into_the_issuance_escrow_and_records_the_terms(
    multiswap, manager, domain_escrow, factory, token, other_token, maker
):
    fund(domain_escrow, maker, token, 1_000)

    tx = create_multiswap(manager, maker, token, other_token, 400, 300, min_fill=10, max_fill=200)

    assert tx.return_value == 1
    escrow = issuance_escrow(manager, 1)
    assert escrow.address == factory.predictIssuanceEscrow(manager, (1).to_bytes(32, "big"))
    due = tx.timestamp + HOUR
    assert record(multiswap, manager) == {
        "maker": maker.address,
        "dueTime": due,
        "state": MultiSwapState.ENGAGEABLE,
        "inputToken": token.address,
        "fillCount": 0,
        "outputToken": other_token.address,
        "inputAmount": 400,
        "outputAmount": 300,
        "minFillOutput": 10,
        "maxFillOutput": 200,
        "remainingOutput": 300,
        "inputBasis": 0,
    }
    assert domain_escrow.getTokenBalance(maker, token) == 600
    assert escrow.getTokenBalance(maker, token) == 400
    assert held(domain_escrow, token) == 600
    assert held(escrow, token) == 400
    assert events(tx, "MultiSwapCreated") == [
        {
            "manager": manager.address,
            "issuanceId": 1,
            "maker": maker.address,
            "inputToken": token.address,
            "outputToken": other_token.address,
            "inputAmount": 400,
            "outputAmount": 300,
            "minFillOutput": 10,
            "maxFillOutput": 200,
            "dueTime": due,
        }
    ]
    assert events(tx, "MultiSwapStateChanged") == [state_event(manager, MultiSwapState.ENGAGEABLE)]
    assert events(tx, "TransferExecuted") == [transfer_event(1, TransferKind.INBOUND, token, maker, maker, 400)]


def test_eth_is_committed_like_a_token(multiswap, manager, domain_escrow, token, maker):
    fund(domain_escrow, maker, ETH, 1_000)
    create_multiswap(manager, maker, ETH, token, 400, 300)
    assert record(multiswap, manager)["inputToken"] == ETH
    assert domain_escrow.getBalance(maker) == 600
    assert issuance_escrow(manager, 1).getBalance(maker) == 400
    assert held(issuance_escrow(manager, 1), ETH) == 400


def test_multiswaps_of_two_domains_are_kept_apart(
    registry, multiswap, manager, domain_escrow, token, other_token, maker, stranger
):
    _, other_manager, other_escrow = registry.activateInstrument(multiswap, {"from": stranger}).return_value
    fund(domain_escrow, maker, token, 1_000)
    create_multiswap(manager, maker, token, other_token, 400, 300)
    assert record(multiswap, other_manager)["maker"] == ZERO_ADDRESS
    assert record(multiswap, manager)["inputAmount"] == 400
    assert held(other_escrow, token) == 0


# ---------------------------------------------------------------------------------------- refusals


@pytest.fixture
def refused(multiswap, manager, domain_escrow, factory, state, token, maker):
    """Asserts that the maker's createIssuance with `data` reverts `error(*args)` and changes nothing."""
    fund(domain_escrow, maker, token, 1_000)
    fund(domain_escrow, maker, ETH, 1_000)

    def check(data, error, *args):
        before = state()
        with reverts(error, *args):
            manager.createIssuance(data, {"from": maker})
        assert state() == before
        assert manager.issuanceCount() == 0
        assert record(multiswap, manager)["maker"] == ZERO_ADDRESS
        assert web3.eth.get_code(factory.predictIssuanceEscrow(manager, (1).to_bytes(32, "big"))) == b""

    return check


def terms(token, other_token, input_amount=10, output_amount=10, min_fill=1, max_fill=10, duration=HOUR):
    return multiswap_terms(duration, token, other_token, input_amount, output_amount, min_fill, max_fill)


@pytest.mark.parametrize("length", [0, 1, 160, 192, 223, 225, 256, 448])
def test_maker_data_of_the_wrong_length_reverts_invalid_maker_data(refused, token, other_token, length):
    data = (terms(token, other_token) * 2)[:length]
    refused(data, "InstrumentInvalidMakerData", length)


@pytest.mark.parametrize("side", ["input", "output"])
@pytest.mark.parametrize("bad", ["eoa", "zero"])
def test_a_token_without_code_reverts_invalid_token(refused, token, stranger, side, bad):
    bad_token = stranger.address if bad == "eoa" else ZERO_ADDRESS
    pair = (bad_token, token) if side == "input" else (token, bad_token)
    refused(terms(*pair), "InstrumentInvalidToken", bad_token)


@pytest.mark.parametrize("asset", ["token", "eth"])
def test_the_same_token_on_both_sides_reverts_same_token(refused, token, asset):
    same = token if asset == "token" else ETH
    refused(terms(same, same), "InstrumentSameToken", same)


@pytest.mark.parametrize("amounts", [(0, 10), (10, 0), (0, 0)])
def test_a_zero_amount_on_either_side_reverts_zero_amount(refused, token, other_token, amounts):
    refused(terms(token, other_token, *amounts, min_fill=1, max_fill=1), "InstrumentZeroAmount")


@pytest.mark.parametrize(
    "limits",
    [(0, 5), (0, 0), (6, 5), (1, 11), (11, 11), (2**256 - 1, 2**256 - 1)],
    ids=["zero_min", "both_zero", "min_above_max", "max_above_output", "both_above_output", "max_uint"],
)
def test_fill_limits_outside_zero_to_output_reverts_invalid_fill_limits(refused, token, other_token, limits):
    data = terms(token, other_token, output_amount=10, min_fill=limits[0], max_fill=limits[1])
    refused(data, "MultiSwapInvalidFillLimits", *limits, 10)


@pytest.mark.parametrize("limits", [(1, 1), (1, 10), (10, 10), (4, 7)])
def test_fill_limits_from_one_to_the_whole_output_are_accepted(
    multiswap, manager, domain_escrow, token, other_token, maker, limits
):
    fund(domain_escrow, maker, token, 10)
    create_multiswap(manager, maker, token, other_token, 10, 10, *limits)
    issuance = record(multiswap, manager)
    assert (issuance["minFillOutput"], issuance["maxFillOutput"]) == limits


def test_maker_data_with_a_malformed_address_word_reverts_and_creates_nothing(
    manager, domain_escrow, state, token, other_token, maker
):
    fund(domain_escrow, maker, token, 1_000)
    data = bytearray(terms(token, other_token))
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
    data = terms(given, other_token, input_amount=1_001)
    refused(data, "EscrowInsufficientBalance", maker, given, 1_000, 1_001)


def test_an_issuance_id_the_calling_manager_already_used_reverts_issuance_exists(
    multiswap, token, other_token, stranger
):
    # Only a caller that is not a real manager can repeat an id; it reaches its own namespace only.
    data = terms(token, other_token)
    multiswap.createIssuance(7, stranger, data, {"from": stranger})
    before = record(multiswap, stranger, 7)
    with reverts("InstrumentIssuanceExists", 7):
        multiswap.createIssuance(7, stranger, data, {"from": stranger})
    assert record(multiswap, stranger, 7) == before
