// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {IChainlinkPriceOracle} from "../../../interfaces/IChainlinkPriceOracle.sol";
import {NATIVE_ETH} from "../../../interfaces/IEscrow.sol";
import {IPriceOracle} from "../../../interfaces/IPriceOracle.sol";
import {MockAggregator} from "../../../contracts/test/MockAggregator.sol";
import {MockERC20} from "../../../contracts/test/MockERC20.sol";

/// @dev A contract without `decimals()`.
contract NoDecimals {}

/// @notice The Chainlink Price Oracle: feeds set once, changed or removed only after the
/// announced delay, answers checked (positive, within bounds, scalable, fresh) and scaled by the
/// decimals of the feed and both tokens. Ported from tests/unit/Oracle.
contract ChainlinkPriceOracleTest is Test {
    IChainlinkPriceOracle internal oracle;
    address internal owner = makeAddr("owner");
    address internal usdc = address(new MockERC20("USDC", "USDC", 6));
    address internal wbtc = address(new MockERC20("WBTC", "WBTC", 8));
    MockAggregator internal ethUsd;
    MockAggregator internal other;
    uint64 internal constant DAY = 1 days;

    function setUp() public {
        vm.warp(1_000_000);
        oracle = IChainlinkPriceOracle(deployCode("ChainlinkPriceOracle.sol:ChainlinkPriceOracle", abi.encode(owner)));
        ethUsd = new MockAggregator(8, 3000e8);
        other = new MockAggregator(8, 2500e8);
    }

    function _setEthUsd() internal {
        vm.prank(owner);
        oracle.setFeed(NATIVE_ETH, usdc, address(ethUsd), DAY, 100e8, 10_000e8);
    }

    function test_Constants() public view {
        assertEq(oracle.MAX_DECIMALS(), 36);
        assertEq(oracle.FEED_CHANGE_DELAY(), 2 days);
    }

    function test_SetFeedAndGetRateScaledByDecimals() public {
        vm.expectEmit(address(oracle));
        emit IChainlinkPriceOracle.FeedSet(NATIVE_ETH, usdc, address(ethUsd), DAY, 100e8, 10_000e8);
        _setEthUsd();
        (address feed, uint64 maxAge, uint256 minAnswer, uint256 maxAnswer) = oracle.getFeed(NATIVE_ETH, usdc);
        assertEq(feed, address(ethUsd));
        assertEq(maxAge, DAY);
        assertEq(minAnswer, 100e8);
        assertEq(maxAnswer, 10_000e8);
        // 1 wei of ETH (18 decimals) is 3000e8 * 1e6 / 1e(8 + 18) USDC units.
        (uint256 numerator, uint256 denominator) = oracle.getRate(NATIVE_ETH, usdc);
        assertEq(numerator, 3000e8 * 1e6);
        assertEq(denominator, 1e26);
        (numerator, denominator) = oracle.getRate(usdc, NATIVE_ETH);
        assertEq(numerator, 1e26);
        assertEq(denominator, 3000e8 * 1e6);
    }

    function test_TokenDecimalsScaleBothSides() public {
        MockAggregator btcUsd = new MockAggregator(18, 60_000e18);
        vm.prank(owner);
        oracle.setFeed(wbtc, usdc, address(btcUsd), DAY, 0, 0);
        (uint256 numerator, uint256 denominator) = oracle.getRate(wbtc, usdc);
        assertEq(numerator, 60_000e18 * 1e6);
        assertEq(denominator, 1e26); // 18 (feed) + 8 (WBTC)
    }

    function test_SetFeedRefusesBadFeeds() public {
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(IChainlinkPriceOracle.ChainlinkOracleFeedNotContract.selector, owner));
        oracle.setFeed(NATIVE_ETH, usdc, owner, DAY, 0, 0);
        vm.expectRevert(IChainlinkPriceOracle.ChainlinkOracleZeroMaxAge.selector);
        oracle.setFeed(NATIVE_ETH, usdc, address(ethUsd), 0, 0, 0);
        vm.expectRevert(abi.encodeWithSelector(IChainlinkPriceOracle.ChainlinkOracleInvalidBounds.selector, 5, 4));
        oracle.setFeed(NATIVE_ETH, usdc, address(ethUsd), DAY, 5, 4);
        // Equal bounds, and a minimum with no maximum, are fine.
        oracle.setFeed(NATIVE_ETH, usdc, address(ethUsd), 1, 3000e8, 3000e8);
        oracle.setFeed(wbtc, usdc, address(other), 1, 5, 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChainlinkPriceOracle.ChainlinkOracleFeedAlreadySet.selector,
                NATIVE_ETH,
                usdc,
                address(ethUsd)
            )
        );
        oracle.setFeed(NATIVE_ETH, usdc, address(other), DAY, 0, 0);
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.PriceOracleReversePairSet.selector, NATIVE_ETH, usdc));
        oracle.setFeed(usdc, NATIVE_ETH, address(other), DAY, 0, 0);
        vm.stopPrank();
    }

    function test_DecimalsAreRequiredAndBounded() public {
        vm.startPrank(owner);
        address none = address(new NoDecimals());
        vm.expectRevert(abi.encodeWithSelector(IChainlinkPriceOracle.ChainlinkOracleNoDecimals.selector, none));
        oracle.setFeed(none, usdc, address(other), DAY, 0, 0);
        vm.expectRevert(abi.encodeWithSelector(IChainlinkPriceOracle.ChainlinkOracleNoDecimals.selector, none));
        oracle.setFeed(usdc, none, address(other), DAY, 0, 0);
        vm.expectRevert(abi.encodeWithSelector(IChainlinkPriceOracle.ChainlinkOracleNoDecimals.selector, none));
        oracle.setFeed(NATIVE_ETH, wbtc, none, DAY, 0, 0);
        address wide = address(new MockERC20("Wide", "W", 37));
        vm.expectRevert(
            abi.encodeWithSelector(IChainlinkPriceOracle.ChainlinkOracleDecimalsTooLarge.selector, wide, 37, 36)
        );
        oracle.setFeed(wide, usdc, address(ethUsd), DAY, 0, 0);
        address widest = address(new MockERC20("Widest", "W", 36)); // the maximum itself is fine
        oracle.setFeed(widest, usdc, address(ethUsd), DAY, 0, 0);
        // 10 ** (8 + 36): the denominator's exponent may pass what a uint128 holds.
        (uint256 numerator, uint256 denominator) = oracle.getRate(widest, usdc);
        assertEq(numerator, 3000e8 * 1e6);
        assertEq(denominator, 1e44);
        MockAggregator wideFeed = new MockAggregator(37, 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChainlinkPriceOracle.ChainlinkOracleDecimalsTooLarge.selector,
                address(wideFeed),
                37,
                36
            )
        );
        oracle.setFeed(NATIVE_ETH, usdc, address(wideFeed), DAY, 0, 0);
        vm.stopPrank();
    }

    function test_AnswersMustBePositiveAndWithinBounds() public {
        _setEthUsd();
        ethUsd.setAnswer(0);
        vm.expectRevert(
            abi.encodeWithSelector(IChainlinkPriceOracle.ChainlinkOracleNonPositiveAnswer.selector, address(ethUsd), 0)
        );
        oracle.getRate(NATIVE_ETH, usdc);
        ethUsd.setAnswer(-1);
        vm.expectRevert(
            abi.encodeWithSelector(IChainlinkPriceOracle.ChainlinkOracleNonPositiveAnswer.selector, address(ethUsd), -1)
        );
        oracle.getRate(NATIVE_ETH, usdc);
        ethUsd.setAnswer(100e8 - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChainlinkPriceOracle.ChainlinkOracleAnswerOutOfBounds.selector,
                address(ethUsd),
                int256(100e8 - 1),
                100e8,
                10_000e8
            )
        );
        oracle.getRate(NATIVE_ETH, usdc);
        ethUsd.setAnswer(10_000e8 + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChainlinkPriceOracle.ChainlinkOracleAnswerOutOfBounds.selector,
                address(ethUsd),
                int256(10_000e8 + 1),
                100e8,
                10_000e8
            )
        );
        oracle.getRate(NATIVE_ETH, usdc);
        // Both bounds themselves are accepted.
        ethUsd.setAnswer(100e8);
        (uint256 numerator, ) = oracle.getRate(NATIVE_ETH, usdc);
        assertEq(numerator, 100e8 * 1e6);
        ethUsd.setAnswer(10_000e8);
        (numerator, ) = oracle.getRate(NATIVE_ETH, usdc);
        assertEq(numerator, 10_000e8 * 1e6);
    }

    function test_NoMaximumMeansUnbounded() public {
        vm.prank(owner);
        oracle.setFeed(NATIVE_ETH, usdc, address(ethUsd), DAY, 1, 0);
        ethUsd.setAnswer(1e30);
        (uint256 numerator, ) = oracle.getRate(NATIVE_ETH, usdc);
        assertEq(numerator, 1e36);
        ethUsd.setAnswer(1);
        (numerator, ) = oracle.getRate(NATIVE_ETH, usdc);
        assertEq(numerator, 1e6);
    }

    function test_AnAnswerTooLargeToScaleReverts() public {
        vm.prank(owner);
        oracle.setFeed(NATIVE_ETH, usdc, address(ethUsd), DAY, 0, 0);
        uint256 scalableMax = type(uint256).max / 1e6;
        ethUsd.setAnswer(int256(scalableMax + 1));
        vm.expectRevert(
            abi.encodeWithSelector(
                IChainlinkPriceOracle.ChainlinkOracleAnswerTooLarge.selector,
                address(ethUsd),
                int256(scalableMax + 1),
                scalableMax
            )
        );
        oracle.getRate(NATIVE_ETH, usdc);
        ethUsd.setAnswer(int256(scalableMax));
        (uint256 numerator, ) = oracle.getRate(NATIVE_ETH, usdc);
        assertEq(numerator, scalableMax * 1e6);
    }

    function test_AnswersMustBeFresh() public {
        _setEthUsd();
        ethUsd.setUpdatedAt(0);
        vm.expectRevert(
            abi.encodeWithSelector(IChainlinkPriceOracle.ChainlinkOracleInvalidUpdateTime.selector, address(ethUsd), 0)
        );
        oracle.getRate(NATIVE_ETH, usdc);
        ethUsd.setUpdatedAt(block.timestamp + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChainlinkPriceOracle.ChainlinkOracleInvalidUpdateTime.selector,
                address(ethUsd),
                block.timestamp + 1
            )
        );
        oracle.getRate(NATIVE_ETH, usdc);
        uint256 updatedAt = block.timestamp;
        ethUsd.setUpdatedAt(updatedAt);
        oracle.getRate(NATIVE_ETH, usdc); // updated now
        vm.warp(updatedAt + DAY); // exactly maxAge old: still fresh
        oracle.getRate(NATIVE_ETH, usdc);
        vm.warp(updatedAt + DAY + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChainlinkPriceOracle.ChainlinkOracleStaleAnswer.selector,
                address(ethUsd),
                updatedAt,
                DAY
            )
        );
        oracle.getRate(NATIVE_ETH, usdc);
    }

    function test_FeedChangeWaitsForTheDelay() public {
        _setEthUsd();
        uint256 executableAt = block.timestamp + 2 days;
        vm.expectEmit(address(oracle));
        emit IChainlinkPriceOracle.FeedChangeAnnounced(
            NATIVE_ETH,
            usdc,
            address(other),
            2 * DAY,
            1,
            5000e8,
            executableAt
        );
        vm.prank(owner);
        oracle.announceFeedChange(NATIVE_ETH, usdc, address(other), 2 * DAY, 1, 5000e8);
        (address feed, uint64 maxAge, uint256 minAnswer, uint256 maxAnswer, uint256 at) = oracle.getPendingFeedChange(
            NATIVE_ETH,
            usdc
        );
        assertEq(feed, address(other));
        assertEq(maxAge, 2 * DAY);
        assertEq(minAnswer, 1);
        assertEq(maxAnswer, 5000e8);
        assertEq(at, executableAt);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChainlinkPriceOracle.ChainlinkOracleFeedChangePending.selector,
                NATIVE_ETH,
                usdc,
                executableAt
            )
        );
        vm.prank(owner);
        oracle.announceFeedRemoval(NATIVE_ETH, usdc);
        vm.warp(executableAt - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChainlinkPriceOracle.ChainlinkOracleFeedChangeTooEarly.selector,
                NATIVE_ETH,
                usdc,
                executableAt
            )
        );
        oracle.executeFeedChange(NATIVE_ETH, usdc);
        vm.warp(executableAt);
        other.setAnswer(2500e8);
        vm.expectEmit(address(oracle));
        emit IChainlinkPriceOracle.FeedSet(NATIVE_ETH, usdc, address(other), 2 * DAY, 1, 5000e8);
        vm.prank(makeAddr("anyone"));
        oracle.executeFeedChange(NATIVE_ETH, usdc);
        (feed, maxAge, minAnswer, maxAnswer) = oracle.getFeed(NATIVE_ETH, usdc);
        assertEq(feed, address(other));
        assertEq(maxAge, 2 * DAY);
        assertEq(minAnswer, 1);
        assertEq(maxAnswer, 5000e8);
        (, , , , at) = oracle.getPendingFeedChange(NATIVE_ETH, usdc);
        assertEq(at, 0);
        (uint256 numerator, ) = oracle.getRate(NATIVE_ETH, usdc);
        assertEq(numerator, 2500e8 * 1e6);
        vm.expectRevert(
            abi.encodeWithSelector(IChainlinkPriceOracle.ChainlinkOracleNoFeedChangePending.selector, NATIVE_ETH, usdc)
        );
        oracle.executeFeedChange(NATIVE_ETH, usdc);
    }

    function test_FeedRemovalAndCancel() public {
        _setEthUsd();
        vm.startPrank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(IChainlinkPriceOracle.ChainlinkOracleNoFeedChangePending.selector, NATIVE_ETH, usdc)
        );
        oracle.cancelFeedChange(NATIVE_ETH, usdc);
        vm.expectEmit(address(oracle));
        emit IChainlinkPriceOracle.FeedChangeAnnounced(NATIVE_ETH, usdc, address(0), 0, 0, 0, block.timestamp + 2 days);
        oracle.announceFeedRemoval(NATIVE_ETH, usdc);
        vm.expectEmit(address(oracle));
        emit IChainlinkPriceOracle.FeedChangeCancelled(NATIVE_ETH, usdc, address(0));
        oracle.cancelFeedChange(NATIVE_ETH, usdc);
        (, , , , uint256 at) = oracle.getPendingFeedChange(NATIVE_ETH, usdc);
        assertEq(at, 0);
        oracle.announceFeedChange(NATIVE_ETH, usdc, address(other), DAY, 0, 0);
        vm.expectEmit(address(oracle));
        emit IChainlinkPriceOracle.FeedChangeCancelled(NATIVE_ETH, usdc, address(other));
        oracle.cancelFeedChange(NATIVE_ETH, usdc);
        oracle.announceFeedRemoval(NATIVE_ETH, usdc);
        vm.warp(block.timestamp + 3 days); // any time after the delay
        vm.expectEmit(address(oracle));
        emit IChainlinkPriceOracle.FeedRemoved(NATIVE_ETH, usdc);
        oracle.executeFeedChange(NATIVE_ETH, usdc);
        (address feed, uint64 maxAge, uint256 minAnswer, uint256 maxAnswer) = oracle.getFeed(NATIVE_ETH, usdc);
        assertEq(feed, address(0));
        assertEq(maxAge + minAnswer + maxAnswer, 0);
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.PriceOracleUnknownPair.selector, NATIVE_ETH, usdc));
        oracle.getRate(NATIVE_ETH, usdc);
        // Only a set pair can be announced; a removed pair may be set again.
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.PriceOraclePairNotSet.selector, NATIVE_ETH, usdc));
        oracle.announceFeedRemoval(NATIVE_ETH, usdc);
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.PriceOraclePairNotSet.selector, NATIVE_ETH, usdc));
        oracle.announceFeedChange(NATIVE_ETH, usdc, address(other), DAY, 0, 0);
        oracle.setFeed(NATIVE_ETH, usdc, address(other), DAY, 0, 0);
        vm.stopPrank();
    }

    function test_AnnouncedFeedsAreChecked() public {
        _setEthUsd();
        vm.startPrank(owner);
        vm.expectRevert(IChainlinkPriceOracle.ChainlinkOracleZeroMaxAge.selector);
        oracle.announceFeedChange(NATIVE_ETH, usdc, address(other), 0, 0, 0);
        vm.expectRevert(abi.encodeWithSelector(IChainlinkPriceOracle.ChainlinkOracleFeedNotContract.selector, owner));
        oracle.announceFeedChange(NATIVE_ETH, usdc, owner, DAY, 0, 0);
        vm.stopPrank();
    }

    function test_OnlyTheOwnerManagesFeeds() public {
        _setEthUsd();
        bytes memory unauthorized = abi.encodeWithSignature("OwnableUnauthorizedAccount(address)", address(this));
        vm.expectRevert(unauthorized);
        oracle.setFeed(wbtc, usdc, address(other), DAY, 0, 0);
        vm.expectRevert(unauthorized);
        oracle.announceFeedChange(NATIVE_ETH, usdc, address(other), DAY, 0, 0);
        vm.expectRevert(unauthorized);
        oracle.announceFeedRemoval(NATIVE_ETH, usdc);
        vm.prank(owner);
        oracle.announceFeedRemoval(NATIVE_ETH, usdc);
        vm.expectRevert(unauthorized);
        oracle.cancelFeedChange(NATIVE_ETH, usdc);
    }
}
