"""Runs every `python` block of the client's page, docs/client.md, in order, in one namespace,
against the standalone Anvil: the page's examples must work as written."""

import re
from pathlib import Path

import pytest

from nuts_escrow import LoanState, MultiSwapState, SwapState

CLIENT_PAGE = Path(__file__).resolve().parents[2] / "docs" / "client.md"


def client_page_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", CLIENT_PAGE.read_text(), flags=re.DOTALL)


def test_the_client_page_has_examples():
    assert len(client_page_blocks()) >= 8


def test_client_page_examples_run(monkeypatch, deployment_path, tokens, anvil_accounts, node, capsys):
    token_a, token_b = tokens
    maker, taker = anvil_accounts[2], anvil_accounts[3]
    monkeypatch.setenv("NUTS_RPC_URL", node.url)
    monkeypatch.setenv("NUTS_DEPLOYMENT", str(deployment_path))
    monkeypatch.setenv("NUTS_MAKER_KEY", maker.key.hex())
    monkeypatch.setenv("NUTS_TAKER_KEY", taker.key.hex())
    monkeypatch.setenv("NUTS_TOKEN_A", token_a.address)
    monkeypatch.setenv("NUTS_TOKEN_B", token_b.address)
    namespace: dict = {}

    for number, block in enumerate(client_page_blocks(), start=1):
        try:
            exec(compile(block, f"{CLIENT_PAGE.name} python block {number}", "exec"), namespace)
        except Exception as error:  # show which block failed
            pytest.fail(f"python block {number} of {CLIENT_PAGE.name} failed: {error!r}\n{block}")

    printed = capsys.readouterr().out
    assert "holds 0 of" in printed  # the error examples reached their except clauses
    assert "tenor 630720000 is outside" in printed
    assert [issuance.state for issuance in namespace["maker"].issuances()] == [
        SwapState.COMPLETE_ENGAGED,
        SwapState.CANCELLED,
    ]
    assert [issuance.state for issuance in namespace["multi_maker"].issuances()] == [MultiSwapState.CANCELLED]
    (lent,) = namespace["lender"].issuances()
    assert (lent.state, lent.maintenance_ratio, lent.min_collateral_per_principal) == (LoanState.REPAID, 12_000, 10**6)
    assert [issuance.state for issuance in namespace["borrowing"].issuances()] == [LoanState.REPAID]
    # 100 TKA from the swap, less the interest of the loan it borrowed and the 40 TKA it lent
    assert token_a.functions.balanceOf(taker.address).call() == (100 - 5 - 40) * 10**18
    assert namespace["maker"].balances(tokens=[token_a.address]).total(token_a.address) == 0
    assert len(namespace["maker"].balance_history()) >= 8
