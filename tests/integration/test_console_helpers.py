"""scripts/console_helpers.py: the one-line demo system for `brownie console`."""

import io

import pytest
from rich.console import Console

from nuts_escrow.types import SwapState
from scripts import console_helpers
from scripts.console_helpers import demo_system
from support import reverts

INPUT_RELEASE = 1  # the Swap engagement's second transfer: the input to the taker


@pytest.fixture
def system(tmp_path):
    return demo_system(deployments_dir=tmp_path, console=Console(file=io.StringIO()))


def test_demo_system_has_funded_accounts_and_deposits(system):
    assert system.tka.balanceOf(system.maker) == 900 * 10**18
    assert system.tkb.balanceOf(system.taker) == 750 * 10**6
    assert system.escrow.getTokenBalance(system.maker, system.tka) == 100 * 10**18
    assert system.escrow.getTokenBalance(system.taker, system.tkb) == 250 * 10**6
    assert system.tka.allowance(system.maker, system.escrow) == 2**256 - 1
    assert system.manager.getInstrumentEscrow() == system.escrow.address
    assert system.registry.getDomain(1)["manager"] == system.manager.address


def test_a_swap_is_one_line_each_from_the_console(system):
    created = system.manager.createIssuance(system.terms(system.tka, 100, system.tkb, 250), {"from": system.maker})
    issuance_id = created.events["IssuanceCreated"]["issuanceId"]
    system.manager.engageIssuance(issuance_id, system.take(system.tka, 100), {"from": system.taker})

    assert system.swap.getIssuance(system.manager, issuance_id)["state"] == SwapState.COMPLETE_ENGAGED
    assert system.escrow.getTokenBalance(system.maker, system.tkb) == 250 * 10**6
    assert system.escrow.getTokenBalance(system.taker, system.tka) == 100 * 10**18


def test_take_is_the_swap_taker_data_with_the_takers_minimum(system):
    created = system.manager.createIssuance(system.terms(system.tka, 100, system.tkb, 250), {"from": system.maker})
    issuance_id = created.events["IssuanceCreated"]["issuanceId"]

    assert system.take(system.tka, 100) == (100 * 10**18).to_bytes(32, "big")
    credited, minimum = 100 * 10**18, 101 * 10**18
    with reverts("ManagerCreditBelowMinimum", INPUT_RELEASE, system.tka, system.taker, credited, minimum):
        system.manager.engageIssuance(issuance_id, system.take(system.tka, 101), {"from": system.taker})
    assert system.swap.getIssuance(system.manager, issuance_id)["state"] == SwapState.ENGAGEABLE
    assert system.escrow.getTokenBalance(system.taker, system.tkb) == 250 * 10**6


def test_without_deposit_everything_stays_in_the_wallets(tmp_path):
    system = demo_system(deposit=False, deployments_dir=tmp_path, console=Console(file=io.StringIO()))
    assert system.tka.balanceOf(system.maker) == 1_000 * 10**18
    assert system.escrow.getTokenBalance(system.maker, system.tka) == 0


def test_main_returns_the_namespace_for_brownie_run(monkeypatch):
    monkeypatch.setattr(console_helpers, "demo_system", lambda: "namespace")
    assert console_helpers.main() == "namespace"


def test_refuses_live_networks(monkeypatch):
    monkeypatch.setattr(console_helpers, "is_development_network", lambda: False)
    with pytest.raises(SystemExit, match="local network"):
        demo_system()
