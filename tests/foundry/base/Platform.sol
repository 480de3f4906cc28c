// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Test} from "forge-std/Test.sol";

import {IInstrumentEscrow} from "../../../interfaces/IInstrumentEscrow.sol";
import {IInstrumentManager} from "../../../interfaces/IInstrumentManager.sol";
import {NATIVE_ETH} from "../../../interfaces/IEscrow.sol";
import {InstrumentRegistry} from "../../../contracts/domain/InstrumentRegistry.sol";
import {EscrowFactory} from "../../../contracts/escrows/EscrowFactory.sol";
import {Borrowing} from "../../../contracts/instruments/Borrowing.sol";
import {Lending} from "../../../contracts/instruments/Lending.sol";
import {MultiSwap} from "../../../contracts/instruments/MultiSwap.sol";
import {Swap} from "../../../contracts/instruments/Swap.sol";
import {AdminPriceOracle} from "../../../contracts/oracles/AdminPriceOracle.sol";
import {AdjustableFeeToken} from "../../../contracts/test/AdjustableFeeToken.sol";
import {FeeOnTransferToken} from "../../../contracts/test/FeeOnTransferToken.sol";
import {MockERC20} from "../../../contracts/test/MockERC20.sol";
import {NoReturnToken} from "../../../contracts/test/NoReturnToken.sol";
import {RebasingToken} from "../../../contracts/test/RebasingToken.sol";
import {ReentrantToken} from "../../../contracts/test/ReentrantToken.sol";

/// @notice One activated instrument domain: its manager and its Instrument Escrow.
struct DomainHandle {
    uint256 id;
    address instrument;
    IInstrumentManager manager;
    IInstrumentEscrow escrow;
}

/// @notice The whole platform as scripts/deploy.py deploys it (factory, registry, an
/// AdminPriceOracle, the four instruments, one activated domain each) plus a second Swap domain
/// for isolation checks, the tokens of tests/conftest.py and the odd ones of contracts/test, and
/// the actors by role. Plain data, so that handlers and unit tests can share one deployment.
struct Platform {
    EscrowFactory factory;
    InstrumentRegistry registry;
    AdminPriceOracle oracle;
    Swap swap;
    MultiSwap multiSwap;
    Lending lending;
    Borrowing borrowing;
    DomainHandle swapDomain;
    DomainHandle multiSwapDomain;
    DomainHandle lendingDomain;
    DomainHandle borrowingDomain;
    DomainHandle otherSwapDomain;
    MockERC20 token;
    MockERC20 otherToken;
    FeeOnTransferToken feeToken;
    AdjustableFeeToken adjustableFeeToken;
    NoReturnToken noReturnToken;
    ReentrantToken hookToken;
    RebasingToken rebasingToken;
    address deployer;
    address provider;
    address maker;
    address otherMaker;
    address taker;
    address otherTaker;
    address keeper;
}

/// @title PlatformSetUp
/// @notice Deploys the whole platform (`_deployPlatform`) into `platform`, funds every user with
/// ETH and every token, approves every domain's Instrument Escrow for every token, and sets an
/// oracle rate between every pair of assets. Views list the domains, users and assets in a fixed
/// order, which handlers use as indices.
abstract contract PlatformSetUp is Test {
    /// @notice What each user starts with of ETH (wei) and of each token (smallest units).
    uint256 internal constant USER_FUNDS = 1e30;
    /// @notice The oracle's starting rate between two assets: 1:1 in smallest units.
    uint256 internal constant START_RATE = 1e18;
    /// @notice The 1% fee of `feeToken`, as tests/conftest.py's fee_token.
    uint256 internal constant FEE_BASIS_POINTS = 100;

    Platform internal platform;

    /// @dev Deploys and funds everything; call from `setUp`.
    function _deployPlatform() internal {
        Platform storage p = platform;
        p.deployer = makeAddr("deployer");
        p.provider = makeAddr("provider");
        p.maker = makeAddr("maker");
        p.otherMaker = makeAddr("otherMaker");
        p.taker = makeAddr("taker");
        p.otherTaker = makeAddr("otherTaker");
        p.keeper = makeAddr("keeper");

        vm.startPrank(p.deployer);
        // scripts/deploy.py steps 1 to 7.
        p.factory = new EscrowFactory();
        p.registry = new InstrumentRegistry(p.factory);
        p.oracle = new AdminPriceOracle(p.deployer);
        p.swap = new Swap();
        p.lending = new Lending(p.oracle);
        p.borrowing = new Borrowing(p.oracle);
        p.multiSwap = new MultiSwap();
        p.token = new MockERC20("Token", "TKN", 18);
        p.otherToken = new MockERC20("Other", "OTH", 6);
        p.feeToken = new FeeOnTransferToken(FEE_BASIS_POINTS);
        p.adjustableFeeToken = new AdjustableFeeToken();
        p.noReturnToken = new NoReturnToken();
        p.hookToken = new ReentrantToken();
        // The deployer owns the rebasing token: only it rebases.
        p.rebasingToken = new RebasingToken();
        vm.stopPrank();

        // Steps 8 to 11, by the provider (tests/conftest.py's `activate`), and a second Swap domain.
        p.swapDomain = _activate(address(p.swap));
        p.lendingDomain = _activate(address(p.lending));
        p.borrowingDomain = _activate(address(p.borrowing));
        p.multiSwapDomain = _activate(address(p.multiSwap));
        p.otherSwapDomain = _activate(address(p.swap));

        address[] memory assetList = assets();
        vm.startPrank(p.deployer);
        for (uint256 i = 0; i < assetList.length; ++i) {
            for (uint256 j = i + 1; j < assetList.length; ++j) {
                p.oracle.setRate(assetList[i], assetList[j], START_RATE, START_RATE);
            }
        }
        vm.stopPrank();

        address[] memory userList = users();
        DomainHandle[] memory domainList = domains();
        for (uint256 u = 0; u < userList.length; ++u) {
            _fund(userList[u], assetList, domainList);
        }
        _fund(p.keeper, assetList, domainList);
    }

    /// @notice The five domains: Swap, MultiSwap, Lending, Borrowing, the second Swap.
    function domains() public view returns (DomainHandle[] memory list) {
        list = new DomainHandle[](5);
        list[0] = platform.swapDomain;
        list[1] = platform.multiSwapDomain;
        list[2] = platform.lendingDomain;
        list[3] = platform.borrowingDomain;
        list[4] = platform.otherSwapDomain;
    }

    /// @notice The users who deposit, make, take and withdraw (the keeper only sends events).
    function users() public view returns (address[] memory list) {
        list = new address[](4);
        list[0] = platform.maker;
        list[1] = platform.otherMaker;
        list[2] = platform.taker;
        list[3] = platform.otherTaker;
    }

    /// @notice ETH first, then the plain tokens, then the odd ones.
    function assets() public view returns (address[] memory list) {
        list = new address[](8);
        list[0] = NATIVE_ETH;
        list[1] = address(platform.token);
        list[2] = address(platform.otherToken);
        list[3] = address(platform.noReturnToken);
        list[4] = address(platform.hookToken);
        list[5] = address(platform.feeToken);
        list[6] = address(platform.adjustableFeeToken);
        list[7] = address(platform.rebasingToken);
    }

    /// @dev Activates a domain of `instrument`, with the provider as its provider.
    function _activate(address instrument) internal returns (DomainHandle memory domain) {
        vm.prank(platform.provider);
        (uint256 id, address manager, address escrow) = platform.registry.activateInstrument(instrument);
        domain = DomainHandle(id, instrument, IInstrumentManager(manager), IInstrumentEscrow(escrow));
    }

    /// @dev `holder` gets ETH and every token, and approves every domain's escrow for each.
    function _fund(address holder, address[] memory assetList, DomainHandle[] memory domainList) private {
        vm.deal(holder, USER_FUNDS);
        for (uint256 t = 1; t < assetList.length; ++t) MockERC20(assetList[t]).mint(holder, USER_FUNDS);
        for (uint256 d = 0; d < domainList.length; ++d) _approveAll(holder, domainList[d]);
    }

    /// @dev `holder` approves `domain`'s Instrument Escrow for every token.
    function _approveAll(address holder, DomainHandle memory domain) internal {
        address[] memory assetList = assets();
        vm.startPrank(holder);
        for (uint256 t = 1; t < assetList.length; ++t) {
            // NoReturnToken's approve returns nothing: a low-level call suits every token.
            (bool approved, ) = assetList[t].call(
                abi.encodeCall(IERC20.approve, (address(domain.escrow), type(uint256).max))
            );
            require(approved, "approve failed");
        }
        vm.stopPrank();
    }
}
