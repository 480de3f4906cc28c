// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPriceOracle} from "../../interfaces/IPriceOracle.sol";

/// @notice A broken oracle that prices everything at zero: loans must refuse to go unsecured.
contract ZeroRateOracle is IPriceOracle {
    function getRate(address, address) external pure returns (uint256 numerator, uint256 denominator) {
        return (0, 1);
    }
}
