// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @dev The address under which escrows book native ETH, so that ETH and ERC20 tokens share one
/// ledger: `getTokenBalance(account, NATIVE_ETH) == getBalance(account)`.
address constant NATIVE_ETH = 0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE;

/// @title IEscrow
/// @notice The ledger that both escrows of an instrument domain share. An escrow holds ETH and
/// ERC20 tokens and books them per account; its admin (the domain's Instrument Manager) may
/// deposit and withdraw for any account. Escrows are EIP-1167 clones made by the Escrow Factory;
/// the admin is fixed at creation, in the clone's immutable arguments.
/// @dev Safety rules every implementation keeps:
/// - A token deposit credits what actually arrived (the escrow's balance difference), so
///   fee-on-transfer tokens cannot make the ledger promise more than the escrow holds.
/// - A token send debits the amount sent and lets the escrow's balance fall by no more than
///   that: a token that takes more (a fee charged to the sender on top) reverts the send with
///   `EscrowSendOverdrawn`, so other accounts never pay for it.
/// - ETH leaves with a plain `call` carrying all gas, so contract wallets can receive it.
/// - Every entry point that moves assets is guarded against reentrancy.
/// - Bad input reverts with one of the errors below and changes nothing.
/// - Every ledger change emits exactly one event with the account(s) and token indexed.
interface IEscrow {
    /// @notice The caller is not this escrow's admin.
    error EscrowUnauthorized(address caller, address admin);
    /// @notice An amount of zero was given (or zero tokens arrived).
    error EscrowZeroAmount();
    /// @notice The zero address was given as an account or recipient.
    error EscrowZeroAccount();
    /// @notice `token` has no code, so it cannot be an ERC20 token.
    error EscrowTokenNotContract(address token);
    /// @notice The ETH constant was given to a function that moves ERC20 tokens.
    error EscrowEthIsNotAToken();
    /// @notice `account` holds `balance` of `token` here, less than the `needed` amount.
    error EscrowInsufficientBalance(address account, address token, uint256 balance, uint256 needed);
    /// @notice ETH was sent straight to the escrow; deposits go through the deposit functions.
    error EscrowUnexpectedEth(address sender, uint256 amount);
    /// @notice Sending `amount` wei to `recipient` failed (the recipient reverted).
    error EscrowEthTransferFailed(address recipient, uint256 amount);
    /// @notice The implementation behind the clones cannot be used directly.
    error EscrowImplementationNotUsable();
    /// @notice Sending `sent` of `token` took `taken` (more) out of this escrow's balance: the
    /// token charged the escrow on top of what it sent (a fee paid by the sender). Refused, so
    /// that the other accounts booked here never pay for it; the whole call reverts.
    error EscrowSendOverdrawn(address token, uint256 sent, uint256 taken);

    /// @notice `amount` of `token` was credited to `account`.
    event Deposited(address indexed account, address indexed token, uint256 amount);
    /// @notice `amount` of `token` was debited from `account` and sent to `recipient`.
    event Withdrawn(address indexed account, address indexed token, uint256 amount, address recipient);
    /// @notice `amount` of `token` moved inside this escrow's ledger from `from` to `to`.
    event Transferred(address indexed from, address indexed to, address indexed token, uint256 amount);

    /// @notice The address under which ETH is booked (0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE).
    function ETH() external view returns (address);

    /// @notice The only party allowed to use the `*ByAdmin` functions: the domain's manager.
    function admin() external view returns (address);

    /// @notice The ETH (in wei) that `account` holds in this escrow.
    function getBalance(address account) external view returns (uint256);

    /// @notice The amount of `token` that `account` holds in this escrow (`ETH()` for ETH).
    function getTokenBalance(address account, address token) external view returns (uint256);

    /// @notice Credits the ETH sent with the call to `account`. Admin only.
    function depositByAdmin(address account) external payable;

    /// @notice Pulls `amount` of `token` from the admin (which must have approved this escrow) and
    /// credits what arrived to `account`. Admin only.
    function depositTokenByAdmin(address account, address token, uint256 amount) external;

    /// @notice Debits `amount` wei from `account` and sends it to the admin. Admin only.
    function withdrawByAdmin(address account, uint256 amount) external;

    /// @notice Debits `amount` of `token` from `account` and sends it to the admin. Admin only.
    function withdrawTokenByAdmin(address account, address token, uint256 amount) external;

    /// @notice Debits `amount` of `token` from `account` and sends it to `recipient` (the admin
    /// uses it to send tokens straight to another escrow of its domain). Admin only.
    function sendTokenByAdmin(address account, address token, uint256 amount, address recipient) external;

    /// @notice Moves `amount` of `token` from `sourceAccount` in escrow `source` to `account` here,
    /// with one token transfer, and credits what arrived. This escrow stays locked meanwhile: it
    /// calls back its admin (`IEscrowAdmin.sendTokenToEscrow`), which has `source` send the tokens
    /// here, and credits the growth of its own balance, so that no token callback can make it
    /// book what did not arrive. Nothing is credited if nothing arrived. Admin only; the admin
    /// must implement IEscrowAdmin.
    /// @return credited The amount credited to `account`.
    function receiveTokenByAdmin(
        address account,
        address token,
        uint256 amount,
        address source,
        address sourceAccount
    ) external returns (uint256 credited);

    /// @notice Moves `amount` of `token` (or ETH) from `from` to `to` inside this escrow's ledger;
    /// no asset leaves the escrow. Admin only.
    function transferByAdmin(address from, address to, address token, uint256 amount) external;
}
