// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test, Vm} from "forge-std/Test.sol";

import {IEscrow} from "../../../interfaces/IEscrow.sol";
import {IEscrowFactory} from "../../../interfaces/IEscrowFactory.sol";
import {Transfer} from "../../../interfaces/IInstrument.sol";
import {IInstrumentManager} from "../../../interfaces/IInstrumentManager.sol";
import {IInstrumentRegistry, Domain} from "../../../interfaces/IInstrumentRegistry.sol";
import {MockERC20} from "../../../contracts/test/MockERC20.sol";

/// @dev Answers `domainId()` with whatever it is told to: a manager made outside the registry.
contract ClaimingManager {
    uint256 public domainId;

    constructor(uint256 claimed) {
        domainId = claimed;
    }
}

/// @dev An instrument whose issuances move nothing: enough to have a manager create one.
contract EmptyInstrument {
    function createIssuance(uint256, address, bytes calldata) external pure returns (Transfer[] memory transfers) {}
}

/// @dev Answers `domainId()` with one byte: too short to decode.
contract ShortAnswer {
    fallback() external {
        assembly ("memory-safe") {
            mstore(0, 0x01)
            return(31, 1)
        }
    }
}

/// @notice The Instrument Registry: activation (ids from 1, a manager clone per domain with its
/// Instrument Escrow), deactivation by the provider only, the domain record and domainIdOf.
/// Ported from tests/unit/InstrumentRegistry.
contract InstrumentRegistryTest is Test {
    IEscrowFactory internal factory;
    IInstrumentRegistry internal registry;
    address internal instrument; // any contract: activation only checks that it has code
    address internal provider = makeAddr("provider");

    function setUp() public {
        factory = IEscrowFactory(deployCode("EscrowFactory.sol:EscrowFactory"));
        registry = IInstrumentRegistry(deployCode("InstrumentRegistry.sol:InstrumentRegistry", abi.encode(factory)));
        instrument = address(new MockERC20("Instrument", "I", 18));
    }

    function test_ConstructorRecordsTheFactoryAndAManagerImplementation() public view {
        assertEq(registry.escrowFactory(), address(factory));
        assertGt(registry.managerImplementation().code.length, 0);
        assertEq(registry.domainCount(), 0);
    }

    function test_ActivateCreatesADomainWithItsManagerAndEscrow() public {
        vm.recordLogs();
        vm.prank(provider);
        (uint256 domainId, address manager, address escrow) = registry.activateInstrument(instrument);
        assertEq(domainId, 1);
        assertEq(registry.domainCount(), 1);
        assertEq(escrow, factory.predictInstrumentEscrow(manager));
        assertEq(IEscrow(escrow).admin(), manager);
        IInstrumentManager m = IInstrumentManager(manager);
        assertEq(m.domainId(), 1);
        assertEq(m.instrument(), instrument);
        assertEq(m.escrowFactory(), address(factory));
        assertEq(m.getInstrumentEscrow(), escrow);
        assertTrue(m.isActive());
        Domain memory domain = registry.getDomain(1);
        assertEq(domain.provider, provider);
        assertEq(domain.instrument, instrument);
        assertEq(domain.manager, manager);
        assertEq(domain.instrumentEscrow, escrow);
        assertTrue(domain.active);
        assertEq(registry.domainIdOf(manager), 1);

        (uint256 second, address manager2, address escrow2) = registry.activateInstrument(instrument);
        assertEq(second, 2);
        assertTrue(manager2 != manager && escrow2 != escrow);
        assertEq(registry.domainIdOf(manager2), 2);
        assertEq(registry.getDomain(2).provider, address(this));
    }

    function test_ActivatedEventNamesEverything() public {
        vm.recordLogs();
        vm.prank(provider);
        (uint256 domainId, address manager, address escrow) = registry.activateInstrument(instrument);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        Vm.Log memory last = logs[logs.length - 1];
        assertEq(last.emitter, address(registry));
        assertEq(last.topics[0], IInstrumentRegistry.InstrumentActivated.selector);
        assertEq(uint256(last.topics[1]), domainId);
        assertEq(address(uint160(uint256(last.topics[2]))), instrument);
        assertEq(address(uint160(uint256(last.topics[3]))), provider);
        assertEq(last.data, abi.encode(manager, escrow));
    }

    function test_ManagersGetTheFactorysIssuanceEscrowImplementation() public {
        (, address manager, ) = registry.activateInstrument(address(new EmptyInstrument()));
        uint256 issuanceId = IInstrumentManager(manager).createIssuance("");
        address escrow = IInstrumentManager(manager).getIssuanceEscrow(issuanceId);
        assertEq(escrow, factory.predictIssuanceEscrow(manager, bytes32(issuanceId)));
        assertGt(escrow.code.length, 0);
        assertEq(IEscrow(escrow).admin(), manager);
    }

    function test_ActivateRefusesAnAddressWithoutCode() public {
        vm.expectRevert(abi.encodeWithSelector(IInstrumentRegistry.RegistryInstrumentNotContract.selector, provider));
        registry.activateInstrument(provider);
    }

    function test_DeactivateByTheProviderOnly() public {
        vm.prank(provider);
        (uint256 domainId, address manager, ) = registry.activateInstrument(instrument);
        vm.expectRevert(
            abi.encodeWithSelector(IInstrumentRegistry.RegistryNotProvider.selector, address(this), provider)
        );
        registry.deactivateInstrument(domainId);
        vm.expectEmit(address(registry));
        emit IInstrumentRegistry.InstrumentDeactivated(domainId, provider);
        vm.prank(provider);
        registry.deactivateInstrument(domainId);
        assertFalse(IInstrumentManager(manager).isActive());
        assertFalse(registry.getDomain(domainId).active);
        vm.expectRevert(abi.encodeWithSelector(IInstrumentRegistry.RegistryDomainInactive.selector, domainId));
        vm.prank(provider);
        registry.deactivateInstrument(domainId);
    }

    function test_UnknownDomainsRevert() public {
        vm.expectRevert(abi.encodeWithSelector(IInstrumentRegistry.RegistryUnknownDomain.selector, 0));
        registry.getDomain(0);
        vm.expectRevert(abi.encodeWithSelector(IInstrumentRegistry.RegistryUnknownDomain.selector, 1));
        registry.getDomain(1);
        vm.expectRevert(abi.encodeWithSelector(IInstrumentRegistry.RegistryUnknownDomain.selector, 1));
        registry.deactivateInstrument(1);
    }

    function test_DomainIdOfAnswersZeroForAnythingNotMadeHere() public {
        (, address manager, ) = registry.activateInstrument(instrument);
        assertEq(registry.domainIdOf(provider), 0); // no code: an empty answer
        assertEq(registry.domainIdOf(address(new ShortAnswer())), 0);
        assertEq(registry.domainIdOf(address(new ClaimingManager(1))), 0); // id 1 names another
        assertEq(registry.domainIdOf(address(new ClaimingManager(0))), 0);
        assertEq(registry.domainIdOf(address(new ClaimingManager(2))), 0); // no such domain
        assertEq(registry.domainIdOf(address(new ClaimingManager(type(uint256).max))), 0); // any word
        assertEq(registry.domainIdOf(instrument), 0); // a contract without domainId()
        assertEq(registry.domainIdOf(manager), 1);
    }

    function test_OnlyTheRegistryInitializesAndDeactivatesAManager() public {
        (, address manager, ) = registry.activateInstrument(instrument);
        vm.expectRevert(abi.encodeWithSelector(IInstrumentManager.ManagerUnauthorized.selector, address(this)));
        IInstrumentManager(manager).initialize();
        vm.expectRevert(abi.encodeWithSelector(IInstrumentManager.ManagerUnauthorized.selector, address(this)));
        IInstrumentManager(manager).deactivate();
    }
}
