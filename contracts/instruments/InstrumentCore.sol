// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IEscrow} from "../../interfaces/IEscrow.sol";
import {
    CANCEL_ISSUANCE,
    ISSUANCE_DUE,
    IInstrument,
    Transfer,
    TransferKind,
    WHOLE_BALANCE
} from "../../interfaces/IInstrument.sol";
import {IInstrumentManager} from "../../interfaces/IInstrumentManager.sol";
import {Assets} from "../libraries/Assets.sol";

/// @title InstrumentCore
/// @notice The lifecycle rules every instrument shares, decided in one place: whether an issuance
/// is known or new, whether the caller is the maker, whether an issuance can be engaged now,
/// whether a timed event is early or repeated (then it changes nothing), which engagement an
/// event may name; how maker and taker data with optional trailing fields decode; and the
/// settlement rule: a transfer that pays a party for what it gave states a minimum credit of at
/// least one unit (and the taker's own minimum), so that nobody pays for nothing.
/// @dev An instrument keeps its issuances per calling manager and tells the core, through
/// `_header`, each one's maker, due time and state (its enum as a uint8: 0 None, 1 Engageable).
/// `cancel_issuance` and `issuance_due` are handled here for all instruments; `_end` says what
/// ending an unengaged issuance gives back.
abstract contract InstrumentCore is IInstrument {
    /// @dev The state every instrument's enum starts with: no such issuance.
    uint8 internal constant _NONE = 0;
    /// @dev The state in which an issuance can be engaged.
    uint8 internal constant _ENGAGEABLE = 1;
    /// @dev The engagement id of events about the whole issuance.
    uint256 internal constant _ISSUANCE_EVENT = 0;
    /// @dev The least a party that paid for a transfer must be credited with: something.
    uint256 internal constant _SOMETHING = 1;

    // --------------------------------------------------------------------------------- lifecycle

    /// @inheritdoc IInstrument
    function createIssuance(
        uint256 issuanceId,
        address maker,
        bytes calldata makerData
    ) external returns (Transfer[] memory transfers) {
        (, , uint8 state) = _header(msg.sender, issuanceId);
        if (state != _NONE) revert InstrumentIssuanceExists(issuanceId);
        return _create(issuanceId, maker, makerData);
    }

    /// @inheritdoc IInstrument
    function engageIssuance(
        uint256 issuanceId,
        address taker,
        bytes calldata takerData
    ) external returns (uint256 engagementId, Transfer[] memory transfers) {
        (address maker, uint64 dueTime, uint8 state) = _header(msg.sender, issuanceId);
        _requireState(issuanceId, state, _ENGAGEABLE);
        if (block.timestamp >= dueTime) revert InstrumentIssuanceDue(issuanceId, dueTime);
        if (taker == maker) revert InstrumentMakerCannotEngage(maker);
        return _engage(issuanceId, maker, taker, takerData);
    }

    /// @inheritdoc IInstrument
    function processEvent(
        uint256 issuanceId,
        uint256 engagementId,
        address caller,
        bytes32 eventName,
        bytes calldata eventData
    ) external returns (Transfer[] memory transfers) {
        if (eventData.length != 0) revert InstrumentInvalidEventData(eventData.length);
        if (eventName != CANCEL_ISSUANCE && eventName != ISSUANCE_DUE) {
            return _processEngagementEvent(issuanceId, engagementId, caller, eventName);
        }
        if (engagementId != _ISSUANCE_EVENT) revert InstrumentUnknownEngagement(issuanceId, engagementId);
        (address maker, uint64 dueTime, uint8 state) = _header(msg.sender, issuanceId);
        if (eventName == CANCEL_ISSUANCE) {
            _requireState(issuanceId, state, _ENGAGEABLE);
            _requireCaller(caller, maker);
            return _end(issuanceId, true);
        }
        if (_isDue(issuanceId, state, _ENGAGEABLE, dueTime)) return _end(issuanceId, false);
    }

    // ------------------------------------------------------------------------ instrument hooks

    /// @dev The maker, issuance due time and state of issuance `issuanceId` of `manager`.
    function _header(
        address manager,
        uint256 issuanceId
    ) internal view virtual returns (address maker, uint64 dueTime, uint8 state);

    /// @dev Records a new issuance from `makerData` and answers the maker's commitment.
    function _create(
        uint256 issuanceId,
        address maker,
        bytes calldata makerData
    ) internal virtual returns (Transfer[] memory transfers);

    /// @dev Engages an issuance the core found engageable, not yet due, by a taker not its maker.
    function _engage(
        uint256 issuanceId,
        address maker,
        address taker,
        bytes calldata takerData
    ) internal virtual returns (uint256 engagementId, Transfer[] memory transfers);

    /// @dev Ends an engageable issuance, cancelled by its maker or due, and gives back what it holds.
    function _end(uint256 issuanceId, bool cancelled) internal virtual returns (Transfer[] memory transfers);

    /// @dev Events other than `cancel_issuance` and `issuance_due`; by default none.
    function _processEngagementEvent(
        uint256,
        uint256,
        address,
        bytes32 eventName
    ) internal virtual returns (Transfer[] memory) {
        revert InstrumentUnknownEvent(eventName);
    }

    // ----------------------------------------------------------------------------- the rules

    /// @dev Reverts unless issuance `issuanceId` exists and is in `expected`.
    function _requireState(uint256 issuanceId, uint8 state, uint8 expected) internal pure {
        if (state == _NONE) revert InstrumentUnknownIssuance(issuanceId);
        if (state != expected) revert InstrumentWrongState(issuanceId, state);
    }

    /// @dev Reverts unless `caller` is `expected` (the maker, the borrower).
    function _requireCaller(address caller, address expected) internal pure {
        if (caller != expected) revert InstrumentWrongCaller(caller, expected);
    }

    /// @dev Whether a timed event acts now: the issuance must exist; it acts only while the issuance
    /// is in `activeState` and from `dueTime` on. Early, repeated, or once the issuance moved on, a
    /// timed event changes nothing: anyone may send it any number of times.
    function _isDue(uint256 issuanceId, uint8 state, uint8 activeState, uint64 dueTime) internal view returns (bool) {
        if (state == _NONE) revert InstrumentUnknownIssuance(issuanceId);
        return state == activeState && block.timestamp >= dueTime;
    }

    /// @dev Reverts unless `engagementId` is one of the `engagementCount` engagements (ids 1..count).
    function _requireEngagement(uint256 issuanceId, uint256 engagementId, uint256 engagementCount) internal pure {
        if (engagementId == 0 || engagementId > engagementCount) {
            revert InstrumentUnknownEngagement(issuanceId, engagementId);
        }
    }

    /// @dev Reverts unless both tokens are assets (the ETH constant or a contract) and differ.
    function _requireTokenPair(address tokenA, address tokenB) internal view {
        if (!Assets.isAsset(tokenA)) revert InstrumentInvalidToken(tokenA);
        if (!Assets.isAsset(tokenB)) revert InstrumentInvalidToken(tokenB);
        if (tokenA == tokenB) revert InstrumentSameToken(tokenA);
    }

    // --------------------------------------------------------------------------- data decoding

    /// @dev Maker data of `fullLength` bytes, or of `shortLength` bytes (an older encoding without
    /// the trailing fields), padded with zeros, which mean "not stated", to `fullLength`.
    function _makerData(
        bytes calldata makerData,
        uint256 shortLength,
        uint256 fullLength
    ) internal pure returns (bytes memory) {
        if (!_decodable(makerData, shortLength, fullLength)) revert InstrumentInvalidMakerData(makerData.length);
        return _padded(makerData, fullLength);
    }

    /// @dev Taker data as `_makerData` does it: the short form leaves the trailing fields zero.
    function _takerData(
        bytes calldata takerData,
        uint256 shortLength,
        uint256 fullLength
    ) internal pure returns (bytes memory) {
        if (!_decodable(takerData, shortLength, fullLength)) revert InstrumentInvalidTakerData(takerData.length);
        return _padded(takerData, fullLength);
    }

    function _decodable(bytes calldata data, uint256 shortLength, uint256 fullLength) private pure returns (bool) {
        return data.length == shortLength || data.length == fullLength;
    }

    function _padded(bytes calldata data, uint256 fullLength) private pure returns (bytes memory) {
        return data.length == fullLength ? data : bytes.concat(data, new bytes(fullLength - data.length));
    }

    // ------------------------------------------------------------------------------- transfers

    /// @dev The maker (or taker) `owner` commits `amount` of `token` from its Instrument Escrow
    /// account to its account in the issuance escrow; `minimum` must arrive.
    function _commit(
        address token,
        address owner,
        uint256 amount,
        uint256 minimum
    ) internal pure returns (Transfer memory) {
        return Transfer(TransferKind.Inbound, token, owner, owner, amount, minimum);
    }

    /// @dev All that `owner` holds of `token` in the issuance escrow, to `recipient`'s Instrument
    /// Escrow account. `minimum` is 0 when the owner takes its own commitment back, and at least
    /// `_SOMETHING` when `recipient` paid for it.
    function _release(
        address token,
        address owner,
        address recipient,
        uint256 minimum
    ) internal pure returns (Transfer memory) {
        return Transfer(TransferKind.Outbound, token, owner, recipient, WHOLE_BALANCE, minimum);
    }

    /// @dev A payment inside the Instrument Escrow's ledger, from the caller `payer`: it arrives whole.
    function _pay(address token, address payer, address payee, uint256 amount) internal pure returns (Transfer memory) {
        return Transfer(TransferKind.IntraInstrument, token, payer, payee, amount, amount);
    }

    /// @dev What a paying party accepts as the least it is credited: its stated minimum, and never
    /// nothing.
    function _paidFor(uint256 statedMinimum) internal pure returns (uint256) {
        return statedMinimum > _SOMETHING ? statedMinimum : _SOMETHING;
    }

    /// @dev What `account` holds of `token` in the issuance escrow of `issuanceId` of `manager`.
    function _held(
        address manager,
        uint256 issuanceId,
        address account,
        address token
    ) internal view returns (uint256) {
        return IEscrow(IInstrumentManager(manager).getIssuanceEscrow(issuanceId)).getTokenBalance(account, token);
    }
}
