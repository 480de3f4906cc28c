// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";

import {IEscrowFactory} from "../../interfaces/IEscrowFactory.sol";
import {IInstrumentManager} from "../../interfaces/IInstrumentManager.sol";
import {IInstrumentRegistry, Domain} from "../../interfaces/IInstrumentRegistry.sol";
import {DomainConfig, InstrumentManager} from "./InstrumentManager.sol";

/// @title InstrumentRegistry
/// @notice Activates instrument domains: for each, a manager clone bound to the instrument, and
/// through it the domain's Instrument Escrow. Permissionless: whoever activates a domain is its
/// provider, the only one who may deactivate it.
contract InstrumentRegistry is IInstrumentRegistry {
    /// @dev What the registry stores of a domain; the rest is read from the manager.
    struct DomainRecord {
        address provider;
        address manager;
    }

    /// @inheritdoc IInstrumentRegistry
    address public immutable escrowFactory;
    /// @inheritdoc IInstrumentRegistry
    address public immutable managerImplementation;

    address private immutable _instrumentEscrowImplementation;
    address private immutable _issuanceEscrowImplementation;

    /// @inheritdoc IInstrumentRegistry
    uint256 public domainCount;

    mapping(uint256 domainId => DomainRecord) private _domains;

    constructor(IEscrowFactory factory) {
        escrowFactory = address(factory);
        managerImplementation = address(new InstrumentManager());
        _instrumentEscrowImplementation = factory.instrumentEscrowImplementation();
        _issuanceEscrowImplementation = factory.issuanceEscrowImplementation();
    }

    /// @inheritdoc IInstrumentRegistry
    function activateInstrument(
        address instrument
    ) external returns (uint256 domainId, address manager, address instrumentEscrow) {
        if (instrument.code.length == 0) revert RegistryInstrumentNotContract(instrument);
        domainId = ++domainCount;
        bytes memory config = abi.encode(
            DomainConfig({
                registry: address(this),
                domainId: domainId,
                instrument: instrument,
                escrowFactory: escrowFactory,
                instrumentEscrowImplementation: _instrumentEscrowImplementation,
                issuanceEscrowImplementation: _issuanceEscrowImplementation
            })
        );
        manager = Clones.cloneDeterministicWithImmutableArgs(managerImplementation, config, bytes32(domainId));
        _domains[domainId] = DomainRecord({provider: msg.sender, manager: manager});
        instrumentEscrow = IInstrumentManager(manager).initialize();
        emit InstrumentActivated(domainId, instrument, msg.sender, manager, instrumentEscrow);
    }

    /// @inheritdoc IInstrumentRegistry
    function deactivateInstrument(uint256 domainId) external {
        DomainRecord memory record = _record(domainId);
        if (msg.sender != record.provider) revert RegistryNotProvider(msg.sender, record.provider);
        IInstrumentManager manager = IInstrumentManager(record.manager);
        if (!manager.isActive()) revert RegistryDomainInactive(domainId);
        manager.deactivate();
        emit InstrumentDeactivated(domainId, msg.sender);
    }

    /// @inheritdoc IInstrumentRegistry
    function getDomain(uint256 domainId) external view returns (Domain memory) {
        DomainRecord memory record = _record(domainId);
        IInstrumentManager manager = IInstrumentManager(record.manager);
        return
            Domain({
                provider: record.provider,
                instrument: manager.instrument(),
                manager: record.manager,
                instrumentEscrow: manager.getInstrumentEscrow(),
                active: manager.isActive()
            });
    }

    /// @inheritdoc IInstrumentRegistry
    function domainIdOf(address manager) external view returns (uint256) {
        // A manager made here knows its id and the record of that id names it. Anything else
        // answers nothing usable, or claims an id whose record names another manager. A low-level
        // call, because try/catch would not catch an answer too short to decode.
        (bool answered, bytes memory answer) = manager.staticcall(abi.encodeCall(IInstrumentManager.domainId, ()));
        if (!answered || answer.length < 32) return 0;
        uint256 claimed = abi.decode(answer, (uint256));
        return claimed != 0 && _domains[claimed].manager == manager ? claimed : 0;
    }

    function _record(uint256 domainId) private view returns (DomainRecord memory record) {
        record = _domains[domainId];
        if (record.manager == address(0)) revert RegistryUnknownDomain(domainId);
    }
}
