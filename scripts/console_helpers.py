"""One line to a deployed demo system in `brownie console` (development network only).

    $ ./run console
    >>> from scripts.console_helpers import demo_system
    >>> s = demo_system()
    >>> s.manager.createIssuance(s.terms(s.tka, 100, s.tkb, 250), {"from": s.maker})
    >>> s.manager.engageIssuance(1, s.take(s.tka, 100), {"from": s.taker})

or `s = run("console_helpers")` (brownie's `run` calls `main`, which returns the same namespace).

`demo_system()` deploys the core, an oracle and every instrument's domain with scripts/deploy.py
(the namespace is about the Swap domain), deploys two demo tokens (TKA, 18 decimals; TKB, 6
decimals), mints 1,000 TKA to the maker and 1,000 TKB to the taker, approves the Swap domain's
Instrument Escrow for both, and (with `deposit=True`, the default) deposits 100 TKA and 250 TKB.
It returns a namespace of contracts and accounts; see `demo_system`. A taker engages with
`s.take(token, units)`: the Swap taker data stating the least input it accepts.
"""

import tempfile
from pathlib import Path
from types import SimpleNamespace

from brownie import EscrowFactory, InstrumentEscrow, InstrumentManager, InstrumentRegistry, Swap, accounts
from rich.console import Console

from nuts_escrow import SwapTakerTerms, SwapTerms
from scripts.demo import ONE_DAY, deploy_demo_tokens
from scripts.deploy import NATIVE_ETH, deploy, is_development_network

MINTED_UNITS = 1_000
DEPOSITED = {"TKA": 100, "TKB": 250}


def demo_system(deposit: bool = True, deployments_dir: Path | None = None, console: Console | None = None):
    """Deploys a demo system on the development chain; returns a namespace with:

    `deployer`, `maker`, `taker` (accounts[0..2]); `factory`, `registry`, `swap`, `manager`,
    `escrow` (the Swap domain's Instrument Escrow); `tka`, `tkb` (MockERC20, funded and approved);
    `eth` (the ETH constant); `deployment` (the record); `terms(input_token, input_units,
    output_token, output_units, duration=ONE_DAY)` (Swap maker data, amounts in whole units);
    `take(input_token, min_input_units)` (Swap taker data: abi.encode(minInputReceived), the
    least input the taker accepts, in whole units).
    The record goes to `deployments_dir` (default: a temporary folder, so nothing is littered).
    """
    if not is_development_network():
        raise SystemExit("demo_system mints tokens and spends gas: use it on a local network only.")
    console = console or Console()
    deployer, maker, taker = accounts[0], accounts[1], accounts[2]
    folder = Path(deployments_dir) if deployments_dir else Path(tempfile.mkdtemp(prefix="nuts-console-"))
    record = deploy(deployer, deployments_dir=folder, console=console)
    token_a, token_b = deploy_demo_tokens(deployer)
    domain = record["domains"]["Swap"]
    escrow = InstrumentEscrow.at(domain["instrumentEscrow"])
    for asset, holder in ((token_a, maker), (token_b, taker)):
        asset.token.mint(holder, asset.units(MINTED_UNITS), {"from": deployer})
        asset.token.approve(escrow, 2**256 - 1, {"from": holder})
        if deposit:
            escrow.depositToken(asset.token, asset.units(DEPOSITED[asset.symbol]), {"from": holder})
    decimals = {token_a.address: 18, token_b.address: 6, NATIVE_ETH: 18}

    def amount_of(token, units) -> int:
        """`units` whole units of `token` (a contract or an address) in its smallest unit."""
        return int(units * 10 ** decimals.get(str(getattr(token, "address", token)), 18))

    def terms(input_token, input_units, output_token, output_units, duration=ONE_DAY) -> bytes:
        """Swap maker data for `input_units` of `input_token` for `output_units` of `output_token`."""
        return SwapTerms(
            duration=duration,
            input_token=str(getattr(input_token, "address", input_token)),
            output_token=str(getattr(output_token, "address", output_token)),
            input_amount=amount_of(input_token, input_units),
            output_amount=amount_of(output_token, output_units),
        ).encode()

    def take(input_token, min_input_units) -> bytes:
        """Swap taker data: the least input (`min_input_units` of `input_token`) the taker accepts."""
        return SwapTakerTerms(min_input_received=amount_of(input_token, min_input_units)).encode()

    system = SimpleNamespace(
        deployer=deployer,
        maker=maker,
        taker=taker,
        factory=EscrowFactory.at(record["contracts"]["EscrowFactory"]),
        registry=InstrumentRegistry.at(record["contracts"]["InstrumentRegistry"]),
        swap=Swap.at(record["contracts"]["Swap"]),
        manager=InstrumentManager.at(domain["instrumentManager"]),
        escrow=escrow,
        tka=token_a.token,
        tkb=token_b.token,
        eth=NATIVE_ETH,
        deployment=record,
        terms=terms,
        take=take,
    )
    console.print(
        "[bold green]Demo system ready:[/] s.maker holds "
        f"{MINTED_UNITS - (DEPOSITED['TKA'] if deposit else 0)} TKA, s.taker "
        f"{MINTED_UNITS - (DEPOSITED['TKB'] if deposit else 0)} TKB in their wallets"
        + (f"; deposited {DEPOSITED['TKA']} TKA and {DEPOSITED['TKB']} TKB in s.escrow." if deposit else ".")
    )
    return system


def main():
    """`run("console_helpers")` in brownie console: the demo system's namespace."""
    return demo_system()
