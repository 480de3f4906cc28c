// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {IAdminPriceOracle} from "../../../interfaces/IAdminPriceOracle.sol";
import {IEscrow, NATIVE_ETH} from "../../../interfaces/IEscrow.sol";
import {IEscrowFactory} from "../../../interfaces/IEscrowFactory.sol";
import {
    CANCEL_ISSUANCE,
    ENGAGEMENT_DUE,
    IInstrument,
    ISSUANCE_DUE,
    MARGIN_CALL,
    REPAY_FULL
} from "../../../interfaces/IInstrument.sol";
import {IInstrumentEscrow} from "../../../interfaces/IInstrumentEscrow.sol";
import {IInstrumentManager} from "../../../interfaces/IInstrumentManager.sol";
import {IInstrumentRegistry} from "../../../interfaces/IInstrumentRegistry.sol";
import {
    BorrowingTakerTerms,
    ILoan,
    LendingTakerTerms,
    LoanBounds,
    LoanIssuance,
    LoanState,
    LoanTerms
} from "../../../interfaces/ILoan.sol";
import {IPriceOracle} from "../../../interfaces/IPriceOracle.sol";
import {IProviderConfigurable} from "../../../interfaces/IProviderConfigurable.sol";
import {AdjustableFeeToken} from "../../../contracts/test/AdjustableFeeToken.sol";
import {MockERC20} from "../../../contracts/test/MockERC20.sol";
import {ZeroRateOracle} from "../../../contracts/test/ZeroRateOracle.sol";

/// @notice Lending and Borrowing through their managers: the provider-only bound setter
/// (ProviderConfigurable), the asset check of the terms (Assets), which side the maker takes
/// (Lending, Borrowing) and the loan lifecycle. Ported from tests/unit/Loan and
/// tests/unit/DurationBounds (the provider check).
contract LoanTest is Test {
    IEscrowFactory internal factory;
    IInstrumentRegistry internal registry;
    IAdminPriceOracle internal oracle;
    ILoan internal lending;
    ILoan internal borrowing;
    IInstrumentManager internal lendingManager;
    IInstrumentManager internal borrowingManager;
    IInstrumentEscrow internal lendingEscrow;
    IInstrumentEscrow internal borrowingEscrow;
    MockERC20 internal principal;
    MockERC20 internal collateral;
    address internal provider = makeAddr("provider");
    address internal maker = makeAddr("maker");
    address internal taker = makeAddr("taker");
    address internal stranger = makeAddr("stranger");

    function setUp() public {
        factory = IEscrowFactory(deployCode("EscrowFactory.sol:EscrowFactory"));
        registry = IInstrumentRegistry(deployCode("InstrumentRegistry.sol:InstrumentRegistry", abi.encode(factory)));
        oracle = IAdminPriceOracle(deployCode("AdminPriceOracle.sol:AdminPriceOracle", abi.encode(address(this))));
        lending = ILoan(deployCode("Lending.sol:Lending", abi.encode(oracle)));
        borrowing = ILoan(deployCode("Borrowing.sol:Borrowing", abi.encode(oracle)));
        vm.startPrank(provider);
        (, address manager, address escrow) = registry.activateInstrument(address(lending));
        lendingManager = IInstrumentManager(manager);
        lendingEscrow = IInstrumentEscrow(escrow);
        (, manager, escrow) = registry.activateInstrument(address(borrowing));
        borrowingManager = IInstrumentManager(manager);
        borrowingEscrow = IInstrumentEscrow(escrow);
        vm.stopPrank();
        principal = new MockERC20("Principal", "P", 18);
        collateral = new MockERC20("Collateral", "C", 18);
        // One principal unit is worth two collateral units.
        oracle.setRate(address(principal), address(collateral), 2, 1);
        oracle.setRate(NATIVE_ETH, address(collateral), 2, 1);
        oracle.setRate(address(principal), NATIVE_ETH, 2, 1);
        _fund(maker);
        _fund(taker);
    }

    function _fund(address user) internal {
        principal.mint(user, 10_000 ether);
        collateral.mint(user, 10_000 ether);
        vm.deal(user, 10_000 ether);
        vm.startPrank(user);
        for (uint256 i = 0; i < 2; ++i) {
            IInstrumentEscrow escrow = i == 0 ? lendingEscrow : borrowingEscrow;
            principal.approve(address(escrow), type(uint256).max);
            collateral.approve(address(escrow), type(uint256).max);
            escrow.depositToken(address(principal), 5_000 ether);
            escrow.depositToken(address(collateral), 5_000 ether);
            escrow.deposit{value: 5_000 ether}();
        }
        vm.stopPrank();
    }

    /// @dev 1,000 principal against 150% collateral (3,000 collateral at 2:1), 5% interest.
    function _terms(address principalToken, address collateralToken) internal pure returns (LoanTerms memory) {
        return
            LoanTerms({
                duration: 1 days,
                principalToken: principalToken,
                principalAmount: 1_000 ether,
                collateralToken: collateralToken,
                collateralRatio: 15_000,
                tenor: 30 days,
                interestRate: 500,
                minCollateralPerPrincipal: 0,
                maintenanceRatio: 0
            });
    }

    function _terms() internal view returns (LoanTerms memory) {
        return _terms(address(principal), address(collateral));
    }

    function _bounds() internal pure returns (LoanBounds memory) {
        return
            LoanBounds({
                minDuration: 2,
                maxDuration: 3 days,
                minTenor: 4,
                maxTenor: 60 days,
                minCollateralRatio: 10_000,
                maxCollateralRatio: 20_000,
                minInterestRate: 100,
                maxInterestRate: 900
            });
    }

    function _balance(IInstrumentEscrow escrow, address account, address token) internal view returns (uint256) {
        return escrow.getTokenBalance(account, token);
    }

    function _issuanceBalance(
        IInstrumentManager manager,
        uint256 issuanceId,
        address account,
        address token
    ) internal view returns (uint256) {
        return IEscrow(manager.getIssuanceEscrow(issuanceId)).getTokenBalance(account, token);
    }

    // ------------------------------------------------------------------------- which side, views

    function test_LendingsMakerLendsAndBorrowingsMakerBorrows() public view {
        assertTrue(lending.makerIsLender());
        assertFalse(borrowing.makerIsLender());
        assertEq(lending.oracle(), address(oracle));
        assertEq(borrowing.oracle(), address(oracle));
    }

    function test_ConstructorRefusesAnOracleWithoutCode() public {
        vm.expectRevert(abi.encodeWithSelector(ILoan.LoanInvalidOracle.selector, stranger));
        deployCode("Lending.sol:Lending", abi.encode(stranger));
        vm.expectRevert(abi.encodeWithSelector(ILoan.LoanInvalidOracle.selector, stranger));
        deployCode("Borrowing.sol:Borrowing", abi.encode(stranger));
    }

    // ------------------------------------------------------------------ provider bounds (setter)

    function test_TheProviderSetsBounds() public {
        LoanBounds memory bounds = _bounds();
        vm.expectEmit(address(lending));
        emit ILoan.LoanBoundsSet(address(lendingManager), bounds);
        vm.prank(provider);
        lending.setBounds(address(lendingManager), bounds);
        assertEq(abi.encode(lending.getBounds(address(lendingManager))), abi.encode(bounds));
        // Per manager: the Borrowing domain's bounds are still the widest.
        assertEq(abi.encode(lending.getBounds(address(borrowingManager))), abi.encode(lending.maxBounds()));
        vm.prank(provider);
        borrowing.setBounds(address(borrowingManager), bounds);
        assertEq(abi.encode(borrowing.getBounds(address(borrowingManager))), abi.encode(bounds));
    }

    function test_OnlyTheProviderSetsBounds() public {
        LoanBounds memory bounds = _bounds();
        vm.expectRevert(
            abi.encodeWithSelector(
                IProviderConfigurable.InstrumentNotProvider.selector,
                address(lendingManager),
                stranger,
                provider
            )
        );
        vm.prank(stranger);
        lending.setBounds(address(lendingManager), bounds);
        vm.expectRevert(
            abi.encodeWithSelector(
                IProviderConfigurable.InstrumentNotProvider.selector,
                address(borrowingManager),
                address(this),
                provider
            )
        );
        borrowing.setBounds(address(borrowingManager), bounds);
        assertEq(abi.encode(lending.getBounds(address(lendingManager))), abi.encode(lending.maxBounds()));
    }

    function test_SetBoundsRefusesAManagerWithoutCode() public {
        LoanBounds memory bounds = _bounds();
        vm.expectRevert(abi.encodeWithSelector(IProviderConfigurable.InstrumentNotManager.selector, stranger));
        vm.prank(provider);
        lending.setBounds(stranger, bounds);
        vm.expectRevert(abi.encodeWithSelector(IProviderConfigurable.InstrumentNotManager.selector, address(0)));
        borrowing.setBounds(address(0), bounds);
    }

    function test_AnotherDomainsProviderCannotSetBounds() public {
        address other = makeAddr("other");
        vm.prank(other);
        (, address manager, ) = registry.activateInstrument(address(lending));
        vm.prank(other);
        lending.setBounds(manager, _bounds());
        vm.expectRevert(
            abi.encodeWithSelector(
                IProviderConfigurable.InstrumentNotProvider.selector,
                address(lendingManager),
                other,
                provider
            )
        );
        vm.prank(other);
        lending.setBounds(address(lendingManager), _bounds());
    }

    function test_SetBoundsRefusesInvalidBounds() public {
        LoanBounds memory limit = lending.maxBounds();
        vm.startPrank(provider);
        LoanBounds memory bounds = _bounds();
        bounds.minDuration = 0;
        _expectInvalidBounds(bounds);
        bounds = _bounds();
        bounds.minDuration = bounds.maxDuration + 1;
        _expectInvalidBounds(bounds);
        bounds = _bounds();
        bounds.maxDuration = limit.maxDuration + 1;
        _expectInvalidBounds(bounds);
        bounds = _bounds();
        bounds.minTenor = 0;
        _expectInvalidBounds(bounds);
        bounds = _bounds();
        bounds.minTenor = bounds.maxTenor + 1;
        _expectInvalidBounds(bounds);
        bounds = _bounds();
        bounds.maxTenor = limit.maxTenor + 1;
        _expectInvalidBounds(bounds);
        bounds = _bounds();
        bounds.minCollateralRatio = 0;
        _expectInvalidBounds(bounds);
        bounds = _bounds();
        bounds.minCollateralRatio = bounds.maxCollateralRatio + 1;
        _expectInvalidBounds(bounds);
        bounds = _bounds();
        bounds.maxCollateralRatio = limit.maxCollateralRatio + 1;
        _expectInvalidBounds(bounds);
        bounds = _bounds();
        bounds.minInterestRate = bounds.maxInterestRate + 1;
        _expectInvalidBounds(bounds);
        bounds = _bounds();
        bounds.maxInterestRate = limit.maxInterestRate + 1;
        _expectInvalidBounds(bounds);
        // Each limit itself, and min == max, are valid.
        lending.setBounds(address(lendingManager), limit);
        assertEq(abi.encode(lending.getBounds(address(lendingManager))), abi.encode(limit));
        bounds = LoanBounds(7, 7, 8, 8, 9, 9, 10, 10);
        lending.setBounds(address(lendingManager), bounds);
        assertEq(abi.encode(lending.getBounds(address(lendingManager))), abi.encode(bounds));
        vm.stopPrank();
    }

    function _expectInvalidBounds(LoanBounds memory bounds) internal {
        vm.expectRevert(ILoan.LoanInvalidBounds.selector);
        lending.setBounds(address(lendingManager), bounds);
    }

    function test_MaxBounds() public view {
        LoanBounds memory limit = lending.maxBounds();
        assertEq(limit.minDuration, 1);
        assertEq(limit.maxDuration, 365 days);
        assertEq(limit.minTenor, 1);
        assertEq(limit.maxTenor, 10 * 365 days);
        assertEq(limit.minCollateralRatio, 1);
        assertEq(limit.maxCollateralRatio, 1_000_000);
        assertEq(limit.minInterestRate, 0);
        assertEq(limit.maxInterestRate, 1_000_000);
    }

    // ------------------------------------------------------------------------- assets (terms)

    function test_TermsRefuseAnAddressWithoutCodeAsEitherToken() public {
        vm.startPrank(maker);
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentInvalidToken.selector, stranger));
        lendingManager.createIssuance(abi.encode(_terms(stranger, address(collateral))));
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentInvalidToken.selector, stranger));
        lendingManager.createIssuance(abi.encode(_terms(address(principal), stranger)));
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentInvalidToken.selector, address(0)));
        borrowingManager.createIssuance(abi.encode(_terms(address(0), address(collateral))));
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentSameToken.selector, address(principal)));
        borrowingManager.createIssuance(abi.encode(_terms(address(principal), address(principal))));
        vm.stopPrank();
        assertEq(lendingManager.issuanceCount(), 0);
    }

    function test_EthIsAnAssetOnEitherSide() public {
        vm.startPrank(maker);
        uint256 first = lendingManager.createIssuance(abi.encode(_terms(NATIVE_ETH, address(collateral))));
        uint256 second = lendingManager.createIssuance(abi.encode(_terms(address(principal), NATIVE_ETH)));
        vm.stopPrank();
        assertEq(_issuanceBalance(lendingManager, first, maker, NATIVE_ETH), 1_000 ether);
        assertEq(_issuanceBalance(lendingManager, second, maker, address(principal)), 1_000 ether);
        vm.prank(taker);
        lendingManager.engageIssuance(first, abi.encode(LendingTakerTerms(0, 0)));
        assertEq(_balance(lendingEscrow, taker, NATIVE_ETH), 6_000 ether);
        vm.prank(taker);
        lendingManager.engageIssuance(second, abi.encode(LendingTakerTerms(0, 0)));
        assertEq(_issuanceBalance(lendingManager, second, taker, NATIVE_ETH), 3_000 ether);
    }

    // ------------------------------------------------------------------------------- lending

    function test_LendingMakerCommitsThePrincipal() public {
        vm.expectEmit(address(lending));
        emit ILoan.LoanCreated(
            address(lendingManager),
            1,
            maker,
            address(principal),
            1_000 ether,
            address(collateral),
            15_000,
            30 days,
            500,
            uint64(block.timestamp + 1 days)
        );
        vm.expectEmit(address(lending));
        emit ILoan.LoanStateChanged(address(lendingManager), 1, LoanState.Engageable);
        vm.prank(maker);
        uint256 id = lendingManager.createIssuance(abi.encode(_terms()));
        assertEq(_balance(lendingEscrow, maker, address(principal)), 4_000 ether);
        assertEq(_balance(lendingEscrow, maker, address(collateral)), 5_000 ether);
        assertEq(_issuanceBalance(lendingManager, id, maker, address(principal)), 1_000 ether);
        LoanIssuance memory issuance = lending.getIssuance(address(lendingManager), id);
        assertEq(issuance.maker, maker);
        assertEq(uint8(issuance.state), uint8(LoanState.Engageable));
        assertEq(issuance.principalAmount, 1_000 ether);
        assertEq(issuance.collateralRatio, 15_000);
        assertEq(issuance.tenor, 30 days);
        assertEq(issuance.interestRate, 500);
    }

    function test_LendingTakerBorrowsAgainstCollateralAndRepays() public {
        vm.prank(maker);
        uint256 id = lendingManager.createIssuance(abi.encode(_terms()));
        vm.expectEmit(address(lending));
        emit ILoan.LoanCollateralPriced(address(lendingManager), id, 3_000 ether);
        vm.prank(taker);
        lendingManager.engageIssuance(id, abi.encode(LendingTakerTerms(1_000 ether, 3_000 ether)));
        assertEq(_balance(lendingEscrow, taker, address(principal)), 6_000 ether);
        assertEq(_balance(lendingEscrow, taker, address(collateral)), 2_000 ether);
        assertEq(_issuanceBalance(lendingManager, id, taker, address(collateral)), 3_000 ether);
        assertEq(_issuanceBalance(lendingManager, id, maker, address(principal)), 0);
        LoanIssuance memory issuance = lending.getIssuance(address(lendingManager), id);
        assertEq(issuance.taker, taker);
        assertEq(uint8(issuance.state), uint8(LoanState.Engaged));
        assertEq(issuance.engagementDueTime, block.timestamp + 30 days);

        // Only the borrower (the taker) repays: principal and interest to the lender.
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentWrongCaller.selector, maker, taker));
        vm.prank(maker);
        lendingManager.processEvent(id, 1, REPAY_FULL, "");
        vm.expectEmit(address(lending));
        emit ILoan.LoanRepaid(address(lendingManager), id, 1_050 ether);
        vm.prank(taker);
        lendingManager.processEvent(id, 1, REPAY_FULL, "");
        assertEq(_balance(lendingEscrow, taker, address(principal)), 4_950 ether);
        assertEq(_balance(lendingEscrow, maker, address(principal)), 5_050 ether);
        assertEq(_balance(lendingEscrow, taker, address(collateral)), 5_000 ether);
        assertEq(uint8(lending.getIssuance(address(lendingManager), id).state), uint8(LoanState.Repaid));
    }

    function test_LendingTakersLimitsAndTheMakersPriceBound() public {
        LoanTerms memory terms = _terms();
        terms.minCollateralPerPrincipal = 3e18 + 1; // asks a little more than 3 collateral per principal
        vm.prank(maker);
        uint256 id = lendingManager.createIssuance(abi.encode(terms));
        vm.expectRevert(
            abi.encodeWithSelector(ILoan.LoanCollateralBelowBound.selector, 3_000 ether, 3_000 ether + 1_000)
        );
        vm.prank(taker);
        lendingManager.engageIssuance(id, abi.encode(LendingTakerTerms(0, 0)));
        terms.minCollateralPerPrincipal = 3e18;
        vm.prank(maker);
        id = lendingManager.createIssuance(abi.encode(terms));
        vm.expectRevert(abi.encodeWithSelector(ILoan.LoanCollateralAboveLimit.selector, 3_000 ether, 3_000 ether - 1));
        vm.prank(taker);
        lendingManager.engageIssuance(id, abi.encode(LendingTakerTerms(0, 3_000 ether - 1)));
        // More principal than the loan's is asked for: the release falls short of the minimum.
        vm.expectRevert(
            abi.encodeWithSelector(
                IInstrumentManager.ManagerCreditBelowMinimum.selector,
                1,
                address(principal),
                taker,
                1_000 ether,
                1_000 ether + 1
            )
        );
        vm.prank(taker);
        lendingManager.engageIssuance(id, abi.encode(LendingTakerTerms(1_000 ether + 1, 0)));
        vm.prank(taker);
        lendingManager.engageIssuance(id, abi.encode(LendingTakerTerms(0, 3_000 ether)));
    }

    function test_LendingDefaultsAfterTheTenorToTheLender() public {
        vm.prank(maker);
        uint256 id = lendingManager.createIssuance(abi.encode(_terms()));
        vm.prank(taker);
        lendingManager.engageIssuance(id, abi.encode(LendingTakerTerms(0, 0)));
        uint64 due = uint64(block.timestamp + 30 days);
        vm.warp(due - 1);
        vm.prank(stranger);
        lendingManager.processEvent(id, 1, ENGAGEMENT_DUE, "");
        assertEq(uint8(lending.getIssuance(address(lendingManager), id).state), uint8(LoanState.Engaged));
        vm.warp(due);
        vm.expectRevert(abi.encodeWithSelector(ILoan.LoanEngagementDue.selector, id, due));
        vm.prank(taker);
        lendingManager.processEvent(id, 1, REPAY_FULL, "");
        vm.prank(stranger);
        lendingManager.processEvent(id, 1, ENGAGEMENT_DUE, "");
        assertEq(uint8(lending.getIssuance(address(lendingManager), id).state), uint8(LoanState.Defaulted));
        assertEq(_balance(lendingEscrow, maker, address(collateral)), 8_000 ether);
        assertEq(_issuanceBalance(lendingManager, id, taker, address(collateral)), 0);
    }

    function test_MarginCallDefaultsOnlyBelowTheMaintenanceRatio() public {
        LoanTerms memory terms = _terms();
        terms.maintenanceRatio = 12_000;
        vm.prank(maker);
        uint256 id = lendingManager.createIssuance(abi.encode(terms));
        vm.prank(taker);
        lendingManager.engageIssuance(id, abi.encode(LendingTakerTerms(0, 0)));
        // Owed 1,050 principal = 2,100 collateral at 2:1; 120% of it is 2,520, under the 3,000 held.
        vm.prank(stranger);
        lendingManager.processEvent(id, 1, MARGIN_CALL, "");
        assertEq(uint8(lending.getIssuance(address(lendingManager), id).state), uint8(LoanState.Engaged));
        // At 3:1 owed is 3,150 collateral, 120% of it 3,780: the loan defaults.
        oracle.setRate(address(principal), address(collateral), 3, 1);
        vm.expectEmit(address(lending));
        emit ILoan.LoanMarginCalled(address(lendingManager), id, 3_000 ether, 3_780 ether);
        vm.prank(stranger);
        lendingManager.processEvent(id, 1, MARGIN_CALL, "");
        assertEq(uint8(lending.getIssuance(address(lendingManager), id).state), uint8(LoanState.Defaulted));
        assertEq(_balance(lendingEscrow, maker, address(collateral)), 8_000 ether);
    }

    function test_LendingMakerCancelsAndGetsThePrincipalBack() public {
        vm.prank(maker);
        uint256 id = lendingManager.createIssuance(abi.encode(_terms()));
        vm.prank(maker);
        lendingManager.processEvent(id, 0, CANCEL_ISSUANCE, "");
        assertEq(uint8(lending.getIssuance(address(lendingManager), id).state), uint8(LoanState.Cancelled));
        assertEq(_balance(lendingEscrow, maker, address(principal)), 5_000 ether);
    }

    // ----------------------------------------------------------------------------- borrowing

    function test_BorrowingMakerCommitsCollateralAndTheTakerLends() public {
        vm.expectEmit(address(borrowing));
        emit ILoan.LoanCollateralPriced(address(borrowingManager), 1, 3_000 ether);
        vm.prank(maker);
        uint256 id = borrowingManager.createIssuance(abi.encode(_terms()));
        assertEq(_balance(borrowingEscrow, maker, address(collateral)), 2_000 ether);
        assertEq(_balance(borrowingEscrow, maker, address(principal)), 5_000 ether);
        assertEq(_issuanceBalance(borrowingManager, id, maker, address(collateral)), 3_000 ether);

        vm.expectRevert(abi.encodeWithSelector(ILoan.LoanCollateralBelowBound.selector, 3_000 ether, 3_000 ether + 1));
        vm.prank(taker);
        borrowingManager.engageIssuance(id, abi.encode(BorrowingTakerTerms(3_000 ether + 1)));
        vm.prank(taker);
        borrowingManager.engageIssuance(id, abi.encode(BorrowingTakerTerms(3_000 ether)));
        assertEq(_balance(borrowingEscrow, maker, address(principal)), 6_000 ether);
        assertEq(_balance(borrowingEscrow, taker, address(principal)), 4_000 ether);
        assertEq(_balance(borrowingEscrow, taker, address(collateral)), 5_000 ether);

        // The borrower is the maker here.
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentWrongCaller.selector, taker, maker));
        vm.prank(taker);
        borrowingManager.processEvent(id, 1, REPAY_FULL, "");
        vm.prank(maker);
        borrowingManager.processEvent(id, 1, REPAY_FULL, "");
        assertEq(_balance(borrowingEscrow, maker, address(principal)), 4_950 ether);
        assertEq(_balance(borrowingEscrow, taker, address(principal)), 5_050 ether);
        assertEq(_balance(borrowingEscrow, maker, address(collateral)), 5_000 ether);
    }

    function test_BorrowingNeedsTheCollateralToCoverTheCurrentPrice() public {
        vm.prank(maker);
        uint256 id = borrowingManager.createIssuance(abi.encode(_terms()));
        oracle.setRate(address(principal), address(collateral), 3, 1);
        vm.expectRevert(abi.encodeWithSelector(ILoan.LoanUndercollateralised.selector, 3_000 ether, 4_500 ether));
        vm.prank(taker);
        borrowingManager.engageIssuance(id, abi.encode(BorrowingTakerTerms(0)));
    }

    function test_BorrowingRefusesAPriceBound() public {
        LoanTerms memory terms = _terms();
        terms.minCollateralPerPrincipal = 1;
        vm.expectRevert(ILoan.LoanPriceBoundNotMakers.selector);
        vm.prank(maker);
        borrowingManager.createIssuance(abi.encode(terms));
        vm.prank(maker);
        lendingManager.createIssuance(abi.encode(terms));
    }

    function test_BorrowingDefaultsToTheTakerAndCancelsToTheMaker() public {
        vm.prank(maker);
        uint256 id = borrowingManager.createIssuance(abi.encode(_terms()));
        vm.prank(maker);
        borrowingManager.processEvent(id, 0, CANCEL_ISSUANCE, "");
        assertEq(_balance(borrowingEscrow, maker, address(collateral)), 5_000 ether);
        assertEq(uint8(borrowing.getIssuance(address(borrowingManager), id).state), uint8(LoanState.Cancelled));
        vm.prank(maker);
        id = borrowingManager.createIssuance(abi.encode(_terms()));
        vm.prank(taker);
        borrowingManager.engageIssuance(id, abi.encode(BorrowingTakerTerms(0)));
        vm.warp(block.timestamp + 30 days);
        borrowingManager.processEvent(id, 1, ENGAGEMENT_DUE, "");
        assertEq(uint8(borrowing.getIssuance(address(borrowingManager), id).state), uint8(LoanState.Defaulted));
        assertEq(_balance(borrowingEscrow, taker, address(collateral)), 8_000 ether);
        assertEq(_balance(borrowingEscrow, maker, address(collateral)), 2_000 ether);
    }

    // ------------------------------------------------------------------------ terms and bounds

    /// @dev Terms of 1 principal (2:1, 150%: 3 collateral) that fit `_bounds()`.
    function _small() internal view returns (LoanTerms memory terms) {
        terms = _terms();
        terms.principalAmount = 1 ether;
        terms.duration = 1 days;
        terms.tenor = 30 days;
        terms.collateralRatio = 15_000;
        terms.interestRate = 500;
    }

    function _expectOutOfBounds(
        LoanTerms memory terms,
        bytes32 parameter,
        uint256 value,
        uint256 min,
        uint256 max
    ) internal {
        vm.expectRevert(abi.encodeWithSelector(ILoan.LoanOutOfBounds.selector, parameter, value, min, max));
        vm.prank(maker);
        lendingManager.createIssuance(abi.encode(terms));
    }

    function _create(LoanTerms memory terms) internal returns (uint256) {
        vm.prank(maker);
        return lendingManager.createIssuance(abi.encode(terms));
    }

    /// @dev A Lending loan of `_terms()` with `maintenanceRatio`, engaged by the taker.
    function _engagedLending(uint256 maintenanceRatio) internal returns (uint256 id) {
        LoanTerms memory terms = _terms();
        terms.maintenanceRatio = maintenanceRatio;
        id = _create(terms);
        vm.prank(taker);
        lendingManager.engageIssuance(id, "");
    }

    function test_TermsOutsideTheBoundsRevertNamingTheParameter() public {
        LoanBounds memory b = _bounds();
        vm.prank(provider);
        lending.setBounds(address(lendingManager), b);
        LoanTerms memory terms = _small();
        terms.duration = b.minDuration - 1;
        _expectOutOfBounds(terms, "duration", terms.duration, b.minDuration, b.maxDuration);
        terms.duration = b.maxDuration + 1;
        _expectOutOfBounds(terms, "duration", terms.duration, b.minDuration, b.maxDuration);
        terms.duration = b.minDuration;
        _create(terms);
        terms.duration = b.maxDuration;
        uint256 id = _create(terms);
        assertEq(lending.getIssuance(address(lendingManager), id).issuanceDueTime, block.timestamp + b.maxDuration);

        terms = _small();
        terms.tenor = b.minTenor - 1;
        _expectOutOfBounds(terms, "tenor", terms.tenor, b.minTenor, b.maxTenor);
        terms.tenor = b.maxTenor + 1;
        _expectOutOfBounds(terms, "tenor", terms.tenor, b.minTenor, b.maxTenor);
        terms.tenor = b.minTenor;
        _create(terms);
        terms.tenor = b.maxTenor;
        _create(terms);

        terms = _small();
        terms.collateralRatio = b.minCollateralRatio - 1;
        _expectOutOfBounds(terms, "collateralRatio", terms.collateralRatio, b.minCollateralRatio, b.maxCollateralRatio);
        terms.collateralRatio = b.maxCollateralRatio + 1;
        _expectOutOfBounds(terms, "collateralRatio", terms.collateralRatio, b.minCollateralRatio, b.maxCollateralRatio);
        terms.collateralRatio = b.minCollateralRatio;
        _create(terms);
        terms.collateralRatio = b.maxCollateralRatio;
        _create(terms);

        terms = _small();
        terms.interestRate = b.minInterestRate - 1;
        _expectOutOfBounds(terms, "interestRate", terms.interestRate, b.minInterestRate, b.maxInterestRate);
        terms.interestRate = b.maxInterestRate + 1;
        _expectOutOfBounds(terms, "interestRate", terms.interestRate, b.minInterestRate, b.maxInterestRate);
        terms.interestRate = b.minInterestRate;
        _create(terms);
        terms.interestRate = b.maxInterestRate;
        _create(terms);
        assertEq(lendingManager.issuanceCount(), 8);
    }

    function test_TheWidestBoundsApplyUntilTheProviderSetsSome() public {
        LoanTerms memory terms = _small();
        terms.interestRate = 0;
        terms.duration = 365 days;
        terms.tenor = 10 * 365 days;
        _create(terms);
        terms.duration = 365 days + 1;
        _expectOutOfBounds(terms, "duration", 365 days + 1, 1, 365 days);
        terms = _small();
        terms.collateralRatio = 1_000_001;
        _expectOutOfBounds(terms, "collateralRatio", 1_000_001, 1, 1_000_000);
    }

    function test_ZeroPrincipalAndAMaintenanceRatioAtTheCollateralRatioAreRefused() public {
        LoanTerms memory terms = _small();
        terms.principalAmount = 0;
        vm.expectRevert(IInstrument.InstrumentZeroAmount.selector);
        _create(terms);
        terms = _small();
        terms.maintenanceRatio = terms.collateralRatio;
        vm.expectRevert(abi.encodeWithSelector(ILoan.LoanInvalidMaintenanceRatio.selector, 15_000, 15_000));
        _create(terms);
        terms.maintenanceRatio = terms.collateralRatio - 1;
        terms.minCollateralPerPrincipal = 7;
        uint256 id = _create(terms);
        LoanIssuance memory issuance = lending.getIssuance(address(lendingManager), id);
        assertEq(issuance.maintenanceRatio, 14_999);
        assertEq(issuance.minCollateralPerPrincipal, 7);
        assertEq(issuance.principalToken, address(principal));
        assertEq(issuance.collateralToken, address(collateral));
        assertEq(issuance.issuanceDueTime, block.timestamp + 1 days);
        assertEq(issuance.taker, address(0));
        assertEq(issuance.engagementDueTime, 0);
    }

    function test_MakerDataIsSevenOrNineWords() public {
        LoanTerms memory t = _small();
        bytes memory short = abi.encode(
            t.duration,
            t.principalToken,
            t.principalAmount,
            t.collateralToken,
            t.collateralRatio,
            t.tenor,
            t.interestRate
        );
        uint256 id = _create(t);
        vm.prank(maker);
        uint256 second = lendingManager.createIssuance(short);
        assertEq(
            abi.encode(lending.getIssuance(address(lendingManager), second)),
            abi.encode(lending.getIssuance(address(lendingManager), id))
        );
        bytes[3] memory wrong = [bytes.concat(short, hex"00"), bytes.concat(abi.encode(t), bytes32(0)), bytes("")];
        for (uint256 i = 0; i < 3; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentInvalidMakerData.selector, wrong[i].length));
            vm.prank(maker);
            lendingManager.createIssuance(wrong[i]);
        }
    }

    function test_TakerDataLengths() public {
        uint256 id = _create(_small());
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentInvalidTakerData.selector, 32));
        vm.prank(taker);
        lendingManager.engageIssuance(id, abi.encode(uint256(0)));
        vm.prank(taker);
        lendingManager.engageIssuance(id, ""); // no limits
        assertEq(_issuanceBalance(lendingManager, id, taker, address(collateral)), 3 ether);

        vm.prank(maker);
        id = borrowingManager.createIssuance(abi.encode(_small()));
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentInvalidTakerData.selector, 64));
        vm.prank(taker);
        borrowingManager.engageIssuance(id, abi.encode(uint256(0), uint256(0)));
        vm.prank(taker);
        borrowingManager.engageIssuance(id, "");
        assertEq(_balance(borrowingEscrow, maker, address(principal)), 5_001 ether);
    }

    // ------------------------------------------------------------------------------ arithmetic

    function test_RepaymentRoundsTheInterestUp() public view {
        assertEq(lending.repaymentOf(1_000 ether, 500), 1_050 ether);
        assertEq(lending.repaymentOf(10_000, 1), 10_001);
        assertEq(lending.repaymentOf(1, 1), 2);
        assertEq(lending.repaymentOf(9_999, 1), 10_000);
        assertEq(lending.repaymentOf(7, 0), 7);
        assertEq(lending.repaymentOf(0, 900), 0);
        assertEq(lending.repaymentOf(type(uint256).max, 0), type(uint256).max);
        assertEq(borrowing.repaymentOf(3, 5_000), 5);
    }

    function test_RepaymentTooLargeReverts() public {
        // The high half of principal x rate reaches the divisor: checked before dividing.
        vm.expectRevert(abi.encodeWithSelector(ILoan.LoanAmountTooLarge.selector, 1 << 255, 20_000));
        lending.repaymentOf(1 << 255, 20_000);
        // Just below it, the interest fits but the sum does not.
        vm.expectRevert(abi.encodeWithSelector(ILoan.LoanAmountTooLarge.selector, 1 << 255, 19_999));
        lending.repaymentOf(1 << 255, 19_999);
        vm.expectRevert(abi.encodeWithSelector(ILoan.LoanAmountTooLarge.selector, type(uint256).max, 1));
        lending.repaymentOf(type(uint256).max, 1);
        // Far above it: refused by the same check, before mulDiv could overflow.
        vm.expectRevert(abi.encodeWithSelector(ILoan.LoanAmountTooLarge.selector, type(uint256).max, 1_000_000));
        lending.repaymentOf(type(uint256).max, 1_000_000);
        // The rounding alone overflows: max - 1 + 0 interest (rate 1 of 1... below a unit) + 1.
        assertEq(lending.repaymentOf(type(uint256).max - 1, 0), type(uint256).max - 1);
        LoanTerms memory terms = _small();
        terms.principalAmount = type(uint256).max;
        terms.interestRate = 1;
        vm.expectRevert(abi.encodeWithSelector(ILoan.LoanAmountTooLarge.selector, type(uint256).max, 1));
        _create(terms);
    }

    function test_CollateralRoundsUp() public {
        oracle.setRate(address(principal), address(collateral), 1, 3);
        assertEq(lending.collateralOf(address(principal), 10, address(collateral), 10_000), 4);
        assertEq(lending.collateralOf(address(principal), 10, address(collateral), 15_000), 6);
        assertEq(lending.collateralOf(address(principal), 9, address(collateral), 10_000), 3);
        assertEq(lending.collateralOf(address(principal), 1, address(collateral), 1), 1);
        assertEq(lending.collateralOf(address(principal), 30_000, address(collateral), 5_000), 5_000);
        // Read the other way round.
        assertEq(lending.collateralOf(address(collateral), 10, address(principal), 10_000), 30);
    }

    function test_ZeroCollateralIsRefused() public {
        ILoan zero = ILoan(deployCode("Borrowing.sol:Borrowing", abi.encode(new ZeroRateOracle())));
        (, address manager, ) = registry.activateInstrument(address(zero));
        vm.expectRevert(
            abi.encodeWithSelector(ILoan.LoanZeroCollateral.selector, address(principal), address(collateral))
        );
        vm.prank(maker);
        IInstrumentManager(manager).createIssuance(abi.encode(_small()));
    }

    // ---------------------------------------------------------------------- lifecycle details

    function test_EngageRecordsTheTakerAndTheDueTime() public {
        uint256 id = _create(_small());
        uint64 due = uint64(block.timestamp + 30 days);
        vm.expectEmit(address(lending));
        emit ILoan.LoanStateChanged(address(lendingManager), id, LoanState.Engaged);
        vm.expectEmit(address(lending));
        emit ILoan.LoanEngaged(address(lendingManager), id, taker, due);
        vm.prank(taker);
        lendingManager.engageIssuance(id, "");
        LoanIssuance memory issuance = lending.getIssuance(address(lendingManager), id);
        assertEq(issuance.taker, taker);
        assertEq(issuance.engagementDueTime, due);
        assertEq(issuance.maker, maker);
        // Engaged once: a second engagement is refused.
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentWrongState.selector, id, 4));
        vm.prank(stranger);
        lendingManager.engageIssuance(id, "");
    }

    function test_EngagementEventsNeedTheOneEngagement() public {
        uint256 id = _create(_small());
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownEngagement.selector, id, 1));
        lendingManager.processEvent(id, 1, REPAY_FULL, "");
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownEngagement.selector, id, 1));
        lendingManager.processEvent(id, 1, MARGIN_CALL, "");
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownEvent.selector, bytes32("other")));
        lendingManager.processEvent(id, 1, "other", "");
        vm.prank(taker);
        lendingManager.engageIssuance(id, "");
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownEngagement.selector, id, 0));
        lendingManager.processEvent(id, 0, REPAY_FULL, "");
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownEngagement.selector, id, 2));
        lendingManager.processEvent(id, 2, ENGAGEMENT_DUE, "");
        // Repaid: repaying again is refused, and due or margin calls change nothing.
        vm.prank(taker);
        lendingManager.processEvent(id, 1, REPAY_FULL, "");
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentWrongState.selector, id, 5));
        vm.prank(taker);
        lendingManager.processEvent(id, 1, REPAY_FULL, "");
        vm.warp(block.timestamp + 365 days);
        oracle.setRate(address(principal), address(collateral), 1_000, 1);
        lendingManager.processEvent(id, 1, ENGAGEMENT_DUE, "");
        lendingManager.processEvent(id, 1, MARGIN_CALL, "");
        assertEq(uint8(lending.getIssuance(address(lendingManager), id).state), uint8(LoanState.Repaid));
    }

    function test_RepayJustBeforeTheDueTime() public {
        uint256 id = _create(_small());
        vm.prank(taker);
        lendingManager.engageIssuance(id, "");
        vm.warp(block.timestamp + 30 days - 1);
        vm.prank(taker);
        lendingManager.processEvent(id, 1, REPAY_FULL, "");
        assertEq(_balance(lendingEscrow, maker, address(principal)), 5_000 ether + 0.05 ether);
        // A defaulted loan cannot be repaid.
        id = _create(_small());
        vm.prank(taker);
        lendingManager.engageIssuance(id, "");
        vm.warp(block.timestamp + 30 days);
        lendingManager.processEvent(id, 1, ENGAGEMENT_DUE, "");
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentWrongState.selector, id, 6));
        vm.prank(taker);
        lendingManager.processEvent(id, 1, REPAY_FULL, "");
    }

    function test_MarginCallAtExactlyTheMaintenanceRatioDoesNothing() public {
        uint256 id = _engagedLending(12_000);
        // Owed 1,050 principal at 50:21 is 2,500 collateral; 120% of it is 3,000: what is held.
        oracle.setRate(address(principal), address(collateral), 50, 21);
        lendingManager.processEvent(id, 1, MARGIN_CALL, "");
        assertEq(uint8(lending.getIssuance(address(lendingManager), id).state), uint8(LoanState.Engaged));
        oracle.setRate(address(principal), address(collateral), 50e18 + 1, 21e18);
        vm.expectEmit(address(lending));
        emit ILoan.LoanMarginCalled(address(lendingManager), id, 3_000 ether, 3_000 ether + 60);
        lendingManager.processEvent(id, 1, MARGIN_CALL, "");
        assertEq(uint8(lending.getIssuance(address(lendingManager), id).state), uint8(LoanState.Defaulted));
    }

    function test_NoMaintenanceRatioNoMarginCall() public {
        uint256 id = _engagedLending(0);
        oracle.setRate(address(principal), address(collateral), 1_000, 1);
        lendingManager.processEvent(id, 1, MARGIN_CALL, "");
        assertEq(uint8(lending.getIssuance(address(lendingManager), id).state), uint8(LoanState.Engaged));
        // Borrowing: the maker is the borrower whose collateral is measured.
        oracle.setRate(address(principal), address(collateral), 2, 1);
        LoanTerms memory terms = _terms();
        terms.maintenanceRatio = 12_000;
        vm.prank(maker);
        id = borrowingManager.createIssuance(abi.encode(terms));
        vm.prank(taker);
        borrowingManager.engageIssuance(id, "");
        borrowingManager.processEvent(id, 1, MARGIN_CALL, "");
        assertEq(uint8(borrowing.getIssuance(address(borrowingManager), id).state), uint8(LoanState.Engaged));
        oracle.setRate(address(principal), address(collateral), 3, 1);
        borrowingManager.processEvent(id, 1, MARGIN_CALL, "");
        assertEq(uint8(borrowing.getIssuance(address(borrowingManager), id).state), uint8(LoanState.Defaulted));
        assertEq(_balance(borrowingEscrow, taker, address(collateral)), 5_000 ether + 3_000 ether);
    }

    function test_AnExpiredIssuanceReturnsWhatTheMakerCommitted() public {
        uint256 id = _create(_small());
        vm.prank(maker);
        uint256 borrowed = borrowingManager.createIssuance(abi.encode(_small()));
        vm.warp(block.timestamp + 1 days);
        vm.expectRevert(
            abi.encodeWithSelector(IInstrument.InstrumentIssuanceDue.selector, id, uint64(block.timestamp))
        );
        vm.prank(taker);
        lendingManager.engageIssuance(id, "");
        vm.expectEmit(address(lending));
        emit ILoan.LoanStateChanged(address(lendingManager), id, LoanState.Expired);
        lendingManager.processEvent(id, 0, ISSUANCE_DUE, "");
        borrowingManager.processEvent(borrowed, 0, ISSUANCE_DUE, "");
        assertEq(uint8(lending.getIssuance(address(lendingManager), id).state), uint8(LoanState.Expired));
        assertEq(uint8(borrowing.getIssuance(address(borrowingManager), borrowed).state), uint8(LoanState.Expired));
        assertEq(_balance(lendingEscrow, maker, address(principal)), 5_000 ether);
        assertEq(_balance(borrowingEscrow, maker, address(collateral)), 5_000 ether);
    }

    function test_ThePrincipalReleasedToTheBorrowerMustArriveWhole() public {
        AdjustableFeeToken fee = new AdjustableFeeToken();
        oracle.setRate(address(fee), address(collateral), 2, 1);
        fee.mint(maker, 10 ether);
        vm.startPrank(maker);
        fee.approve(address(lendingEscrow), 10 ether);
        lendingEscrow.depositToken(address(fee), 10 ether);
        vm.stopPrank();
        LoanTerms memory terms = _small();
        terms.principalToken = address(fee);
        uint256 id = _create(terms);
        fee.setFeeBasisPoints(100);
        vm.expectRevert(
            abi.encodeWithSelector(
                IInstrumentManager.ManagerCreditBelowMinimum.selector,
                1,
                address(fee),
                taker,
                0.99 ether,
                1 ether
            )
        );
        vm.prank(taker);
        lendingManager.engageIssuance(id, "");
    }

    function test_LargeRatiosRatesAndTimesAreStoredWhole() public {
        vm.warp((1 << 32) + 5); // past what 32 bits of seconds hold
        LoanTerms memory terms = _small();
        terms.collateralRatio = 100_000;
        terms.interestRate = 70_000;
        terms.maintenanceRatio = 80_000;
        uint256 id = _create(terms);
        vm.prank(taker);
        assertEq(lendingManager.engageIssuance(id, ""), 1);
        LoanIssuance memory issuance = lending.getIssuance(address(lendingManager), id);
        assertEq(issuance.collateralRatio, 100_000);
        assertEq(issuance.interestRate, 70_000);
        assertEq(issuance.maintenanceRatio, 80_000);
        assertEq(issuance.issuanceDueTime, block.timestamp + 1 days);
        assertEq(issuance.engagementDueTime, block.timestamp + 30 days);
        assertEq(_issuanceBalance(lendingManager, id, taker, address(collateral)), 20 ether);
        vm.prank(taker);
        lendingManager.processEvent(id, 1, REPAY_FULL, "");
        assertEq(_balance(lendingEscrow, maker, address(principal)), 5_007 ether);
    }

    // ------------------------------------------------------------- refusals at their boundaries

    function test_TheInstrumentRefusesAnIssuanceItsCallerNeverCreated() public {
        // Called directly, this test is a manager with no issuances: the instrument itself refuses
        // the unknown id (a manager refuses it before asking, so only a direct call reaches this).
        for (uint256 i = 0; i < 3; ++i) {
            bytes32 eventName =
                i == 0
                    ? REPAY_FULL
                    : i == 1
                        ? ENGAGEMENT_DUE
                        : MARGIN_CALL;
            vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownIssuance.selector, 7));
            lending.processEvent(7, 1, taker, eventName, "");
        }
    }

    function test_RepayLongAfterTheDueTimeIsRefused() public {
        uint256 id = _create(_small());
        vm.prank(taker);
        lendingManager.engageIssuance(id, "");
        uint64 due = uint64(block.timestamp + 30 days);
        vm.warp(due + 1 days);
        vm.expectRevert(abi.encodeWithSelector(ILoan.LoanEngagementDue.selector, id, due));
        vm.prank(taker);
        lendingManager.processEvent(id, 1, REPAY_FULL, "");
    }

    function test_AMarginCallOnARepaidLoanChangesNothing() public {
        uint256 id = _engagedLending(12_000);
        vm.prank(taker);
        lendingManager.processEvent(id, 1, REPAY_FULL, "");
        // Even at a price where an engaged loan would default, and with no collateral left held.
        oracle.setRate(address(principal), address(collateral), 1_000, 1);
        lendingManager.processEvent(id, 1, MARGIN_CALL, "");
        assertEq(uint8(lending.getIssuance(address(lendingManager), id).state), uint8(LoanState.Repaid));
        assertEq(_balance(lendingEscrow, taker, address(collateral)), 5_000 ether);
        assertEq(_balance(lendingEscrow, maker, address(collateral)), 5_000 ether);
    }

    function test_AMarginCallWithoutMaintenanceRatioDoesNotAskTheOracle() public {
        uint256 id = _engagedLending(0);
        vm.mockCallRevert(address(oracle), abi.encodeWithSelector(IPriceOracle.getRate.selector), "no price");
        lendingManager.processEvent(id, 1, MARGIN_CALL, "");
        assertEq(uint8(lending.getIssuance(address(lendingManager), id).state), uint8(LoanState.Engaged));
    }

    function test_LendingTakersCollateralLimitAboveThePriceEngages() public {
        uint256 id = _create(_terms());
        vm.prank(taker);
        lendingManager.engageIssuance(id, abi.encode(LendingTakerTerms(0, 3_000 ether + 1)));
        assertEq(_issuanceBalance(lendingManager, id, taker, address(collateral)), 3_000 ether);
    }

    function test_BorrowingEngagesWhenTheHeldCollateralIsWorthMoreThanRequired() public {
        vm.prank(maker);
        uint256 id = borrowingManager.createIssuance(abi.encode(_terms()));
        // One principal is now worth one collateral: 1,500 required, 3,000 held.
        oracle.setRate(address(principal), address(collateral), 1, 1);
        vm.prank(taker);
        borrowingManager.engageIssuance(id, abi.encode(BorrowingTakerTerms(0)));
        assertEq(uint8(borrowing.getIssuance(address(borrowingManager), id).state), uint8(LoanState.Engaged));
        assertEq(_balance(borrowingEscrow, maker, address(principal)), 6_000 ether);
    }

    function test_AMaintenanceRatioAboveTheCollateralRatioIsRefused() public {
        LoanTerms memory terms = _small();
        terms.maintenanceRatio = terms.collateralRatio + 1;
        vm.expectRevert(abi.encodeWithSelector(ILoan.LoanInvalidMaintenanceRatio.selector, 15_001, 15_000));
        _create(terms);
    }
}
