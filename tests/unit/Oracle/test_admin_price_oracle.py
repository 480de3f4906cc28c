"""AdminPriceOracle: rates set by hand, in the tokens' smallest units, and their inverses."""

import pytest

from oracle_support import convert, rate
from support import ETH, reverts

MAX_UINT = 2**256 - 1


def test_a_rate_converts_amounts_in_both_directions(admin_oracle, usdc, deployer):
    # 1 USDC (10**6 units) is worth 1/3,000 ETH (10**18 / 3,000 wei).
    tx = admin_oracle.setRate(usdc, ETH, 10**18, 3_000 * 10**6, {"from": deployer})

    assert dict(tx.events["RateSet"]) == {
        "baseToken": usdc.address,
        "quoteToken": ETH,
        "numerator": 10**18,
        "denominator": 3_000 * 10**6,
    }
    assert rate(admin_oracle, usdc, ETH) == (10**18, 3_000 * 10**6)
    assert rate(admin_oracle, ETH, usdc) == (3_000 * 10**6, 10**18)
    assert convert(1_500 * 10**6, rate(admin_oracle, usdc, ETH)) == 5 * 10**17  # 1,500 USDC: 0.5 ETH
    assert convert(2 * 10**18, rate(admin_oracle, ETH, usdc)) == 6_000 * 10**6  # 2 ETH: 6,000 USDC


def test_setting_a_rate_again_replaces_it(admin_oracle, usdc, dai, deployer):
    admin_oracle.setRate(usdc, dai, 10**12, 1, {"from": deployer})

    tx = admin_oracle.setRate(usdc, dai, 99 * 10**12, 100, {"from": deployer})

    assert dict(tx.events["RateSet"]) == {
        "baseToken": usdc.address,
        "quoteToken": dai.address,
        "numerator": 99 * 10**12,
        "denominator": 100,
    }
    assert tuple(admin_oracle.rateOf(usdc, dai)) == (99 * 10**12, 100)
    assert convert(100 * 10**6, rate(admin_oracle, usdc, dai)) == 99 * 10**18  # 100 USDC: 99 DAI
    assert convert(99 * 10**18, rate(admin_oracle, dai, usdc)) == 100 * 10**6


def test_any_positive_rate_up_to_the_largest_uint_is_kept_exactly(admin_oracle, usdc, dai, deployer):
    admin_oracle.setRate(usdc, dai, MAX_UINT, 1, {"from": deployer})
    assert rate(admin_oracle, usdc, dai) == (MAX_UINT, 1)
    assert rate(admin_oracle, dai, usdc) == (1, MAX_UINT)


@pytest.mark.parametrize("numerator, denominator", [(0, 1), (1, 0), (0, 0)])
def test_a_rate_with_a_zero_part_is_refused_and_changes_nothing(
    admin_oracle, usdc, dai, deployer, numerator, denominator
):
    admin_oracle.setRate(usdc, dai, 2, 3, {"from": deployer})

    with reverts("AdminOracleZeroRate", numerator, denominator):
        admin_oracle.setRate(usdc, dai, numerator, denominator, {"from": deployer})
    with reverts("AdminOracleZeroRate", numerator, denominator):
        admin_oracle.setRate(usdc, ETH, numerator, denominator, {"from": deployer})

    assert tuple(admin_oracle.rateOf(usdc, dai)) == (2, 3)
    assert tuple(admin_oracle.rateOf(usdc, ETH)) == (0, 0)
    with reverts("PriceOracleUnknownPair", usdc, ETH):
        admin_oracle.getRate(usdc, ETH)
