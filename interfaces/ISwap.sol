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

/// @notice The maker data of a swap, in its encoding order (the original platform's):
/// `abi.encode(duration, inputToken, outputToken, inputAmount, outputAmount)`.
struct SwapTerms {
    uint256 duration;
    address inputToken;
    address outputToken;
    uint256 inputAmount;
    uint256 outputAmount;
}

/// @notice The taker data of a swap: empty (the original encoding: no minimum), or
/// `abi.encode(minInputReceived)`, the least input the taker accepts to be credited with.
struct SwapTakerTerms {
    uint256 minInputReceived;
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
/// - Create: maker data is `SwapTerms`, ABI-encoded; the input moves from the maker's Instrument
///   Escrow account into the issuance's escrow. The duration must lie within the domain's bounds
///   (`getBounds`).
/// - Engage: taker data is empty or `SwapTakerTerms`. The taker pays the output from its
///   Instrument Escrow account to the maker's and receives all the input the issuance escrow holds
///   for the maker (for a fee-on-transfer token, what arrived, less the fee of the way out). If
///   that credits the taker with nothing, or with less than `minInputReceived`, the engagement
///   reverts (`IInstrumentManager.ManagerCreditBelowMinimum`) and the taker pays nothing.
///   Engagement id 1.
/// - `cancel_issuance` (engagement id 0): the maker takes the input back while the swap is not
///   engaged.
/// - `issuance_due` (engagement id 0): from the due time on, anyone closes an unengaged swap and the
///   input returns to the maker. Early or repeated, it changes nothing.
/// Shared errors (unknown issuance, wrong state, wrong caller ...) are IInstrument's.
interface ISwap is IInstrument, IDurationBounded {
    /// @notice `maker` created swap `issuanceId` in the domain of `manager` (only events whose
    /// `manager` the registry created are to be trusted).
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
