// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IEscrow} from "./IEscrow.sol";

/// @title IIssuanceEscrow
/// @notice Holds the assets committed to one issuance, created with the issuance. Users only
/// read it; the domain's manager deposits and withdraws for any account. It has no function of
/// its own beyond the shared escrow ledger.
interface IIssuanceEscrow is IEscrow {}
