// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IEscrowAdmin
/// @notice What an escrow asks of its admin while it receives tokens from another escrow.
/// @dev During `IEscrow.receiveTokenByAdmin` the receiving escrow stays locked and calls back its
/// admin, which has the source escrow send the tokens straight to it; the receiving escrow then
/// credits what its own balance grew by. Because the measurement happens inside the receiving
/// escrow's lock, no callback of the token can make it book what did not arrive.
interface IEscrowAdmin {
    /// @notice Has escrow `source` send `amount` of `token` from `sourceAccount` to the caller.
    /// Only the escrow the admin is moving tokens into, during that move.
    function sendTokenToEscrow(address source, address sourceAccount, address token, uint256 amount) external;
}
