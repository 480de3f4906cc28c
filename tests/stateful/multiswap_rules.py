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
from model import InstrumentKind, Issuance, duration

from nuts_escrow import MultiSwapFillTerms
from support import multiswap_terms

# MultiSwapState, in the order of interfaces/IMultiSwap.sol.
NONE, ENGAGEABLE, CANCELLED, COMPLETE, EXPIRED = range(5)

MULTISWAP = InstrumentKind(
    name="multiswap",
    record_types=("address", "uint64", "uint8", "address", "uint96", "address") + ("uint256",) * 6,
    expired=EXPIRED,
)


@dataclass(kw_only=True)
class MultiSwapIssuance(Issuance):
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
        return (
            self.maker,
            self.due_time,
            self.state,
            self.input_token,
            self.fill_count,
            self.output_token,
            self.input_amount,
            self.output_amount,
            self.min_fill,
            self.max_fill,
            self.remaining,
            self.input_basis,
        )

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
        t_out="st_token",
        percent="st_percent",
        output_amount="st_amount",
        low_fill="st_fill_percent",
        high_fill="st_fill_percent",
        hours="st_duration",
    ):
        """A maker commits part of a balance to a multi-swap for an output amount, filled in parts
        from a minimum (`low_fill` percent of the output; zero reverts) to a maximum."""
        d = self.domain_of("multiswap", 0)
        u, t_in, balance, input_amount = self.offer(d, index, percent)
        input_token, output_token = self.token_keys[t_in], self.token_keys[t_out]
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
            MultiSwapIssuance,
            input_token=input_token,
            output_token=output_token,
            input_amount=input_amount,
            output_amount=output_amount,
            min_fill=min_fill,
            max_fill=max_fill,
            remaining=output_amount,
        )
        s = self.create(d, self.users[u], error, terms, hours, build)
        if s is not None:
            self.commit(self.domains[d], s, s.maker, input_token, input_amount)

    def initialize_multiswap(
        self,
        index="st_index",
        t_out="st_token",
        percent="st_percent",
        output_amount="st_amount",
        low_fill="st_fill_percent",
        high_fill="st_fill_percent",
        hours="st_duration",
    ):
        """Every example starts with a multi-swap offered (see EscrowMachine)."""
        t_out = self.other_token(self.domain_of("multiswap", 0), index, percent, t_out)
        self.rule_multiswap_create(index, t_out, percent, output_amount, low_fill, high_fill, hours)
        self.check_now()

    def rule_multiswap_fill(
        self,
        u="st_user",
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
        d = self.domain_of("multiswap", 0)
        dom = self.domains[d]
        issuance_id = self.target(dom, index, self.open_issuances(dom), any_issuance)
        s = dom.issuance(issuance_id)
        chosen = s is not None and not any_issuance
        # A chosen issuance gets a fill it allows; any other, any fill.
        fill = size if s is None else s.fill_size(mode % 3 if chosen else mode, size)
        user = self.taker_for(dom, u, s.maker, s.output_token, fill) if chosen else self.users[u]
        taker = low(user)
        error = self.engage_error(s, taker) or self.fill_error(dom, s, taker, fill)
        data = MultiSwapFillTerms(fill_output=fill).encode()
        if s is not None:
            basis = s.input_basis or self.held_for(s, s.maker, s.input_token)
            share = basis * fill // s.output_amount
            stated = self.stated(minimum, self.arrives(s.input_token, share))
            if stated is not None:
                data = MultiSwapFillTerms(fill_output=fill, min_input_received=stated).encode()
            if error is None and basis == 0:
                error = "MultiSwapNoInput"
            elif error is None and self.balance(dom, taker, s.output_token) < fill:
                error = "EscrowInsufficientBalance"
            elif error is None:
                error = self.short_of(self.arrives(s.input_token, share), max(1, stated or 0))
        self.begin("multiswap fill", user, d)
        tx = self.transact(error, dom.manager.engageIssuance, issuance_id, data, {"from": user})
        if tx is None:
            return
        s.input_basis = basis
        s.fill_count += 1
        self.engaged_as(tx, s.fill_count)
        s.remaining -= fill
        self.pay(dom, s.output_token, taker, s.maker, fill)
        self.release(dom, s, s.input_token, s.maker, taker, share)
        if s.remaining == 0:
            s.state = COMPLETE
            self.return_whole(dom, s, s.input_token, s.maker, s.maker)

    def fill_error(self, dom, s, taker, fill):
        """The revert of `taker`'s fill of `fill` of engageable issuance `s` for its limits, or None."""
        if fill > s.remaining:
            return "MultiSwapFillAboveRemaining"
        if fill > s.max_fill:
            return "MultiSwapFillAboveMaximum"
        if fill < s.min_fill and fill != s.remaining:
            return "MultiSwapFillBelowMinimum"
        return None
