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
import {ISwap, SwapIssuance, SwapState} from "../../../interfaces/ISwap.sol";
import {InstrumentHarness, OtherManager} from "./InstrumentHarness.sol";

/// @notice The Swap instrument, with this test contract as its manager: the terms it records, the
/// transfers it answers with (the maker's commitment; the taker's payment and the release of the
/// input to the taker with a minimum credit of at least one unit and the taker's own minimum;
/// the input back to the maker on cancel and at the due time), its events, every refusal with its
/// exact error, and the timing of engagement and `issuance_due` on both sides of the due time.
/// Ported from tests/unit/Swap.
contract SwapTest is InstrumentHarness {
    ISwap internal swap;

    function setUp() public {
        _deployTokens();
        swap = ISwap(deployCode("Swap.sol:Swap"));
        vm.warp(START);
    }

    function _terms(
        uint256 duration,
        address input,
        address output,
        uint256 inputAmount,
        uint256 outputAmount
    ) internal pure returns (bytes memory) {
        return abi.encode(duration, input, output, inputAmount, outputAmount);
    }

    /// @dev Swap 1: maker offers 400 tokenA for 300 tokenB for an hour.
    function _create() internal returns (Transfer[] memory) {
        return swap.createIssuance(1, maker, _terms(HOUR, address(tokenA), address(tokenB), 400, 300));
    }

    function _state(uint256 id) internal view returns (uint8) {
        return uint8(swap.getIssuance(address(this), id).state);
    }

    // ------------------------------------------------------------------------------- create

    function test_CreatingRecordsTheTermsAndCommitsTheInput() public {
        vm.expectEmit(address(swap));
        emit ISwap.SwapCreated(address(this), 1, maker, address(tokenA), address(tokenB), 400, 300, DUE_AT);
        vm.expectEmit(address(swap));
        emit ISwap.SwapStateChanged(address(this), 1, SwapState.Engageable);
        Transfer[] memory transfers = _create();
        assertEq(transfers.length, 1);
        _assertCommit(transfers[0], address(tokenA), maker, 400);
        SwapIssuance memory issuance = swap.getIssuance(address(this), 1);
        assertEq(issuance.maker, maker);
        assertEq(issuance.dueTime, DUE_AT);
        assertEq(uint8(issuance.state), uint8(SwapState.Engageable));
        assertEq(issuance.inputToken, address(tokenA));
        assertEq(issuance.outputToken, address(tokenB));
        assertEq(issuance.inputAmount, 400);
        assertEq(issuance.outputAmount, 300);
        // Another manager's namespace has no swap 1.
        assertEq(swap.getIssuance(stranger, 1).maker, address(0));
    }

    function test_EthIsAnAssetOnEitherSide() public {
        Transfer[] memory transfers = swap.createIssuance(1, maker, _terms(HOUR, NATIVE_ETH, address(tokenB), 5, 7));
        _assertCommit(transfers[0], NATIVE_ETH, maker, 5);
        swap.createIssuance(2, maker, _terms(HOUR, address(tokenB), NATIVE_ETH, 5, 7));
        assertEq(swap.getIssuance(address(this), 2).outputToken, NATIVE_ETH);
    }

    function test_SwapsOfTwoDomainsAreKeptApart() public {
        OtherManager other = new OtherManager(stranger);
        _create();
        other.call(
            address(swap),
            abi.encodeCall(
                IInstrument.createIssuance,
                (1, stranger, _terms(2 * HOUR, NATIVE_ETH, address(tokenA), 1, 2))
            )
        );
        assertEq(swap.getIssuance(address(this), 1).maker, maker);
        assertEq(swap.getIssuance(address(this), 1).inputAmount, 400);
        assertEq(swap.getIssuance(address(other), 1).maker, stranger);
        assertEq(swap.getIssuance(address(other), 1).inputAmount, 1);
        // Engaging one leaves the other engageable.
        swap.engageIssuance(1, taker, "");
        assertEq(uint8(swap.getIssuance(address(other), 1).state), uint8(SwapState.Engageable));
    }

    function test_AnIdAlreadyUsedRevertsIssuanceExists() public {
        _create();
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentIssuanceExists.selector, 1));
        _create();
        swap.processEvent(1, 0, maker, CANCEL_ISSUANCE, "");
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentIssuanceExists.selector, 1));
        _create();
    }

    function test_MakerDataOfAnotherLengthRevertsInvalidMakerData() public {
        bytes memory good = _terms(HOUR, address(tokenA), address(tokenB), 400, 300);
        uint256[5] memory lengths = [uint256(0), 32, 159, 161, 192];
        for (uint256 i; i < lengths.length; ++i) {
            bytes memory data = new bytes(lengths[i]);
            for (uint256 j; j < data.length && j < good.length; ++j) data[j] = good[j];
            vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentInvalidMakerData.selector, lengths[i]));
            swap.createIssuance(1, maker, data);
        }
    }

    function test_ATokenWithoutCodeRevertsInvalidToken() public {
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentInvalidToken.selector, stranger));
        swap.createIssuance(1, maker, _terms(HOUR, stranger, address(tokenB), 1, 1));
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentInvalidToken.selector, stranger));
        swap.createIssuance(1, maker, _terms(HOUR, address(tokenA), stranger, 1, 1));
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentInvalidToken.selector, address(0)));
        swap.createIssuance(1, maker, _terms(HOUR, address(tokenA), address(0), 1, 1));
    }

    function test_TheSameTokenOnBothSidesRevertsSameToken() public {
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentSameToken.selector, address(tokenA)));
        swap.createIssuance(1, maker, _terms(HOUR, address(tokenA), address(tokenA), 1, 1));
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentSameToken.selector, NATIVE_ETH));
        swap.createIssuance(1, maker, _terms(HOUR, NATIVE_ETH, NATIVE_ETH, 1, 1));
    }

    function test_AZeroAmountOnEitherSideRevertsZeroAmount() public {
        vm.expectRevert(IInstrument.InstrumentZeroAmount.selector);
        swap.createIssuance(1, maker, _terms(HOUR, address(tokenA), address(tokenB), 0, 1));
        vm.expectRevert(IInstrument.InstrumentZeroAmount.selector);
        swap.createIssuance(1, maker, _terms(HOUR, address(tokenA), address(tokenB), 1, 0));
        // One unit on each side is enough.
        swap.createIssuance(1, maker, _terms(HOUR, address(tokenA), address(tokenB), 1, 1));
    }

    function test_ADueTimePast32BitsIsKeptWhole() public {
        uint256 late = uint256(type(uint32).max) + 1;
        vm.warp(late);
        _create();
        assertEq(swap.getIssuance(address(this), 1).dueTime, late + HOUR);
        vm.warp(late + HOUR - 1);
        swap.engageIssuance(1, taker, "");
    }

    // ------------------------------------------------------------------------------- engage

    function test_EngagingPaysTheMakerAndReleasesTheInputToTheTakerForSomething() public {
        _create();
        vm.warp(DUE_AT - 1);
        vm.expectEmit(address(swap));
        emit ISwap.SwapStateChanged(address(this), 1, SwapState.CompleteEngaged);
        (uint256 engagementId, Transfer[] memory transfers) = swap.engageIssuance(1, taker, "");
        assertEq(engagementId, 1);
        assertEq(transfers.length, 2);
        _assertTransfer(transfers[0], TransferKind.IntraInstrument, address(tokenB), taker, maker, 300, 300);
        _assertTransfer(transfers[1], TransferKind.Outbound, address(tokenA), maker, taker, WHOLE_BALANCE, 1);
        assertEq(_state(1), uint8(SwapState.CompleteEngaged));
        assertEq(swap.getIssuance(address(this), 1).dueTime, DUE_AT);
    }

    function test_TheTakersMinimumIsTheMinimumCreditAndNeverLessThanOne() public {
        uint256[5] memory stated = [uint256(0), 1, 2, 400, type(uint256).max];
        uint256[5] memory minimum = [uint256(1), 1, 2, 400, type(uint256).max];
        for (uint256 i; i < stated.length; ++i) {
            swap.createIssuance(i + 1, maker, _terms(HOUR, address(tokenA), address(tokenB), 400, 300));
            (, Transfer[] memory transfers) = swap.engageIssuance(i + 1, taker, abi.encode(stated[i]));
            assertEq(transfers[1].minimum, minimum[i]);
            assertEq(transfers[0].minimum, 300);
        }
    }

    function test_TakerDataOfAnotherLengthRevertsInvalidTakerData() public {
        _create();
        uint256[4] memory lengths = [uint256(1), 31, 33, 64];
        for (uint256 i; i < lengths.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentInvalidTakerData.selector, lengths[i]));
            swap.engageIssuance(1, taker, new bytes(lengths[i]));
        }
        assertEq(_state(1), uint8(SwapState.Engageable));
    }

    function test_EngagingAtOrAfterTheDueTimeRevertsIssuanceDue() public {
        _create();
        vm.warp(DUE_AT);
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentIssuanceDue.selector, 1, DUE_AT));
        swap.engageIssuance(1, taker, "");
        vm.warp(DUE_AT + DAY);
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentIssuanceDue.selector, 1, DUE_AT));
        swap.engageIssuance(1, taker, "");
        assertEq(_state(1), uint8(SwapState.Engageable));
    }

    function test_TheMakerCannotEngageItsOwnSwap() public {
        _create();
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentMakerCannotEngage.selector, maker));
        swap.engageIssuance(1, maker, "");
        assertEq(_state(1), uint8(SwapState.Engageable));
    }

    function test_ASwapIsEngagedOnlyOnce() public {
        _create();
        swap.engageIssuance(1, taker, "");
        vm.expectRevert(
            abi.encodeWithSelector(IInstrument.InstrumentWrongState.selector, 1, uint8(SwapState.CompleteEngaged))
        );
        swap.engageIssuance(1, stranger, "");
    }

    function test_EngagingAnEndedSwapRevertsWrongState() public {
        _create();
        swap.processEvent(1, 0, maker, CANCEL_ISSUANCE, "");
        vm.expectRevert(
            abi.encodeWithSelector(IInstrument.InstrumentWrongState.selector, 1, uint8(SwapState.Cancelled))
        );
        swap.engageIssuance(1, taker, "");
    }

    function test_EngagingASwapTheCallingManagerNeverCreatedRevertsUnknownIssuance() public {
        _create();
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownIssuance.selector, 2));
        swap.engageIssuance(2, taker, "");
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownIssuance.selector, 1));
        vm.prank(stranger);
        swap.engageIssuance(1, taker, "");
    }

    // ------------------------------------------------------------------------------- cancel

    function test_TheMakerCancelsAnEngageableSwapAndGetsTheInputBack() public {
        _create();
        vm.expectEmit(address(swap));
        emit ISwap.SwapStateChanged(address(this), 1, SwapState.Cancelled);
        Transfer[] memory transfers = swap.processEvent(1, 0, maker, CANCEL_ISSUANCE, "");
        assertEq(transfers.length, 1);
        _assertGiveBack(transfers[0], address(tokenA), maker);
        assertEq(_state(1), uint8(SwapState.Cancelled));
    }

    function test_TheMakerMayCancelAfterTheDueTimeUntilSomeoneClosesIt() public {
        _create();
        vm.warp(DUE_AT + DAY);
        Transfer[] memory transfers = swap.processEvent(1, 0, maker, CANCEL_ISSUANCE, "");
        _assertGiveBack(transfers[0], address(tokenA), maker);
        assertEq(_state(1), uint8(SwapState.Cancelled));
    }

    function test_AnyoneButTheMakerCancellingRevertsWrongCaller() public {
        _create();
        address[2] memory callers = [taker, address(this)];
        for (uint256 i; i < callers.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentWrongCaller.selector, callers[i], maker));
            swap.processEvent(1, 0, callers[i], CANCEL_ISSUANCE, "");
        }
        assertEq(_state(1), uint8(SwapState.Engageable));
    }

    function test_CancellingASwapNoLongerEngageableRevertsWrongState() public {
        _create();
        swap.engageIssuance(1, taker, "");
        vm.expectRevert(
            abi.encodeWithSelector(IInstrument.InstrumentWrongState.selector, 1, uint8(SwapState.CompleteEngaged))
        );
        swap.processEvent(1, 0, maker, CANCEL_ISSUANCE, "");

        swap.createIssuance(2, maker, _terms(HOUR, address(tokenA), address(tokenB), 4, 3));
        swap.processEvent(2, 0, maker, CANCEL_ISSUANCE, "");
        vm.expectRevert(
            abi.encodeWithSelector(IInstrument.InstrumentWrongState.selector, 2, uint8(SwapState.Cancelled))
        );
        swap.processEvent(2, 0, maker, CANCEL_ISSUANCE, "");

        swap.createIssuance(3, maker, _terms(HOUR, address(tokenA), address(tokenB), 4, 3));
        vm.warp(DUE_AT);
        swap.processEvent(3, 0, stranger, ISSUANCE_DUE, "");
        vm.expectRevert(
            abi.encodeWithSelector(IInstrument.InstrumentWrongState.selector, 3, uint8(SwapState.CompleteNotEngaged))
        );
        swap.processEvent(3, 0, maker, CANCEL_ISSUANCE, "");
    }

    // ------------------------------------------------------------------------------- due

    function test_IssuanceDueBeforeTheDueTimeChangesNothing() public {
        _create();
        vm.warp(DUE_AT - 1);
        vm.recordLogs();
        Transfer[] memory transfers = swap.processEvent(1, 0, stranger, ISSUANCE_DUE, "");
        assertEq(transfers.length, 0);
        assertEq(vm.getRecordedLogs().length, 0);
        assertEq(_state(1), uint8(SwapState.Engageable));
        // ... and the swap can still be engaged.
        swap.engageIssuance(1, taker, "");
    }

    function test_IssuanceDueFromTheDueTimeReturnsTheInputToTheMakerOnce() public {
        _create();
        vm.warp(DUE_AT);
        vm.expectEmit(address(swap));
        emit ISwap.SwapStateChanged(address(this), 1, SwapState.CompleteNotEngaged);
        Transfer[] memory transfers = swap.processEvent(1, 0, stranger, ISSUANCE_DUE, "");
        assertEq(transfers.length, 1);
        _assertGiveBack(transfers[0], address(tokenA), maker);
        assertEq(_state(1), uint8(SwapState.CompleteNotEngaged));
        vm.recordLogs();
        transfers = swap.processEvent(1, 0, maker, ISSUANCE_DUE, "");
        assertEq(transfers.length, 0);
        assertEq(vm.getRecordedLogs().length, 0);
        assertEq(_state(1), uint8(SwapState.CompleteNotEngaged));
    }

    function test_IssuanceDueAfterTheSwapEndedChangesNothing() public {
        _create();
        swap.engageIssuance(1, taker, "");
        swap.createIssuance(2, maker, _terms(HOUR, address(tokenA), address(tokenB), 4, 3));
        swap.processEvent(2, 0, maker, CANCEL_ISSUANCE, "");
        vm.warp(DUE_AT + 1);
        assertEq(swap.processEvent(1, 0, stranger, ISSUANCE_DUE, "").length, 0);
        assertEq(swap.processEvent(2, 0, stranger, ISSUANCE_DUE, "").length, 0);
        assertEq(_state(1), uint8(SwapState.CompleteEngaged));
        assertEq(_state(2), uint8(SwapState.Cancelled));
    }

    // ------------------------------------------------------------------------------- events

    function test_AnUnknownEventRevertsUnknownEvent() public {
        _create();
        bytes32[3] memory names = [bytes32("engagement_due"), bytes32("repay_full"), bytes32(0)];
        for (uint256 i; i < names.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownEvent.selector, names[i]));
            swap.processEvent(1, 0, maker, names[i], "");
            // Whatever the issuance or the engagement.
            vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownEvent.selector, names[i]));
            swap.processEvent(9, 1, maker, names[i], "");
        }
    }

    function test_AnIssuanceEventNamingAnEngagementRevertsUnknownEngagement() public {
        _create();
        uint256[2] memory ids = [uint256(1), type(uint256).max];
        for (uint256 i; i < ids.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownEngagement.selector, 1, ids[i]));
            swap.processEvent(1, ids[i], maker, CANCEL_ISSUANCE, "");
            vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownEngagement.selector, 1, ids[i]));
            swap.processEvent(1, ids[i], maker, ISSUANCE_DUE, "");
        }
        assertEq(_state(1), uint8(SwapState.Engageable));
    }

    function test_AnEventWithDataRevertsInvalidEventData() public {
        _create();
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentInvalidEventData.selector, 1));
        swap.processEvent(1, 0, maker, CANCEL_ISSUANCE, hex"00");
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentInvalidEventData.selector, 32));
        swap.processEvent(1, 0, maker, ISSUANCE_DUE, new bytes(32));
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentInvalidEventData.selector, 2));
        swap.processEvent(1, 0, maker, "nonsense", new bytes(2));
        assertEq(_state(1), uint8(SwapState.Engageable));
    }

    function test_AnEventForASwapTheCallingManagerNeverCreatedRevertsUnknownIssuance() public {
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownIssuance.selector, 1));
        swap.processEvent(1, 0, maker, CANCEL_ISSUANCE, "");
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownIssuance.selector, 1));
        swap.processEvent(1, 0, maker, ISSUANCE_DUE, "");
        _create();
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownIssuance.selector, 1));
        swap.processEvent(1, 0, maker, ISSUANCE_DUE, "");
    }

    /// @dev Logs are recorded so that an unexpected state event would show.
    function test_CreatingEmitsExactlyTwoEvents() public {
        vm.recordLogs();
        _create();
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 2);
        assertEq(logs[0].topics[0], ISwap.SwapCreated.selector);
        assertEq(logs[1].topics[0], ISwap.SwapStateChanged.selector);
    }
}
