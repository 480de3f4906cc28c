// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {NATIVE_ETH} from "../../interfaces/IEscrow.sol";
import {IPriceOracle} from "../../interfaces/IPriceOracle.sol";

/// @title PairPriceOracle
/// @notice What every price oracle here shares: an owner (Ownable2Step), one entry per pair of
/// tokens in the direction it was set, and `getRate` answering for both directions (the inverse
/// for the reverse one) and (1, 1) for the same token. An oracle says how it stores an entry and
/// how it turns one into a rate.
abstract contract PairPriceOracle is IPriceOracle, Ownable2Step {
    /// @param initialOwner The account that may set and remove entries.
    constructor(address initialOwner) Ownable(initialOwner) {}

    /// @inheritdoc IPriceOracle
    function getRate(
        address baseToken,
        address quoteToken
    ) external view returns (uint256 numerator, uint256 denominator) {
        if (baseToken == quoteToken) return (1, 1);
        if (_isSet(baseToken, quoteToken)) return _directRate(baseToken, quoteToken);
        if (_isSet(quoteToken, baseToken)) {
            (numerator, denominator) = _directRate(quoteToken, baseToken);
            return (denominator, numerator);
        }
        revert PriceOracleUnknownPair(baseToken, quoteToken);
    }

    /// @dev Whether an entry is set for exactly `baseToken` → `quoteToken`.
    function _isSet(address baseToken, address quoteToken) internal view virtual returns (bool);

    /// @dev The rate of the entry set for exactly `baseToken` → `quoteToken` (`getRate` asks only
    /// when `_isSet`); reverts if the entry cannot give one now. Neither part of a rate of a set
    /// entry may be zero.
    function _directRate(
        address baseToken,
        address quoteToken
    ) internal view virtual returns (uint256 numerator, uint256 denominator);

    /// @dev Reverts unless `baseToken` → `quoteToken` may be set: two different tokens, each the
    /// ETH constant or a contract, and the pair not already set the other way round.
    function _requireSettablePair(address baseToken, address quoteToken) internal view {
        _requireToken(baseToken);
        _requireToken(quoteToken);
        if (baseToken == quoteToken) revert PriceOracleSameToken(baseToken);
        if (_isSet(quoteToken, baseToken)) revert PriceOracleReversePairSet(quoteToken, baseToken);
    }

    /// @dev Reverts unless an entry is set for exactly `baseToken` → `quoteToken`.
    function _requireSetPair(address baseToken, address quoteToken) internal view {
        if (!_isSet(baseToken, quoteToken)) revert PriceOraclePairNotSet(baseToken, quoteToken);
    }

    /// @dev A token is the ETH constant or a contract; this refuses the zero address and accounts.
    function _requireToken(address token) private view {
        if (token != NATIVE_ETH && token.code.length == 0) revert PriceOracleInvalidToken(token);
    }
}
