"""The state machine of the stateful tier: random users acting on five instrument domains - two
Swap domains, a Lending, a Borrowing and a MultiSwap domain - and a model of all of them.

`EscrowMachine` keeps a plain Python model of every ledger (escrow, account, token), of what every
escrow really holds, of every issuance and of the price oracle's rates, and after every step
compares it with the chain. Each invariant (invariants.Invariants) reads one snapshot of the chain,
taken with a single JSON-RPC batch after the step (and the one taken after the previous step, as
"before"), so checking everything costs two round trips per step.

This module holds what the instruments share: the ledger model, the user's own deposits and
withdrawals, the events every instrument has (cancel_issuance, issuance_due), time, activations
and deactivations, and the snapshot. Each instrument's own rules and issuance model live in
swap_rules, loan_rules and multiswap_rules; model.py has the shared model pieces and the time rule.
"""

import importlib.util
import re
from collections import Counter, defaultdict
from pathlib import Path

import brownie.test.stateful
from brownie import chain
from brownie.exceptions import TransactionError, VirtualMachineError
from brownie.network.transaction import TransactionReceipt
from brownie.test import strategy
from chain_reads import (
    ADJUSTED_FEE,
    BALANCE_OF,
    GET_ISSUANCE,
    GET_TOKEN_BALANCE,
    IS_ACTIVE,
    ISSUANCE_COUNT,
    RATE_OF,
    TOTAL_SUPPLY,
    Snapshot,
    call_with,
    eth_call,
    low,
    rpc_batch,
)
from eth_abi import decode, encode
from invariants import Invariants
from loan_rules import BORROWING, INITIAL_RATES, LENDING, LoanRules
from model import HOUR, DomainModel, Step, duration, elapsed
from multiswap_rules import MULTISWAP, MultiSwapRules
from swap_rules import SWAP, SwapRules

from nuts_escrow import CANCEL_ISSUANCE, ISSUANCE_DUE, event_name
from support import ETH

__all__ = ["BASE_DOMAINS", "EscrowMachine", "low", "state_machine"]

FEE_BASIS_POINTS = 100
# The fees the machine sets on the adjustable-fee token (basis points): none, 1%, everything, a
# quarter, and one that the token refuses (FeeAboveEverything).
ADJUSTABLE_FEES = (0, 100, 10_000, 2_500, 10_001)
# The domains the fixtures activate, in this order (conftest.domains): each one's instrument.
BASE_DOMAINS = ("swap", "swap", "lending", "borrowing", "multiswap")
KINDS = {kind.name: kind for kind in (SWAP, LENDING, BORROWING, MULTISWAP)}
MAX_EXTRA_DOMAINS = 2
DROPPED = "Tx dropped without known replacement: "


def _pure_python_state_machine():
    """brownie's `state_machine`, from the pure-Python source that ships next to its mypyc build.

    The compiled `brownie.test.stateful` of eth-brownie 1.22.2 refuses its own generated machine
    class ("_BrownieStateMachine object expected"), so no state machine can run with it; its
    `.py` source, loaded as a separate module, is the same code and works.
    """
    source = Path(brownie.test.stateful.__file__).with_name("stateful.py")
    if not source.exists():
        return brownie.test.stateful.state_machine
    spec = importlib.util.spec_from_file_location("brownie_stateful_source", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.state_machine


state_machine = _pure_python_state_machine()


def send(fn, *args):
    """Sends the transaction `fn(*args)`: returns (receipt, None), or (None, its revert message).

    brownie sometimes reports a transaction Anvil mined as dropped ("Tx dropped without known
    replacement", see pytest.ini): its receipt polling saw the sender's nonce go up before the
    receipt was there. Here, where a rerun would repeat the whole machine, such a transaction's
    receipt is fetched again instead.
    """
    try:
        return fn(*args), None
    except VirtualMachineError as exc:
        return None, exc.revert_msg or ""
    except TransactionError as exc:
        if not str(exc).startswith(DROPPED):
            raise
        tx = TransactionReceipt(str(exc).split()[-1])
        return (tx, None) if tx.status == 1 else (None, tx.revert_msg or "")


class EscrowMachine(SwapRules, LoanRules, MultiSwapRules, Invariants):
    """Random deposits, withdrawals, issuances of every instrument and their events, price changes,
    fee changes of the adjustable-fee token, time jumps, activations and deactivations.

    Hypothesis enables a random subset of the rules in each example (swarm testing), so an
    instrument's create, engage and repay rules are seldom all enabled together; the
    `initialize_*` rules therefore open one issuance in each instrument's first domain at the start
    of every example (with random terms, which may be refused like any other), so the rules acting
    on issuances have something to act on whichever of them are enabled.
    """

    st_domain = strategy("uint8", max_value=len(BASE_DOMAINS) - 1)
    st_user = strategy("uint8", max_value=3)
    st_caller = strategy("uint8", max_value=5)
    st_token = strategy("uint8", max_value=4)
    st_amount = strategy("uint256", max_value=10**19)
    st_percent = strategy("uint8", min_value=1, max_value=100)
    st_index = strategy("uint8")
    st_hours = strategy("uint8", min_value=1, max_value=6)
    st_duration = strategy("uint8", max_value=5)
    st_flag = strategy("bool")
    st_limit = strategy("uint8", max_value=4)

    # Added to the amount the always-exit check asks for; only the fault tests change it.
    exit_extra = 0
    # (step kind, "ok" | the error it reverted with) -> how many, over all examples: what the run
    # covered ("nothing": a step that sent nothing).
    stats = Counter()

    def __init__(cls, registry, domains, users, providers, assets, funding, oracle):
        cls.registry = registry
        cls.swap = domains[0].instrument
        cls.base_domains = domains
        cls.users = list(users)
        cls.providers = list(providers)
        cls.assets = assets
        cls.funding = {low(token): amount for token, amount in funding.items()}
        cls.fee_token = low(assets[3][0])  # a fixed 1% fee
        cls.adjustable = assets[4][1]  # a fee anyone may change (AdjustableFeeToken), 0 at the start
        cls.adjustable_token = low(assets[4][0])
        cls.fee_tokens = (cls.fee_token, cls.adjustable_token)
        cls.domain_ids = [int(dom.manager.domainId()) for dom in domains]
        cls.oracle = oracle
        cls.oracle_owner = oracle.owner()
        token_keys = [low(key) for key, _ in assets]
        cls.initial_rates = {
            (token_keys[base], token_keys[quote]): rate for (base, quote), rate in INITIAL_RATES.items()
        }

    # ------------------------------------------------------------------------------ lifecycle

    def setup(self):
        self.domains = [
            DomainModel(KINDS[base.name], base.instrument, base.manager, base.escrow, low(base.provider), domain_id)
            for base, domain_id in zip(self.base_domains, self.domain_ids, strict=True)
        ]
        self.user_keys = [low(user) for user in self.users]
        self.token_keys = [low(key) for key, _ in self.assets]
        self.fee_bps = {self.fee_token: FEE_BASIS_POINTS, self.adjustable_token: 0}
        self.ledger = defaultdict(int)  # (escrow, account, token) -> booked
        self.held = defaultdict(int)  # (escrow, token) -> really held
        for dom in self.domains:
            for token, amount in self.funding.items():
                credited = amount - self.fee(token, amount)
                for account in self.user_keys:
                    self.ledger[(low(dom.escrow), account, token)] = credited
                    self.held[(low(dom.escrow), token)] += credited
        self.rates = dict(self.initial_rates)  # (base, quote) -> (numerator, denominator) as set
        self.clock = 0  # seconds slept in this example
        self.step = Step("setup", None, None)
        self.step_no = 0
        self._cache = None
        self.before = self.snapshot()

    def teardown(self):
        self._count_step()

    # ------------------------------------------------------------------------------- helpers

    def fee(self, token, amount):
        """What a transfer of `amount` of `token` burns on the way, at the token's fee now."""
        return amount * self.fee_bps.get(token, 0) // 10_000

    def arrives(self, token, amount):
        """What a transfer of `amount` of `token` credits its recipient with."""
        return amount - self.fee(token, amount)

    def held_for(self, issuance, account, token):
        """What `issuance`'s escrow holds of `token` for `account` (its WHOLE_BALANCE)."""
        return self.ledger[(issuance.escrow, account, token)]

    @staticmethod
    def stated(mode, arriving):
        """A taker's optional minimum, by `mode` (0-4): none (empty or short taker data), exactly
        what will arrive, one below it, one above it (which must revert), or exactly it."""
        if mode == 0:
            return None
        return (arriving, max(0, arriving - 1), arriving + 1, arriving)[mode - 1]

    @staticmethod
    def short_of(arriving, minimum):
        """The revert of a transfer crediting `arriving` that must credit at least `minimum`."""
        return "ManagerCreditBelowMinimum" if arriving < minimum else None

    def _count_step(self):
        if self.step.kind != "setup":
            self.stats[(self.step.kind, "ok" if self.step.ok else self.step.error or "nothing")] += 1

    def begin(self, kind, actor, domain):
        """Starts a step: the snapshot taken after the last step becomes `before`."""
        self._count_step()
        self.before = self.snapshot()
        self.step_no += 1
        self.step = Step(kind, low(actor) if actor is not None else None, domain)

    def transact(self, error, fn, *args):
        """Sends a transaction; it must revert with custom error `error`, or succeed if None."""
        self.step.error = error
        tx, revert_msg = send(fn, *args)
        if revert_msg is not None:
            if error is None:
                raise AssertionError(f"{self.step.kind} reverted unexpectedly: {revert_msg}")
            # The error's whole name: "SwapNotMaker" must not accept "SwapNotMakerOf...".
            assert re.match(rf"{error}\b", revert_msg), f"{self.step.kind}: expected {error}, got {revert_msg}"
            return None
        assert error is None, f"{self.step.kind} succeeded but should revert with {error}"
        self.step.ok = True
        return tx

    def domain_of(self, name, index):
        """The index of the `index`-th (modulo) base domain of instrument `name`."""
        found = [domain_index for domain_index, base in enumerate(BASE_DOMAINS) if base == name]
        return found[index % len(found)]

    def is_due(self, issuance):
        return elapsed(self.clock, issuance.created_clock, issuance.duration_hours)

    def balance(self, dom, account, token):
        """What `account` holds of `token` in the domain's Instrument Escrow, in the model."""
        return self.ledger[(low(dom.escrow), account, token)]

    def move(self, source, source_account, destination, destination_account, token, amount):
        """Model of a manager move between two escrows: returns what arrived."""
        self.ledger[(source, source_account, token)] -= amount
        self.held[(source, token)] -= amount
        credited = amount - self.fee(token, amount)
        self.ledger[(destination, destination_account, token)] += credited
        self.held[(destination, token)] += credited
        return credited

    def commit(self, dom, issuance, account, token, amount):
        """An Inbound transfer: `amount` from `account`'s Instrument Escrow account to its account
        in the issuance escrow."""
        self.move(low(dom.escrow), account, issuance.escrow, account, token, amount)

    def pay(self, dom, token, source, destination, amount):
        """An IntraInstrument transfer: a ledger move inside the Instrument Escrow (no fee)."""
        escrow = low(dom.escrow)
        self.ledger[(escrow, source, token)] -= amount
        self.ledger[(escrow, destination, token)] += amount

    def release(self, dom, issuance, token, source_account, recipient, amount):
        """An Outbound transfer: `amount` of what the issuance escrow holds for `source_account`,
        to `recipient`'s Instrument Escrow account (the manager skips a zero amount)."""
        if amount:
            self.move(issuance.escrow, source_account, low(dom.escrow), recipient, token, amount)

    def return_whole(self, dom, issuance, token, source_account, recipient):
        """An Outbound WHOLE_BALANCE transfer: all the issuance escrow holds of `token` for
        `source_account`."""
        self.release(
            dom, issuance, token, source_account, recipient, self.ledger[(issuance.escrow, source_account, token)]
        )

    def pick(self, dom, index):
        """An issuance id of `dom`, one past the last now and then (unknown)."""
        return index % (len(dom.issuances) + 1) + 1

    def target(self, dom, index, candidates, any_id):
        """The id of one of `candidates`, or of any issuance (`pick`) if `any_id` or there are none."""
        if candidates and not any_id:
            return candidates[index % len(candidates)].issuance_id
        return self.pick(dom, index)

    def open_issuances(self, dom):
        return [
            issuance
            for issuance in dom.issuances
            if issuance.state == dom.kind.states.ENGAGEABLE and not self.is_due(issuance)
        ]

    def taker_for(self, dom, user_index, maker, token, amount):
        """A user other than `maker`, chosen by `user_index`: one holding `amount` of `token` in the domain's
        Instrument Escrow if any does."""
        others = [i for i, key in enumerate(self.user_keys) if key != maker]
        payers = [i for i in others if self.balance(dom, self.user_keys[i], token) >= amount]
        return self.users[(payers or others)[user_index % len(payers or others)]]

    def engage_error(self, dom, issuance, taker):
        """The revert of an engagement by `taker` of `issuance` of `dom` (None: unknown) that every
        instrument checks first (InstrumentCore), or None."""
        if issuance is None:
            return "ManagerUnknownIssuance"
        if issuance.state != dom.kind.states.ENGAGEABLE:
            return "InstrumentWrongState"
        if self.is_due(issuance):
            return "InstrumentIssuanceDue"
        if taker == issuance.maker:
            return "InstrumentMakerCannotEngage"
        return None

    def engaged_as(self, tx, engagement_id):
        """The engagement succeeded as engagement `engagement_id`."""
        assert tx.events["IssuanceEngaged"]["engagementId"] == engagement_id

    def funded(self, domain_index, minimum=1):
        """[(user index, token index, balance)] of domain `domain_index`'s Instrument Escrow, at least `minimum`."""
        escrow = low(self.domains[domain_index].escrow)
        return [
            (user_index, token_index, self.ledger[(escrow, self.user_keys[user_index], self.token_keys[token_index])])
            for user_index in range(len(self.users))
            for token_index in range(len(self.assets))
            if self.ledger[(escrow, self.user_keys[user_index], self.token_keys[token_index])] >= minimum
        ]

    def offer(self, domain_index, index, percent):
        """What a maker commits: (user index, token index, balance, amount), `percent` of a balance
        in domain `domain_index` (or 1 + percent of something a user lacks, when nobody holds anything)."""
        funded = self.funded(domain_index)
        if funded:
            user_index, token_index, balance = funded[index % len(funded)]
            return user_index, token_index, balance, max(1, balance * percent // 100)
        return index % len(self.users), index // 4 % len(self.assets), 0, 1 + percent

    def other_token(self, domain_index, index, percent, shift):
        """A token index other than the one `offer(d, index, percent)` commits: for the initialize
        rules, whose issuances should mostly be valid."""
        return (self.offer(domain_index, index, percent)[1] + 1 + shift % (len(self.assets) - 1)) % len(self.assets)

    def create(self, domain_index, user, error, terms, hours, build):
        """Sends createIssuance with maker data `terms`; it must revert with `error` (or with
        ManagerDeactivated in a deactivated domain). On success returns the new issuance's model,
        `build` called with the fields every issuance has, already in the domain's list."""
        dom = self.domains[domain_index]
        self.begin(f"{dom.kind.name} create", user, domain_index)
        tx = self.transact(
            error if dom.active else "ManagerDeactivated", dom.manager.createIssuance, terms, {"from": user}
        )
        if tx is None:
            return None
        created = tx.events["IssuanceCreated"]
        issuance = build(
            issuance_id=len(dom.issuances) + 1,
            escrow=low(created["issuanceEscrow"]),
            maker=low(user),
            due_time=tx.timestamp + duration(hours),
            created_clock=self.clock,
            duration_hours=hours,
            state=dom.kind.states.ENGAGEABLE,
        )
        assert created["issuanceId"] == issuance.issuance_id
        dom.issuances.append(issuance)
        return issuance

    def send_event(self, domain_index, user, name, error, issuance_id, engagement_id=0, data=b""):
        """`user` sends event `name` (a bytes32, nuts_escrow's constants) about an issuance of domain
        `domain_index`; it must revert with `error`."""
        dom = self.domains[domain_index]
        manager = dom.manager
        return self.transact(error, manager.processEvent, issuance_id, engagement_id, name, data, {"from": user})

    @staticmethod
    def issuance_event(index):
        """The engagement id an event about a whole issuance names: 0, and now and then another
        (then InstrumentUnknownEngagement)."""
        return 1 if index >= 232 else 0

    # --------------------------------------------------------------------------- user funds

    def rule_deposit(self, domain_index="st_domain", user_index="st_user", token_index="st_token", amount="st_amount"):
        """A user deposits ETH or a token on its own account (zero reverts)."""
        dom, user = self.domains[domain_index], self.users[user_index]
        token, contract = self.assets[token_index]
        self.begin("deposit", user, domain_index)
        # Nothing arriving (a fee of everything) books nothing: refused like a zero deposit.
        error = "EscrowZeroAmount" if self.arrives(low(token), amount) == 0 else None
        if token == ETH:
            ok = self.transact(error, dom.escrow.deposit, {"from": user, "value": amount})
        else:
            ok = self.transact(error, dom.escrow.depositToken, contract, amount, {"from": user})
        if ok is not None:
            key = low(token)
            credited = amount - self.fee(key, amount)
            self.ledger[(low(dom.escrow), low(user), key)] += credited
            self.held[(low(dom.escrow), key)] += credited

    def _withdraw(self, domain_index, user, token_index, amount, error):
        dom = self.domains[domain_index]
        token, contract = self.assets[token_index]
        key, escrow = low(token), low(dom.escrow)
        self.begin("withdraw", user, domain_index)
        if token == ETH:
            ok = self.transact(error, dom.escrow.withdraw, amount, {"from": user})
        else:
            ok = self.transact(error, dom.escrow.withdrawToken, contract, amount, {"from": user})
        if ok is not None:
            self.ledger[(escrow, low(user), key)] -= amount
            self.held[(escrow, key)] -= amount

    def rule_withdraw(self, domain_index="st_domain", index="st_index", percent="st_percent"):
        """A user with a balance withdraws part or all of it."""
        funded = self.funded(domain_index)
        if not funded:
            user_index, token_index = index % len(self.users), index // 4 % len(self.assets)
            return self._withdraw(domain_index, self.users[user_index], token_index, 1, "EscrowInsufficientBalance")
        user_index, token_index, balance = funded[index % len(funded)]
        self._withdraw(domain_index, self.users[user_index], token_index, max(1, balance * percent // 100), None)

    def rule_oddity(
        self,
        domain_index="st_domain",
        user_index="st_user",
        token_index="st_token",
        kind="st_index",
        amount="st_amount",
    ):
        """Invalid or unusual moves: withdrawing zero, more than the balance or ETH as a token, ETH
        sent straight to an escrow or a manager, an unknown event (all revert), or fee tokens sent
        straight to an escrow (held, booked to nobody)."""
        dom, user = self.domains[domain_index], self.users[user_index]
        balance = self.ledger[(low(dom.escrow), self.user_keys[user_index], self.token_keys[token_index])]
        kind %= 6
        if kind == 0:
            return self._withdraw(domain_index, user, token_index, 0, "EscrowZeroAmount")
        if kind == 1:
            return self._withdraw(domain_index, user, token_index, balance + 1 + amount, "EscrowInsufficientBalance")
        if kind == 2:
            self.begin("withdraw", user, domain_index)
            self.transact("EscrowEthIsNotAToken", dom.escrow.withdrawToken, ETH, 1, {"from": user})
        elif kind == 3:
            to_manager = amount % 2 == 1
            self.begin("send_eth", user, domain_index)
            error = "ManagerUnexpectedEth" if to_manager else "EscrowUnexpectedEth"
            self.transact(error, user.transfer, dom.manager if to_manager else dom.escrow, amount + 1)
        elif kind == 4:
            # An unknown event, or a known one with event data: whatever the engagement it names.
            issuance_id = self.pick(dom, amount)
            data = b"" if amount % 2 else encode(["uint256"], [amount])
            if issuance_id > len(dom.issuances):
                error = "ManagerUnknownIssuance"
            else:
                error = "InstrumentInvalidEventData" if data else "InstrumentUnknownEvent"
            self.begin("event", user, domain_index)
            self.send_event(
                domain_index,
                user,
                event_name("bogus") if not data else ISSUANCE_DUE,
                error,
                issuance_id,
                amount % 3,
                data,
            )
        else:
            self.begin("donate", user, domain_index)
            contract = self.assets[3][1]
            if self.transact(None, contract.transfer, dom.escrow, amount, {"from": user}) is not None:
                self.held[(low(dom.escrow), self.fee_token)] += amount - self.fee(self.fee_token, amount)

    # ------------------------------------------------------------- events every instrument has

    def rule_cancel(self, domain_index="st_domain", user_index="st_user", index="st_index", as_maker="st_flag"):
        """The maker cancels an engageable issuance of any instrument and takes back what the
        issuance escrow holds of its commitment; anyone else, a finished or unknown issuance, or
        naming an engagement, reverts."""
        dom = self.domains[domain_index]
        engageable = [issuance for issuance in dom.issuances if issuance.state == dom.kind.states.ENGAGEABLE]
        if as_maker and engageable:
            issuance = engageable[index % len(engageable)]
            issuance_id, user = issuance.issuance_id, self.users[self.user_keys.index(issuance.maker)]
        else:
            issuance_id, user = self.pick(dom, index), self.users[user_index]
            issuance = dom.issuance(issuance_id)
        engagement_id = self.issuance_event(index)
        if issuance is None:
            error = "ManagerUnknownIssuance"
        elif engagement_id != 0:
            error = "InstrumentUnknownEngagement"
        elif issuance.state != dom.kind.states.ENGAGEABLE:
            error = "InstrumentWrongState"
        elif low(user) != issuance.maker:
            error = "InstrumentWrongCaller"
        else:
            error = None
        self.begin(f"{dom.kind.name} cancel", user, domain_index)
        if self.send_event(domain_index, user, CANCEL_ISSUANCE, error, issuance_id, engagement_id) is not None:
            issuance.state = dom.kind.states.CANCELLED
            self.return_whole(dom, issuance, issuance.committed_token, issuance.maker, issuance.maker)

    def rule_close_due(self, domain_index="st_domain", user_index="st_user", index="st_index", only_due="st_flag"):
        """Anyone sends issuance_due, to any instrument: it closes a due engageable issuance and the
        maker's commitment returns; early, repeated or after engagement it changes nothing.
        Naming an engagement reverts."""
        dom, user = self.domains[domain_index], self.users[user_index]
        due = [
            issuance
            for issuance in dom.issuances
            if issuance.state == dom.kind.states.ENGAGEABLE and self.is_due(issuance)
        ]
        issuance_id = self.target(dom, index, due, not only_due)
        issuance = dom.issuance(issuance_id)
        engagement_id = self.issuance_event(index)
        error = "InstrumentUnknownEngagement" if engagement_id != 0 else None
        if issuance is None:
            error = "ManagerUnknownIssuance"
        self.begin(f"{dom.kind.name} close", user, domain_index)
        sent = self.send_event(domain_index, user, ISSUANCE_DUE, error, issuance_id, engagement_id)
        if sent is not None and issuance.state == dom.kind.states.ENGAGEABLE and self.is_due(issuance):
            issuance.state = dom.kind.expired
            self.return_whole(dom, issuance, issuance.committed_token, issuance.maker, issuance.maker)

    # ------------------------------------------------------------------------- the fee token

    def rule_set_fee(self, user_index="st_user", choice="st_index"):
        """Anyone sets the adjustable-fee token's fee, between steps: none, 1%, everything (then
        nobody can be paid in it: settlements that must credit something revert), a quarter; above
        everything reverts."""
        user, fee = self.users[user_index], ADJUSTABLE_FEES[choice % len(ADJUSTABLE_FEES)]
        self.begin("fee set", user, None)
        error = "FeeAboveEverything" if fee > 10_000 else None
        if self.transact(error, self.adjustable.setFeeBasisPoints, fee, {"from": user}) is not None:
            self.fee_bps[self.adjustable_token] = fee

    # ------------------------------------------------------------------------ time and domains

    def rule_sleep(self, hours="st_hours"):
        """Time passes."""
        self.begin("sleep", None, None)
        chain.sleep(hours * HOUR)
        self.clock += hours * HOUR
        self.step.ok = True

    def rule_deactivate(self, domain_index="st_domain", caller_index="st_caller"):
        """A provider deactivates its domain (anyone else, or twice, reverts)."""
        dom = self.domains[domain_index]
        caller = (self.providers + self.users)[caller_index]
        if low(caller) != dom.provider:
            error = "RegistryNotProvider"
        elif not dom.active:
            error = "RegistryDomainInactive"
        else:
            error = None
        self.begin("deactivate", caller, domain_index)
        if self.transact(error, self.registry.deactivateInstrument, dom.domain_id, {"from": caller}) is not None:
            dom.active = False

    def rule_activate(self, caller_index="st_caller"):
        """Someone activates another Swap domain through the same registry (at most two more)."""
        from brownie import InstrumentEscrow, InstrumentManager

        caller = (self.providers + self.users)[caller_index]
        self.begin("activate", caller, None)
        if len(self.domains) >= len(BASE_DOMAINS) + MAX_EXTRA_DOMAINS:
            return
        tx = self.transact(None, self.registry.activateInstrument, self.swap, {"from": caller})
        activated = tx.events["InstrumentActivated"]
        self.domains.append(
            DomainModel(
                SWAP,
                self.swap,
                InstrumentManager.at(activated["manager"]),
                InstrumentEscrow.at(activated["instrumentEscrow"]),
                low(caller),
                int(activated["domainId"]),
            )
        )

    # ----------------------------------------------------------------------------- snapshots

    def snapshot(self):
        """The chain's values for every key of the model, read in one batch (cached per step)."""
        if self._cache is not None and self._cache[0] == self.step_no:
            return self._cache[1]
        keys, calls = [], []
        for domain_index, dom in enumerate(self.domains):
            manager = low(dom.manager)
            for escrow in dom.escrows:
                for token in self.token_keys:
                    keys.append(("held", domain_index, escrow, token))
                    if token == low(ETH):
                        calls.append(("eth_getBalance", [escrow, "latest"]))
                    else:
                        calls.append(eth_call(token, call_with(BALANCE_OF, ("address",), (escrow,))))
                    for account in self.user_keys:
                        keys.append(("ledger", domain_index, escrow, account, token))
                        data = call_with(GET_TOKEN_BALANCE, ("address", "address"), (account, token))
                        calls.append(eth_call(escrow, data))
            keys += [("count", domain_index), ("active", domain_index), ("manager_eth", domain_index)]
            calls += [
                eth_call(manager, ISSUANCE_COUNT),
                eth_call(manager, IS_ACTIVE),
                ("eth_getBalance", [manager, "latest"]),
            ]
            for issuance_id in range(1, len(dom.issuances) + 2):
                keys.append(("issuance", domain_index, issuance_id))
                data = call_with(GET_ISSUANCE, ("address", "uint256"), (manager, issuance_id))
                calls.append(eth_call(low(dom.instrument), data))
        for pair in self.rate_pairs():
            keys.append(("rate", *pair))
            calls.append(eth_call(low(self.oracle), call_with(RATE_OF, ("address", "address"), pair)))
        for token in self.fee_tokens:
            keys.append(("supply", token))
            calls.append(eth_call(token, TOTAL_SUPPLY))
        keys.append(("fee", self.adjustable_token))
        calls.append(eth_call(self.adjustable_token, ADJUSTED_FEE))
        values = {}
        for key, answer in zip(keys, rpc_batch(calls), strict=True):
            assert "error" not in answer, f"reading {key} failed: {answer['error']}"
            if key[0] == "issuance":
                values[key] = self.domains[key[1]].kind.decode(bytes.fromhex(answer["result"][2:]))
            elif key[0] == "rate":
                values[key] = decode(["uint256", "uint256"], bytes.fromhex(answer["result"][2:]))
            else:
                values[key] = int(answer["result"], 16)
        snap = Snapshot(values, {domain_index: dom.escrows for domain_index, dom in enumerate(self.domains)})
        self._cache = (self.step_no, snap)
        return snap

    def rate_pairs(self):
        """Every ordered pair of different assets."""
        return [(base, quote) for base in self.token_keys for quote in self.token_keys if base != quote]

    def expected(self):
        """The model's values, keyed like `snapshot()`."""
        values = {}
        for domain_index, dom in enumerate(self.domains):
            for escrow in dom.escrows:
                for token in self.token_keys:
                    values[("held", domain_index, escrow, token)] = self.held[(escrow, token)]
                    for account in self.user_keys:
                        values[("ledger", domain_index, escrow, account, token)] = self.ledger[(escrow, account, token)]
            values[("count", domain_index)] = len(dom.issuances)
            values[("active", domain_index)] = int(dom.active)
            values[("manager_eth", domain_index)] = 0
            for issuance in dom.issuances:
                values[("issuance", domain_index, issuance.issuance_id)] = issuance.record()
            values[("issuance", domain_index, len(dom.issuances) + 1)] = dom.kind.empty_record()
        for pair in self.rate_pairs():
            values[("rate", *pair)] = self.rates.get(pair, (0, 0))
        values[("fee", self.adjustable_token)] = self.fee_bps[self.adjustable_token]
        return values
