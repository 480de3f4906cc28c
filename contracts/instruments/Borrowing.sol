// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPriceOracle} from "../../interfaces/IPriceOracle.sol";
import {LoanInstrument} from "./LoanInstrument.sol";

/// @title Borrowing
/// @notice The maker borrows: it commits collateral, priced by the oracle, at creation; a taker
/// lends it the principal when it engages (see ILoan).
contract Borrowing is LoanInstrument {
    constructor(IPriceOracle priceOracle) LoanInstrument(priceOracle) {}

    /// @inheritdoc LoanInstrument
    function makerIsLender() public pure override returns (bool) {
        return false;
    }
}
