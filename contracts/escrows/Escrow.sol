// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IEscrow, NATIVE_ETH} from "../../interfaces/IEscrow.sol";
import {IEscrowAdmin} from "../../interfaces/IEscrowAdmin.sol";
import {EscrowAddresses} from "../libraries/EscrowAddresses.sol";

/// @title Escrow
/// @notice The ledger and admin functions shared by the Instrument Escrow and the Issuance
/// Escrow. Deployed only as an implementation behind EIP-1167 clones whose immutable argument is
/// the admin; the implementation itself has no admin and refuses every call that moves assets
/// (its balances read as zero).
/// @dev Sections: checks (modifiers), views, admin functions, internal asset movements.
abstract contract Escrow is IEscrow, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @inheritdoc IEscrow
    address public constant ETH = NATIVE_ETH;

    /// @dev The implementation's own address, to tell it apart from its clones.
    address private immutable _implementation = address(this);

    /// @dev account => token (or ETH) => amount booked.
    mapping(address account => mapping(address token => uint256 amount)) private _balances;

    /// @dev Only the admin in the clone's immutable arguments may call.
    modifier onlyAdmin() {
        _requireAdmin();
        _;
    }

    /// @dev The implementation has no admin and must hold nothing.
    modifier onlyClone() {
        if (address(this) == _implementation) revert EscrowImplementationNotUsable();
        _;
    }

    /// @notice ETH sent without a deposit function would be booked to nobody: refuse it.
    receive() external payable {
        revert EscrowUnexpectedEth(msg.sender, msg.value);
    }

    // ----------------------------------------------------------------------------------- views

    /// @inheritdoc IEscrow
    function admin() public view onlyClone returns (address) {
        return EscrowAddresses.adminOf(address(this));
    }

    /// @inheritdoc IEscrow
    function getBalance(address account) external view returns (uint256) {
        return _balances[account][ETH];
    }

    /// @inheritdoc IEscrow
    function getTokenBalance(address account, address token) external view returns (uint256) {
        return _balances[account][token];
    }

    // --------------------------------------------------------------------------- admin functions

    /// @inheritdoc IEscrow
    function depositByAdmin(address account) external payable nonReentrant onlyAdmin {
        _credit(account, ETH, msg.value);
    }

    /// @inheritdoc IEscrow
    function depositTokenByAdmin(address account, address token, uint256 amount) external nonReentrant onlyAdmin {
        _depositToken(account, token, amount, msg.sender);
    }

    /// @inheritdoc IEscrow
    function withdrawByAdmin(address account, uint256 amount) external nonReentrant onlyAdmin {
        _withdraw(account, ETH, amount, msg.sender);
    }

    /// @inheritdoc IEscrow
    function withdrawTokenByAdmin(address account, address token, uint256 amount) external nonReentrant onlyAdmin {
        _requireToken(token);
        _withdraw(account, token, amount, msg.sender);
    }

    /// @inheritdoc IEscrow
    function sendTokenByAdmin(
        address account,
        address token,
        uint256 amount,
        address recipient
    ) external nonReentrant onlyAdmin {
        _requireToken(token);
        _withdraw(account, token, amount, recipient);
    }

    /// @inheritdoc IEscrow
    function receiveTokenByAdmin(
        address account,
        address token,
        uint256 amount,
        address source,
        address sourceAccount
    ) external nonReentrant onlyAdmin returns (uint256 credited) {
        if (account == address(0)) revert EscrowZeroAccount();
        _requireToken(token);
        if (amount == 0) revert EscrowZeroAmount();
        uint256 heldBefore = IERC20(token).balanceOf(address(this));
        IEscrowAdmin(msg.sender).sendTokenToEscrow(source, sourceAccount, token, amount);
        credited = _arrivedSince(token, heldBefore);
        // A token that took everything on the way leaves nothing to book; the move still ends.
        if (credited != 0) _credit(account, token, credited);
    }

    /// @inheritdoc IEscrow
    function transferByAdmin(address from, address to, address token, uint256 amount) external nonReentrant onlyAdmin {
        if (to == address(0)) revert EscrowZeroAccount();
        _debit(from, token, amount);
        _balances[to][token] += amount;
        emit Transferred(from, to, token, amount);
    }

    // ---------------------------------------------------------------------------------- internals

    /// @dev The check of `onlyAdmin`, in one place of the compiled code (and of coverage maps)
    /// rather than inlined into every admin function.
    function _requireAdmin() private view {
        address escrowAdmin = admin();
        if (msg.sender != escrowAdmin) revert EscrowUnauthorized(msg.sender, escrowAdmin);
    }

    /// @dev Pulls `amount` of `token` from `payer` and credits what arrived to `account`.
    function _depositToken(address account, address token, uint256 amount, address payer) internal {
        // Refuse a deposit nobody could be credited with before any token code runs.
        if (account == address(0)) revert EscrowZeroAccount();
        _requireToken(token);
        if (amount == 0) revert EscrowZeroAmount();
        uint256 heldBefore = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(payer, address(this), amount);
        _credit(account, token, _arrivedSince(token, heldBefore));
    }

    /// @dev How much this escrow's balance of `token` grew since it was `heldBefore`. A
    /// fee-on-transfer token delivers less than was sent: book only what arrived. A balance that
    /// did not grow (nothing arrived, or a rebase shrank it) means zero, not an underflow.
    function _arrivedSince(address token, uint256 heldBefore) internal view returns (uint256) {
        uint256 heldAfter = IERC20(token).balanceOf(address(this));
        return heldAfter > heldBefore ? heldAfter - heldBefore : 0;
    }

    /// @dev Debits `amount` of `token` (or ETH) from `account` and sends it to `recipient`: the
    /// only way assets leave an escrow. A token may take no more than `amount` out of this
    /// escrow's balance (less, or a growth, is fine).
    function _withdraw(address account, address token, uint256 amount, address recipient) internal {
        if (recipient == address(0)) revert EscrowZeroAccount();
        _debit(account, token, amount);
        if (token == ETH) {
            // A plain call with all gas: contract wallets whose `receive` needs more than 2,300
            // gas can withdraw. The debit above happened first and the guard blocks re-entry.
            (bool sent, ) = recipient.call{value: amount}("");
            if (!sent) revert EscrowEthTransferFailed(recipient, amount);
        } else {
            uint256 heldBefore = IERC20(token).balanceOf(address(this));
            IERC20(token).safeTransfer(recipient, amount);
            // A token charging the sender a fee on top would take it from the other accounts.
            uint256 taken = _takenSince(token, heldBefore);
            if (taken > amount) revert EscrowSendOverdrawn(token, amount, taken);
        }
        emit Withdrawn(account, token, amount, recipient);
    }

    /// @dev How much this escrow's balance of `token` fell since it was `heldBefore`; a balance
    /// that did not fall (sent to itself, or a rebase grew it) means zero, not an underflow.
    function _takenSince(address token, uint256 heldBefore) internal view returns (uint256) {
        uint256 heldAfter = IERC20(token).balanceOf(address(this));
        return heldBefore > heldAfter ? heldBefore - heldAfter : 0;
    }

    /// @dev Books `amount` of `token` for `account`.
    function _credit(address account, address token, uint256 amount) internal {
        if (account == address(0)) revert EscrowZeroAccount();
        if (amount == 0) revert EscrowZeroAmount();
        _balances[account][token] += amount;
        emit Deposited(account, token, amount);
    }

    /// @dev Takes `amount` of `token` off `account`'s balance.
    function _debit(address account, address token, uint256 amount) internal {
        if (account == address(0)) revert EscrowZeroAccount();
        if (amount == 0) revert EscrowZeroAmount();
        uint256 balance = _balances[account][token];
        if (balance < amount) revert EscrowInsufficientBalance(account, token, balance, amount);
        // Cannot underflow: checked just above.
        unchecked {
            _balances[account][token] = balance - amount;
        }
    }

    /// @dev `token` must be an ERC20 contract, not the ETH constant.
    function _requireToken(address token) internal view {
        if (token == ETH) revert EscrowEthIsNotAToken();
        if (token.code.length == 0) revert EscrowTokenNotContract(token);
    }
}
