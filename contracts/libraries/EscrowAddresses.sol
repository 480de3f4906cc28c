// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";

/// @title EscrowAddresses
/// @notice Where the Escrow Factory puts an escrow: a CREATE2 clone of an implementation whose
/// only immutable argument is the admin. The factory creates with these arguments and salts, and
/// anyone (the manager included) can compute the addresses without a call or a storage read.
library EscrowAddresses {
    /// @dev An admin has one Instrument Escrow, always at this salt.
    bytes32 internal constant INSTRUMENT_ESCROW_SALT = bytes32(0);

    /// @notice The immutable arguments of an escrow clone: its admin, packed (20 bytes).
    function cloneArgs(address admin) internal pure returns (bytes memory) {
        return abi.encodePacked(admin);
    }

    /// @notice The admin stored in an escrow clone's immutable arguments.
    function adminOf(address escrow) internal view returns (address) {
        return address(bytes20(Clones.fetchCloneArgs(escrow)));
    }

    /// @notice The address of an escrow clone made by `factory`.
    function predict(
        address factory,
        address implementation,
        address admin,
        bytes32 salt
    ) internal pure returns (address) {
        return Clones.predictDeterministicAddressWithImmutableArgs(implementation, cloneArgs(admin), salt, factory);
    }
}
