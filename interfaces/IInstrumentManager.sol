// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IEscrowAdmin} from "./IEscrowAdmin.sol";
import {TransferKind} from "./IInstrument.sol";

/// @title IInstrumentManager
/// @notice The entry point of an instrument domain, one per domain, created by the Instrument
/// Registry. It is the only admin of the domain's Instrument Escrow and of every Issuance Escrow
/// it creates, and so the only party that moves the domain's assets. Users create and engage
/// issuances and send them events here; the manager asks the instrument what to do and executes
/// the transfers it answers with, after checking each one.
/// @dev The transfer rule, checked for every transfer before it executes:
/// - Money leaves a user's account in the Instrument Escrow (`Inbound`, `IntraInstrument`) only
///   when `from` is the user who made this call to the manager.
/// - `Outbound` and `IntraIssuance` transfers spend from the Issuance Escrow of the issuance this
///   call is about, and nothing else: an issuance can only spend what its own escrow holds. Their
///   amount may be `WHOLE_BALANCE`: all that `from` holds of the token in that escrow.
/// - After it executes, `to` must have been credited at least the transfer's `minimum`
///   (`ManagerCreditBelowMinimum` otherwise, which reverts the whole call).
/// A buggy or hostile instrument therefore cannot reach assets that were not committed to it: not
/// the balances of users who did not call, not other issuances' escrows, not other domains.
/// Moves between the escrows cost one token transfer: the source escrow sends straight to the
/// destination escrow, which credits what arrived while it is locked (IEscrowAdmin).
interface IInstrumentManager is IEscrowAdmin {
    /// @notice Only the Instrument Registry may call this function.
    error ManagerUnauthorized(address caller);
    /// @notice The domain was deactivated by its provider: no new issuances.
    error ManagerDeactivated();
    /// @notice No issuance has id `issuanceId` in this domain.
    error ManagerUnknownIssuance(uint256 issuanceId);
    /// @notice The instrument asked for transfer number `index`, which would take `from`'s
    /// Instrument Escrow balance although `caller` made the call.
    error ManagerTransferNotAllowed(uint256 index, TransferKind kind, address from, address caller);
    /// @notice Transfer number `index` credited `to` with `credited` of `token`, less than the
    /// `minimum` the instrument stated (a token that took a fee, a whole balance of nothing, or
    /// less than the taker accepts): the whole call reverts, so nobody pays for nothing.
    error ManagerCreditBelowMinimum(uint256 index, address token, address to, uint256 credited, uint256 minimum);
    /// @notice ETH was sent to the manager outside of a move between its escrows.
    error ManagerUnexpectedEth(address sender, uint256 amount);
    /// @notice `sendTokenToEscrow` was called by someone other than the escrow being moved into.
    error ManagerUnexpectedCallback(address caller);
    /// @notice The implementation behind the manager clones cannot be used directly.
    error ManagerImplementationNotUsable();

    /// @notice `maker` created issuance `issuanceId`, whose assets `issuanceEscrow` holds.
    event IssuanceCreated(uint256 indexed issuanceId, address indexed maker, address issuanceEscrow);
    /// @notice `taker` engaged issuance `issuanceId`, as engagement `engagementId`.
    event IssuanceEngaged(uint256 indexed issuanceId, uint256 indexed engagementId, address indexed taker);
    /// @notice `caller` sent `eventName` to issuance `issuanceId` (engagement `engagementId`).
    event EventProcessed(
        uint256 indexed issuanceId,
        uint256 indexed engagementId,
        bytes32 indexed eventName,
        address caller
    );
    /// @notice The manager executed a transfer for issuance `issuanceId`; `amount` is what the
    /// destination account was credited with.
    event TransferExecuted(
        uint256 indexed issuanceId,
        TransferKind kind,
        address token,
        address indexed from,
        address indexed to,
        uint256 amount
    );
    /// @notice The domain was deactivated: no new issuances; everything else goes on.
    event Deactivated();

    /// @notice The registry that created this manager.
    function registry() external view returns (address);
    /// @notice The registry's id of this domain.
    function domainId() external view returns (uint256);
    /// @notice The domain's provider, as the registry records it: the one who activated the domain,
    /// and who may set the instrument's parameter bounds for it.
    function provider() external view returns (address);
    /// @notice The instrument whose issuances this manager runs.
    function instrument() external view returns (address);
    /// @notice The factory that creates this domain's escrows.
    function escrowFactory() external view returns (address);
    /// @notice Whether new issuances may be created.
    function isActive() external view returns (bool);
    /// @notice How many issuances were created; ids run from 1 to this number.
    function issuanceCount() external view returns (uint256);
    /// @notice The domain's Instrument Escrow.
    function getInstrumentEscrow() external view returns (address);
    /// @notice The Issuance Escrow of issuance `issuanceId`.
    function getIssuanceEscrow(uint256 issuanceId) external view returns (address);

    /// @notice Creates the domain's Instrument Escrow. Registry only, once, at activation.
    function initialize() external returns (address instrumentEscrow);
    /// @notice Stops new issuances. Registry only, on the provider's request.
    function deactivate() external;

    /// @notice Creates an issuance of this domain's instrument, with its own Issuance Escrow;
    /// `makerData` is the instrument's encoding of the maker's terms.
    function createIssuance(bytes calldata makerData) external returns (uint256 issuanceId);
    /// @notice Engages issuance `issuanceId` as the caller.
    function engageIssuance(uint256 issuanceId, bytes calldata takerData) external returns (uint256 engagementId);
    /// @notice Sends `eventName` (short ASCII in a bytes32, e.g. `cancel_issuance`, `issuance_due`)
    /// to issuance `issuanceId`.
    function processEvent(
        uint256 issuanceId,
        uint256 engagementId,
        bytes32 eventName,
        bytes calldata eventData
    ) external;
}
