// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {ENGAGEMENT_DUE, IInstrument, REPAY_FULL} from "../../../interfaces/IInstrument.sol";
import {InstrumentHarness} from "./InstrumentHarness.sol";

/// @dev CoreRulesProbe (contracts/test), through its interface: importing it would recompile this
/// file, forge-std and all, with every InstrumentCore mutant.
interface ICoreRulesProbe {
    function requireState(uint256 issuanceId, uint8 state, uint8 expected) external pure;

    function requireEngagement(uint256 issuanceId, uint256 engagementId, uint256 engagementCount) external pure;

    function makerData(
        bytes calldata data,
        uint256 shortLength,
        uint256 fullLength
    ) external pure returns (bytes memory);
}

/// @notice InstrumentCore's rules as the base of any instrument, through CoreRulesProbe: with
/// arguments beyond what Swap, MultiSwap and the loans pass, each rule still means what its NatSpec
/// says.
contract InstrumentCoreRulesTest is Test {
    ICoreRulesProbe internal core = ICoreRulesProbe(deployCode("CoreRulesProbe.sol:CoreRulesProbe"));

    function test_AnEventMayNameEveryEngagementOfManyAndNoOther() public {
        for (uint256 id = 1; id <= 3; ++id) core.requireEngagement(7, id, 3);
        uint256[2] memory unknown = [uint256(0), 4];
        for (uint256 i; i < unknown.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownEngagement.selector, 7, unknown[i]));
            core.requireEngagement(7, unknown[i], 3);
        }
    }

    function test_AnIssuanceMustBeInExactlyTheExpectedState() public {
        core.requireState(7, 2, 2);
        uint8[2] memory others = [uint8(1), 3];
        for (uint256 i; i < others.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentWrongState.selector, 7, others[i]));
            core.requireState(7, others[i], 2);
        }
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownIssuance.selector, 7));
        core.requireState(7, 0, 2);
    }

    function test_ShortDataIsPaddedToExactlyTheFullLength() public view {
        bytes memory padded = core.makerData(abi.encode(uint256(5)), 32, 96);
        assertEq(padded, abi.encode(uint256(5), uint256(0), uint256(0)));
        assertEq(core.makerData(abi.encode(uint256(5), uint256(6), uint256(7)), 32, 96).length, 96);
    }
}

/// @notice InstrumentCore's rule for events about an engagement (`_requireEngagement`): an event may
/// name only engagements 1..count, never 0, and none before the issuance was engaged. Swap and
/// MultiSwap know no such events, so the rule is exercised through Lending (one engagement once
/// engaged) with this test contract as its manager and its price oracle (one for one). The rest of
/// InstrumentCore (states, callers, due times, data decoding, token pairs, minimum credits) is
/// checked through Swap and MultiSwap in Swap.t.sol and MultiSwap.t.sol, and with arguments no
/// instrument passes today by InstrumentCoreRulesTest above.
contract InstrumentCoreTest is InstrumentHarness {
    IInstrument internal lending;

    function setUp() public {
        _deployTokens();
        lending = IInstrument(deployCode("Lending.sol:Lending", abi.encode(address(this))));
        // Loan 1 of this manager: 100 tokenA lent against 150% in tokenB, for a day, due in an hour.
        bytes memory terms = abi.encode(
            HOUR,
            address(tokenA),
            uint256(100),
            address(tokenB),
            uint256(15_000),
            DAY,
            uint256(0),
            uint256(0),
            uint256(0)
        );
        lending.createIssuance(1, maker, terms);
    }

    /// @dev As the price oracle: one unit of any token for one of any other.
    function getRate(address, address) external pure returns (uint256, uint256) {
        return (1, 1);
    }

    function test_BeforeTheEngagementNoEngagementIdIsKnown() public {
        uint256[3] memory ids = [uint256(0), 1, 2];
        for (uint256 i; i < ids.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownEngagement.selector, 1, ids[i]));
            lending.processEvent(1, ids[i], maker, ENGAGEMENT_DUE, "");
        }
    }

    function test_OnceEngagedOnlyEngagementOneIsKnown() public {
        (uint256 engagementId, ) = lending.engageIssuance(1, taker, "");
        assertEq(engagementId, 1);
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownEngagement.selector, 1, 0));
        lending.processEvent(1, 0, taker, ENGAGEMENT_DUE, "");
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownEngagement.selector, 1, 2));
        lending.processEvent(1, 2, taker, ENGAGEMENT_DUE, "");
        vm.expectRevert(abi.encodeWithSelector(IInstrument.InstrumentUnknownEngagement.selector, 1, 2));
        lending.processEvent(1, 2, taker, REPAY_FULL, "");
        // Engagement 1 is known: early, engagement_due changes nothing.
        assertEq(lending.processEvent(1, 1, stranger, ENGAGEMENT_DUE, "").length, 0);
    }
}
