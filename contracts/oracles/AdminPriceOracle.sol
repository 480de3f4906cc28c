// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAdminPriceOracle} from "../../interfaces/IAdminPriceOracle.sol";
import {PairPriceOracle} from "./PairPriceOracle.sol";

/// @title AdminPriceOracle
/// @notice A simple oracle for local use whose owner sets every rate by hand (see
/// IAdminPriceOracle). Not for live markets: its rates are only as fresh as its owner keeps them.
contract AdminPriceOracle is IAdminPriceOracle, PairPriceOracle {
    /// @dev A rate in smallest units: `quoteAmount = baseAmount * numerator / denominator`.
    struct Rate {
        uint256 numerator;
        uint256 denominator;
    }

    mapping(address baseToken => mapping(address quoteToken => Rate)) private _rates;

    /// @param initialOwner The account that may set and remove rates.
    constructor(address initialOwner) PairPriceOracle(initialOwner) {}

    /// @inheritdoc IAdminPriceOracle
    function setRate(address baseToken, address quoteToken, uint256 numerator, uint256 denominator) external onlyOwner {
        _requireSettablePair(baseToken, quoteToken);
        if (numerator == 0 || denominator == 0) revert AdminOracleZeroRate(numerator, denominator);
        _rates[baseToken][quoteToken] = Rate(numerator, denominator);
        emit RateSet(baseToken, quoteToken, numerator, denominator);
    }

    /// @inheritdoc IAdminPriceOracle
    function removeRate(address baseToken, address quoteToken) external onlyOwner {
        _requireSetPair(baseToken, quoteToken);
        delete _rates[baseToken][quoteToken];
        emit RateRemoved(baseToken, quoteToken);
    }

    /// @inheritdoc IAdminPriceOracle
    function rateOf(
        address baseToken,
        address quoteToken
    ) external view returns (uint256 numerator, uint256 denominator) {
        return _directRate(baseToken, quoteToken);
    }

    /// @dev A set rate always has a positive denominator (setRate refuses zero).
    function _isSet(address baseToken, address quoteToken) internal view override returns (bool) {
        return _rates[baseToken][quoteToken].denominator != 0;
    }

    /// @dev The stored rate; (0, 0) when none is set.
    function _directRate(
        address baseToken,
        address quoteToken
    ) internal view override returns (uint256 numerator, uint256 denominator) {
        Rate storage rate = _rates[baseToken][quoteToken];
        return (rate.numerator, rate.denominator);
    }
}
