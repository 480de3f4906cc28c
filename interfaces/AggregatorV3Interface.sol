// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title AggregatorV3Interface
/// @notice The part of Chainlink's price feed interface that ChainlinkPriceOracle reads (the
/// Chainlink contracts package is not a dependency). It keeps Chainlink's name, so that
/// the Chainlink package's own file can replace it unchanged.
// solhint-disable-next-line interface-starts-with-i
interface AggregatorV3Interface {
    /// @notice The number of decimals of `answer`.
    function decimals() external view returns (uint8);

    /// @notice The latest answer and when it was computed.
    /// @return roundId The round of the answer.
    /// @return answer The price, with `decimals()` decimals.
    /// @return startedAt When the round started.
    /// @return updatedAt When the answer was last updated (0: no answer yet).
    /// @return answeredInRound The round in which the answer was computed.
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
}
