"""Lending and Borrowing in the stateful tier: the loan model, the price oracle's model, and the
rules to create, engage and repay loans, send engagement_due, and change the oracle's rates
(cancel and issuance_due are the machine's, shared by every instrument). A mixin of
escrow_machine.EscrowMachine.

The model prices collateral as LoanInstrument.collateralOf does - the principal's value in the
collateral token rounded up, then the ratio of it rounded up - and repayments as repaymentOf
(interest rounded up), at the rates the model keeps for the oracle.
"""

from dataclasses import dataclass
from functools import partial

from brownie.test import strategy
from model import ZERO_ADDRESS, InstrumentKind, Issuance, duration, elapsed

from support import loan_terms

# LoanState, in the order of interfaces/ILoan.sol.
NONE, ENGAGEABLE, CANCELLED, EXPIRED, ENGAGED, REPAID, DEFAULTED = range(7)
BASIS_POINTS = 10_000
LOAN_RECORD = (
    "address",
    "uint64",
    "uint8",
    "address",
    "uint64",
    "address",
    "uint64",
    "uint32",
    "address",
    "uint32",
    "uint256",
)
LENDING, BORROWING = (
    InstrumentKind(
        name=name,
        error_prefix="Loan",
        record_types=LOAN_RECORD,
        expired=EXPIRED,
        not_engageable="LoanWrongState",
        not_maker="LoanWrongCaller",
    )
    for name in ("lending", "borrowing")
)
# The oracle's rates at the start of every example, by asset index (ETH, Alpha, Beta, Fee), set
# in this direction: quote amount = base amount * numerator / denominator. Beta and Fee have no
# rate until the machine sets one, so pricing them reverts with PriceOracleUnknownPair.
INITIAL_RATES = {(0, 1): (3, 2), (0, 2): (1, 3), (0, 3): (5, 4), (1, 2): (7, 3), (1, 3): (2, 5)}


def ceil_div(a, b):
    return -(-a // b)


@dataclass(kw_only=True)
class LoanIssuance(Issuance):
    lends: bool  # the maker lends (Lending) or borrows (Borrowing)
    principal_token: str
    principal_amount: int
    collateral_token: str
    collateral_ratio: int
    tenor_hours: int
    interest_rate: int
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
        return (
            self.maker,
            self.due_time,
            self.state,
            self.taker,
            self.engagement_due_time,
            self.principal_token,
            duration(self.tenor_hours),
            self.collateral_ratio,
            self.collateral_token,
            self.interest_rate,
            self.principal_amount,
        )


class LoanRules:
    st_loan_domain = strategy("uint8", max_value=1)
    st_ratio = strategy("uint16", max_value=30_000)
    st_interest = strategy("uint16", max_value=5_000)
    st_tenor = strategy("uint8", max_value=23)
    st_rate = strategy("uint32", max_value=10**6)
    st_rate_scale = strategy("uint16", min_value=25, max_value=400)

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

    def loan_domain(self, d):
        return self.domain_of(("lending", "borrowing")[d], 0)

    # --------------------------------------------------------------------------------- rules

    def rule_loan_create(
        self,
        d="st_loan_domain",
        index="st_index",
        t_other="st_token",
        percent="st_percent",
        ratio="st_ratio",
        interest="st_interest",
        hours="st_duration",
        tenor="st_tenor",
    ):
        """A maker offers a loan, due in some hours, for a tenor of up to a day. In Lending it
        commits a tenth of `percent` of a balance as the principal; in Borrowing it commits
        `percent` of a balance as collateral, for the principal that much secures at the rates now
        (the collateral, priced again by the instrument, may come out a little more)."""
        d = self.loan_domain(d)
        lends = self.domains[d].kind.name == "lending"
        u, t_mine, balance, amount = self.offer(d, index, percent)
        mine, other = self.token_keys[t_mine], self.token_keys[t_other]
        principal_token, collateral_token = (mine, other) if lends else (other, mine)
        rate = self.rate(principal_token, collateral_token)
        if lends:
            principal = max(1, amount // 10)
        elif rate is None or ratio == 0:
            principal = amount
        else:
            principal = max(1, amount * BASIS_POINTS // ratio * rate[1] // rate[0])
        committed = principal if lends else self.collateral_of(principal_token, principal, collateral_token, ratio)
        if mine == other:
            error = "LoanSameToken"
        elif ratio == 0:
            error = "LoanOutOfBounds"
        elif committed is None:
            error = "PriceOracleUnknownPair"
        elif committed > balance:
            error = "EscrowInsufficientBalance"
        else:
            error = None
        terms = loan_terms(
            duration(hours), principal_token, principal, collateral_token, ratio, duration(tenor), interest
        )
        build = partial(
            LoanIssuance,
            lends=lends,
            principal_token=principal_token,
            principal_amount=principal,
            collateral_token=collateral_token,
            collateral_ratio=ratio,
            tenor_hours=tenor,
            interest_rate=interest,
        )
        s = self.create(d, self.users[u], error, terms, hours, build)
        if s is not None:
            self.commit(self.domains[d], s, s.maker, mine, committed)

    def initialize_lending(
        self,
        index="st_index",
        t_other="st_token",
        percent="st_percent",
        ratio="st_ratio",
        interest="st_interest",
        hours="st_duration",
        tenor="st_tenor",
    ):
        """Every example starts with a loan offered and engaged in the Lending domain (see
        EscrowMachine), so that repay and engagement_due have a loan to act on."""
        t_other = self.other_token(self.loan_domain(0), index, percent, t_other)
        self.open_loan(0, index, t_other, percent, ratio, interest, hours, tenor)

    def initialize_borrowing(
        self,
        index="st_index",
        t_other="st_token",
        percent="st_percent",
        ratio="st_ratio",
        interest="st_interest",
        hours="st_duration",
        tenor="st_tenor",
    ):
        """Every example starts with a loan asked for and engaged in the Borrowing domain (see
        EscrowMachine), so that repay and engagement_due have a loan to act on."""
        t_other = self.other_token(self.loan_domain(1), index, percent, t_other)
        self.open_loan(1, index, t_other, percent, ratio, interest, hours, tenor)

    def open_loan(self, d, index, t_other, percent, ratio, interest, hours, tenor):
        """An initialize rule's two steps, each checked: a loan created, then engaged by a taker
        who can pay (either may revert, as any step)."""
        self.rule_loan_create(d, index, t_other, percent, ratio, interest, hours, tenor)
        self.check_now()
        self.rule_loan_engage(d, index % len(self.users), 0, False)
        self.check_now()

    def rule_loan_engage(self, d="st_loan_domain", u="st_user", index="st_index", any_loan="st_flag"):
        """A taker who can pay engages an open loan: in Lending it borrows, its collateral priced
        now; in Borrowing it lends the principal. Or anyone engages any id (unknown, finished, due,
        own, unpriceable or unpaid loans revert)."""
        d = self.loan_domain(d)
        dom = self.domains[d]
        issuance_id = self.target(dom, index, self.open_issuances(dom), any_loan)
        s = dom.issuance(issuance_id)
        token, amount = None, None  # what the taker pays in
        if s is not None and s.lends:
            token = s.collateral_token
            amount = self.collateral_of(s.principal_token, s.principal_amount, token, s.collateral_ratio)
        elif s is not None:
            token, amount = s.principal_token, s.principal_amount
        chosen = s is not None and not any_loan
        user = self.taker_for(dom, u, s.maker, token, amount or 0) if chosen else self.users[u]
        taker = user.address.lower()
        error = self.engage_error(dom, s, taker)
        if error is None and amount is None:
            error = "PriceOracleUnknownPair"
        elif error is None and self.balance(dom, taker, token) < amount:
            error = "EscrowInsufficientBalance"
        self.begin(f"{dom.kind.name} engage", user, d)
        tx = self.transact(error, dom.manager.engageIssuance, issuance_id, b"", {"from": user})
        if tx is None:
            return
        s.state, s.taker, s.engaged_clock = ENGAGED, taker, self.clock
        s.engagement_due_time = tx.timestamp + duration(s.tenor_hours)
        if s.lends:
            self.commit(dom, s, taker, s.collateral_token, amount)
            self.return_whole(dom, s, s.principal_token, s.maker, taker)
        else:
            self.pay(dom, s.principal_token, taker, s.maker, s.principal_amount)

    def rule_loan_repay(self, d="st_loan_domain", u="st_user", index="st_index", as_borrower="st_flag"):
        """The borrower repays an engaged loan before it is due: principal and interest to the
        lender, the collateral back. Anyone else, a loan not engaged, due or unknown, or a borrower
        short of the repayment reverts."""
        d = self.loan_domain(d)
        dom = self.domains[d]
        repayable = [s for s in dom.issuances if s.state == ENGAGED and not self.engagement_due(s)]
        issuance_id = self.target(dom, index, repayable, not as_borrower)
        s = dom.issuance(issuance_id)
        if as_borrower and s is not None and s.state == ENGAGED:
            user = self.users[self.user_keys.index(s.borrower)]
        else:
            user = self.users[u]
        if s is None:
            error = "ManagerUnknownIssuance"
        elif s.state != ENGAGED:
            error = "LoanWrongState"
        elif user.address.lower() != s.borrower:
            error = "LoanWrongCaller"
        elif self.engagement_due(s):
            error = "LoanEngagementDue"
        elif self.balance(dom, s.borrower, s.principal_token) < s.repayment:
            error = "EscrowInsufficientBalance"
        else:
            error = None
        self.begin(f"{dom.kind.name} repay", user, d)
        if self.send_event(d, user, "repay_full", error, issuance_id, 1) is not None:
            s.state = REPAID
            self.pay(dom, s.principal_token, s.borrower, s.lender, s.repayment)
            self.return_whole(dom, s, s.collateral_token, s.borrower, s.borrower)

    def rule_loan_engagement_due(self, d="st_loan_domain", u="st_user", index="st_index", only_due="st_flag"):
        """Anyone sends engagement_due: from the engagement due time it gives an unrepaid loan's
        collateral to the lender; early, repeated or after repayment it changes nothing. Naming an
        engagement other than 1 (now and then) or an unknown loan reverts."""
        d = self.loan_domain(d)
        dom, user = self.domains[d], self.users[u]
        due = [s for s in dom.issuances if s.state == ENGAGED and self.engagement_due(s)]
        issuance_id = self.target(dom, index, due, not only_due)
        s = dom.issuance(issuance_id)
        engagement_id = 2 if index >= 240 else 1
        if s is None:
            error = "ManagerUnknownIssuance"
        elif engagement_id != 1:
            error = "LoanUnknownEngagement"
        else:
            error = None
        self.begin(f"{dom.kind.name} engagement_due", user, d)
        sent = self.send_event(d, user, "engagement_due", error, issuance_id, engagement_id)
        if sent is not None and s.state == ENGAGED and self.engagement_due(s):
            s.state = DEFAULTED
            self.return_whole(dom, s, s.collateral_token, s.borrower, s.lender)

    def engagement_due(self, s):
        return elapsed(self.clock, s.engaged_clock, s.tenor_hours)

    def rule_set_rate(
        self, pair="st_index", as_owner="st_flag", u="st_user", numerator="st_rate", scale="st_rate_scale"
    ):
        """The oracle's owner sets the rate of a pair of assets, between a quarter and four (zero
        reverts, and so does the pair's reverse direction while this one is set); anyone else
        reverts. It prices later loans, in no domain's records."""
        base, quote = self.rate_pairs()[pair % len(self.rate_pairs())]
        caller = self.oracle_owner if as_owner else self.users[u]
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
