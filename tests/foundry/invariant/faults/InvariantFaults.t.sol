// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IEscrow, NATIVE_ETH} from "../../../../interfaces/IEscrow.sol";
import {IMultiSwap, MultiSwapIssuance} from "../../../../interfaces/IMultiSwap.sol";
import {PlatformSetUp} from "../../base/Platform.sol";
import {PlatformHandler} from "../PlatformHandler.sol";
import {MinimumDroppingSwap, OverCreditingInstrumentEscrow} from "./BrokenTwins.sol";
import {FaultyHandler} from "./FaultyHandler.sol";

/// @notice Seeds that make the handler's actions deterministic (see PlatformHandler's bounding):
/// user, domain and asset indices are taken modulo their counts.
abstract contract FaultSetUp is PlatformSetUp {
    uint256 internal constant MAKER = 0;
    uint256 internal constant TAKER = 2;
    uint256 internal constant SWAP = 0;
    uint256 internal constant MULTISWAP = 1;
    uint256 internal constant OTHER_SWAP = 4;
    uint256 internal constant ETH = 0;
    uint256 internal constant TOKEN = 1;
    /// @dev `_amount(1996)`: 500 units.
    uint256 internal constant FIVE_HUNDRED = 1996;
    /// @dev `createSwap` terms: 1 unit of the adjustable fee token for 1 unit of `token`, due in a day.
    uint256 internal constant ADJUSTABLE_FOR_TOKEN = 6 + (2 << 8);
    /// @dev `setAdjustableFee`: everything.
    uint256 internal constant FEE_EVERYTHING = 3;
    /// @dev `engage` of the newest issuance; as taker data, no minimum.
    uint256 internal constant NEWEST = 0;
    uint256 internal constant NO_MINIMUM = 4;

    FaultyHandler internal handler;

    function _deployHandler() internal {
        handler = new FaultyHandler(platform, domains(), users(), assets());
    }

    function _transferByAdmin(address from, address to) internal pure returns (bytes memory) {
        return abi.encodeCall(IEscrow.transferByAdmin, (from, to, NATIVE_ETH, 1));
    }
}

/// @title InvariantFaultsTest
/// @notice Each invariant check of PlatformHandler fails on a broken system, as
/// tests/stateful/test_invariant_faults.py shows for the Hypothesis machine: a broken twin of a
/// contract, a corrupted ledger or balance, or a deliberately wrong move made during a step. Each
/// test fails if its check is removed; the control tests show the checks pass on the real
/// platform for the same moves made rightly.
contract InvariantFaultsTest is FaultSetUp {
    function setUp() public {
        _deployPlatform();
        _deployHandler();
    }

    function test_everyCheckPassesOnTheRealPlatform() public {
        handler.deposit(MAKER, SWAP, ETH, FIVE_HUNDRED);
        handler.createSwap(MAKER, SWAP, ADJUSTABLE_FOR_TOKEN);
        handler.engage(TAKER, SWAP, NEWEST, NO_MINIMUM);
        _checkAll();
        assertEq(handler.settlements(), 1);
    }

    function test_solvencyFailsWhenAnEscrowOverCredits() public {
        vm.etch(platform.factory.instrumentEscrowImplementation(), address(new OverCreditingInstrumentEscrow()).code);
        handler.deposit(MAKER, SWAP, ETH, FIVE_HUNDRED);
        vm.expectPartialRevert(PlatformHandler.Insolvent.selector);
        handler.checkSolvency();
    }

    function test_solvencyEverywhereFailsOnACorruptedLedger() public {
        handler.deposit(MAKER, OTHER_SWAP, TOKEN, FIVE_HUNDRED);
        handler.checkSolvencyEverywhere();
        bytes32 slot = keccak256(
            abi.encode(address(platform.token), keccak256(abi.encode(platform.maker, uint256(0))))
        );
        vm.store(address(platform.otherSwapDomain.escrow), slot, bytes32(uint256(501)));
        vm.expectPartialRevert(PlatformHandler.Insolvent.selector);
        handler.checkSolvencyEverywhere();
    }

    function test_solvencyFailsWhenAnEscrowBooksForAStranger() public {
        handler.deposit(MAKER, SWAP, ETH, FIVE_HUNDRED);
        IEscrow escrow = platform.swapDomain.escrow;
        bytes memory move = abi.encodeCall(IEscrow.transferByAdmin, (platform.maker, platform.keeper, NATIVE_ETH, 1));
        handler.wrongMove(SWAP, platform.maker, address(platform.swapDomain.manager), address(escrow), move, 0);
        vm.expectPartialRevert(PlatformHandler.BookedForStranger.selector);
        handler.checkSolvency();
    }

    function test_isolationFailsWhenAStepMovesAnotherDomainsLedger() public {
        handler.deposit(MAKER, OTHER_SWAP, ETH, FIVE_HUNDRED);
        address otherManager = address(platform.otherSwapDomain.manager);
        address otherEscrow = address(platform.otherSwapDomain.escrow);
        bytes memory move = _transferByAdmin(platform.maker, platform.taker);
        // The same move in its own domain's step breaks no isolation.
        handler.wrongMove(OTHER_SWAP, platform.maker, otherManager, otherEscrow, move, 0);
        handler.checkIsolation();
        handler.wrongMove(SWAP, platform.maker, otherManager, otherEscrow, move, 0);
        vm.expectPartialRevert(PlatformHandler.IsolationBroken.selector);
        handler.checkIsolation();
    }

    function test_noLossWithoutConsentFailsWhenAnotherUserIsDebited() public {
        handler.deposit(MAKER, SWAP, ETH, FIVE_HUNDRED);
        address manager = address(platform.swapDomain.manager);
        address escrow = address(platform.swapDomain.escrow);
        bytes memory move = _transferByAdmin(platform.maker, platform.taker);
        // The maker's own step may debit it.
        handler.wrongMove(SWAP, platform.maker, manager, escrow, move, 0);
        handler.checkNoLossWithoutConsent();
        handler.wrongMove(SWAP, platform.taker, manager, escrow, move, 0);
        vm.expectPartialRevert(PlatformHandler.LossWithoutConsent.selector);
        handler.checkNoLossWithoutConsent();
    }

    function test_alwaysExitFailsWhenAnEscrowLostItsEth() public {
        handler.deposit(MAKER, SWAP, ETH, FIVE_HUNDRED);
        handler.checkAlwaysExit();
        vm.deal(address(platform.swapDomain.escrow), 0);
        handler.deposit(MAKER, SWAP, TOKEN, FIVE_HUNDRED);
        vm.expectPartialRevert(PlatformHandler.ExitBlocked.selector);
        handler.checkAlwaysExit();
    }

    function test_conservationFailsWhenAManagerMoveCreatesValue() public {
        bytes memory credit = abi.encodeCall(IEscrow.depositByAdmin, (platform.maker));
        handler.wrongMove(
            SWAP,
            platform.maker,
            address(platform.swapDomain.manager),
            address(platform.swapDomain.escrow),
            credit,
            1 ether
        );
        // Solvent (the ETH arrived), but nobody deposited it.
        handler.checkSolvency();
        vm.expectPartialRevert(PlatformHandler.NotConserved.selector);
        handler.checkConservation();
    }

    function test_nobodyPaysForNothingHoldsWhenTheManagerRefusesAnEmptyCredit() public {
        handler.createSwap(MAKER, SWAP, ADJUSTABLE_FOR_TOKEN);
        handler.setAdjustableFee(FEE_EVERYTHING);
        handler.engage(TAKER, SWAP, NEWEST, NO_MINIMUM);
        assertEq(handler.settlements(), 0, "the real platform refuses the engagement");
        handler.checkNobodyPaysForNothing();
    }

    function test_minimumsHoldFailsWhenAFillBelowTheMakersMinimumGoesThrough() public {
        (uint256 id, uint256 slot) = _multiSwapWithMinimumFill();
        address manager = address(platform.multiSwapDomain.manager);
        // A fill of 1, below the minimum and not the tail, is refused by the real MultiSwap ...
        handler.engage(TAKER, MULTISWAP, NEWEST, 1);
        handler.checkMinimumsHold();
        // ... and goes through once the stored minimum is corrupted to 1.
        vm.store(address(platform.multiSwap), bytes32(slot + 5), bytes32(uint256(1)));
        assertEq(platform.multiSwap.getIssuance(manager, id).minFillOutput, 1);
        handler.engage(TAKER, MULTISWAP, NEWEST, 1);
        vm.expectPartialRevert(PlatformHandler.MinimumBroken.selector);
        handler.checkMinimumsHold();
    }

    function test_callsThatMustSucceedFailsWhenAWithdrawalReverts() public {
        handler.deposit(MAKER, SWAP, ETH, FIVE_HUNDRED);
        vm.mockCallRevert(address(platform.swapDomain.escrow), abi.encodeWithSignature("withdraw(uint256)"), "broken");
        handler.withdraw(MAKER, SWAP, ETH, 0);
        vm.clearMockedCalls();
        vm.expectPartialRevert(PlatformHandler.UnexpectedRevert.selector);
        handler.checkCallsThatMustSucceedSucceed();
    }

    function _checkAll() internal {
        handler.checkSolvency();
        handler.checkSolvencyEverywhere();
        handler.checkIsolation();
        handler.checkNoLossWithoutConsent();
        handler.checkAlwaysExit();
        handler.checkConservation();
        handler.checkNobodyPaysForNothing();
        handler.checkMinimumsHold();
        handler.checkCallsThatMustSucceedSucceed();
    }

    /// @dev Creates multi-swaps through the handler until one of plain tokens has a minimum fill
    /// of at least 2, more output left than that, and at least one unit of input per unit of
    /// output (so a fill of 1 pays something); returns its id and its record's storage slot.
    function _multiSwapWithMinimumFill() private returns (uint256 id, uint256 slot) {
        address manager = address(platform.multiSwapDomain.manager);
        for (uint256 i = 0; i < 200; ++i) {
            handler.createMultiSwap(
                MAKER,
                uint256(keccak256(abi.encode("terms", i))),
                uint256(keccak256(abi.encode("limits", i)))
            );
            id = platform.multiSwapDomain.manager.issuanceCount();
            if (id == 0) continue;
            MultiSwapIssuance memory issuance = platform.multiSwap.getIssuance(manager, id);
            if (
                _plain(issuance.inputToken) &&
                _plain(issuance.outputToken) &&
                issuance.minFillOutput >= 2 &&
                issuance.remainingOutput > issuance.minFillOutput &&
                issuance.inputAmount >= issuance.outputAmount
            ) {
                for (uint256 mapping_ = 0; mapping_ < 4; ++mapping_) {
                    slot = uint256(keccak256(abi.encode(id, keccak256(abi.encode(manager, mapping_)))));
                    if (uint256(vm.load(address(platform.multiSwap), bytes32(slot + 5))) == issuance.minFillOutput) {
                        return (id, slot);
                    }
                }
            }
        }
        revert("no multi-swap with a minimum fill above 1");
    }

    function _plain(address asset) private view returns (bool) {
        return
            asset != address(platform.feeToken) &&
            asset != address(platform.adjustableFeeToken) &&
            asset != address(platform.rebasingToken);
    }
}

/// @notice Nobody pays for nothing, on a platform whose Swap domain runs a broken twin that drops
/// the transfers' minimums: with the adjustable fee at everything, the taker pays and is credited
/// nothing.
contract PaidForNothingFaultTest is FaultSetUp {
    function setUp() public {
        _deployPlatform();
        platform.swapDomain = _activate(address(new MinimumDroppingSwap(platform.swap)));
        address[] memory userList = users();
        for (uint256 u = 0; u < userList.length; ++u) _approveAll(userList[u], platform.swapDomain);
        _deployHandler();
    }

    function test_nobodyPaysForNothingFailsWhenASettlementCreditsNothing() public {
        handler.createSwap(MAKER, SWAP, ADJUSTABLE_FOR_TOKEN);
        handler.setAdjustableFee(FEE_EVERYTHING);
        handler.engage(TAKER, SWAP, NEWEST, NO_MINIMUM);
        assertEq(handler.settlements(), 1, "the broken twin lets the engagement through");
        vm.expectPartialRevert(PlatformHandler.PaidForNothing.selector);
        handler.checkNobodyPaysForNothing();
    }
}
