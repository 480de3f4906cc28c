"""The Swap in the stateful tier: its issuance model and its create and engage rules (cancel and
issuance_due are the machine's, shared by every instrument). A mixin of escrow_machine.EscrowMachine."""

from dataclasses import dataclass
from functools import partial

from brownie.test import strategy
from model import InstrumentModel, IssuanceModel, duration

from nuts_escrow import SwapTakerTerms
from nuts_escrow.types import SwapState
from support import swap_terms

SWAP = InstrumentModel(name="swap", contract_name="Swap", states=SwapState, expired=SwapState.COMPLETE_NOT_ENGAGED)


@dataclass(kw_only=True)
class SwapIssuanceModel(IssuanceModel):
    input_token: str
    output_token: str
    input_amount: int
    output_amount: int

    @property
    def committed_token(self):
        return self.input_token

    def record(self):
        return {
            "maker": self.maker,
            "dueTime": self.due_time,
            "state": self.state,
            "inputToken": self.input_token,
            "outputToken": self.output_token,
            "inputAmount": self.input_amount,
            "outputAmount": self.output_amount,
        }


class SwapRules:
    st_swap_domain = strategy("uint8", max_value=1)

    def rule_swap_create(
        self,
        swap_domain="st_swap_domain",
        index="st_index",
        output_token_index="st_token",
        percent="st_percent",
        output_amount="st_amount",
        hours="st_duration",
    ):
        """A maker commits part of a balance to a swap for an output amount, due in some hours, in
        the first or second Swap domain (`swap_domain`)."""
        domain_index = self.domain_of("swap", swap_domain)
        user_index, input_token_index, balance, input_amount = self.offer(domain_index, index, percent)
        input_token, output_token = self.token_keys[input_token_index], self.token_keys[output_token_index]
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
            SwapIssuanceModel,
            input_token=input_token,
            output_token=output_token,
            input_amount=input_amount,
            output_amount=output_amount,
        )
        issuance = self.create(domain_index, self.users[user_index], error, terms, hours, build)
        if issuance is not None:
            self.commit(self.domains[domain_index], issuance, issuance.maker, input_token, input_amount)

    def initialize_swap(
        self,
        index="st_index",
        output_token_index="st_token",
        percent="st_percent",
        output_amount="st_amount",
        hours="st_duration",
    ):
        """Every example starts with a swap offered in the first Swap domain (see EscrowMachine)."""
        output_token_index = self.other_token(self.domain_of("swap", 0), index, percent, output_token_index)
        self.rule_swap_create(0, index, output_token_index, percent, output_amount, hours)
        self.check_now()

    def rule_swap_engage(
        self,
        swap_domain="st_swap_domain",
        user_index="st_user",
        index="st_index",
        any_swap="st_flag",
        minimum="st_limit",
    ):
        """A taker who can pay engages an open swap, stating a minimum input now and then (at, below
        or above what arrives); or anyone engages any id (unknown, finished, due, own or unpaid
        swaps revert). An engagement that would credit the taker less than its minimum, or nothing
        (a fee token at 100%), reverts: nobody pays for nothing."""
        domain_index = self.domain_of("swap", swap_domain)
        dom = self.domains[domain_index]
        issuance_id = self.target(dom, index, self.open_issuances(dom), any_swap)
        issuance = dom.issuance(issuance_id)
        chosen = issuance is not None and not any_swap
        user = (
            self.taker_for(dom, user_index, issuance.maker, issuance.output_token, issuance.output_amount)
            if chosen
            else self.users[user_index]
        )
        taker = user.address.lower()
        error = self.engage_error(dom, issuance, taker)
        stated, data = None, b""
        if issuance is not None:
            arriving = self.arrives(issuance.input_token, self.held_for(issuance, issuance.maker, issuance.input_token))
            stated = self.stated(minimum, arriving)
            data = b"" if stated is None else SwapTakerTerms(min_input_received=stated).encode()
        if error is None and self.balance(dom, taker, issuance.output_token) < issuance.output_amount:
            error = "EscrowInsufficientBalance"
        if error is None:
            error = self.short_of(arriving, max(1, stated or 0))
        self.begin("swap engage", user, domain_index)
        tx = self.transact(error, dom.manager.engageIssuance, issuance_id, data, {"from": user})
        if tx is not None:
            self.engaged_as(tx, 1)
            issuance.state = SwapState.COMPLETE_ENGAGED
            self.pay(dom, issuance.output_token, taker, issuance.maker, issuance.output_amount)
            self.return_whole(dom, issuance, issuance.input_token, issuance.maker, taker)
