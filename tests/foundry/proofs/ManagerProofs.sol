// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IEscrow, NATIVE_ETH} from "../../../interfaces/IEscrow.sol";
import {IEscrowAdmin} from "../../../interfaces/IEscrowAdmin.sol";
import {Transfer, TransferKind, WHOLE_BALANCE} from "../../../interfaces/IInstrument.sol";
import {IInstrumentManager} from "../../../interfaces/IInstrumentManager.sol";
import {IInstrumentRegistry} from "../../../interfaces/IInstrumentRegistry.sol";
import {ProofBase} from "./ProofBase.sol";
import {SymbolicInstrument} from "./SymbolicInstrument.sol";
import {SymbolicToken} from "./SymbolicToken.sol";

/// @notice A domain as the Instrument Registry activates it (real registry, factory, manager and
/// escrows), whose instrument is the symbolic double, with two issuances made through the
/// manager; then every escrow's ledger, the token's balances and fees, and the ETH the escrows
/// hold are made symbolic: the proofs hold from any state of the domain.
abstract contract ManagerProofSetUp is ProofBase {
    IInstrumentManager internal manager;
    SymbolicInstrument internal instrument;
    SymbolicToken internal token;
    IEscrow internal instrumentEscrow;
    /// @dev The Issuance Escrows of issuances 1 and 2.
    IEscrow[2] internal issuanceEscrows;

    function setUp() public {
        IInstrumentRegistry registry = _newInstrumentRegistry(_newEscrowFactory());
        token = new SymbolicToken();
        instrument = new SymbolicInstrument(address(token));
        (, address manager_, address instrumentEscrow_) = registry.activateInstrument(address(instrument));
        manager = IInstrumentManager(manager_);
        instrumentEscrow = IEscrow(instrumentEscrow_);
        for (uint256 id = 1; id <= 2; ++id) {
            manager.createIssuance("");
            issuanceEscrows[id - 1] = IEscrow(manager.getIssuanceEscrow(id));
        }
        _makeSymbolic(instrumentEscrow, "instrumentEscrowWei");
        _makeSymbolic(issuanceEscrows[0], "issuanceEscrow1Wei");
        _makeSymbolic(issuanceEscrows[1], "issuanceEscrow2Wei");
        svm.enableSymbolicStorage(address(token));
    }

    function _makeSymbolic(IEscrow escrow, string memory weiName) private {
        svm.enableSymbolicStorage(address(escrow));
        vm.deal(address(escrow), svm.createUint256(weiName));
    }

    function _asset(bool eth) internal view returns (address) {
        return eth ? NATIVE_ETH : address(token);
    }

    /// @dev What `holder` really holds of `asset`.
    function _held(address holder, address asset) internal view returns (uint256) {
        return asset == NATIVE_ETH ? holder.balance : token.balanceOf(holder);
    }

    /// @dev `caller` calls the manager: `aboutIssuance` 0 creates a new issuance (3), 1 or 2 sends
    /// an event to that issuance (engaging runs the same transfer execution as an event). Returns
    /// the issuance the call was about.
    function _callManager(address caller, uint8 aboutIssuance) internal returns (uint256) {
        vm.prank(caller);
        if (aboutIssuance != 0) {
            manager.processEvent(aboutIssuance, 0, "event", "");
            return aboutIssuance;
        }
        return manager.createIssuance("");
    }
}

/// @notice Proof 4, the manager's transfer rule: for any list of transfers the instrument answers
/// (of 1, 2 or 3 transfers, each of any kind, token, accounts, amount and minimum), on any call
/// (create, engage, event) by anyone, no Instrument Escrow balance of anyone but the caller
/// decreases, and no Issuance Escrow but the call's own changes (ledger or holdings).
contract ManagerTransferRuleProofs is ManagerProofSetUp {
    function check_transferRuleForOneTransfer(address caller, uint8 aboutIssuance, address account) external {
        _checkTransferRule(1, caller, aboutIssuance, account);
    }

    function check_transferRuleForTwoTransfers(address caller, uint8 aboutIssuance, address account) external {
        _checkTransferRule(2, caller, aboutIssuance, account);
    }

    /// @dev Both assets of `account` are compared, in the Instrument Escrow and in the Issuance
    /// Escrows of issuances 1 and 2, before and after the call.
    function _checkTransferRule(uint256 count, address caller, uint8 aboutIssuance, address account) private {
        vm.assume(aboutIssuance < 3);
        Balances memory before = _balances(account);
        instrument.answerWithSymbolicTransfers(count);
        uint256 issuanceId = _callManager(caller, aboutIssuance);
        Balances memory afterwards = _balances(account);
        for (uint256 a = 0; a < 2; ++a) {
            if (account != caller) assert(afterwards.inInstrumentEscrow[a] >= before.inInstrumentEscrow[a]);
            for (uint256 i = 0; i < 2; ++i) {
                if (i + 1 == issuanceId) continue;
                assert(afterwards.inIssuanceEscrow[i][a] == before.inIssuanceEscrow[i][a]);
                assert(afterwards.heldByIssuanceEscrow[i][a] == before.heldByIssuanceEscrow[i][a]);
            }
        }
    }

    /// @dev Indexed by asset (0 the token, 1 ETH) and, for the Issuance Escrows, issuance - 1.
    struct Balances {
        uint256[2] inInstrumentEscrow;
        uint256[2][2] inIssuanceEscrow;
        uint256[2][2] heldByIssuanceEscrow;
    }

    function _balances(address account) private view returns (Balances memory balances) {
        for (uint256 a = 0; a < 2; ++a) {
            address asset = _asset(a == 1);
            balances.inInstrumentEscrow[a] = instrumentEscrow.getTokenBalance(account, asset);
            for (uint256 i = 0; i < 2; ++i) {
                balances.inIssuanceEscrow[i][a] = issuanceEscrows[i].getTokenBalance(account, asset);
                balances.heldByIssuanceEscrow[i][a] = _held(address(issuanceEscrows[i]), asset);
            }
        }
    }
}

/// @notice Proof 3, through the manager: a move between the Instrument Escrow and an Issuance
/// Escrow (Inbound or Outbound, ETH or the token, any amount including `WHOLE_BALANCE`) debits
/// `from` exactly what left the source escrow, credits `to` exactly what arrived at the
/// destination, leaves nothing with the manager and nobody else's entry changed: the ledgers
/// lose exactly what the holdings lose (a token's fee), no more.
contract ManagerMoveProofs is ManagerProofSetUp {
    function check_moveBetweenEscrowsConservesTheTotal(
        address caller,
        bool outbound,
        bool eth,
        Transfer memory transfer,
        address other
    ) external {
        IEscrow issuanceEscrow = issuanceEscrows[0];
        Move memory move = Move({
            source: outbound ? issuanceEscrow : instrumentEscrow,
            destination: outbound ? instrumentEscrow : issuanceEscrow,
            asset: _asset(eth),
            from: transfer.from,
            to: transfer.to,
            other: other
        });
        vm.assume(other != move.from && other != move.to);
        transfer.kind = outbound ? TransferKind.Outbound : TransferKind.Inbound;
        transfer.token = move.asset;
        Entries memory before = _entries(move);
        instrument.answerOnceWith(transfer);
        _callManager(caller, 1);
        Entries memory afterwards = _entries(move);
        uint256 moved = outbound && transfer.amount == WHOLE_BALANCE ? before.from : transfer.amount;
        assert(afterwards.destinationHeld >= before.destinationHeld);
        uint256 arrived = afterwards.destinationHeld - before.destinationHeld;
        // The ledgers lose `moved - arrived`; the holdings lose exactly as much.
        assert(_fellBy(before.from, afterwards.from, moved));
        assert(_fellBy(before.sourceHeld, afterwards.sourceHeld, moved));
        assert(_grewBy(before.to, afterwards.to, arrived));
        assert(afterwards.managerHeld == before.managerHeld);
        assert(afterwards.otherAtSource == before.otherAtSource);
        assert(afterwards.otherAtDestination == before.otherAtDestination);
    }

    struct Move {
        IEscrow source;
        IEscrow destination;
        address asset;
        address from;
        address to;
        address other;
    }

    struct Entries {
        uint256 from;
        uint256 to;
        uint256 otherAtSource;
        uint256 otherAtDestination;
        uint256 sourceHeld;
        uint256 destinationHeld;
        uint256 managerHeld;
    }

    function _entries(Move memory move) private view returns (Entries memory) {
        return
            Entries({
                from: move.source.getTokenBalance(move.from, move.asset),
                to: move.destination.getTokenBalance(move.to, move.asset),
                otherAtSource: move.source.getTokenBalance(move.other, move.asset),
                otherAtDestination: move.destination.getTokenBalance(move.other, move.asset),
                sourceHeld: _held(address(move.source), move.asset),
                destinationHeld: _held(address(move.destination), move.asset),
                managerHeld: _held(address(manager), move.asset)
            });
    }
}

/// @notice Proof 2, the manager's side: outside a move, nobody can use the callback the escrows
/// use to have the manager send tokens (`sendTokenToEscrow`, which would move any account's
/// tokens out of any escrow of the domain), nor send the manager ETH.
contract ManagerCallbackProofs is ManagerProofSetUp {
    /// @notice `source` 0 is the Instrument Escrow, 1 and 2 the Issuance Escrows: the only
    /// contracts whose admin is the manager, so the only ones the callback could move assets of.
    function check_nobodyUsesTheCallbackOutsideAMove(
        address caller,
        bool eth,
        uint8 source,
        address sourceAccount,
        uint256 amount
    ) external {
        // The zero address is the "no move" mark, and no call ever comes from it.
        vm.assume(caller != address(0) && source < 3);
        IEscrow escrow = source == 0 ? instrumentEscrow : issuanceEscrows[source == 1 ? 0 : 1];
        vm.deal(caller, amount);
        vm.prank(caller);
        (bool succeeded, ) = eth
            ? address(manager).call{value: amount}("")
            : address(manager).call(
                abi.encodeCall(IEscrowAdmin.sendTokenToEscrow, (address(escrow), sourceAccount, address(token), amount))
            );
        assert(!succeeded);
    }
}
