// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {Transfer, TransferKind, WHOLE_BALANCE} from "../../../interfaces/IInstrument.sol";
import {MockERC20} from "../../../contracts/test/MockERC20.sol";

/// @dev Another manager: a namespace of its own, with a provider of its own. Its issuance escrow
/// holds whatever it is told to.
contract OtherManager {
    address public provider;
    mapping(address account => mapping(address token => uint256)) internal _held;

    constructor(address provider_) {
        provider = provider_;
    }

    function setHeld(address account, address token, uint256 amount) external {
        _held[account][token] = amount;
    }

    function getIssuanceEscrow(uint256) external view returns (address) {
        return address(this);
    }

    function getTokenBalance(address account, address token) external view returns (uint256) {
        return _held[account][token];
    }

    /// @dev Calls `target` (an instrument) as this manager.
    function call(address target, bytes calldata data) external returns (bytes memory) {
        (bool ok, bytes memory answer) = target.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(answer, 32), mload(answer))
            }
        }
        return answer;
    }
}

/// @notice What the instrument tests share: this test contract plays the domain's manager (it calls
/// the instrument, so its issuances live in this contract's namespace), answers `provider()` as a
/// manager does, and plays every issuance escrow (`getIssuanceEscrow`, `getTokenBalance`) with the
/// balances a test sets. Instruments only answer with transfers, so the tests check those exactly:
/// kind, token, parties, amount and the minimum credit that makes sure nobody pays for nothing.
abstract contract InstrumentHarness is Test {
    uint256 internal constant HOUR = 3600;
    uint256 internal constant DAY = 24 * HOUR;
    uint256 internal constant DEFAULT_MAX = 365 days;
    uint256 internal constant CAP = 10 * 365 days;
    /// @dev When the Swap and MultiSwap tests start, and the due time of the issuances they create.
    uint256 internal constant START = 1_000_000;
    uint64 internal constant DUE_AT = uint64(START + HOUR);

    address internal domainProvider = makeAddr("provider");
    address internal maker = makeAddr("maker");
    address internal taker = makeAddr("taker");
    address internal stranger = makeAddr("stranger");
    MockERC20 internal tokenA;
    MockERC20 internal tokenB;
    /// @dev The issuance escrow this contract plays: what `account` holds of `token`, per issuance.
    mapping(uint256 issuanceId => mapping(address account => mapping(address token => uint256))) internal _held;
    /// @dev The issuance ids this manager created an escrow for (others have none: address 0).
    mapping(uint256 issuanceId => bool) internal _escrowed;
    uint256 internal _askedIssuance;

    function _deployTokens() internal {
        tokenA = new MockERC20("A", "A", 18);
        tokenB = new MockERC20("B", "B", 6);
    }

    // ------------------------------------------------------------------ the manager's answers

    function provider() external view returns (address) {
        return domainProvider;
    }

    function getIssuanceEscrow(uint256 issuanceId) external view returns (address) {
        return _escrowed[issuanceId] ? address(this) : address(0);
    }

    /// @dev As the issuance escrow: answers for the issuance whose escrow was last set up.
    function getTokenBalance(address account, address token) external view returns (uint256) {
        return _held[_askedIssuance][account][token];
    }

    function _setHeld(uint256 issuanceId, address account, address token, uint256 amount) internal {
        _escrowed[issuanceId] = true;
        _askedIssuance = issuanceId;
        _held[issuanceId][account][token] = amount;
    }

    // ------------------------------------------------------------------ transfer checks

    function _assertTransfer(
        Transfer memory t,
        TransferKind kind,
        address token,
        address from,
        address to,
        uint256 amount,
        uint256 minimum
    ) internal pure {
        assertEq(uint8(t.kind), uint8(kind), "kind");
        assertEq(t.token, token, "token");
        assertEq(t.from, from, "from");
        assertEq(t.to, to, "to");
        assertEq(t.amount, amount, "amount");
        assertEq(t.minimum, minimum, "minimum");
    }

    function _assertCommit(Transfer memory t, address token, address owner, uint256 amount) internal pure {
        _assertTransfer(t, TransferKind.Inbound, token, owner, owner, amount, 0);
    }

    function _assertGiveBack(Transfer memory t, address token, address owner) internal pure {
        _assertTransfer(t, TransferKind.Outbound, token, owner, owner, WHOLE_BALANCE, 0);
    }
}
