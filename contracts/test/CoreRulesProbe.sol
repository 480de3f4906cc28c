// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Transfer} from "../../interfaces/IInstrument.sol";
import {InstrumentCore} from "../instruments/InstrumentCore.sol";

/// @notice An instrument of no issuances that exposes InstrumentCore's shared rules, so that tests
/// can check them with arguments today's instruments never pass: engagement counts above one (an
/// instrument engaged many times), expected states above Engageable, any data lengths.
contract CoreRulesProbe is InstrumentCore {
    function requireState(uint256 issuanceId, uint8 state, uint8 expected) external pure {
        _requireState(issuanceId, state, expected);
    }

    function requireEngagement(uint256 issuanceId, uint256 engagementId, uint256 engagementCount) external pure {
        _requireEngagement(issuanceId, engagementId, engagementCount);
    }

    function makerData(
        bytes calldata data,
        uint256 shortLength,
        uint256 fullLength
    ) external pure returns (bytes memory) {
        return _makerData(data, shortLength, fullLength);
    }

    function _header(address, uint256) internal pure override returns (address, uint64, uint8) {}

    function _create(uint256, address, bytes calldata) internal pure override returns (Transfer[] memory) {}

    function _engage(
        uint256,
        address,
        address,
        bytes calldata
    ) internal pure override returns (uint256, Transfer[] memory) {}

    function _end(uint256, bool) internal pure override returns (Transfer[] memory) {}
}
