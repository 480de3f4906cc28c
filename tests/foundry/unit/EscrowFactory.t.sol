// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {IEscrow} from "../../../interfaces/IEscrow.sol";
import {IEscrowFactory} from "../../../interfaces/IEscrowFactory.sol";

/// @notice The Escrow Factory: CREATE2 clones with the caller as admin, at the predicted
/// addresses, one Instrument Escrow per admin. Ported from tests/unit/EscrowFactory.
contract EscrowFactoryTest is Test {
    IEscrowFactory internal factory;
    address internal alice = makeAddr("alice");

    function setUp() public {
        factory = IEscrowFactory(deployCode("EscrowFactory.sol:EscrowFactory"));
    }

    function test_ImplementationsAreDeployedAndDistinct() public {
        address instrument = factory.instrumentEscrowImplementation();
        address issuance = factory.issuanceEscrowImplementation();
        assertGt(instrument.code.length, 0);
        assertGt(issuance.code.length, 0);
        assertTrue(instrument != issuance);
        // Only the Instrument Escrow has the user functions.
        (bool ok, ) = issuance.call(abi.encodeWithSignature("withdraw(uint256)", 1));
        assertFalse(ok);
    }

    function test_CreateInstrumentEscrowAtThePredictedAddress() public {
        address predicted = factory.predictInstrumentEscrow(alice);
        vm.expectEmit(address(factory));
        emit IEscrowFactory.InstrumentEscrowCreated(alice, predicted);
        vm.prank(alice);
        address escrow = factory.createInstrumentEscrow();
        assertEq(escrow, predicted);
        assertEq(IEscrow(escrow).admin(), alice);
        assertTrue(predicted != factory.predictInstrumentEscrow(address(this)));
        // One per admin: the same salt again fails.
        vm.prank(alice);
        vm.expectRevert();
        factory.createInstrumentEscrow();
    }

    function test_CreateIssuanceEscrowAtThePredictedAddressPerSalt() public {
        bytes32 salt = bytes32(uint256(42));
        address predicted = factory.predictIssuanceEscrow(alice, salt);
        vm.expectEmit(address(factory));
        emit IEscrowFactory.IssuanceEscrowCreated(alice, predicted, salt);
        vm.prank(alice);
        address escrow = factory.createIssuanceEscrow(salt);
        assertEq(escrow, predicted);
        assertEq(IEscrow(escrow).admin(), alice);
        assertTrue(predicted != factory.predictIssuanceEscrow(alice, bytes32(uint256(43))));
        assertTrue(predicted != factory.predictIssuanceEscrow(address(this), salt));
        assertTrue(factory.predictIssuanceEscrow(alice, bytes32(0)) != factory.predictInstrumentEscrow(alice));
        // Issuance escrows have no user functions; instrument escrows do.
        (bool ok, ) = escrow.call(abi.encodeWithSignature("withdraw(uint256)", 1));
        assertFalse(ok);
        vm.prank(alice);
        vm.expectRevert();
        factory.createIssuanceEscrow(salt);
    }
}
