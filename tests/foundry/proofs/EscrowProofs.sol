// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IEscrow, NATIVE_ETH} from "../../../interfaces/IEscrow.sol";
import {IEscrowAdmin} from "../../../interfaces/IEscrowAdmin.sol";
import {IEscrowFactory} from "../../../interfaces/IEscrowFactory.sol";
import {IInstrumentEscrow} from "../../../interfaces/IInstrumentEscrow.sol";
import {ProofBase} from "./ProofBase.sol";
import {SymbolicToken} from "./SymbolicToken.sol";

/// @notice An Instrument Escrow and an Issuance Escrow made by the Escrow Factory, with this
/// contract as their admin (as the manager is), in any state: their ledgers, the token's
/// balances, allowances and fees, and the ETH they hold are all symbolic.
abstract contract EscrowProofSetUp is ProofBase, IEscrowAdmin {
    IInstrumentEscrow internal instrumentEscrow;
    IEscrow internal issuanceEscrow;
    SymbolicToken internal token;

    function setUp() public {
        IEscrowFactory factory = _newEscrowFactory();
        instrumentEscrow = IInstrumentEscrow(factory.createInstrumentEscrow());
        issuanceEscrow = IEscrow(factory.createIssuanceEscrow(bytes32(uint256(1))));
        token = new SymbolicToken();
        svm.enableSymbolicStorage(address(instrumentEscrow));
        svm.enableSymbolicStorage(address(issuanceEscrow));
        svm.enableSymbolicStorage(address(token));
        vm.deal(address(instrumentEscrow), svm.createUint256("instrumentEscrowWei"));
        vm.deal(address(issuanceEscrow), svm.createUint256("issuanceEscrowWei"));
    }

    /// @notice The admin's side of `receiveTokenByAdmin`, as the manager does it.
    function sendTokenToEscrow(address source, address sourceAccount, address token_, uint256 amount) external {
        IEscrow(source).sendTokenByAdmin(sourceAccount, token_, amount, msg.sender);
    }

    /// @notice `withdrawByAdmin` pays the admin.
    receive() external payable {}

    function _escrow(bool issuance) internal view returns (IEscrow) {
        return issuance ? issuanceEscrow : IEscrow(address(instrumentEscrow));
    }

    function _asset(bool eth) internal view returns (address) {
        return eth ? NATIVE_ETH : address(token);
    }

    /// @dev What `escrow` really holds of `asset`.
    function _held(IEscrow escrow, address asset) internal view returns (uint256) {
        return asset == NATIVE_ETH ? address(escrow).balance : token.balanceOf(address(escrow));
    }
}

/// @notice Proof 1, deposits: an escrow credits exactly what arrived (its balance difference), for
/// a token taking any fee or none, and for ETH; nobody else's balance moves.
contract EscrowDepositProofs is EscrowProofSetUp {
    function check_depositTokenCreditsWhatArrived(address user, address other, uint256 amount) external {
        vm.assume(user != address(instrumentEscrow) && other != user);
        uint256 userBefore = instrumentEscrow.getTokenBalance(user, address(token));
        uint256 otherBefore = instrumentEscrow.getTokenBalance(other, address(token));
        uint256 heldBefore = _held(instrumentEscrow, address(token));
        vm.prank(user);
        token.approve(address(instrumentEscrow), amount);
        vm.prank(user);
        instrumentEscrow.depositToken(address(token), amount);
        _assertCreditedWhatArrived(instrumentEscrow, address(token), user, userBefore, heldBefore);
        assert(instrumentEscrow.getTokenBalance(other, address(token)) == otherBefore);
    }

    function check_depositTokenByAdminCreditsWhatArrived(
        bool intoIssuanceEscrow,
        address account,
        address other,
        uint256 amount
    ) external {
        IEscrow escrow = _escrow(intoIssuanceEscrow);
        vm.assume(other != account);
        uint256 accountBefore = escrow.getTokenBalance(account, address(token));
        uint256 otherBefore = escrow.getTokenBalance(other, address(token));
        uint256 heldBefore = _held(escrow, address(token));
        token.approve(address(escrow), amount);
        escrow.depositTokenByAdmin(account, address(token), amount);
        _assertCreditedWhatArrived(escrow, address(token), account, accountBefore, heldBefore);
        assert(escrow.getTokenBalance(other, address(token)) == otherBefore);
    }

    function check_depositEthCreditsWhatArrived(address user, address other, uint256 value) external {
        vm.assume(user != address(instrumentEscrow) && other != user);
        uint256 userBefore = instrumentEscrow.getBalance(user);
        uint256 otherBefore = instrumentEscrow.getBalance(other);
        uint256 heldBefore = _held(instrumentEscrow, NATIVE_ETH);
        vm.deal(user, value);
        vm.prank(user);
        instrumentEscrow.deposit{value: value}();
        _assertCreditedWhatArrived(instrumentEscrow, NATIVE_ETH, user, userBefore, heldBefore);
        assert(instrumentEscrow.getBalance(other) == otherBefore);
    }

    function check_depositByAdminCreditsWhatArrived(
        bool intoIssuanceEscrow,
        address account,
        address other,
        uint256 value
    ) external {
        IEscrow escrow = _escrow(intoIssuanceEscrow);
        vm.assume(other != account);
        uint256 accountBefore = escrow.getBalance(account);
        uint256 otherBefore = escrow.getBalance(other);
        uint256 heldBefore = _held(escrow, NATIVE_ETH);
        vm.deal(address(this), value);
        escrow.depositByAdmin{value: value}(account);
        _assertCreditedWhatArrived(escrow, NATIVE_ETH, account, accountBefore, heldBefore);
        assert(escrow.getBalance(other) == otherBefore);
    }

    /// @dev Something arrived (a deposit of nothing reverts) and `account` was credited exactly that.
    function _assertCreditedWhatArrived(
        IEscrow escrow,
        address asset,
        address account,
        uint256 accountBefore,
        uint256 heldBefore
    ) private view {
        uint256 heldAfter = _held(escrow, asset);
        assert(heldAfter > heldBefore);
        assert(_grewBy(accountBefore, escrow.getTokenBalance(account, asset), heldAfter - heldBefore));
    }
}

/// @notice Proof 1, withdrawals: an escrow debits exactly the amount asked for and what it holds
/// falls by no more than that (a token charging the sender a fee on top is refused), by users
/// and by the admin; nobody else's balance moves.
contract EscrowWithdrawalProofs is EscrowProofSetUp {
    function check_withdrawTokenPaysNoMoreThanDebited(address user, address other, uint256 amount) external {
        vm.assume(user != address(instrumentEscrow) && other != user);
        uint256 userBefore = instrumentEscrow.getTokenBalance(user, address(token));
        uint256 otherBefore = instrumentEscrow.getTokenBalance(other, address(token));
        uint256 heldBefore = _held(instrumentEscrow, address(token));
        vm.prank(user);
        instrumentEscrow.withdrawToken(address(token), amount);
        _assertPaidNoMoreThanDebited(instrumentEscrow, address(token), user, userBefore, heldBefore, amount);
        assert(instrumentEscrow.getTokenBalance(other, address(token)) == otherBefore);
    }

    function check_withdrawEthPaysNoMoreThanDebited(address user, address other, uint256 amount) external {
        vm.assume(user != address(instrumentEscrow) && other != user);
        uint256 userBefore = instrumentEscrow.getBalance(user);
        uint256 otherBefore = instrumentEscrow.getBalance(other);
        uint256 heldBefore = _held(instrumentEscrow, NATIVE_ETH);
        vm.prank(user);
        instrumentEscrow.withdraw(amount);
        _assertPaidNoMoreThanDebited(instrumentEscrow, NATIVE_ETH, user, userBefore, heldBefore, amount);
        assert(instrumentEscrow.getBalance(other) == otherBefore);
    }

    /// @notice `how`: 0 withdrawByAdmin (ETH), 1 withdrawTokenByAdmin, 2 sendTokenByAdmin.
    function check_adminWithdrawalsPayNoMoreThanDebited(
        bool fromIssuanceEscrow,
        uint8 how,
        address account,
        address other,
        uint256 amount,
        address recipient
    ) external {
        IEscrow escrow = _escrow(fromIssuanceEscrow);
        address asset = _asset(how == 0);
        vm.assume(other != account && how < 3);
        uint256 accountBefore = escrow.getTokenBalance(account, asset);
        uint256 otherBefore = escrow.getTokenBalance(other, asset);
        uint256 heldBefore = _held(escrow, asset);
        if (how == 0) escrow.withdrawByAdmin(account, amount);
        else if (how == 1) escrow.withdrawTokenByAdmin(account, asset, amount);
        else escrow.sendTokenByAdmin(account, asset, amount, recipient);
        _assertPaidNoMoreThanDebited(escrow, asset, account, accountBefore, heldBefore, amount);
        assert(escrow.getTokenBalance(other, asset) == otherBefore);
    }

    /// @dev `account` was debited exactly `amount`, and the escrow's holdings fell by no more.
    function _assertPaidNoMoreThanDebited(
        IEscrow escrow,
        address asset,
        address account,
        uint256 accountBefore,
        uint256 heldBefore,
        uint256 amount
    ) private view {
        assert(_fellBy(accountBefore, escrow.getTokenBalance(account, asset), amount));
        uint256 heldAfter = _held(escrow, asset);
        assert(heldAfter >= heldBefore || heldBefore - heldAfter <= amount);
    }
}

/// @notice Proof 2: for any caller other than the admin, every admin entry point of either escrow
/// reverts, whatever the arguments, and no ledger entry or holding changes.
contract EscrowAdminProofs is EscrowProofSetUp {
    /// @notice `entry` 0-6: depositByAdmin, depositTokenByAdmin, withdrawByAdmin,
    /// withdrawTokenByAdmin, sendTokenByAdmin, receiveTokenByAdmin, transferByAdmin.
    function check_onlyTheAdminMovesAssets(
        address caller,
        bool onIssuanceEscrow,
        uint8 entry,
        address account,
        bool eth,
        uint256 amount,
        address party
    ) external {
        vm.assume(caller != address(this) && entry < 7);
        IEscrow escrow = _escrow(onIssuanceEscrow);
        address asset = _asset(eth);
        uint256 value = entry == 0 ? amount : 0;
        vm.deal(caller, value);
        uint256 accountBefore = escrow.getTokenBalance(account, asset);
        uint256 partyBefore = escrow.getTokenBalance(party, asset);
        uint256 heldBefore = _held(escrow, asset);
        bytes memory call = _adminCall(entry, account, asset, amount, party);
        vm.prank(caller);
        (bool succeeded, ) = address(escrow).call{value: value}(call);
        assert(!succeeded);
        assert(escrow.getTokenBalance(account, asset) == accountBefore);
        assert(escrow.getTokenBalance(party, asset) == partyBefore);
        assert(_held(escrow, asset) == heldBefore);
    }

    function _adminCall(
        uint8 entry,
        address account,
        address asset,
        uint256 amount,
        address party
    ) private pure returns (bytes memory) {
        if (entry == 0) return abi.encodeCall(IEscrow.depositByAdmin, (account));
        if (entry == 1) return abi.encodeCall(IEscrow.depositTokenByAdmin, (account, asset, amount));
        if (entry == 2) return abi.encodeCall(IEscrow.withdrawByAdmin, (account, amount));
        if (entry == 3) return abi.encodeCall(IEscrow.withdrawTokenByAdmin, (account, asset, amount));
        if (entry == 4) return abi.encodeCall(IEscrow.sendTokenByAdmin, (account, asset, amount, party));
        if (entry == 5) return abi.encodeCall(IEscrow.receiveTokenByAdmin, (account, asset, amount, party, party));
        return abi.encodeCall(IEscrow.transferByAdmin, (account, party, asset, amount));
    }
}

/// @notice Proof 3, inside the escrows: a ledger move conserves the total. Within one escrow the
/// two entries change by the same amount and the holdings not at all; between the two escrows
/// the source is debited the amount, the destination credited what arrived, and the holdings
/// fall by exactly what the ledgers lost (a token's fee).
contract EscrowMoveProofs is EscrowProofSetUp {
    function check_transferByAdminConservesTheTotal(
        bool inIssuanceEscrow,
        address from,
        address to,
        address other,
        bool eth,
        uint256 amount
    ) external {
        IEscrow escrow = _escrow(inIssuanceEscrow);
        address asset = _asset(eth);
        vm.assume(other != from && other != to);
        uint256 fromBefore = escrow.getTokenBalance(from, asset);
        uint256 toBefore = escrow.getTokenBalance(to, asset);
        uint256 otherBefore = escrow.getTokenBalance(other, asset);
        uint256 heldBefore = _held(escrow, asset);
        escrow.transferByAdmin(from, to, asset, amount);
        if (from == to) {
            assert(escrow.getTokenBalance(from, asset) == fromBefore);
        } else {
            assert(_fellBy(fromBefore, escrow.getTokenBalance(from, asset), amount));
            assert(_grewBy(toBefore, escrow.getTokenBalance(to, asset), amount));
        }
        assert(escrow.getTokenBalance(other, asset) == otherBefore);
        assert(_held(escrow, asset) == heldBefore);
    }

    function check_receiveTokenByAdminConservesTheTotal(
        bool intoIssuanceEscrow,
        address account,
        address sourceAccount,
        address other,
        uint256 amount
    ) external {
        IEscrow destination = _escrow(intoIssuanceEscrow);
        IEscrow source = _escrow(!intoIssuanceEscrow);
        vm.assume(other != account && other != sourceAccount);
        Entries memory before = _entries(source, destination, sourceAccount, account, other);
        uint256 credited = destination.receiveTokenByAdmin(
            account,
            address(token),
            amount,
            address(source),
            sourceAccount
        );
        Entries memory afterwards = _entries(source, destination, sourceAccount, account, other);
        // The ledgers lose `amount - credited`; the holdings lose exactly as much.
        assert(_fellBy(before.from, afterwards.from, amount));
        assert(_fellBy(before.sourceHeld, afterwards.sourceHeld, amount));
        assert(_grewBy(before.to, afterwards.to, credited));
        assert(_grewBy(before.destinationHeld, afterwards.destinationHeld, credited));
        assert(afterwards.otherAtSource == before.otherAtSource);
        assert(afterwards.otherAtDestination == before.otherAtDestination);
    }

    struct Entries {
        uint256 from;
        uint256 to;
        uint256 otherAtSource;
        uint256 otherAtDestination;
        uint256 sourceHeld;
        uint256 destinationHeld;
    }

    function _entries(
        IEscrow source,
        IEscrow destination,
        address from,
        address to,
        address other
    ) private view returns (Entries memory) {
        address asset = address(token);
        return
            Entries({
                from: source.getTokenBalance(from, asset),
                to: destination.getTokenBalance(to, asset),
                otherAtSource: source.getTokenBalance(other, asset),
                otherAtDestination: destination.getTokenBalance(other, asset),
                sourceHeld: _held(source, asset),
                destinationHeld: _held(destination, asset)
            });
    }
}
