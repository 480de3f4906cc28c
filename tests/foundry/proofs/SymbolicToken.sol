// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice The token model of the proofs: an ERC20 whose every transfer may take two fees, both
/// left symbolic by the proofs (its whole storage is): the recipient gets `amount - receiveFee`
/// (a fee-on-transfer token; zero is a plain token) and the sender loses `amount + sendFee` (a fee
/// charged on top). Balances, allowances and fees are whatever the prover chooses; transfers
/// return true or revert (no-return and false-return tokens are SafeERC20's concern, not modelled).
contract SymbolicToken {
    mapping(address account => uint256) public balanceOf;
    mapping(address owner => mapping(address spender => uint256)) public allowance;
    uint256 public receiveFee;
    uint256 public sendFee;

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        allowance[from][msg.sender] -= amount;
        _transfer(from, to, amount);
        return true;
    }

    function _transfer(address from, address to, uint256 amount) private {
        balanceOf[from] -= amount + sendFee;
        balanceOf[to] += amount - receiveFee;
    }
}
