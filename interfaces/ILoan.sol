// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IInstrument} from "./IInstrument.sol";
import {IProviderConfigurable} from "./IProviderConfigurable.sol";

/// @notice The life of a loan issuance (Lending or Borrowing).
enum LoanState {
    None,
    /// @dev Created, waiting for a taker until the issuance due time.
    Engageable,
    /// @dev The maker cancelled it before anyone engaged.
    Cancelled,
    /// @dev Nobody engaged before the issuance due time; the maker's commitment went back.
    Expired,
    /// @dev A taker engaged: the borrower holds the principal until the engagement due time.
    Engaged,
    /// @dev The borrower repaid principal and interest and took the collateral back.
    Repaid,
    /// @dev The borrower did not repay in time: the collateral went to the lender.
    Defaulted
}

/// @notice The terms and state of one loan issuance, packed into five storage slots.
/// `collateralRatio` and `interestRate` are in basis points: 15000 is 150%; the interest is a
/// flat `interestRate` of the principal for the whole tenor, rounded up.
struct LoanIssuance {
    address maker;
    uint64 issuanceDueTime;
    LoanState state;
    address taker;
    uint64 engagementDueTime;
    address principalToken;
    uint64 tenor;
    uint32 collateralRatio;
    address collateralToken;
    uint32 interestRate;
    uint256 principalAmount;
}

/// @notice What a domain's provider allows for its loans. Durations and tenors in seconds, rates
/// in basis points; every minimum at most its maximum.
struct LoanBounds {
    uint64 minDuration;
    uint64 maxDuration;
    uint64 minTenor;
    uint64 maxTenor;
    uint32 minCollateralRatio;
    uint32 maxCollateralRatio;
    uint32 minInterestRate;
    uint32 maxInterestRate;
}

/// @title ILoan
/// @notice A collateralised loan between a lender and a borrower, priced by an IPriceOracle.
/// Lending: the maker lends; Borrowing: the maker borrows. Otherwise the two are the same:
/// - Create: maker data is `abi.encode(uint256 duration, address principalToken, uint256
///   principalAmount, address collateralToken, uint256 collateralRatio, uint256 tenor, uint256
///   interestRate)`. The maker commits its side to the issuance escrow: the principal (Lending) or
///   the collateral (Borrowing, priced now).
/// - Engage (taker data empty, before the issuance due time): the borrower's collateral, priced
///   by the oracle at this moment (`collateralOf`), is held by the issuance escrow and the
///   principal reaches the borrower's Instrument Escrow account. The engagement (id 1) is due a
///   tenor later.
/// - `repay_full` (the borrower, before the engagement due time): principal plus interest go from
///   the borrower's Instrument Escrow account to the lender's; the collateral returns.
/// - `engagement_due` (anyone, from the engagement due time, if not repaid): the collateral goes
///   to the lender.
/// - `cancel_issuance` (the maker, while engageable) and `issuance_due` (anyone, from the
///   issuance due time, while engageable): the maker's commitment returns.
/// Timed events sent early or again change nothing. Assets committed to an issuance are always
/// returned as what its escrow holds (`WHOLE_BALANCE`), so fee-on-transfer tokens never strand it.
interface ILoan is IInstrument, IProviderConfigurable {
    /// @notice Maker data must be the 224-byte encoding described above.
    error LoanInvalidMakerData(uint256 length);
    /// @notice Taker and event data must be empty.
    error LoanUnexpectedData(uint256 length);
    /// @notice `token` is neither the ETH constant nor a contract.
    error LoanInvalidToken(address token);
    /// @notice The price oracle `oracle` has no code.
    error LoanInvalidOracle(address oracle);
    /// @notice Principal and collateral must be different tokens.
    error LoanSameToken(address token);
    /// @notice The principal must be positive.
    error LoanZeroPrincipal();
    /// @notice Principal plus interest would not fit in 256 bits.
    error LoanAmountTooLarge(uint256 principalAmount, uint256 interestRate);
    /// @notice The oracle's rate makes the collateral zero: a loan would be unsecured.
    error LoanZeroCollateral(address principalToken, address collateralToken);
    /// @notice `value` of `parameter` ("duration", "tenor", "collateralRatio", "interestRate") is
    /// outside the domain's bounds [`min`, `max`].
    error LoanOutOfBounds(bytes32 parameter, uint256 value, uint256 min, uint256 max);
    /// @notice Bounds must have every minimum at most its maximum, positive durations, tenors and
    /// collateral ratios, and stay within the absolute limits (`maxBounds`).
    error LoanInvalidBounds();
    /// @notice The calling manager already has an issuance `issuanceId`.
    error LoanIssuanceExists(uint256 issuanceId);
    /// @notice The calling manager has no loan issuance `issuanceId`.
    error LoanUnknownIssuance(uint256 issuanceId);
    /// @notice The loan is in `state`, which does not allow this.
    error LoanWrongState(uint256 issuanceId, LoanState state);
    /// @notice The issuance was due at `dueTime`: it can no longer be engaged.
    error LoanIssuanceDue(uint256 issuanceId, uint64 dueTime);
    /// @notice The engagement was due at `dueTime`: it can no longer be repaid.
    error LoanEngagementDue(uint256 issuanceId, uint64 dueTime);
    /// @notice The maker cannot engage its own loan.
    error LoanMakerCannotEngage(address maker);
    /// @notice Only `expected` may send this event.
    error LoanWrongCaller(address caller, address expected);
    /// @notice A loan has one engagement, id 1; events about it must name it.
    error LoanUnknownEngagement(uint256 issuanceId, uint256 engagementId);
    /// @notice The loan knows no event `eventName`.
    error LoanUnknownEvent(bytes32 eventName);

    /// @notice `maker` created loan `issuanceId` in the domain of `manager`.
    event LoanCreated(
        address indexed manager,
        uint256 indexed issuanceId,
        address indexed maker,
        address principalToken,
        uint256 principalAmount,
        address collateralToken,
        uint256 collateralRatio,
        uint256 tenor,
        uint256 interestRate,
        uint64 issuanceDueTime
    );
    /// @notice The borrower of loan `issuanceId` was asked for `collateralAmount` at the oracle's
    /// rate of this moment (at creation for Borrowing, at engagement for Lending).
    event LoanCollateralPriced(address indexed manager, uint256 indexed issuanceId, uint256 collateralAmount);
    /// @notice `taker` engaged loan `issuanceId`; the engagement is due at `engagementDueTime`.
    event LoanEngaged(
        address indexed manager,
        uint256 indexed issuanceId,
        address indexed taker,
        uint64 engagementDueTime
    );
    /// @notice The borrower of loan `issuanceId` repaid `repayment` (principal plus interest).
    event LoanRepaid(address indexed manager, uint256 indexed issuanceId, uint256 repayment);
    /// @notice Loan `issuanceId` of `manager` moved to `state`.
    event LoanStateChanged(address indexed manager, uint256 indexed issuanceId, LoanState state);
    /// @notice The provider of the domain of `manager` set its loan bounds.
    event LoanBoundsSet(address indexed manager, LoanBounds bounds);

    /// @notice The oracle that prices collateral.
    function oracle() external view returns (address);
    /// @notice Whether the maker is the lender (Lending) or the borrower (Borrowing).
    function makerIsLender() external view returns (bool);
    /// @notice Loan `issuanceId` of the domain whose manager is `manager`.
    function getIssuance(address manager, uint256 issuanceId) external view returns (LoanIssuance memory);
    /// @notice The bounds in force for the domain of `manager` (the defaults until its provider
    /// sets them).
    function getBounds(address manager) external view returns (LoanBounds memory);
    /// @notice The bounds no provider may exceed; also the defaults.
    function maxBounds() external pure returns (LoanBounds memory);
    /// @notice Sets the bounds of the domain of `manager`. Its provider only.
    function setBounds(address manager, LoanBounds calldata bounds) external;
    /// @notice The collateral, in `collateralToken` units, that secures `principalAmount` of
    /// `principalToken` at `collateralRatio` basis points, at the oracle's current rate (rounded up).
    function collateralOf(
        address principalToken,
        uint256 principalAmount,
        address collateralToken,
        uint256 collateralRatio
    ) external view returns (uint256);
    /// @notice Principal plus interest for `principalAmount` at `interestRate` basis points
    /// (the interest rounded up).
    function repaymentOf(uint256 principalAmount, uint256 interestRate) external pure returns (uint256);
}
