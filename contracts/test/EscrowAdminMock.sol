// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IEscrow} from "../../interfaces/IEscrow.sol";
import {IEscrowAdmin} from "../../interfaces/IEscrowAdmin.sol";
import {IEscrowFactory} from "../../interfaces/IEscrowFactory.sol";

/// @notice An escrow admin for tests: it creates escrows from the factory itself (so it is their
/// admin), makes any admin call through `execute`, and answers `IEscrow.receiveTokenByAdmin`'s
/// callback by having the source escrow send the tokens to the escrow that asked. Unlike the
/// Instrument Manager it does not check who calls `sendTokenToEscrow`: tests only.
contract EscrowAdminMock is IEscrowAdmin {
    IEscrowFactory public immutable factory;
    /// @notice How many times `sendTokenToEscrow` was called.
    uint256 public callbacks;
    /// @notice While set, `sendTokenToEscrow` moves nothing (as if the token had taken it all).
    bool public deliversNothing;

    constructor(IEscrowFactory factory_) {
        factory = factory_;
    }

    /// @notice Accepts the ETH escrows pay it (`withdrawByAdmin`).
    receive() external payable {}

    function setDeliversNothing(bool deliversNothing_) external {
        deliversNothing = deliversNothing_;
    }

    /// @notice Creates this contract's Instrument Escrow.
    function createInstrumentEscrow() external returns (address) {
        return factory.createInstrumentEscrow();
    }

    /// @notice Creates an Issuance Escrow of this contract at `salt`.
    function createIssuanceEscrow(bytes32 salt) external returns (address) {
        return factory.createIssuanceEscrow(salt);
    }

    /// @inheritdoc IEscrowAdmin
    function sendTokenToEscrow(address source, address sourceAccount, address token, uint256 amount) external {
        ++callbacks;
        if (deliversNothing) return;
        IEscrow(source).sendTokenByAdmin(sourceAccount, token, amount, msg.sender);
    }

    /// @notice Calls `target` with `data` and the ETH sent, bubbling up a revert.
    function execute(address target, bytes calldata data) external payable returns (bytes memory) {
        (bool ok, bytes memory result) = target.call{value: msg.value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 32), mload(result))
            }
        }
        return result;
    }
}
