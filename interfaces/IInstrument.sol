// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice The four kinds of asset movement an issuance may ask its manager for.
/// - `Inbound`: from an account in the Instrument Escrow to an account in the Issuance Escrow.
/// - `Outbound`: from an account in the Issuance Escrow to an account in the Instrument Escrow.
/// - `IntraInstrument`: between two accounts inside the Instrument Escrow (ledger only).
/// - `IntraIssuance`: between two accounts inside the Issuance Escrow (ledger only).
enum TransferKind {
    Inbound,
    Outbound,
    IntraInstrument,
    IntraIssuance
}

/// @dev As the amount of an `Outbound` or `IntraIssuance` transfer: everything `from` holds of
/// `token` in the Issuance Escrow at the moment the transfer executes (for a fee-on-transfer token,
/// what actually arrived). For `Inbound` and `IntraInstrument` it is an ordinary amount.
uint256 constant WHOLE_BALANCE = type(uint256).max;

/// @notice One asset movement asked for by an issuance. `token` is an ERC20 address or the ETH
/// constant `NATIVE_ETH`; `from` and `to` are accounts in the escrows `kind` names.
struct Transfer {
    TransferKind kind;
    address token;
    address from;
    address to;
    uint256 amount;
}

/// @title IInstrument
/// @notice The financial logic of an instrument (Swap, Lending, ...). The domain's Instrument
/// Manager calls it on every user action and executes, after checking them, the transfers it
/// answers with. An instrument never touches assets itself.
/// @dev One instrument contract may serve several domains: it keeps its state per calling manager
/// (`msg.sender`), so a caller that is not a real manager only ever reaches its own namespace.
interface IInstrument {
    /// @notice `maker` creates issuance `issuanceId` (its Issuance Escrow already exists).
    /// @return transfers The movements to execute, typically the maker's commitment.
    function createIssuance(
        uint256 issuanceId,
        address maker,
        bytes calldata makerData
    ) external returns (Transfer[] memory transfers);

    /// @notice `taker` engages issuance `issuanceId`.
    function engageIssuance(
        uint256 issuanceId,
        address taker,
        bytes calldata takerData
    ) external returns (uint256 engagementId, Transfer[] memory transfers);

    /// @notice `caller` sends `eventName` (a short ASCII string in a bytes32, such as
    /// `cancel_issuance` or `issuance_due`) to an issuance or one of its engagements.
    function processEvent(
        uint256 issuanceId,
        uint256 engagementId,
        address caller,
        bytes32 eventName,
        bytes calldata eventData
    ) external returns (Transfer[] memory transfers);
}
