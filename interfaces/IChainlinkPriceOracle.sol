// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPriceOracle} from "./IPriceOracle.sol";

/// @title IChainlinkPriceOracle
/// @notice An oracle reading Chainlink-style price feeds (`AggregatorV3Interface`). Its owner
/// (OpenZeppelin Ownable2Step) registers, per pair, a feed whose answer is the price of one whole
/// `base` in whole `quote`, with `feed.decimals()` decimals, the greatest age an answer may have,
/// and optional bounds on the answer. `getRate(base, quote)` reads the feed and scales its answer
/// by both tokens' decimals (`IERC20Metadata.decimals()`, 18 for `NATIVE_ETH`):
/// `numerator = answer * 10**quoteDecimals`, `denominator = 10**(feedDecimals + baseDecimals)`;
/// `getRate(quote, base)` returns the same two numbers swapped.
///
/// Feed changes: a pair's first feed takes effect at once (`setFeed`). Replacing or removing the
/// feed of a pair that has one takes effect only `FEED_CHANGE_DELAY` (2 days) after the owner
/// announces it (`announceFeedChange`, `announceFeedRemoval`; event `FeedChangeAnnounced`), so that
/// whoever relies on the rate (e.g. a lender with an open offer) has time to react; until then the
/// current feed keeps answering. Once the delay has passed anyone may apply the change
/// (`executeFeedChange`): the owner has already committed to it and can only `cancelFeedChange`
/// it, before or after the delay, as long as it has not been applied. One change at a time per
/// pair. The same rule covers a new `maxAge` or new bounds for a pair's feed.
/// @dev Limits, so that no rate overflows: token and feed decimals must be at most
/// `MAX_DECIMALS` (36), checked when a feed is set or announced and again at every read (decimals
/// are never cached: a changed value is used at once, or refused if above the limit); the
/// denominator is then at most 10**72. An answer must be at most
/// `type(uint256).max / 10**quoteDecimals` (at least 1.15e41 with 36 quote decimals, 1.15e59 with
/// 18), or `getRate` reverts with `ChainlinkOracleAnswerTooLarge`.
interface IChainlinkPriceOracle is IPriceOracle {
    /// @notice `feed` has no code, so it cannot be a price feed.
    error ChainlinkOracleFeedNotContract(address feed);
    /// @notice The greatest age of an answer must be at least one second.
    error ChainlinkOracleZeroMaxAge();
    /// @notice Both bounds are set (non-zero) and `minAnswer` is above `maxAnswer`.
    error ChainlinkOracleInvalidBounds(uint256 minAnswer, uint256 maxAnswer);
    /// @notice `source` (a token or a feed) did not answer `decimals()`.
    error ChainlinkOracleNoDecimals(address source);
    /// @notice `source` (a token or a feed) has `decimals` decimals, more than `maxDecimals`.
    error ChainlinkOracleDecimalsTooLarge(address source, uint8 decimals, uint8 maxDecimals);
    /// @notice `feed` answered `answer`; a price must be positive.
    error ChainlinkOracleNonPositiveAnswer(address feed, int256 answer);
    /// @notice `feed` answered `answer`, outside the bounds set with it (`minAnswer`, `maxAnswer`;
    /// 0 for a bound that is not set).
    error ChainlinkOracleAnswerOutOfBounds(address feed, int256 answer, uint256 minAnswer, uint256 maxAnswer);
    /// @notice `feed` answered `answer`, more than `maxAnswer`, the largest that can be scaled by
    /// the quote token's decimals without overflowing.
    error ChainlinkOracleAnswerTooLarge(address feed, int256 answer, uint256 maxAnswer);
    /// @notice `feed` reports an update time of zero (no answer yet) or after the current block's.
    error ChainlinkOracleInvalidUpdateTime(address feed, uint256 updatedAt);
    /// @notice `feed`'s answer was last updated at `updatedAt`, more than `maxAge` seconds ago.
    error ChainlinkOracleStaleAnswer(address feed, uint256 updatedAt, uint256 maxAge);
    /// @notice `baseToken` → `quoteToken` already has a feed, `feed`: replace or remove it with
    /// `announceFeedChange` or `announceFeedRemoval`, which take effect after `FEED_CHANGE_DELAY`.
    error ChainlinkOracleFeedAlreadySet(address baseToken, address quoteToken, address feed);
    /// @notice A change of the feed of `baseToken` → `quoteToken` is already pending, executable
    /// from `executableAt`: execute or cancel it first.
    error ChainlinkOracleFeedChangePending(address baseToken, address quoteToken, uint256 executableAt);
    /// @notice No change of the feed of `baseToken` → `quoteToken` is pending.
    error ChainlinkOracleNoFeedChangePending(address baseToken, address quoteToken);
    /// @notice The pending change of the feed of `baseToken` → `quoteToken` may be executed only
    /// from `executableAt` on.
    error ChainlinkOracleFeedChangeTooEarly(address baseToken, address quoteToken, uint256 executableAt);

    /// @notice `feed` now prices one whole `baseToken` in `quoteToken`; its answers may be at most
    /// `maxAge` seconds old and must lie within [`minAnswer`, `maxAnswer`] (0: that bound unset).
    event FeedSet(
        address indexed baseToken,
        address indexed quoteToken,
        address indexed feed,
        uint64 maxAge,
        uint256 minAnswer,
        uint256 maxAnswer
    );
    /// @notice The feed of `baseToken` → `quoteToken` was removed (and with it the inverse rate).
    event FeedRemoved(address indexed baseToken, address indexed quoteToken);
    /// @notice The owner announced that the feed of `baseToken` → `quoteToken` becomes `feed`, with
    /// `maxAge`, `minAnswer` and `maxAnswer`, or is removed (`feed` and the rest zero); anyone may
    /// execute the change from `executableAt` on.
    event FeedChangeAnnounced(
        address indexed baseToken,
        address indexed quoteToken,
        address indexed feed,
        uint64 maxAge,
        uint256 minAnswer,
        uint256 maxAnswer,
        uint256 executableAt
    );
    /// @notice The owner cancelled the pending change of the feed of `baseToken` → `quoteToken` to
    /// `feed` (zero for a removal).
    event FeedChangeCancelled(address indexed baseToken, address indexed quoteToken, address indexed feed);

    /// @notice The most decimals a token or a feed may have: 36.
    function MAX_DECIMALS() external view returns (uint8);

    /// @notice How long after its announcement a change of an existing pair's feed may be
    /// executed: 2 days, in seconds.
    function FEED_CHANGE_DELAY() external view returns (uint64);

    /// @notice Registers `feed` as the first feed of `baseToken` → `quoteToken`, at once: its
    /// answer is the price of one whole `baseToken` in whole `quoteToken` with `feed.decimals()`
    /// decimals; answers more than `maxAge` seconds old, below `minAnswer` or above `maxAnswer`
    /// are refused (a bound of 0 is not set; both bounds are inclusive). Reverts with
    /// `ChainlinkOracleFeedAlreadySet` if the pair has a feed (announce the change instead), and
    /// with `PriceOracleReversePairSet` if it is set the other way round. Both tokens and the feed
    /// must report at most `MAX_DECIMALS` decimals. Owner only.
    function setFeed(
        address baseToken,
        address quoteToken,
        address feed,
        uint64 maxAge,
        uint256 minAnswer,
        uint256 maxAnswer
    ) external;

    /// @notice Announces that the feed of `baseToken` → `quoteToken`, which must have one, becomes
    /// `feed` with `maxAge`, `minAnswer` and `maxAnswer` (checked as by `setFeed`), from
    /// `FEED_CHANGE_DELAY` after now; until then the current feed keeps answering. Reverts with
    /// `ChainlinkOracleFeedChangePending` if a change of the pair is already pending. Owner only.
    function announceFeedChange(
        address baseToken,
        address quoteToken,
        address feed,
        uint64 maxAge,
        uint256 minAnswer,
        uint256 maxAnswer
    ) external;

    /// @notice Announces that the feed set for exactly `baseToken` → `quoteToken` is removed (and
    /// with it the inverse rate), from `FEED_CHANGE_DELAY` after now; until then it keeps
    /// answering. Reverts with `ChainlinkOracleFeedChangePending` if a change of the pair is
    /// already pending. Owner only.
    function announceFeedRemoval(address baseToken, address quoteToken) external;

    /// @notice Applies the pending change of the feed of `baseToken` → `quoteToken` (emitting
    /// `FeedSet` or `FeedRemoved`). Anyone may call it once the delay has passed.
    function executeFeedChange(address baseToken, address quoteToken) external;

    /// @notice Drops the pending change of the feed of `baseToken` → `quoteToken`; the current
    /// feed stays. Owner only.
    function cancelFeedChange(address baseToken, address quoteToken) external;

    /// @notice The feed set for exactly `baseToken` → `quoteToken`, its greatest answer age and its
    /// answer bounds (0: unset), or all zero when none is.
    function getFeed(
        address baseToken,
        address quoteToken
    ) external view returns (address feed, uint64 maxAge, uint256 minAnswer, uint256 maxAnswer);

    /// @notice The pending change of the feed of `baseToken` → `quoteToken`: the new feed (zero for
    /// a removal) with its maxAge and bounds, and the time from which it may be executed; all
    /// zero when no change is pending.
    function getPendingFeedChange(
        address baseToken,
        address quoteToken
    ) external view returns (address feed, uint64 maxAge, uint256 minAnswer, uint256 maxAnswer, uint256 executableAt);
}
