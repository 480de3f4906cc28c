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

/// @notice The maker data of a loan, in its encoding order. The original seven-field encoding
/// (224 bytes, up to `interestRate`) still decodes, with both trailing fields zero.
/// - `collateralRatio`, `interestRate` and `maintenanceRatio` are in basis points (15000 = 150%);
///   the interest is a flat `interestRate` of the principal for the whole tenor, rounded up.
/// - `minCollateralPerPrincipal`: Lending only (the maker is the lender; in Borrowing the lender
///   states its bound at engage): the least collateral, in collateral units per principal unit
///   scaled by 1e18, the lender accepts; 0 = no bound.
/// - `maintenanceRatio`: 0 = none; otherwise below `collateralRatio`: while the loan is engaged
///   and the collateral held is worth less than this ratio of principal plus interest, anyone may
///   send `margin_call`.
struct LoanTerms {
    uint256 duration;
    address principalToken;
    uint256 principalAmount;
    address collateralToken;
    uint256 collateralRatio;
    uint256 tenor;
    uint256 interestRate;
    uint256 minCollateralPerPrincipal;
    uint256 maintenanceRatio;
}

/// @notice The taker data of a Lending engagement (the taker borrows): empty (no bounds), or
/// `abi.encode(minPrincipalReceived, maxCollateral)`: the least principal the borrower accepts to
/// be credited with, and the most collateral it agrees to post (0 = no bound).
struct LendingTakerTerms {
    uint256 minPrincipalReceived;
    uint256 maxCollateral;
}

/// @notice The taker data of a Borrowing engagement (the taker lends): empty (no bound), or
/// `abi.encode(minCollateralHeld)`: the least collateral the issuance escrow must hold for the
/// lender to fund the loan, its bound on the price (`minCollateralHeld / principalAmount`).
struct BorrowingTakerTerms {
    uint256 minCollateralHeld;
}

/// @notice The terms and state of one loan issuance, packed into five storage slots and a sixth
/// for the lender's price bound (written only when there is one).
struct LoanIssuance {
    address maker;
    uint64 issuanceDueTime;
    LoanState state;
    address taker;
    uint64 engagementDueTime;
    uint32 maintenanceRatio;
    address principalToken;
    uint64 tenor;
    uint32 collateralRatio;
    address collateralToken;
    uint32 interestRate;
    uint256 principalAmount;
    uint256 minCollateralPerPrincipal;
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
/// - Create: maker data is `LoanTerms`. The maker commits its side to the issuance escrow: the
///   principal (Lending) or the collateral priced by the oracle now (Borrowing).
/// - Engage (before the issuance due time): Lending, taker data `LendingTakerTerms`: the
///   borrower's collateral, priced by the oracle at this moment (`collateralOf`), moves into the
///   issuance escrow and the principal reaches the borrower's Instrument Escrow account; refused
///   if the collateral is below the lender's `minCollateralPerPrincipal` bound
///   (`LoanCollateralBelowBound`) or above the borrower's `maxCollateral`
///   (`LoanCollateralAboveLimit`). Borrowing, taker data `BorrowingTakerTerms`: the lender pays
///   the principal to the maker's Instrument Escrow account, once the collateral the issuance
///   escrow holds is checked to cover the terms' ratio at the oracle's current price
///   (`LoanUndercollateralised`; a Borrowing whose collateral did not arrive whole was never
///   created) and the lender's `minCollateralHeld`
///   (`LoanCollateralBelowBound`). The engagement (id 1) is due a tenor later.
/// - `repay_full` (the borrower, before the engagement due time): principal plus interest go from
///   the borrower's Instrument Escrow account to the lender's; the collateral returns.
/// - `engagement_due` (anyone, from the engagement due time, if not repaid): the collateral goes
///   to the lender.
/// - `margin_call` (anyone, while engaged, when the terms have a maintenance ratio and the
///   collateral held, at the oracle's current price, is below that ratio of principal plus
///   interest): the loan defaults at once and the collateral goes to the lender.
/// - `cancel_issuance` (the maker, while engageable) and `issuance_due` (anyone, from the
///   issuance due time, while engageable): the maker's commitment returns.
/// Timed events and margin calls sent early or again change nothing; the oracle is read only at
/// creation (Borrowing), at engage and at a margin call.
/// What a loan promises: the principal and the collateral arrive whole. Every move of them into
/// the issuance escrow, and the principal's way out to the borrower, must credit the full amount
/// (`IInstrumentManager.ManagerCreditBelowMinimum` otherwise), so a token that takes a fee on
/// transfer is refused as principal of a Lending and as collateral of either, and a loan is
/// priced, held and owed on whole amounts. (In Borrowing the principal moves inside the
/// Instrument Escrow's ledger and always arrives whole.) Collateral going back to the borrower
/// or to the lender must credit something; committed assets always return as what the escrow
/// holds (`WHOLE_BALANCE`). Shared errors (unknown issuance, wrong state, wrong caller ...) are
/// IInstrument's.
interface ILoan is IInstrument, IProviderConfigurable {
    /// @notice The price oracle `oracle` has no code.
    error LoanInvalidOracle(address oracle);
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
    /// @notice The maintenance ratio must be 0 (none) or below the collateral ratio.
    error LoanInvalidMaintenanceRatio(uint256 maintenanceRatio, uint256 collateralRatio);
    /// @notice In Borrowing the maker borrows: the lender states its price bound at engage.
    error LoanPriceBoundNotMakers();
    /// @notice The engagement was due at `dueTime`: it can no longer be repaid.
    error LoanEngagementDue(uint256 issuanceId, uint64 dueTime);
    /// @notice The collateral (`collateral`) is below the lender's bound (`minimum`).
    error LoanCollateralBelowBound(uint256 collateral, uint256 minimum);
    /// @notice The collateral asked (`collateral`) is above the borrower's limit (`maximum`).
    error LoanCollateralAboveLimit(uint256 collateral, uint256 maximum);
    /// @notice The collateral held (`held`) no longer covers the terms' ratio at the oracle's
    /// current price (`required`).
    error LoanUndercollateralised(uint256 held, uint256 required);

    /// @notice `maker` created loan `issuanceId` in the domain of `manager` (only events whose
    /// `manager` the registry created are to be trusted).
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
    /// rate of this moment (Lending: at engagement; Borrowing: at creation, and at engagement the
    /// collateral the terms then require).
    event LoanCollateralPriced(address indexed manager, uint256 indexed issuanceId, uint256 collateralAmount);
    /// @notice `taker` engaged loan `issuanceId`; the engagement is due at `engagementDueTime`.
    event LoanEngaged(
        address indexed manager,
        uint256 indexed issuanceId,
        address indexed taker,
        uint64 engagementDueTime
    );
    /// @notice Loan `issuanceId` was margin called: the collateral held (`held`) was below
    /// `required`, the maintenance ratio of principal plus interest at the oracle's current price.
    event LoanMarginCalled(address indexed manager, uint256 indexed issuanceId, uint256 held, uint256 required);
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
