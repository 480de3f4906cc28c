// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";

import {IEscrowFactory} from "../../interfaces/IEscrowFactory.sol";
import {EscrowAddresses} from "../libraries/EscrowAddresses.sol";
import {InstrumentEscrow} from "./InstrumentEscrow.sol";
import {IssuanceEscrow} from "./IssuanceEscrow.sol";

/// @title EscrowFactory
/// @notice Creates every escrow as a CREATE2 clone with the caller as admin. It deploys its own
/// implementations in its constructor, so the code behind every clone is known.
contract EscrowFactory is IEscrowFactory {
    /// @inheritdoc IEscrowFactory
    address public immutable instrumentEscrowImplementation;
    /// @inheritdoc IEscrowFactory
    address public immutable issuanceEscrowImplementation;

    constructor() {
        instrumentEscrowImplementation = address(new InstrumentEscrow());
        issuanceEscrowImplementation = address(new IssuanceEscrow());
    }

    /// @inheritdoc IEscrowFactory
    function createInstrumentEscrow() external returns (address escrow) {
        escrow = _clone(instrumentEscrowImplementation, EscrowAddresses.INSTRUMENT_ESCROW_SALT);
        emit InstrumentEscrowCreated(msg.sender, escrow);
    }

    /// @inheritdoc IEscrowFactory
    function createIssuanceEscrow(bytes32 salt) external returns (address escrow) {
        escrow = _clone(issuanceEscrowImplementation, salt);
        emit IssuanceEscrowCreated(msg.sender, escrow, salt);
    }

    /// @inheritdoc IEscrowFactory
    function predictInstrumentEscrow(address admin) external view returns (address) {
        return
            EscrowAddresses.predict(
                address(this),
                instrumentEscrowImplementation,
                admin,
                EscrowAddresses.INSTRUMENT_ESCROW_SALT
            );
    }

    /// @inheritdoc IEscrowFactory
    function predictIssuanceEscrow(address admin, bytes32 salt) external view returns (address) {
        return EscrowAddresses.predict(address(this), issuanceEscrowImplementation, admin, salt);
    }

    /// @dev Clones `implementation` for the caller at `salt`. An address already taken makes CREATE2
    /// fail and OpenZeppelin's `Create2` revert `Errors.FailedDeployment()`: checking for code first
    /// would cost every creation a cold account access (2,600 gas) for a case that only a caller
    /// reusing its own salt can meet.
    function _clone(address implementation, bytes32 salt) private returns (address escrow) {
        escrow = Clones.cloneDeterministicWithImmutableArgs(
            implementation,
            EscrowAddresses.cloneArgs(msg.sender),
            salt
        );
    }
}
