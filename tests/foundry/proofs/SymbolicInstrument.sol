// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {NATIVE_ETH} from "../../../interfaces/IEscrow.sol";
import {IInstrument, Transfer, TransferKind} from "../../../interfaces/IInstrument.sol";
import {Svm} from "./ProofBase.sol";

/// @notice The instrument double of the manager proofs: on every call it answers with a list of
/// `transferCount` transfers whose kinds, tokens (ETH or the proofs' token), accounts, amounts and
/// minimums are fresh symbolic values, so a proof about its answer holds for any answer of that
/// length; or, once, with the one transfer `answerOnceWith` was given. With a count of zero it
/// answers nothing (how the proofs create issuances).
contract SymbolicInstrument is IInstrument {
    Svm private constant svm = Svm(0xF3993A62377BCd56AE39D773740A5390411E8BC9);

    address private immutable _token;
    uint256 public transferCount;
    Transfer private _once;
    bool private _hasOnce;

    constructor(address token) {
        _token = token;
    }

    function answerWithSymbolicTransfers(uint256 count) external {
        transferCount = count;
    }

    function answerOnceWith(Transfer calldata transfer) external {
        _once = transfer;
        _hasOnce = true;
    }

    function createIssuance(uint256, address, bytes calldata) external returns (Transfer[] memory) {
        return _answer();
    }

    function engageIssuance(uint256, address, bytes calldata) external returns (uint256, Transfer[] memory) {
        return (1, _answer());
    }

    function processEvent(uint256, uint256, address, bytes32, bytes calldata) external returns (Transfer[] memory) {
        return _answer();
    }

    function _answer() private returns (Transfer[] memory transfers) {
        if (_hasOnce) {
            _hasOnce = false;
            transfers = new Transfer[](1);
            transfers[0] = _once;
            return transfers;
        }
        transfers = new Transfer[](transferCount);
        for (uint256 i = 0; i < transfers.length; ++i) {
            uint256 kind = svm.createUint256("kind");
            transfers[i] = Transfer({
                kind: TransferKind(kind % 4),
                token: svm.createBool("eth") ? NATIVE_ETH : _token,
                from: svm.createAddress("from"),
                to: svm.createAddress("to"),
                amount: svm.createUint256("amount"),
                minimum: svm.createUint256("minimum")
            });
        }
    }
}
