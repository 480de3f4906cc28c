// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IInstrumentEscrow} from "../../../../interfaces/IInstrumentEscrow.sol";
import {IInstrument, Transfer} from "../../../../interfaces/IInstrument.sol";
import {ISwap, SwapIssuance} from "../../../../interfaces/ISwap.sol";
import {Escrow} from "../../../../contracts/escrows/Escrow.sol";

/// @notice The Instrument Escrow with one fault: an ETH deposit credits one wei more than arrived.
/// Etched over the factory's implementation, it breaks every domain's solvency on the first ETH
/// deposit.
contract OverCreditingInstrumentEscrow is Escrow, IInstrumentEscrow {
    function deposit() external payable nonReentrant {
        _credit(msg.sender, ETH, msg.value + 1);
    }

    function withdraw(uint256 amount) external nonReentrant {
        _withdraw(msg.sender, ETH, amount, msg.sender);
    }

    function depositToken(address token, uint256 amount) external nonReentrant {
        _depositToken(msg.sender, token, amount, msg.sender);
    }

    function withdrawToken(address token, uint256 amount) external nonReentrant {
        _requireToken(token);
        _withdraw(msg.sender, token, amount, msg.sender);
    }
}

/// @notice A Swap with one fault: it drops every transfer's minimum, so a settlement that credits
/// nothing goes through. It forwards to a real Swap, whose state for this domain lives under this
/// contract's namespace.
contract MinimumDroppingSwap is IInstrument {
    ISwap public immutable swap;

    constructor(ISwap swap_) {
        swap = swap_;
    }

    function createIssuance(
        uint256 issuanceId,
        address maker,
        bytes calldata makerData
    ) external returns (Transfer[] memory) {
        return _dropMinimums(swap.createIssuance(issuanceId, maker, makerData));
    }

    function engageIssuance(
        uint256 issuanceId,
        address taker,
        bytes calldata takerData
    ) external returns (uint256 engagementId, Transfer[] memory transfers) {
        (engagementId, transfers) = swap.engageIssuance(issuanceId, taker, takerData);
        transfers = _dropMinimums(transfers);
    }

    function processEvent(
        uint256 issuanceId,
        uint256 engagementId,
        address caller,
        bytes32 eventName,
        bytes calldata eventData
    ) external returns (Transfer[] memory) {
        return _dropMinimums(swap.processEvent(issuanceId, engagementId, caller, eventName, eventData));
    }

    /// @notice The swap as the real Swap records it for this wrapper (`manager` is ignored: one domain).
    function getIssuance(address, uint256 issuanceId) external view returns (SwapIssuance memory) {
        return swap.getIssuance(address(this), issuanceId);
    }

    function _dropMinimums(Transfer[] memory transfers) private pure returns (Transfer[] memory) {
        for (uint256 i = 0; i < transfers.length; ++i) transfers[i].minimum = 0;
        return transfers;
    }
}
