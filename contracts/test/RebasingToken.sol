// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MockERC20} from "./MockERC20.sol";

/// @notice A rebasing token: its owner scales every holder's balance by `numerator / denominator`
/// (rounding down), as an elastic-supply or slashed staking token would. Anyone can mint. Tests
/// only.
contract RebasingToken is MockERC20 {
    address public immutable owner = msg.sender;
    address[] private _holders;
    mapping(address holder => bool known) private _known;

    event Rebased(uint256 numerator, uint256 denominator);

    error RebasingTokenUnauthorized(address caller);
    error RebasingTokenZeroDenominator();

    constructor() MockERC20("Rebasing Token", "REB", 18) {}

    /// @notice Scales every balance by `numerator / denominator`. Owner only.
    function rebase(uint256 numerator, uint256 denominator) external {
        if (msg.sender != owner) revert RebasingTokenUnauthorized(msg.sender);
        if (denominator == 0) revert RebasingTokenZeroDenominator();
        for (uint256 i = 0; i < _holders.length; ++i) {
            address holder = _holders[i];
            uint256 balance = balanceOf(holder);
            uint256 scaled = (balance * numerator) / denominator;
            if (scaled < balance) _burn(holder, balance - scaled);
            else if (scaled > balance) _mint(holder, scaled - balance);
        }
        emit Rebased(numerator, denominator);
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (to != address(0) && !_known[to]) {
            _known[to] = true;
            _holders.push(to);
        }
    }
}
