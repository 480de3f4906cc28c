// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {AggregatorV3Interface} from "../../interfaces/AggregatorV3Interface.sol";
import {IChainlinkPriceOracle} from "../../interfaces/IChainlinkPriceOracle.sol";
import {NATIVE_ETH} from "../../interfaces/IEscrow.sol";
import {PairPriceOracle} from "./PairPriceOracle.sol";

/// @title ChainlinkPriceOracle
/// @notice Rates from Chainlink-style price feeds, scaled by the tokens' decimals (see
/// IChainlinkPriceOracle for the formula and its limits). A feed's answer is refused when it is
/// not positive, outside the feed's bounds, too large to scale, has no or a future update time, or
/// is older than the feed's `maxAge`. A pair's first feed takes effect at once; replacing or
/// removing it takes effect only `FEED_CHANGE_DELAY` after the owner announces it.
contract ChainlinkPriceOracle is IChainlinkPriceOracle, PairPriceOracle {
    /// @inheritdoc IChainlinkPriceOracle
    uint8 public constant MAX_DECIMALS = 36;
    /// @inheritdoc IChainlinkPriceOracle
    uint64 public constant FEED_CHANGE_DELAY = 2 days;
    /// @dev The decimals of native ETH, which has no `decimals()` to ask.
    uint8 private constant _ETH_DECIMALS = 18;

    /// @dev A registered feed, the greatest age, in seconds, of an answer it may give, and the
    /// least and greatest answer it may give (0: no bound).
    struct Feed {
        AggregatorV3Interface aggregator;
        uint64 maxAge;
        uint256 minAnswer;
        uint256 maxAnswer;
    }

    /// @dev An announced change of a pair's feed: the feed it becomes (a zero aggregator removes
    /// the pair) and when it may be executed (0: nothing pending).
    struct PendingChange {
        Feed next;
        uint64 executableAt;
    }

    mapping(address baseToken => mapping(address quoteToken => Feed)) private _feeds;
    mapping(address baseToken => mapping(address quoteToken => PendingChange)) private _pending;

    /// @param initialOwner The account that may set, announce and cancel feed changes.
    constructor(address initialOwner) PairPriceOracle(initialOwner) {}

    /// @inheritdoc IChainlinkPriceOracle
    function setFeed(
        address baseToken,
        address quoteToken,
        address feed,
        uint64 maxAge,
        uint256 minAnswer,
        uint256 maxAnswer
    ) external onlyOwner {
        _requireSettablePair(baseToken, quoteToken);
        address current = address(_feeds[baseToken][quoteToken].aggregator);
        if (current != address(0)) revert ChainlinkOracleFeedAlreadySet(baseToken, quoteToken, current);
        Feed memory entry = _checkedFeed(baseToken, quoteToken, feed, maxAge, minAnswer, maxAnswer);
        _feeds[baseToken][quoteToken] = entry;
        emit FeedSet(baseToken, quoteToken, feed, maxAge, minAnswer, maxAnswer);
    }

    /// @inheritdoc IChainlinkPriceOracle
    function announceFeedChange(
        address baseToken,
        address quoteToken,
        address feed,
        uint64 maxAge,
        uint256 minAnswer,
        uint256 maxAnswer
    ) external onlyOwner {
        _requireAnnounceable(baseToken, quoteToken);
        _announce(baseToken, quoteToken, _checkedFeed(baseToken, quoteToken, feed, maxAge, minAnswer, maxAnswer));
    }

    /// @inheritdoc IChainlinkPriceOracle
    function announceFeedRemoval(address baseToken, address quoteToken) external onlyOwner {
        _requireAnnounceable(baseToken, quoteToken);
        _announce(baseToken, quoteToken, Feed(AggregatorV3Interface(address(0)), 0, 0, 0));
    }

    /// @inheritdoc IChainlinkPriceOracle
    /// @dev Open to anyone: the owner committed to the change when announcing it and may still
    /// cancel it until it is executed; after the delay, applying it is only bookkeeping.
    function executeFeedChange(address baseToken, address quoteToken) external {
        PendingChange storage pending = _pending[baseToken][quoteToken];
        uint256 executableAt = pending.executableAt;
        if (executableAt == 0) revert ChainlinkOracleNoFeedChangePending(baseToken, quoteToken);
        if (block.timestamp < executableAt) {
            revert ChainlinkOracleFeedChangeTooEarly(baseToken, quoteToken, executableAt);
        }
        Feed memory next = pending.next;
        delete _pending[baseToken][quoteToken];
        if (address(next.aggregator) == address(0)) {
            delete _feeds[baseToken][quoteToken];
            emit FeedRemoved(baseToken, quoteToken);
        } else {
            _feeds[baseToken][quoteToken] = next;
            emit FeedSet(baseToken, quoteToken, address(next.aggregator), next.maxAge, next.minAnswer, next.maxAnswer);
        }
    }

    /// @inheritdoc IChainlinkPriceOracle
    function cancelFeedChange(address baseToken, address quoteToken) external onlyOwner {
        PendingChange storage pending = _pending[baseToken][quoteToken];
        if (pending.executableAt == 0) revert ChainlinkOracleNoFeedChangePending(baseToken, quoteToken);
        address feed = address(pending.next.aggregator);
        delete _pending[baseToken][quoteToken];
        emit FeedChangeCancelled(baseToken, quoteToken, feed);
    }

    /// @inheritdoc IChainlinkPriceOracle
    function getFeed(
        address baseToken,
        address quoteToken
    ) external view returns (address feed, uint64 maxAge, uint256 minAnswer, uint256 maxAnswer) {
        Feed storage entry = _feeds[baseToken][quoteToken];
        return (address(entry.aggregator), entry.maxAge, entry.minAnswer, entry.maxAnswer);
    }

    /// @inheritdoc IChainlinkPriceOracle
    function getPendingFeedChange(
        address baseToken,
        address quoteToken
    ) external view returns (address feed, uint64 maxAge, uint256 minAnswer, uint256 maxAnswer, uint256 executableAt) {
        PendingChange storage pending = _pending[baseToken][quoteToken];
        Feed storage next = pending.next;
        return (address(next.aggregator), next.maxAge, next.minAnswer, next.maxAnswer, pending.executableAt);
    }

    /// @dev A feed without code is refused when set or announced (`_checkedFeed`), so a set entry
    /// never has the zero address; an announced removal deletes the entry.
    function _isSet(address baseToken, address quoteToken) internal view override returns (bool) {
        return address(_feeds[baseToken][quoteToken].aggregator) != address(0);
    }

    /// @dev `answer * 10**quoteDecimals / 10**(feedDecimals + baseDecimals)`: the feed prices one
    /// whole base token (10**baseDecimals units) at answer / 10**feedDecimals whole quote tokens
    /// (times 10**quoteDecimals units). With every decimals at most 36 the denominator is at most
    /// 10**72, and the answer is checked against the largest numerator.
    function _directRate(
        address baseToken,
        address quoteToken
    ) internal view override returns (uint256 numerator, uint256 denominator) {
        Feed storage entry = _feeds[baseToken][quoteToken];
        uint256 quoteScale = 10 ** _decimalsOf(quoteToken);
        uint256 answer = _trustedAnswer(entry, type(uint256).max / quoteScale);
        numerator = answer * quoteScale;
        denominator = 10 ** (uint256(_decimalsOf(address(entry.aggregator))) + _decimalsOf(baseToken));
    }

    /// @dev The feed's latest answer, if it is positive, within the entry's bounds, at most
    /// `scalableMax`, and updated at a known time no more than `maxAge` seconds ago.
    function _trustedAnswer(Feed storage entry, uint256 scalableMax) private view returns (uint256) {
        AggregatorV3Interface aggregator = entry.aggregator;
        (, int256 answer, , uint256 updatedAt, ) = aggregator.latestRoundData();
        if (answer <= 0) revert ChainlinkOracleNonPositiveAnswer(address(aggregator), answer);
        (uint256 minAnswer, uint256 maxAnswer) = (entry.minAnswer, entry.maxAnswer);
        if (uint256(answer) < minAnswer || (maxAnswer != 0 && uint256(answer) > maxAnswer)) {
            revert ChainlinkOracleAnswerOutOfBounds(address(aggregator), answer, minAnswer, maxAnswer);
        }
        if (uint256(answer) > scalableMax) {
            revert ChainlinkOracleAnswerTooLarge(address(aggregator), answer, scalableMax);
        }
        if (updatedAt == 0 || updatedAt > block.timestamp) {
            revert ChainlinkOracleInvalidUpdateTime(address(aggregator), updatedAt);
        }
        // Cannot overflow: updatedAt is at most block.timestamp here and maxAge a uint64.
        if (updatedAt + entry.maxAge < block.timestamp) {
            revert ChainlinkOracleStaleAnswer(address(aggregator), updatedAt, entry.maxAge);
        }
        return uint256(answer);
    }

    /// @dev Reverts unless a change of `baseToken` → `quoteToken` may be announced: the pair has a
    /// feed in that direction and no change of it is pending.
    function _requireAnnounceable(address baseToken, address quoteToken) private view {
        _requireSetPair(baseToken, quoteToken);
        uint256 executableAt = _pending[baseToken][quoteToken].executableAt;
        if (executableAt != 0) revert ChainlinkOracleFeedChangePending(baseToken, quoteToken, executableAt);
    }

    /// @dev Records `next` as the pending change of the pair's feed, executable after the delay
    /// (the caller checked `_requireAnnounceable`). A zero aggregator announces the removal.
    function _announce(address baseToken, address quoteToken, Feed memory next) private {
        uint64 executableAt = uint64(block.timestamp) + FEED_CHANGE_DELAY;
        _pending[baseToken][quoteToken] = PendingChange(next, executableAt);
        emit FeedChangeAnnounced(
            baseToken,
            quoteToken,
            address(next.aggregator),
            next.maxAge,
            next.minAnswer,
            next.maxAnswer,
            executableAt
        );
    }

    /// @dev The entry for `feed` with its limits, once they are checked: the feed has code, a
    /// non-zero `maxAge`, bounds in order when both are set, and the tokens and the feed report at
    /// most MAX_DECIMALS decimals (refused now rather than at the first read).
    function _checkedFeed(
        address baseToken,
        address quoteToken,
        address feed,
        uint64 maxAge,
        uint256 minAnswer,
        uint256 maxAnswer
    ) private view returns (Feed memory) {
        if (feed.code.length == 0) revert ChainlinkOracleFeedNotContract(feed);
        if (maxAge == 0) revert ChainlinkOracleZeroMaxAge();
        if (maxAnswer != 0 && minAnswer > maxAnswer) revert ChainlinkOracleInvalidBounds(minAnswer, maxAnswer);
        _decimalsOf(baseToken);
        _decimalsOf(quoteToken);
        _decimalsOf(feed);
        return Feed(AggregatorV3Interface(feed), maxAge, minAnswer, maxAnswer);
    }

    /// @dev The decimals of a token or a feed (both answer `decimals()` with a uint8; 18 for the
    /// ETH constant), at most MAX_DECIMALS. Read on every use: a changed value is seen at once.
    function _decimalsOf(address source) private view returns (uint8 decimals) {
        if (source == NATIVE_ETH) return _ETH_DECIMALS;
        try IERC20Metadata(source).decimals() returns (uint8 value) {
            decimals = value;
        } catch {
            revert ChainlinkOracleNoDecimals(source);
        }
        if (decimals > MAX_DECIMALS) revert ChainlinkOracleDecimalsTooLarge(source, decimals, MAX_DECIMALS);
    }
}
