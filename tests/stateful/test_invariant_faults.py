"""Each invariant of EscrowMachine fails when it should: a deliberately wrong model, step record or
check (never a contract change) must be caught by exactly the invariant meant for it.

The machine is driven by hand here (its rules and invariants are plain methods), on the same
fixtures as the stateful test.
"""

import pytest
from brownie import MockERC20
from escrow_machine import EscrowMachine, low

from nuts_escrow.types import LoanState, MultiSwapState, SwapState
from support import ETH


@pytest.fixture
def machine(registry, domains, users, providers, assets, funding, oracle):
    """A machine after setup, a swap created in domain 0 and a deposit in domain 1: all invariants hold."""
    machine = object.__new__(EscrowMachine)
    EscrowMachine.__init__(machine, registry, domains, users, providers, assets, funding, oracle)
    machine.setup()
    machine.rule_swap_create(0, 0, 2, 50, 10**18, 1)  # user 0 offers half its ETH for 1e18 Beta, for 1.5 hours
    assert machine.step.ok
    machine.rule_deposit(1, 1, 3, 10**18)
    check_all(machine)
    return machine


def check_all(machine):
    for name in dir(machine):
        if name.startswith("invariant_"):
            getattr(machine, name)()


def fails(machine, invariant):
    with pytest.raises(AssertionError):
        getattr(machine, invariant)()


def test_the_machine_holds_on_a_valid_sequence(machine):
    machine.rule_swap_engage(0, 1, 0, False, 0)
    assert machine.step.ok
    check_all(machine)
    machine.rule_sleep(3)
    machine.rule_close_due(0, 2, 0, True)
    machine.rule_withdraw(1, 0, 100)
    check_all(machine)


def test_the_machine_holds_through_loans_and_multiswap_fills(machine):
    steps = [
        # Lending: user 0 lends a tenth of half its Alpha against ETH at 150%; the borrower repays.
        lambda: machine.rule_loan_create(0, 1, 0, 50, 15_000, 500, 2, 1, 0, False),
        lambda: machine.rule_loan_engage(0, 1, 0, False, 0),
        lambda: machine.rule_loan_repay(0, 0, 0, True),
        # Borrowing: user 0 puts 40% of its adjustable-fee token (no fee yet) up at 120% for Alpha;
        # it defaults.
        lambda: machine.rule_loan_create(1, 4, 1, 40, 12_000, 333, 1, 0, 0, False),
        lambda: machine.rule_loan_engage(1, 2, 0, False, 0),
        lambda: machine.rule_sleep(2),
        lambda: machine.rule_loan_engagement_due(1, 3, 0, True),
        # MultiSwap: user 0 offers 30% of its Beta for Alpha, in fills of 10% to 46%: two fills of
        # the maximum, then the exact tail (8%, below the minimum).
        lambda: machine.rule_multiswap_create(2, 1, 30, 10**6 + 7, 10, 40, 1),
        *(lambda taker=taker: machine.rule_multiswap_fill(taker, 0, 0, 1, False, 0) for taker in (1, 2, 0)),
    ]
    for step in steps:
        step()
        assert machine.step.ok, machine.step
        check_all(machine)
    lent, borrowed, multiswap = (machine.domains[domain_index].issuances[0] for domain_index in (2, 3, 4))
    assert (lent.state, borrowed.state, multiswap.state) == (
        LoanState.REPAID,
        LoanState.DEFAULTED,
        MultiSwapState.COMPLETE,
    )


def test_the_machine_predicts_margin_calls_and_settlements_that_credit_nothing(machine):
    lending, swap = machine.domains[2], machine.domains[0]
    # Lending: user 0 lends a tenth of half its Alpha against ETH at 150%, maintenance 90% (60% of
    # the ratio): the collateral (1 principal's worth) covers 90% of what is owed (105%).
    machine.rule_loan_create(0, 1, 0, 50, 15_000, 500, 2, 1, 60, False)
    machine.rule_loan_engage(0, 1, 0, False, 0)
    machine.rule_loan_margin_call(0, 2, 0, True)
    assert machine.step.ok and lending.issuances[0].state == LoanState.ENGAGED  # nothing happened
    check_all(machine)
    # ETH falls to a quarter of an Alpha: 1 principal's worth of ETH collateral becomes a quarter.
    machine.rule_set_rate(0, True, 0, 100, 25)
    assert machine.rates[(machine.token_keys[0], machine.token_keys[1])] == (100, 400)
    machine.rule_loan_margin_call(0, 2, 0, True)
    assert machine.step.ok and lending.issuances[0].state == LoanState.DEFAULTED  # the lender has the collateral
    check_all(machine)
    # The adjustable token takes everything: a swap of it can be offered, but not taken.
    machine.rule_set_fee(0, 2)
    assert machine.fee_bps[machine.adjustable_token] == 10_000
    machine.rule_swap_create(0, 4, 1, 10, 10**6, 2)  # user 0 offers 10% of its adjustable token
    assert machine.step.ok and swap.issuances[1].input_token == machine.adjustable_token
    machine.rule_swap_engage(0, 1, 1, False, 0)
    assert (machine.step.ok, machine.step.error) == (False, "ManagerCreditBelowMinimum")
    check_all(machine)
    # Without the fee nothing arrived either (it all burned at creation): still nothing to take.
    machine.rule_set_fee(0, 0)
    machine.rule_swap_engage(0, 1, 1, False, 0)
    assert (machine.step.ok, machine.step.error) == (False, "ManagerCreditBelowMinimum")
    check_all(machine)


def test_the_machine_predicts_repricing_and_taker_bounds_of_loans(machine):
    lending, borrowing = machine.domains[2].issuances, machine.domains[3].issuances
    eth_to_alpha = 0  # the first of machine.rate_pairs(): (ETH, Alpha), 3/2 at the start
    # Lending of Alpha against ETH at 150%, bounded at the collateral per principal now; Borrowing
    # of Alpha against ETH at 150%, its collateral priced now.
    machine.rule_loan_create(0, 1, 0, 50, 15_000, 500, 2, 1, 50, True)
    assert machine.step.ok and lending[0].min_collateral_per_principal > 0
    machine.rule_loan_create(1, 0, 1, 10, 15_000, 500, 2, 1, 0, False)
    assert machine.step.ok
    check_all(machine)
    # ETH falls to a quarter of an Alpha: the collateral held no longer covers the Borrowing loan.
    machine.rule_set_rate(eth_to_alpha, True, 0, 100, 25)
    machine.rule_loan_engage(1, 1, 0, False, 0)
    assert (machine.step.ok, machine.step.error) == (False, "LoanUndercollateralised")
    # ETH rises to four Alphas: the Lending collateral priced now is below the lender's bound.
    machine.rule_set_rate(eth_to_alpha, True, 0, 100, 400)
    machine.rule_loan_engage(0, 1, 0, False, 1)
    assert (machine.step.ok, machine.step.error) == (False, "LoanCollateralBelowBound")
    # The Borrowing lender asks for one unit more collateral than is held, then for exactly it.
    machine.rule_loan_engage(1, 1, 0, False, 3)
    assert (machine.step.ok, machine.step.error) == (False, "LoanCollateralBelowBound")
    machine.rule_loan_engage(1, 1, 0, False, 1)
    assert machine.step.ok and borrowing[0].state == LoanState.ENGAGED
    check_all(machine)


def test_solvency_catches_an_escrow_holding_more_than_booked(machine, users):
    # A plain token arriving outside deposit makes held != booked (equality for non-fee tokens).
    alpha = MockERC20.at(machine.assets[1][0])
    machine.begin("donate", users[0], 0)
    alpha.transfer(machine.domains[0].escrow, 1, {"from": users[0]})
    fails(machine, "invariant_solvency")


def test_solvency_catches_a_fee_token_ledger_above_holdings(machine):
    snap = machine.snapshot()
    escrow, fee_token = low(machine.domains[1].escrow), machine.fee_token
    snap.values[("held", 1, escrow, fee_token)] = snap.ledger_total(1, fee_token, escrow) - 1
    fails(machine, "invariant_solvency")


def test_isolation_catches_a_change_in_the_other_domain(machine, users):
    machine.begin("deposit", users[0], 0)  # recorded as a step in domain 0 ...
    machine.domains[1].escrow.deposit({"from": users[0], "value": 1})  # ... but domain 1 changes
    fails(machine, "invariant_isolation")


def test_no_loss_catches_a_balance_falling_for_someone_else(machine, users):
    machine.begin("withdraw", users[0], 0)  # recorded as user 0's step ...
    machine.domains[0].escrow.withdraw(1, {"from": users[1]})  # ... but user 1's balance falls
    fails(machine, "invariant_no_loss_without_consent")


def test_always_exit_catches_a_withdrawal_that_reverts(machine):
    machine.exit_extra = 1  # ask for one wei more than each balance: every call reverts
    fails(machine, "invariant_always_exit")


def test_conservation_catches_a_manager_move_that_changes_the_total(machine, users):
    machine.begin("swap create", users[0], 0)
    machine.step.ok = True  # recorded as a manager move in domain 0 ...
    machine.domains[0].escrow.deposit({"from": users[0], "value": 1})  # ... but the total grows
    fails(machine, "invariant_conservation")


def test_model_check_catches_a_wrong_ledger_update(machine, users):
    machine.rule_deposit(0, 2, 0, 10**9)
    machine.ledger[(low(machine.domains[0].escrow), low(users[2]), low(ETH))] += 1
    fails(machine, "invariant_model_matches_chain")


def test_model_check_catches_a_wrong_swap_state(machine):
    machine.rule_cancel(0, 0, 0, True)
    assert machine.step.ok
    machine.domains[0].issuances[0].state = SwapState.ENGAGEABLE  # the model forgets the cancellation
    fails(machine, "invariant_model_matches_chain")


def test_model_check_catches_a_forgotten_oracle_rate(machine):
    machine.rule_set_rate(0, True, 0, 7, 100)  # the owner sets ETH -> Alpha to 7/7
    assert machine.step.ok
    machine.rates.update(machine.initial_rates)  # the model forgets the change
    fails(machine, "invariant_model_matches_chain")


def test_model_check_catches_a_wrong_fee(machine):
    machine.rule_deposit(1, 3, 3, 10**6)  # 1% of the fee token burns: the model books 990,000
    machine.ledger[(low(machine.domains[1].escrow), low(machine.users[3]), machine.fee_token)] += 10**4
    fails(machine, "invariant_model_matches_chain")


def test_model_check_catches_a_forgotten_fee_change(machine):
    machine.rule_set_fee(2, 1)  # user 2 sets the adjustable token's fee to 1%
    assert machine.step.ok
    machine.fee_bps[machine.adjustable_token] = 0  # the model forgets the change
    fails(machine, "invariant_model_matches_chain")
