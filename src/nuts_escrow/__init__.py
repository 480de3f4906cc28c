"""nuts_escrow: a web3.py client for the NUTS escrow core (no brownie needed).

See docs/client.md for examples. The main entry points:

- `EscrowClient` (the platform: registry, account, domains, price oracles) and `Domain` (one
  domain: balances, deposits, withdrawals, issuances, balance history) with a subclass per
  instrument: `SwapDomain`, `MultiSwapDomain`, `LendingDomain`, `BorrowingDomain`;
- `PriceOracle`: the rate of a pair of tokens;
- `Connection` (the layer below domains and oracles: web3, the account, send-and-wait, reverts
  decoded);
- `Deployment` (a `deployments/<network>.json` record; `Deployment.domains[name]` is a
  `DeployedDomain`: one instrument's domain id, manager and Instrument Escrow);
- `nuts_escrow.errors`: the contracts' custom errors as exceptions;
- `nuts_escrow.terms`: maker and taker data as frozen dataclasses in the Solidity structs' field
  order, each with `encode()` (`SwapTerms`, `LoanTerms`, `SwapTakerTerms`, ...), and event names;
  every taker helper sends a minimum computed from a quote, with `tolerance_bps` (default 0:
  exactly the quote);
- `load_abi`: the shipped ABIs.
"""

from nuts_escrow import errors
from nuts_escrow.abi import ABI_NAMES, load_abi
from nuts_escrow.client import EscrowClient, WrongChainError, WrongInstrumentError
from nuts_escrow.connection import Connection
from nuts_escrow.deployment import DeployedDomain, Deployment
from nuts_escrow.domains import (
    BorrowingDomain,
    Domain,
    LendingDomain,
    LoanDomain,
    MultiSwapDomain,
    SwapDomain,
    ZeroQuoteError,
)
from nuts_escrow.errors import ContractRevert, NutsEscrowError, decode_revert
from nuts_escrow.oracle import PriceOracle
from nuts_escrow.terms import (
    CANCEL_ISSUANCE,
    ENGAGEMENT_DUE,
    ISSUANCE_DUE,
    MARGIN_CALL,
    REPAY_FULL,
    BorrowingTakerTerms,
    LendingTakerTerms,
    LoanTerms,
    MultiSwapFillTerms,
    MultiSwapTerms,
    SwapTakerTerms,
    SwapTerms,
    event_name,
)
from nuts_escrow.types import (
    NATIVE_ETH,
    BalanceChange,
    Balances,
    DurationBounds,
    InstrumentKind,
    LoanBounds,
    LoanIssuance,
    LoanState,
    MultiSwapFill,
    MultiSwapIssuance,
    MultiSwapState,
    Rate,
    SwapIssuance,
    SwapState,
    TransferKind,
)

__version__ = "0.1.0"

__all__ = [
    "event_name",
    "ABI_NAMES",
    "CANCEL_ISSUANCE",
    "ENGAGEMENT_DUE",
    "ISSUANCE_DUE",
    "MARGIN_CALL",
    "REPAY_FULL",
    "NATIVE_ETH",
    "BalanceChange",
    "Balances",
    "BorrowingDomain",
    "BorrowingTakerTerms",
    "Connection",
    "ContractRevert",
    "DeployedDomain",
    "Deployment",
    "Domain",
    "DurationBounds",
    "EscrowClient",
    "InstrumentKind",
    "LendingDomain",
    "LendingTakerTerms",
    "LoanBounds",
    "LoanDomain",
    "LoanIssuance",
    "LoanState",
    "LoanTerms",
    "MultiSwapDomain",
    "MultiSwapFill",
    "MultiSwapFillTerms",
    "MultiSwapIssuance",
    "MultiSwapState",
    "MultiSwapTerms",
    "NutsEscrowError",
    "PriceOracle",
    "Rate",
    "SwapDomain",
    "SwapIssuance",
    "SwapState",
    "SwapTakerTerms",
    "SwapTerms",
    "TransferKind",
    "WrongChainError",
    "WrongInstrumentError",
    "ZeroQuoteError",
    "decode_revert",
    "errors",
    "load_abi",
]
