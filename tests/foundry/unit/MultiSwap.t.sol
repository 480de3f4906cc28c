// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Vm} from "forge-std/Test.sol";

import {NATIVE_ETH} from "../../../interfaces/IEscrow.sol";
import {
    CANCEL_ISSUANCE,
    IInstrument,
    ISSUANCE_DUE,
    Transfer,
    TransferKind,
    WHOLE_BALANCE
} from "../../../interfaces/IInstrument.sol";
import {IMultiSwap, MultiSwapIssuance, MultiSwapState} from "../../../interfaces/IMultiSwap.sol";
import {InstrumentHarness, OtherManager} from "./InstrumentHarness.sol";

/// @notice The MultiSwap instrument, with this test contract as its manager and as the issuance
/// escrow whose balance prices the first fill: the terms and fill limits it accepts, each fill's
/// pro-rata share of the input basis (rounded down, fixed at the first fill), the transfers it
/// answers with (the taker's payment; the share with a minimum credit of at least one unit and the
/// taker's own minimum; what rounding left back to the maker on the last fill), quotes, cancel and
/// `issuance_due`, every refusal with its exact error, and both sides of every limit.
/// Ported from tests/unit/MultiSwap.
contract MultiSwapTest is InstrumentHarness {
    IMultiSwap internal multi;

    function setUp() public {
        _deployTokens();
        multi = IMultiSwap(deployCode("MultiSwap.sol:MultiSwap"));
        vm.warp(START);
    }

    function _terms(
        address input,
        address output,
        uint256 inputAmount,
        uint256 outputAmount,
        uint256 minFill,
        uint256 maxFill
    ) internal pure returns (bytes memory) {
        return abi.encode(HOUR, input, output, inputAmount, outputAmount, minFill, maxFill);
    }

    /// @dev Issuance `id`: maker offers 400 tokenA for 300 tokenB, fills of 30 to 150; `arrived` of
    /// the input reached the issuance escrow.
    function _create(uint256 id, uint256 arrived) internal returns (Transfer[] memory transfers) {
        transfers = multi.createIssuance(id, maker, _terms(address(tokenA), address(tokenB), 400, 300, 30, 150));
        _setHeld(id, maker, address(tokenA), arrived);
    }

    function _fill(uint256 id, uint256 output) internal returns (uint256, Transfer[] memory) {
        return multi.engageIssuance(id, taker, abi.encode(output));
    }

    function _get(uint256 id) internal view returns (MultiSwapIssuance memory) {
        return multi.getIssuance(address(this), id);
    }

    /// @dev Issuance `id`'s state and what its fills so far have changed.
    function _assertProgress(
        uint256 id,
        MultiSwapState state,
        uint256 remainingOutput,
        uint256 fillCount,
        uint256 inputBasis
    ) internal view {
        MultiSwapIssuance memory issuance = _get(id);
        assertEq(uint8(issuance.state), uint8(state));
        assertEq(issuance.remainingOutput, remainingOutput);
        assertEq(issuance.fillCount, fillCount);
        assertEq(issuance.inputBasis, inputBasis);
    }

    function _state(uint256 id) internal view returns (uint8) {
        return uint8(_get(id).state);
    }

    // ------------------------------------------------------------------------------- create

    function test_CreatingRecordsTheTermsAndCommitsTheInput() public {
        vm.expectEmit(address(multi));
        emit IMultiSwap.MultiSwapCreated(
            address(this),
            1,
            maker,
            address(tokenA),
            address(tokenB),
            400,
            300,
            30,
            150,
            DUE_AT
        );
        vm.expectEmit(address(multi));
        emit IMultiSwap.MultiSwapStateChanged(address(this), 1, MultiSwapState.Engageable);
        Transfer[] memory transfers = _create(1, 400);
        assertEq(transfers.length, 1);
        _assertCommit(transfers[0], address(tokenA), maker, 400);
        MultiSwapIssuance memory issuance = _get(1);
        assertEq(issuance.maker, maker);
        assertEq(issuance.dueTime, DUE_AT);
        assertEq(uint8(issuance.state), uint8(MultiSwapState.Engageable));
        assertEq(issuance.inputToken, address(tokenA));
        assertEq(issuance.fillCount, 0);
        assertEq(issuance.outputToken, address(tokenB));
        assertEq(issuance.inputAmount, 400);
        assertEq(issuance.outputAmount, 300);
        assertEq(issuance.minFillOutput, 30);
        assertEq(issuance.maxFillOutput, 150);
        assertEq(issuance.remainingOutput, 300);
        assertEq(issuance.inputBasis, 0);
        assertEq(multi.getIssuance(stranger, 1).maker, address(0));
    }

    function test_EthIsCommittedLikeAToken() public {
        Transfer[] memory transfers = multi.createIssuance(1, maker, _terms(NATIVE_ETH, address(tokenB), 5, 7, 1, 7));
        _assertCommit(transfers[0], NATIVE_ETH, maker, 5);
        multi.createIssuance(2, maker, _terms(address(tokenB), NATIVE_ETH, 5, 7, 1, 7));
        assertEq(_get(2).outputToken, NATIVE_ETH);
    }

    function test_AnIdAlreadyUsedRevertsIssuanceExists() public {
        _create(7, 400);
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentIssuanceExists.selector, 7));
        _create(7, 400);
    }

    function test_MakerDataOfAnotherLengthRevertsInvalidMakerData() public {
        uint256[5] memory lengths = [uint256(0), 192, 223, 225, 256];
        for (uint256 i; i < lengths.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentInvalidMakerData.selector, lengths[i]));
            multi.createIssuance(1, maker, new bytes(lengths[i]));
        }
    }

    function test_InvalidTokensAndZeroAmountsAreRefused() public {
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentInvalidToken.selector, stranger));
        multi.createIssuance(1, maker, _terms(stranger, address(tokenB), 1, 1, 1, 1));
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentInvalidToken.selector, stranger));
        multi.createIssuance(1, maker, _terms(address(tokenA), stranger, 1, 1, 1, 1));
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentSameToken.selector, address(tokenA)));
        multi.createIssuance(1, maker, _terms(address(tokenA), address(tokenA), 1, 1, 1, 1));
        vm.expectRevert(IInstrument.InstrumentZeroAmount.selector);
        multi.createIssuance(1, maker, _terms(address(tokenA), address(tokenB), 0, 1, 1, 1));
        vm.expectRevert(IInstrument.InstrumentZeroAmount.selector);
        multi.createIssuance(1, maker, _terms(address(tokenA), address(tokenB), 1, 0, 1, 1));
    }

    function test_FillLimitsOutsideZeroToTheOutputAreRefused() public {
        uint256[2][4] memory limits = [[uint256(0), 10], [uint256(0), 0], [uint256(11), 10], [uint256(5), 301]];
        for (uint256 i; i < limits.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(IMultiSwap.MultiSwapInvalidFillLimits.selector, limits[i][0], limits[i][1], 300)
            );
            multi.createIssuance(
                1,
                maker,
                _terms(address(tokenA), address(tokenB), 400, 300, limits[i][0], limits[i][1])
            );
        }
    }

    function test_FillLimitsFromOneToTheWholeOutputAreAccepted() public {
        multi.createIssuance(1, maker, _terms(address(tokenA), address(tokenB), 400, 300, 1, 300));
        multi.createIssuance(2, maker, _terms(address(tokenA), address(tokenB), 400, 300, 300, 300));
        multi.createIssuance(3, maker, _terms(address(tokenA), address(tokenB), 400, 300, 10, 10));
        assertEq(_get(2).minFillOutput, 300);
        assertEq(_get(3).maxFillOutput, 10);
    }

    function test_ADueTimePast32BitsIsKeptWhole() public {
        uint256 late = uint256(type(uint32).max) + 1;
        vm.warp(late);
        _create(1, 400);
        assertEq(_get(1).dueTime, late + HOUR);
        vm.warp(late + HOUR - 1);
        _fill(1, 30);
    }

    // ------------------------------------------------------------------------------- fills

    function test_AFillPaysTheMakerAndHandsTheTakerItsShareOfTheInput() public {
        _create(1, 400);
        vm.warp(DUE_AT - 1);
        vm.recordLogs();
        (uint256 engagementId, Transfer[] memory transfers) = _fill(1, 120);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 1); // no state change
        assertEq(logs[0].topics[0], IMultiSwap.MultiSwapFilled.selector);
        assertEq(logs[0].topics[1], bytes32(uint256(uint160(address(this)))));
        assertEq(logs[0].topics[2], bytes32(uint256(1)));
        assertEq(logs[0].topics[3], bytes32(uint256(1)));
        assertEq(logs[0].data, abi.encode(taker, uint256(120), uint256(160)));
        assertEq(engagementId, 1);
        assertEq(transfers.length, 2);
        _assertTransfer(transfers[0], TransferKind.IntraInstrument, address(tokenB), taker, maker, 120, 120);
        _assertTransfer(transfers[1], TransferKind.Outbound, address(tokenA), maker, taker, 160, 1);
        _assertProgress(1, MultiSwapState.Engageable, 180, 1, 400);
    }

    function test_FillsToCompletionAndTheLastReturnsWhatRoundingLeftToTheMaker() public {
        _create(1, 397); // a fee took 3 on the way in
        (, Transfer[] memory transfers) = _fill(1, 120);
        assertEq(transfers[1].amount, 158); // 397 * 120 / 300 = 158.8
        _setHeld(1, maker, address(tokenA), 239); // what the escrow then holds changes no price
        (uint256 second, Transfer[] memory t2) = multi.engageIssuance(1, stranger, abi.encode(uint256(150)));
        assertEq(second, 2);
        _assertTransfer(t2[1], TransferKind.Outbound, address(tokenA), maker, stranger, 198, 1); // 198.5
        assertEq(_get(1).remainingOutput, 30);
        assertEq(multi.quoteFill(address(this), 1, 30), 39);
        vm.expectEmit(address(multi));
        emit IMultiSwap.MultiSwapFilled(address(this), 1, 3, taker, 30, 39);
        vm.expectEmit(address(multi));
        emit IMultiSwap.MultiSwapStateChanged(address(this), 1, MultiSwapState.Complete);
        (uint256 third, Transfer[] memory t3) = _fill(1, 30);
        assertEq(third, 3);
        assertEq(t3.length, 3);
        _assertTransfer(t3[0], TransferKind.IntraInstrument, address(tokenB), taker, maker, 30, 30);
        _assertTransfer(t3[1], TransferKind.Outbound, address(tokenA), maker, taker, 39, 1);
        _assertGiveBack(t3[2], address(tokenA), maker);
        _assertProgress(1, MultiSwapState.Complete, 0, 3, 397);
    }

    function test_ASingleFillOfTheWholeOutputCompletesIt() public {
        multi.createIssuance(1, maker, _terms(address(tokenA), address(tokenB), 400, 300, 1, 300));
        _setHeld(1, maker, address(tokenA), 400);
        (, Transfer[] memory transfers) = _fill(1, 300);
        assertEq(transfers.length, 3);
        assertEq(transfers[1].amount, 400);
        _assertGiveBack(transfers[2], address(tokenA), maker);
        assertEq(_state(1), uint8(MultiSwapState.Complete));
    }

    function test_TheExactTailCompletesItEvenBelowTheMinimumFill() public {
        _create(1, 400);
        _fill(1, 140);
        _fill(1, 140);
        vm.expectRevert(abi.encodeWithSelector(IMultiSwap.MultiSwapFillBelowMinimum.selector, 19, 30, 20));
        _fill(1, 19);
        vm.expectRevert(abi.encodeWithSelector(IMultiSwap.MultiSwapFillAboveRemaining.selector, 21, 20));
        _fill(1, 21);
        assertEq(multi.quoteFill(address(this), 1, 20), 26); // 400 * 20 / 300 = 26.7
        (, Transfer[] memory transfers) = _fill(1, 20);
        assertEq(transfers.length, 3);
        assertEq(_state(1), uint8(MultiSwapState.Complete));
    }

    function test_AFillOutsideItsLimitsRevertsWithTheLimitItBreaks() public {
        _create(1, 400);
        vm.expectRevert(abi.encodeWithSelector(IMultiSwap.MultiSwapFillBelowMinimum.selector, 29, 30, 300));
        _fill(1, 29);
        vm.expectRevert(abi.encodeWithSelector(IMultiSwap.MultiSwapFillBelowMinimum.selector, 0, 30, 300));
        _fill(1, 0);
        vm.expectRevert(abi.encodeWithSelector(IMultiSwap.MultiSwapFillAboveMaximum.selector, 151, 150));
        _fill(1, 151);
        vm.expectRevert(abi.encodeWithSelector(IMultiSwap.MultiSwapFillAboveRemaining.selector, 301, 300));
        _fill(1, 301);
        assertEq(_get(1).remainingOutput, 300);
        assertEq(_get(1).inputBasis, 0);
        assertEq(_get(1).fillCount, 0);
    }

    function test_FillsAtTheLimitsAreAccepted() public {
        _create(1, 400);
        (, Transfer[] memory transfers) = _fill(1, 30);
        assertEq(transfers[1].amount, 40);
        (, transfers) = _fill(1, 150);
        assertEq(transfers[1].amount, 200);
        assertEq(_get(1).remainingOutput, 120);
    }

    function test_TheTakersMinimumIsTheMinimumCreditAndNeverLessThanOne() public {
        _create(1, 400);
        uint256[4] memory stated = [uint256(0), 1, 2, 40];
        uint256[4] memory minimum = [uint256(1), 1, 2, 40];
        for (uint256 i; i < stated.length; ++i) {
            (, Transfer[] memory transfers) = multi.engageIssuance(1, taker, abi.encode(uint256(30), stated[i]));
            assertEq(transfers[1].minimum, minimum[i]);
            assertEq(transfers[1].amount, 40);
        }
        // The short form states no minimum: one unit.
        (, Transfer[] memory short) = multi.engageIssuance(1, taker, abi.encode(uint256(30)));
        assertEq(short[1].minimum, 1);
        assertEq(_get(1).fillCount, 5);
    }

    function test_AShareThatRoundsToNothingStillAsksForOneUnit() public {
        multi.createIssuance(1, maker, _terms(address(tokenA), address(tokenB), 1, 300, 1, 300));
        _setHeld(1, maker, address(tokenA), 1);
        assertEq(multi.quoteFill(address(this), 1, 30), 0);
        (, Transfer[] memory transfers) = _fill(1, 30);
        _assertTransfer(transfers[1], TransferKind.Outbound, address(tokenA), maker, taker, 0, 1);
    }

    function test_AmountsNear2To256AreSharedOutWithoutOverflow() public {
        uint256 max = type(uint256).max;
        multi.createIssuance(1, maker, _terms(address(tokenA), address(tokenB), max, max - 1, 1, max - 1));
        _setHeld(1, maker, address(tokenA), max);
        uint256 half = (max - 1) / 2;
        // max * half / (max - 1) = half + 1/2, rounded down: half (no overflow on the way).
        assertEq(multi.quoteFill(address(this), 1, half), half);
        (, Transfer[] memory transfers) = _fill(1, half);
        assertEq(transfers[1].amount, half);
    }

    function test_TakerDataOfAnotherLengthRevertsInvalidTakerData() public {
        _create(1, 400);
        uint256[6] memory lengths = [uint256(0), 31, 33, 63, 65, 96];
        for (uint256 i; i < lengths.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentInvalidTakerData.selector, lengths[i]));
            multi.engageIssuance(1, taker, new bytes(lengths[i]));
        }
    }

    function test_TheMakerCannotFillItsOwnIssuance() public {
        _create(1, 400);
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentMakerCannotEngage.selector, maker));
        multi.engageIssuance(1, maker, abi.encode(uint256(30)));
    }

    function test_AFillAtOrAfterTheDueTimeRevertsIssuanceDue() public {
        _create(1, 400);
        vm.warp(DUE_AT);
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentIssuanceDue.selector, 1, DUE_AT));
        _fill(1, 30);
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentIssuanceDue.selector, 1, DUE_AT));
        multi.quoteFill(address(this), 1, 30);
        vm.warp(DUE_AT + DAY);
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentIssuanceDue.selector, 1, DUE_AT));
        _fill(1, 30);
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentIssuanceDue.selector, 1, DUE_AT));
        multi.quoteFill(address(this), 1, 30);
        vm.warp(DUE_AT - 1);
        assertEq(multi.quoteFill(address(this), 1, 30), 40);
        _fill(1, 30);
    }

    function test_AFillAfterTheIssuanceEndedRevertsWrongState() public {
        _create(1, 400);
        multi.processEvent(1, 0, maker, CANCEL_ISSUANCE, "");
        _create(2, 400);
        vm.warp(DUE_AT);
        multi.processEvent(2, 0, stranger, ISSUANCE_DUE, "");
        vm.warp(START);
        multi.createIssuance(3, maker, _terms(address(tokenA), address(tokenB), 400, 300, 1, 300));
        _setHeld(3, maker, address(tokenA), 400);
        _fill(3, 300);
        uint8[3] memory ended = [
            uint8(MultiSwapState.Cancelled),
            uint8(MultiSwapState.Expired),
            uint8(MultiSwapState.Complete)
        ];
        for (uint256 id = 1; id <= 3; ++id) {
            vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentWrongState.selector, id, ended[id - 1]));
            _fill(id, 30);
            vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentWrongState.selector, id, ended[id - 1]));
            multi.quoteFill(address(this), id, 30);
        }
    }

    function test_AnIssuanceTheCallingManagerNeverCreatedRevertsUnknownIssuance() public {
        _create(1, 400);
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownIssuance.selector, 2));
        _fill(2, 30);
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownIssuance.selector, 2));
        multi.quoteFill(address(this), 2, 30);
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownIssuance.selector, 1));
        multi.quoteFill(stranger, 1, 30);
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownIssuance.selector, 1));
        vm.prank(stranger);
        multi.engageIssuance(1, taker, abi.encode(uint256(30)));
    }

    function test_AnInputThatNeverArrivedRefusesFillsAndQuotesAndTheMakerCanStillCancel() public {
        _create(1, 0);
        vm.expectRevert(abi.encodeWithSelector(IMultiSwap.MultiSwapNoInput.selector, 1));
        _fill(1, 30);
        vm.expectRevert(abi.encodeWithSelector(IMultiSwap.MultiSwapNoInput.selector, 1));
        multi.quoteFill(address(this), 1, 30);
        Transfer[] memory transfers = multi.processEvent(1, 0, maker, CANCEL_ISSUANCE, "");
        _assertGiveBack(transfers[0], address(tokenA), maker);
    }

    // ------------------------------------------------------------------------------- quotes

    function test_TheQuoteIsWhatTheFillPaysAndChangesNothing() public {
        _create(1, 396);
        vm.prank(stranger);
        assertEq(multi.quoteFill(address(this), 1, 120), 158); // 396 * 120 / 300 = 158.4
        assertEq(_get(1).inputBasis, 0);
        assertEq(_get(1).remainingOutput, 300);
        (, Transfer[] memory transfers) = _fill(1, 120);
        assertEq(transfers[1].amount, 158);
        // After the first fill the basis is fixed, whatever the escrow holds.
        _setHeld(1, maker, address(tokenA), 1);
        assertEq(multi.quoteFill(address(this), 1, 150), 198);
    }

    function test_AQuoteOutsideTheFillLimitsRevertsLikeTheFill() public {
        _create(1, 400);
        vm.expectRevert(abi.encodeWithSelector(IMultiSwap.MultiSwapFillBelowMinimum.selector, 29, 30, 300));
        multi.quoteFill(address(this), 1, 29);
        vm.expectRevert(abi.encodeWithSelector(IMultiSwap.MultiSwapFillAboveMaximum.selector, 151, 150));
        multi.quoteFill(address(this), 1, 151);
        vm.expectRevert(abi.encodeWithSelector(IMultiSwap.MultiSwapFillAboveRemaining.selector, 301, 300));
        multi.quoteFill(address(this), 1, 301);
        assertEq(multi.quoteFill(address(this), 1, 30), 40);
        assertEq(multi.quoteFill(address(this), 1, 150), 200);
    }

    function test_AQuoteForAnotherManagerReadsThatManagersIssuanceAndEscrow() public {
        OtherManager other = new OtherManager(stranger);
        other.call(
            address(multi),
            abi.encodeCall(
                IInstrument.createIssuance,
                (1, maker, _terms(address(tokenB), address(tokenA), 100, 50, 1, 50))
            )
        );
        other.setHeld(maker, address(tokenB), 90);
        _create(1, 400);
        assertEq(multi.quoteFill(address(other), 1, 10), 18); // 90 * 10 / 50
        assertEq(multi.quoteFill(address(this), 1, 30), 40);
    }

    // ------------------------------------------------------------------------------- events

    function test_TheMakerCancelsAfterFillsAndGetsTheRestBack() public {
        _create(1, 400);
        _fill(1, 120);
        vm.expectEmit(address(multi));
        emit IMultiSwap.MultiSwapStateChanged(address(this), 1, MultiSwapState.Cancelled);
        Transfer[] memory transfers = multi.processEvent(1, 0, maker, CANCEL_ISSUANCE, "");
        assertEq(transfers.length, 1);
        _assertGiveBack(transfers[0], address(tokenA), maker);
        assertEq(_state(1), uint8(MultiSwapState.Cancelled));
        assertEq(_get(1).fillCount, 1);
    }

    function test_AnyoneButTheMakerCancellingRevertsWrongCaller() public {
        _create(1, 400);
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentWrongCaller.selector, taker, maker));
        multi.processEvent(1, 0, taker, CANCEL_ISSUANCE, "");
    }

    function test_CancellingAnIssuanceThatEndedRevertsWrongState() public {
        _create(1, 400);
        vm.warp(DUE_AT);
        multi.processEvent(1, 0, stranger, ISSUANCE_DUE, "");
        vm.expectRevert(
            abi.encodeWithSelector(IInstrument.InstrumentWrongState.selector, 1, uint8(MultiSwapState.Expired))
        );
        multi.processEvent(1, 0, maker, CANCEL_ISSUANCE, "");
    }

    function test_IssuanceDueBeforeTheDueTimeChangesNothingThenClosesItOnce() public {
        _create(1, 400);
        _fill(1, 120);
        vm.warp(DUE_AT - 1);
        vm.recordLogs();
        assertEq(multi.processEvent(1, 0, stranger, ISSUANCE_DUE, "").length, 0);
        assertEq(vm.getRecordedLogs().length, 0);
        assertEq(_state(1), uint8(MultiSwapState.Engageable));
        vm.warp(DUE_AT);
        vm.expectEmit(address(multi));
        emit IMultiSwap.MultiSwapStateChanged(address(this), 1, MultiSwapState.Expired);
        Transfer[] memory transfers = multi.processEvent(1, 0, stranger, ISSUANCE_DUE, "");
        assertEq(transfers.length, 1);
        _assertGiveBack(transfers[0], address(tokenA), maker);
        assertEq(_state(1), uint8(MultiSwapState.Expired));
        assertEq(multi.processEvent(1, 0, stranger, ISSUANCE_DUE, "").length, 0);
        assertEq(_state(1), uint8(MultiSwapState.Expired));
    }

    function test_IssuanceDueAfterCompletionChangesNothing() public {
        multi.createIssuance(1, maker, _terms(address(tokenA), address(tokenB), 400, 300, 1, 300));
        _setHeld(1, maker, address(tokenA), 400);
        _fill(1, 300);
        vm.warp(DUE_AT + 1);
        assertEq(multi.processEvent(1, 0, stranger, ISSUANCE_DUE, "").length, 0);
        assertEq(_state(1), uint8(MultiSwapState.Complete));
    }

    function test_EventRefusals() public {
        _create(1, 400);
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownEvent.selector, bytes32("repay_full")));
        multi.processEvent(1, 0, maker, "repay_full", "");
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownEngagement.selector, 1, 1));
        multi.processEvent(1, 1, maker, CANCEL_ISSUANCE, "");
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownEngagement.selector, 1, 1));
        multi.processEvent(1, 1, maker, ISSUANCE_DUE, "");
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentInvalidEventData.selector, 1));
        multi.processEvent(1, 0, maker, CANCEL_ISSUANCE, hex"01");
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownIssuance.selector, 2));
        multi.processEvent(2, 0, maker, ISSUANCE_DUE, "");
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownIssuance.selector, 2));
        multi.processEvent(2, 0, maker, CANCEL_ISSUANCE, "");
    }
}
