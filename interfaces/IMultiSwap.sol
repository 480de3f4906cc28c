// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IInstrument} from "./IInstrument.sol";
import {IDurationBounded} from "./IDurationBounded.sol";

/// @notice The life of a multi-swap issuance.
/// - `Engageable`: takers may fill it until its due time.
/// - `Cancelled`: the maker cancelled it; the fills done before stand.
/// - `Complete`: its whole output was filled.
/// - `Expired`: it was closed at or after its due time before being fully filled; the fills done
///   before stand.
enum MultiSwapState {
    None,
    Engageable,
    Cancelled,
    Complete,
    Expired
}

/// @notice The maker data of a multi-swap, in its encoding order:
/// `abi.encode(duration, inputToken, outputToken, inputAmount, outputAmount, minFillOutput,
/// maxFillOutput)`.
struct MultiSwapTerms {
    uint256 duration;
    address inputToken;
    address outputToken;
    uint256 inputAmount;
    uint256 outputAmount;
    uint256 minFillOutput;
    uint256 maxFillOutput;
}

/// @notice The taker data of a fill: `abi.encode(fillOutput)` (the original encoding: no
/// minimum) or `abi.encode(fillOutput, minInputReceived)`, the least input the taker accepts to be
/// credited with.
struct MultiSwapFillTerms {
    uint256 fillOutput;
    uint256 minInputReceived;
}

/// @notice The terms and state of one multi-swap issuance.
/// @dev Packed: `maker`, `dueTime` and `state` share a slot, as do `inputToken` and `fillCount`.
struct MultiSwapIssuance {
    address maker;
    uint64 dueTime;
    MultiSwapState state;
    address inputToken;
    /// @dev How many fills there were; fill `n` is engagement `n`.
    uint96 fillCount;
    address outputToken;
    uint256 inputAmount;
    uint256 outputAmount;
    uint256 minFillOutput;
    uint256 maxFillOutput;
    /// @dev The output still to be filled; zero once `Complete`.
    uint256 remainingOutput;
    /// @dev The input the fills are priced against: what the issuance escrow held for the maker
    /// at the first fill (less than `inputAmount` for a fee-on-transfer token); zero before it.
    uint256 inputBasis;
}

/// @title IMultiSwap
/// @notice The MultiSwap instrument: a maker offers `inputAmount` of `inputToken` for
/// `outputAmount` of `outputToken` until a due time, and many takers each fill part of it; ETH may
/// be on either side, as `NATIVE_ETH`.
/// - Create: maker data is `MultiSwapTerms`, ABI-encoded; the input moves from the maker's
///   Instrument Escrow account into the issuance's escrow. The duration must lie within the
///   domain's bounds (`getBounds`), and `0 < minFillOutput <= maxFillOutput <= outputAmount`.
/// - Engage: taker data is `MultiSwapFillTerms` (its short form is the original 32-byte one). The
///   taker pays `fillOutput` of the output from its Instrument Escrow account to the maker's and
///   receives `floor(inputBasis * fillOutput / outputAmount)` of the input from the issuance
///   escrow. If that credits the taker with nothing (a share that rounds to 0, or a token that
///   takes it all) or with less than `minInputReceived`, the fill reverts
///   (`IInstrumentManager.ManagerCreditBelowMinimum`) and the taker pays nothing. A fill must lie
///   within `[minFillOutput, maxFillOutput]` and not exceed the remaining output, except that the
///   exact remaining output is always accepted even below the minimum. Fill `n` is engagement `n`.
///   The fill that completes the issuance also returns to the maker what rounding left.
/// - `cancel_issuance`: the maker takes the remaining input back while the issuance is engageable.
/// - `issuance_due`: from the due time on, anyone closes an engageable issuance and the remaining
///   input returns to the maker. Early or repeated, it changes nothing.
/// Both events take engagement id 0 and empty event data. Shared errors (unknown issuance, wrong
/// state, wrong caller ...) are IInstrument's.
/// @dev Rounding: every fill is rounded down, so no taker receives more than its pro-rata share of
/// the input, and the fills together never need more than the issuance escrow holds.
interface IMultiSwap is IInstrument, IDurationBounded {
    /// @notice The fill limits must satisfy `0 < minFillOutput <= maxFillOutput <= outputAmount`.
    error MultiSwapInvalidFillLimits(uint256 minFillOutput, uint256 maxFillOutput, uint256 outputAmount);
    /// @notice The fill asks for more output than the `remainingOutput` of the issuance.
    error MultiSwapFillAboveRemaining(uint256 fillOutput, uint256 remainingOutput);
    /// @notice The fill is larger than the issuance's `maxFillOutput`.
    error MultiSwapFillAboveMaximum(uint256 fillOutput, uint256 maxFillOutput);
    /// @notice The fill is smaller than the issuance's `minFillOutput` and is not the exact
    /// `remainingOutput`.
    error MultiSwapFillBelowMinimum(uint256 fillOutput, uint256 minFillOutput, uint256 remainingOutput);
    /// @notice Nothing of the input reached the issuance escrow (the token took it all on the
    /// way), so a fill would pay nothing: it is refused; cancel or close the issuance instead.
    error MultiSwapNoInput(uint256 issuanceId);

    /// @notice `maker` created multi-swap `issuanceId` in the domain of `manager`.
    event MultiSwapCreated(
        address indexed manager,
        uint256 indexed issuanceId,
        address indexed maker,
        address inputToken,
        address outputToken,
        uint256 inputAmount,
        uint256 outputAmount,
        uint256 minFillOutput,
        uint256 maxFillOutput,
        uint64 dueTime
    );
    /// @notice `taker` filled `fillOutput` of multi-swap `issuanceId` of `manager` as engagement
    /// `engagementId`, and was paid `inputPaid` of the input (before any fee the token takes).
    event MultiSwapFilled(
        address indexed manager,
        uint256 indexed issuanceId,
        uint256 indexed engagementId,
        address taker,
        uint256 fillOutput,
        uint256 inputPaid
    );
    /// @notice Multi-swap `issuanceId` of `manager` moved to `state`.
    event MultiSwapStateChanged(address indexed manager, uint256 indexed issuanceId, MultiSwapState state);
    /// @notice The input a fill of `fillOutput` would pay its taker now (before any fee the token
    /// takes): its pro-rata share, rounded down, of the input basis (what arrived in the issuance
    /// escrow). Reverts with the error the fill itself would meet, except the taker checks; a
    /// quote of 0 means the fill would be refused (it would pay nothing).
    function quoteFill(address manager, uint256 issuanceId, uint256 fillOutput) external view returns (uint256);

    /// @notice Multi-swap `issuanceId` of the domain whose manager is `manager`.
    function getIssuance(address manager, uint256 issuanceId) external view returns (MultiSwapIssuance memory);
}
