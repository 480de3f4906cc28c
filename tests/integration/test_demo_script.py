"""Integration tests of scripts/demo.py: each walk-through runs and ends with the right balances.

The whole demo runs once per module (the deployment, then the swap, lending, borrowing,
margincall and multiswap walk-throughs) with the `deployer`, `maker`, `taker`, a second taker and
the `stranger` as keeper; the tests check its snapshots and read the chain itself to confirm them.
"""

import io
import json

import pytest
from brownie import (
    AdminPriceOracle,
    Borrowing,
    InstrumentEscrow,
    InstrumentManager,
    IssuanceEscrow,
    Lending,
    MockERC20,
    MultiSwap,
    Swap,
    accounts,
    network,
    web3,
)
from eth_abi import encode
from rich.console import Console

from nuts_escrow.types import LoanState, MultiSwapState, SwapState
from scripts import demo as demo_script
from scripts.demo import (
    ETH_SWAP_INPUT_WEI,
    INSTRUMENT_ESCROW,
    SWAP_INPUT_UNITS,
    SWAP_OUTPUT_UNITS,
    WALKTHROUGHS,
    WALLET,
    DemoParties,
    run_demo,
)
from scripts.deploy import deployment_file

UNIT = {"TKA": 10**18, "TKB": 10**6, "ETH": 10**18}
# What each role holds in its wallet at the end of each walk-through, in whole tokens; nothing is
# left in any escrow. Lending: 500 TKB lent for 5% against 150% collateral at 1 TKA = 2 TKB
# (375 TKA). Borrowing: the same loan, not repaid: the lender keeps the collateral. Margin call:
# the Lending loan, margin called once 1 TKA = 1.5 TKB: the lender (maker) gets the 375 TKA, the
# borrower keeps the 500 TKB. MultiSwap: 300 TKA for 600 TKB, filled 200 and 250 TKB (100 and
# 125 TKA); the unfilled 75 TKA go back.
FINAL_WALLETS = {
    "swap": {"maker": {"TKA": 900, "TKB": 250}, "taker": {"TKA": 100, "TKB": 750}},
    "lending": {"maker": {"TKA": 0, "TKB": 1_025}, "taker": {"TKA": 1_000, "TKB": 75}},
    "borrowing": {"maker": {"TKA": 625, "TKB": 500}, "taker": {"TKA": 375, "TKB": 500}},
    "margincall": {"maker": {"TKA": 375, "TKB": 500}, "taker": {"TKA": 625, "TKB": 500}},
    "multiswap": {
        "maker": {"TKA": 775, "TKB": 450},
        "taker": {"TKA": 100, "TKB": 800},
        "taker 2": {"TKA": 125, "TKB": 750},
    },
}
# The taker data each walk-through's engagements send: every taker states its minimum. Swap:
# minInputReceived; Lending: minPrincipalReceived and maxCollateral; Borrowing: minCollateralHeld;
# MultiSwap: fillOutput and the quoted minInputReceived.
TAKER_DATA = {
    "swap": [(["uint256"], [100 * 10**18])],
    "lending": [(["uint256", "uint256"], [500 * 10**6, 375 * 10**18])],
    "borrowing": [(["uint256"], [375 * 10**18])],
    "margincall": [(["uint256", "uint256"], [500 * 10**6, 375 * 10**18])],
    "multiswap": [
        (["uint256", "uint256"], [200 * 10**6, 100 * 10**18]),
        (["uint256", "uint256"], [250 * 10**6, 125 * 10**18]),
    ],
}
# The Lending maker's price bound: 300 TKA for the 500 TKB principal, per unit, scaled by 1e18.
LENDER_PRICE_BOUND = 300 * 10**18 * 10**18 // (500 * 10**6)
# The margin call: 120% of the 525 TKB owed, at 1 TKA = 1.5 TKB, is 420 TKA; the loan holds 375.
MAINTENANCE_RATIO = 12_000
# How the demo prints each transaction: one line, "  tx  <sender's role> <contract.function> gas <gas>".
TRANSACTION_LINE = "  tx  "
MARGIN_REQUIRED = 420 * UNIT["TKA"]


@pytest.fixture(scope="module")
def second_taker():
    """The MultiSwap's second taker: an account with no other role in the tests."""
    return accounts[6]


@pytest.fixture(scope="module")
def parties(deployer, maker, taker, second_taker, stranger):
    return DemoParties(deployer, maker, taker, second_taker, keeper=stranger)


@pytest.fixture(scope="module")
def demo_output():
    """Where the demo's console writes, to check what a user would see."""
    return io.StringIO()


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory):
    """A temporary deployments folder for the demo's deployment record."""
    return tmp_path_factory.mktemp("deployments")


@pytest.fixture(scope="module")
def demo_run(parties, demo_folder, demo_output):
    """The whole demo, run once for the module."""
    console = Console(file=demo_output, width=100, force_terminal=False)
    return run_demo(parties, deployments_dir=demo_folder, console=console)


@pytest.fixture(scope="module", params=list(WALKTHROUGHS))
def walkthrough(request, demo_run):
    """Each walk-through's result in turn."""
    return demo_run.walkthroughs[request.param]


def escrow_places(snapshot):
    """The escrow places (not the wallet) a snapshot knows."""
    return [place for place in snapshot.balances["maker"]["TKA"] if place != WALLET]


def escrows_of(result):
    """The contracts of the walk-through's Instrument Escrow and Issuance Escrows."""
    return [InstrumentEscrow.at(result.instrument_escrow)] + [
        IssuanceEscrow.at(address) for address in result.issuance_escrows.values()
    ]


def fees_paid(result, account):
    """The ETH `account` paid for gas over the walk-through's transactions."""
    return sum(tx.gas_used * tx.gas_price for tx in result.transactions if tx.sender == account.address)


# -------------------------------------------------------------------------- every walk-through


def test_every_walkthrough_runs_in_its_instruments_domain(demo_run):
    assert list(demo_run.walkthroughs) == ["swap", "lending", "borrowing", "margincall", "multiswap"]
    assert WALKTHROUGHS["margincall"].instrument == "Lending"
    for name, result in demo_run.walkthroughs.items():
        domain = demo_run.deployment["domains"][WALKTHROUGHS[name].instrument]
        assert result.name == name
        assert result.instrument_escrow == domain["instrumentEscrow"]
        assert result.deployment is demo_run.deployment


def test_each_walkthrough_ends_with_the_expected_wallets_on_chain(walkthrough):
    for role, holdings in FINAL_WALLETS[walkthrough.name].items():
        for symbol, units in holdings.items():
            token = MockERC20.at(walkthrough.assets[symbol])
            assert token.balanceOf(walkthrough.accounts[role]) == units * UNIT[symbol], (role, symbol)
            assert walkthrough.final.balances[role][symbol][WALLET] == units * UNIT[symbol], (role, symbol)


def test_nothing_is_left_in_any_escrow_on_chain(walkthrough):
    assert walkthrough.issuance_escrows, "every walk-through creates an issuance"
    for escrow in escrows_of(walkthrough):
        assert web3.eth.get_balance(escrow.address) == 0
        for symbol, asset in walkthrough.assets.items():
            if symbol != "ETH":
                assert MockERC20.at(asset).balanceOf(escrow) == 0, (escrow, symbol)
            for account in walkthrough.accounts.values():
                assert escrow.getTokenBalance(account, asset) == 0, (escrow, account, symbol)


def test_every_step_has_a_snapshot_with_its_own_caption(walkthrough):
    captions = [snapshot.caption for snapshot in walkthrough.snapshots]

    assert len(captions) == WALKTHROUGHS[walkthrough.name].steps
    assert len(set(captions)) == len(captions)
    assert all(caption.strip() and "\n" not in caption for caption in captions)


def test_tokens_are_conserved_at_every_step(walkthrough):
    minted = {
        symbol: sum(walkthrough.snapshots[0].balances[role][symbol][WALLET] for role in walkthrough.accounts)
        for symbol in ("TKA", "TKB")
    }
    assert all(minted.values())
    for snapshot in walkthrough.snapshots:
        for symbol, total in minted.items():
            held = sum(sum(snapshot.balances[role][symbol].values()) for role in walkthrough.accounts)
            assert held == total, (snapshot.caption, symbol)


def test_escrow_ledgers_match_what_the_escrows_hold_at_every_step(walkthrough):
    for snapshot in walkthrough.snapshots:
        for place in escrow_places(snapshot):
            for symbol, held in snapshot.holdings.items():
                booked = sum(snapshot.balances[role][symbol][place] for role in walkthrough.accounts)
                assert booked == held[place], (snapshot.caption, symbol, place)


def test_every_step_is_printed_with_its_caption(demo_run, demo_output):
    printed = demo_output.getvalue()

    for result in demo_run.walkthroughs.values():
        for step, snapshot in enumerate(result.snapshots, start=1):
            assert f"{result.title}, step {step}" in printed
            assert " ".join(snapshot.caption.split()) in " ".join(printed.split())


def test_every_transaction_is_printed_on_one_line_with_its_sender_function_and_gas(demo_run, demo_output):
    lines = [line for line in demo_output.getvalue().splitlines() if line.startswith(TRANSACTION_LINE)]
    sent = [tx for result in demo_run.walkthroughs.values() for tx in result.transactions]

    assert len(sent) > len(demo_run.walkthroughs)
    assert len(lines) == len(sent)
    for line, tx in zip(lines, sent, strict=True):
        called = f"deploy {tx.contract_name}" if tx.contract_address else f"{tx.contract_name}.{tx.fn_name}"
        assert line.split()[1] in {"deployer", "maker", "taker", "keeper"}, line
        assert called in line
        assert line.split()[-2:] == ["gas", f"{tx.gas_used:,}"]


def test_every_taker_states_its_minimum_in_its_taker_data(walkthrough):
    manager = InstrumentManager.at(walkthrough.deployment["domains"][walkthrough.instrument]["instrumentManager"])
    engagements = [tx for tx in walkthrough.transactions if tx.fn_name == "engageIssuance"]

    sent = [bytes(manager.engageIssuance.decode_input(tx.input)[1]) for tx in engagements]
    assert sent == [encode(types, values) for types, values in TAKER_DATA[walkthrough.name]]


def test_deployment_record_goes_to_the_given_folder(demo_run, demo_folder):
    path = deployment_file(network.show_active(), demo_folder)

    assert json.loads(path.read_text()) == demo_run.deployment
    assert demo_run.deployment["priceOracleKind"] == "admin"


# ----------------------------------------------------------------------------------------- swap


def test_swap_states_are_engaged_then_cancelled(demo_run):
    swap = Swap.at(demo_run.deployment["contracts"]["Swap"])
    manager = demo_run.deployment["domains"]["Swap"]["instrumentManager"]

    engaged = swap.getIssuance(manager, 1)
    cancelled = swap.getIssuance(manager, 2)
    assert engaged["state"] == SwapState.COMPLETE_ENGAGED
    assert cancelled["state"] == SwapState.CANCELLED
    assert cancelled["inputToken"] == demo_run.deployment["nativeEth"]
    assert cancelled["inputAmount"] == ETH_SWAP_INPUT_WEI


def test_the_swap_moves_the_input_through_the_issuance_escrow(demo_run):
    snapshots = demo_run.walkthroughs["swap"].snapshots
    created, engaged = snapshots[3], snapshots[4]

    assert created.balances["maker"]["TKA"]["Issuance Escrow #1"] == SWAP_INPUT_UNITS * UNIT["TKA"]
    assert created.balances["maker"]["TKA"][INSTRUMENT_ESCROW] == 0
    assert engaged.balances["maker"]["TKA"]["Issuance Escrow #1"] == 0
    assert engaged.balances["taker"]["TKA"][INSTRUMENT_ESCROW] == SWAP_INPUT_UNITS * UNIT["TKA"]
    assert engaged.balances["maker"]["TKB"][INSTRUMENT_ESCROW] == SWAP_OUTPUT_UNITS * UNIT["TKB"]


def test_maker_gets_its_eth_back_after_cancelling(demo_run, maker):
    result = demo_run.walkthroughs["swap"]
    eth_before = result.snapshots[0].balances["maker"]["ETH"][WALLET]

    assert result.final.balances["maker"]["ETH"][WALLET] == eth_before - fees_paid(result, maker)


# --------------------------------------------------------------------------------------- loans


def loan_of(demo_run, name):
    """The on-chain record of the loan walk-through `name` created."""
    result = demo_run.walkthroughs[name]
    instrument = WALKTHROUGHS[name].instrument
    manager = demo_run.deployment["domains"][instrument]["instrumentManager"]
    (loan_id,) = result.issuance_ids
    contract = {"Lending": Lending, "Borrowing": Borrowing}[instrument]
    return contract.at(demo_run.deployment["contracts"][instrument]).getIssuance(manager, loan_id)


def test_the_lending_loan_is_repaid_with_interest(demo_run, maker, taker):
    loan = loan_of(demo_run, "lending")
    engaged = demo_run.walkthroughs["lending"].snapshots[4]

    assert loan["state"] == LoanState.REPAID
    assert (loan["maker"], loan["taker"]) == (maker.address, taker.address)
    assert loan["minCollateralPerPrincipal"] == LENDER_PRICE_BOUND, "the maker's price bound (nine-field data)"
    assert loan["maintenanceRatio"] == 0
    assert engaged.balances["taker"]["TKA"]["Issuance Escrow #1"] == 375 * UNIT["TKA"], "collateral at 150%"
    assert engaged.balances["taker"]["TKB"][INSTRUMENT_ESCROW] == 525 * UNIT["TKB"], "principal and interest"


def test_the_borrowing_loan_defaults_and_its_collateral_goes_to_the_lender(demo_run, maker, taker, stranger):
    loan = loan_of(demo_run, "borrowing")
    result = demo_run.walkthroughs["borrowing"]
    (due,) = [tx for tx in result.transactions if tx.fn_name == "processEvent"]

    assert loan["state"] == LoanState.DEFAULTED
    assert (loan["maker"], loan["taker"]) == (maker.address, taker.address)
    assert due.sender == stranger.address, "a third party sent engagement_due"
    assert web3.eth.get_block(due.block_number).timestamp >= loan["engagementDueTime"]
    assert result.snapshots[-2].balances["taker"]["TKA"][INSTRUMENT_ESCROW] == 375 * UNIT["TKA"]


def test_the_margin_call_defaults_the_loan_and_pays_the_lender(demo_run, maker, taker, stranger):
    result = demo_run.walkthroughs["margincall"]
    loan = loan_of(demo_run, "margincall")
    early, called = [tx for tx in result.transactions if tx.fn_name == "processEvent"]
    engaged, after_early_call = result.snapshots[4], result.snapshots[5]
    before_call, after_call = result.snapshots[-4], result.snapshots[-3]
    (place,) = result.issuance_escrows

    assert loan["state"] == LoanState.DEFAULTED
    assert (loan["maker"], loan["taker"]) == (maker.address, taker.address)
    assert loan["maintenanceRatio"] == MAINTENANCE_RATIO
    assert early.sender == called.sender == stranger.address, "a third party sent margin_call"
    assert "LoanMarginCalled" not in early.events, "at 1 TKA = 2 TKB the collateral covered the loan"
    assert dict(called.events["LoanMarginCalled"]) == {
        "manager": demo_run.deployment["domains"]["Lending"]["instrumentManager"],
        "issuanceId": result.issuance_ids[0],
        "held": 375 * UNIT["TKA"],
        "required": MARGIN_REQUIRED,
    }
    assert after_early_call.balances == engaged.balances, "the early margin_call changed nothing"
    assert before_call.balances["taker"]["TKA"][place] == 375 * UNIT["TKA"]
    assert after_call.balances["maker"]["TKA"][INSTRUMENT_ESCROW] == 375 * UNIT["TKA"], "the lender's collateral"
    assert after_call.balances["taker"]["TKA"][place] == 0
    assert after_call.holdings["TKA"][place] == 0


def test_the_margin_call_follows_the_oracles_new_price(demo_run):
    result = demo_run.walkthroughs["margincall"]
    lending = Lending.at(demo_run.deployment["contracts"]["Lending"])
    oracle = AdminPriceOracle.at(demo_run.deployment["contracts"]["PriceOracle"])
    token_a, token_b = result.assets["TKA"], result.assets["TKB"]

    numerator, denominator = oracle.getRate(token_a, token_b)
    assert numerator * 2 * UNIT["TKA"] == denominator * 3 * UNIT["TKB"], "1 TKA = 1.5 TKB"
    assert lending.collateralOf(token_b, 525 * UNIT["TKB"], token_a, MAINTENANCE_RATIO) == MARGIN_REQUIRED


def test_the_lender_ends_with_the_collateral_and_the_issuance_escrow_is_empty_on_chain(demo_run, maker):
    result = demo_run.walkthroughs["margincall"]
    token_a = MockERC20.at(result.assets["TKA"])
    (issuance_escrow,) = [IssuanceEscrow.at(address) for address in result.issuance_escrows.values()]

    assert token_a.balanceOf(maker) == 375 * UNIT["TKA"]
    assert token_a.balanceOf(issuance_escrow) == 0
    for account in result.accounts.values():
        assert issuance_escrow.getTokenBalance(account, token_a) == 0


# ------------------------------------------------------------------------------------ multiswap


def test_the_multiswap_is_filled_twice_and_expires(demo_run, maker, taker, second_taker, stranger):
    manager = demo_run.deployment["domains"]["MultiSwap"]["instrumentManager"]
    issuance = MultiSwap.at(demo_run.deployment["contracts"]["MultiSwap"]).getIssuance(manager, 1)
    result = demo_run.walkthroughs["multiswap"]
    fills = [tx for tx in result.transactions if tx.fn_name == "engageIssuance"]
    (due,) = [tx for tx in result.transactions if tx.fn_name == "processEvent"]

    assert issuance["state"] == MultiSwapState.EXPIRED
    assert issuance["fillCount"] == 2
    assert issuance["remainingOutput"] == 150 * UNIT["TKB"]
    assert [tx.sender for tx in fills] == [taker.address, second_taker.address]
    assert [tx.events["MultiSwapFilled"]["inputPaid"] for tx in fills] == [100 * UNIT["TKA"], 125 * UNIT["TKA"]]
    assert due.sender == stranger.address
    assert web3.eth.get_block(due.block_number).timestamp >= issuance["dueTime"]


# ----------------------------------------------------------------------------- choosing and main


def test_one_walkthrough_runs_alone(parties, tmp_path):
    alone = run_demo(parties, instruments=["margincall"], deployments_dir=tmp_path, console=Console(file=io.StringIO()))

    assert list(alone.walkthroughs) == ["margincall"]
    result = alone.walkthroughs["margincall"]
    assert len(result.snapshots) == WALKTHROUGHS["margincall"].steps
    assert result.issuance_ids == [1], "the first issuance of a fresh Lending domain"
    assert loan_of(alone, "margincall")["state"] == LoanState.DEFAULTED
    for role, holdings in FINAL_WALLETS["margincall"].items():
        for symbol, units in holdings.items():
            assert MockERC20.at(result.assets[symbol]).balanceOf(result.accounts[role]) == units * UNIT[symbol]


def test_main_refuses_to_run_on_a_live_network(monkeypatch):
    monkeypatch.setattr(demo_script, "is_development_network", lambda: False)

    with pytest.raises(SystemExit, match="local network"):
        demo_script.main()


def test_main_runs_every_walkthrough_with_the_first_five_accounts(monkeypatch):
    calls = []
    monkeypatch.setattr(demo_script, "run_demo", lambda parties, instruments: calls.append((parties, instruments)))

    demo_script.main()

    parties, instruments = calls[0]
    assert parties == DemoParties(*demo_script.accounts[:5])
    assert instruments is None


def test_main_runs_the_walkthrough_it_is_given(monkeypatch):
    calls = []
    monkeypatch.setattr(demo_script, "run_demo", lambda parties, instruments: calls.append(instruments))

    demo_script.main("Lending")

    assert calls == [["lending"]]


def test_main_refuses_an_unknown_instrument(monkeypatch):
    monkeypatch.setattr(demo_script, "run_demo", lambda *args, **options: pytest.fail("ran"))

    expected = "Unknown walk-through 'options': choose one of swap, lending, borrowing, margincall, multiswap"
    with pytest.raises(SystemExit, match=expected):
        demo_script.main("options")
