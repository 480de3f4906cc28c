// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDurationBounded} from "../../../interfaces/IDurationBounded.sol";
import {IInstrument, Transfer} from "../../../interfaces/IInstrument.sol";
import {IMultiSwap} from "../../../interfaces/IMultiSwap.sol";
import {IProviderConfigurable} from "../../../interfaces/IProviderConfigurable.sol";
import {ISwap} from "../../../interfaces/ISwap.sol";
import {InstrumentHarness, OtherManager} from "./InstrumentHarness.sol";

/// @notice The durations a domain's issuances may have (DurationBounded), for Swap and for
/// MultiSwap: the defaults until the domain's provider sets bounds, set by that provider only,
/// within 1 second and the cap, checked at every creation at both ends, per domain, and never
/// changing issuances already made. Ported from tests/unit/DurationBounds. This test contract is
/// the manager (InstrumentHarness).
abstract contract DurationBoundedTest is InstrumentHarness {
    IDurationBounded internal bounded;
    uint256 internal nextId;

    function _deploy() internal virtual returns (address);

    /// @dev Maker data of an issuance of `duration` offering 10 of tokenA for 10 of tokenB.
    function _terms(uint256 duration) internal view virtual returns (bytes memory);

    /// @dev The due time the instrument recorded for issuance `id` of this manager.
    function _dueTime(uint256 id) internal view virtual returns (uint64);

    function setUp() public {
        _deployTokens();
        bounded = IDurationBounded(_deploy());
    }

    function _create(uint256 duration) internal returns (uint256 id) {
        id = ++nextId;
        IInstrument(address(bounded)).createIssuance(id, maker, _terms(duration));
    }

    function _assertBounds(address manager, uint256 min, uint256 max) internal view {
        (uint256 gotMin, uint256 gotMax) = bounded.getBounds(manager);
        assertEq(gotMin, min, "min");
        assertEq(gotMax, max, "max");
    }

    function test_ADomainWhoseProviderSetNothingHasTheDefaultBounds() public view {
        _assertBounds(address(this), 1, DEFAULT_MAX);
        _assertBounds(stranger, 1, DEFAULT_MAX);
        assertEq(bounded.durationCap(), CAP);
    }

    function test_TheProviderSetsItsDomainsBounds() public {
        uint256[2][4] memory cases = [[uint256(1), 1], [HOUR, 2 * HOUR], [uint256(1), CAP], [CAP, CAP]];
        for (uint256 i; i < cases.length; ++i) {
            vm.expectEmit(address(bounded));
            emit IDurationBounded.DurationBoundsSet(address(this), cases[i][0], cases[i][1]);
            vm.prank(domainProvider);
            bounded.setBounds(address(this), cases[i][0], cases[i][1]);
            _assertBounds(address(this), cases[i][0], cases[i][1]);
        }
    }

    function test_TheLatestBoundsApplyAndOtherDomainsKeepTheirs() public {
        OtherManager other = new OtherManager(stranger);
        vm.startPrank(domainProvider);
        bounded.setBounds(address(this), HOUR, 2 * HOUR);
        bounded.setBounds(address(this), 2 * HOUR, 3 * HOUR);
        vm.stopPrank();
        _assertBounds(address(this), 2 * HOUR, 3 * HOUR);
        _assertBounds(address(other), 1, DEFAULT_MAX);
        vm.prank(stranger);
        bounded.setBounds(address(other), 5, 6);
        _assertBounds(address(other), 5, 6);
        _assertBounds(address(this), 2 * HOUR, 3 * HOUR);
    }

    function test_AnyoneButTheDomainsProviderSettingBoundsReverts() public {
        OtherManager other = new OtherManager(stranger); // stranger provides another domain
        address[3] memory callers = [maker, stranger, address(this)];
        for (uint256 i; i < callers.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IProviderConfigurable.InstrumentNotProvider.selector,
                    address(this),
                    callers[i],
                    domainProvider
                )
            );
            vm.prank(callers[i]);
            bounded.setBounds(address(this), HOUR, 2 * HOUR);
        }
        vm.expectRevert(
            abi.encodeWithSelector(
                IProviderConfigurable.InstrumentNotProvider.selector,
                address(other),
                domainProvider,
                stranger
            )
        );
        vm.prank(domainProvider);
        bounded.setBounds(address(other), HOUR, 2 * HOUR);
        _assertBounds(address(this), 1, DEFAULT_MAX);
    }

    function test_BoundsForAnAddressWithoutCodeRevertNotManager() public {
        vm.expectRevert(abi.encodeWithSelector(IProviderConfigurable.InstrumentNotManager.selector, stranger));
        vm.prank(stranger);
        bounded.setBounds(stranger, HOUR, 2 * HOUR);
        vm.expectRevert(abi.encodeWithSelector(IProviderConfigurable.InstrumentNotManager.selector, address(0)));
        bounded.setBounds(address(0), HOUR, 2 * HOUR);
        _assertBounds(stranger, 1, DEFAULT_MAX);
    }

    function test_InvalidBoundsRevertWithTheRuleTheyBreak() public {
        uint256 max = type(uint256).max;
        vm.startPrank(domainProvider);
        bounded.setBounds(address(this), HOUR, 2 * HOUR);
        vm.expectRevert(IDurationBounded.DurationBoundsZeroMin.selector);
        bounded.setBounds(address(this), 0, HOUR);
        vm.expectRevert(IDurationBounded.DurationBoundsZeroMin.selector);
        bounded.setBounds(address(this), 0, 0);
        vm.expectRevert(abi.encodeWithSelector(IDurationBounded.DurationBoundsMinAboveMax.selector, HOUR + 1, HOUR));
        bounded.setBounds(address(this), HOUR + 1, HOUR);
        vm.expectRevert(abi.encodeWithSelector(IDurationBounded.DurationBoundsAboveCap.selector, CAP + 1, CAP));
        bounded.setBounds(address(this), 1, CAP + 1);
        vm.expectRevert(abi.encodeWithSelector(IDurationBounded.DurationBoundsAboveCap.selector, max, CAP));
        bounded.setBounds(address(this), 1, max);
        vm.expectRevert(abi.encodeWithSelector(IDurationBounded.DurationBoundsAboveCap.selector, max, CAP));
        bounded.setBounds(address(this), max, max);
        vm.stopPrank();
        _assertBounds(address(this), HOUR, 2 * HOUR);
    }

    function test_CreationOutsideTheDefaultBoundsReverts() public {
        uint256[3] memory durations = [0, DEFAULT_MAX + 1, type(uint256).max];
        for (uint256 i; i < durations.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(IDurationBounded.DurationOutOfBounds.selector, durations[i], 1, DEFAULT_MAX)
            );
            IInstrument(address(bounded)).createIssuance(1, maker, _terms(durations[i]));
        }
        assertEq(_dueTime(1), 0);
    }

    function test_CreationOutsideTheDomainsBoundsReverts() public {
        vm.prank(domainProvider);
        bounded.setBounds(address(this), HOUR, 2 * HOUR);
        uint256[4] memory durations = [HOUR - 1, 2 * HOUR + 1, 1, DEFAULT_MAX];
        for (uint256 i; i < durations.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(IDurationBounded.DurationOutOfBounds.selector, durations[i], HOUR, 2 * HOUR)
            );
            IInstrument(address(bounded)).createIssuance(1, maker, _terms(durations[i]));
        }
    }

    function test_CreationAtTheBoundsIsAccepted() public {
        vm.warp(1_000_000);
        assertEq(_dueTime(_create(1)), 1_000_000 + 1);
        assertEq(_dueTime(_create(DEFAULT_MAX)), 1_000_000 + DEFAULT_MAX);
        vm.prank(domainProvider);
        bounded.setBounds(address(this), HOUR, 2 * HOUR);
        assertEq(_dueTime(_create(HOUR)), 1_000_000 + HOUR);
        assertEq(_dueTime(_create(2 * HOUR)), 1_000_000 + 2 * HOUR);
        vm.prank(domainProvider);
        bounded.setBounds(address(this), CAP, CAP);
        assertEq(_dueTime(_create(CAP)), 1_000_000 + CAP);
    }

    function test_TheBoundsOfTheCallingManagerApply() public {
        OtherManager other = new OtherManager(stranger);
        vm.prank(domainProvider);
        bounded.setBounds(address(this), HOUR, 2 * HOUR);
        // The other manager's domain keeps the defaults: 1 second is fine there, not here.
        other.call(address(bounded), abi.encodeCall(IInstrument.createIssuance, (1, maker, _terms(1))));
        vm.expectRevert(abi.encodeWithSelector(IDurationBounded.DurationOutOfBounds.selector, 1, HOUR, 2 * HOUR));
        IInstrument(address(bounded)).createIssuance(1, maker, _terms(1));
    }

    function test_NewBoundsLeaveExistingIssuancesAsTheyWere() public {
        vm.warp(1_000_000);
        uint256 id = _create(HOUR);
        vm.prank(domainProvider);
        bounded.setBounds(address(this), 2 * HOUR, 3 * HOUR);
        assertEq(_dueTime(id), 1_000_000 + HOUR);
    }
}

contract SwapDurationBoundedTest is DurationBoundedTest {
    function _deploy() internal override returns (address) {
        return deployCode("Swap.sol:Swap");
    }

    function _terms(uint256 duration) internal view override returns (bytes memory) {
        return abi.encode(duration, address(tokenA), address(tokenB), uint256(10), uint256(10));
    }

    function _dueTime(uint256 id) internal view override returns (uint64) {
        return ISwap(address(bounded)).getIssuance(address(this), id).dueTime;
    }
}

contract MultiSwapDurationBoundedTest is DurationBoundedTest {
    function _deploy() internal override returns (address) {
        return deployCode("MultiSwap.sol:MultiSwap");
    }

    function _terms(uint256 duration) internal view override returns (bytes memory) {
        return
            abi.encode(duration, address(tokenA), address(tokenB), uint256(10), uint256(10), uint256(1), uint256(10));
    }

    function _dueTime(uint256 id) internal view override returns (uint64) {
        return IMultiSwap(address(bounded)).getIssuance(address(this), id).dueTime;
    }
}
