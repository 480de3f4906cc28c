// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IInstrumentManager} from "../../interfaces/IInstrumentManager.sol";
import {IProviderConfigurable} from "../../interfaces/IProviderConfigurable.sol";

/// @title ProviderConfigurable
/// @notice The check behind every bound setter of an instrument (see IProviderConfigurable).
abstract contract ProviderConfigurable is IProviderConfigurable {
    /// @dev Only the provider of the domain whose manager is `manager`.
    modifier onlyProvider(address manager) {
        if (manager.code.length == 0) revert InstrumentNotManager(manager);
        address provider = IInstrumentManager(manager).provider();
        if (msg.sender != provider) revert InstrumentNotProvider(manager, msg.sender, provider);
        _;
    }
}
