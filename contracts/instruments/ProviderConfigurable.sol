// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IInstrumentManager} from "../../interfaces/IInstrumentManager.sol";
import {IProviderConfigurable} from "../../interfaces/IProviderConfigurable.sol";

/// @title ProviderConfigurable
/// @notice The check behind every bound setter of an instrument (see IProviderConfigurable).
abstract contract ProviderConfigurable is IProviderConfigurable {
    /// @dev Only the provider of the domain whose manager is `manager`.
    modifier onlyProvider(address manager) {
        _requireProvider(manager);
        _;
    }

    /// @dev In a function rather than in the modifier's body, so the check has one place in the
    /// compiled code (and in coverage maps).
    function _requireProvider(address manager) private view {
        if (manager.code.length == 0) revert InstrumentNotManager(manager);
        address provider = IInstrumentManager(manager).provider();
        if (msg.sender != provider) revert InstrumentNotProvider(manager, msg.sender, provider);
    }
}
