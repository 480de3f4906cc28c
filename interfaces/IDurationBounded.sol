// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IProviderConfigurable} from "./IProviderConfigurable.sol";

/// @title IDurationBounded
/// @notice An instrument whose issuances live for a duration that each domain's provider bounds:
/// from 1 second to 365 days until the provider sets other bounds, never beyond `durationCap`.
/// New bounds apply to issuances created from then on; existing ones keep their due time.
interface IDurationBounded is IProviderConfigurable {
    /// @notice The duration must be from `minDuration` to `maxDuration`, the domain's bounds.
    error DurationOutOfBounds(uint256 duration, uint256 minDuration, uint256 maxDuration);
    /// @notice The shortest duration must be at least 1 second.
    error DurationBoundsZeroMin();
    /// @notice The shortest duration cannot exceed the longest.
    error DurationBoundsMinAboveMax(uint256 minDuration, uint256 maxDuration);
    /// @notice The longest duration cannot exceed `durationCap`.
    error DurationBoundsAboveCap(uint256 maxDuration, uint256 durationCap);

    /// @notice The provider of the domain of `manager` set the durations its issuances may have.
    event DurationBoundsSet(address indexed manager, uint256 minDuration, uint256 maxDuration);

    /// @notice Sets the shortest and longest duration of the issuances created from now on in the
    /// domain of `manager`. Only that domain's provider; `1 <= minDuration <= maxDuration <=
    /// durationCap`.
    function setBounds(address manager, uint256 minDuration, uint256 maxDuration) external;

    /// @notice The shortest and longest duration an issuance of the domain of `manager` may have:
    /// what its provider set, or 1 second and 365 days if it never did.
    function getBounds(address manager) external view returns (uint256 minDuration, uint256 maxDuration);

    /// @notice The longest duration any provider may allow: 10 years.
    function durationCap() external view returns (uint256);
}
