// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {CommonBase} from "forge-std/Base.sol";

import {IEscrow, NATIVE_ETH} from "../../../interfaces/IEscrow.sol";
import {
    CANCEL_ISSUANCE,
    ENGAGEMENT_DUE,
    ISSUANCE_DUE,
    MARGIN_CALL,
    REPAY_FULL
} from "../../../interfaces/IInstrument.sol";
import {ILoan, LoanIssuance, LoanState, LoanTerms} from "../../../interfaces/ILoan.sol";
import {IMultiSwap, MultiSwapIssuance, MultiSwapState, MultiSwapTerms} from "../../../interfaces/IMultiSwap.sol";
import {ISwap, SwapIssuance, SwapState, SwapTerms} from "../../../interfaces/ISwap.sol";
import {DomainHandle, Platform} from "../base/Platform.sol";

/// @title PlatformHandler
/// @notice What the fuzzer calls: every user action of every domain of the platform, and the moves
/// of the world around it (time, oracle rates, the adjustable fee, rebases). Before each action it
/// notes the state the invariants compare with (`step`, every Instrument Escrow ledger, a
/// fingerprint of every domain, the step domain's totals); during settlements it checks, from what
/// the ledgers show, that nobody paid for nothing and that the minimums held; it records every
/// revert of a call that had to succeed. The `check*` functions are the invariants: each reverts
/// with an error naming what broke, so the invariant tests and the fault tests call the same code.
/// @dev Inputs are bounded with modulo arithmetic (`_pick`, `_between`), not forge-std's `bound`,
/// which logs on every call. Domain indices follow `PlatformSetUp.domains()`: 0 Swap, 1 MultiSwap,
/// 2 Lending, 3 Borrowing, 4 the second Swap; asset indices follow `assets()` (0 is ETH).
contract PlatformHandler is CommonBase {
    // ------------------------------------------------------------------------------- errors

    /// @notice `escrow` holds `held` of `asset` but its ledger books `booked`, and the rebases it
    /// went through account for `rebased` of the difference.
    error Insolvent(address escrow, address asset, uint256 held, uint256 booked, int256 rebased);
    /// @notice A step in domain `stepDomain` (NO_DOMAIN: in none) changed `account` (an escrow's
    /// ledger or holding, or a manager) of domain `domainIndex`.
    error IsolationBroken(uint256 stepDomain, uint256 domainIndex, address account);
    /// @notice `escrow` books something for an account that is none of the users (slot `slot`).
    error BookedForStranger(address escrow, bytes32 slot, uint256 value);
    /// @notice `user`'s balance of `asset` in domain `domainIndex` fell from `before` to `afterwards`
    /// in a step that `actor` made in domain `stepDomain`.
    error LossWithoutConsent(address user, uint256 domainIndex, address asset, uint256 before, uint256 afterwards);
    /// @notice `user` cannot withdraw `amount` of `asset` from domain `domainIndex`'s escrow.
    error ExitBlocked(address user, uint256 domainIndex, address asset, uint256 amount, bytes reason);
    /// @notice In a step, domain `domainIndex`'s total of `asset` changed by `booked` on its
    /// ledgers and by `held` in its escrows' holdings, where the step's deposits, withdrawals and
    /// the fee its moves burned account for `expected`.
    error NotConserved(uint256 domainIndex, address asset, int256 booked, int256 held, int256 expected);
    /// @notice `count` settlements made a party pay without crediting what the terms promise; the
    /// first is described.
    error PaidForNothing(uint256 count, string first);
    /// @notice `count` settlements broke a minimum (fill limits, a taker's bound); the first is
    /// described.
    error MinimumBroken(uint256 count, string first);
    /// @notice `count` calls that had to succeed reverted; the first is named, with its reason.
    error UnexpectedRevert(uint256 count, string first, bytes reason);

    // ---------------------------------------------------------------------------- constants

    /// @notice `step.domain` of a step in no domain (time, oracle, fee): every domain must stay as it was.
    uint8 public constant NO_DOMAIN = type(uint8).max;
    /// @notice `step.domain` of a rebase: it moves every escrow's holding of the rebasing token.
    uint8 public constant ALL_DOMAINS = NO_DOMAIN - 1;
    /// @notice `step.asset` of a step that changes no asset's behaviour.
    uint8 public constant NO_ASSET = type(uint8).max;
    uint256 private constant _DOMAINS = 5;
    uint256 private constant _USERS = 4;
    uint256 private constant _ASSETS = 8;
    uint256 private constant _SWAP = 0;
    uint256 private constant _MULTISWAP = 1;
    uint256 private constant _LENDING = 2;
    uint256 private constant _BORROWING = 3;
    uint256 private constant _OTHER_SWAP = 4;
    uint256 private constant _NO_RETURN_TOKEN = 3;
    uint256 private constant _FEE_TOKEN = 5;
    uint256 private constant _ADJUSTABLE_FEE_TOKEN = 6;
    uint256 private constant _REBASING_TOKEN = 7;
    uint256 private constant _EVERYTHING = 10_000;
    uint256 private constant _MAX_AMOUNT = 1e21;
    bytes4 private constant _PANIC = 0x4e487b71;
    bytes4 private constant _ERROR_STRING = 0x08c379a0;

    // -------------------------------------------------------------------------------- state

    /// @notice What the step being checked was: its domain, who made it, whether it called a
    /// manager (create, engage, event), and for a step in no domain the asset whose behaviour it
    /// changed (the adjustable fee, a rebase), else `NO_ASSET`.
    struct Step {
        uint8 domain;
        address actor;
        bool managerMove;
        uint8 asset;
    }

    /// @notice What a step changed, as the storage writes it made show: a user's ledger entry in
    /// an escrow, an escrow's holding of an asset, a manager's state, or an escrow entry of an
    /// account that is none of the users (`Stranger`, whose slot is kept in `before`).
    enum ChangeKind {
        Ledger,
        Holding,
        Manager,
        Stranger
    }

    struct Change {
        ChangeKind kind;
        uint8 domain;
        bool instrumentEscrow;
        uint8 user;
        uint8 asset;
        address account;
        uint256 before;
        uint256 afterwards;
    }

    Platform private _platform;
    DomainHandle[_DOMAINS] private _domains;
    address[_USERS] private _users;
    address[_ASSETS] private _assets;
    /// @dev Every escrow of each domain: its Instrument Escrow first, then its Issuance Escrows.
    address[][_DOMAINS] private _escrows;
    /// @dev `keccak256(abi.encode(user, 0))`: the inner slot of a user's ledger in every escrow.
    bytes32[_USERS] private _userSlots;

    Step public step;
    /// @dev What the current step changed, and what its deposits, withdrawals and burns should
    /// have changed each asset's total by in the step's domain.
    /// Only the first `_changeCount` entries are the current step's (overwritten, never deleted:
    /// cheaper).
    Change[] private _changes;
    uint256 private _changeCount;
    int256[_ASSETS] private _stepFlow;
    /// @dev The last value seen of every user's ledger entry, holding and manager state.
    mapping(address escrow => mapping(uint256 entry => uint256 amount)) private _ledger;
    mapping(address escrow => uint256[_ASSETS] amounts) private _holding;
    uint256[_DOMAINS] private _managerState;

    /// @notice Ghosts: what each user deposited in and withdrew from each domain, per asset (what
    /// was credited, and what was debited).
    uint256[_ASSETS][_USERS][_DOMAINS] public deposited;
    uint256[_ASSETS][_USERS][_DOMAINS] public withdrawn;
    /// @notice What rebases added to (or took from) each escrow's holding of the rebasing token.
    mapping(address escrow => int256 amount) public rebased;
    /// @notice Whether a rebase ever shrank balances: the escrows then promise more than they hold.
    bool public shrunk;
    /// @notice The fill limits each multi-swap was created with, as the maker stated them.
    mapping(uint256 issuanceId => uint256[2] limits) private _fillLimits;

    uint256 public settlements;
    uint256 public unpaidSettlements;
    string private _firstUnpaid;
    uint256 public minimumBreaches;
    string private _firstBreach;
    uint256 public unexpectedReverts;
    string private _firstUnexpected;
    bytes private _firstUnexpectedReason;

    constructor(
        Platform memory platform,
        DomainHandle[] memory domainList,
        address[] memory userList,
        address[] memory assetList
    ) {
        _platform = platform;
        for (uint256 d = 0; d < _DOMAINS; ++d) {
            _domains[d] = domainList[d];
            _escrows[d].push(address(domainList[d].escrow));
            _managerState[d] = uint256(vm.load(address(domainList[d].manager), 0));
        }
        for (uint256 u = 0; u < _USERS; ++u) {
            _users[u] = userList[u];
            _userSlots[u] = keccak256(abi.encode(userList[u], uint256(0)));
        }
        for (uint256 t = 0; t < _ASSETS; ++t) _assets[t] = assetList[t];
        step = Step(NO_DOMAIN, address(0), false, NO_ASSET);
    }

    /// @dev Every action is one step: noted before, its changes collected after.
    modifier inStep(uint256 domain, address actor) {
        _begin(domain, actor);
        _;
        _end();
    }

    // ====================================================================== the user actions

    /// @notice A user deposits ETH or a token in a domain's Instrument Escrow.
    function deposit(
        uint256 userSeed,
        uint256 domainSeed,
        uint256 assetSeed,
        uint256 amountSeed
    ) external inStep(_pick(domainSeed, _DOMAINS), _user(userSeed)) {
        _deposit(_pick(domainSeed, _DOMAINS), _pick(userSeed, _USERS), _pick(assetSeed, _ASSETS), _amount(amountSeed));
    }

    /// @notice A user withdraws part or all of its balance of an asset from a domain.
    function withdraw(
        uint256 userSeed,
        uint256 domainSeed,
        uint256 assetSeed,
        uint256 amountSeed
    ) external inStep(_pick(domainSeed, _DOMAINS), _user(userSeed)) {
        (uint256 d, uint256 u, uint256 t) = (
            _pick(domainSeed, _DOMAINS),
            _pick(userSeed, _USERS),
            _pick(assetSeed, _ASSETS)
        );
        uint256 balance = _ie(d, u, t);
        if (balance == 0) return;
        uint256 amount = amountSeed % 2 == 0 ? balance : _between(amountSeed >> 1, 1, balance);
        address escrow = _escrows[d][0];
        vm.prank(_users[u]);
        (bool ok, bytes memory reason) = t == 0
            ? escrow.call(abi.encodeWithSignature("withdraw(uint256)", amount))
            : escrow.call(abi.encodeWithSignature("withdrawToken(address,uint256)", _assets[t], amount));
        if (ok) {
            withdrawn[d][u][t] += amount;
            _stepFlow[t] -= int256(amount);
        }
        // A shrinking rebase leaves the last claimants short: first come, first served.
        _expect(ok, reason, !(t == _REBASING_TOKEN && _held(escrow, t) < amount), "withdraw");
    }

    /// @notice A maker creates a swap in one of the two Swap domains.
    function createSwap(
        uint256 userSeed,
        uint256 domainSeed,
        uint256 termsSeed
    ) external inStep(_swapDomain(domainSeed), _user(userSeed)) {
        uint256 d = _swapDomain(domainSeed);
        uint256 u = _pick(userSeed, _USERS);
        (uint256 input, uint256 output) = _tokenPair(termsSeed);
        uint256 inputAmount = _amount(termsSeed >> 16);
        SwapTerms memory terms = SwapTerms(
            _duration(termsSeed >> 96),
            _assets[input],
            _assets[output],
            inputAmount,
            _amount(termsSeed >> 128)
        );
        _ensureBalance(d, u, input, inputAmount);
        _create(d, u, abi.encode(terms), _canCommit(d, u, input, inputAmount), "createSwap");
    }

    /// @notice A maker creates a multi-swap, with fill limits.
    function createMultiSwap(
        uint256 userSeed,
        uint256 termsSeed,
        uint256 limitsSeed
    ) external inStep(_MULTISWAP, _user(userSeed)) {
        uint256 u = _pick(userSeed, _USERS);
        (uint256 input, uint256 output) = _tokenPair(termsSeed);
        uint256 inputAmount = _amount(termsSeed >> 16);
        // Small outputs make rounding and exact tails common.
        uint256 outputAmount = limitsSeed % 2 == 0 ? _between(limitsSeed >> 1, 1, 1000) : _amount(limitsSeed >> 1);
        uint256 maxFill = _between(limitsSeed >> 80, 1, outputAmount);
        uint256 minFill = _between(limitsSeed >> 160, 1, maxFill);
        MultiSwapTerms memory terms = MultiSwapTerms(
            _duration(termsSeed >> 96),
            _assets[input],
            _assets[output],
            inputAmount,
            outputAmount,
            minFill,
            maxFill
        );
        _ensureBalance(_MULTISWAP, u, input, inputAmount);
        uint256 id = _create(
            _MULTISWAP,
            u,
            abi.encode(terms),
            _canCommit(_MULTISWAP, u, input, inputAmount),
            "createMultiSwap"
        );
        if (id != 0) _fillLimits[id] = [minFill, maxFill];
    }

    /// @notice A maker creates a Lending (it lends) or a Borrowing (it borrows) loan.
    function createLoan(
        uint256 userSeed,
        uint256 domainSeed,
        uint256 termsSeed
    ) external inStep(_loanDomain(domainSeed), _user(userSeed)) {
        uint256 d = _loanDomain(domainSeed);
        uint256 u = _pick(userSeed, _USERS);
        (uint256 principal, uint256 collateral) = _tokenPair(termsSeed);
        uint256 collateralRatio = _between(termsSeed >> 96, 10_000, 20_000);
        LoanTerms memory terms = LoanTerms({
            duration: _duration(termsSeed >> 16),
            principalToken: _assets[principal],
            principalAmount: _amount(termsSeed >> 32),
            collateralToken: _assets[collateral],
            collateralRatio: collateralRatio,
            tenor: _duration(termsSeed >> 112),
            interestRate: _between(termsSeed >> 128, 0, 2000),
            minCollateralPerPrincipal: 0,
            // Half the loans can be margin called, once the rate moves far enough.
            maintenanceRatio: (termsSeed >> 144) % 2 == 0 ? 0 : _between(termsSeed >> 145, 5000, collateralRatio - 1)
        });
        uint256 committed = principal;
        uint256 amount = terms.principalAmount;
        if (d == _BORROWING) {
            committed = collateral;
            amount = _loan(d).collateralOf(
                terms.principalToken,
                terms.principalAmount,
                terms.collateralToken,
                collateralRatio
            );
        }
        _ensureBalance(d, u, committed, amount);
        // The commitment must arrive whole: a token taking a fee cannot be committed.
        _create(d, u, abi.encode(terms), _canCommit(d, u, committed, amount) && _feeNow(committed) == 0, "createLoan");
    }

    /// @notice A user engages (a swap, a loan) or fills (a multi-swap) an issuance, with or without
    /// its own minimums.
    function engage(
        uint256 userSeed,
        uint256 domainSeed,
        uint256 issuanceSeed,
        uint256 takerSeed
    ) external inStep(_pick(domainSeed, _DOMAINS), _user(userSeed)) {
        uint256 d = _pick(domainSeed, _DOMAINS);
        uint256 u = _pick(userSeed, _USERS);
        uint256 count = _domains[d].manager.issuanceCount();
        if (count == 0) return;
        uint256 id = _issuance(issuanceSeed, count);
        // A maker cannot engage its own issuance: that is tried one time in eight.
        if (_users[u] == _makerOf(d, id) && takerSeed % 8 != 0) {
            u = (u + 1) % _USERS;
            step.actor = _users[u];
        }
        if (d == _MULTISWAP) _fill(u, id, takerSeed);
        else if (d == _LENDING || d == _BORROWING) _engageLoan(d, u, id, takerSeed);
        else _engageSwap(d, u, id, takerSeed);
    }

    /// @notice Someone (a user or the keeper) sends an event to an issuance: cancel, issuance due,
    /// engagement due, repay, margin call; a timed event early, on time or late.
    function sendEvent(
        uint256 callerSeed,
        uint256 domainSeed,
        uint256 issuanceSeed,
        uint256 eventSeed
    ) external inStep(_pick(domainSeed, _DOMAINS), _userOrKeeper(callerSeed)) {
        uint256 d = _pick(domainSeed, _DOMAINS);
        uint256 callerIndex = _pick(callerSeed, _USERS + 1);
        address caller = _userOrKeeper(callerSeed);
        uint256 count = _domains[d].manager.issuanceCount();
        if (count == 0) return;
        uint256 id = _issuance(issuanceSeed, count);
        bool isLoan = d == _LENDING || d == _BORROWING;
        bytes32 eventName = _eventName(eventSeed, isLoan);
        // Timed events: early (now), on time (at the due time) or late (after it).
        uint256 timing = (eventSeed >> 8) % 3;
        if (eventName == ISSUANCE_DUE || eventName == ENGAGEMENT_DUE) {
            uint256 due = _dueTime(d, id, eventName == ENGAGEMENT_DUE);
            if (timing == 1 && due > block.timestamp) vm.warp(due);
            if (timing == 2 && due >= block.timestamp) vm.warp(due + _between(eventSeed >> 16, 1, 2 days));
        }
        if (isLoan) _loanEvent(d, callerIndex, caller, id, eventName);
        else _issuanceEvent(d, caller, id, eventName);
    }

    // ===================================================================== the world around

    /// @notice Time passes.
    function warp(uint256 secondsSeed) external inStep(NO_DOMAIN, address(0)) {
        vm.warp(block.timestamp + _between(secondsSeed, 1, 1 days));
    }

    /// @notice The oracle's owner sets a pair's rate between a quarter and four times the start.
    function moveRate(uint256 pairSeed, uint256 factorSeed) external inStep(NO_DOMAIN, address(0)) {
        (uint256 base, uint256 quote) = _tokenPair(pairSeed);
        if (base > quote) (base, quote) = (quote, base);
        vm.prank(_platform.deployer);
        _platform.oracle.setRate(_assets[base], _assets[quote], _between(factorSeed, 1, 16) * 1e18, 4e18);
    }

    /// @notice Anyone sets the adjustable token's fee: none, 1%, a quarter, everything.
    function setAdjustableFee(uint256 feeSeed) external inStep(NO_DOMAIN, address(0)) {
        step.asset = uint8(_ADJUSTABLE_FEE_TOKEN);
        uint256[4] memory fees = [uint256(0), 100, 2500, _EVERYTHING];
        _platform.adjustableFeeToken.setFeeBasisPoints(fees[_pick(feeSeed, 4)]);
    }

    /// @notice The rebasing token's owner scales every balance: up or down by a tenth, or halves
    /// (what it moves in each escrow is noted as `rebased` when the step ends).
    function rebase(uint256 factorSeed) external inStep(ALL_DOMAINS, address(0)) {
        step.asset = uint8(_REBASING_TOKEN);
        uint256[2][4] memory factors = [[uint256(11), 10], [uint256(9), 10], [uint256(1), 2], [uint256(3), 2]];
        uint256[2] memory factor = factors[_pick(factorSeed, 4)];
        vm.prank(_platform.deployer);
        _platform.rebasingToken.rebase(factor[0], factor[1]);
        if (factor[0] < factor[1]) shrunk = true;
    }

    // ======================================================================= the invariants

    /// @notice Solvency: every escrow holds exactly what its ledger books, of every asset (fee
    /// tokens included: a deposit credits what arrived and a send takes what it debits), except
    /// for what rebases added or took, which the escrow does not follow (docs/security.md); and
    /// it books nothing for anyone but the users. Checked after each step for every escrow and
    /// asset the step changed (by induction: the others were checked when they last changed);
    /// `checkSolvencyEverywhere` reads them all.
    function checkSolvency() external view {
        for (uint256 i = 0; i < _changeCount; ++i) {
            Change storage change = _changes[i];
            if (change.kind != ChangeKind.Stranger) continue;
            uint256 value = uint256(vm.load(change.account, bytes32(change.before)));
            if (value != 0) revert BookedForStranger(change.account, bytes32(change.before), value);
        }
        for (uint256 i = 0; i < _changeCount; ++i) {
            Change storage change = _changes[i];
            if (change.kind == ChangeKind.Ledger || change.kind == ChangeKind.Holding)
                _requireSolvent(change.account, change.asset);
        }
    }

    /// @notice Solvency, read for every escrow of every domain and every asset.
    function checkSolvencyEverywhere() external view {
        for (uint256 d = 0; d < _DOMAINS; ++d) {
            for (uint256 e = 0; e < _escrows[d].length; ++e) {
                for (uint256 t = 0; t < _ASSETS; ++t) _requireSolvent(_escrows[d][e], t);
            }
        }
    }

    /// @notice Isolation: a step in one domain changes nothing (ledgers, holdings, issuance count,
    /// activity) of any other; a step in none (time, oracle, fee) changes no domain; a rebase
    /// changes only the escrows' holdings of the rebasing token, by the token's own doing.
    function checkIsolation() external view {
        for (uint256 i = 0; i < _changeCount; ++i) {
            Change storage change = _changes[i];
            if (change.domain == step.domain) continue;
            if (step.domain == ALL_DOMAINS && change.kind == ChangeKind.Holding && change.asset == step.asset) continue;
            revert IsolationBroken(step.domain, change.domain, change.account);
        }
    }

    /// @notice No loss without consent: a user's Instrument Escrow balance falls only in a step
    /// that user made in that domain.
    function checkNoLossWithoutConsent() external view {
        for (uint256 i = 0; i < _changeCount; ++i) {
            Change storage change = _changes[i];
            if (change.kind != ChangeKind.Ledger || !change.instrumentEscrow) continue;
            if (change.afterwards >= change.before) continue;
            address user = _users[change.user];
            if (change.domain == step.domain && user == step.actor) continue;
            revert LossWithoutConsent(user, change.domain, _assets[change.asset], change.before, change.afterwards);
        }
    }

    /// @notice Always exit: every user can withdraw its whole balance of every asset from the
    /// step's domain, deactivated or not, now; after a fee change or a rebase, every user its whole
    /// balance of that token from every domain (time and oracle rates play no part in a
    /// withdrawal). After a shrinking rebase the escrow pays the rebasing token only up to what it
    /// holds, first come first served: each user can then withdraw what is left, up to its
    /// balance. Tried for every user in turn on the same state, which is restored afterwards.
    function checkAlwaysExit() external {
        uint256 snapshot = vm.snapshotState();
        for (uint256 d = 0; d < _DOMAINS; ++d) {
            if (step.domain < ALL_DOMAINS ? d != step.domain : step.asset == NO_ASSET) continue;
            address escrow = _escrows[d][0];
            for (uint256 u = 0; u < _USERS; ++u) {
                for (uint256 t = 0; t < _ASSETS; ++t) {
                    if (step.domain >= ALL_DOMAINS && t != step.asset) continue;
                    uint256 amount = _ie(d, u, t);
                    if (t == _REBASING_TOKEN) amount = _min(amount, _held(escrow, t));
                    if (amount == 0) continue;
                    vm.prank(_users[u]);
                    (bool ok, bytes memory reason) = t == 0
                        ? escrow.call(abi.encodeWithSignature("withdraw(uint256)", amount))
                        : escrow.call(abi.encodeWithSignature("withdrawToken(address,uint256)", _assets[t], amount));
                    if (!ok) revert ExitBlocked(_users[u], d, _assets[t], amount, reason);
                }
            }
        }
        vm.revertToStateAndDelete(snapshot);
    }

    /// @notice Conservation: in every step, each domain's total of every asset, booked on its
    /// ledgers and held by its escrows, changes exactly by what the step's deposits credited less
    /// what its withdrawals debited and what a fee token burned in its manager moves: a manager
    /// move between escrows creates and destroys nothing. A step in no domain changes no ledger.
    function checkConservation() external view {
        int256[_ASSETS] memory booked;
        int256[_ASSETS] memory held;
        for (uint256 i = 0; i < _changeCount; ++i) {
            Change storage change = _changes[i];
            if (change.kind != ChangeKind.Ledger && change.kind != ChangeKind.Holding) continue;
            if (step.domain >= ALL_DOMAINS) {
                if (change.kind == ChangeKind.Ledger) {
                    revert NotConserved(
                        change.domain,
                        _assets[change.asset],
                        int256(change.afterwards) - int256(change.before),
                        0,
                        0
                    );
                }
                continue;
            }
            if (change.domain != step.domain) continue;
            int256 delta = int256(change.afterwards) - int256(change.before);
            if (change.kind == ChangeKind.Ledger) booked[change.asset] += delta;
            else held[change.asset] += delta;
        }
        if (step.domain >= ALL_DOMAINS) return;
        for (uint256 t = 0; t < _ASSETS; ++t) {
            if (booked[t] != _stepFlow[t] || held[t] != _stepFlow[t]) {
                revert NotConserved(step.domain, _assets[t], booked[t], held[t], _stepFlow[t]);
            }
        }
    }

    /// @notice Nobody pays for nothing: in every settlement, a party whose balance fell was
    /// credited what the terms promise (docs/security.md's table).
    function checkNobodyPaysForNothing() external view {
        if (unpaidSettlements != 0) revert PaidForNothing(unpaidSettlements, _firstUnpaid);
    }

    /// @notice Minimums hold: every multi-swap fill lay within its issuance's fill limits or was
    /// the exact tail; every taker was credited at least the minimum it stated and posted no more
    /// collateral than its maximum; a Borrowing was funded only on the collateral its lender asked.
    function checkMinimumsHold() external view {
        if (minimumBreaches != 0) revert MinimumBroken(minimumBreaches, _firstBreach);
    }

    /// @notice Every call that had to succeed (a deposit the user can pay, a withdrawal of what it
    /// holds, a cancel by the maker, a due event, a repayment, a settlement of plain tokens with
    /// the funds and terms in order) succeeded, and no call failed with a panic or a bare revert.
    function checkCallsThatMustSucceedSucceed() external view {
        if (unexpectedReverts != 0)
            revert UnexpectedRevert(unexpectedReverts, _firstUnexpected, _firstUnexpectedReason);
    }

    // ============================================================================ settlements

    function _engageSwap(uint256 d, uint256 u, uint256 id, uint256 takerSeed) private {
        SwapIssuance memory issuance = ISwap(_domains[d].instrument).getIssuance(address(_domains[d].manager), id);
        (uint256 input, uint256 output) = (_assetIndex(issuance.inputToken), _assetIndex(issuance.outputToken));
        (bytes memory data, uint256 minimum, bool mustSucceed) = _planSwap(d, u, id, issuance, takerSeed);
        Settlement memory s = Settlement(
            d,
            issuance.maker,
            _users[u],
            input,
            output,
            _userIndex(issuance.maker),
            u,
            0,
            0,
            0,
            0
        );
        _measure(s);
        (bool ok, bytes memory reason) = _callManager(
            d,
            _users[u],
            abi.encodeWithSignature("engageIssuance(uint256,bytes)", id, data)
        );
        _expect(ok, reason, mustSucceed, "engage swap");
        if (!ok) return;
        _settled(s);
        // The taker paid the output to the maker and got the input: something, and its minimum.
        if (s.takerPaid != issuance.outputAmount || s.makerGot != issuance.outputAmount)
            _unpaid("swap: output not paid whole to the maker");
        if (s.takerGot == 0) _unpaid("swap: the taker paid and got no input");
        if (data.length != 0 && s.takerGot < minimum) _breach("swap: taker credited below its minInputReceived");
    }

    /// @dev The taker's data (no minimum, or one at or above what arrives) and whether the
    /// engagement must succeed; tops the taker's output up.
    function _planSwap(
        uint256 d,
        uint256 u,
        uint256 id,
        SwapIssuance memory issuance,
        uint256 takerSeed
    ) private returns (bytes memory data, uint256 minimum, bool mustSucceed) {
        (uint256 input, uint256 output) = (_assetIndex(issuance.inputToken), _assetIndex(issuance.outputToken));
        uint256 available = IEscrow(_issuanceEscrow(d, id)).getTokenBalance(issuance.maker, issuance.inputToken);
        // What reaches the taker: the maker's input, less the fee of the way out.
        uint256 arriving = available - (available * _feeNow(input)) / _EVERYTHING;
        minimum = _takerMinimum(takerSeed, arriving);
        data = takerSeed % 4 == 0 ? bytes("") : abi.encode(minimum);
        _ensureBalance(d, u, output, issuance.outputAmount);
        mustSucceed =
            issuance.state == SwapState.Engageable &&
            block.timestamp < issuance.dueTime &&
            _users[u] != issuance.maker &&
            _ie(d, u, output) >= issuance.outputAmount &&
            arriving != 0 &&
            (data.length == 0 || minimum <= arriving) &&
            _plain(input) &&
            _plain(output);
    }

    /// @dev A multi-swap fill as the handler plans it: how much, the input's and output's asset
    /// indices, the taker's share and its minimum, and whether the fill must succeed.
    struct FillPlan {
        uint256 fillOutput;
        uint256 input;
        uint256 output;
        uint256 minimum;
        bytes data;
        bool mustSucceed;
    }

    function _fill(uint256 u, uint256 id, uint256 takerSeed) private {
        address manager = address(_domains[_MULTISWAP].manager);
        MultiSwapIssuance memory issuance = IMultiSwap(_domains[_MULTISWAP].instrument).getIssuance(manager, id);
        uint256 remaining = issuance.remainingOutput;
        if (remaining == 0) return;
        FillPlan memory plan = _planFill(u, id, issuance, takerSeed);
        Settlement memory s = Settlement(
            _MULTISWAP,
            issuance.maker,
            _users[u],
            plan.input,
            plan.output,
            _userIndex(issuance.maker),
            u,
            0,
            0,
            0,
            0
        );
        _measure(s);
        (bool ok, bytes memory reason) = _callManager(
            _MULTISWAP,
            _users[u],
            abi.encodeWithSignature("engageIssuance(uint256,bytes)", id, plan.data)
        );
        _expect(ok, reason, plan.mustSucceed, "fill multi-swap");
        if (!ok) return;
        _settled(s);
        uint256 filled =
            remaining - IMultiSwap(_domains[_MULTISWAP].instrument).getIssuance(manager, id).remainingOutput;
        uint256[2] memory limits = _fillLimits[id];
        if (filled != plan.fillOutput) _breach("multi-swap: the issuance did not record the fill asked for");
        if ((filled < limits[0] && filled != remaining) || filled > limits[1])
            _breach("multi-swap: fill outside its limits, not the exact tail");
        if (s.takerPaid != plan.fillOutput || s.makerGot != plan.fillOutput)
            _unpaid("multi-swap: fill not paid whole to the maker");
        if (s.takerGot == 0) _unpaid("multi-swap: the taker paid and got no input");
        if (plan.data.length == 64 && s.takerGot < plan.minimum)
            _breach("multi-swap: taker credited below its minInputReceived");
    }

    /// @dev Fills at, below and above the limits, and the exact tail; with or without a minimum.
    function _planFill(
        uint256 u,
        uint256 id,
        MultiSwapIssuance memory issuance,
        uint256 takerSeed
    ) private returns (FillPlan memory plan) {
        uint256 remaining = issuance.remainingOutput;
        uint256 kind = takerSeed % 4;
        plan.fillOutput =
            kind == 0
                ? remaining
                : kind == 1
                    ? _between(takerSeed >> 2, 1, _min(remaining, issuance.maxFillOutput))
                    : kind == 2
                        ? _between(takerSeed >> 2, issuance.minFillOutput, issuance.maxFillOutput)
                        : _between(takerSeed >> 2, 1, issuance.outputAmount);
        plan.input = _assetIndex(issuance.inputToken);
        plan.output = _assetIndex(issuance.outputToken);
        (bool quoted, bytes memory quote) = _domains[_MULTISWAP].instrument.staticcall(
            abi.encodeCall(IMultiSwap.quoteFill, (address(_domains[_MULTISWAP].manager), id, plan.fillOutput))
        );
        uint256 share = quoted ? abi.decode(quote, (uint256)) : 0;
        uint256 arriving = share - (share * _feeNow(plan.input)) / _EVERYTHING;
        plan.minimum = _takerMinimum(takerSeed >> 128, arriving);
        plan.data =
            (takerSeed >> 128) % 4 == 0 ? abi.encode(plan.fillOutput) : abi.encode(plan.fillOutput, plan.minimum);
        _ensureBalance(_MULTISWAP, u, plan.output, plan.fillOutput);
        plan.mustSucceed =
            quoted &&
            issuance.state == MultiSwapState.Engageable &&
            block.timestamp < issuance.dueTime &&
            _users[u] != issuance.maker &&
            _ie(_MULTISWAP, u, plan.output) >= plan.fillOutput &&
            arriving != 0 &&
            plan.minimum <= arriving &&
            _plain(plan.input) &&
            _plain(plan.output);
    }

    /// @dev A loan engagement as the handler plans it: what the terms need now (`required`
    /// collateral), the taker's bound, its data, what the maker's escrow account holds of the
    /// collateral, and whether the engagement must succeed.
    struct LoanPlan {
        uint256 required;
        uint256 bound;
        bytes data;
        uint256 heldCollateral;
        bool mustSucceed;
    }

    function _engageLoan(uint256 d, uint256 u, uint256 id, uint256 takerSeed) private {
        LoanIssuance memory issuance = _loan(d).getIssuance(address(_domains[d].manager), id);
        bool lending = d == _LENDING;
        LoanPlan memory plan = _planLoan(d, u, id, issuance, takerSeed);
        Settlement memory s = _loanSettlement(d, u, issuance);
        _measure(s);
        IEscrow escrow = IEscrow(_issuanceEscrow(d, id));
        uint256 posted = escrow.getTokenBalance(_users[u], issuance.collateralToken);
        (bool ok, bytes memory reason) = _callManager(
            d,
            _users[u],
            abi.encodeWithSignature("engageIssuance(uint256,bytes)", id, plan.data)
        );
        _expect(ok, reason, plan.mustSucceed, "engage loan");
        if (!ok) return;
        _settled(s);
        if (lending) {
            // The borrower posted its collateral, whole, and got the whole principal.
            posted = escrow.getTokenBalance(_users[u], issuance.collateralToken) - posted;
            if (s.takerPaid == 0 || posted != s.takerPaid) _unpaid("lending: collateral not held whole");
            if (s.takerGot < issuance.principalAmount)
                _unpaid("lending: the borrower paid and got less than the principal");
            if (plan.data.length == 64 && plan.bound != 0 && s.takerPaid > plan.bound)
                _breach("lending: collateral above the borrower's maxCollateral");
        } else {
            // The lender paid the principal to the borrower once the collateral covered the terms.
            if (s.takerPaid != issuance.principalAmount || s.makerGot != issuance.principalAmount)
                _unpaid("borrowing: principal not paid whole to the borrower");
            if (plan.heldCollateral < plan.required)
                _unpaid("borrowing: the lender paid for undercollateralised terms");
            if (plan.data.length == 32 && plan.heldCollateral < plan.bound)
                _breach("borrowing: collateral held below the lender's minCollateralHeld");
        }
    }

    /// @dev The engagement's parties: the maker and the taker `u`; the taker receives the
    /// principal and pays the collateral (Lending), or the other way round (Borrowing).
    function _loanSettlement(
        uint256 d,
        uint256 u,
        LoanIssuance memory issuance
    ) private view returns (Settlement memory) {
        (uint256 principal, uint256 collateral) = (
            _assetIndex(issuance.principalToken),
            _assetIndex(issuance.collateralToken)
        );
        (uint256 received, uint256 paid) = d == _LENDING ? (principal, collateral) : (collateral, principal);
        return Settlement(d, issuance.maker, _users[u], received, paid, _userIndex(issuance.maker), u, 0, 0, 0, 0);
    }

    function _planLoan(
        uint256 d,
        uint256 u,
        uint256 id,
        LoanIssuance memory issuance,
        uint256 takerSeed
    ) private returns (LoanPlan memory plan) {
        bool lending = d == _LENDING;
        (bool priced, bytes memory price) = address(_loan(d)).staticcall(
            abi.encodeCall(
                ILoan.collateralOf,
                (issuance.principalToken, issuance.principalAmount, issuance.collateralToken, issuance.collateralRatio)
            )
        );
        plan.required = priced ? abi.decode(price, (uint256)) : 0;
        // The taker pays the collateral (Lending: it borrows) or the principal (Borrowing: it lends).
        uint256 paid = _assetIndex(lending ? issuance.collateralToken : issuance.principalToken);
        uint256 amountPaid = lending ? plan.required : issuance.principalAmount;
        _ensureBalance(d, u, paid, amountPaid);
        // The taker's own bound (Lending: maxCollateral, with the whole principal as its minimum;
        // Borrowing: minCollateralHeld): none, one below, at or one above what the terms need now.
        plan.bound = takerSeed % 4 == 0 ? 0 : plan.required - _min(plan.required, 1) + (takerSeed % 4) - 1;
        plan.data =
            (takerSeed >> 2) % 5 == 0
                ? bytes("")
                : lending
                    ? abi.encode(issuance.principalAmount, plan.bound)
                    : abi.encode(plan.bound);
        plan.heldCollateral = IEscrow(_issuanceEscrow(d, id)).getTokenBalance(issuance.maker, issuance.collateralToken);
        bool boundMet =
            plan.data.length == 0 ||
                (lending ? (plan.bound == 0 || plan.required <= plan.bound) : plan.heldCollateral >= plan.bound);
        plan.mustSucceed =
            plan.required != 0 &&
            boundMet &&
            issuance.state == LoanState.Engageable &&
            block.timestamp < issuance.issuanceDueTime &&
            _users[u] != issuance.maker &&
            _ie(d, u, paid) >= amountPaid &&
            (lending || plan.heldCollateral >= plan.required) &&
            _plain(_assetIndex(issuance.principalToken)) &&
            _plain(_assetIndex(issuance.collateralToken));
    }

    function _loanEvent(uint256 d, uint256 callerIndex, address caller, uint256 id, bytes32 eventName) private {
        LoanIssuance memory issuance = _loan(d).getIssuance(address(_domains[d].manager), id);
        bool engaged = issuance.state == LoanState.Engaged;
        uint256 repayment = _loan(d).repaymentOf(issuance.principalAmount, issuance.interestRate);
        bool mustSucceed = _loanEventMustSucceed(d, callerIndex, caller, issuance, eventName, repayment);
        Settlement memory s = _lenderAndBorrower(d, issuance);
        if (engaged) _measure(s);
        (bool ok, bytes memory reason) = _callManager(
            d,
            caller,
            abi.encodeWithSignature(
                "processEvent(uint256,uint256,bytes32,bytes)",
                id,
                eventName == CANCEL_ISSUANCE || eventName == ISSUANCE_DUE ? 0 : 1,
                eventName,
                ""
            )
        );
        _expect(ok, reason, mustSucceed, "loan event");
        if (!ok || !engaged) return;
        _settled(s);
        _checkLoanSettled(d, id, s, repayment);
    }

    /// @dev After an event about an engaged loan: a repayment gave the borrower its collateral
    /// back and the lender the whole repayment; a default gave the lender the collateral.
    function _checkLoanSettled(uint256 d, uint256 id, Settlement memory s, uint256 repayment) private {
        LoanState state = _loan(d).getIssuance(address(_domains[d].manager), id).state;
        if (state == LoanState.Repaid) {
            if (s.takerPaid != repayment || s.makerGot != repayment)
                _unpaid("repay: repayment not paid whole to the lender");
            if (s.takerGot == 0) _unpaid("repay: the borrower paid and got no collateral back");
        } else if (state == LoanState.Defaulted) {
            if (s.makerGotCollateral == 0) _unpaid("default: the lender got no collateral");
        }
    }

    /// @dev A loan's lender as the settlement's "maker" side, its borrower as the "taker" side,
    /// who pays the principal and receives the collateral.
    function _lenderAndBorrower(uint256 d, LoanIssuance memory issuance) private view returns (Settlement memory) {
        (address lender, address borrower) = d == _LENDING
            ? (issuance.maker, issuance.taker)
            : (issuance.taker, issuance.maker);
        (uint256 principal, uint256 collateral) = (
            _assetIndex(issuance.principalToken),
            _assetIndex(issuance.collateralToken)
        );
        return
            Settlement(
                d,
                lender,
                borrower,
                collateral,
                principal,
                _userIndexOrNone(lender),
                _userIndexOrNone(borrower),
                0,
                0,
                0,
                0
            );
    }

    /// @dev Whether a loan event must succeed: a cancel by the maker of an engageable loan, an
    /// issuance due (early, on time, late or again), a repayment by the borrower in time with the
    /// funds, an engagement due or margin call about an engaged or ended loan; each only when what
    /// it returns can be paid (not a shrunk rebasing balance; something of the collateral arrives).
    function _loanEventMustSucceed(
        uint256 d,
        uint256 callerIndex,
        address caller,
        LoanIssuance memory issuance,
        bytes32 eventName,
        uint256 repayment
    ) private returns (bool) {
        bool engaged = issuance.state == LoanState.Engaged;
        address borrower = d == _LENDING ? issuance.taker : issuance.maker;
        uint256 returned = _assetIndex(d == _LENDING && !engaged ? issuance.principalToken : issuance.collateralToken);
        if (shrunk && returned == _REBASING_TOKEN) return false;
        if (engaged && _feeNow(returned) == _EVERYTHING) return false;
        if (eventName == CANCEL_ISSUANCE) return issuance.state == LoanState.Engageable && caller == issuance.maker;
        if (eventName == ISSUANCE_DUE) return true;
        if (eventName == REPAY_FULL) {
            if (!engaged || caller != borrower || block.timestamp >= issuance.engagementDueTime) return false;
            uint256 principal = _assetIndex(issuance.principalToken);
            _ensureBalance(d, callerIndex, principal, repayment);
            return _ie(d, callerIndex, principal) >= repayment;
        }
        return issuance.state >= LoanState.Engaged;
    }

    function _issuanceEvent(uint256 d, address caller, uint256 id, bytes32 eventName) private {
        address maker;
        bool engageable;
        uint256 input;
        if (d == _MULTISWAP) {
            MultiSwapIssuance memory issuance = IMultiSwap(_domains[d].instrument).getIssuance(
                address(_domains[d].manager),
                id
            );
            (maker, engageable, input) = (
                issuance.maker,
                issuance.state == MultiSwapState.Engageable,
                _assetIndex(issuance.inputToken)
            );
        } else {
            SwapIssuance memory issuance = ISwap(_domains[d].instrument).getIssuance(address(_domains[d].manager), id);
            (maker, engageable, input) = (
                issuance.maker,
                issuance.state == SwapState.Engageable,
                _assetIndex(issuance.inputToken)
            );
        }
        // Returns of a maker's own commitment state no minimum: only a shrunk rebasing input can stop them.
        bool mustSucceed =
            !(shrunk && input == _REBASING_TOKEN) && (eventName == ISSUANCE_DUE || (engageable && caller == maker));
        (bool ok, bytes memory reason) = _callManager(
            d,
            caller,
            abi.encodeWithSignature("processEvent(uint256,uint256,bytes32,bytes)", id, 0, eventName, "")
        );
        _expect(ok, reason, mustSucceed, "issuance event");
    }

    /// @dev What the two parties of a settlement saw in their Instrument Escrow accounts: `maker`
    /// (or lender) and `taker` (or borrower); `received` is the asset the taker is paid in,
    /// `paid` the one it pays with. Filled by `_measure` (before) and `_settled` (after).
    struct Settlement {
        uint256 domain;
        address maker;
        address taker;
        uint256 received;
        uint256 paid;
        uint256 makerIndex;
        uint256 takerIndex;
        uint256 takerPaid;
        uint256 takerGot;
        uint256 makerGot;
        uint256 makerGotCollateral;
    }

    function _measure(Settlement memory s) private view {
        // Before: kept in the fields the deltas go to.
        s.takerPaid = _ieOf(s.domain, s.takerIndex, s.paid);
        s.takerGot = _ieOf(s.domain, s.takerIndex, s.received);
        s.makerGot = _ieOf(s.domain, s.makerIndex, s.paid);
        s.makerGotCollateral = _ieOf(s.domain, s.makerIndex, s.received);
    }

    function _settled(Settlement memory s) private {
        ++settlements;
        s.takerPaid = _fall(s.takerPaid, _ieOf(s.domain, s.takerIndex, s.paid));
        s.takerGot = _rise(s.takerGot, _ieOf(s.domain, s.takerIndex, s.received));
        s.makerGot = _rise(s.makerGot, _ieOf(s.domain, s.makerIndex, s.paid));
        s.makerGotCollateral = _rise(s.makerGotCollateral, _ieOf(s.domain, s.makerIndex, s.received));
    }

    // ======================================================================== bookkeeping

    /// @dev Starts a step: what it is, and a fresh record of storage accesses.
    function _begin(uint256 domain, address actor) internal {
        step = Step(uint8(domain), actor, false, NO_ASSET);
        _changeCount = 0;
        for (uint256 t = 0; t < _ASSETS; ++t) if (_stepFlow[t] != 0) _stepFlow[t] = 0;
        vm.record();
    }

    /// @dev Ends a step: collects what it changed from the storage it wrote (every escrow's
    /// ledger, every token's balance of an escrow, every manager) and from the escrows' ETH.
    function _end() internal {
        for (uint256 d = 0; d < _DOMAINS; ++d) {
            for (uint256 e = 0; e < _escrows[d].length; ++e) _noteEscrow(d, e == 0, _escrows[d][e]);
            address manager = address(_domains[d].manager);
            (, bytes32[] memory writes) = vm.accesses(manager);
            if (writes.length != 0 && uint256(vm.load(manager, 0)) != _managerState[d]) {
                _record(
                    Change(
                        ChangeKind.Manager,
                        uint8(d),
                        false,
                        0,
                        0,
                        manager,
                        _managerState[d],
                        uint256(vm.load(manager, 0))
                    )
                );
                _managerState[d] = uint256(vm.load(manager, 0));
            }
        }
        for (uint256 t = 1; t < _ASSETS; ++t) _noteHoldingWrites(t);
    }

    function _record(Change memory change) private {
        if (_changeCount == _changes.length) _changes.push(change);
        else _changes[_changeCount] = change;
        ++_changeCount;
    }

    /// @dev An escrow the step did not touch (no storage read or written: every deposit, debit
    /// and send reads the ledger) changed neither its ledger nor its ETH.
    function _noteEscrow(uint256 d, bool instrumentEscrow, address escrow) private {
        (bytes32[] memory reads, bytes32[] memory writes) = vm.accesses(escrow);
        if (reads.length == 0 && writes.length == 0) return;
        _noteLedgerWrites(d, instrumentEscrow, escrow, writes);
        _noteHolding(d, instrumentEscrow, escrow, 0);
    }

    function _noteLedgerWrites(uint256 d, bool instrumentEscrow, address escrow, bytes32[] memory writes) private {
        for (uint256 i = 0; i < writes.length; ++i) {
            (bool known, uint256 u, uint256 t) = _ledgerEntry(writes[i]);
            if (!known) {
                _record(Change(ChangeKind.Stranger, uint8(d), instrumentEscrow, 0, 0, escrow, uint256(writes[i]), 0));
                continue;
            }
            uint256 entry = u * _ASSETS + t;
            uint256 before = _ledger[escrow][entry];
            uint256 afterwards = IEscrow(escrow).getTokenBalance(_users[u], _assets[t]);
            if (afterwards == before) continue;
            _ledger[escrow][entry] = afterwards;
            _record(
                Change(ChangeKind.Ledger, uint8(d), instrumentEscrow, uint8(u), uint8(t), escrow, before, afterwards)
            );
        }
    }

    /// @dev Which user's entry of which asset an escrow storage slot is, if any.
    function _ledgerEntry(bytes32 slot) private view returns (bool known, uint256 u, uint256 t) {
        for (u = 0; u < _USERS; ++u) {
            for (t = 0; t < _ASSETS; ++t) {
                if (keccak256(abi.encode(_assets[t], _userSlots[u])) == slot) return (true, u, t);
            }
        }
    }

    /// @dev The escrows whose balance of token `t` the step wrote.
    function _noteHoldingWrites(uint256 t) private {
        (, bytes32[] memory writes) = vm.accesses(_assets[t]);
        if (writes.length == 0) return;
        uint256 balanceSlot = t == _NO_RETURN_TOKEN ? 1 : 0;
        for (uint256 d = 0; d < _DOMAINS; ++d) {
            for (uint256 e = 0; e < _escrows[d].length; ++e) {
                bytes32 slot = keccak256(abi.encode(_escrows[d][e], balanceSlot));
                for (uint256 i = 0; i < writes.length; ++i) {
                    if (writes[i] != slot) continue;
                    _noteHolding(d, e == 0, _escrows[d][e], t);
                    break;
                }
            }
        }
    }

    function _noteHolding(uint256 d, bool instrumentEscrow, address escrow, uint256 t) private {
        uint256 before = _holding[escrow][t];
        uint256 afterwards = _held(escrow, t);
        if (afterwards == before) return;
        _holding[escrow][t] = afterwards;
        _record(Change(ChangeKind.Holding, uint8(d), instrumentEscrow, 0, uint8(t), escrow, before, afterwards));
        if (step.domain == ALL_DOMAINS && t == step.asset) rebased[escrow] += int256(afterwards) - int256(before);
    }

    /// @dev Calls domain `d`'s manager as `caller`, noting what a fee token burns meanwhile.
    function _callManager(uint256 d, address caller, bytes memory data) private returns (bool ok, bytes memory result) {
        step.managerMove = true;
        uint256 feeSupply = _supply(_FEE_TOKEN);
        uint256 adjustableFeeSupply = _supply(_ADJUSTABLE_FEE_TOKEN);
        vm.prank(caller);
        (ok, result) = address(_domains[d].manager).call(data);
        _stepFlow[_FEE_TOKEN] -= int256(feeSupply - _supply(_FEE_TOKEN));
        _stepFlow[_ADJUSTABLE_FEE_TOKEN] -= int256(adjustableFeeSupply - _supply(_ADJUSTABLE_FEE_TOKEN));
    }

    function _create(
        uint256 d,
        uint256 u,
        bytes memory makerData,
        bool mustSucceed,
        string memory what
    ) private returns (uint256 id) {
        (bool ok, bytes memory reason) = _callManager(
            d,
            _users[u],
            abi.encodeWithSignature("createIssuance(bytes)", makerData)
        );
        _expect(ok, reason, mustSucceed, what);
        if (!ok) return 0;
        id = abi.decode(reason, (uint256));
        _escrows[d].push(_issuanceEscrow(d, id));
    }

    /// @dev Deposits `amount` for user `u` (its wallet pays) and notes what was credited.
    function _deposit(uint256 d, uint256 u, uint256 t, uint256 amount) private {
        address user = _users[u];
        uint256 before = _ie(d, u, t);
        bool affordable = _walletBalance(user, t) >= amount;
        (bool ok, bytes memory reason) = (false, bytes(""));
        vm.prank(user);
        if (t == 0) (ok, reason) = address(_escrows[d][0]).call{value: amount}(abi.encodeWithSignature("deposit()"));
        else
            (ok, reason) = _escrows[d][0].call(
                abi.encodeWithSignature("depositToken(address,uint256)", _assets[t], amount)
            );
        if (ok) {
            uint256 credited = _ie(d, u, t) - before;
            deposited[d][u][t] += credited;
            _stepFlow[t] += int256(credited);
        }
        // A token that takes everything delivers nothing, which the escrow refuses to book.
        _expect(ok, reason, _feeNow(t) < _EVERYTHING && affordable, "deposit");
    }

    /// @dev Tops user `u`'s balance of asset `t` in domain `d` up to at least `amount`, when its
    /// wallet can (for a fee token the top-up may still fall short, and the action then reverts).
    function _ensureBalance(uint256 d, uint256 u, uint256 t, uint256 amount) private {
        uint256 balance = _ie(d, u, t);
        if (balance >= amount || amount > _MAX_AMOUNT * 100) return;
        _deposit(d, u, t, ((amount - balance) * _EVERYTHING) / (_EVERYTHING - _min(_feeNow(t), 2500)) + 1);
    }

    function _expect(bool ok, bytes memory reason, bool mustSucceed, string memory what) private {
        if (ok) return;
        bytes4 selector = reason.length >= 4 ? bytes4(reason) : bytes4(0);
        if (mustSucceed || reason.length == 0 || selector == _PANIC || selector == _ERROR_STRING) {
            if (unexpectedReverts++ == 0) {
                _firstUnexpected = what;
                _firstUnexpectedReason = reason;
            }
        }
    }

    function _unpaid(string memory what) private {
        if (unpaidSettlements++ == 0) _firstUnpaid = what;
    }

    function _breach(string memory what) private {
        if (minimumBreaches++ == 0) _firstBreach = what;
    }

    // ============================================================================ reading

    function _ie(uint256 d, uint256 u, uint256 t) private view returns (uint256) {
        return IEscrow(_escrows[d][0]).getTokenBalance(_users[u], _assets[t]);
    }

    /// @dev `_ie`, for a party that may be nobody (a loan's taker before it is engaged).
    function _ieOf(uint256 d, uint256 u, uint256 t) private view returns (uint256) {
        return u == type(uint256).max ? 0 : _ie(d, u, t);
    }

    function _held(address escrow, uint256 t) private view returns (uint256) {
        return t == 0 ? escrow.balance : IERC20(_assets[t]).balanceOf(escrow);
    }

    function _booked(address escrow, uint256 t) private view returns (uint256 total) {
        for (uint256 u = 0; u < _USERS; ++u) total += IEscrow(escrow).getTokenBalance(_users[u], _assets[t]);
    }

    function _requireSolvent(address escrow, uint256 t) private view {
        uint256 held = _held(escrow, t);
        uint256 booked = _booked(escrow, t);
        int256 drift = t == _REBASING_TOKEN ? rebased[escrow] : int256(0);
        if (int256(held) != int256(booked) + drift) revert Insolvent(escrow, _assets[t], held, booked, drift);
    }

    function _supply(uint256 t) private view returns (uint256) {
        return t == 0 ? 0 : IERC20(_assets[t]).totalSupply();
    }

    function _walletBalance(address user, uint256 t) private view returns (uint256) {
        return t == 0 ? user.balance : IERC20(_assets[t]).balanceOf(user);
    }

    function _feeNow(uint256 t) private view returns (uint256) {
        if (t == _FEE_TOKEN) return _platform.feeToken.feeBasisPoints();
        if (t == _ADJUSTABLE_FEE_TOKEN) return _platform.adjustableFeeToken.adjustedFeeBasisPoints();
        return 0;
    }

    /// @dev An asset whose transfers deliver what was sent and whose balances stay put.
    function _plain(uint256 t) private pure returns (bool) {
        return t != _FEE_TOKEN && t != _ADJUSTABLE_FEE_TOKEN && t != _REBASING_TOKEN;
    }

    /// @dev Whether user `u` can commit `amount` of `t` in domain `d` for sure.
    function _canCommit(uint256 d, uint256 u, uint256 t, uint256 amount) private view returns (bool) {
        return amount != 0 && _ie(d, u, t) >= amount && !(shrunk && t == _REBASING_TOKEN);
    }

    function _issuanceEscrow(uint256 d, uint256 id) private view returns (address) {
        return _domains[d].manager.getIssuanceEscrow(id);
    }

    function _loan(uint256 d) private view returns (ILoan) {
        return ILoan(_domains[d].instrument);
    }

    function _dueTime(uint256 d, uint256 id, bool engagement) private view returns (uint256) {
        address manager = address(_domains[d].manager);
        if (d == _LENDING || d == _BORROWING) {
            LoanIssuance memory issuance = _loan(d).getIssuance(manager, id);
            return engagement ? issuance.engagementDueTime : issuance.issuanceDueTime;
        }
        if (d == _MULTISWAP) return IMultiSwap(_domains[d].instrument).getIssuance(manager, id).dueTime;
        return ISwap(_domains[d].instrument).getIssuance(manager, id).dueTime;
    }

    function _makerOf(uint256 d, uint256 id) private view returns (address) {
        address manager = address(_domains[d].manager);
        if (d == _LENDING || d == _BORROWING) return _loan(d).getIssuance(manager, id).maker;
        if (d == _MULTISWAP) return IMultiSwap(_domains[d].instrument).getIssuance(manager, id).maker;
        return ISwap(_domains[d].instrument).getIssuance(manager, id).maker;
    }

    function _eventName(uint256 seed, bool isLoan) private pure returns (bytes32) {
        uint256 choice = _pick(seed, isLoan ? 5 : 2);
        if (choice == 0) return CANCEL_ISSUANCE;
        if (choice == 1) return ISSUANCE_DUE;
        if (choice == 2) return ENGAGEMENT_DUE;
        if (choice == 3) return REPAY_FULL;
        return MARGIN_CALL;
    }

    function _assetIndex(address asset) private view returns (uint256 t) {
        while (_assets[t] != asset) ++t;
    }

    function _userIndex(address user) private view returns (uint256 u) {
        while (_users[u] != user) ++u;
    }

    function _userIndexOrNone(address user) private view returns (uint256 u) {
        for (u = 0; u < _USERS; ++u) if (_users[u] == user) return u;
        return type(uint256).max;
    }

    // ============================================================================ bounding

    /// @dev An issuance id: half the time one of the three newest (most often still engageable),
    /// else any.
    function _issuance(uint256 seed, uint256 count) private pure returns (uint256) {
        return seed % 2 == 0 ? count - _pick(seed >> 1, _min(count, 3)) : 1 + _pick(seed >> 1, count);
    }

    function _user(uint256 seed) private view returns (address) {
        return _users[_pick(seed, _USERS)];
    }

    /// @dev One of the users, or (one time in five) the keeper, who holds nothing in any domain.
    function _userOrKeeper(uint256 seed) private view returns (address) {
        uint256 index = _pick(seed, _USERS + 1);
        return index == _USERS ? _platform.keeper : _users[index];
    }

    function _swapDomain(uint256 seed) private pure returns (uint256) {
        return seed % 2 == 0 ? _SWAP : _OTHER_SWAP;
    }

    function _loanDomain(uint256 seed) private pure returns (uint256) {
        return seed % 2 == 0 ? _LENDING : _BORROWING;
    }

    function _pick(uint256 seed, uint256 count) private pure returns (uint256) {
        return seed % count;
    }

    function _between(uint256 seed, uint256 low, uint256 high) private pure returns (uint256) {
        return low + (seed % (high - low + 1));
    }

    /// @dev Amounts from 1 unit to `_MAX_AMOUNT`; a quarter of them tiny, so rounding shows.
    function _amount(uint256 seed) private pure returns (uint256) {
        return seed % 4 == 0 ? _between(seed >> 2, 1, 1000) : _between(seed >> 2, 1, _MAX_AMOUNT);
    }

    function _duration(uint256 seed) private pure returns (uint256) {
        return _between(seed, 1 days, 30 days);
    }

    /// @dev Two different assets.
    function _tokenPair(uint256 seed) private pure returns (uint256 first, uint256 second) {
        first = _pick(seed, _ASSETS);
        second = (first + 1 + _pick(seed >> 8, _ASSETS - 1)) % _ASSETS;
    }

    /// @dev A taker minimum: none, exactly what arrives, or one more (which must be refused).
    function _takerMinimum(uint256 seed, uint256 arriving) private pure returns (uint256) {
        uint256 choice = (seed >> 2) % 3;
        return
            choice == 0
                ? 0
                : choice == 1
                    ? arriving
                    : arriving + 1;
    }

    function _fall(uint256 before, uint256 afterwards) private pure returns (uint256) {
        return before > afterwards ? before - afterwards : 0;
    }

    function _rise(uint256 before, uint256 afterwards) private pure returns (uint256) {
        return afterwards > before ? afterwards - before : 0;
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }

    function _max(uint256 a, uint256 b) private pure returns (uint256) {
        return a > b ? a : b;
    }
}
