"""The ABIs shipped with the package (exported from the build by scripts/export_abis.py)."""

import json
import re
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

from eth_utils import to_checksum_address
from hexbytes import HexBytes

from nuts_escrow.types import ENUMS

#: The contracts whose ABIs the package ships, plus a minimal ERC20 (IERC20Metadata + errors).
ABI_NAMES = (
    "EscrowFactory",
    "InstrumentRegistry",
    "InstrumentManager",
    "InstrumentEscrow",
    "IssuanceEscrow",
    "Swap",
    "MultiSwap",
    "Lending",
    "Borrowing",
    "AdminPriceOracle",
    "ChainlinkPriceOracle",
    "ERC20",
)


@cache
def _load(name: str) -> str:
    if name not in ABI_NAMES:
        raise KeyError(f"no ABI named {name!r}; the package ships {', '.join(ABI_NAMES)}")
    return resources.files("nuts_escrow").joinpath("abis", f"{name}.json").read_text()


def load_abi(name: str) -> list[dict[str, Any]]:
    """The ABI of contract `name` (one of `ABI_NAMES`), as a fresh list of entries."""
    return json.loads(_load(name))


def all_abis() -> dict[str, list[dict[str, Any]]]:
    """Every shipped ABI by name."""
    return {name: load_abi(name) for name in ABI_NAMES}


def function_abi(contract: str, function: str) -> dict[str, Any]:
    """The ABI entry of `function` in the shipped ABI of `contract` (the one entry of that name)."""
    (entry,) = [entry for entry in load_abi(contract) if entry.get("name") == function]
    return entry


def snake_case(name: str) -> str:
    """An ABI name in the client's spelling: `issuanceDueTime` -> `issuance_due_time`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def decoded_value(item: Mapping[str, Any], value: Any) -> Any:
    """`value` as the client returns it for ABI parameter `item`: a Solidity enum as its Python
    enum (by `internalType`), an address checksummed, bytes as HexBytes, anything else as is."""
    internal_type = item.get("internalType", "")
    if internal_type in ENUMS:
        return ENUMS[internal_type](value)
    if item["type"] == "address":
        return to_checksum_address(value)
    if item["type"].startswith("bytes") and isinstance(value, bytes):
        return HexBytes(value)
    return value


def named_fields(items: Sequence[Mapping[str, Any]], values: Sequence[Any]) -> dict[str, Any]:
    """The decoded `values` of ABI parameters `items` (a struct's components, or a function's
    outputs) by parameter name in snake case, each converted by `decoded_value`."""
    if len(items) != len(values):
        raise ValueError(f"{len(values)} values for {len(items)} ABI parameters")
    return {snake_case(item["name"]): decoded_value(item, value) for item, value in zip(items, values, strict=True)}
