// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IInstrument, Transfer, TransferKind, WHOLE_BALANCE} from "../../interfaces/IInstrument.sol";
import {ILoan, LoanBounds, LoanIssuance, LoanState} from "../../interfaces/ILoan.sol";
import {IPriceOracle} from "../../interfaces/IPriceOracle.sol";
import {Assets} from "../libraries/Assets.sol";
import {ProviderConfigurable} from "./ProviderConfigurable.sol";

/// @title LoanInstrument
/// @notice What Lending and Borrowing share (see ILoan): they differ only in whether the maker is
/// the lender, which decides what the maker commits at creation and what the taker does when it
/// engages. State is kept per calling manager; the instrument never holds or moves assets.
abstract contract LoanInstrument is ILoan, ProviderConfigurable {
    bytes32 public constant CANCEL_ISSUANCE = "cancel_issuance";
    bytes32 public constant ISSUANCE_DUE = "issuance_due";
    bytes32 public constant ENGAGEMENT_DUE = "engagement_due";
    bytes32 public constant REPAY_FULL = "repay_full";

    uint256 private constant _ENGAGEMENT_ID = 1;
    uint256 private constant _BASIS_POINTS = 10_000;
    /// @dev The length of the maker data: seven 32-byte words.
    uint256 private constant _MAKER_DATA_LENGTH = 224;

    /// @inheritdoc ILoan
    address public immutable oracle;

    mapping(address manager => mapping(uint256 issuanceId => LoanIssuance)) private _issuances;
    /// @dev Bounds a domain's provider set; unset while `minDuration` is zero (set bounds have
    /// `minDuration >= 1`), and then `maxBounds` apply.
    mapping(address manager => LoanBounds) private _bounds;

    constructor(IPriceOracle priceOracle) {
        if (address(priceOracle).code.length == 0) revert LoanInvalidOracle(address(priceOracle));
        oracle = address(priceOracle);
    }

    // ------------------------------------------------------------------------------------ views

    /// @inheritdoc ILoan
    function makerIsLender() public pure virtual returns (bool);

    /// @inheritdoc ILoan
    function getIssuance(address manager, uint256 issuanceId) external view returns (LoanIssuance memory) {
        return _issuances[manager][issuanceId];
    }

    /// @inheritdoc ILoan
    function getBounds(address manager) public view returns (LoanBounds memory) {
        // Reads the second slot of the bounds only when they were set.
        return _bounds[manager].minDuration == 0 ? maxBounds() : _bounds[manager];
    }

    /// @inheritdoc ILoan
    function maxBounds() public pure returns (LoanBounds memory) {
        return
            LoanBounds({
                minDuration: 1,
                maxDuration: 365 days,
                minTenor: 1,
                maxTenor: 10 * 365 days,
                minCollateralRatio: 1,
                maxCollateralRatio: 1_000_000,
                minInterestRate: 0,
                maxInterestRate: 1_000_000
            });
    }

    /// @inheritdoc ILoan
    function collateralOf(
        address principalToken,
        uint256 principalAmount,
        address collateralToken,
        uint256 collateralRatio
    ) public view returns (uint256) {
        (uint256 numerator, uint256 denominator) = IPriceOracle(oracle).getRate(principalToken, collateralToken);
        uint256 value = Math.mulDiv(principalAmount, numerator, denominator, Math.Rounding.Ceil);
        return Math.mulDiv(value, collateralRatio, _BASIS_POINTS, Math.Rounding.Ceil);
    }

    /// @inheritdoc ILoan
    function repaymentOf(uint256 principalAmount, uint256 interestRate) public pure returns (uint256) {
        uint256 interest = Math.mulDiv(principalAmount, interestRate, _BASIS_POINTS, Math.Rounding.Ceil);
        (bool fits, uint256 repayment) = Math.tryAdd(principalAmount, interest);
        if (!fits) revert LoanAmountTooLarge(principalAmount, interestRate);
        return repayment;
    }

    // ---------------------------------------------------------------------------- provider bounds

    /// @inheritdoc ILoan
    function setBounds(address manager, LoanBounds calldata bounds) external onlyProvider(manager) {
        LoanBounds memory limit = maxBounds();
        if (
            bounds.minDuration == 0 ||
            bounds.minDuration > bounds.maxDuration ||
            bounds.maxDuration > limit.maxDuration ||
            bounds.minTenor == 0 ||
            bounds.minTenor > bounds.maxTenor ||
            bounds.maxTenor > limit.maxTenor ||
            bounds.minCollateralRatio == 0 ||
            bounds.minCollateralRatio > bounds.maxCollateralRatio ||
            bounds.maxCollateralRatio > limit.maxCollateralRatio ||
            bounds.minInterestRate > bounds.maxInterestRate ||
            bounds.maxInterestRate > limit.maxInterestRate
        ) revert LoanInvalidBounds();
        _bounds[manager] = bounds;
        emit LoanBoundsSet(manager, bounds);
    }

    // ------------------------------------------------------------------------------ the lifecycle

    /// @inheritdoc IInstrument
    function createIssuance(
        uint256 issuanceId,
        address maker,
        bytes calldata makerData
    ) external returns (Transfer[] memory transfers) {
        LoanIssuance memory terms = _validTerms(maker, makerData);
        LoanIssuance storage issuance = _issuances[msg.sender][issuanceId];
        if (issuance.state != LoanState.None) revert LoanIssuanceExists(issuanceId);
        _issuances[msg.sender][issuanceId] = terms;
        emit LoanCreated(
            msg.sender,
            issuanceId,
            maker,
            terms.principalToken,
            terms.principalAmount,
            terms.collateralToken,
            terms.collateralRatio,
            terms.tenor,
            terms.interestRate,
            terms.issuanceDueTime
        );
        emit LoanStateChanged(msg.sender, issuanceId, LoanState.Engageable);

        // The maker commits its side: the principal it lends, or the collateral it borrows against.
        uint256 committed = makerIsLender() ? terms.principalAmount : _collateralNow(issuanceId, issuance);
        transfers = new Transfer[](1);
        transfers[0] = Transfer(TransferKind.Inbound, _makerToken(issuance), maker, maker, committed);
    }

    /// @inheritdoc IInstrument
    function engageIssuance(
        uint256 issuanceId,
        address taker,
        bytes calldata takerData
    ) external returns (uint256 engagementId, Transfer[] memory transfers) {
        if (takerData.length != 0) revert LoanUnexpectedData(takerData.length);
        LoanIssuance storage issuance = _inState(issuanceId, LoanState.Engageable);
        if (block.timestamp >= issuance.issuanceDueTime) revert LoanIssuanceDue(issuanceId, issuance.issuanceDueTime);
        address maker = issuance.maker;
        if (taker == maker) revert LoanMakerCannotEngage(maker);

        uint64 engagementDueTime = uint64(block.timestamp + issuance.tenor);
        issuance.taker = taker;
        issuance.engagementDueTime = engagementDueTime;
        _setState(issuance, issuanceId, LoanState.Engaged);
        emit LoanEngaged(msg.sender, issuanceId, taker, engagementDueTime);

        if (makerIsLender()) {
            // The taker borrows: its collateral in, the maker's principal out to it.
            uint256 collateral = _collateralNow(issuanceId, issuance);
            transfers = new Transfer[](2);
            transfers[0] = Transfer(TransferKind.Inbound, issuance.collateralToken, taker, taker, collateral);
            transfers[1] = Transfer(TransferKind.Outbound, issuance.principalToken, maker, taker, WHOLE_BALANCE);
        } else {
            // The taker lends: its principal straight to the maker, whose collateral is held.
            transfers = new Transfer[](1);
            transfers[0] = Transfer(
                TransferKind.IntraInstrument,
                issuance.principalToken,
                taker,
                maker,
                issuance.principalAmount
            );
        }
        return (_ENGAGEMENT_ID, transfers);
    }

    /// @inheritdoc IInstrument
    function processEvent(
        uint256 issuanceId,
        uint256 engagementId,
        address caller,
        bytes32 eventName,
        bytes calldata eventData
    ) external returns (Transfer[] memory transfers) {
        if (eventData.length != 0) revert LoanUnexpectedData(eventData.length);
        if (eventName == CANCEL_ISSUANCE) return _cancel(issuanceId, caller);
        if (eventName == ISSUANCE_DUE) return _issuanceDue(issuanceId);
        if (eventName == REPAY_FULL || eventName == ENGAGEMENT_DUE) {
            if (engagementId != _ENGAGEMENT_ID) revert LoanUnknownEngagement(issuanceId, engagementId);
            return eventName == REPAY_FULL ? _repay(issuanceId, caller) : _engagementDue(issuanceId);
        }
        revert LoanUnknownEvent(eventName);
    }

    // ---------------------------------------------------------------------------------- events

    function _cancel(uint256 issuanceId, address caller) private returns (Transfer[] memory) {
        LoanIssuance storage issuance = _inState(issuanceId, LoanState.Engageable);
        if (caller != issuance.maker) revert LoanWrongCaller(caller, issuance.maker);
        return _returnCommitment(issuanceId, issuance, LoanState.Cancelled);
    }

    /// @dev A timed event: anyone, any number of times; early or after engagement, nothing.
    function _issuanceDue(uint256 issuanceId) private returns (Transfer[] memory transfers) {
        LoanIssuance storage issuance = _existing(issuanceId);
        if (issuance.state != LoanState.Engageable || block.timestamp < issuance.issuanceDueTime) return transfers;
        return _returnCommitment(issuanceId, issuance, LoanState.Expired);
    }

    function _repay(uint256 issuanceId, address caller) private returns (Transfer[] memory transfers) {
        LoanIssuance storage issuance = _inState(issuanceId, LoanState.Engaged);
        (address lender, address borrower) = _parties(issuance);
        if (caller != borrower) revert LoanWrongCaller(caller, borrower);
        if (block.timestamp >= issuance.engagementDueTime) {
            revert LoanEngagementDue(issuanceId, issuance.engagementDueTime);
        }
        _setState(issuance, issuanceId, LoanState.Repaid);
        uint256 repayment = repaymentOf(issuance.principalAmount, issuance.interestRate);
        emit LoanRepaid(msg.sender, issuanceId, repayment);

        transfers = new Transfer[](2);
        transfers[0] = Transfer(TransferKind.IntraInstrument, issuance.principalToken, borrower, lender, repayment);
        transfers[1] = Transfer(TransferKind.Outbound, issuance.collateralToken, borrower, borrower, WHOLE_BALANCE);
    }

    /// @dev A timed event: anyone, any number of times; early or after repayment, nothing.
    function _engagementDue(uint256 issuanceId) private returns (Transfer[] memory transfers) {
        LoanIssuance storage issuance = _existing(issuanceId);
        if (issuance.state != LoanState.Engaged || block.timestamp < issuance.engagementDueTime) return transfers;
        _setState(issuance, issuanceId, LoanState.Defaulted);
        (address lender, address borrower) = _parties(issuance);
        transfers = new Transfer[](1);
        transfers[0] = Transfer(TransferKind.Outbound, issuance.collateralToken, borrower, lender, WHOLE_BALANCE);
    }

    // ------------------------------------------------------------------------------- internals

    /// @dev Ends an unengaged loan and gives the maker back all its escrow holds of its commitment.
    function _returnCommitment(
        uint256 issuanceId,
        LoanIssuance storage issuance,
        LoanState state
    ) private returns (Transfer[] memory transfers) {
        _setState(issuance, issuanceId, state);
        address maker = issuance.maker;
        transfers = new Transfer[](1);
        transfers[0] = Transfer(TransferKind.Outbound, _makerToken(issuance), maker, maker, WHOLE_BALANCE);
    }

    /// @dev What the maker commits at creation: the principal (Lending) or the collateral (Borrowing).
    function _makerToken(LoanIssuance storage issuance) private view returns (address) {
        return makerIsLender() ? issuance.principalToken : issuance.collateralToken;
    }

    function _parties(LoanIssuance storage issuance) private view returns (address lender, address borrower) {
        return makerIsLender() ? (issuance.maker, issuance.taker) : (issuance.taker, issuance.maker);
    }

    /// @dev The collateral issuance `issuanceId` asks of its borrower now; announced.
    function _collateralNow(uint256 issuanceId, LoanIssuance storage issuance) private returns (uint256 collateral) {
        address principalToken = issuance.principalToken;
        address collateralToken = issuance.collateralToken;
        collateral = collateralOf(principalToken, issuance.principalAmount, collateralToken, issuance.collateralRatio);
        if (collateral == 0) revert LoanZeroCollateral(principalToken, collateralToken);
        emit LoanCollateralPriced(msg.sender, issuanceId, collateral);
    }

    /// @dev The terms in `makerData`, checked against the calling manager's bounds.
    function _validTerms(address maker, bytes calldata makerData) private view returns (LoanIssuance memory terms) {
        if (makerData.length != _MAKER_DATA_LENGTH) revert LoanInvalidMakerData(makerData.length);
        (
            uint256 duration,
            address principalToken,
            uint256 principalAmount,
            address collateralToken,
            uint256 collateralRatio,
            uint256 tenor,
            uint256 interestRate
        ) = abi.decode(makerData, (uint256, address, uint256, address, uint256, uint256, uint256));
        _requireAsset(principalToken);
        _requireAsset(collateralToken);
        if (principalToken == collateralToken) revert LoanSameToken(principalToken);
        if (principalAmount == 0) revert LoanZeroPrincipal();
        _requireWithinBounds(duration, collateralRatio, tenor, interestRate);
        repaymentOf(principalAmount, interestRate); // reverts if it could never be repaid
        // The bounds' limits make these casts exact.
        terms.maker = maker;
        terms.issuanceDueTime = uint64(block.timestamp + duration);
        terms.state = LoanState.Engageable;
        terms.principalToken = principalToken;
        terms.tenor = uint64(tenor);
        terms.collateralRatio = uint32(collateralRatio);
        terms.collateralToken = collateralToken;
        terms.interestRate = uint32(interestRate);
        terms.principalAmount = principalAmount;
    }

    function _requireWithinBounds(
        uint256 duration,
        uint256 collateralRatio,
        uint256 tenor,
        uint256 interestRate
    ) private view {
        LoanBounds memory bounds = getBounds(msg.sender);
        _requireWithin("duration", duration, bounds.minDuration, bounds.maxDuration);
        _requireWithin("tenor", tenor, bounds.minTenor, bounds.maxTenor);
        _requireWithin("collateralRatio", collateralRatio, bounds.minCollateralRatio, bounds.maxCollateralRatio);
        _requireWithin("interestRate", interestRate, bounds.minInterestRate, bounds.maxInterestRate);
    }

    function _requireWithin(bytes32 parameter, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert LoanOutOfBounds(parameter, value, min, max);
    }

    function _existing(uint256 issuanceId) private view returns (LoanIssuance storage issuance) {
        issuance = _issuances[msg.sender][issuanceId];
        if (issuance.state == LoanState.None) revert LoanUnknownIssuance(issuanceId);
    }

    function _inState(uint256 issuanceId, LoanState state) private view returns (LoanIssuance storage issuance) {
        issuance = _existing(issuanceId);
        if (issuance.state != state) revert LoanWrongState(issuanceId, issuance.state);
    }

    function _setState(LoanIssuance storage issuance, uint256 issuanceId, LoanState state) private {
        issuance.state = state;
        emit LoanStateChanged(msg.sender, issuanceId, state);
    }

    function _requireAsset(address token) private view {
        if (!Assets.isAsset(token)) revert LoanInvalidToken(token);
    }
}
