// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPriceOracle} from "./IPriceOracle.sol";

/// @title IAdminPriceOracle
/// @notice A simple oracle for local use: its owner (OpenZeppelin Ownable2Step) sets each rate by
/// hand. A rate set for `base` → `quote` is also the inverse rate for `quote` → `base`.
interface IAdminPriceOracle is IPriceOracle {
    /// @notice A rate needs a positive numerator and a positive denominator.
    error AdminOracleZeroRate(uint256 numerator, uint256 denominator);

    /// @notice The rate for `baseToken` → `quoteToken` is now `numerator / denominator`.
    event RateSet(address indexed baseToken, address indexed quoteToken, uint256 numerator, uint256 denominator);
    /// @notice The rate for `baseToken` → `quoteToken` was removed (and with it its inverse).
    event RateRemoved(address indexed baseToken, address indexed quoteToken);

    /// @notice Sets the rate from `baseToken` to `quoteToken`, in smallest units:
    /// `quoteAmount = baseAmount * numerator / denominator`. Replaces a rate set for the same
    /// direction; reverts with `PriceOracleReversePairSet` if the pair is set the other way round.
    /// Owner only.
    function setRate(address baseToken, address quoteToken, uint256 numerator, uint256 denominator) external;

    /// @notice Removes the rate set for exactly `baseToken` → `quoteToken`. Owner only.
    function removeRate(address baseToken, address quoteToken) external;

    /// @notice The rate set for exactly `baseToken` → `quoteToken`, or (0, 0) when none is (an
    /// inverse is not looked up: see `getRate`).
    function rateOf(
        address baseToken,
        address quoteToken
    ) external view returns (uint256 numerator, uint256 denominator);
}
