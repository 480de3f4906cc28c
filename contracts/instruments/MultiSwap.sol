// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {Transfer, TransferKind} from "../../interfaces/IInstrument.sol";
import {
    IMultiSwap,
    MultiSwapFillTerms,
    MultiSwapIssuance,
    MultiSwapState,
    MultiSwapTerms
} from "../../interfaces/IMultiSwap.sol";
import {DurationBounded} from "./DurationBounded.sol";
import {InstrumentCore} from "./InstrumentCore.sol";

/// @title MultiSwap
/// @notice The MultiSwap instrument (see IMultiSwap). It keeps each domain's issuances and bounds
/// apart, keyed by the calling manager, and answers the manager with transfers; it never holds or
/// moves assets. The lifecycle checks are InstrumentCore's.
contract MultiSwap is IMultiSwap, InstrumentCore, DurationBounded {
    /// @dev The maker data: seven 32-byte words.
    uint256 private constant _MAKER_DATA_LENGTH = 224;
    /// @dev The taker data: the fill's output (one word), optionally followed by the taker's
    /// minimum input received.
    uint256 private constant _SHORT_TAKER_DATA_LENGTH = 32;
    uint256 private constant _TAKER_DATA_LENGTH = 64;

    mapping(address manager => mapping(uint256 issuanceId => MultiSwapIssuance)) private _issuances;

    // ------------------------------------------------------------------------------- issuances

    /// @inheritdoc IMultiSwap
    function quoteFill(address manager, uint256 issuanceId, uint256 fillOutput) external view returns (uint256) {
        MultiSwapIssuance storage issuance = _issuances[manager][issuanceId];
        (address maker, uint64 dueTime, uint8 state) = _header(manager, issuanceId);
        _requireState(issuanceId, state, _ENGAGEABLE);
        if (block.timestamp >= dueTime) revert InstrumentIssuanceDue(issuanceId, dueTime);
        _outputLeftAfter(issuance, fillOutput);
        uint256 basis = issuance.inputBasis;
        if (basis == 0) basis = _basisBeforeFirstFill(manager, issuanceId, maker, issuance.inputToken);
        return _share(issuance, basis, fillOutput);
    }

    /// @inheritdoc IMultiSwap
    function getIssuance(address manager, uint256 issuanceId) external view returns (MultiSwapIssuance memory) {
        return _issuances[manager][issuanceId];
    }

    // ------------------------------------------------------------------------------- lifecycle

    /// @inheritdoc InstrumentCore
    function _header(address manager, uint256 issuanceId) internal view override returns (address, uint64, uint8) {
        MultiSwapIssuance storage issuance = _issuances[manager][issuanceId];
        return (issuance.maker, issuance.dueTime, uint8(issuance.state));
    }

    /// @inheritdoc InstrumentCore
    function _create(
        uint256 issuanceId,
        address maker,
        bytes calldata makerData
    ) internal override returns (Transfer[] memory transfers) {
        MultiSwapTerms memory terms = abi.decode(
            _makerData(makerData, _MAKER_DATA_LENGTH, _MAKER_DATA_LENGTH),
            (MultiSwapTerms)
        );
        _requireValidTerms(terms);

        MultiSwapIssuance storage issuance = _issuances[msg.sender][issuanceId];
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
        transfers[0] = _commit(terms.inputToken, maker, terms.inputAmount, 0);
    }

    /// @inheritdoc InstrumentCore
    function _engage(
        uint256 issuanceId,
        address maker,
        address taker,
        bytes calldata takerData
    ) internal override returns (uint256 engagementId, Transfer[] memory transfers) {
        MultiSwapFillTerms memory fill = abi.decode(
            _takerData(takerData, _SHORT_TAKER_DATA_LENGTH, _TAKER_DATA_LENGTH),
            (MultiSwapFillTerms)
        );
        MultiSwapIssuance storage issuance = _issuances[msg.sender][issuanceId];
        uint256 remainingOutput = _outputLeftAfter(issuance, fill.fillOutput);
        uint256 basis = issuance.inputBasis;
        if (basis == 0) {
            basis = _basisBeforeFirstFill(msg.sender, issuanceId, maker, issuance.inputToken);
            issuance.inputBasis = basis;
        }
        uint256 inputPaid = _share(issuance, basis, fill.fillOutput);
        issuance.remainingOutput = remainingOutput;
        engagementId = ++issuance.fillCount;
        emit MultiSwapFilled(msg.sender, issuanceId, engagementId, taker, fill.fillOutput, inputPaid);

        // The taker pays its output to the maker inside the Instrument Escrow, and receives its
        // share of the input that the issuance escrow holds for the maker: something, and at least
        // its minimum. The last fill also gives the maker back what rounding left.
        transfers = new Transfer[](remainingOutput == 0 ? 3 : 2);
        transfers[0] = _pay(issuance.outputToken, taker, maker, fill.fillOutput);
        transfers[1] = Transfer(
            TransferKind.Outbound,
            issuance.inputToken,
            maker,
            taker,
            inputPaid,
            _paidFor(fill.minInputReceived)
        );
        if (remainingOutput == 0) {
            _setState(issuance, issuanceId, MultiSwapState.Complete);
            transfers[2] = _release(issuance.inputToken, maker, maker, 0);
        }
    }

    /// @inheritdoc InstrumentCore
    function _end(uint256 issuanceId, bool cancelled) internal override returns (Transfer[] memory transfers) {
        MultiSwapIssuance storage issuance = _issuances[msg.sender][issuanceId];
        _setState(issuance, issuanceId, cancelled ? MultiSwapState.Cancelled : MultiSwapState.Expired);
        transfers = new Transfer[](1);
        transfers[0] = _release(issuance.inputToken, issuance.maker, issuance.maker, 0);
    }

    // ------------------------------------------------------------------------------- internals

    /// @dev Reverts unless `terms` are valid maker terms for the calling manager's domain.
    function _requireValidTerms(MultiSwapTerms memory terms) private view {
        _requireDurationInBounds(terms.duration);
        _requireTokenPair(terms.inputToken, terms.outputToken);
        if (terms.inputAmount == 0 || terms.outputAmount == 0) revert InstrumentZeroAmount();
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
        uint256 issuanceId,
        address maker,
        address inputToken
    ) private view returns (uint256 basis) {
        basis = _held(manager, issuanceId, maker, inputToken);
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
}
