// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IInstrumentEscrow} from "../../../interfaces/IInstrumentEscrow.sol";
import {PlatformSetUp} from "../base/Platform.sol";
import {PlatformHandler} from "./PlatformHandler.sol";

/// @notice Deploys the platform and a handler over all of it; the fuzzer calls only the handler.
abstract contract PlatformHandlerSetUp is PlatformSetUp {
    PlatformHandler internal handler;

    function _deployPlatformAndHandler() internal {
        _deployPlatform();
        // The hook token calls back on every transfer: it tries to re-enter an escrow.
        platform.hookToken.setReentry(
            address(platform.swapDomain.escrow),
            abi.encodeCall(IInstrumentEscrow.withdraw, (1))
        );
        handler = new PlatformHandler(platform, domains(), users(), assets());
    }
}

/// @notice A campaign over the whole platform: five domains of the four instruments, four users
/// and a keeper, ETH and seven tokens (fee, adjustable fee, no-return, hook and rebasing ones
/// among them), time, oracle moves, fee changes and rebases. The fuzzer calls only the handler's
/// actions.
abstract contract PlatformCampaign is PlatformHandlerSetUp {
    function setUp() public {
        _deployPlatformAndHandler();
        targetContract(address(handler));
        bytes4[] memory actions = new bytes4[](11);
        actions[0] = PlatformHandler.deposit.selector;
        actions[1] = PlatformHandler.withdraw.selector;
        actions[2] = PlatformHandler.createSwap.selector;
        actions[3] = PlatformHandler.createMultiSwap.selector;
        actions[4] = PlatformHandler.createLoan.selector;
        actions[5] = PlatformHandler.engage.selector;
        actions[6] = PlatformHandler.sendEvent.selector;
        actions[7] = PlatformHandler.warp.selector;
        actions[8] = PlatformHandler.moveRate.selector;
        actions[9] = PlatformHandler.setAdjustableFee.selector;
        actions[10] = PlatformHandler.rebase.selector;
        targetSelector(FuzzSelector(address(handler), actions));
    }
}

/// @title SolvencyInvariantTest
/// @notice Solvency after every call for what the call changed, and after every run for every
/// escrow and asset (a full read costs as much as twenty calls: only this campaign pays it).
contract SolvencyInvariantTest is PlatformCampaign {
    function afterInvariant() public view {
        handler.checkSolvencyEverywhere();
    }

    function invariant_solvency() public view {
        handler.checkSolvency();
    }
}

/// @title PlatformInvariantsTest
/// @notice The other invariants of the Hypothesis machine (tests/stateful/invariants.py) and the
/// settlement rules of docs/security.md. Each invariant is its own campaign (runs x depth calls,
/// see foundry.toml); the checks are the handler's, which tests/foundry/invariant/faults show
/// failing on broken systems.
contract PlatformInvariantsTest is PlatformCampaign {
    function invariant_isolation() public view {
        handler.checkIsolation();
    }

    function invariant_noLossWithoutConsent() public view {
        handler.checkNoLossWithoutConsent();
    }

    function invariant_alwaysExit() public {
        handler.checkAlwaysExit();
    }

    function invariant_conservation() public view {
        handler.checkConservation();
    }

    function invariant_nobodyPaysForNothing() public view {
        handler.checkNobodyPaysForNothing();
    }

    function invariant_minimumsHold() public view {
        handler.checkMinimumsHold();
    }

    function invariant_callsThatMustSucceedSucceed() public view {
        handler.checkCallsThatMustSucceedSucceed();
    }
}
