// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice A smart-contract wallet for tests. Its `receive` uses more than 2,300 gas (it writes
/// storage), can be told to reject ETH, or to call back into a target (re-entry attempt).
contract ContractWallet {
    enum Mode {
        Accept,
        Reject,
        Reenter
    }

    error WalletRejectsEth();

    Mode public mode;
    uint256 public received;
    address public reentryTarget;
    bytes public reentryData;
    bool public reentrySucceeded;
    bytes public reentryResult;

    function setMode(Mode mode_) external {
        mode = mode_;
    }

    function setReentry(address target, bytes calldata data) external {
        mode = Mode.Reenter;
        reentryTarget = target;
        reentryData = data;
    }

    /// @notice Calls `target` with `data` and `value`, bubbling up a revert.
    function execute(address target, bytes calldata data, uint256 value) external payable returns (bytes memory) {
        (bool ok, bytes memory result) = target.call{value: value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 32), mload(result))
            }
        }
        return result;
    }

    receive() external payable {
        if (mode == Mode.Reject) revert WalletRejectsEth();
        received += msg.value;
        if (mode == Mode.Reenter) {
            (reentrySucceeded, reentryResult) = reentryTarget.call(reentryData);
        }
    }
}
