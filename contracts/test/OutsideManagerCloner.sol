// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";

import {DomainConfig, InstrumentManager} from "../domain/InstrumentManager.sol";

/// @notice Makes manager clones outside the registry, with any configuration (tests only): a
/// clone that names this contract as its registry can be initialised by it.
contract OutsideManagerCloner {
    function cloneManager(address implementation, DomainConfig calldata config) external returns (address manager) {
        manager = Clones.cloneWithImmutableArgs(implementation, abi.encode(config));
    }

    function initializeManager(address manager) external returns (address instrumentEscrow) {
        return InstrumentManager(payable(manager)).initialize();
    }
}
