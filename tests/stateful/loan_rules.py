"""Lending and Borrowing in the stateful tier: the loan model, the price oracle's model, and the
rules to create, engage and repay loans, send engagement_due and margin_call, and change the
oracle's rates (cancel and issuance_due are the machine's, shared by every instrument). A mixin of
escrow_machine.EscrowMachine.

The model prices collateral as LoanInstrument.collateralOf does - the principal's value in the
collateral token rounded up, then the ratio of it rounded up - and repayments as repaymentOf
(interest rounded up), at the rates the model keeps for the oracle. Loans move principal and
collateral whole: a fee-on-transfer token whose fee takes anything of the amount is refused as
Lending principal and as collateral (ManagerCreditBelowMinimum), and a collateral return or
seizure that would credit nothing (the adjustable token at 100%) reverts, the loan staying engaged.
"""

from dataclasses import dataclass
from functools import partial

from brownie.test import strategy
from model import ZERO_ADDRESS, InstrumentModel, IssuanceModel, duration, elapsed

from nuts_escrow import ENGAGEMENT_DUE, MARGIN_CALL, REPAY_FULL, BorrowingTakerTerms, LendingTakerTerms
from nuts_escrow.terms import BASIS_POINTS, PRICE_BOUND_SCALE
from nuts_escrow.types import LoanState
from support import loan_terms

LENDING = InstrumentModel(name="lending", contract_name="Lending", states=LoanState, expired=LoanState.EXPIRED)
BORROWING = InstrumentModel(name="borrowing", contract_name="Borrowing", states=LoanState, expired=LoanState.EXPIRED)
# The oracle's rates at the start of every example, by asset index (ETH, Alpha, Beta, Fee,
# Adjustable), set in this direction: quote amount = base amount * numerator / denominator. Some
# pairs of Beta and Fee have no rate until the machine sets one, so pricing them reverts with
# PriceOracleUnknownPair.
INITIAL_RATES = {
    (0, 1): (3, 2),
    (0, 2): (1, 3),
    (0, 3): (5, 4),
    (1, 2): (7, 3),
    (1, 3): (2, 5),
    (0, 4): (2, 1),
    (1, 4): (4, 3),
    (4, 2): (1, 2),
}
# Loan maker data: the original seven fields, or nine adding minCollateralPerPrincipal and
# maintenanceRatio (ILoan's LoanTerms).


def ceil_div(a, b):
    return -(-a // b)


@dataclass(kw_only=True)
class LoanIssuanceModel(IssuanceModel):
    lends: bool  # the maker lends (Lending) or borrows (Borrowing)
    principal_token: str
    principal_amount: int
    collateral_token: str
    collateral_ratio: int
    tenor_hours: int
    interest_rate: int
    maintenance_ratio: int = 0
    min_collateral_per_principal: int = 0
    taker: str = ZERO_ADDRESS
    engagement_due_time: int = 0
    engaged_clock: int = 0

    @property
    def committed_token(self):
        return self.principal_token if self.lends else self.collateral_token

    @property
    def lender(self):
        return self.maker if self.lends else self.taker

    @property
    def borrower(self):
        return self.taker if self.lends else self.maker

    @property
    def repayment(self):
        """Principal plus interest, the interest rounded up (LoanInstrument.repaymentOf)."""
        return self.principal_amount + ceil_div(self.principal_amount * self.interest_rate, BASIS_POINTS)

    def record(self):
        return {
            "maker": self.maker,
            "issuanceDueTime": self.due_time,
            "state": self.state,
            "taker": self.taker,
            "engagementDueTime": self.engagement_due_time,
            "maintenanceRatio": self.maintenance_ratio,
            "principalToken": self.principal_token,
            "tenor": duration(self.tenor_hours),
            "collateralRatio": self.collateral_ratio,
            "collateralToken": self.collateral_token,
            "interestRate": self.interest_rate,
            "principalAmount": self.principal_amount,
            "minCollateralPerPrincipal": self.min_collateral_per_principal,
        }


class LoanRules:
    st_loan_domain = strategy("uint8", max_value=1)
    st_ratio = strategy("uint16", max_value=30_000)
    st_interest = strategy("uint16", max_value=5_000)
    st_tenor = strategy("uint8", max_value=23)
    st_rate = strategy("uint32", max_value=10**6)
    st_rate_scale = strategy("uint16", min_value=25, max_value=400)
    st_maintenance = strategy("uint8", max_value=100)

    # -------------------------------------------------------------------------------- pricing

    def rate(self, base, quote):
        """The oracle's getRate as (numerator, denominator), or None for an unknown pair."""
        if (base, quote) in self.rates:
            return self.rates[(base, quote)]
        if (quote, base) in self.rates:
            numerator, denominator = self.rates[(quote, base)]
            return denominator, numerator
        return None

    def collateral_of(self, principal_token, principal_amount, collateral_token, collateral_ratio):
        """The collateral securing a principal at the oracle's rates now (LoanInstrument.collateralOf),
        or None when the oracle knows no rate for the pair."""
        rate = self.rate(principal_token, collateral_token)
        if rate is None:
            return None
        value = ceil_div(principal_amount * rate[0], rate[1])
        return ceil_div(value * collateral_ratio, BASIS_POINTS)

    def loan_domain(self, loan_instrument):
        """The domain index of Lending (`loan_instrument` 0) or Borrowing (1)."""
        return self.domain_of(("lending", "borrowing")[loan_instrument], 0)

    # --------------------------------------------------------------------------------- rules

    def loan_maker_data(self, lends, terms, maintenance, bound):
        """Maker data: the seven fields for a `maintenance` percent below 30; else nine, with a
        maintenance ratio of that percent of the collateral ratio (100%: invalid) and, if `bound`,
        a price bound: in Lending the collateral per principal unit at the rates now (so a price
        that falls before engage reverts), in Borrowing any (refused: the bound is the maker's)."""
        principal_token, principal, collateral_token, ratio = terms[1:5]
        if maintenance < 30:
            return loan_terms(*terms), 0, 0
        maintenance_ratio = ratio * maintenance // 100
        min_per_principal = 0
        if bound and lends:
            now = self.collateral_of(principal_token, principal, collateral_token, ratio)
            min_per_principal = 1 if now is None else now * PRICE_BOUND_SCALE // principal
        elif bound and maintenance % 2:
            min_per_principal = 1
        data = loan_terms(*terms, min_collateral_per_principal=min_per_principal, maintenance_ratio=maintenance_ratio)
        return data, maintenance_ratio, min_per_principal

    def rule_loan_create(
        self,
        loan_instrument="st_loan_domain",
        index="st_index",
        other_token_index="st_token",
        percent="st_percent",
        ratio="st_ratio",
        interest="st_interest",
        hours="st_duration",
        tenor="st_tenor",
        maintenance="st_maintenance",
        bound="st_flag",
    ):
        """A maker offers a loan, due in some hours, for a tenor of up to a day, now and then with a
        maintenance ratio and a price bound. In Lending it commits a tenth of `percent` of a
        balance as the principal; in Borrowing it commits `percent` of a balance as collateral,
        for the principal that much secures at the rates now (the collateral, priced again by the
        instrument, may come out a little more). Either must arrive whole."""
        domain_index = self.loan_domain(loan_instrument)
        lends = self.domains[domain_index].kind.name == "lending"
        user_index, own_token_index, balance, amount = self.offer(domain_index, index, percent)
        mine, other = self.token_keys[own_token_index], self.token_keys[other_token_index]
        principal_token, collateral_token = (mine, other) if lends else (other, mine)
        rate = self.rate(principal_token, collateral_token)
        if lends:
            principal = max(1, amount // 10)
        elif rate is None or ratio == 0:
            principal = amount
        else:
            principal = max(1, amount * BASIS_POINTS // ratio * rate[1] // rate[0])
        committed = principal if lends else self.collateral_of(principal_token, principal, collateral_token, ratio)
        terms = (duration(hours), principal_token, principal, collateral_token, ratio, duration(tenor), interest)
        data, maintenance_ratio, min_per_principal = self.loan_maker_data(lends, terms, maintenance, bound)
        if mine == other:
            error = "InstrumentSameToken"
        elif ratio == 0:
            error = "LoanOutOfBounds"
        elif maintenance_ratio >= ratio:
            error = "LoanInvalidMaintenanceRatio"
        elif min_per_principal and not lends:
            error = "LoanPriceBoundNotMakers"
        elif committed is None:
            error = "PriceOracleUnknownPair"
        elif committed > balance:
            error = "EscrowInsufficientBalance"
        else:
            error = self.short_of(self.arrives(mine, committed), committed)
        build = partial(
            LoanIssuanceModel,
            lends=lends,
            principal_token=principal_token,
            principal_amount=principal,
            collateral_token=collateral_token,
            collateral_ratio=ratio,
            tenor_hours=tenor,
            interest_rate=interest,
            maintenance_ratio=maintenance_ratio,
            min_collateral_per_principal=min_per_principal,
        )
        issuance = self.create(domain_index, self.users[user_index], error, data, hours, build)
        if issuance is not None:
            self.commit(self.domains[domain_index], issuance, issuance.maker, mine, committed)

    def initialize_lending(
        self,
        index="st_index",
        other_token_index="st_token",
        percent="st_percent",
        ratio="st_ratio",
        interest="st_interest",
        hours="st_duration",
        tenor="st_tenor",
        maintenance="st_maintenance",
    ):
        """Every example starts with a loan offered and engaged in the Lending domain (see
        EscrowMachine), so that repay, engagement_due and margin_call have a loan to act on."""
        other_token_index = self.other_token(self.loan_domain(0), index, percent, other_token_index)
        self.open_loan(0, index, other_token_index, percent, ratio, interest, hours, tenor, maintenance)

    def initialize_borrowing(
        self,
        index="st_index",
        other_token_index="st_token",
        percent="st_percent",
        ratio="st_ratio",
        interest="st_interest",
        hours="st_duration",
        tenor="st_tenor",
        maintenance="st_maintenance",
    ):
        """Every example starts with a loan asked for and engaged in the Borrowing domain (see
        EscrowMachine), so that repay, engagement_due and margin_call have a loan to act on."""
        other_token_index = self.other_token(self.loan_domain(1), index, percent, other_token_index)
        self.open_loan(1, index, other_token_index, percent, ratio, interest, hours, tenor, maintenance)

    def open_loan(self, loan_instrument, index, other_token_index, percent, ratio, interest, hours, tenor, maintenance):
        """An initialize rule's two steps, each checked: a loan created (without a price bound),
        then engaged by a taker who can pay, without limits (either may revert, as any step)."""
        self.rule_loan_create(
            loan_instrument, index, other_token_index, percent, ratio, interest, hours, tenor, maintenance, False
        )
        self.check_now()
        self.rule_loan_engage(loan_instrument, index % len(self.users), 0, False, 0)
        self.check_now()

    def lending_limits(self, mode, issuance, collateral):
        """Lending taker data by `mode` (0-4): none, or (minPrincipalReceived, maxCollateral), the
        minimum as `stated` and the maximum at, above or below the collateral, or 0 (no limit)."""
        if mode == 0 or collateral is None:
            return b"", 0, 0
        principal = self.arrives(
            issuance.principal_token, self.held_for(issuance, issuance.maker, issuance.principal_token)
        )
        min_principal = self.stated(mode, principal)
        max_collateral = (0, collateral, collateral + 1, collateral - 1)[(mode + collateral) % 4]
        return (
            LendingTakerTerms(min_principal_received=min_principal, max_collateral=max_collateral).encode(),
            min_principal,
            max_collateral,
        )

    def rule_loan_engage(
        self,
        loan_instrument="st_loan_domain",
        user_index="st_user",
        index="st_index",
        any_loan="st_flag",
        mode="st_limit",
    ):
        """A taker who can pay engages an open loan, now and then with limits: in Lending it
        borrows, its collateral priced now (within the maker's price bound and the taker's own
        maximum), and the principal must reach it whole and at least its minimum; in Borrowing it
        lends the principal once the collateral held covers the terms at the price now and its own
        minimum. Or anyone engages any id (unknown, finished, due, own, unpriceable or unpaid loans
        revert)."""
        domain_index = self.loan_domain(loan_instrument)
        dom = self.domains[domain_index]
        issuance_id = self.target(dom, index, self.open_issuances(dom), any_loan)
        issuance = dom.issuance(issuance_id)
        token, amount = None, None  # what the taker pays in
        if issuance is not None and issuance.lends:
            token = issuance.collateral_token
            amount = self.collateral_of(
                issuance.principal_token, issuance.principal_amount, token, issuance.collateral_ratio
            )
        elif issuance is not None:
            token, amount = issuance.principal_token, issuance.principal_amount
        chosen = issuance is not None and not any_loan
        user = self.taker_for(dom, user_index, issuance.maker, token, amount or 0) if chosen else self.users[user_index]
        taker = user.address.lower()
        error = self.engage_error(dom, issuance, taker)
        data = b""
        if issuance is not None and issuance.lends:
            data, min_principal, max_collateral = self.lending_limits(mode, issuance, amount)
            if error is None:
                error = self.lending_error(dom, issuance, taker, amount, min_principal, max_collateral)
        elif issuance is not None:
            held = self.held_for(issuance, issuance.maker, issuance.collateral_token)
            min_held = self.stated(mode, held)
            data = b"" if min_held is None else BorrowingTakerTerms(min_collateral_held=min_held).encode()
            if error is None:
                error = self.borrowing_error(dom, issuance, taker, held, min_held or 0)
        self.begin(f"{dom.kind.name} engage", user, domain_index)
        tx = self.transact(error, dom.manager.engageIssuance, issuance_id, data, {"from": user})
        if tx is None:
            return
        self.engaged_as(tx, 1)
        issuance.state, issuance.taker, issuance.engaged_clock = LoanState.ENGAGED, taker, self.clock
        issuance.engagement_due_time = tx.timestamp + duration(issuance.tenor_hours)
        if issuance.lends:
            self.commit(dom, issuance, taker, issuance.collateral_token, amount)
            self.return_whole(dom, issuance, issuance.principal_token, issuance.maker, taker)
        else:
            self.pay(dom, issuance.principal_token, taker, issuance.maker, issuance.principal_amount)

    def lending_error(self, dom, issuance, taker, collateral, min_principal, max_collateral):
        """The revert of `taker` borrowing Lending loan `issuance` against `collateral`, or None."""
        if collateral is None:
            return "PriceOracleUnknownPair"
        bound = ceil_div(issuance.principal_amount * issuance.min_collateral_per_principal, PRICE_BOUND_SCALE)
        if collateral < bound:
            return "LoanCollateralBelowBound"
        if max_collateral and collateral > max_collateral:
            return "LoanCollateralAboveLimit"
        if self.balance(dom, taker, issuance.collateral_token) < collateral:
            return "EscrowInsufficientBalance"
        principal = self.held_for(issuance, issuance.maker, issuance.principal_token)
        return self.short_of(self.arrives(issuance.collateral_token, collateral), collateral) or self.short_of(
            self.arrives(issuance.principal_token, principal), max(issuance.principal_amount, min_principal)
        )

    def borrowing_error(self, dom, issuance, taker, held, min_held):
        """The revert of `taker` lending to Borrowing loan `issuance`, whose escrow holds `held`
        collateral, or None."""
        if held < self.collateral_of(
            issuance.principal_token, issuance.principal_amount, issuance.collateral_token, issuance.collateral_ratio
        ):
            return "LoanUndercollateralised"
        if held < min_held:
            return "LoanCollateralBelowBound"
        if self.balance(dom, taker, issuance.principal_token) < issuance.principal_amount:
            return "EscrowInsufficientBalance"
        return None

    def loan_event(self, dom, index, candidates, any_id):
        """An event about the engagement of a loan: (issuance id, its model, the engagement id,
        the revert every loan event checks first). Events name engagement 1 (now and then 0 or 2),
        which exists once the loan was engaged."""
        issuance_id = self.target(dom, index, candidates, any_id)
        issuance = dom.issuance(issuance_id)
        engagement_id = {14: 0, 15: 2}.get(index // 8 % 16, 1)
        if issuance is None:
            error = "ManagerUnknownIssuance"
        elif engagement_id != 1 or issuance.state < LoanState.ENGAGED:
            error = "InstrumentUnknownEngagement"
        else:
            error = None
        return issuance_id, issuance, engagement_id, error

    def collateral_returned(self, issuance):
        """The revert of moving an engaged loan's collateral out (to the borrower or the lender),
        which must credit something, or None."""
        return self.short_of(
            self.arrives(
                issuance.collateral_token, self.held_for(issuance, issuance.borrower, issuance.collateral_token)
            ),
            1,
        )

    def rule_loan_repay(
        self, loan_instrument="st_loan_domain", user_index="st_user", index="st_index", as_borrower="st_flag"
    ):
        """The borrower repays an engaged loan before it is due: principal and interest to the
        lender, the collateral back (something of it must arrive). Anyone else, a loan not engaged,
        due or unknown, another engagement, or a borrower short of the repayment reverts."""
        domain_index = self.loan_domain(loan_instrument)
        dom = self.domains[domain_index]
        repayable = [
            issuance
            for issuance in dom.issuances
            if issuance.state == LoanState.ENGAGED and not self.engagement_due(issuance)
        ]
        issuance_id, issuance, engagement_id, error = self.loan_event(dom, index, repayable, not as_borrower)
        if as_borrower and issuance is not None and issuance.state == LoanState.ENGAGED:
            user = self.users[self.user_keys.index(issuance.borrower)]
        else:
            user = self.users[user_index]
        if error is not None:
            pass
        elif issuance.state != LoanState.ENGAGED:
            error = "InstrumentWrongState"
        elif user.address.lower() != issuance.borrower:
            error = "InstrumentWrongCaller"
        elif self.engagement_due(issuance):
            error = "LoanEngagementDue"
        elif self.balance(dom, issuance.borrower, issuance.principal_token) < issuance.repayment:
            error = "EscrowInsufficientBalance"
        else:
            error = self.collateral_returned(issuance)
        self.begin(f"{dom.kind.name} repay", user, domain_index)
        if self.send_event(domain_index, user, REPAY_FULL, error, issuance_id, engagement_id) is not None:
            issuance.state = LoanState.REPAID
            self.pay(dom, issuance.principal_token, issuance.borrower, issuance.lender, issuance.repayment)
            self.return_whole(dom, issuance, issuance.collateral_token, issuance.borrower, issuance.borrower)

    def rule_loan_engagement_due(
        self, loan_instrument="st_loan_domain", user_index="st_user", index="st_index", only_due="st_flag"
    ):
        """Anyone sends engagement_due: from the engagement due time it gives an unrepaid loan's
        collateral to the lender (something must arrive); early, repeated or after repayment it
        changes nothing. Naming an engagement other than 1, or a loan never engaged or unknown,
        reverts."""
        domain_index = self.loan_domain(loan_instrument)
        dom, user = self.domains[domain_index], self.users[user_index]
        due = [
            issuance
            for issuance in dom.issuances
            if issuance.state == LoanState.ENGAGED and self.engagement_due(issuance)
        ]
        issuance_id, issuance, engagement_id, error = self.loan_event(dom, index, due, not only_due)
        defaults = error is None and issuance.state == LoanState.ENGAGED and self.engagement_due(issuance)
        if defaults:
            error = self.collateral_returned(issuance)
        self.begin(f"{dom.kind.name} engagement_due", user, domain_index)
        if (
            self.send_event(domain_index, user, ENGAGEMENT_DUE, error, issuance_id, engagement_id) is not None
            and defaults
        ):
            issuance.state = LoanState.DEFAULTED
            self.return_whole(dom, issuance, issuance.collateral_token, issuance.borrower, issuance.lender)

    def rule_loan_margin_call(
        self, loan_instrument="st_loan_domain", user_index="st_user", index="st_index", only_callable="st_flag"
    ):
        """Anyone sends margin_call: an engaged loan with a maintenance ratio whose collateral held
        is worth less, at the price now, than that ratio of what is owed (principal and interest)
        defaults, its collateral to the lender (something must arrive); otherwise - no ratio,
        enough collateral, not engaged any more, repeated - it changes nothing. Naming an
        engagement other than 1, or a loan never engaged or unknown, reverts."""
        domain_index = self.loan_domain(loan_instrument)
        dom, user = self.domains[domain_index], self.users[user_index]
        callable_ = [
            issuance for issuance in dom.issuances if issuance.state == LoanState.ENGAGED and issuance.maintenance_ratio
        ]
        issuance_id, issuance, engagement_id, error = self.loan_event(dom, index, callable_, not only_callable)
        called = None  # (held, required) of a loan the call defaults
        if error is None and issuance.state == LoanState.ENGAGED and issuance.maintenance_ratio:
            held = self.held_for(issuance, issuance.borrower, issuance.collateral_token)
            required = self.collateral_of(
                issuance.principal_token, issuance.repayment, issuance.collateral_token, issuance.maintenance_ratio
            )
            if held < required:
                called, error = (held, required), self.collateral_returned(issuance)
        self.begin(f"{dom.kind.name} margin_call", user, domain_index)
        tx = self.send_event(domain_index, user, MARGIN_CALL, error, issuance_id, engagement_id)
        if tx is None:
            return
        margin_calls = [(e["held"], e["required"]) for e in tx.events["LoanMarginCalled"]] if called else []
        assert margin_calls == ([called] if called else []), f"margin call: {margin_calls}, model {called}"
        if called:
            issuance.state = LoanState.DEFAULTED
            self.return_whole(dom, issuance, issuance.collateral_token, issuance.borrower, issuance.lender)

    def engagement_due(self, issuance):
        return elapsed(self.clock, issuance.engaged_clock, issuance.tenor_hours)

    def rule_set_rate(
        self, pair="st_index", as_owner="st_flag", user_index="st_user", numerator="st_rate", scale="st_rate_scale"
    ):
        """The oracle's owner sets the rate of a pair of assets, between a quarter and four (zero
        reverts, and so does the pair's reverse direction while this one is set); anyone else
        reverts. It prices later loans, in no domain's records."""
        base, quote = self.rate_pairs()[pair % len(self.rate_pairs())]
        caller = self.oracle_owner if as_owner else self.users[user_index]
        denominator = max(1, numerator * 100 // scale)
        if not as_owner:
            error = "OwnableUnauthorizedAccount"
        elif (quote, base) in self.rates:
            error = "PriceOracleReversePairSet"
        elif numerator == 0:
            error = "AdminOracleZeroRate"
        else:
            error = None
        self.begin("oracle set_rate", caller, None)
        if self.transact(error, self.oracle.setRate, base, quote, numerator, denominator, {"from": caller}) is not None:
            self.rates[(base, quote)] = (numerator, denominator)
