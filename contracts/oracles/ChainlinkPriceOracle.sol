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
/// not positive, too large to scale, has no or a future update time, or is older than the feed's
/// `maxAge`.
contract ChainlinkPriceOracle is IChainlinkPriceOracle, PairPriceOracle {
    /// @inheritdoc IChainlinkPriceOracle
    uint8 public constant MAX_DECIMALS = 36;
    /// @dev The decimals of native ETH, which has no `decimals()` to ask.
    uint8 private constant _ETH_DECIMALS = 18;

    /// @dev A registered feed and the greatest age, in seconds, of an answer it may give.
    struct Feed {
        AggregatorV3Interface aggregator;
        uint64 maxAge;
    }

    mapping(address baseToken => mapping(address quoteToken => Feed)) private _feeds;

    /// @param initialOwner The account that may set and remove feeds.
    constructor(address initialOwner) PairPriceOracle(initialOwner) {}

    /// @inheritdoc IChainlinkPriceOracle
    function setFeed(address baseToken, address quoteToken, address feed, uint64 maxAge) external onlyOwner {
        _requireSettablePair(baseToken, quoteToken);
        if (feed.code.length == 0) revert ChainlinkOracleFeedNotContract(feed);
        if (maxAge == 0) revert ChainlinkOracleZeroMaxAge();
        // Refuses, now rather than at the first read, what cannot report or has too many decimals.
        _decimalsOf(baseToken);
        _decimalsOf(quoteToken);
        _decimalsOf(feed);
        _feeds[baseToken][quoteToken] = Feed(AggregatorV3Interface(feed), maxAge);
        emit FeedSet(baseToken, quoteToken, feed, maxAge);
    }

    /// @inheritdoc IChainlinkPriceOracle
    function removeFeed(address baseToken, address quoteToken) external onlyOwner {
        _requireSetPair(baseToken, quoteToken);
        delete _feeds[baseToken][quoteToken];
        emit FeedRemoved(baseToken, quoteToken);
    }

    /// @inheritdoc IChainlinkPriceOracle
    function getFeed(address baseToken, address quoteToken) external view returns (address feed, uint64 maxAge) {
        Feed storage entry = _feeds[baseToken][quoteToken];
        return (address(entry.aggregator), entry.maxAge);
    }

    /// @dev setFeed refuses a feed without code, so a set entry never has the zero address.
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

    /// @dev The feed's latest answer, if it is positive, at most `maxAnswer`, and updated at a
    /// known time no more than `maxAge` seconds ago.
    function _trustedAnswer(Feed storage entry, uint256 maxAnswer) private view returns (uint256) {
        AggregatorV3Interface aggregator = entry.aggregator;
        (, int256 answer, , uint256 updatedAt, ) = aggregator.latestRoundData();
        if (answer <= 0) revert ChainlinkOracleNonPositiveAnswer(address(aggregator), answer);
        if (uint256(answer) > maxAnswer) revert ChainlinkOracleAnswerTooLarge(address(aggregator), answer, maxAnswer);
        if (updatedAt == 0 || updatedAt > block.timestamp) {
            revert ChainlinkOracleInvalidUpdateTime(address(aggregator), updatedAt);
        }
        // Cannot overflow: updatedAt is at most block.timestamp here and maxAge a uint64.
        if (updatedAt + entry.maxAge < block.timestamp) {
            revert ChainlinkOracleStaleAnswer(address(aggregator), updatedAt, entry.maxAge);
        }
        return uint256(answer);
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
