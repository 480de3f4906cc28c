// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ENGAGEMENT_DUE, IInstrument, REPAY_FULL} from "../../../interfaces/IInstrument.sol";
import {InstrumentHarness} from "./InstrumentHarness.sol";

/// @notice InstrumentCore's rule for events about an engagement (`_requireEngagement`): an event may
/// name only engagements 1..count, never 0, and none before the issuance was engaged. Swap and
/// MultiSwap know no such events, so the rule is exercised through Lending (one engagement once
/// engaged) with this test contract as its manager and its price oracle (one for one). The rest of
/// InstrumentCore (states, callers, due times, data decoding, token pairs, minimum credits) is
/// checked through Swap and MultiSwap in Swap.t.sol and MultiSwap.t.sol.
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
