// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MockERC20} from "./MockERC20.sol";

/// @notice Charges the sender a fee on top of every transfer: the sender's balance drops by the
/// amount plus `feeBasisPoints` of it (burned), and the recipient gets the full amount. Anyone may
/// switch the fee at any time, up to as much again as the amount (10,000 basis points); at zero
/// it is a plain token. Tests only.
contract FeeOnTopToken is MockERC20 {
    uint256 public feeBasisPoints;

    error FeeAboveEverything(uint256 feeBasisPoints);

    constructor() MockERC20("Fee On Top Token", "TOP", 18) {}

    function setFeeBasisPoints(uint256 feeBasisPoints_) external {
        if (feeBasisPoints_ > 10_000) revert FeeAboveEverything(feeBasisPoints_);
        feeBasisPoints = feeBasisPoints_;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (from == address(0) || to == address(0)) return;
        uint256 fee = (value * feeBasisPoints) / 10_000;
        if (fee != 0) super._update(from, address(0), fee);
    }
}
