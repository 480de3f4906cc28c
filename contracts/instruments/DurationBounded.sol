// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDurationBounded} from "../../interfaces/IDurationBounded.sol";
import {ProviderConfigurable} from "./ProviderConfigurable.sol";

/// @title DurationBounded
/// @notice The duration bounds of an instrument's issuances, per domain (see IDurationBounded).
abstract contract DurationBounded is IDurationBounded, ProviderConfigurable {
    /// @dev The durations a domain's issuances may have. Both zero until its provider sets them.
    struct DurationBounds {
        uint64 minDuration;
        uint64 maxDuration;
    }

    /// @inheritdoc IDurationBounded
    uint256 public constant durationCap = 10 * 365 days;
    /// @dev The bounds of a domain whose provider never set any.
    uint256 private constant _DEFAULT_MIN_DURATION = 1 seconds;
    uint256 private constant _DEFAULT_MAX_DURATION = 365 days;

    mapping(address manager => DurationBounds) private _durationBounds;

    /// @inheritdoc IDurationBounded
    function setBounds(address manager, uint256 minDuration, uint256 maxDuration) external onlyProvider(manager) {
        if (minDuration == 0) revert DurationBoundsZeroMin();
        if (minDuration > maxDuration) revert DurationBoundsMinAboveMax(minDuration, maxDuration);
        if (maxDuration > durationCap) revert DurationBoundsAboveCap(maxDuration, durationCap);
        _durationBounds[manager] = DurationBounds(uint64(minDuration), uint64(maxDuration));
        emit DurationBoundsSet(manager, minDuration, maxDuration);
    }

    /// @inheritdoc IDurationBounded
    function getBounds(address manager) public view returns (uint256 minDuration, uint256 maxDuration) {
        DurationBounds memory bounds = _durationBounds[manager];
        // A provider can only set a positive minimum, so zero means never set.
        if (bounds.minDuration == 0) return (_DEFAULT_MIN_DURATION, _DEFAULT_MAX_DURATION);
        return (bounds.minDuration, bounds.maxDuration);
    }

    /// @dev Reverts unless `duration` lies within the bounds of the calling manager's domain.
    function _requireDurationInBounds(uint256 duration) internal view {
        (uint256 minDuration, uint256 maxDuration) = getBounds(msg.sender);
        if (duration < minDuration || duration > maxDuration) {
            revert DurationOutOfBounds(duration, minDuration, maxDuration);
        }
    }
}
