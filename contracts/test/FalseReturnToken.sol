// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MockERC20} from "./MockERC20.sol";

/// @notice A token that reports a failed transfer by returning `false` instead of reverting: when
/// the balance or allowance is short, or always while `failing` is set. Tests only.
contract FalseReturnToken is MockERC20 {
    bool public failing;

    constructor() MockERC20("False Return Token", "FRT", 18) {}

    function setFailing(bool failing_) external {
        failing = failing_;
    }

    function transfer(address to, uint256 value) public override returns (bool) {
        if (failing || balanceOf(msg.sender) < value) return false;
        return super.transfer(to, value);
    }

    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        if (failing || balanceOf(from) < value || allowance(from, msg.sender) < value) return false;
        return super.transferFrom(from, to, value);
    }
}
