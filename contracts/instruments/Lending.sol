// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPriceOracle} from "../../interfaces/IPriceOracle.sol";
import {LoanInstrument} from "./LoanInstrument.sol";

/// @title Lending
/// @notice The maker lends: it commits the principal at creation; a taker borrows it against
/// collateral priced by the oracle when it engages (see ILoan).
contract Lending is LoanInstrument {
    constructor(IPriceOracle priceOracle) LoanInstrument(priceOracle) {}

    /// @inheritdoc LoanInstrument
    function makerIsLender() public pure override returns (bool) {
        return true;
    }
}
