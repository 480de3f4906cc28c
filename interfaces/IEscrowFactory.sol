// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IEscrowFactory
/// @notice Creates every escrow, as an EIP-1167 clone (OpenZeppelin `Clones`, with the admin as
/// the clone's immutable argument) at an address that can be predicted before creation. The
/// caller becomes the new escrow's admin. The factory deploys its own implementations, which
/// have no initialiser and refuse to be used directly.
/// @dev Anyone may create escrows for themselves; whether an escrow belongs to a real instrument
/// domain is answered by the Instrument Registry, not by the factory.
/// A creation at an address already taken (the same caller's second Instrument Escrow, or a
/// salt it used before) reverts with OpenZeppelin's `Errors.FailedDeployment()`.
interface IEscrowFactory {
    /// @notice `admin` created the Instrument Escrow `escrow`.
    event InstrumentEscrowCreated(address indexed admin, address indexed escrow);
    /// @notice `admin` created the Issuance Escrow `escrow` with `salt`.
    event IssuanceEscrowCreated(address indexed admin, address indexed escrow, bytes32 indexed salt);

    /// @notice The implementation behind every Instrument Escrow clone.
    function instrumentEscrowImplementation() external view returns (address);

    /// @notice The implementation behind every Issuance Escrow clone.
    function issuanceEscrowImplementation() external view returns (address);

    /// @notice Creates the caller's Instrument Escrow, with the caller as admin. One per caller.
    function createInstrumentEscrow() external returns (address escrow);

    /// @notice Creates an Issuance Escrow with the caller as admin; one per caller and `salt`
    /// (the Instrument Manager uses the issuance id).
    function createIssuanceEscrow(bytes32 salt) external returns (address escrow);

    /// @notice The address at which `admin`'s Instrument Escrow is or will be.
    function predictInstrumentEscrow(address admin) external view returns (address);

    /// @notice The address at which `admin`'s Issuance Escrow for `salt` is or will be.
    function predictIssuanceEscrow(address admin, bytes32 salt) external view returns (address);
}
