// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Transfer} from "../../interfaces/IInstrument.sol";
import {ISwap, SwapIssuance, SwapState, SwapTakerTerms, SwapTerms} from "../../interfaces/ISwap.sol";
import {DurationBounded} from "./DurationBounded.sol";
import {InstrumentCore} from "./InstrumentCore.sol";

/// @title Swap
/// @notice The Swap instrument (see ISwap). It keeps each domain's swaps and duration bounds apart,
/// keyed by the calling manager, and answers the manager with transfers; it never holds or moves
/// assets. The lifecycle checks are InstrumentCore's.
contract Swap is ISwap, InstrumentCore, DurationBounded {
    /// @dev The engagement id of the (only) engagement of a swap.
    uint256 private constant _ENGAGEMENT_ID = 1;
    /// @dev The maker data: five 32-byte words.
    uint256 private constant _MAKER_DATA_LENGTH = 160;
    /// @dev The taker data: empty, or the taker's minimum input received (one word).
    uint256 private constant _TAKER_DATA_LENGTH = 32;

    mapping(address manager => mapping(uint256 issuanceId => SwapIssuance)) private _issuances;

    /// @inheritdoc ISwap
    function getIssuance(address manager, uint256 issuanceId) external view returns (SwapIssuance memory) {
        return _issuances[manager][issuanceId];
    }

    /// @inheritdoc InstrumentCore
    function _header(address manager, uint256 issuanceId) internal view override returns (address, uint64, uint8) {
        SwapIssuance storage issuance = _issuances[manager][issuanceId];
        return (issuance.maker, issuance.dueTime, uint8(issuance.state));
    }

    /// @inheritdoc InstrumentCore
    function _create(
        uint256 issuanceId,
        address maker,
        bytes calldata makerData
    ) internal override returns (Transfer[] memory transfers) {
        SwapTerms memory terms = abi.decode(_makerData(makerData, _MAKER_DATA_LENGTH, _MAKER_DATA_LENGTH), (SwapTerms));
        _requireDurationInBounds(terms.duration);
        _requireTokenPair(terms.inputToken, terms.outputToken);
        if (terms.inputAmount == 0 || terms.outputAmount == 0) revert InstrumentZeroAmount();

        uint64 dueTime = uint64(block.timestamp + terms.duration);
        _issuances[msg.sender][issuanceId] = SwapIssuance({
            maker: maker,
            dueTime: dueTime,
            state: SwapState.Engageable,
            inputToken: terms.inputToken,
            outputToken: terms.outputToken,
            inputAmount: terms.inputAmount,
            outputAmount: terms.outputAmount
        });
        emit SwapCreated(
            msg.sender,
            issuanceId,
            maker,
            terms.inputToken,
            terms.outputToken,
            terms.inputAmount,
            terms.outputAmount,
            dueTime
        );
        emit SwapStateChanged(msg.sender, issuanceId, SwapState.Engageable);

        // The maker commits the input: from its Instrument Escrow account to its account in this
        // issuance's escrow. What arrives is what a taker will get.
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
        SwapTakerTerms memory taken = abi.decode(_takerData(takerData, 0, _TAKER_DATA_LENGTH), (SwapTakerTerms));
        SwapIssuance storage issuance = _issuances[msg.sender][issuanceId];
        _setState(issuance, issuanceId, SwapState.CompleteEngaged);

        // The taker pays the output to the maker inside the Instrument Escrow, and receives the
        // input that the issuance escrow holds for the maker: something, and at least its minimum.
        transfers = new Transfer[](2);
        transfers[0] = _pay(issuance.outputToken, taker, maker, issuance.outputAmount);
        transfers[1] = _release(issuance.inputToken, maker, taker, _paidFor(taken.minInputReceived));
        return (_ENGAGEMENT_ID, transfers);
    }

    /// @inheritdoc InstrumentCore
    function _end(uint256 issuanceId, bool cancelled) internal override returns (Transfer[] memory transfers) {
        SwapIssuance storage issuance = _issuances[msg.sender][issuanceId];
        _setState(issuance, issuanceId, cancelled ? SwapState.Cancelled : SwapState.CompleteNotEngaged);
        transfers = new Transfer[](1);
        transfers[0] = _release(issuance.inputToken, issuance.maker, issuance.maker, 0);
    }

    function _setState(SwapIssuance storage issuance, uint256 issuanceId, SwapState state) private {
        issuance.state = state;
        emit SwapStateChanged(msg.sender, issuanceId, state);
    }
}
