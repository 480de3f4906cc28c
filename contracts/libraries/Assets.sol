// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {NATIVE_ETH} from "../../interfaces/IEscrow.sol";

/// @title Assets
/// @notice What an instrument accepts as an asset in its terms: the ETH constant or a contract.
library Assets {
    /// @notice Whether `token` is `NATIVE_ETH` or has code (an address without code cannot be an
    /// ERC20, and the escrows would refuse it only when the first transfer runs).
    function isAsset(address token) internal view returns (bool) {
        return token == NATIVE_ETH || token.code.length != 0;
    }
}
