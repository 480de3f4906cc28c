// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice What the registry knows of one instrument domain.
struct Domain {
    address provider;
    address instrument;
    address manager;
    address instrumentEscrow;
    bool active;
}

/// @title IInstrumentRegistry
/// @notice Activates instrument domains. A domain is an Instrument Manager and its Instrument
/// Escrow, created here together for one instrument and recorded under an id; its
/// `InstrumentActivated` event is the one indexers can trust. Managers and escrows made outside
/// the registry are not domains.
interface IInstrumentRegistry {
    /// @notice `instrument` has no code.
    error RegistryInstrumentNotContract(address instrument);
    /// @notice No domain has id `domainId`.
    error RegistryUnknownDomain(uint256 domainId);
    /// @notice Only `provider`, who activated the domain, may do this.
    error RegistryNotProvider(address caller, address provider);
    /// @notice Domain `domainId` is already deactivated.
    error RegistryDomainInactive(uint256 domainId);

    /// @notice `provider` activated domain `domainId` for `instrument`.
    event InstrumentActivated(
        uint256 indexed domainId,
        address indexed instrument,
        address indexed provider,
        address manager,
        address instrumentEscrow
    );
    /// @notice The provider deactivated domain `domainId`: no new issuances; withdrawals,
    /// existing issuances and their events go on.
    event InstrumentDeactivated(uint256 indexed domainId, address indexed provider);

    /// @notice The factory that creates every escrow of every domain.
    function escrowFactory() external view returns (address);
    /// @notice The implementation behind every manager clone.
    function managerImplementation() external view returns (address);
    /// @notice How many domains were activated; ids run from 1 to this number.
    function domainCount() external view returns (uint256);
    /// @notice Domain `domainId`.
    function getDomain(uint256 domainId) external view returns (Domain memory);
    /// @notice The id of the domain whose manager is `manager`, or 0 if `manager` is not one.
    function domainIdOf(address manager) external view returns (uint256);

    /// @notice Creates a domain for `instrument` with the caller as provider: its manager and,
    /// through the factory, its Instrument Escrow.
    function activateInstrument(
        address instrument
    ) external returns (uint256 domainId, address manager, address instrumentEscrow);
    /// @notice Stops new issuances in domain `domainId`. Its provider only.
    function deactivateInstrument(uint256 domainId) external;
}
