// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IInstrument, Transfer} from "../../interfaces/IInstrument.sol";

/// @notice An instrument that answers every call with whatever transfers the test scripted, and
/// can try to call any contract (a manager, an escrow) while the manager is waiting for it.
contract HostileInstrument is IInstrument {
    Transfer[] private _transfers;
    address public callTarget;
    bytes public callData;
    bool public callSucceeded;
    bytes public callResult;

    function script(Transfer[] calldata transfers) external {
        delete _transfers;
        for (uint256 i = 0; i < transfers.length; ++i) {
            _transfers.push(transfers[i]);
        }
    }

    function scriptCall(address target, bytes calldata data) external {
        callTarget = target;
        callData = data;
    }

    function createIssuance(uint256, address, bytes calldata) external returns (Transfer[] memory) {
        return _answer();
    }

    function engageIssuance(uint256, address, bytes calldata) external returns (uint256, Transfer[] memory) {
        return (1, _answer());
    }

    function processEvent(uint256, uint256, address, bytes32, bytes calldata) external returns (Transfer[] memory) {
        return _answer();
    }

    function _answer() private returns (Transfer[] memory) {
        if (callTarget != address(0)) {
            (callSucceeded, callResult) = callTarget.call(callData);
        }
        return _transfers;
    }
}
