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

/// @dev The event names every instrument shares, short ASCII strings in a bytes32, spelled once.
/// The maker withdraws an engageable issuance.
bytes32 constant CANCEL_ISSUANCE = "cancel_issuance";
/// @dev Anyone, from the issuance due time on, closes an issuance nobody engaged (fully).
bytes32 constant ISSUANCE_DUE = "issuance_due";
/// @dev Anyone, from the engagement due time on, settles an engagement that was not repaid.
bytes32 constant ENGAGEMENT_DUE = "engagement_due";
/// @dev The borrower repays principal and interest.
bytes32 constant REPAY_FULL = "repay_full";
/// @dev Anyone ends an engaged loan whose collateral fell below its maintenance ratio.
bytes32 constant MARGIN_CALL = "margin_call";

/// @notice One asset movement asked for by an issuance. `token` is an ERC20 address or the ETH
/// constant `NATIVE_ETH`; `from` and `to` are accounts in the escrows `kind` names. `minimum` is
/// the least `to` must be credited (what arrives, after any fee the token takes): the manager
/// reverts the whole call with `ManagerCreditBelowMinimum` below it, also when the amount is zero
/// (a whole balance of nothing). It is how an instrument makes sure that nobody pays for nothing.
struct Transfer {
    TransferKind kind;
    address token;
    address from;
    address to;
    uint256 amount;
    uint256 minimum;
}

/// @title IInstrument
/// @notice The financial logic of an instrument (Swap, MultiSwap, Lending, Borrowing). The
/// domain's Instrument Manager calls it on every user action and executes, after checking them,
/// the transfers it answers with. An instrument never touches assets itself.
/// @dev One instrument contract may serve several domains: it keeps its state per calling manager
/// (`msg.sender`), so a caller that is not a real manager only ever reaches its own namespace.
/// Anyone can call an instrument directly and so write issuances, with a maker of its choosing,
/// into a namespace of its own, and the instrument's events then carry the caller as `manager`:
/// only issuances and events whose `manager` is a manager the Instrument Registry created
/// (`InstrumentActivated`) are to be trusted. The errors below are shared by every shipped
/// instrument; each state enum starts with `None` (0) and `Engageable` (1).
interface IInstrument {
    /// @notice Maker data has a length (`length` bytes) the instrument does not decode.
    error InstrumentInvalidMakerData(uint256 length);
    /// @notice Taker data has a length (`length` bytes) the instrument does not decode.
    error InstrumentInvalidTakerData(uint256 length);
    /// @notice Event data must be empty.
    error InstrumentInvalidEventData(uint256 length);
    /// @notice `token` is neither the ETH constant nor a contract.
    error InstrumentInvalidToken(address token);
    /// @notice The two sides of an issuance must be different tokens.
    error InstrumentSameToken(address token);
    /// @notice The amounts in the terms must be positive.
    error InstrumentZeroAmount();
    /// @notice The calling manager already has an issuance `issuanceId`.
    error InstrumentIssuanceExists(uint256 issuanceId);
    /// @notice The calling manager has no issuance `issuanceId` of this instrument.
    error InstrumentUnknownIssuance(uint256 issuanceId);
    /// @notice Issuance `issuanceId` has no engagement `engagementId` this event can be about
    /// (events about the whole issuance take engagement id 0).
    error InstrumentUnknownEngagement(uint256 issuanceId, uint256 engagementId);
    /// @notice Issuance `issuanceId` is in `state` (the instrument's state enum), which does not
    /// allow this.
    error InstrumentWrongState(uint256 issuanceId, uint8 state);
    /// @notice Issuance `issuanceId` was due at `dueTime`: it can no longer be engaged.
    error InstrumentIssuanceDue(uint256 issuanceId, uint64 dueTime);
    /// @notice The maker cannot engage its own issuance.
    error InstrumentMakerCannotEngage(address maker);
    /// @notice Only `expected` may send this event.
    error InstrumentWrongCaller(address caller, address expected);
    /// @notice The instrument knows no event `eventName`.
    error InstrumentUnknownEvent(bytes32 eventName);

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
