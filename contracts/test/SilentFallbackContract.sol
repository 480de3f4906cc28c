// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice A contract that answers every call successfully with no return data (tests only).
contract SilentFallbackContract {
    fallback() external {}
}
