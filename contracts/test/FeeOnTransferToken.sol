// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MockERC20} from "./MockERC20.sol";

/// @notice Burns `feeBasisPoints` of every transfer, so the recipient gets less than was sent.
contract FeeOnTransferToken is MockERC20 {
    uint256 public immutable feeBasisPoints;

    constructor(uint256 feeBasisPoints_) MockERC20("Fee Token", "FEE", 18) {
        feeBasisPoints = feeBasisPoints_;
    }

    /// @dev The fee in force, in basis points of each transfer.
    function _currentFeeBasisPoints() internal view virtual returns (uint256) {
        return feeBasisPoints;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0)) return super._update(from, to, value);
        uint256 fee = (value * _currentFeeBasisPoints()) / 10_000;
        super._update(from, address(0), fee);
        super._update(from, to, value - fee);
    }
}
