// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {IAdminPriceOracle} from "../../../interfaces/IAdminPriceOracle.sol";
import {IEscrow, NATIVE_ETH} from "../../../interfaces/IEscrow.sol";
import {IEscrowFactory} from "../../../interfaces/IEscrowFactory.sol";
import {CANCEL_ISSUANCE, ENGAGEMENT_DUE, IInstrument, MARGIN_CALL, REPAY_FULL} from "../../../interfaces/IInstrument.sol";
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
import {IProviderConfigurable} from "../../../interfaces/IProviderConfigurable.sol";
import {MockERC20} from "../../../contracts/test/MockERC20.sol";

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
        vm.expectRevert(
            abi.encodeWithSelector(ILoan.LoanCollateralAboveLimit.selector, 3_000 ether, 3_000 ether - 1)
        );
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
}
