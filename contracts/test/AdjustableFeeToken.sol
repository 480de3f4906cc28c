// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {FeeOnTransferToken} from "./FeeOnTransferToken.sol";

/// @notice A fee-on-transfer token whose fee anyone may change at any time, up to everything
/// (10,000 basis points): a token that takes all of one transfer and none of another.
contract AdjustableFeeToken is FeeOnTransferToken {
    uint256 public adjustedFeeBasisPoints;

    error FeeAboveEverything(uint256 feeBasisPoints);

    constructor() FeeOnTransferToken(0) {}

    function setFeeBasisPoints(uint256 feeBasisPoints_) external {
        if (feeBasisPoints_ > 10_000) revert FeeAboveEverything(feeBasisPoints_);
        adjustedFeeBasisPoints = feeBasisPoints_;
    }

    function _currentFeeBasisPoints() internal view override returns (uint256) {
        return adjustedFeeBasisPoints;
    }
}
