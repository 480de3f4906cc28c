// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Domain} from "../../../interfaces/IInstrumentRegistry.sol";
import {DomainHandle, PlatformSetUp} from "./Platform.sol";

/// @notice The shared set-up deploys what scripts/deploy.py does, plus the second Swap domain,
/// and funds the users: a user can deposit every asset in every domain.
contract PlatformSetUpTest is PlatformSetUp {
    function setUp() public {
        _deployPlatform();
    }

    function test_everyDomainIsActiveAndRecordedByTheRegistry() public view {
        DomainHandle[] memory list = domains();
        assertEq(platform.registry.domainCount(), list.length);
        for (uint256 d = 0; d < list.length; ++d) {
            Domain memory recorded = platform.registry.getDomain(list[d].id);
            assertEq(recorded.provider, platform.provider);
            assertEq(recorded.instrument, list[d].instrument);
            assertEq(recorded.manager, address(list[d].manager));
            assertEq(recorded.instrumentEscrow, address(list[d].escrow));
            assertTrue(recorded.active);
        }
    }

    function test_usersCanDepositEveryAssetInEveryDomain() public {
        DomainHandle[] memory list = domains();
        address[] memory assetList = assets();
        address user = platform.maker;
        for (uint256 d = 0; d < list.length; ++d) {
            vm.prank(user);
            list[d].escrow.deposit{value: 1 ether}();
            assertEq(list[d].escrow.getBalance(user), 1 ether);
            for (uint256 t = 1; t < assetList.length; ++t) {
                vm.prank(user);
                list[d].escrow.depositToken(assetList[t], 1000);
                // The 1% fee token burns 10 of 1000 on the way in.
                uint256 expected = assetList[t] == address(platform.feeToken) ? 990 : 1000;
                assertEq(list[d].escrow.getTokenBalance(user, assetList[t]), expected);
            }
        }
        assertEq(user.balance, USER_FUNDS - 5 ether);
    }
}
