// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IIssuanceEscrow} from "../../interfaces/IIssuanceEscrow.sol";
import {Escrow} from "./Escrow.sol";

/// @title IssuanceEscrow
/// @notice Holds the assets of one issuance. Users only read it; all movements are the admin's
/// (the domain's manager), through the shared escrow ledger.
contract IssuanceEscrow is Escrow, IIssuanceEscrow {}
