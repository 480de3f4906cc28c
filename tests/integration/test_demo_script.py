"""Integration tests of scripts/demo.py: the walkthrough runs and ends with the right balances.

The demo runs once per module (deploy, two tokens, a swap engaged, an ETH swap cancelled, all
withdrawals) with the `deployer`, `maker` and `taker` accounts; the tests check its snapshots and
read the chain itself to confirm them.
"""

import io
import json

import pytest
from brownie import InstrumentEscrow, IssuanceEscrow, MockERC20, Swap, network, web3
from rich.console import Console

from scripts import demo as demo_script
from scripts.demo import (
    ETH_SWAP_INPUT_WEI,
    INSTRUMENT_ESCROW,
    MINTED_UNITS,
    SWAP_INPUT_UNITS,
    SWAP_OUTPUT_UNITS,
    WALLET,
    run_demo,
)
from scripts.deploy import deployment_file

TKA_UNIT = 10**18
TKB_UNIT = 10**6
SWAP_STATE_CANCELLED = 2
SWAP_STATE_COMPLETE_ENGAGED = 3
STEP_COUNT = 11


@pytest.fixture(scope="module")
def demo_output():
    """Where the demo's console writes, to check what a user would see."""
    return io.StringIO()


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory):
    """A temporary deployments folder for the demo's deployment record."""
    return tmp_path_factory.mktemp("deployments")


@pytest.fixture(scope="module")
def result(deployer, maker, taker, demo_folder, demo_output):
    """The demo, run once for the module."""
    console = Console(file=demo_output, width=100, force_terminal=False)
    return run_demo(deployer, maker, taker, deployments_dir=demo_folder, console=console)


@pytest.fixture(scope="module")
def final(result):
    """`balances[role][symbol][place]` at the end of the demo."""
    return result.final.balances


def escrow_places(snapshot):
    """The escrow places (not the wallet) a snapshot knows."""
    return [place for place in snapshot.balances["maker"]["TKA"] if place != WALLET]


def fees_paid(result, account):
    """The ETH `account` paid for gas over the demo's transactions."""
    return sum(tx.gas_used * tx.gas_price for tx in result.transactions if tx.sender == account.address)


def test_maker_ends_with_the_output_tokens_in_its_wallet(final):
    assert final["maker"]["TKB"][WALLET] == SWAP_OUTPUT_UNITS * TKB_UNIT
    assert final["maker"]["TKA"][WALLET] == (MINTED_UNITS - SWAP_INPUT_UNITS) * TKA_UNIT


def test_taker_ends_with_the_input_tokens_in_its_wallet(final):
    assert final["taker"]["TKA"][WALLET] == SWAP_INPUT_UNITS * TKA_UNIT
    assert final["taker"]["TKB"][WALLET] == (MINTED_UNITS - SWAP_OUTPUT_UNITS) * TKB_UNIT


def test_nothing_is_left_in_any_escrow(result, final):
    places = escrow_places(result.final)
    assert places == [INSTRUMENT_ESCROW, "Issuance Escrow #1", "Issuance Escrow #2"]
    for role in ("maker", "taker"):
        for symbol in ("TKA", "TKB", "ETH"):
            for place in places:
                assert final[role][symbol][place] == 0, (role, symbol, place)
    for symbol, held in result.final.holdings.items():
        assert set(held.values()) == {0}, symbol


def test_final_balances_match_the_chain(result, maker, taker):
    token_a = MockERC20.at(result.assets["TKA"])
    token_b = MockERC20.at(result.assets["TKB"])
    instrument_escrow = InstrumentEscrow.at(result.deployment["swapDomain"]["instrumentEscrow"])
    issuance_escrows = [IssuanceEscrow.at(a) for a in result.issuance_escrows.values()]

    assert token_b.balanceOf(maker) == SWAP_OUTPUT_UNITS * TKB_UNIT
    assert token_a.balanceOf(taker) == SWAP_INPUT_UNITS * TKA_UNIT
    for escrow in [instrument_escrow, *issuance_escrows]:
        assert token_a.balanceOf(escrow) == 0
        assert token_b.balanceOf(escrow) == 0
        assert web3.eth.get_balance(escrow.address) == 0
        for account in (maker, taker):
            for asset in result.assets.values():
                assert escrow.getTokenBalance(account, asset) == 0


def test_maker_gets_its_eth_back_after_cancelling(result, maker):
    first_snapshot = result.snapshots[0]
    eth_before = first_snapshot.balances["maker"]["ETH"][WALLET]

    assert result.final.balances["maker"]["ETH"][WALLET] == eth_before - fees_paid(result, maker)


def test_swap_states_are_engaged_then_cancelled(result):
    swap = Swap.at(result.deployment["contracts"]["Swap"])
    manager = result.deployment["swapDomain"]["instrumentManager"]

    engaged = swap.getIssuance(manager, 1)
    cancelled = swap.getIssuance(manager, 2)
    assert engaged[2] == SWAP_STATE_COMPLETE_ENGAGED
    assert cancelled[2] == SWAP_STATE_CANCELLED
    assert cancelled[3] == result.deployment["nativeEth"]
    assert cancelled[5] == ETH_SWAP_INPUT_WEI


def test_every_step_has_a_snapshot_with_its_own_caption(result):
    captions = [snapshot.caption for snapshot in result.snapshots]

    assert len(captions) == STEP_COUNT
    assert len(set(captions)) == STEP_COUNT
    assert all(caption.strip() and "\n" not in caption for caption in captions)


def test_tokens_are_conserved_at_every_step(result):
    for snapshot in result.snapshots:
        for symbol in ("TKA", "TKB"):
            total = sum(sum(snapshot.balances[role][symbol].values()) for role in ("maker", "taker"))
            unit = TKA_UNIT if symbol == "TKA" else TKB_UNIT
            assert total == MINTED_UNITS * unit, (snapshot.caption, symbol)


def test_escrow_ledgers_match_what_the_escrows_hold_at_every_step(result):
    for snapshot in result.snapshots:
        for place in escrow_places(snapshot):
            for symbol, held in snapshot.holdings.items():
                booked = sum(snapshot.balances[role][symbol][place] for role in ("maker", "taker"))
                assert booked == held[place], (snapshot.caption, symbol, place)


def test_the_swap_moves_the_input_through_the_issuance_escrow(result):
    created, engaged = result.snapshots[3], result.snapshots[4]

    assert created.balances["maker"]["TKA"]["Issuance Escrow #1"] == SWAP_INPUT_UNITS * TKA_UNIT
    assert created.balances["maker"]["TKA"][INSTRUMENT_ESCROW] == 0
    assert engaged.balances["maker"]["TKA"]["Issuance Escrow #1"] == 0
    assert engaged.balances["taker"]["TKA"][INSTRUMENT_ESCROW] == SWAP_INPUT_UNITS * TKA_UNIT
    assert engaged.balances["maker"]["TKB"][INSTRUMENT_ESCROW] == SWAP_OUTPUT_UNITS * TKB_UNIT


def test_every_step_is_printed_with_its_caption(result, demo_output):
    printed = demo_output.getvalue()

    for step in range(1, STEP_COUNT + 1):
        assert f"Step {step}" in printed
    for snapshot in result.snapshots:
        assert snapshot.caption in printed


def test_deployment_record_goes_to_the_given_folder(result, demo_folder):
    path = deployment_file(network.show_active(), demo_folder)

    assert json.loads(path.read_text()) == result.deployment


def test_main_refuses_to_run_on_a_live_network(monkeypatch):
    monkeypatch.setattr(demo_script, "is_development_network", lambda: False)

    with pytest.raises(SystemExit, match="local network"):
        demo_script.main()


def test_main_runs_the_demo_with_the_first_three_accounts(monkeypatch):
    calls = []
    monkeypatch.setattr(demo_script, "run_demo", lambda **roles: calls.append(roles))

    demo_script.main()

    assert [(role, account.address) for role, account in calls[0].items()] == [
        ("deployer", demo_script.accounts[0].address),
        ("maker", demo_script.accounts[1].address),
        ("taker", demo_script.accounts[2].address),
    ]
