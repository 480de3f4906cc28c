// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MockERC20} from "./MockERC20.sol";

/// @notice On every transfer, calls `target` with `callData` (an ERC777-style hook that tries to
/// re-enter), and records whether that call succeeded and what it returned.
contract ReentrantToken is MockERC20 {
    address public target;
    bytes public callData;
    bool public lastCallSucceeded;
    bytes public lastCallResult;

    constructor() MockERC20("Reentrant Token", "REE", 18) {}

    function setReentry(address target_, bytes calldata callData_) external {
        target = target_;
        callData = callData_;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (target != address(0) && from != address(0) && to != address(0)) {
            (lastCallSucceeded, lastCallResult) = target.call(callData);
        }
    }
}
