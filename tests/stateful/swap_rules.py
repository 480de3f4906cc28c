"""The Swap in the stateful tier: its issuance model and its create and engage rules (cancel and
issuance_due are the machine's, shared by every instrument). A mixin of escrow_machine.EscrowMachine."""

from dataclasses import dataclass
from functools import partial

from brownie.test import strategy
from model import InstrumentKind, Issuance, duration

from nuts_escrow import SwapTakerTerms
from support import swap_terms

COMPLETE_ENGAGED, COMPLETE_NOT_ENGAGED = 3, 4  # SwapState

SWAP = InstrumentKind(
    name="swap",
    record_types=("address", "uint64", "uint8", "address", "address", "uint256", "uint256"),
    expired=COMPLETE_NOT_ENGAGED,
)


@dataclass(kw_only=True)
class SwapIssuance(Issuance):
    input_token: str
    output_token: str
    input_amount: int
    output_amount: int

    @property
    def committed_token(self):
        return self.input_token

    def record(self):
        return (
            self.maker,
            self.due_time,
            self.state,
            self.input_token,
            self.output_token,
            self.input_amount,
            self.output_amount,
        )


class SwapRules:
    st_swap_domain = strategy("uint8", max_value=1)

    def rule_swap_create(
        self,
        d="st_swap_domain",
        index="st_index",
        t_out="st_token",
        percent="st_percent",
        output_amount="st_amount",
        hours="st_duration",
    ):
        """A maker commits part of a balance to a swap for an output amount, due in some hours."""
        d = self.domain_of("swap", d)
        u, t_in, balance, input_amount = self.offer(d, index, percent)
        input_token, output_token = self.token_keys[t_in], self.token_keys[t_out]
        if input_token == output_token:
            error = "InstrumentSameToken"
        elif output_amount == 0:
            error = "InstrumentZeroAmount"
        elif input_amount > balance:
            error = "EscrowInsufficientBalance"
        else:
            error = None
        terms = swap_terms(duration(hours), input_token, output_token, input_amount, output_amount)
        build = partial(
            SwapIssuance,
            input_token=input_token,
            output_token=output_token,
            input_amount=input_amount,
            output_amount=output_amount,
        )
        s = self.create(d, self.users[u], error, terms, hours, build)
        if s is not None:
            self.commit(self.domains[d], s, s.maker, input_token, input_amount)

    def initialize_swap(
        self, index="st_index", t_out="st_token", percent="st_percent", output_amount="st_amount", hours="st_duration"
    ):
        """Every example starts with a swap offered in the first Swap domain (see EscrowMachine)."""
        t_out = self.other_token(self.domain_of("swap", 0), index, percent, t_out)
        self.rule_swap_create(0, index, t_out, percent, output_amount, hours)
        self.check_now()

    def rule_swap_engage(
        self, d="st_swap_domain", u="st_user", index="st_index", any_swap="st_flag", minimum="st_limit"
    ):
        """A taker who can pay engages an open swap, stating a minimum input now and then (at, below
        or above what arrives); or anyone engages any id (unknown, finished, due, own or unpaid
        swaps revert). An engagement that would credit the taker less than its minimum, or nothing
        (a fee token at 100%), reverts: nobody pays for nothing."""
        d = self.domain_of("swap", d)
        dom = self.domains[d]
        issuance_id = self.target(dom, index, self.open_issuances(dom), any_swap)
        s = dom.issuance(issuance_id)
        chosen = s is not None and not any_swap
        user = self.taker_for(dom, u, s.maker, s.output_token, s.output_amount) if chosen else self.users[u]
        taker = user.address.lower()
        error = self.engage_error(s, taker)
        stated, data = None, b""
        if s is not None:
            arriving = self.arrives(s.input_token, self.held_for(s, s.maker, s.input_token))
            stated = self.stated(minimum, arriving)
            data = b"" if stated is None else SwapTakerTerms(min_input_received=stated).encode()
        if error is None and self.balance(dom, taker, s.output_token) < s.output_amount:
            error = "EscrowInsufficientBalance"
        if error is None:
            error = self.short_of(arriving, max(1, stated or 0))
        self.begin("swap engage", user, d)
        tx = self.transact(error, dom.manager.engageIssuance, issuance_id, data, {"from": user})
        if tx is not None:
            self.engaged_as(tx, 1)
            s.state = COMPLETE_ENGAGED
            self.pay(dom, s.output_token, taker, s.maker, s.output_amount)
            self.return_whole(dom, s, s.input_token, s.maker, taker)
