// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AggregatorV3Interface} from "../../interfaces/AggregatorV3Interface.sol";

/// @notice A Chainlink-style price feed whose every field anyone can set. Tests only.
contract MockAggregator is AggregatorV3Interface {
    uint8 public decimals;
    uint80 public roundId;
    int256 public answer;
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

    function setDecimals(uint8 decimals_) external {
        decimals = decimals_;
    }

    /// @notice Changes only the update time of the current answer.
    function setUpdatedAt(uint256 updatedAt_) external {
        updatedAt = updatedAt_;
    }

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
