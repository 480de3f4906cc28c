"""Seed a local chain for the dApp (`./run dapp`): deploy the platform, deploy two demo tokens and
mint them to the first dev accounts, and open one offer per instrument.

Run by `./run dapp` on the Anvil it started (brownie attaches to it), or by hand with
`./run brownie run scripts/dapp_seed.py` on a local network. Steps:

1. `scripts/deploy.py`'s `main` (an `AdminPriceOracle` on a development network);
2. TKA (18 decimals) and TKB (6 decimals), `MockERC20`s; `SEED_UNITS` of each minted to
   accounts[0] to accounts[3]; the oracle's rate set to 1 TKA = 2 TKB (`set_demo_rate`);
3. the record `deployments/<network>.json` gets `tokens` ({"TKA": address, "TKB": address}), the
   tokens the dApp lists;
4. accounts[1] (the maker) deposits and opens: a Swap of 100 TKA for 250 TKB, a MultiSwap of 300 TKA
   for 600 TKB in fills of 100 to 300 TKB, a Lending loan of 500 TKB against TKA at 150% (5% for
   7 days, maintenance 120%, at least 300 TKA for the principal) and a Borrowing loan of 500 TKB
   against TKA at 150% (5% for 7 days), each open for a day.
"""

from dataclasses import replace
from pathlib import Path

from brownie import InstrumentEscrow, InstrumentManager, accounts, network

from nuts_escrow.deployment import read_record, write_record
from nuts_escrow.terms import PRICE_BOUND_SCALE, LoanTerms, MultiSwapTerms, SwapTerms
from scripts import deploy
from scripts.demo import (
    COLLATERAL_RATIO,
    INTEREST_RATE,
    LENDER_MIN_COLLATERAL_UNITS,
    LOAN_PRINCIPAL_UNITS,
    LOAN_TENOR,
    MAINTENANCE_RATIO,
    MULTISWAP_FILL_LIMITS_UNITS,
    MULTISWAP_INPUT_UNITS,
    MULTISWAP_OUTPUT_UNITS,
    ONE_DAY,
    SWAP_INPUT_UNITS,
    SWAP_OUTPUT_UNITS,
    DemoAsset,
    deploy_demo_tokens,
    set_demo_rate,
)

#: Whole units of each demo token minted to each of the first four dev accounts.
SEED_UNITS = 10_000
#: The Borrowing maker's collateral deposit: more than 150% of the principal at 1 TKA = 2 TKB.
BORROWING_COLLATERAL_UNITS = 500


def record_tokens(path: Path, tokens: dict[str, str]) -> dict:
    """Adds `tokens` (symbol: address) to the deployment record at `path`; returns the record."""
    record = read_record(path)
    record["tokens"] = tokens
    write_record(record, path)
    return record


def open_offer(record: dict, instrument: str, maker, deposit: tuple[DemoAsset, int], maker_data: bytes) -> None:
    """`maker` deposits `deposit` (asset, whole units) into the domain and creates an issuance."""
    domain = record["domains"][instrument]
    escrow = InstrumentEscrow.at(domain["instrumentEscrow"])
    asset, whole = deposit
    asset.token.approve(escrow, asset.units(whole), {"from": maker})
    escrow.depositToken(asset.address, asset.units(whole), {"from": maker})
    InstrumentManager.at(domain["instrumentManager"]).createIssuance(maker_data, {"from": maker})


def main():
    """Deploys (or finds) the platform, then seeds tokens and one offer per instrument."""
    if not deploy.is_development_network():
        raise SystemExit("The seed mints tokens: run it on a local network only.")
    record = deploy.main()
    deployer, maker = accounts[0], accounts[1]
    token_a, token_b = deploy_demo_tokens(deployer)
    for account in accounts[:4]:
        for asset in (token_a, token_b):
            asset.token.mint(account, asset.units(SEED_UNITS), {"from": deployer})
    set_demo_rate(record, deployer, token_a, token_b)
    path = deploy.deployment_file(network.show_active())
    record = record_tokens(path, {"TKA": token_a.address, "TKB": token_b.address})

    open_offer(
        record,
        "Swap",
        maker,
        (token_a, SWAP_INPUT_UNITS),
        SwapTerms(
            duration=ONE_DAY,
            input_token=token_a.address,
            output_token=token_b.address,
            input_amount=token_a.units(SWAP_INPUT_UNITS),
            output_amount=token_b.units(SWAP_OUTPUT_UNITS),
        ).encode(),
    )
    low, high = (token_b.units(units) for units in MULTISWAP_FILL_LIMITS_UNITS)
    multiswap = MultiSwapTerms(
        duration=ONE_DAY,
        input_token=token_a.address,
        output_token=token_b.address,
        input_amount=token_a.units(MULTISWAP_INPUT_UNITS),
        output_amount=token_b.units(MULTISWAP_OUTPUT_UNITS),
        min_fill_output=low,
        max_fill_output=high,
    ).encode()
    open_offer(record, "MultiSwap", maker, (token_a, MULTISWAP_INPUT_UNITS), multiswap)
    principal = token_b.units(LOAN_PRINCIPAL_UNITS)
    price_bound = token_a.units(LENDER_MIN_COLLATERAL_UNITS) * PRICE_BOUND_SCALE // principal
    loan = LoanTerms(
        duration=ONE_DAY,
        principal_token=token_b.address,
        principal_amount=principal,
        collateral_token=token_a.address,
        collateral_ratio=COLLATERAL_RATIO,
        tenor=LOAN_TENOR,
        interest_rate=INTEREST_RATE,
    )
    lending = replace(loan, min_collateral_per_principal=price_bound, maintenance_ratio=MAINTENANCE_RATIO)
    open_offer(record, "Lending", maker, (token_b, LOAN_PRINCIPAL_UNITS), lending.encode())
    open_offer(record, "Borrowing", maker, (token_a, BORROWING_COLLATERAL_UNITS), loan.encode())
    print(f"Seeded: TKA {token_a.address}, TKB {token_b.address}; one offer per instrument from {maker}.")
    return record
