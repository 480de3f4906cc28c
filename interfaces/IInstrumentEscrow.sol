// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IEscrow} from "./IEscrow.sol";

/// @title IInstrumentEscrow
/// @notice The asset portal of an instrument domain, one per domain, created with it. Users
/// deposit and withdraw ETH and ERC20 tokens on their own account; the domain's manager deposits
/// and withdraws for any account; issuances only read.
/// @dev Assets deposited here are reachable by the domain's instruments only through the
/// manager, and the manager lets an account's balance leave only on that account's own call.
interface IInstrumentEscrow is IEscrow {
    /// @notice Credits the ETH sent with the call to the caller.
    function deposit() external payable;

    /// @notice Debits `amount` wei from the caller and sends it to the caller.
    function withdraw(uint256 amount) external;

    /// @notice Pulls `amount` of `token` from the caller (approve this escrow first) and credits
    /// what arrived to the caller.
    function depositToken(address token, uint256 amount) external;

    /// @notice Debits `amount` of `token` from the caller and sends it to the caller.
    function withdrawToken(address token, uint256 amount) external;
}
