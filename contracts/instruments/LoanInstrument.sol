// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {ENGAGEMENT_DUE, MARGIN_CALL, REPAY_FULL, Transfer} from "../../interfaces/IInstrument.sol";
import {
    BorrowingTakerTerms,
    ILoan,
    LendingTakerTerms,
    LoanBounds,
    LoanIssuance,
    LoanState,
    LoanTerms
} from "../../interfaces/ILoan.sol";
import {IPriceOracle} from "../../interfaces/IPriceOracle.sol";
import {InstrumentCore} from "./InstrumentCore.sol";
import {ProviderConfigurable} from "./ProviderConfigurable.sol";

/// @title LoanInstrument
/// @notice What Lending and Borrowing share (see ILoan): they differ only in whether the maker is
/// the lender, which decides what the maker commits at creation and what the taker does when it
/// engages. State is kept per calling manager; the instrument never holds or moves assets. The
/// lifecycle checks are InstrumentCore's.
abstract contract LoanInstrument is ILoan, InstrumentCore, ProviderConfigurable {
    uint256 private constant _ENGAGEMENT_ID = 1;
    uint256 private constant _BASIS_POINTS = 10_000;
    /// @dev The scale of `minCollateralPerPrincipal`.
    uint256 private constant _PRICE_BOUND_SCALE = 1e18;
    /// @dev The maker data: nine 32-byte words, or the original seven.
    uint256 private constant _SHORT_MAKER_DATA_LENGTH = 224;
    uint256 private constant _MAKER_DATA_LENGTH = 288;

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
        // The interest fits in 256 bits only if the high half of principal x rate is below the
        // divisor; checked first, so that it reverts with this error and not with a panic.
        (uint256 high, ) = Math.mul512(principalAmount, interestRate);
        if (high >= _BASIS_POINTS) revert LoanAmountTooLarge(principalAmount, interestRate);
        uint256 interest = Math.mulDiv(principalAmount, interestRate, _BASIS_POINTS);
        uint256 roundUp = mulmod(principalAmount, interestRate, _BASIS_POINTS) == 0 ? 0 : 1;
        (bool fits, uint256 repayment) = Math.tryAdd(principalAmount, interest);
        (bool stillFits, uint256 rounded) = Math.tryAdd(repayment, roundUp);
        if (!fits || !stillFits) revert LoanAmountTooLarge(principalAmount, interestRate);
        return rounded;
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

    /// @inheritdoc InstrumentCore
    function _header(address manager, uint256 issuanceId) internal view override returns (address, uint64, uint8) {
        LoanIssuance storage issuance = _issuances[manager][issuanceId];
        return (issuance.maker, issuance.issuanceDueTime, uint8(issuance.state));
    }

    /// @inheritdoc InstrumentCore
    function _create(
        uint256 issuanceId,
        address maker,
        bytes calldata makerData
    ) internal override returns (Transfer[] memory transfers) {
        LoanTerms memory terms = abi.decode(
            _makerData(makerData, _SHORT_MAKER_DATA_LENGTH, _MAKER_DATA_LENGTH),
            (LoanTerms)
        );
        _requireValidTerms(terms);
        LoanIssuance storage issuance = _issuances[msg.sender][issuanceId];
        uint64 issuanceDueTime = uint64(block.timestamp + terms.duration);
        // The bounds' limits make these casts exact. Slots that would stay zero are not written.
        issuance.maker = maker;
        issuance.issuanceDueTime = issuanceDueTime;
        issuance.state = LoanState.Engageable;
        if (terms.maintenanceRatio != 0) issuance.maintenanceRatio = uint32(terms.maintenanceRatio);
        issuance.principalToken = terms.principalToken;
        issuance.tenor = uint64(terms.tenor);
        issuance.collateralRatio = uint32(terms.collateralRatio);
        issuance.collateralToken = terms.collateralToken;
        issuance.interestRate = uint32(terms.interestRate);
        issuance.principalAmount = terms.principalAmount;
        if (terms.minCollateralPerPrincipal != 0) issuance.minCollateralPerPrincipal = terms.minCollateralPerPrincipal;
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
            issuanceDueTime
        );
        emit LoanStateChanged(msg.sender, issuanceId, LoanState.Engageable);

        // The maker commits its side, which must arrive whole: the principal it lends, or the
        // collateral it borrows against.
        transfers = new Transfer[](1);
        if (makerIsLender()) {
            transfers[0] = _commit(terms.principalToken, maker, terms.principalAmount, terms.principalAmount);
        } else {
            uint256 collateral = _collateralNow(issuanceId, issuance);
            transfers[0] = _commit(terms.collateralToken, maker, collateral, collateral);
        }
    }

    /// @inheritdoc InstrumentCore
    function _engage(
        uint256 issuanceId,
        address maker,
        address taker,
        bytes calldata takerData
    ) internal override returns (uint256 engagementId, Transfer[] memory transfers) {
        LoanIssuance storage issuance = _issuances[msg.sender][issuanceId];
        uint64 engagementDueTime = uint64(block.timestamp + issuance.tenor);
        issuance.taker = taker;
        issuance.engagementDueTime = engagementDueTime;
        _setState(issuance, issuanceId, LoanState.Engaged);
        emit LoanEngaged(msg.sender, issuanceId, taker, engagementDueTime);
        transfers =
            makerIsLender()
                ? _lend(issuanceId, issuance, maker, taker, takerData)
                : _fundBorrower(issuanceId, issuance, maker, taker, takerData);
        return (_ENGAGEMENT_ID, transfers);
    }

    /// @inheritdoc InstrumentCore
    function _end(uint256 issuanceId, bool cancelled) internal override returns (Transfer[] memory transfers) {
        LoanIssuance storage issuance = _issuances[msg.sender][issuanceId];
        _setState(issuance, issuanceId, cancelled ? LoanState.Cancelled : LoanState.Expired);
        address maker = issuance.maker;
        address token = makerIsLender() ? issuance.principalToken : issuance.collateralToken;
        transfers = new Transfer[](1);
        transfers[0] = _release(token, maker, maker, 0);
    }

    /// @inheritdoc InstrumentCore
    function _processEngagementEvent(
        uint256 issuanceId,
        uint256 engagementId,
        address caller,
        bytes32 eventName
    ) internal override returns (Transfer[] memory transfers) {
        if (eventName != REPAY_FULL && eventName != ENGAGEMENT_DUE && eventName != MARGIN_CALL) {
            revert InstrumentUnknownEvent(eventName);
        }
        LoanIssuance storage issuance = _issuances[msg.sender][issuanceId];
        LoanState state = issuance.state;
        if (state == LoanState.None) revert InstrumentUnknownIssuance(issuanceId);
        // A loan has its one engagement once it was engaged.
        _requireEngagement(issuanceId, engagementId, state >= LoanState.Engaged ? _ENGAGEMENT_ID : 0);
        if (eventName == REPAY_FULL) return _repay(issuanceId, issuance, caller);
        if (eventName == ENGAGEMENT_DUE) {
            if (!_isDue(issuanceId, uint8(state), uint8(LoanState.Engaged), issuance.engagementDueTime)) {
                return transfers;
            }
            return _default(issuanceId, issuance);
        }
        return _marginCall(issuanceId, issuance);
    }

    // ---------------------------------------------------------------------------------- engage

    /// @dev Lending: the taker borrows. Its collateral, priced now within the lender's bound and
    /// its own limit, moves in whole; the maker's principal goes out to it, whole and at least the
    /// borrower's minimum.
    function _lend(
        uint256 issuanceId,
        LoanIssuance storage issuance,
        address maker,
        address taker,
        bytes calldata takerData
    ) private returns (Transfer[] memory transfers) {
        LendingTakerTerms memory limits = abi.decode(_takerData(takerData, 0, 64), (LendingTakerTerms));
        uint256 principalAmount = issuance.principalAmount;
        uint256 collateral = _collateralNow(issuanceId, issuance);
        uint256 bound = Math.mulDiv(
            principalAmount,
            issuance.minCollateralPerPrincipal,
            _PRICE_BOUND_SCALE,
            Math.Rounding.Ceil
        );
        if (collateral < bound) revert LoanCollateralBelowBound(collateral, bound);
        if (limits.maxCollateral != 0 && collateral > limits.maxCollateral) {
            revert LoanCollateralAboveLimit(collateral, limits.maxCollateral);
        }
        transfers = new Transfer[](2);
        transfers[0] = _commit(issuance.collateralToken, taker, collateral, collateral);
        transfers[1] = _release(
            issuance.principalToken,
            maker,
            taker,
            Math.max(principalAmount, limits.minPrincipalReceived)
        );
    }

    /// @dev Borrowing: the taker lends, once the collateral the escrow holds covers the terms'
    /// ratio at the current price and the lender's own bound; the principal goes to the maker.
    function _fundBorrower(
        uint256 issuanceId,
        LoanIssuance storage issuance,
        address maker,
        address taker,
        bytes calldata takerData
    ) private returns (Transfer[] memory transfers) {
        BorrowingTakerTerms memory limits = abi.decode(_takerData(takerData, 0, 32), (BorrowingTakerTerms));
        uint256 held = _held(msg.sender, issuanceId, maker, issuance.collateralToken);
        uint256 required = _collateralNow(issuanceId, issuance);
        if (held < required) revert LoanUndercollateralised(held, required);
        if (held < limits.minCollateralHeld) revert LoanCollateralBelowBound(held, limits.minCollateralHeld);
        transfers = new Transfer[](1);
        transfers[0] = _pay(issuance.principalToken, taker, maker, issuance.principalAmount);
    }

    // ---------------------------------------------------------------------------------- events

    function _repay(
        uint256 issuanceId,
        LoanIssuance storage issuance,
        address caller
    ) private returns (Transfer[] memory transfers) {
        if (issuance.state != LoanState.Engaged) revert InstrumentWrongState(issuanceId, uint8(issuance.state));
        (address lender, address borrower) = _parties(issuance);
        _requireCaller(caller, borrower);
        if (block.timestamp >= issuance.engagementDueTime) {
            revert LoanEngagementDue(issuanceId, issuance.engagementDueTime);
        }
        _setState(issuance, issuanceId, LoanState.Repaid);
        uint256 repayment = repaymentOf(issuance.principalAmount, issuance.interestRate);
        emit LoanRepaid(msg.sender, issuanceId, repayment);

        // The borrower pays, and must get something of its collateral back.
        transfers = new Transfer[](2);
        transfers[0] = _pay(issuance.principalToken, borrower, lender, repayment);
        transfers[1] = _release(issuance.collateralToken, borrower, borrower, _SOMETHING);
    }

    /// @dev Anyone, any number of times: only an engaged loan with a maintenance ratio whose
    /// collateral held is now worth less than that ratio of what is owed defaults; otherwise
    /// nothing changes. The oracle is read only here and at engage.
    function _marginCall(uint256 issuanceId, LoanIssuance storage issuance) private returns (Transfer[] memory none) {
        uint256 maintenanceRatio = issuance.maintenanceRatio;
        if (issuance.state != LoanState.Engaged || maintenanceRatio == 0) return none;
        (, address borrower) = _parties(issuance);
        address collateralToken = issuance.collateralToken;
        uint256 held = _held(msg.sender, issuanceId, borrower, collateralToken);
        uint256 owed = repaymentOf(issuance.principalAmount, issuance.interestRate);
        uint256 required = collateralOf(issuance.principalToken, owed, collateralToken, maintenanceRatio);
        if (held >= required) return none;
        emit LoanMarginCalled(msg.sender, issuanceId, held, required);
        return _default(issuanceId, issuance);
    }

    /// @dev The loan defaults: the collateral goes to the lender, who paid for it: something must
    /// arrive.
    function _default(uint256 issuanceId, LoanIssuance storage issuance) private returns (Transfer[] memory transfers) {
        _setState(issuance, issuanceId, LoanState.Defaulted);
        (address lender, address borrower) = _parties(issuance);
        transfers = new Transfer[](1);
        transfers[0] = _release(issuance.collateralToken, borrower, lender, _SOMETHING);
    }

    // ------------------------------------------------------------------------------- internals

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

    /// @dev Reverts unless `terms` are valid for the calling manager's domain.
    function _requireValidTerms(LoanTerms memory terms) private view {
        _requireTokenPair(terms.principalToken, terms.collateralToken);
        if (terms.principalAmount == 0) revert InstrumentZeroAmount();
        LoanBounds memory bounds = getBounds(msg.sender);
        _requireWithin("duration", terms.duration, bounds.minDuration, bounds.maxDuration);
        _requireWithin("tenor", terms.tenor, bounds.minTenor, bounds.maxTenor);
        _requireWithin("collateralRatio", terms.collateralRatio, bounds.minCollateralRatio, bounds.maxCollateralRatio);
        _requireWithin("interestRate", terms.interestRate, bounds.minInterestRate, bounds.maxInterestRate);
        if (terms.maintenanceRatio >= terms.collateralRatio) {
            revert LoanInvalidMaintenanceRatio(terms.maintenanceRatio, terms.collateralRatio);
        }
        if (terms.minCollateralPerPrincipal != 0 && !makerIsLender()) revert LoanPriceBoundNotMakers();
        repaymentOf(terms.principalAmount, terms.interestRate); // reverts if it could never be repaid
    }

    function _requireWithin(bytes32 parameter, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert LoanOutOfBounds(parameter, value, min, max);
    }

    function _setState(LoanIssuance storage issuance, uint256 issuanceId, LoanState state) private {
        issuance.state = state;
        emit LoanStateChanged(msg.sender, issuanceId, state);
    }
}
