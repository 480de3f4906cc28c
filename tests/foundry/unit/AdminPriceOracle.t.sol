// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {IAdminPriceOracle} from "../../../interfaces/IAdminPriceOracle.sol";
import {NATIVE_ETH} from "../../../interfaces/IEscrow.sol";
import {IPriceOracle} from "../../../interfaces/IPriceOracle.sol";
import {MockERC20} from "../../../contracts/test/MockERC20.sol";

interface IOwnable2Step {
    error OwnableUnauthorizedAccount(address account);

    function owner() external view returns (address);
    function pendingOwner() external view returns (address);
    function transferOwnership(address newOwner) external;
    function acceptOwnership() external;
}

/// @notice The Admin Price Oracle and the pair rules it shares with the Chainlink oracle
/// (PairPriceOracle): rates set by the owner only, read both ways, exact errors. Ported from
/// tests/unit/Oracle.
contract AdminPriceOracleTest is Test {
    IAdminPriceOracle internal oracle;
    address internal owner = makeAddr("owner");
    address internal usd = address(new MockERC20("USD", "USD", 6));
    address internal dai = address(new MockERC20("DAI", "DAI", 18));
    address internal noCode = makeAddr("noCode");

    function setUp() public {
        oracle = IAdminPriceOracle(deployCode("AdminPriceOracle.sol:AdminPriceOracle", abi.encode(owner)));
    }

    function test_OwnerIsTheInitialOwner() public view {
        assertEq(IOwnable2Step(address(oracle)).owner(), owner);
    }

    function test_SetRateReadsBothWays() public {
        vm.expectEmit(address(oracle));
        emit IAdminPriceOracle.RateSet(NATIVE_ETH, usd, 3000e6, 1e18);
        vm.prank(owner);
        oracle.setRate(NATIVE_ETH, usd, 3000e6, 1e18);
        (uint256 numerator, uint256 denominator) = oracle.getRate(NATIVE_ETH, usd);
        assertEq(numerator, 3000e6);
        assertEq(denominator, 1e18);
        (numerator, denominator) = oracle.getRate(usd, NATIVE_ETH);
        assertEq(numerator, 1e18);
        assertEq(denominator, 3000e6);
        (numerator, denominator) = oracle.rateOf(NATIVE_ETH, usd);
        assertEq(numerator, 3000e6);
        assertEq(denominator, 1e18);
        (numerator, denominator) = oracle.rateOf(usd, NATIVE_ETH);
        assertEq(numerator, 0);
        assertEq(denominator, 0);
        // The owner may overwrite the direct pair.
        vm.prank(owner);
        oracle.setRate(NATIVE_ETH, usd, 2, 3);
        (numerator, denominator) = oracle.getRate(NATIVE_ETH, usd);
        assertEq(numerator, 2);
        assertEq(denominator, 3);
    }

    function test_SameTokenIsOneToOneWithoutARate() public view {
        (uint256 numerator, uint256 denominator) = oracle.getRate(dai, dai);
        assertEq(numerator, 1);
        assertEq(denominator, 1);
    }

    function test_UnknownPairReverts() public {
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.PriceOracleUnknownPair.selector, usd, dai));
        oracle.getRate(usd, dai);
    }

    function test_SetRateRefusesBadPairsAndRates() public {
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.PriceOracleInvalidToken.selector, noCode));
        oracle.setRate(noCode, usd, 1, 1);
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.PriceOracleInvalidToken.selector, noCode));
        oracle.setRate(usd, noCode, 1, 1);
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.PriceOracleSameToken.selector, usd));
        oracle.setRate(usd, usd, 1, 1);
        vm.expectRevert(abi.encodeWithSelector(IAdminPriceOracle.AdminOracleZeroRate.selector, 0, 5));
        oracle.setRate(usd, dai, 0, 5);
        vm.expectRevert(abi.encodeWithSelector(IAdminPriceOracle.AdminOracleZeroRate.selector, 5, 0));
        oracle.setRate(usd, dai, 5, 0);
        oracle.setRate(usd, dai, 1, 1);
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.PriceOracleReversePairSet.selector, usd, dai));
        oracle.setRate(dai, usd, 1, 1);
        vm.stopPrank();
    }

    function test_RemoveRate() public {
        vm.startPrank(owner);
        oracle.setRate(usd, dai, 7, 9);
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.PriceOraclePairNotSet.selector, dai, usd));
        oracle.removeRate(dai, usd);
        vm.expectEmit(address(oracle));
        emit IAdminPriceOracle.RateRemoved(usd, dai);
        oracle.removeRate(usd, dai);
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.PriceOracleUnknownPair.selector, usd, dai));
        oracle.getRate(usd, dai);
        // Removed, the reverse pair may be set.
        oracle.setRate(dai, usd, 9, 7);
        vm.stopPrank();
        (uint256 numerator, uint256 denominator) = oracle.getRate(usd, dai);
        assertEq(numerator, 7);
        assertEq(denominator, 9);
    }

    function test_OnlyTheOwnerSetsAndRemoves() public {
        vm.prank(owner);
        oracle.setRate(usd, dai, 1, 1);
        vm.startPrank(noCode);
        vm.expectRevert(abi.encodeWithSelector(IOwnable2Step.OwnableUnauthorizedAccount.selector, noCode));
        oracle.setRate(usd, NATIVE_ETH, 1, 1);
        vm.expectRevert(abi.encodeWithSelector(IOwnable2Step.OwnableUnauthorizedAccount.selector, noCode));
        oracle.removeRate(usd, dai);
        vm.stopPrank();
    }
}
