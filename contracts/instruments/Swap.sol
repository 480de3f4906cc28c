// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IInstrument, Transfer, TransferKind, WHOLE_BALANCE} from "../../interfaces/IInstrument.sol";
import {ISwap, SwapIssuance, SwapState} from "../../interfaces/ISwap.sol";
import {Assets} from "../libraries/Assets.sol";
import {DurationBounded} from "./DurationBounded.sol";

/// @title Swap
/// @notice The Swap instrument (see ISwap). It keeps each domain's swaps and duration bounds apart,
/// keyed by the calling manager, and answers the manager with transfers; it never holds or moves
/// assets.
contract Swap is ISwap, DurationBounded {
    bytes32 public constant CANCEL_ISSUANCE = "cancel_issuance";
    bytes32 public constant ISSUANCE_DUE = "issuance_due";
    /// @dev The engagement id of the (only) engagement of a swap.
    uint256 private constant _ENGAGEMENT_ID = 1;
    /// @dev The length of the maker data: five 32-byte words.
    uint256 private constant _MAKER_DATA_LENGTH = 160;

    mapping(address manager => mapping(uint256 issuanceId => SwapIssuance)) private _issuances;

    /// @inheritdoc ISwap
    function getIssuance(address manager, uint256 issuanceId) external view returns (SwapIssuance memory) {
        return _issuances[manager][issuanceId];
    }

    /// @inheritdoc IInstrument
    function createIssuance(
        uint256 issuanceId,
        address maker,
        bytes calldata makerData
    ) external returns (Transfer[] memory transfers) {
        if (makerData.length != _MAKER_DATA_LENGTH) revert SwapInvalidMakerData(makerData.length);
        (uint256 duration, address inputToken, address outputToken, uint256 inputAmount, uint256 outputAmount) = abi
            .decode(makerData, (uint256, address, address, uint256, uint256));
        _requireDurationInBounds(duration);
        _requireAsset(inputToken);
        _requireAsset(outputToken);
        if (inputToken == outputToken) revert SwapSameToken(inputToken);
        if (inputAmount == 0 || outputAmount == 0) revert SwapZeroAmount();

        SwapIssuance storage issuance = _issuances[msg.sender][issuanceId];
        if (issuance.state != SwapState.None) revert SwapIssuanceExists(issuanceId);
        uint64 dueTime = uint64(block.timestamp + duration);
        _issuances[msg.sender][issuanceId] = SwapIssuance({
            maker: maker,
            dueTime: dueTime,
            state: SwapState.Engageable,
            inputToken: inputToken,
            outputToken: outputToken,
            inputAmount: inputAmount,
            outputAmount: outputAmount
        });
        emit SwapCreated(msg.sender, issuanceId, maker, inputToken, outputToken, inputAmount, outputAmount, dueTime);
        emit SwapStateChanged(msg.sender, issuanceId, SwapState.Engageable);

        // The maker commits the input: from its Instrument Escrow account to its account in
        // this issuance's escrow.
        transfers = new Transfer[](1);
        transfers[0] = Transfer(TransferKind.Inbound, inputToken, maker, maker, inputAmount);
    }

    /// @inheritdoc IInstrument
    function engageIssuance(
        uint256 issuanceId,
        address taker,
        bytes calldata takerData
    ) external returns (uint256 engagementId, Transfer[] memory transfers) {
        if (takerData.length != 0) revert SwapInvalidTakerData(takerData.length);
        SwapIssuance storage issuance = _engageable(issuanceId);
        if (block.timestamp >= issuance.dueTime) revert SwapIssuanceDue(issuanceId, issuance.dueTime);
        address maker = issuance.maker;
        if (taker == maker) revert SwapMakerCannotEngage(maker);
        _setState(issuance, issuanceId, SwapState.CompleteEngaged);

        // The taker pays the output to the maker inside the Instrument Escrow, and receives the
        // input that the issuance escrow holds for the maker.
        transfers = new Transfer[](2);
        transfers[0] = Transfer(
            TransferKind.IntraInstrument,
            issuance.outputToken,
            taker,
            maker,
            issuance.outputAmount
        );
        transfers[1] = _returnInput(issuance, taker);
        return (_ENGAGEMENT_ID, transfers);
    }

    /// @inheritdoc IInstrument
    function processEvent(
        uint256 issuanceId,
        uint256,
        address caller,
        bytes32 eventName,
        bytes calldata
    ) external returns (Transfer[] memory transfers) {
        if (eventName == CANCEL_ISSUANCE) {
            SwapIssuance storage issuance = _engageable(issuanceId);
            if (caller != issuance.maker) revert SwapNotMaker(caller, issuance.maker);
            return _close(issuanceId, issuance, SwapState.Cancelled);
        }
        if (eventName == ISSUANCE_DUE) {
            SwapIssuance storage issuance = _issuances[msg.sender][issuanceId];
            if (issuance.state == SwapState.None) revert SwapUnknownIssuance(issuanceId);
            // A timed event may be sent by anyone, any number of times: early, or once the swap
            // is no longer engageable, it changes nothing.
            if (issuance.state != SwapState.Engageable || block.timestamp < issuance.dueTime) return transfers;
            return _close(issuanceId, issuance, SwapState.CompleteNotEngaged);
        }
        revert SwapUnknownEvent(eventName);
    }

    /// @dev Ends an unengaged swap and gives the input back to the maker.
    function _close(
        uint256 issuanceId,
        SwapIssuance storage issuance,
        SwapState state
    ) private returns (Transfer[] memory transfers) {
        _setState(issuance, issuanceId, state);
        transfers = new Transfer[](1);
        transfers[0] = _returnInput(issuance, issuance.maker);
    }

    /// @dev All the input the issuance escrow holds for the maker (less than `inputAmount` for a
    /// fee-on-transfer token), to `recipient`'s Instrument Escrow account.
    function _returnInput(SwapIssuance storage issuance, address recipient) private view returns (Transfer memory) {
        return Transfer(TransferKind.Outbound, issuance.inputToken, issuance.maker, recipient, WHOLE_BALANCE);
    }

    function _engageable(uint256 issuanceId) private view returns (SwapIssuance storage issuance) {
        issuance = _issuances[msg.sender][issuanceId];
        if (issuance.state == SwapState.None) revert SwapUnknownIssuance(issuanceId);
        if (issuance.state != SwapState.Engageable) revert SwapNotEngageable(issuanceId, issuance.state);
    }

    function _setState(SwapIssuance storage issuance, uint256 issuanceId, SwapState state) private {
        issuance.state = state;
        emit SwapStateChanged(msg.sender, issuanceId, state);
    }

    function _requireAsset(address token) private view {
        if (!Assets.isAsset(token)) revert SwapInvalidToken(token);
    }
}
