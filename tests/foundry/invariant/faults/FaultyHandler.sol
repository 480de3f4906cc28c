// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {DomainHandle, Platform} from "../../base/Platform.sol";
import {PlatformHandler} from "../PlatformHandler.sol";

/// @notice The handler plus one action the fuzzer never gets: a step during which a deliberately
/// wrong move happens (`caller` calls `target` with `data` and `value` wei), as a broken manager,
/// escrow or instrument would make it.
contract FaultyHandler is PlatformHandler {
    constructor(
        Platform memory platform,
        DomainHandle[] memory domainList,
        address[] memory userList,
        address[] memory assetList
    ) PlatformHandler(platform, domainList, userList, assetList) {}

    /// @notice A step by `actor` in domain `domain` in which the wrong move is made.
    function wrongMove(
        uint256 domain,
        address actor,
        address caller,
        address target,
        bytes calldata data,
        uint256 value
    ) external inStep(domain, actor) {
        vm.deal(caller, caller.balance + value);
        vm.prank(caller);
        (bool ok, ) = target.call{value: value}(data);
        require(ok, "the wrong move itself failed");
    }
}
