"""The ABIs shipped with the package (exported from the build by scripts/export_abis.py)."""

import json
from functools import cache
from importlib import resources

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


def load_abi(name: str) -> list[dict]:
    """The ABI of contract `name` (one of `ABI_NAMES`), as a fresh list of entries."""
    return json.loads(_load(name))


def all_abis() -> dict[str, list[dict]]:
    """Every shipped ABI by name."""
    return {name: load_abi(name) for name in ABI_NAMES}
