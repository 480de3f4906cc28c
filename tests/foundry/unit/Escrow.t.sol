// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {IEscrow, NATIVE_ETH} from "../../../interfaces/IEscrow.sol";
import {IEscrowAdmin} from "../../../interfaces/IEscrowAdmin.sol";
import {IEscrowFactory} from "../../../interfaces/IEscrowFactory.sol";
import {IInstrumentEscrow} from "../../../interfaces/IInstrumentEscrow.sol";
import {ContractWallet} from "../../../contracts/test/ContractWallet.sol";
import {FeeOnTopToken} from "../../../contracts/test/FeeOnTopToken.sol";
import {FeeOnTransferToken} from "../../../contracts/test/FeeOnTransferToken.sol";
import {MockERC20} from "../../../contracts/test/MockERC20.sol";

/// @dev A token whose transfers change the parties' other holdings, as a rebase in the middle of
/// a transfer would: a recipient may lose `penalty` times what arrived, a sender may gain `bonus`
/// times what it sent (each once).
contract ShrinkingToken is MockERC20 {
    uint256 internal penalty;
    uint256 internal bonus;

    constructor() MockERC20("Shrinking", "SHR", 18) {}

    function setRecipientPenalty(uint256 times) external {
        penalty = times;
    }

    function setSenderBonus(uint256 times) external {
        bonus = times;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (from == address(0) || to == address(0)) return;
        if (penalty != 0) {
            uint256 burnt = penalty * value;
            penalty = 0;
            _burn(to, burnt);
        }
        if (bonus != 0) {
            uint256 minted = bonus * value;
            bonus = 0;
            _mint(from, minted);
        }
    }
}

/// @notice The escrow ledger (Escrow, InstrumentEscrow, IssuanceEscrow) with this test contract as
/// the admin: exact errors with their arguments, events, balances, boundaries. Ported from
/// tests/unit/Escrow and tests/unit/InstrumentEscrow. Contracts are deployed from their artifacts
/// (deployCode) so that a mutated contract recompiles no test file (tools/mutation.py).
contract EscrowTest is Test, IEscrowAdmin {
    IEscrowFactory internal factory;
    IEscrow internal escrow; // an Instrument Escrow administered by this contract
    IEscrow internal issuance; // an Issuance Escrow administered by this contract
    MockERC20 internal token;
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    /// @dev What `sendTokenToEscrow` does when an escrow calls back: send, or deliver nothing.
    bool internal deliverOnCallback = true;

    function setUp() public {
        factory = IEscrowFactory(deployCode("EscrowFactory.sol:EscrowFactory"));
        escrow = IEscrow(factory.createInstrumentEscrow());
        issuance = IEscrow(factory.createIssuanceEscrow(bytes32(uint256(7))));
        token = new MockERC20("Token", "TOK", 18);
        token.mint(address(this), 1_000 ether);
        token.approve(address(escrow), type(uint256).max);
        token.approve(address(issuance), type(uint256).max);
        vm.deal(address(this), 100 ether);
    }

    receive() external payable {}

    function sendTokenToEscrow(address source, address sourceAccount, address token_, uint256 amount) external {
        if (deliverOnCallback) IEscrow(source).sendTokenByAdmin(sourceAccount, token_, amount, msg.sender);
    }

    // ------------------------------------------------------------------------------ admin, views

    function test_AdminIsTheCreatorAndEthIsTheConstant() public view {
        assertEq(escrow.admin(), address(this));
        assertEq(issuance.admin(), address(this));
        assertEq(escrow.ETH(), NATIVE_ETH);
    }

    function test_ImplementationRefusesEverything() public {
        IEscrow implementation = IEscrow(factory.instrumentEscrowImplementation());
        vm.expectRevert(IEscrow.EscrowImplementationNotUsable.selector);
        implementation.admin();
        vm.expectRevert(IEscrow.EscrowImplementationNotUsable.selector);
        implementation.depositByAdmin{value: 1}(alice);
        vm.expectRevert(IEscrow.EscrowImplementationNotUsable.selector);
        IInstrumentEscrow(address(implementation)).deposit{value: 1}();
        vm.expectRevert(IEscrow.EscrowImplementationNotUsable.selector);
        IInstrumentEscrow(address(implementation)).withdraw(1);
        vm.expectRevert(IEscrow.EscrowImplementationNotUsable.selector);
        IInstrumentEscrow(address(implementation)).depositToken(address(token), 1);
        vm.expectRevert(IEscrow.EscrowImplementationNotUsable.selector);
        IInstrumentEscrow(address(implementation)).withdrawToken(address(token), 1);
    }

    function test_PlainEthIsRefused() public {
        vm.deal(alice, 1 ether);
        vm.prank(alice, bob); // sender alice, origin bob: the error names the sender
        (bool ok, bytes memory error) = address(escrow).call{value: 3 wei}("");
        assertFalse(ok);
        assertEq(error, abi.encodeWithSelector(IEscrow.EscrowUnexpectedEth.selector, alice, 3 wei));
        assertEq(address(escrow).balance, 0);
    }

    function test_EveryAdminFunctionRefusesOthers() public {
        bytes[8] memory calls = [
            abi.encodeCall(IEscrow.depositByAdmin, (alice)),
            abi.encodeCall(IEscrow.depositTokenByAdmin, (alice, address(token), 1)),
            abi.encodeCall(IEscrow.withdrawByAdmin, (alice, 1)),
            abi.encodeCall(IEscrow.withdrawTokenByAdmin, (alice, address(token), 1)),
            abi.encodeCall(IEscrow.sendTokenByAdmin, (alice, address(token), 1, bob)),
            abi.encodeCall(IEscrow.receiveTokenByAdmin, (alice, address(token), 1, address(issuance), bob)),
            abi.encodeCall(IEscrow.transferByAdmin, (alice, bob, address(token), 1)),
            abi.encodeCall(IEscrow.depositByAdmin, (bob))
        ];
        vm.deal(alice, 1);
        for (uint256 i; i < calls.length; ++i) {
            vm.prank(alice, bob); // sender alice, origin bob: the error names the sender
            (bool ok, bytes memory error) = address(escrow).call{value: i == 0 ? 1 : 0}(calls[i]);
            assertFalse(ok);
            assertEq(error, abi.encodeWithSelector(IEscrow.EscrowUnauthorized.selector, alice, address(this)));
        }
    }

    // ---------------------------------------------------------------------------------- deposits

    function test_DepositByAdminCreditsTheEthSent() public {
        vm.expectEmit(address(escrow));
        emit IEscrow.Deposited(alice, NATIVE_ETH, 3 ether);
        escrow.depositByAdmin{value: 3 ether}(alice);
        assertEq(escrow.getBalance(alice), 3 ether);
        assertEq(escrow.getTokenBalance(alice, NATIVE_ETH), 3 ether);
        assertEq(address(escrow).balance, 3 ether);
        escrow.depositByAdmin{value: 3 ether}(alice); // adds, whatever the bits
        assertEq(escrow.getBalance(alice), 6 ether);
    }

    function test_DepositByAdminRefusesZeroAndNobody() public {
        vm.expectRevert(IEscrow.EscrowZeroAmount.selector);
        escrow.depositByAdmin{value: 0}(alice);
        vm.expectRevert(IEscrow.EscrowZeroAccount.selector);
        escrow.depositByAdmin{value: 1}(address(0));
    }

    function test_DepositTokenByAdminPullsAndCredits() public {
        vm.expectEmit(address(escrow));
        emit IEscrow.Deposited(alice, address(token), 5 ether);
        escrow.depositTokenByAdmin(alice, address(token), 5 ether);
        assertEq(escrow.getTokenBalance(alice, address(token)), 5 ether);
        assertEq(token.balanceOf(address(escrow)), 5 ether);
        assertEq(token.balanceOf(address(this)), 995 ether);
        escrow.depositTokenByAdmin(alice, address(token), 1);
        assertEq(escrow.getTokenBalance(alice, address(token)), 5 ether + 1);
        assertEq(escrow.getBalance(alice), 0);
    }

    function test_DepositTokenCreditsOnlyWhatArrived() public {
        FeeOnTransferToken fee = new FeeOnTransferToken(100); // 1%
        fee.mint(address(this), 100 ether);
        fee.approve(address(escrow), type(uint256).max);
        escrow.depositTokenByAdmin(alice, address(fee), 10 ether);
        assertEq(escrow.getTokenBalance(alice, address(fee)), 9.9 ether);
        FeeOnTransferToken all = new FeeOnTransferToken(10_000);
        all.mint(address(this), 1 ether);
        all.approve(address(escrow), type(uint256).max);
        vm.expectRevert(IEscrow.EscrowZeroAmount.selector);
        escrow.depositTokenByAdmin(alice, address(all), 1 ether);
    }

    function test_DepositTokenRefusesZeroAndNobodyBeforeAnyTokenCodeRuns() public {
        vm.expectCall(address(token), abi.encodeWithSelector(token.transferFrom.selector), 0);
        vm.expectCall(address(token), abi.encodeWithSelector(token.balanceOf.selector), 0);
        vm.expectRevert(IEscrow.EscrowZeroAmount.selector);
        escrow.depositTokenByAdmin(alice, address(token), 0);
        vm.expectRevert(IEscrow.EscrowZeroAccount.selector);
        escrow.depositTokenByAdmin(address(0), address(token), 1);
    }

    function test_DepositTokenCreditsNothingWhenTheHoldingShrank() public {
        ShrinkingToken shrinking = new ShrinkingToken();
        shrinking.mint(address(this), 10 ether);
        shrinking.approve(address(escrow), type(uint256).max);
        escrow.depositTokenByAdmin(alice, address(shrinking), 5 ether);
        shrinking.setRecipientPenalty(3); // the next transfer in costs the escrow 3x what arrives
        vm.expectRevert(IEscrow.EscrowZeroAmount.selector);
        escrow.depositTokenByAdmin(alice, address(shrinking), 1 ether);
    }

    function test_SendWhileTheHoldingGrowsTakesNothing() public {
        ShrinkingToken growing = new ShrinkingToken();
        growing.mint(address(this), 10 ether);
        growing.approve(address(escrow), type(uint256).max);
        escrow.depositTokenByAdmin(alice, address(growing), 5 ether);
        growing.setSenderBonus(2); // the next transfer out pays the escrow 2x what it sends
        escrow.sendTokenByAdmin(alice, address(growing), 1 ether, bob);
        assertEq(growing.balanceOf(bob), 1 ether);
        assertEq(growing.balanceOf(address(escrow)), 6 ether);
        assertEq(escrow.getTokenBalance(alice, address(growing)), 4 ether);
    }

    function test_DepositTokenRefusesBadInput() public {
        vm.expectRevert(IEscrow.EscrowZeroAccount.selector);
        escrow.depositTokenByAdmin(address(0), address(token), 1);
        vm.expectRevert(IEscrow.EscrowEthIsNotAToken.selector);
        escrow.depositTokenByAdmin(alice, NATIVE_ETH, 1);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.EscrowTokenNotContract.selector, bob));
        escrow.depositTokenByAdmin(alice, bob, 1);
        vm.expectRevert(IEscrow.EscrowZeroAmount.selector);
        escrow.depositTokenByAdmin(alice, address(token), 0);
    }

    // ------------------------------------------------------------------------------- withdrawals

    function test_WithdrawByAdminSendsEthToTheAdmin() public {
        escrow.depositByAdmin{value: 3 ether}(alice);
        uint256 before = address(this).balance;
        vm.expectEmit(address(escrow));
        emit IEscrow.Withdrawn(alice, NATIVE_ETH, 1 ether, address(this));
        escrow.withdrawByAdmin(alice, 1 ether);
        assertEq(address(this).balance, before + 1 ether);
        assertEq(escrow.getBalance(alice), 2 ether);
        escrow.withdrawByAdmin(alice, 2 ether); // the whole balance: the boundary
        assertEq(escrow.getBalance(alice), 0);
        assertEq(address(escrow).balance, 0);
    }

    function test_WithdrawRefusesMoreThanTheBalance() public {
        escrow.depositByAdmin{value: 3 ether}(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IEscrow.EscrowInsufficientBalance.selector, alice, NATIVE_ETH, 3 ether, 3 ether + 1)
        );
        escrow.withdrawByAdmin(alice, 3 ether + 1);
        vm.expectRevert(IEscrow.EscrowZeroAmount.selector);
        escrow.withdrawByAdmin(alice, 0);
        vm.expectRevert(IEscrow.EscrowZeroAccount.selector);
        escrow.withdrawByAdmin(address(0), 1);
    }

    function test_WithdrawTokenByAdmin() public {
        escrow.depositTokenByAdmin(alice, address(token), 5 ether);
        vm.expectEmit(address(escrow));
        emit IEscrow.Withdrawn(alice, address(token), 2 ether, address(this));
        escrow.withdrawTokenByAdmin(alice, address(token), 2 ether);
        assertEq(token.balanceOf(address(this)), 997 ether);
        assertEq(escrow.getTokenBalance(alice, address(token)), 3 ether);
        vm.expectRevert(IEscrow.EscrowEthIsNotAToken.selector);
        escrow.withdrawTokenByAdmin(alice, NATIVE_ETH, 1);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.EscrowTokenNotContract.selector, bob));
        escrow.withdrawTokenByAdmin(alice, bob, 1);
        vm.expectRevert(
            abi.encodeWithSelector(IEscrow.EscrowInsufficientBalance.selector, alice, address(token), 3 ether, 4 ether)
        );
        escrow.withdrawTokenByAdmin(alice, address(token), 4 ether);
        escrow.withdrawTokenByAdmin(alice, address(token), 3 ether); // the escrow's whole holding
        assertEq(token.balanceOf(address(escrow)), 0);
        assertEq(escrow.getTokenBalance(alice, address(token)), 0);
    }

    function test_SendTokenByAdminPaysTheRecipient() public {
        escrow.depositTokenByAdmin(alice, address(token), 5 ether);
        vm.expectEmit(address(escrow));
        emit IEscrow.Withdrawn(alice, address(token), 2 ether, bob);
        escrow.sendTokenByAdmin(alice, address(token), 2 ether, bob);
        assertEq(token.balanceOf(bob), 2 ether);
        assertEq(escrow.getTokenBalance(alice, address(token)), 3 ether);
        vm.expectRevert(IEscrow.EscrowZeroAccount.selector);
        escrow.sendTokenByAdmin(alice, address(token), 1, address(0));
        vm.expectRevert(IEscrow.EscrowEthIsNotAToken.selector);
        escrow.sendTokenByAdmin(alice, NATIVE_ETH, 1, bob);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.EscrowTokenNotContract.selector, bob));
        escrow.sendTokenByAdmin(alice, bob, 1, bob);
    }

    function test_SendRefusesATokenThatTakesMoreThanItSends() public {
        FeeOnTopToken top = new FeeOnTopToken();
        top.mint(address(this), 100 ether);
        top.approve(address(escrow), type(uint256).max);
        escrow.depositTokenByAdmin(alice, address(top), 10 ether);
        escrow.depositTokenByAdmin(bob, address(top), 10 ether);
        // Without a fee the escrow's balance falls by exactly what it sent: accepted.
        escrow.sendTokenByAdmin(alice, address(top), 1 ether, bob);
        top.setFeeBasisPoints(100);
        vm.expectRevert(
            abi.encodeWithSelector(IEscrow.EscrowSendOverdrawn.selector, address(top), 1 ether, 1.01 ether)
        );
        escrow.sendTokenByAdmin(alice, address(top), 1 ether, bob);
    }

    function test_SendToItselfTakesNothing() public {
        escrow.depositTokenByAdmin(alice, address(token), 5 ether);
        escrow.sendTokenByAdmin(alice, address(token), 2 ether, address(escrow));
        assertEq(token.balanceOf(address(escrow)), 5 ether);
        assertEq(escrow.getTokenBalance(alice, address(token)), 3 ether);
    }

    function test_EthGoesToContractWalletsWithAllGasAndFailuresRevert() public {
        ContractWallet wallet = new ContractWallet();
        vm.deal(address(wallet), 1 ether);
        wallet.execute(address(escrow), abi.encodeCall(IInstrumentEscrow.deposit, ()), 1 ether);
        // The wallet's receive writes storage: more than 2,300 gas.
        wallet.execute(address(escrow), abi.encodeCall(IInstrumentEscrow.withdraw, (0.5 ether)), 0);
        assertEq(wallet.received(), 0.5 ether);
        wallet.setMode(ContractWallet.Mode.Reject);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.EscrowEthTransferFailed.selector, address(wallet), 0.5 ether));
        wallet.execute(address(escrow), abi.encodeCall(IInstrumentEscrow.withdraw, (0.5 ether)), 0);
    }

    // -------------------------------------------------------------------------- ledger transfers

    function test_TransferByAdminMovesInsideTheLedger() public {
        escrow.depositTokenByAdmin(alice, address(token), 5 ether);
        vm.expectEmit(address(escrow));
        emit IEscrow.Transferred(alice, bob, address(token), 2 ether);
        escrow.transferByAdmin(alice, bob, address(token), 2 ether);
        assertEq(escrow.getTokenBalance(alice, address(token)), 3 ether);
        assertEq(escrow.getTokenBalance(bob, address(token)), 2 ether);
        escrow.transferByAdmin(alice, bob, address(token), 3 ether);
        assertEq(escrow.getTokenBalance(bob, address(token)), 5 ether);
        assertEq(token.balanceOf(address(escrow)), 5 ether);
        vm.expectRevert(IEscrow.EscrowZeroAccount.selector);
        escrow.transferByAdmin(bob, address(0), address(token), 1);
        vm.expectRevert(IEscrow.EscrowZeroAccount.selector);
        escrow.transferByAdmin(address(0), bob, address(token), 1);
        vm.expectRevert(IEscrow.EscrowZeroAmount.selector);
        escrow.transferByAdmin(bob, alice, address(token), 0);
        vm.expectRevert(
            abi.encodeWithSelector(IEscrow.EscrowInsufficientBalance.selector, alice, address(token), 0, 1)
        );
        escrow.transferByAdmin(alice, bob, address(token), 1);
    }

    // ---------------------------------------------------------------- receive between escrows

    function test_ReceiveTokenByAdminMovesBetweenEscrowsAndCreditsWhatArrived() public {
        issuance.depositTokenByAdmin(bob, address(token), 5 ether);
        vm.expectEmit(address(escrow));
        emit IEscrow.Deposited(alice, address(token), 2 ether);
        uint256 credited = escrow.receiveTokenByAdmin(alice, address(token), 2 ether, address(issuance), bob);
        assertEq(credited, 2 ether);
        assertEq(escrow.getTokenBalance(alice, address(token)), 2 ether);
        assertEq(issuance.getTokenBalance(bob, address(token)), 3 ether);
        assertEq(token.balanceOf(address(escrow)), 2 ether);
        assertEq(token.balanceOf(address(issuance)), 3 ether);
    }

    function test_ReceiveTokenByAdminRefusesZeroBeforeCallingBack() public {
        // With an admin that delivers nothing, only the escrow's own check can refuse zero.
        deliverOnCallback = false;
        vm.expectRevert(IEscrow.EscrowZeroAmount.selector);
        escrow.receiveTokenByAdmin(alice, address(token), 0, address(issuance), bob);
    }

    function test_ReceiveTokenByAdminCreditsOnlyTheGrowthOfItsBalance() public {
        escrow.depositTokenByAdmin(bob, address(token), 4 ether); // held before the move
        issuance.depositTokenByAdmin(bob, address(token), 5 ether);
        uint256 credited = escrow.receiveTokenByAdmin(alice, address(token), 2 ether, address(issuance), bob);
        assertEq(credited, 2 ether);
        assertEq(escrow.getTokenBalance(alice, address(token)), 2 ether);
        assertEq(escrow.getTokenBalance(bob, address(token)), 4 ether);
    }

    function test_ReceiveTokenByAdminCreditsNothingWhenNothingArrived() public {
        deliverOnCallback = false;
        vm.recordLogs();
        uint256 credited = escrow.receiveTokenByAdmin(alice, address(token), 2 ether, address(issuance), bob);
        assertEq(credited, 0);
        assertEq(escrow.getTokenBalance(alice, address(token)), 0);
        assertEq(vm.getRecordedLogs().length, 0);
    }

    function test_ReceiveTokenByAdminWithAFeeToken() public {
        FeeOnTransferToken fee = new FeeOnTransferToken(100);
        fee.mint(address(this), 100 ether);
        fee.approve(address(issuance), type(uint256).max);
        issuance.depositTokenByAdmin(bob, address(fee), 10 ether); // 9.9 booked
        uint256 credited = escrow.receiveTokenByAdmin(alice, address(fee), 1 ether, address(issuance), bob);
        assertEq(credited, 0.99 ether);
        assertEq(escrow.getTokenBalance(alice, address(fee)), 0.99 ether);
        assertEq(issuance.getTokenBalance(bob, address(fee)), 8.9 ether);
    }

    function test_ReceiveTokenByAdminRefusesBadInput() public {
        vm.expectRevert(IEscrow.EscrowZeroAccount.selector);
        escrow.receiveTokenByAdmin(address(0), address(token), 1, address(issuance), bob);
        vm.expectRevert(IEscrow.EscrowEthIsNotAToken.selector);
        escrow.receiveTokenByAdmin(alice, NATIVE_ETH, 1, address(issuance), bob);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.EscrowTokenNotContract.selector, bob));
        escrow.receiveTokenByAdmin(alice, bob, 1, address(issuance), bob);
        vm.expectRevert(IEscrow.EscrowZeroAmount.selector);
        escrow.receiveTokenByAdmin(alice, address(token), 0, address(issuance), bob);
    }

    // ----------------------------------------------------------------- Instrument Escrow users

    function test_UsersDepositAndWithdrawOnTheirOwnAccount() public {
        IInstrumentEscrow user = IInstrumentEscrow(address(escrow));
        vm.deal(alice, 5 ether);
        token.transfer(alice, 10 ether);
        vm.startPrank(alice);
        vm.expectEmit(address(escrow));
        emit IEscrow.Deposited(alice, NATIVE_ETH, 2 ether);
        user.deposit{value: 2 ether}();
        token.approve(address(escrow), 10 ether);
        vm.expectEmit(address(escrow));
        emit IEscrow.Deposited(alice, address(token), 4 ether);
        user.depositToken(address(token), 4 ether);
        assertEq(escrow.getBalance(alice), 2 ether);
        assertEq(escrow.getTokenBalance(alice, address(token)), 4 ether);
        vm.expectEmit(address(escrow));
        emit IEscrow.Withdrawn(alice, NATIVE_ETH, 2 ether, alice);
        user.withdraw(2 ether);
        vm.expectEmit(address(escrow));
        emit IEscrow.Withdrawn(alice, address(token), 1 ether, alice);
        user.withdrawToken(address(token), 1 ether);
        assertEq(alice.balance, 5 ether);
        assertEq(token.balanceOf(alice), 7 ether);
        assertEq(escrow.getTokenBalance(alice, address(token)), 3 ether);
        vm.expectRevert(IEscrow.EscrowZeroAmount.selector);
        user.deposit{value: 0}();
        vm.expectRevert(IEscrow.EscrowEthIsNotAToken.selector);
        user.withdrawToken(NATIVE_ETH, 1);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.EscrowTokenNotContract.selector, bob));
        user.withdrawToken(bob, 1);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.EscrowInsufficientBalance.selector, alice, NATIVE_ETH, 0, 1));
        user.withdraw(1);
        vm.stopPrank();
    }
}
