// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IEscrow} from "../../interfaces/IEscrow.sol";
import {IInstrument, Transfer, TransferKind, WHOLE_BALANCE} from "../../interfaces/IInstrument.sol";
import {IInstrumentManager} from "../../interfaces/IInstrumentManager.sol";
import {IMultiSwap, MultiSwapIssuance, MultiSwapState, MultiSwapTerms} from "../../interfaces/IMultiSwap.sol";
import {Assets} from "../libraries/Assets.sol";
import {DurationBounded} from "./DurationBounded.sol";

/// @title MultiSwap
/// @notice The MultiSwap instrument (see IMultiSwap). It keeps each domain's issuances and bounds
/// apart, keyed by the calling manager, and answers the manager with transfers; it never holds or
/// moves assets.
contract MultiSwap is IMultiSwap, DurationBounded {
    /// @notice The event with which the maker cancels an engageable issuance.
    bytes32 public constant CANCEL_ISSUANCE = "cancel_issuance";
    /// @notice The event with which anyone closes an engageable issuance from its due time on.
    bytes32 public constant ISSUANCE_DUE = "issuance_due";
    /// @dev The length of the maker data: seven 32-byte words.
    uint256 private constant _MAKER_DATA_LENGTH = 224;
    /// @dev The length of the taker data: one 32-byte word.
    uint256 private constant _TAKER_DATA_LENGTH = 32;

    mapping(address manager => mapping(uint256 issuanceId => MultiSwapIssuance)) private _issuances;

    // ------------------------------------------------------------------------------- issuances

    /// @inheritdoc IMultiSwap
    function quoteFill(address manager, uint256 issuanceId, uint256 fillOutput) external view returns (uint256) {
        MultiSwapIssuance storage issuance = _fillable(manager, issuanceId);
        _outputLeftAfter(issuance, fillOutput);
        uint256 basis = issuance.inputBasis;
        if (basis == 0) basis = _basisBeforeFirstFill(manager, issuance, issuanceId);
        return _share(issuance, basis, fillOutput);
    }

    /// @inheritdoc IMultiSwap
    function getIssuance(address manager, uint256 issuanceId) external view returns (MultiSwapIssuance memory) {
        return _issuances[manager][issuanceId];
    }

    /// @inheritdoc IInstrument
    function createIssuance(
        uint256 issuanceId,
        address maker,
        bytes calldata makerData
    ) external returns (Transfer[] memory transfers) {
        if (makerData.length != _MAKER_DATA_LENGTH) revert MultiSwapInvalidMakerData(makerData.length);
        MultiSwapTerms memory terms = abi.decode(makerData, (MultiSwapTerms));
        _requireValidTerms(terms);

        MultiSwapIssuance storage issuance = _issuances[msg.sender][issuanceId];
        if (issuance.state != MultiSwapState.None) revert MultiSwapIssuanceExists(issuanceId);
        uint64 dueTime = uint64(block.timestamp + terms.duration);
        issuance.maker = maker;
        issuance.dueTime = dueTime;
        issuance.inputToken = terms.inputToken;
        issuance.outputToken = terms.outputToken;
        issuance.inputAmount = terms.inputAmount;
        issuance.outputAmount = terms.outputAmount;
        issuance.minFillOutput = terms.minFillOutput;
        issuance.maxFillOutput = terms.maxFillOutput;
        issuance.remainingOutput = terms.outputAmount;
        _emitCreated(issuanceId, maker, terms, dueTime);
        _setState(issuance, issuanceId, MultiSwapState.Engageable);

        // The maker commits the input: from its Instrument Escrow account to its account in
        // this issuance's escrow.
        transfers = new Transfer[](1);
        transfers[0] = Transfer(TransferKind.Inbound, terms.inputToken, maker, maker, terms.inputAmount);
    }

    /// @inheritdoc IInstrument
    function engageIssuance(
        uint256 issuanceId,
        address taker,
        bytes calldata takerData
    ) external returns (uint256 engagementId, Transfer[] memory transfers) {
        if (takerData.length != _TAKER_DATA_LENGTH) revert MultiSwapInvalidTakerData(takerData.length);
        uint256 fillOutput = abi.decode(takerData, (uint256));
        MultiSwapIssuance storage issuance = _fillable(msg.sender, issuanceId);
        address maker = issuance.maker;
        if (taker == maker) revert MultiSwapMakerCannotEngage(maker);

        uint256 remainingOutput = _outputLeftAfter(issuance, fillOutput);
        uint256 basis = issuance.inputBasis;
        if (basis == 0) {
            basis = _basisBeforeFirstFill(msg.sender, issuance, issuanceId);
            issuance.inputBasis = basis;
        }
        uint256 inputPaid = _share(issuance, basis, fillOutput);
        issuance.remainingOutput = remainingOutput;
        engagementId = ++issuance.fillCount;
        emit MultiSwapFilled(msg.sender, issuanceId, engagementId, taker, fillOutput, inputPaid);

        // The taker pays its output to the maker inside the Instrument Escrow, and receives its
        // share of the input that the issuance escrow holds for the maker. The last fill also
        // gives the maker back what rounding left.
        transfers = new Transfer[](remainingOutput == 0 ? 3 : 2);
        transfers[0] = Transfer(TransferKind.IntraInstrument, issuance.outputToken, taker, maker, fillOutput);
        transfers[1] = Transfer(TransferKind.Outbound, issuance.inputToken, maker, taker, inputPaid);
        if (remainingOutput == 0) {
            _setState(issuance, issuanceId, MultiSwapState.Complete);
            transfers[2] = _returnInputToMaker(issuance);
        }
    }

    /// @inheritdoc IInstrument
    function processEvent(
        uint256 issuanceId,
        uint256 engagementId,
        address caller,
        bytes32 eventName,
        bytes calldata eventData
    ) external returns (Transfer[] memory transfers) {
        if (engagementId != 0) revert MultiSwapInvalidEngagement(engagementId);
        if (eventData.length != 0) revert MultiSwapInvalidEventData(eventData.length);
        if (eventName == CANCEL_ISSUANCE) {
            MultiSwapIssuance storage issuance = _engageable(msg.sender, issuanceId);
            if (caller != issuance.maker) revert MultiSwapNotMaker(caller, issuance.maker);
            return _close(issuanceId, issuance, MultiSwapState.Cancelled);
        }
        if (eventName == ISSUANCE_DUE) {
            MultiSwapIssuance storage issuance = _existing(msg.sender, issuanceId);
            // A timed event may be sent by anyone, any number of times: early, or once the
            // issuance is no longer engageable, it changes nothing.
            if (issuance.state != MultiSwapState.Engageable || block.timestamp < issuance.dueTime) return transfers;
            return _close(issuanceId, issuance, MultiSwapState.Expired);
        }
        revert MultiSwapUnknownEvent(eventName);
    }

    // ------------------------------------------------------------------------------- internals

    /// @dev Reverts unless `terms` are valid maker terms for the calling manager's domain.
    function _requireValidTerms(MultiSwapTerms memory terms) private view {
        _requireDurationInBounds(terms.duration);
        _requireAsset(terms.inputToken);
        _requireAsset(terms.outputToken);
        if (terms.inputToken == terms.outputToken) revert MultiSwapSameToken(terms.inputToken);
        if (terms.inputAmount == 0 || terms.outputAmount == 0) revert MultiSwapZeroAmount();
        if (
            terms.minFillOutput == 0 ||
            terms.minFillOutput > terms.maxFillOutput ||
            terms.maxFillOutput > terms.outputAmount
        ) revert MultiSwapInvalidFillLimits(terms.minFillOutput, terms.maxFillOutput, terms.outputAmount);
    }

    /// @dev Reverts unless the issuance accepts a fill of `fillOutput`; returns the output left
    /// after it.
    function _outputLeftAfter(MultiSwapIssuance storage issuance, uint256 fillOutput) private view returns (uint256) {
        uint256 remainingOutput = issuance.remainingOutput;
        if (fillOutput > remainingOutput) revert MultiSwapFillAboveRemaining(fillOutput, remainingOutput);
        if (fillOutput > issuance.maxFillOutput) revert MultiSwapFillAboveMaximum(fillOutput, issuance.maxFillOutput);
        // The exact tail is accepted however small, so that the issuance can always complete.
        if (fillOutput < issuance.minFillOutput && fillOutput != remainingOutput) {
            revert MultiSwapFillBelowMinimum(fillOutput, issuance.minFillOutput, remainingOutput);
        }
        return remainingOutput - fillOutput;
    }

    /// @dev What the issuance escrow holds for the maker before the first fill: the input that
    /// actually arrived, which becomes the basis the fills are priced against, fixed after it.
    /// Reverts when nothing arrived (a token that took it all on the way), as every fill would
    /// then pay nothing; the maker can still cancel, and anyone close at the due time.
    function _basisBeforeFirstFill(
        address manager,
        MultiSwapIssuance storage issuance,
        uint256 issuanceId
    ) private view returns (uint256 basis) {
        IEscrow escrow = IEscrow(IInstrumentManager(manager).getIssuanceEscrow(issuanceId));
        basis = escrow.getTokenBalance(issuance.maker, issuance.inputToken);
        if (basis == 0) revert MultiSwapNoInput(issuanceId);
    }

    /// @dev A fill's pro-rata share of the input `basis`, rounded down.
    function _share(
        MultiSwapIssuance storage issuance,
        uint256 basis,
        uint256 fillOutput
    ) private view returns (uint256) {
        return Math.mulDiv(basis, fillOutput, issuance.outputAmount);
    }

    /// @dev Ends an engageable issuance and gives the input still held back to the maker.
    function _close(
        uint256 issuanceId,
        MultiSwapIssuance storage issuance,
        MultiSwapState state
    ) private returns (Transfer[] memory transfers) {
        _setState(issuance, issuanceId, state);
        transfers = new Transfer[](1);
        transfers[0] = _returnInputToMaker(issuance);
    }

    /// @dev All the input the issuance escrow still holds for the maker, to the maker's Instrument
    /// Escrow account.
    function _returnInputToMaker(MultiSwapIssuance storage issuance) private view returns (Transfer memory) {
        return Transfer(TransferKind.Outbound, issuance.inputToken, issuance.maker, issuance.maker, WHOLE_BALANCE);
    }

    /// @dev Issuance `issuanceId` of `manager`; reverts unless it exists.
    function _existing(address manager, uint256 issuanceId) private view returns (MultiSwapIssuance storage issuance) {
        issuance = _issuances[manager][issuanceId];
        if (issuance.state == MultiSwapState.None) revert MultiSwapUnknownIssuance(issuanceId);
    }

    /// @dev Issuance `issuanceId` of `manager`; reverts unless it is engageable.
    function _engageable(
        address manager,
        uint256 issuanceId
    ) private view returns (MultiSwapIssuance storage issuance) {
        issuance = _existing(manager, issuanceId);
        if (issuance.state != MultiSwapState.Engageable) revert MultiSwapNotEngageable(issuanceId, issuance.state);
    }

    /// @dev Issuance `issuanceId` of `manager`; reverts unless it is engageable and not yet due.
    function _fillable(address manager, uint256 issuanceId) private view returns (MultiSwapIssuance storage issuance) {
        issuance = _engageable(manager, issuanceId);
        if (block.timestamp >= issuance.dueTime) revert MultiSwapIssuanceDue(issuanceId, issuance.dueTime);
    }

    function _setState(MultiSwapIssuance storage issuance, uint256 issuanceId, MultiSwapState state) private {
        issuance.state = state;
        emit MultiSwapStateChanged(msg.sender, issuanceId, state);
    }

    function _emitCreated(uint256 issuanceId, address maker, MultiSwapTerms memory terms, uint64 dueTime) private {
        emit MultiSwapCreated(
            msg.sender,
            issuanceId,
            maker,
            terms.inputToken,
            terms.outputToken,
            terms.inputAmount,
            terms.outputAmount,
            terms.minFillOutput,
            terms.maxFillOutput,
            dueTime
        );
    }

    function _requireAsset(address token) private view {
        if (!Assets.isAsset(token)) revert MultiSwapInvalidToken(token);
    }
}
