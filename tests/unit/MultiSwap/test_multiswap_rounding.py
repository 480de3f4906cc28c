"""The rounding rule: each fill pays floor(basis * fillOutput / outputAmount), so no taker ever
receives more than its pro-rata share; the fills never need more input than the issuance escrow
holds; and the completing fill returns the rest to the maker, so rounding never prevents
completion. Also for amounts near 2**256, where basis * fillOutput does not fit in 256 bits."""

import pytest
from brownie import MockERC20

from multiswap_support import MAX_UINT, create_multiswap, fill, record, share
from nuts_escrow.types import MultiSwapState
from support import assert_books_exact, domain_escrows, events, fund, issuance_escrow, reverts

CASES = {
    # name: (input amount, output amount, fills)
    "ten_for_three": (10, 3, [1, 1, 1]),
    "five_for_three": (5, 3, [1, 1, 1]),
    "seven_for_five": (7, 5, [2, 2, 1]),
    "uneven_fills": (10**18 + 7, 13, [5, 4, 3, 1]),
    # Finer output than input: every fill must be worth at least one unit (see below).
    "less_input_than_output": (3, 1_000, [334, 666]),
    "one_for_one": (1, 1, [1]),
}


def fill_in_turn(manager, takers, fills):
    """Each fill by the next taker in turn; returns the transactions."""
    return [fill(manager, takers[index % len(takers)], size) for index, size in enumerate(fills)]


def paid_by(transactions):
    return [events(tx, "MultiSwapFilled")[0]["inputPaid"] for tx in transactions]


@pytest.mark.parametrize("input_amount, output_amount, fills", CASES.values(), ids=CASES.keys())
def test_each_fill_gets_at_most_its_pro_rata_share_and_the_maker_the_rest(
    multiswap,
    manager,
    domain_escrow,
    token,
    other_token,
    maker,
    taker,
    extra_takers,
    input_amount,
    output_amount,
    fills,
):
    takers = [taker, *extra_takers]
    fund(domain_escrow, maker, token, input_amount)
    for each in takers:
        fund(domain_escrow, each, other_token, output_amount)
    create_multiswap(manager, maker, token, other_token, input_amount, output_amount)

    paid = paid_by(fill_in_turn(manager, takers, fills))

    assert paid == [share(input_amount, size, output_amount) for size in fills]
    for amount, size in zip(paid, fills, strict=True):
        assert amount * output_amount <= input_amount * size  # never above the exact pro-rata share
    received = sum(domain_escrow.getTokenBalance(each, token) for each in takers)
    assert received == sum(paid)
    assert domain_escrow.getTokenBalance(maker, token) == input_amount - sum(paid)
    assert domain_escrow.getTokenBalance(maker, other_token) == output_amount
    assert record(multiswap, manager)["state"] == MultiSwapState.COMPLETE
    assert issuance_escrow(manager, 1).getTokenBalance(maker, token) == 0


@pytest.mark.parametrize("minimum", [None, 0], ids=["one_word", "zero_minimum"])
def test_a_fill_whose_share_rounds_to_nothing_reverts_and_the_taker_pays_nothing(
    multiswap, manager, domain_escrow, state, token, other_token, maker, taker, minimum
):
    """1 input for 3 output: a fill of 1 is worth a third of a unit, so it would pay 0: refused,
    whatever minimum the taker states; a fill of the whole 3 is worth the unit and goes through."""
    fund(domain_escrow, maker, token, 1)
    fund(domain_escrow, taker, other_token, 3)
    create_multiswap(manager, maker, token, other_token, 1, 3)
    assert multiswap.quoteFill(manager, 1, 1) == 0
    before = state()

    with reverts("ManagerCreditBelowMinimum", 1, token, taker, 0, 1):
        fill(manager, taker, 1, min_input_received=minimum)

    assert state() == before
    assert domain_escrow.getTokenBalance(taker, other_token) == 3, "the taker paid nothing"
    assert record(multiswap, manager)["remainingOutput"] == 3
    assert paid_by([fill(manager, taker, 3, min_input_received=minimum)]) == [share(1, 3, 3)]
    assert domain_escrow.getTokenBalance(taker, token) == 1


@pytest.fixture(scope="module")
def max_tokens(deployer, maker, taker):
    """{holder: a token whose whole supply of 2**256 - 1 that holder owns}, for the maker and the taker."""
    tokens = {}
    for holder in (maker, taker):
        contract = MockERC20.deploy("Max", "MAX", 18, {"from": deployer})
        contract.mint(holder, MAX_UINT, {"from": deployer})
        tokens[holder.address] = contract
    return tokens


@pytest.mark.parametrize(
    "input_amount, output_amount, fills",
    [
        (MAX_UINT, 7, [3, 4]),
        (7, MAX_UINT, [MAX_UINT // 2, MAX_UINT - MAX_UINT // 2]),
        (MAX_UINT, MAX_UINT, [1, MAX_UINT - 1]),
    ],
    ids=["max_input", "max_output", "max_both"],
)
def test_amounts_near_2_256_are_shared_out_without_overflow(
    multiswap, manager, domain_escrow, max_tokens, maker, taker, input_amount, output_amount, fills
):
    given, wanted = max_tokens[maker.address], max_tokens[taker.address]
    fund(domain_escrow, maker, given, input_amount)
    fund(domain_escrow, taker, wanted, output_amount)
    create_multiswap(manager, maker, given, wanted, input_amount, output_amount)

    paid = paid_by([fill(manager, taker, size) for size in fills])

    assert paid == [share(input_amount, size, output_amount) for size in fills]
    assert record(multiswap, manager)["state"] == MultiSwapState.COMPLETE
    assert domain_escrow.getTokenBalance(taker, given) == sum(paid)
    assert domain_escrow.getTokenBalance(maker, given) == input_amount - sum(paid)
    assert domain_escrow.getTokenBalance(maker, wanted) == output_amount
    assert_books_exact(domain_escrows(manager, domain_escrow), [maker, taker], [given, wanted])
