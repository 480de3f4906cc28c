"""nuts_escrow: a web3.py client for the NUTS escrow core (no brownie needed).

See the README's "Python client for dApps" section for examples. The main entry points:

- `EscrowClient` (the platform: registry, account) and `Domain` (one domain: balances, deposits,
  withdrawals, swaps, issuances, balance history);
- `Deployment` (a `deployments/<network>.json` record);
- `nuts_escrow.errors`: the contracts' custom errors as exceptions;
- `load_abi`: the shipped ABIs.
"""

from nuts_escrow import errors
from nuts_escrow.abi import ABI_NAMES, load_abi
from nuts_escrow.client import (
    CANCEL_ISSUANCE,
    ENGAGEMENT_DUE,
    ISSUANCE_DUE,
    REPAY_FULL,
    Domain,
    EscrowClient,
    WrongChainError,
    event_name,
    loan_terms,
    multiswap_fill,
    multiswap_terms,
    swap_terms,
)
from nuts_escrow.deployment import Deployment
from nuts_escrow.errors import ContractRevert, NutsEscrowError, decode_revert
from nuts_escrow.types import NATIVE_ETH, BalanceChange, Balances, SwapIssuance, SwapState, TransferKind

__version__ = "0.1.0"

__all__ = [
    "event_name",
    "ABI_NAMES",
    "CANCEL_ISSUANCE",
    "ENGAGEMENT_DUE",
    "ISSUANCE_DUE",
    "REPAY_FULL",
    "NATIVE_ETH",
    "BalanceChange",
    "Balances",
    "ContractRevert",
    "Deployment",
    "Domain",
    "EscrowClient",
    "NutsEscrowError",
    "SwapIssuance",
    "SwapState",
    "TransferKind",
    "WrongChainError",
    "decode_revert",
    "errors",
    "load_abi",
    "loan_terms",
    "multiswap_fill",
    "multiswap_terms",
    "swap_terms",
]
