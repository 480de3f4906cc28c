// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test, Vm} from "forge-std/Test.sol";

import {IEscrow, NATIVE_ETH} from "../../../interfaces/IEscrow.sol";
import {IEscrowAdmin} from "../../../interfaces/IEscrowAdmin.sol";
import {IEscrowFactory} from "../../../interfaces/IEscrowFactory.sol";
import {Transfer, TransferKind, WHOLE_BALANCE} from "../../../interfaces/IInstrument.sol";
import {IInstrumentEscrow} from "../../../interfaces/IInstrumentEscrow.sol";
import {IInstrumentManager} from "../../../interfaces/IInstrumentManager.sol";
import {IInstrumentRegistry} from "../../../interfaces/IInstrumentRegistry.sol";
import {FeeOnTransferToken} from "../../../contracts/test/FeeOnTransferToken.sol";
import {HostileInstrument} from "../../../contracts/test/HostileInstrument.sol";
import {MockERC20} from "../../../contracts/test/MockERC20.sol";

/// @notice The Instrument Manager driven by a HostileInstrument that answers with any transfers:
/// its views and registry-only functions, issuance ids, the transfer rule (a caller's Instrument
/// Escrow balance is spent only on its own call; Outbound and IntraIssuance spend only the escrow
/// of the issuance the call is about), WHOLE_BALANCE, zero amounts, minimum credits, events,
/// re-entry and stray ETH or callbacks. Ported from tests/unit/InstrumentManager and the manager
/// cases of tests/unit/hostile and tests/unit/access.
contract InstrumentManagerTest is Test {
    bytes32 internal constant POKE = "poke";

    IEscrowFactory internal factory;
    IInstrumentRegistry internal registry;
    HostileInstrument internal hostile;
    IInstrumentManager internal manager;
    IInstrumentEscrow internal escrow; // the domain's Instrument Escrow
    IEscrow internal issuance1; // the maker committed 300 token and 100 wei
    IEscrow internal issuance2; // the taker committed 200 token and 50 wei
    MockERC20 internal token;
    address internal provider = makeAddr("provider");
    address internal maker = makeAddr("maker");
    address internal taker = makeAddr("taker");
    address internal stranger = makeAddr("stranger");

    function setUp() public {
        factory = IEscrowFactory(deployCode("EscrowFactory.sol:EscrowFactory"));
        registry = IInstrumentRegistry(deployCode("InstrumentRegistry.sol:InstrumentRegistry", abi.encode(factory)));
        hostile = new HostileInstrument();
        vm.prank(provider);
        (, address manager_, address escrow_) = registry.activateInstrument(address(hostile));
        manager = IInstrumentManager(manager_);
        escrow = IInstrumentEscrow(escrow_);
        token = new MockERC20("Token", "TOK", 18);
        _fund(maker, address(token), 1_000);
        _fund(maker, NATIVE_ETH, 1_000);
        _fund(taker, address(token), 1_000);
        _fund(taker, NATIVE_ETH, 1_000);
        Transfer[] memory transfers = new Transfer[](2);
        transfers[0] = Transfer(TransferKind.Inbound, address(token), maker, maker, 300, 0);
        transfers[1] = Transfer(TransferKind.Inbound, NATIVE_ETH, maker, maker, 100, 0);
        _call("create", maker, 0, transfers);
        transfers[0] = Transfer(TransferKind.Inbound, address(token), taker, taker, 200, 0);
        transfers[1] = Transfer(TransferKind.Inbound, NATIVE_ETH, taker, taker, 50, 0);
        _call("create", taker, 0, transfers);
        issuance1 = IEscrow(manager.getIssuanceEscrow(1));
        issuance2 = IEscrow(manager.getIssuanceEscrow(2));
        // Instrument Escrow: maker 700 token / 900 wei, taker 800 token / 950 wei.
    }

    // ------------------------------------------------------------------------------- helpers

    function _fund(address user, address asset, uint256 amount) internal {
        vm.startPrank(user);
        if (asset == NATIVE_ETH) {
            vm.deal(user, amount);
            escrow.deposit{value: amount}();
        } else {
            MockERC20(asset).mint(user, amount);
            MockERC20(asset).approve(address(escrow), amount);
            escrow.depositToken(asset, amount);
        }
        vm.stopPrank();
    }

    function _one(
        TransferKind kind,
        address asset,
        address from,
        address to,
        uint256 amount,
        uint256 minimum
    ) internal pure returns (Transfer[] memory transfers) {
        transfers = new Transfer[](1);
        transfers[0] = Transfer(kind, asset, from, to, amount, minimum);
    }

    function _two(Transfer memory first, Transfer memory second) internal pure returns (Transfer[] memory transfers) {
        transfers = new Transfer[](2);
        transfers[0] = first;
        transfers[1] = second;
    }

    /// @dev Scripts `transfers` and has `caller` enter the manager at `entry` about `issuanceId`.
    function _call(
        bytes32 entry,
        address caller,
        uint256 issuanceId,
        Transfer[] memory transfers
    ) internal returns (uint256 result) {
        hostile.script(transfers);
        return _enter(entry, caller, issuanceId);
    }

    /// @dev Has `caller` enter the manager at `entry` about `issuanceId` (transfers scripted before).
    function _enter(bytes32 entry, address caller, uint256 issuanceId) internal returns (uint256 result) {
        vm.prank(caller);
        if (entry == "create") return manager.createIssuance("");
        if (entry == "engage") return manager.engageIssuance(issuanceId, "");
        manager.processEvent(issuanceId, 0, POKE, "");
    }

    function _bal(IEscrow escrow_, address account, address asset) internal view returns (uint256) {
        return escrow_.getTokenBalance(account, asset);
    }

    /// @dev What every escrow of the domain holds, per account and asset, and in total.
    function _snapshot() internal view returns (bytes memory) {
        address[3] memory accounts = [maker, taker, stranger];
        bytes memory state = abi.encode(
            token.balanceOf(address(escrow)),
            token.balanceOf(address(issuance1)),
            token.balanceOf(address(issuance2)),
            address(escrow).balance,
            address(issuance1).balance,
            address(issuance2).balance,
            address(manager).balance,
            manager.issuanceCount()
        );
        for (uint256 i = 0; i < 3; ++i) {
            state = abi.encode(
                state,
                _bal(escrow, accounts[i], address(token)),
                _bal(escrow, accounts[i], NATIVE_ETH),
                _bal(issuance1, accounts[i], address(token)),
                _bal(issuance1, accounts[i], NATIVE_ETH),
                _bal(issuance2, accounts[i], address(token)),
                _bal(issuance2, accounts[i], NATIVE_ETH)
            );
        }
        return state;
    }

    function _expectTransfer(
        uint256 issuanceId,
        TransferKind kind,
        address asset,
        address from,
        address to,
        uint256 amount
    ) internal {
        vm.expectEmit(address(manager));
        emit IInstrumentManager.TransferExecuted(issuanceId, kind, asset, from, to, amount);
    }

    function _countTransfersExecuted() internal returns (uint256 count) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] == IInstrumentManager.TransferExecuted.selector) ++count;
        }
    }

    // ---------------------------------------------------------------------------- configuration

    function test_SetUpCommittedToTwoIssuances() public view {
        assertEq(manager.issuanceCount(), 2);
        assertEq(_bal(escrow, maker, address(token)), 700);
        assertEq(_bal(escrow, maker, NATIVE_ETH), 900);
        assertEq(_bal(escrow, taker, address(token)), 800);
        assertEq(_bal(escrow, taker, NATIVE_ETH), 950);
        assertEq(_bal(issuance1, maker, address(token)), 300);
        assertEq(_bal(issuance1, maker, NATIVE_ETH), 100);
        assertEq(_bal(issuance2, taker, address(token)), 200);
        assertEq(_bal(issuance2, taker, NATIVE_ETH), 50);
        assertEq(token.balanceOf(address(issuance1)), 300);
        assertEq(address(issuance1).balance, 100);
        assertEq(token.balanceOf(address(escrow)), 1_500);
        assertEq(address(escrow).balance, 1_850);
        assertEq(address(manager).balance, 0);
    }

    function test_ViewsAnswerTheDomainsConfiguration() public {
        assertEq(manager.registry(), address(registry));
        assertEq(manager.domainId(), 1);
        assertEq(manager.provider(), provider);
        assertEq(manager.instrument(), address(hostile));
        assertEq(manager.escrowFactory(), address(factory));
        assertTrue(manager.isActive());
        assertEq(manager.getInstrumentEscrow(), address(escrow));
        assertEq(manager.getInstrumentEscrow(), factory.predictInstrumentEscrow(address(manager)));
        assertEq(address(issuance1), factory.predictIssuanceEscrow(address(manager), bytes32(uint256(1))));
        assertEq(address(issuance2), factory.predictIssuanceEscrow(address(manager), bytes32(uint256(2))));
        assertEq(IEscrow(address(issuance1)).admin(), address(manager));
        assertEq(IEscrow(address(issuance2)).admin(), address(manager));
        // A second domain: its own id, provider, escrows.
        (, address other, address otherEscrow) = registry.activateInstrument(address(hostile));
        IInstrumentManager second = IInstrumentManager(other);
        assertEq(second.domainId(), 2);
        assertEq(second.provider(), address(this));
        assertEq(second.getInstrumentEscrow(), otherEscrow);
        assertTrue(otherEscrow != address(escrow));
        hostile.script(new Transfer[](0));
        assertEq(second.createIssuance(""), 1);
        assertTrue(second.getIssuanceEscrow(1) != address(issuance1));
    }

    function test_TheImplementationRefusesToWork() public {
        IInstrumentManager implementation = IInstrumentManager(registry.managerImplementation());
        vm.expectRevert(IInstrumentManager.ManagerImplementationNotUsable.selector);
        implementation.registry();
        vm.expectRevert(IInstrumentManager.ManagerImplementationNotUsable.selector);
        implementation.domainId();
        vm.expectRevert(IInstrumentManager.ManagerImplementationNotUsable.selector);
        implementation.provider();
        vm.expectRevert(IInstrumentManager.ManagerImplementationNotUsable.selector);
        implementation.instrument();
        vm.expectRevert(IInstrumentManager.ManagerImplementationNotUsable.selector);
        implementation.escrowFactory();
        vm.expectRevert(IInstrumentManager.ManagerImplementationNotUsable.selector);
        implementation.getInstrumentEscrow();
        vm.expectRevert(IInstrumentManager.ManagerImplementationNotUsable.selector);
        implementation.createIssuance("");
        vm.expectRevert(IInstrumentManager.ManagerImplementationNotUsable.selector);
        implementation.initialize();
        vm.expectRevert(IInstrumentManager.ManagerImplementationNotUsable.selector);
        implementation.deactivate();
        vm.expectRevert(abi.encodeWithSelector(IInstrumentManager.ManagerUnknownIssuance.selector, 1));
        implementation.getIssuanceEscrow(1);
        assertTrue(implementation.isActive());
        assertEq(implementation.issuanceCount(), 0);
    }

    // -------------------------------------------------------------------------- registry-only

    function test_OnlyTheRegistryInitializesOrDeactivates() public {
        vm.expectRevert(abi.encodeWithSelector(IInstrumentManager.ManagerUnauthorized.selector, provider));
        vm.prank(provider);
        manager.initialize();
        vm.expectRevert(abi.encodeWithSelector(IInstrumentManager.ManagerUnauthorized.selector, provider));
        vm.prank(provider);
        manager.deactivate();
        assertTrue(manager.isActive());
        // The factory refuses a second Instrument Escrow for the manager.
        vm.expectRevert();
        vm.prank(address(registry));
        manager.initialize();
    }

    function test_DeactivationStopsNewIssuancesOnly() public {
        vm.expectEmit(address(manager));
        emit IInstrumentManager.Deactivated();
        vm.prank(address(registry));
        manager.deactivate();
        assertFalse(manager.isActive());
        vm.expectRevert(IInstrumentManager.ManagerDeactivated.selector);
        vm.prank(address(registry));
        manager.deactivate();
        hostile.script(new Transfer[](0));
        vm.expectRevert(IInstrumentManager.ManagerDeactivated.selector);
        vm.prank(maker);
        manager.createIssuance("");
        assertEq(manager.issuanceCount(), 2);
        // Existing issuances go on.
        hostile.script(_one(TransferKind.Outbound, address(token), maker, maker, 300, 0));
        _expectTransfer(1, TransferKind.Outbound, address(token), maker, maker, 300);
        _enter("event", maker, 1);
        hostile.script(new Transfer[](0));
        vm.prank(taker);
        assertEq(manager.engageIssuance(2, ""), 1);
        assertEq(_bal(escrow, maker, address(token)), 1_000);
    }

    function test_TheRegistryDeactivatesThroughTheProvider() public {
        vm.prank(provider);
        registry.deactivateInstrument(1);
        assertFalse(manager.isActive());
    }

    // --------------------------------------------------------------------------- issuances

    function test_CreateIssuanceNumbersFromOneAndEmits() public {
        address expected = factory.predictIssuanceEscrow(address(manager), bytes32(uint256(3)));
        hostile.script(new Transfer[](0));
        vm.expectEmit(address(manager));
        emit IInstrumentManager.IssuanceCreated(3, stranger, expected);
        vm.recordLogs();
        uint256 id = _enter("create", stranger, 0);
        assertEq(id, 3);
        assertEq(_countTransfersExecuted(), 0);
        assertEq(manager.issuanceCount(), 3);
        assertEq(manager.getIssuanceEscrow(3), expected);
        assertGt(expected.code.length, 0);
        assertEq(IEscrow(expected).admin(), address(manager));
        assertEq(_call("create", stranger, 0, new Transfer[](0)), 4);
    }

    function test_UnknownIssuanceIdsRevert() public {
        uint256[2] memory unknown = [uint256(0), 3];
        for (uint256 i = 0; i < 2; ++i) {
            uint256 id = unknown[i];
            vm.expectRevert(abi.encodeWithSelector(IInstrumentManager.ManagerUnknownIssuance.selector, id));
            manager.getIssuanceEscrow(id);
            vm.expectRevert(abi.encodeWithSelector(IInstrumentManager.ManagerUnknownIssuance.selector, id));
            manager.engageIssuance(id, "");
            vm.expectRevert(abi.encodeWithSelector(IInstrumentManager.ManagerUnknownIssuance.selector, id));
            manager.processEvent(id, 0, POKE, "");
        }
        // The last id is known.
        hostile.script(new Transfer[](0));
        manager.processEvent(2, 0, POKE, "");
        manager.engageIssuance(2, "");
    }

    function test_EngageReturnsTheEngagementIdAndEmits() public {
        Transfer[] memory transfers = _two(
            Transfer(TransferKind.IntraInstrument, address(token), taker, maker, 80, 0),
            Transfer(TransferKind.Outbound, address(token), maker, taker, 300, 0)
        );
        hostile.script(transfers);
        vm.expectEmit(address(manager));
        emit IInstrumentManager.IssuanceEngaged(1, 1, taker);
        _expectTransfer(1, TransferKind.IntraInstrument, address(token), taker, maker, 80);
        _expectTransfer(1, TransferKind.Outbound, address(token), maker, taker, 300);
        assertEq(_enter("engage", taker, 1), 1);
        assertEq(_bal(escrow, taker, address(token)), 800 - 80 + 300);
        assertEq(_bal(escrow, maker, address(token)), 700 + 80);
        assertEq(_bal(issuance1, maker, address(token)), 0);
        assertEq(_bal(issuance2, taker, address(token)), 200);
    }

    function test_ProcessEventEmitsEventProcessed() public {
        hostile.script(new Transfer[](0));
        vm.expectEmit(address(manager));
        emit IInstrumentManager.EventProcessed(2, 7, POKE, stranger);
        vm.prank(stranger);
        manager.processEvent(2, 7, POKE, "data");
    }

    // -------------------------------------------------------------------- the transfer rule

    function _refusedOtherUsersBalance(bytes32 entry, TransferKind kind, address asset) internal {
        bytes memory before = _snapshot();
        Transfer[] memory transfers = _two(
            Transfer(TransferKind.Inbound, asset, maker, maker, 10, 0),
            Transfer(kind, asset, taker, maker, 10, 0)
        );
        hostile.script(transfers);
        vm.expectRevert(
            abi.encodeWithSelector(IInstrumentManager.ManagerTransferNotAllowed.selector, 1, kind, taker, maker)
        );
        vm.prank(maker);
        if (entry == "create") manager.createIssuance("");
        else if (entry == "engage") manager.engageIssuance(1, "");
        else manager.processEvent(1, 0, POKE, "");
        assertEq(_snapshot(), before);
    }

    function test_TakingAnotherUsersInstrumentEscrowBalanceReverts() public {
        bytes32[3] memory entries = [bytes32("create"), "engage", "event"];
        for (uint256 e = 0; e < 3; ++e) {
            _refusedOtherUsersBalance(entries[e], TransferKind.Inbound, address(token));
            _refusedOtherUsersBalance(entries[e], TransferKind.IntraInstrument, address(token));
            _refusedOtherUsersBalance(entries[e], TransferKind.Inbound, NATIVE_ETH);
            _refusedOtherUsersBalance(entries[e], TransferKind.IntraInstrument, NATIVE_ETH);
        }
    }

    function test_AStrangerCannotSpendTheMakersInstrumentEscrowBalance() public {
        TransferKind[2] memory kinds = [TransferKind.Inbound, TransferKind.IntraInstrument];
        for (uint256 k = 0; k < 2; ++k) {
            hostile.script(_one(kinds[k], address(token), maker, stranger, 700, 0));
            vm.expectRevert(
                abi.encodeWithSelector(
                    IInstrumentManager.ManagerTransferNotAllowed.selector,
                    0,
                    kinds[k],
                    maker,
                    stranger
                )
            );
            vm.prank(stranger);
            manager.processEvent(1, 0, POKE, "");
        }
    }

    function test_SpendingFromTheIssuanceEscrowNeverReachesAnotherIssuance() public {
        // The taker holds 200 token / 50 wei in issuance 2 but nothing in issuance 1.
        TransferKind[2] memory kinds = [TransferKind.Outbound, TransferKind.IntraIssuance];
        address[2] memory assets = [address(token), NATIVE_ETH];
        for (uint256 k = 0; k < 2; ++k) {
            for (uint256 a = 0; a < 2; ++a) {
                hostile.script(_one(kinds[k], assets[a], taker, maker, 1, 0));
                vm.expectRevert(
                    abi.encodeWithSelector(IEscrow.EscrowInsufficientBalance.selector, taker, assets[a], 0, 1)
                );
                vm.prank(maker);
                manager.processEvent(1, 0, POKE, "");
            }
        }
    }

    function test_OutboundNeverTakesFromTheInstrumentEscrowEvenOnTheOwnersCall() public {
        hostile.script(_one(TransferKind.Outbound, address(token), maker, maker, 700, 0));
        vm.expectRevert(
            abi.encodeWithSelector(IEscrow.EscrowInsufficientBalance.selector, maker, address(token), 300, 700)
        );
        vm.prank(maker);
        manager.processEvent(1, 0, POKE, "");
        // A new issuance's escrow is empty.
        hostile.script(_one(TransferKind.Outbound, address(token), maker, maker, 1, 0));
        vm.expectRevert(
            abi.encodeWithSelector(IEscrow.EscrowInsufficientBalance.selector, maker, address(token), 0, 1)
        );
        vm.prank(maker);
        manager.createIssuance("");
    }

    function test_InboundEthBeyondTheBalanceRevertsWithTheEscrowsError() public {
        hostile.script(_one(TransferKind.Inbound, NATIVE_ETH, maker, maker, 901, 0));
        vm.expectRevert(
            abi.encodeWithSelector(IEscrow.EscrowInsufficientBalance.selector, maker, NATIVE_ETH, 900, 901)
        );
        vm.prank(maker);
        manager.processEvent(1, 0, POKE, "");
        hostile.script(_one(TransferKind.IntraInstrument, address(token), maker, address(0), 1, 0));
        vm.expectRevert(IEscrow.EscrowZeroAccount.selector);
        vm.prank(maker);
        manager.processEvent(1, 0, POKE, "");
    }

    function test_EveryAllowedKindExecutesAndEmitsInOrder() public {
        address t = address(token);
        Transfer[] memory transfers = new Transfer[](8);
        transfers[0] = Transfer(TransferKind.Inbound, t, maker, stranger, 40, 0);
        transfers[1] = Transfer(TransferKind.Inbound, NATIVE_ETH, maker, maker, 30, 0);
        transfers[2] = Transfer(TransferKind.Outbound, t, maker, stranger, 100, 0);
        transfers[3] = Transfer(TransferKind.Outbound, NATIVE_ETH, maker, taker, 60, 0);
        transfers[4] = Transfer(TransferKind.IntraInstrument, t, maker, taker, 25, 0);
        transfers[5] = Transfer(TransferKind.IntraInstrument, NATIVE_ETH, maker, stranger, 5, 0);
        transfers[6] = Transfer(TransferKind.IntraIssuance, t, maker, taker, 50, 0);
        transfers[7] = Transfer(TransferKind.IntraIssuance, NATIVE_ETH, maker, stranger, 20, 0);
        hostile.script(transfers);
        for (uint256 i = 0; i < 8; ++i) {
            Transfer memory x = transfers[i];
            _expectTransfer(1, x.kind, x.token, x.from, x.to, x.amount);
        }
        _enter("event", maker, 1);

        assertEq(_bal(escrow, maker, t), 700 - 40 - 25);
        assertEq(_bal(escrow, stranger, t), 100);
        assertEq(_bal(escrow, taker, t), 800 + 25);
        assertEq(_bal(escrow, maker, NATIVE_ETH), 900 - 30 - 5);
        assertEq(_bal(escrow, taker, NATIVE_ETH), 950 + 60);
        assertEq(_bal(escrow, stranger, NATIVE_ETH), 5);
        assertEq(_bal(issuance1, maker, t), 300 - 100 - 50);
        assertEq(_bal(issuance1, stranger, t), 40);
        assertEq(_bal(issuance1, taker, t), 50);
        assertEq(_bal(issuance1, maker, NATIVE_ETH), 100 + 30 - 60 - 20);
        assertEq(_bal(issuance1, stranger, NATIVE_ETH), 20);
        assertEq(token.balanceOf(address(escrow)), 1_500 - 40 + 100);
        assertEq(token.balanceOf(address(issuance1)), 300 + 40 - 100);
        assertEq(address(escrow).balance, 1_850 - 30 + 60);
        assertEq(address(issuance1).balance, 100 + 30 - 60);
        assertEq(address(manager).balance, 0);
        assertEq(_bal(issuance2, taker, t), 200);
        assertEq(_bal(issuance2, taker, NATIVE_ETH), 50);
        assertEq(token.balanceOf(address(issuance2)), 200);
        assertEq(address(issuance2).balance, 50);
        assertEq(token.balanceOf(maker), 0);
        assertEq(maker.balance, 0);
    }

    function test_EventProcessedComesBeforeTheTransfers() public {
        hostile.script(_one(TransferKind.Inbound, address(token), maker, maker, 1, 0));
        vm.expectEmit(address(manager));
        emit IInstrumentManager.EventProcessed(1, 0, POKE, maker);
        _expectTransfer(1, TransferKind.Inbound, address(token), maker, maker, 1);
        _enter("event", maker, 1);
    }

    function test_AnyoneMayHaveAnIssuanceSpendWhatWasCommittedToIt() public {
        hostile.script(_one(TransferKind.Outbound, address(token), maker, stranger, 300, 0));
        _expectTransfer(1, TransferKind.Outbound, address(token), maker, stranger, 300);
        _enter("event", stranger, 1);
        assertEq(_bal(issuance1, maker, address(token)), 0);
        assertEq(_bal(escrow, stranger, address(token)), 300);
        assertEq(token.balanceOf(address(issuance2)), 200);
    }

    function test_TheCallerExposesItsOwnInstrumentEscrowBalanceOnAnyEntry() public {
        _fund(stranger, address(token), 500);
        _fund(stranger, NATIVE_ETH, 40);
        hostile.script(_one(TransferKind.Inbound, address(token), stranger, maker, 600, 0));
        vm.expectRevert(
            abi.encodeWithSelector(IEscrow.EscrowInsufficientBalance.selector, stranger, address(token), 500, 600)
        );
        _enter("event", stranger, 1);
        Transfer[] memory transfers = _two(
            Transfer(TransferKind.Inbound, address(token), stranger, maker, 500, 0),
            Transfer(TransferKind.IntraInstrument, NATIVE_ETH, stranger, maker, 40, 0)
        );
        _call("engage", stranger, 1, transfers);
        assertEq(_bal(escrow, stranger, address(token)), 0);
        assertEq(_bal(escrow, stranger, NATIVE_ETH), 0);
        assertEq(_bal(issuance1, maker, address(token)), 800);
        assertEq(_bal(escrow, maker, NATIVE_ETH), 940);
    }

    // -------------------------------------------------------------- amounts and minimum credits

    function test_ZeroAmountTransfersAreSkippedWithoutAnEvent() public {
        Transfer[] memory transfers = new Transfer[](5);
        for (uint256 k = 0; k < 4; ++k) {
            transfers[k] = Transfer(TransferKind(k), address(token), taker, maker, 0, 0);
        }
        transfers[4] = Transfer(TransferKind.Outbound, address(token), maker, maker, 5, 0);
        vm.recordLogs();
        _call("event", maker, 1, transfers);
        assertEq(_countTransfersExecuted(), 1);
        assertEq(_bal(escrow, taker, address(token)), 800);
        assertEq(_bal(escrow, maker, address(token)), 705);
        assertEq(_bal(issuance1, maker, address(token)), 295);
    }

    function test_WholeBalanceMovesAllThatFromHoldsInTheIssuanceEscrow() public {
        // Outbound of the token, then IntraIssuance of the ETH.
        hostile.script(
            _two(
                Transfer(TransferKind.Outbound, address(token), maker, taker, WHOLE_BALANCE, 0),
                Transfer(TransferKind.IntraIssuance, NATIVE_ETH, maker, taker, WHOLE_BALANCE, 0)
            )
        );
        _expectTransfer(1, TransferKind.Outbound, address(token), maker, taker, 300);
        _expectTransfer(1, TransferKind.IntraIssuance, NATIVE_ETH, maker, taker, 100);
        _enter("event", maker, 1);
        assertEq(_bal(issuance1, maker, address(token)), 0);
        assertEq(_bal(issuance1, maker, NATIVE_ETH), 0);
        assertEq(_bal(escrow, taker, address(token)), 1_100);
        assertEq(_bal(issuance1, taker, NATIVE_ETH), 100);
        assertEq(_bal(escrow, taker, NATIVE_ETH), 950);
        // And the other way round: Outbound of the ETH, IntraIssuance of the token.
        hostile.script(
            _two(
                Transfer(TransferKind.Outbound, NATIVE_ETH, taker, maker, WHOLE_BALANCE, 0),
                Transfer(TransferKind.IntraIssuance, address(token), taker, maker, WHOLE_BALANCE, 0)
            )
        );
        _expectTransfer(2, TransferKind.Outbound, NATIVE_ETH, taker, maker, 50);
        _expectTransfer(2, TransferKind.IntraIssuance, address(token), taker, maker, 200);
        _enter("event", stranger, 2);
        assertEq(_bal(escrow, maker, NATIVE_ETH), 950);
        assertEq(_bal(issuance2, maker, address(token)), 200);
        assertEq(_bal(issuance2, taker, address(token)), 0);
    }

    function test_WholeBalanceOfNothingIsSkipped() public {
        bytes memory before = _snapshot();
        Transfer[] memory transfers = _two(
            Transfer(TransferKind.Outbound, address(token), stranger, maker, WHOLE_BALANCE, 0),
            Transfer(TransferKind.IntraIssuance, address(token), stranger, maker, WHOLE_BALANCE, 0)
        );
        vm.recordLogs();
        _call("event", stranger, 1, transfers);
        assertEq(_countTransfersExecuted(), 0);
        assertEq(_snapshot(), before);
    }

    function test_WholeBalanceIsAnOrdinaryAmountFromTheInstrumentEscrow() public {
        TransferKind[2] memory kinds = [TransferKind.Inbound, TransferKind.IntraInstrument];
        for (uint256 k = 0; k < 2; ++k) {
            hostile.script(_one(kinds[k], address(token), maker, maker, WHOLE_BALANCE, 0));
            vm.expectRevert(
                abi.encodeWithSelector(
                    IEscrow.EscrowInsufficientBalance.selector,
                    maker,
                    address(token),
                    700,
                    WHOLE_BALANCE
                )
            );
            vm.prank(maker);
            manager.processEvent(1, 0, POKE, "");
        }
    }

    function _belowMinimum(Transfer memory ok, Transfer memory bad, uint256 credited) internal {
        bytes memory before = _snapshot();
        hostile.script(_two(ok, bad));
        vm.expectRevert(
            abi.encodeWithSelector(
                IInstrumentManager.ManagerCreditBelowMinimum.selector,
                1,
                bad.token,
                bad.to,
                credited,
                bad.minimum
            )
        );
        vm.prank(maker);
        manager.processEvent(1, 0, POKE, "");
        assertEq(_snapshot(), before);
    }

    function test_ACreditBelowItsMinimumRevertsAndOneEqualToItExecutes() public {
        address[2] memory assets = [address(token), NATIVE_ETH];
        for (uint256 a = 0; a < 2; ++a) {
            address asset = assets[a];
            Transfer memory ok = Transfer(TransferKind.Inbound, asset, maker, maker, 5, 5);
            _belowMinimum(ok, Transfer(TransferKind.Inbound, asset, maker, taker, 20, 21), 20);
            _belowMinimum(ok, Transfer(TransferKind.Outbound, asset, maker, taker, 20, 21), 20);
            _belowMinimum(ok, Transfer(TransferKind.IntraInstrument, asset, maker, taker, 20, 21), 20);
            _belowMinimum(ok, Transfer(TransferKind.IntraIssuance, asset, maker, taker, 20, 21), 20);
            // The whole balance counts the 5 the first transfer brought in.
            uint256 held = a == 0 ? 305 : 105;
            _belowMinimum(ok, Transfer(TransferKind.Outbound, asset, maker, taker, WHOLE_BALANCE, held + 1), held);
        }
        Transfer[] memory transfers = new Transfer[](4);
        transfers[0] = Transfer(TransferKind.Inbound, address(token), maker, taker, 20, 20);
        transfers[1] = Transfer(TransferKind.Outbound, NATIVE_ETH, maker, taker, 20, 20);
        transfers[2] = Transfer(TransferKind.IntraInstrument, address(token), maker, taker, 20, 20);
        transfers[3] = Transfer(TransferKind.IntraIssuance, NATIVE_ETH, maker, taker, 20, 20);
        _call("event", maker, 1, transfers);
        assertEq(_bal(issuance1, taker, address(token)), 20);
        assertEq(_bal(escrow, taker, NATIVE_ETH), 970);
        assertEq(_bal(escrow, taker, address(token)), 820);
        assertEq(_bal(issuance1, taker, NATIVE_ETH), 20);
    }

    function test_NothingArrivingWhereSomethingHadToRevertsWithCreditedZero() public {
        Transfer memory ok = Transfer(TransferKind.Inbound, address(token), maker, maker, 5, 0);
        _belowMinimum(ok, Transfer(TransferKind.Outbound, address(token), stranger, maker, WHOLE_BALANCE, 1), 0);
        _belowMinimum(ok, Transfer(TransferKind.IntraInstrument, address(token), maker, taker, 0, 1), 0);
        _belowMinimum(ok, Transfer(TransferKind.Inbound, NATIVE_ETH, maker, taker, 0, 1), 0);
    }

    function test_AMoveBetweenEscrowsCreditsWhatArrivedOfAFeeOnTransferToken() public {
        FeeOnTransferToken fee = new FeeOnTransferToken(100); // 1%
        _fund(maker, address(fee), 10_000);
        assertEq(_bal(escrow, maker, address(fee)), 9_900);
        // Inbound: 5,000 leave, 4,950 arrive.
        _belowMinimum(
            Transfer(TransferKind.Inbound, address(token), maker, maker, 1, 0),
            Transfer(TransferKind.Inbound, address(fee), maker, maker, 5_000, 4_951),
            4_950
        );
        hostile.script(_one(TransferKind.Inbound, address(fee), maker, maker, 5_000, 4_950));
        _expectTransfer(1, TransferKind.Inbound, address(fee), maker, maker, 4_950);
        _enter("event", maker, 1);
        assertEq(_bal(escrow, maker, address(fee)), 4_900);
        assertEq(_bal(issuance1, maker, address(fee)), 4_950);
        // Outbound: 1,000 leave, 990 arrive.
        hostile.script(_one(TransferKind.Outbound, address(fee), maker, taker, 1_000, 990));
        _expectTransfer(1, TransferKind.Outbound, address(fee), maker, taker, 990);
        _enter("event", maker, 1);
        assertEq(_bal(escrow, taker, address(fee)), 990);
        assertEq(_bal(issuance1, maker, address(fee)), 3_950);
        // A ledger-only transfer credits its amount: no token moves.
        hostile.script(_one(TransferKind.IntraIssuance, address(fee), maker, taker, 1_000, 1_000));
        _expectTransfer(1, TransferKind.IntraIssuance, address(fee), maker, taker, 1_000);
        _enter("event", maker, 1);
        _belowMinimum(
            Transfer(TransferKind.Inbound, address(token), maker, maker, 1, 0),
            Transfer(TransferKind.IntraInstrument, address(fee), maker, taker, 1_000, 1_001),
            1_000
        );
    }

    // ------------------------------------------------------------- re-entry, stray ETH, callbacks

    function test_TheInstrumentCannotCallBackIntoTheManager() public {
        bytes[3] memory reentries = [
            abi.encodeCall(IInstrumentManager.createIssuance, ("")),
            abi.encodeCall(IInstrumentManager.engageIssuance, (1, "")),
            abi.encodeCall(IInstrumentManager.processEvent, (1, 0, POKE, ""))
        ];
        for (uint256 i = 0; i < 3; ++i) {
            hostile.scriptCall(address(manager), reentries[i]);
            uint256 id = _call("create", maker, 0, _one(TransferKind.Inbound, address(token), maker, maker, 7, 0));
            assertEq(id, 3 + i);
            assertFalse(hostile.callSucceeded());
            assertEq(hostile.callResult(), abi.encodeWithSignature("ReentrancyGuardReentrantCall()"));
            hostile.scriptCall(address(manager), reentries[i]);
            _call("engage", maker, 1, new Transfer[](0));
            assertEq(hostile.callResult(), abi.encodeWithSignature("ReentrancyGuardReentrantCall()"));
            hostile.scriptCall(address(manager), reentries[i]);
            _call("event", maker, 1, new Transfer[](0));
            assertEq(hostile.callResult(), abi.encodeWithSignature("ReentrancyGuardReentrantCall()"));
        }
        assertEq(manager.issuanceCount(), 5);
        assertEq(_bal(escrow, maker, address(token)), 700 - 21);
    }

    function test_TheInstrumentCannotUseTheManagersEscrowCallback() public {
        bytes memory before = _snapshot();
        IEscrow[2] memory sources = [IEscrow(address(escrow)), issuance1];
        for (uint256 i = 0; i < 2; ++i) {
            hostile.scriptCall(
                address(manager),
                abi.encodeCall(IEscrowAdmin.sendTokenToEscrow, (address(sources[i]), maker, address(token), 1))
            );
            _call("event", maker, 1, new Transfer[](0));
            assertFalse(hostile.callSucceeded());
            assertEq(
                hostile.callResult(),
                abi.encodeWithSelector(IInstrumentManager.ManagerUnexpectedCallback.selector, address(hostile))
            );
        }
        assertEq(_snapshot(), before);
        assertEq(token.balanceOf(address(hostile)), 0);
    }

    function test_SendTokenToEscrowOutsideAMoveIsRefused() public {
        vm.expectRevert(abi.encodeWithSelector(IInstrumentManager.ManagerUnexpectedCallback.selector, stranger));
        vm.prank(stranger);
        manager.sendTokenToEscrow(address(escrow), maker, address(token), 1);
        vm.expectRevert(
            abi.encodeWithSelector(IInstrumentManager.ManagerUnexpectedCallback.selector, address(issuance1))
        );
        vm.prank(address(issuance1));
        manager.sendTokenToEscrow(address(escrow), maker, address(token), 1);
    }

    function _sendEth(address from, uint256 amount) internal returns (bool ok, bytes memory answer) {
        vm.deal(from, from.balance + amount);
        vm.prank(from);
        (ok, answer) = address(manager).call{value: amount}("");
    }

    function _assertEthRefused(address from, uint256 amount) internal {
        (bool ok, bytes memory answer) = _sendEth(from, amount);
        assertFalse(ok);
        assertEq(answer, abi.encodeWithSelector(IInstrumentManager.ManagerUnexpectedEth.selector, from, amount));
    }

    function test_EthSentStraightToTheManagerIsRefused() public {
        _assertEthRefused(maker, 5);
        _assertEthRefused(address(escrow), 9);
        _assertEthRefused(address(issuance1), 1);
        assertEq(address(manager).balance, 0);
    }

    /// @dev A forge test is one transaction, so transient storage outlives each call: what the
    /// manager expected during a move must be cleared when the move ends.
    function test_NoEscrowIsExpectedAfterAnEthMove() public {
        _call("event", maker, 1, _one(TransferKind.Inbound, NATIVE_ETH, maker, maker, 10, 0));
        _assertEthRefused(address(escrow), 1);
        _assertEthRefused(address(issuance1), 1);
        _call("event", maker, 1, _one(TransferKind.Outbound, NATIVE_ETH, maker, maker, 10, 0));
        _assertEthRefused(address(issuance1), 1);
        _assertEthRefused(address(escrow), 1);
        assertEq(_bal(escrow, maker, NATIVE_ETH), 900);
        assertEq(address(manager).balance, 0);
    }

    function test_NoEscrowIsExpectedAfterATokenMove() public {
        _call("event", maker, 1, _one(TransferKind.Inbound, address(token), maker, maker, 10, 0));
        vm.expectRevert(
            abi.encodeWithSelector(IInstrumentManager.ManagerUnexpectedCallback.selector, address(issuance1))
        );
        vm.prank(address(issuance1));
        manager.sendTokenToEscrow(address(escrow), maker, address(token), 1);
        _call("event", maker, 1, _one(TransferKind.Outbound, address(token), maker, maker, 10, 0));
        vm.expectRevert(abi.encodeWithSelector(IInstrumentManager.ManagerUnexpectedCallback.selector, address(escrow)));
        vm.prank(address(escrow));
        manager.sendTokenToEscrow(address(issuance1), maker, address(token), 1);
        _assertEthRefused(address(escrow), 1);
        _assertEthRefused(address(issuance1), 1);
        assertEq(_bal(escrow, maker, address(token)), 700);
    }
}
