// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IPriceOracle
/// @notice Exchange rates between tokens, for instruments that value one asset in another
/// (Lending, Borrowing, MultiSwap). A rate converts amounts in the tokens' smallest units, token
/// decimals accounted for: `quoteAmount = baseAmount * numerator / denominator`. `NATIVE_ETH`
/// (18 decimals) may be either token.
/// @dev Both parts of a rate may be large (up to 2**256 - 1): convert with OpenZeppelin's
/// `Math.mulDiv(baseAmount, numerator, denominator)`, which reverts only when the result itself
/// does not fit, rather than with `baseAmount * numerator / denominator`.
///
/// Every oracle here keeps at most one entry per pair of tokens, in the direction its owner set it
/// (`base` → `quote`); `getRate` answers for the other direction too, with the inverse rate. The
/// errors below are shared by the oracles' setters and by `getRate`.
interface IPriceOracle {
    /// @notice No rate is known between `baseToken` and `quoteToken`, in either direction.
    error PriceOracleUnknownPair(address baseToken, address quoteToken);
    /// @notice `token` is neither the ETH constant nor a contract (the zero address included).
    error PriceOracleInvalidToken(address token);
    /// @notice A pair must be of two different tokens; `token` was given as both.
    error PriceOracleSameToken(address token);
    /// @notice The pair is already set the other way round, as `baseToken` → `quoteToken`; remove
    /// that entry first (one entry per pair keeps both directions consistent).
    error PriceOracleReversePairSet(address baseToken, address quoteToken);
    /// @notice Nothing is set for exactly `baseToken` → `quoteToken` (an entry is removed in the
    /// direction it was set).
    error PriceOraclePairNotSet(address baseToken, address quoteToken);

    /// @notice The rate from `baseToken` to `quoteToken`: `quoteAmount = baseAmount * numerator /
    /// denominator`, both amounts in the tokens' smallest units (token decimals accounted for).
    /// `NATIVE_ETH` (18 decimals) may be either token. For the same token it is (1, 1).
    /// @dev Reverts with `PriceOracleUnknownPair` when the pair is set in neither direction, and
    /// with an oracle's own error when its source cannot be trusted right now. Never returns a
    /// zero numerator or denominator.
    function getRate(
        address baseToken,
        address quoteToken
    ) external view returns (uint256 numerator, uint256 denominator);
}
