// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IProviderConfigurable
/// @notice An instrument whose parameter bounds are set per domain by the domain's provider. The
/// instrument keeps them per manager, like its issuances, and learns the provider from that
/// manager (`IInstrumentManager.provider()`): a contract that is not a real manager only ever
/// configures its own namespace.
interface IProviderConfigurable {
    /// @notice Only `provider`, the provider of the domain of `manager`, may set its bounds.
    error InstrumentNotProvider(address manager, address caller, address provider);
    /// @notice `manager` has no code: it cannot be a manager.
    error InstrumentNotManager(address manager);
}
