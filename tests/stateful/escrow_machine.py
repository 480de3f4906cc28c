"""The state machine of the stateful tier: random users acting on two Swap domains, and a model.

`EscrowMachine` keeps a plain Python model of every ledger (escrow, account, token), of what every
escrow really holds and of every swap, and after every step compares it with the chain. Each
invariant reads one snapshot of the chain, taken with a single JSON-RPC batch after the step
(and the one taken after the previous step, as "before"), so checking everything costs two
round trips per step.

Time: durations are whole hours plus half an hour and the machine sleeps whole hours, so the
seconds that pass while a step runs never decide whether a swap is due: a swap created at model
clock c with duration h hours (+30 min) is due exactly when the clock reaches c + (h + 1) hours.
"""

import importlib.util
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import brownie.test.stateful
import requests
from brownie import chain, web3
from brownie.exceptions import VirtualMachineError
from brownie.test import strategy
from eth_abi import decode, encode

from support import ETH, event_name, swap_terms

HOUR = 3600
FEE_BASIS_POINTS = 100
NONE, ENGAGEABLE, CANCELLED, COMPLETE_ENGAGED, COMPLETE_NOT_ENGAGED = range(5)
# Steps in which a manager moves assets between a domain's escrows.
MANAGER_MOVES = {"create", "engage", "cancel", "close"}
MAX_EXTRA_DOMAINS = 2


def low(value):
    """An address (or contract, or account) as a lowercase hex string: the model's key."""
    return str(getattr(value, "address", value)).lower()


def selector(signature):
    return bytes(web3.keccak(text=signature)[:4])


BALANCE_OF = selector("balanceOf(address)")
TOTAL_SUPPLY = selector("totalSupply()")
GET_TOKEN_BALANCE = selector("getTokenBalance(address,address)")
ISSUANCE_COUNT = selector("issuanceCount()")
IS_ACTIVE = selector("isActive()")
GET_ISSUANCE = selector("getIssuance(address,uint256)")
WITHDRAW = selector("withdraw(uint256)")
WITHDRAW_TOKEN = selector("withdrawToken(address,uint256)")
SWAP_FIELDS = ["address", "uint64", "uint8", "address", "address", "uint256", "uint256"]

_session = requests.Session()


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


def rpc_batch(calls):
    """Sends [(method, params)] as one JSON-RPC batch; returns the responses in order."""
    payload = [{"jsonrpc": "2.0", "id": i, "method": m, "params": p} for i, (m, p) in enumerate(calls)]
    if not payload:
        return []
    answer = _session.post(web3.provider.endpoint_uri, json=payload, timeout=120).json()
    by_id = {item["id"]: item for item in answer}
    return [by_id[i] for i in range(len(payload))]


def eth_call(to, data, sender=None):
    params = {"to": to, "data": "0x" + data.hex()}
    if sender:
        params["from"] = sender
    return ("eth_call", [params, "latest"])


@dataclass
class SwapModel:
    issuance_id: int
    escrow: str
    maker: str
    due_time: int
    input_token: str
    output_token: str
    input_amount: int
    output_amount: int
    created_clock: int
    duration_hours: int
    state: int = ENGAGEABLE

    def record(self):
        """What Swap.getIssuance should answer."""
        return (
            self.maker,
            self.due_time,
            self.state,
            self.input_token,
            self.output_token,
            self.input_amount,
            self.output_amount,
        )


@dataclass
class DomainModel:
    manager: object
    escrow: object
    provider: str
    domain_id: int
    tracked: bool = True
    active: bool = True

    def __post_init__(self):
        self.swaps = []

    @property
    def escrows(self):
        return [low(self.escrow)] + [s.escrow for s in self.swaps]


@dataclass
class Step:
    kind: str
    actor: str | None
    domain: int | None
    ok: bool = False


class Snapshot:
    """Chain values keyed like the model; `escrows[d]` lists domain d's escrows."""

    def __init__(self, values, escrows):
        self.values = values
        self.escrows = escrows

    def ledger_total(self, d, token, escrow=None):
        return sum(
            v
            for k, v in self.values.items()
            if k[0] == "ledger" and k[1] == d and k[4] == token and (escrow is None or k[2] == escrow)
        )

    def held_total(self, d, token):
        return sum(v for k, v in self.values.items() if k[0] == "held" and k[1] == d and k[3] == token)

    def domain_values(self, d):
        return {k: v for k, v in self.values.items() if len(k) > 1 and k[1] == d}


class EscrowMachine:
    """Random deposits, withdrawals, swaps, time jumps, activations and deactivations."""

    st_domain = strategy("uint8", max_value=1)
    st_user = strategy("uint8", max_value=3)
    st_caller = strategy("uint8", max_value=5)
    st_token = strategy("uint8", max_value=3)
    st_amount = strategy("uint256", max_value=10**19)
    st_percent = strategy("uint8", min_value=1, max_value=100)
    st_index = strategy("uint8")
    st_hours = strategy("uint8", min_value=1, max_value=6)
    st_duration = strategy("uint8", max_value=5)
    st_flag = strategy("bool")

    # Added to the amount the always-exit check asks for; only the fault tests change it.
    exit_extra = 0
    # (step kind, "ok" | "reverted") -> how many, over all examples: what the run covered.
    stats = Counter()

    def __init__(cls, registry, swap, domains, users, providers, assets, funding):
        cls.registry = registry
        cls.swap = swap
        cls.base_domains = domains
        cls.users = list(users)
        cls.providers = list(providers)
        cls.assets = assets
        cls.funding = {low(token): amount for token, amount in funding.items()}
        cls.fee_token = low(assets[3][0])
        cls.domain_ids = [int(manager.domainId()) for manager, _ in domains]

    # ------------------------------------------------------------------------------ lifecycle

    def setup(self):
        self.domains = [
            DomainModel(manager, escrow, low(provider), domain_id)
            for (manager, escrow), provider, domain_id in zip(
                self.base_domains, self.providers, self.domain_ids, strict=True
            )
        ]
        self.user_keys = [low(u) for u in self.users]
        self.token_keys = [low(key) for key, _ in self.assets]
        self.ledger = defaultdict(int)  # (escrow, account, token) -> booked
        self.held = defaultdict(int)  # (escrow, token) -> really held
        for dom in self.domains:
            for token, amount in self.funding.items():
                credited = amount - self.fee(token, amount)
                for account in self.user_keys:
                    self.ledger[(low(dom.escrow), account, token)] = credited
                    self.held[(low(dom.escrow), token)] += credited
        self.clock = 0  # seconds slept in this example
        self.step = Step("setup", None, None)
        self.step_no = 0
        self._cache = None
        self.before = self.snapshot()

    # ------------------------------------------------------------------------------- helpers

    def fee(self, token, amount):
        """What a transfer of `amount` of `token` burns on the way."""
        return amount * FEE_BASIS_POINTS // 10_000 if token == self.fee_token else 0

    def begin(self, kind, actor, domain):
        """Starts a step: the snapshot taken after the last step becomes `before`."""
        self.stats[(self.step.kind, "ok" if self.step.ok else "reverted")] += 1
        self.before = self.snapshot()
        self.step_no += 1
        self.step = Step(kind, low(actor) if actor is not None else None, domain)

    def transact(self, error, fn, *args):
        """Sends a transaction; it must revert with custom error `error`, or succeed if None."""
        try:
            tx = fn(*args)
        except VirtualMachineError as exc:
            if error is None:
                raise AssertionError(f"{self.step.kind} reverted unexpectedly: {exc.revert_msg}") from exc
            assert (exc.revert_msg or "").startswith(error), f"{self.step.kind}: expected {error}, got {exc.revert_msg}"
            return None
        assert error is None, f"{self.step.kind} succeeded but should revert with {error}"
        self.step.ok = True
        return tx

    def is_due(self, s):
        return self.clock - s.created_clock >= (s.duration_hours + 1) * HOUR

    def pick(self, dom, index):
        """An issuance id of `dom`, one past the last now and then (unknown)."""
        return index % (len(dom.swaps) + 1) + 1

    def move(self, source, source_account, destination, destination_account, token, amount):
        """Model of a manager move between two escrows: returns what arrived."""
        self.ledger[(source, source_account, token)] -= amount
        self.held[(source, token)] -= amount
        credited = amount - self.fee(token, amount)
        self.ledger[(destination, destination_account, token)] += credited
        self.held[(destination, token)] += credited
        return credited

    def return_input(self, dom, s, recipient):
        """The Swap's Outbound transfer: all the issuance escrow holds for the maker."""
        amount = self.ledger[(s.escrow, s.maker, s.input_token)]
        if amount:
            self.move(s.escrow, s.maker, low(dom.escrow), recipient, s.input_token, amount)

    # --------------------------------------------------------------------------- user funds

    def rule_deposit(self, d="st_domain", u="st_user", t="st_token", amount="st_amount"):
        """A user deposits ETH or a token on its own account (zero reverts)."""
        dom, user = self.domains[d], self.users[u]
        token, contract = self.assets[t]
        self.begin("deposit", user, d)
        error = "EscrowZeroAmount" if amount == 0 else None
        if token == ETH:
            ok = self.transact(error, dom.escrow.deposit, {"from": user, "value": amount})
        else:
            ok = self.transact(error, dom.escrow.depositToken, contract, amount, {"from": user})
        if ok is not None:
            key = low(token)
            credited = amount - self.fee(key, amount)
            self.ledger[(low(dom.escrow), low(user), key)] += credited
            self.held[(low(dom.escrow), key)] += credited

    def _withdraw(self, d, user, t, amount, error):
        dom = self.domains[d]
        token, contract = self.assets[t]
        key, escrow = low(token), low(dom.escrow)
        self.begin("withdraw", user, d)
        if token == ETH:
            ok = self.transact(error, dom.escrow.withdraw, amount, {"from": user})
        else:
            ok = self.transact(error, dom.escrow.withdrawToken, contract, amount, {"from": user})
        if ok is not None:
            self.ledger[(escrow, low(user), key)] -= amount
            self.held[(escrow, key)] -= amount

    def funded(self, d, minimum=1):
        """[(user index, token index, balance)] of domain d's Instrument Escrow, at least `minimum`."""
        escrow = low(self.domains[d].escrow)
        return [
            (u, t, self.ledger[(escrow, self.user_keys[u], self.token_keys[t])])
            for u in range(len(self.users))
            for t in range(len(self.assets))
            if self.ledger[(escrow, self.user_keys[u], self.token_keys[t])] >= minimum
        ]

    def rule_withdraw(self, d="st_domain", index="st_index", percent="st_percent"):
        """A user with a balance withdraws part or all of it."""
        funded = self.funded(d)
        if not funded:
            return self._withdraw(d, self.users[index % 4], index // 4 % 4, 1, "EscrowInsufficientBalance")
        u, t, balance = funded[index % len(funded)]
        self._withdraw(d, self.users[u], t, max(1, balance * percent // 100), None)

    def rule_oddity(self, d="st_domain", u="st_user", t="st_token", kind="st_index", amount="st_amount"):
        """Invalid or unusual moves: withdrawing zero, more than the balance or ETH as a token, ETH
        sent straight to an escrow or a manager, an unknown swap event (all revert), or fee tokens
        sent straight to an escrow (held, booked to nobody)."""
        dom, user = self.domains[d], self.users[u]
        balance = self.ledger[(low(dom.escrow), self.user_keys[u], self.token_keys[t])]
        kind %= 6
        if kind == 0:
            return self._withdraw(d, user, t, 0, "EscrowZeroAmount")
        if kind == 1:
            return self._withdraw(d, user, t, balance + 1 + amount, "EscrowInsufficientBalance")
        if kind == 2:
            self.begin("withdraw", user, d)
            self.transact("EscrowEthIsNotAToken", dom.escrow.withdrawToken, ETH, 1, {"from": user})
        elif kind == 3:
            to_manager = amount % 2 == 1
            self.begin("send_eth", user, d)
            error = "ManagerUnexpectedEth" if to_manager else "EscrowUnexpectedEth"
            self.transact(error, user.transfer, dom.manager if to_manager else dom.escrow, amount + 1)
        elif kind == 4:
            issuance_id = self.pick(dom, amount)
            error = "ManagerUnknownIssuance" if issuance_id > len(dom.swaps) else "SwapUnknownEvent"
            self.begin("event", user, d)
            name = event_name("bogus")
            self.transact(error, dom.manager.processEvent, issuance_id, 0, name, b"", {"from": user})
        else:
            self.begin("donate", user, d)
            contract = self.assets[3][1]
            if self.transact(None, contract.transfer, dom.escrow, amount, {"from": user}) is not None:
                self.held[(low(dom.escrow), self.fee_token)] += amount - self.fee(self.fee_token, amount)

    # -------------------------------------------------------------------------------- swaps

    def rule_create(
        self,
        d="st_domain",
        index="st_index",
        t_out="st_token",
        percent="st_percent",
        output_amount="st_amount",
        hours="st_duration",
    ):
        """A maker commits part of a balance to a swap for an output amount, due in some hours."""
        dom = self.domains[d]
        funded = self.funded(d)
        if funded:
            u, t_in, balance = funded[index % len(funded)]
            input_amount = max(1, balance * percent // 100)
        else:
            u, t_in, balance, input_amount = index % 4, index // 4 % 4, 0, 1 + percent
        user, escrow = self.users[u], low(dom.escrow)
        maker = low(user)
        input_token, output_token = self.token_keys[t_in], self.token_keys[t_out]
        if not dom.active:
            error = "ManagerDeactivated"
        elif input_token == output_token:
            error = "SwapSameToken"
        elif output_amount == 0:
            error = "SwapZeroAmount"
        elif input_amount > balance:
            error = "EscrowInsufficientBalance"
        else:
            error = None
        duration = hours * HOUR + HOUR // 2
        terms = swap_terms(duration, self.assets[t_in][0], self.assets[t_out][0], input_amount, output_amount)
        self.begin("create", user, d)
        tx = self.transact(error, dom.manager.createIssuance, terms, {"from": user})
        if tx is not None:
            issuance_id = len(dom.swaps) + 1
            created = tx.events["IssuanceCreated"]
            assert created["issuanceId"] == issuance_id
            s = SwapModel(
                issuance_id=issuance_id,
                escrow=low(created["issuanceEscrow"]),
                maker=maker,
                due_time=tx.timestamp + duration,
                input_token=input_token,
                output_token=output_token,
                input_amount=input_amount,
                output_amount=output_amount,
                created_clock=self.clock,
                duration_hours=hours,
            )
            dom.swaps.append(s)
            self.move(escrow, maker, s.escrow, maker, input_token, input_amount)

    def _engage(self, d, user, issuance_id):
        dom = self.domains[d]
        taker, escrow = low(user), low(dom.escrow)
        s = dom.swaps[issuance_id - 1] if issuance_id <= len(dom.swaps) else None
        if s is None:
            error = "ManagerUnknownIssuance"
        elif s.state != ENGAGEABLE:
            error = "SwapNotEngageable"
        elif self.is_due(s):
            error = "SwapIssuanceDue"
        elif taker == s.maker:
            error = "SwapMakerCannotEngage"
        elif self.ledger[(escrow, taker, s.output_token)] < s.output_amount:
            error = "EscrowInsufficientBalance"
        else:
            error = None
        self.begin("engage", user, d)
        if self.transact(error, dom.manager.engageIssuance, issuance_id, b"", {"from": user}) is not None:
            s.state = COMPLETE_ENGAGED
            self.ledger[(escrow, taker, s.output_token)] -= s.output_amount
            self.ledger[(escrow, s.maker, s.output_token)] += s.output_amount
            self.return_input(dom, s, taker)

    def rule_engage(self, d="st_domain", u="st_user", index="st_index", any_swap="st_flag"):
        """A taker who can pay engages an open swap; or anyone engages any id (unknown, finished,
        due, own or unpaid swaps revert)."""
        dom = self.domains[d]
        open_swaps = [s for s in dom.swaps if s.state == ENGAGEABLE and not self.is_due(s)]
        if any_swap or not open_swaps:
            return self._engage(d, self.users[u], self.pick(dom, index))
        s = open_swaps[index % len(open_swaps)]
        others = [i for i, key in enumerate(self.user_keys) if key != s.maker]
        payers = [
            i for i in others if self.ledger[(low(dom.escrow), self.user_keys[i], s.output_token)] >= s.output_amount
        ]
        taker = (payers or others)[u % len(payers or others)]
        self._engage(d, self.users[taker], s.issuance_id)

    def rule_cancel(self, d="st_domain", u="st_user", index="st_index", as_maker="st_flag"):
        """The maker cancels an open swap; anyone else, or a finished or unknown swap, reverts."""
        dom = self.domains[d]
        engageable = [s for s in dom.swaps if s.state == ENGAGEABLE]
        if as_maker and engageable:
            s = engageable[index % len(engageable)]
            issuance_id, user = s.issuance_id, self.users[self.user_keys.index(s.maker)]
        else:
            issuance_id, user = self.pick(dom, index), self.users[u]
            s = dom.swaps[issuance_id - 1] if issuance_id <= len(dom.swaps) else None
        if s is None:
            error = "ManagerUnknownIssuance"
        elif s.state != ENGAGEABLE:
            error = "SwapNotEngageable"
        elif low(user) != s.maker:
            error = "SwapNotMaker"
        else:
            error = None
        self.begin("cancel", user, d)
        name = event_name("cancel_issuance")
        if self.transact(error, dom.manager.processEvent, issuance_id, 0, name, b"", {"from": user}) is not None:
            s.state = CANCELLED
            self.return_input(dom, s, s.maker)

    def rule_close_due(self, d="st_domain", u="st_user", index="st_index", only_due="st_flag"):
        """Anyone sends issuance_due: it closes a due open swap; early or repeated, nothing."""
        dom, user = self.domains[d], self.users[u]
        due = [s for s in dom.swaps if s.state == ENGAGEABLE and self.is_due(s)]
        issuance_id = due[index % len(due)].issuance_id if only_due and due else self.pick(dom, index)
        s = dom.swaps[issuance_id - 1] if issuance_id <= len(dom.swaps) else None
        error = "ManagerUnknownIssuance" if s is None else None
        self.begin("close", user, d)
        name = event_name("issuance_due")
        sent = self.transact(error, dom.manager.processEvent, issuance_id, 0, name, b"", {"from": user})
        if sent is not None and s.state == ENGAGEABLE and self.is_due(s):
            s.state = COMPLETE_NOT_ENGAGED
            self.return_input(dom, s, s.maker)

    # ------------------------------------------------------------------------ time and domains

    def rule_sleep(self, hours="st_hours"):
        """Time passes."""
        self.begin("sleep", None, None)
        chain.sleep(hours * HOUR)
        self.clock += hours * HOUR
        self.step.ok = True

    def rule_deactivate(self, d="st_domain", c="st_caller"):
        """A provider deactivates its domain (anyone else, or twice, reverts)."""
        dom = self.domains[d]
        caller = (self.providers + self.users)[c]
        if low(caller) != dom.provider:
            error = "RegistryNotProvider"
        elif not dom.active:
            error = "RegistryDomainInactive"
        else:
            error = None
        self.begin("deactivate", caller, d)
        if self.transact(error, self.registry.deactivateInstrument, dom.domain_id, {"from": caller}) is not None:
            dom.active = False

    def rule_activate(self, c="st_caller"):
        """Someone activates another Swap domain through the same registry (at most two more)."""
        from brownie import InstrumentEscrow, InstrumentManager

        caller = (self.providers + self.users)[c]
        self.begin("activate", caller, None)
        if len(self.domains) >= 2 + MAX_EXTRA_DOMAINS:
            return
        tx = self.transact(None, self.registry.activateInstrument, self.swap, {"from": caller})
        activated = tx.events["InstrumentActivated"]
        self.domains.append(
            DomainModel(
                InstrumentManager.at(activated["manager"]),
                InstrumentEscrow.at(activated["instrumentEscrow"]),
                low(caller),
                int(activated["domainId"]),
                tracked=False,
            )
        )

    # ----------------------------------------------------------------------------- snapshots

    def teardown(self):
        self.stats[(self.step.kind, "ok" if self.step.ok else "reverted")] += 1

    def snapshot(self):
        """The chain's values for every key of the model, read in one batch (cached per step)."""
        if self._cache is not None and self._cache[0] == self.step_no:
            return self._cache[1]
        keys, calls = [], []
        for d, dom in enumerate(self.domains):
            manager = low(dom.manager)
            for escrow in dom.escrows:
                for token in self.token_keys:
                    keys.append(("held", d, escrow, token))
                    if token == low(ETH):
                        calls.append(("eth_getBalance", [escrow, "latest"]))
                    else:
                        calls.append(eth_call(token, BALANCE_OF + encode(["address"], [escrow])))
                    for account in self.user_keys:
                        keys.append(("ledger", d, escrow, account, token))
                        data = GET_TOKEN_BALANCE + encode(["address", "address"], [account, token])
                        calls.append(eth_call(escrow, data))
            keys += [("count", d), ("active", d), ("manager_eth", d)]
            calls += [
                eth_call(manager, ISSUANCE_COUNT),
                eth_call(manager, IS_ACTIVE),
                ("eth_getBalance", [manager, "latest"]),
            ]
            for issuance_id in range(1, len(dom.swaps) + 2):
                keys.append(("swap", d, issuance_id))
                data = GET_ISSUANCE + encode(["address", "uint256"], [manager, issuance_id])
                calls.append(eth_call(low(self.swap), data))
        keys.append(("supply", self.fee_token))
        calls.append(eth_call(self.fee_token, TOTAL_SUPPLY))
        values = {}
        for key, answer in zip(keys, rpc_batch(calls), strict=True):
            assert "error" not in answer, f"reading {key} failed: {answer['error']}"
            if key[0] == "swap":
                record = decode(SWAP_FIELDS, bytes.fromhex(answer["result"][2:]))
                values[key] = (low(record[0]), *record[1:3], low(record[3]), low(record[4]), *record[5:])
            else:
                values[key] = int(answer["result"], 16)
        snap = Snapshot(values, {d: dom.escrows for d, dom in enumerate(self.domains)})
        self._cache = (self.step_no, snap)
        return snap

    def expected(self):
        """The model's values, keyed like `snapshot()`."""
        values = {}
        for d, dom in enumerate(self.domains):
            for escrow in dom.escrows:
                for token in self.token_keys:
                    values[("held", d, escrow, token)] = self.held[(escrow, token)]
                    for account in self.user_keys:
                        values[("ledger", d, escrow, account, token)] = self.ledger[(escrow, account, token)]
            values[("count", d)] = len(dom.swaps)
            values[("active", d)] = int(dom.active)
            values[("manager_eth", d)] = 0
            for s in dom.swaps:
                values[("swap", d, s.issuance_id)] = s.record()
            zero = low("0x" + "00" * 20)
            values[("swap", d, len(dom.swaps) + 1)] = (zero, 0, NONE, zero, zero, 0, 0)
        return values

    # ---------------------------------------------------------------------------- invariants

    def invariant_solvency(self):
        """Every escrow holds what its ledger books: exactly, or at least for the fee token."""
        snap = self.snapshot()
        for d, escrows in snap.escrows.items():
            for escrow in escrows:
                for token in self.token_keys:
                    booked = snap.ledger_total(d, token, escrow)
                    held = snap.values[("held", d, escrow, token)]
                    if token == self.fee_token:
                        assert booked <= held, f"escrow {escrow} books {booked} of fee token, holds {held}"
                    else:
                        assert booked == held, f"escrow {escrow} books {booked} of {token}, holds {held}"

    def invariant_isolation(self):
        """A step in one domain (or in none) changes nothing of any other domain."""
        before, after = self.before, self.snapshot()
        for d in range(len(self.domains)):
            if d == self.step.domain or d not in before.escrows:
                continue
            old, new = before.domain_values(d), after.domain_values(d)
            changed = sorted(str(k) for k in set(old) | set(new) if old.get(k) != new.get(k))
            assert not changed, f"{self.step} changed domain {d}: {changed[:5]}"

    def invariant_no_loss_without_consent(self):
        """A user's Instrument Escrow balance falls only in a step that user made in that domain."""
        before, after = self.before, self.snapshot()
        for d, dom in enumerate(self.domains):
            escrow = low(dom.escrow)
            for account in self.user_keys:
                for token in self.token_keys:
                    key = ("ledger", d, escrow, account, token)
                    if after.values[key] < before.values.get(key, 0):
                        assert self.step.actor == account and self.step.domain == d, (
                            f"{account} lost {token} in domain {d} in {self.step}"
                        )

    def invariant_always_exit(self):
        """Every user can withdraw its whole Instrument Escrow balance, in every domain, now."""
        snap = self.snapshot()
        calls, what = [], []
        for d, dom in enumerate(self.domains):
            escrow = low(dom.escrow)
            for account in self.user_keys:
                for token in self.token_keys:
                    balance = snap.values[("ledger", d, escrow, account, token)]
                    if balance == 0:
                        continue
                    amount = balance + self.exit_extra
                    if token == low(ETH):
                        data = WITHDRAW + encode(["uint256"], [amount])
                    else:
                        data = WITHDRAW_TOKEN + encode(["address", "uint256"], [token, amount])
                    calls.append(eth_call(escrow, data, sender=account))
                    what.append((d, account, token, amount))
        for item, answer in zip(what, rpc_batch(calls), strict=True):
            assert "error" not in answer, f"withdrawing everything {item} fails: {answer['error']}"

    def invariant_conservation(self):
        """A manager move keeps the domain's total per token; the fee token loses only the burn."""
        if self.step.kind not in MANAGER_MOVES or not self.step.ok:
            return
        before, after = self.before, self.snapshot()
        d = self.step.domain
        burned = before.values[("supply", self.fee_token)] - after.values[("supply", self.fee_token)]
        for token in self.token_keys:
            expected_drop = burned if token == self.fee_token else 0
            booked_drop = before.ledger_total(d, token) - after.ledger_total(d, token)
            held_drop = before.held_total(d, token) - after.held_total(d, token)
            assert booked_drop == expected_drop, f"{self.step}: booked {token} fell by {booked_drop}"
            assert held_drop == expected_drop, f"{self.step}: held {token} fell by {held_drop}"

    def invariant_model_matches_chain(self):
        """Every ledger, holding, swap, issuance count and activity flag equals the model's."""
        actual, expected = self.snapshot().values, self.expected()
        wrong = [(k, actual.get(k), v) for k, v in expected.items() if actual.get(k) != v]
        assert not wrong, f"after {self.step}, chain != model (key, chain, model): {wrong[:5]}"
