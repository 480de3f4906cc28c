// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AggregatorV3Interface} from "../../interfaces/AggregatorV3Interface.sol";

/// @notice A Chainlink-style price feed whose every field anyone can set. Tests only.
contract MockAggregator is AggregatorV3Interface {
    /// @notice The decimals of `answer`.
    uint8 public decimals;
    /// @notice The current round (1 after deployment, one more at each `setAnswer`).
    uint80 public roundId;
    /// @notice The current price.
    int256 public answer;
    /// @notice When the current answer was updated.
    uint256 public updatedAt;

    /// @notice A feed answering `answer_` with `decimals_` decimals, updated now, in round 1.
    constructor(uint8 decimals_, int256 answer_) {
        decimals = decimals_;
        _newRound(answer_);
    }

    /// @notice A new round answering `answer_`, updated now.
    function setAnswer(int256 answer_) external {
        _newRound(answer_);
    }

    /// @notice Changes only the decimals (the answer stays the same number).
    function setDecimals(uint8 decimals_) external {
        decimals = decimals_;
    }

    /// @notice Changes only the update time of the current answer.
    function setUpdatedAt(uint256 updatedAt_) external {
        updatedAt = updatedAt_;
    }

    /// @notice Changes only the current round id.
    function setRoundId(uint80 roundId_) external {
        roundId = roundId_;
    }

    /// @notice The current round; it started when it was last updated and was answered in itself.
    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        return (roundId, answer, updatedAt, updatedAt, roundId);
    }

    function _newRound(int256 answer_) private {
        ++roundId;
        answer = answer_;
        updatedAt = block.timestamp;
    }
}
