"""MultiSwap in the stateful tier: its issuance model and its create and fill rules (cancel and
issuance_due are the machine's, shared by every instrument). A mixin of escrow_machine.EscrowMachine.

The model pays each fill as MultiSwap does: `floor(inputBasis * fillOutput / outputAmount)`, the
basis being what the issuance escrow held of the input at the first fill (less than the input
for the fee token); the completing fill returns the rounding remainder to the maker.
"""

from dataclasses import dataclass
from functools import partial

from brownie.test import strategy
from chain_reads import low
from model import InstrumentModel, IssuanceModel, duration

from nuts_escrow import MultiSwapFillTerms
from nuts_escrow.types import MultiSwapState
from support import multiswap_terms

MULTISWAP = InstrumentModel(
    name="multiswap", contract_name="MultiSwap", states=MultiSwapState, expired=MultiSwapState.EXPIRED
)


@dataclass(kw_only=True)
class MultiSwapIssuanceModel(IssuanceModel):
    input_token: str
    output_token: str
    input_amount: int
    output_amount: int
    min_fill: int
    max_fill: int
    remaining: int
    fill_count: int = 0
    input_basis: int = 0

    @property
    def committed_token(self):
        return self.input_token

    def record(self):
        return {
            "maker": self.maker,
            "dueTime": self.due_time,
            "state": self.state,
            "inputToken": self.input_token,
            "fillCount": self.fill_count,
            "outputToken": self.output_token,
            "inputAmount": self.input_amount,
            "outputAmount": self.output_amount,
            "minFillOutput": self.min_fill,
            "maxFillOutput": self.max_fill,
            "remainingOutput": self.remaining,
            "inputBasis": self.input_basis,
        }

    def fill_size(self, mode, size):
        """The output a fill asks for, by `mode`: the largest fill allowed (the exact tail, however
        small, once it is within the maximum), a fill within the limits (`size` percent of the way
        from the smallest to the largest allowed), or anything up to twice what remains (allowed
        or not)."""
        mode %= 4
        if mode == 0:
            return min(self.max_fill, self.remaining)
        if mode == 3:
            return self.remaining * size // 50
        smallest, largest = min(self.min_fill, self.remaining), min(self.max_fill, self.remaining)
        return smallest + (largest - smallest) * size // 100


class MultiSwapRules:
    st_fill_percent = strategy("uint8", max_value=100)

    def rule_multiswap_create(
        self,
        index="st_index",
        output_token_index="st_token",
        percent="st_percent",
        output_amount="st_amount",
        low_fill="st_fill_percent",
        high_fill="st_fill_percent",
        hours="st_duration",
    ):
        """A maker commits part of a balance to a multi-swap for an output amount, filled in parts
        from a minimum (`low_fill` percent of the output; zero reverts) to a maximum."""
        domain_index = self.domain_of("multiswap", 0)
        user_index, input_token_index, balance, input_amount = self.offer(domain_index, index, percent)
        input_token, output_token = self.token_keys[input_token_index], self.token_keys[output_token_index]
        min_fill = output_amount * low_fill // 100
        max_fill = min_fill + (output_amount - min_fill) * high_fill // 100
        if input_token == output_token:
            error = "InstrumentSameToken"
        elif output_amount == 0:
            error = "InstrumentZeroAmount"
        elif min_fill == 0:
            error = "MultiSwapInvalidFillLimits"
        elif input_amount > balance:
            error = "EscrowInsufficientBalance"
        else:
            error = None
        terms = multiswap_terms(
            duration(hours), input_token, output_token, input_amount, output_amount, min_fill, max_fill
        )
        build = partial(
            MultiSwapIssuanceModel,
            input_token=input_token,
            output_token=output_token,
            input_amount=input_amount,
            output_amount=output_amount,
            min_fill=min_fill,
            max_fill=max_fill,
            remaining=output_amount,
        )
        issuance = self.create(domain_index, self.users[user_index], error, terms, hours, build)
        if issuance is not None:
            self.commit(self.domains[domain_index], issuance, issuance.maker, input_token, input_amount)

    def initialize_multiswap(
        self,
        index="st_index",
        output_token_index="st_token",
        percent="st_percent",
        output_amount="st_amount",
        low_fill="st_fill_percent",
        high_fill="st_fill_percent",
        hours="st_duration",
    ):
        """Every example starts with a multi-swap offered (see EscrowMachine)."""
        output_token_index = self.other_token(self.domain_of("multiswap", 0), index, percent, output_token_index)
        self.rule_multiswap_create(index, output_token_index, percent, output_amount, low_fill, high_fill, hours)
        self.check_now()

    def rule_multiswap_fill(
        self,
        user_index="st_user",
        index="st_index",
        mode="st_index",
        size="st_percent",
        any_issuance="st_flag",
        minimum="st_limit",
    ):
        """A taker who can pay fills part of an open multi-swap, or its exact tail, for its
        pro-rata share of the input, stating a minimum input now and then (at, below or above what
        arrives); or anyone fills any amount of any id (unknown, finished, due or own issuances,
        fills outside the limits and unpaid fills revert). A fill whose share rounds to nothing or
        arrives as nothing (a fee token at 100%), or below the taker's minimum, reverts; so does
        the first fill of an issuance whose input all burned on the way in (MultiSwapNoInput)."""
        domain_index = self.domain_of("multiswap", 0)
        dom = self.domains[domain_index]
        issuance_id = self.target(dom, index, self.open_issuances(dom), any_issuance)
        issuance = dom.issuance(issuance_id)
        chosen = issuance is not None and not any_issuance
        # A chosen issuance gets a fill it allows; any other, any fill.
        fill = size if issuance is None else issuance.fill_size(mode % 3 if chosen else mode, size)
        user = (
            self.taker_for(dom, user_index, issuance.maker, issuance.output_token, fill)
            if chosen
            else self.users[user_index]
        )
        taker = low(user)
        error = self.engage_error(dom, issuance, taker) or self.fill_error(dom, issuance, taker, fill)
        data = MultiSwapFillTerms(fill_output=fill).encode()
        if issuance is not None:
            basis = issuance.input_basis or self.held_for(issuance, issuance.maker, issuance.input_token)
            share = basis * fill // issuance.output_amount
            stated = self.stated(minimum, self.arrives(issuance.input_token, share))
            if stated is not None:
                data = MultiSwapFillTerms(fill_output=fill, min_input_received=stated).encode()
            if error is None and basis == 0:
                error = "MultiSwapNoInput"
            elif error is None and self.balance(dom, taker, issuance.output_token) < fill:
                error = "EscrowInsufficientBalance"
            elif error is None:
                error = self.short_of(self.arrives(issuance.input_token, share), max(1, stated or 0))
        self.begin("multiswap fill", user, domain_index)
        tx = self.transact(error, dom.manager.engageIssuance, issuance_id, data, {"from": user})
        if tx is None:
            return
        issuance.input_basis = basis
        issuance.fill_count += 1
        self.engaged_as(tx, issuance.fill_count)
        issuance.remaining -= fill
        self.pay(dom, issuance.output_token, taker, issuance.maker, fill)
        self.release(dom, issuance, issuance.input_token, issuance.maker, taker, share)
        if issuance.remaining == 0:
            issuance.state = MultiSwapState.COMPLETE
            self.return_whole(dom, issuance, issuance.input_token, issuance.maker, issuance.maker)

    def fill_error(self, dom, issuance, taker, fill):
        """The revert of `taker`'s fill of `fill` of engageable `issuance` for its limits, or None."""
        if fill > issuance.remaining:
            return "MultiSwapFillAboveRemaining"
        if fill > issuance.max_fill:
            return "MultiSwapFillAboveMaximum"
        if fill < issuance.min_fill and fill != issuance.remaining:
            return "MultiSwapFillBelowMinimum"
        return None
