// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPriceOracle} from "./IPriceOracle.sol";

/// @title IChainlinkPriceOracle
/// @notice An oracle reading Chainlink-style price feeds (`AggregatorV3Interface`). Its owner
/// (OpenZeppelin Ownable2Step) registers, per pair, a feed whose answer is the price of one whole
/// `base` in whole `quote`, with `feed.decimals()` decimals, and the greatest age an answer may
/// have. `getRate(base, quote)` reads the feed and scales its answer by both tokens' decimals
/// (`IERC20Metadata.decimals()`, 18 for `NATIVE_ETH`):
/// `numerator = answer * 10**quoteDecimals`, `denominator = 10**(feedDecimals + baseDecimals)`;
/// `getRate(quote, base)` returns the same two numbers swapped.
/// @dev Limits, so that no rate overflows: token and feed decimals must be at most
/// `MAX_DECIMALS` (36), checked at `setFeed` and again at every read (decimals are never
/// cached: a changed value is used at once, or refused if above the limit); the denominator is
/// then at most 10**72. An answer must be at most `type(uint256).max / 10**quoteDecimals` (at least
/// 1.15e41 with 36 quote decimals, 1.15e59 with 18), or `getRate` reverts with
/// `ChainlinkOracleAnswerTooLarge`.
interface IChainlinkPriceOracle is IPriceOracle {
    /// @notice `feed` has no code, so it cannot be a price feed.
    error ChainlinkOracleFeedNotContract(address feed);
    /// @notice The greatest age of an answer must be at least one second.
    error ChainlinkOracleZeroMaxAge();
    /// @notice `source` (a token or a feed) did not answer `decimals()`.
    error ChainlinkOracleNoDecimals(address source);
    /// @notice `source` (a token or a feed) has `decimals` decimals, more than `maxDecimals`.
    error ChainlinkOracleDecimalsTooLarge(address source, uint8 decimals, uint8 maxDecimals);
    /// @notice `feed` answered `answer`; a price must be positive.
    error ChainlinkOracleNonPositiveAnswer(address feed, int256 answer);
    /// @notice `feed` answered `answer`, more than `maxAnswer`, the largest that can be scaled by
    /// the quote token's decimals without overflowing.
    error ChainlinkOracleAnswerTooLarge(address feed, int256 answer, uint256 maxAnswer);
    /// @notice `feed` reports an update time of zero (no answer yet) or after the current block's.
    error ChainlinkOracleInvalidUpdateTime(address feed, uint256 updatedAt);
    /// @notice `feed`'s answer was last updated at `updatedAt`, more than `maxAge` seconds ago.
    error ChainlinkOracleStaleAnswer(address feed, uint256 updatedAt, uint256 maxAge);

    /// @notice `feed` now prices one whole `baseToken` in `quoteToken`; its answers may be at most
    /// `maxAge` seconds old.
    event FeedSet(address indexed baseToken, address indexed quoteToken, address indexed feed, uint64 maxAge);
    /// @notice The feed of `baseToken` → `quoteToken` was removed (and with it the inverse rate).
    event FeedRemoved(address indexed baseToken, address indexed quoteToken);

    /// @notice The most decimals a token or a feed may have: 36.
    function MAX_DECIMALS() external view returns (uint8);

    /// @notice Registers `feed`, whose answer is the price of one whole `baseToken` in whole
    /// `quoteToken` with `feed.decimals()` decimals, accepting answers at most `maxAge` seconds
    /// old. Replaces a feed set for the same direction; reverts with `PriceOracleReversePairSet` if
    /// the pair is set the other way round. Both tokens and the feed must report at most
    /// `MAX_DECIMALS` decimals. Owner only.
    function setFeed(address baseToken, address quoteToken, address feed, uint64 maxAge) external;

    /// @notice Removes the feed set for exactly `baseToken` → `quoteToken`. Owner only.
    function removeFeed(address baseToken, address quoteToken) external;

    /// @notice The feed set for exactly `baseToken` → `quoteToken` and its greatest answer age, or
    /// (zero address, 0) when none is.
    function getFeed(address baseToken, address quoteToken) external view returns (address feed, uint64 maxAge);
}
