// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IInstrumentEscrow} from "../../interfaces/IInstrumentEscrow.sol";
import {Escrow} from "./Escrow.sol";

/// @title InstrumentEscrow
/// @notice The asset portal of an instrument domain: the shared escrow ledger plus deposits and
/// withdrawals by users on their own account.
contract InstrumentEscrow is Escrow, IInstrumentEscrow {
    /// @inheritdoc IInstrumentEscrow
    function deposit() external payable nonReentrant onlyClone {
        _credit(msg.sender, ETH, msg.value);
    }

    /// @inheritdoc IInstrumentEscrow
    function withdraw(uint256 amount) external nonReentrant onlyClone {
        _withdraw(msg.sender, ETH, amount, msg.sender);
    }

    /// @inheritdoc IInstrumentEscrow
    function depositToken(address token, uint256 amount) external nonReentrant onlyClone {
        _depositToken(msg.sender, token, amount, msg.sender);
    }

    /// @inheritdoc IInstrumentEscrow
    function withdrawToken(address token, uint256 amount) external nonReentrant onlyClone {
        _requireToken(token);
        _withdraw(msg.sender, token, amount, msg.sender);
    }
}
