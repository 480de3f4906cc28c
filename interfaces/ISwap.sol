// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDurationBounded} from "./IDurationBounded.sol";
import {IInstrument} from "./IInstrument.sol";

/// @notice The life of a swap issuance.
enum SwapState {
    None,
    Engageable,
    Cancelled,
    CompleteEngaged,
    CompleteNotEngaged
}

/// @notice The terms and state of one swap issuance.
struct SwapIssuance {
    address maker;
    uint64 dueTime;
    SwapState state;
    address inputToken;
    address outputToken;
    uint256 inputAmount;
    uint256 outputAmount;
}

/// @title ISwap
/// @notice The Swap instrument: a maker offers `inputAmount` of `inputToken` for `outputAmount`
/// of `outputToken` until a due time; ETH may be on either side, as `NATIVE_ETH`.
/// - Create: maker data is `abi.encode(uint256 duration, address inputToken, address outputToken,
///   uint256 inputAmount, uint256 outputAmount)`; the input moves from the maker's Instrument
///   Escrow account into the issuance's escrow. The duration must lie within the domain's bounds
///   (`getBounds`).
/// - Engage (taker data empty): the taker pays the output from its Instrument Escrow account to the
///   maker's and receives the input held by the issuance escrow. Engagement id 1.
/// - `cancel_issuance`: the maker takes the input back while the swap is not engaged.
/// - `issuance_due`: from the due time on, anyone closes an unengaged swap and the input returns to
///   the maker. Early or repeated, it changes nothing.
interface ISwap is IInstrument, IDurationBounded {
    /// @notice Maker data must be the 160-byte encoding described above.
    error SwapInvalidMakerData(uint256 length);
    /// @notice Taker data must be empty.
    error SwapInvalidTakerData(uint256 length);
    /// @notice `token` is neither the ETH constant nor a contract.
    error SwapInvalidToken(address token);
    /// @notice Input and output must be different tokens.
    error SwapSameToken(address token);
    /// @notice Both amounts must be positive.
    error SwapZeroAmount();
    /// @notice The calling manager already has an issuance `issuanceId`.
    error SwapIssuanceExists(uint256 issuanceId);
    /// @notice The calling manager has no swap issuance `issuanceId`.
    error SwapUnknownIssuance(uint256 issuanceId);
    /// @notice The swap is in `state`, not engageable.
    error SwapNotEngageable(uint256 issuanceId, SwapState state);
    /// @notice The swap was due at `dueTime`; it can no longer be engaged.
    error SwapIssuanceDue(uint256 issuanceId, uint64 dueTime);
    /// @notice The maker cannot engage its own swap.
    error SwapMakerCannotEngage(address maker);
    /// @notice Only the maker may cancel.
    error SwapNotMaker(address caller, address maker);
    /// @notice The swap knows no event `eventName`.
    error SwapUnknownEvent(bytes32 eventName);

    /// @notice `maker` created swap `issuanceId` in the domain of `manager`.
    event SwapCreated(
        address indexed manager,
        uint256 indexed issuanceId,
        address indexed maker,
        address inputToken,
        address outputToken,
        uint256 inputAmount,
        uint256 outputAmount,
        uint64 dueTime
    );
    /// @notice Swap `issuanceId` of `manager` moved to `state`.
    event SwapStateChanged(address indexed manager, uint256 indexed issuanceId, SwapState state);

    /// @notice Swap `issuanceId` of the domain whose manager is `manager`.
    function getIssuance(address manager, uint256 issuanceId) external view returns (SwapIssuance memory);
}
