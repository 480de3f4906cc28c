"""Export the ABIs of the public contracts from the build into the Python client and interfaces/.

Run after compiling (`./run brownie compile`), with either of:

    python scripts/export_abis.py
    ./run brownie run scripts/export_abis.py

It reads `build/contracts/<Name>.json` for each name in `PUBLIC_CONTRACTS` and writes the ABI to
`src/nuts_escrow/abis/<Name>.json` (shipped in the `nuts_escrow` package) and
`interfaces/<Name>.json` (where brownie and other tools look for ABIs: `interface.Swap(address)`
in a brownie console). `ERC20` is a minimal token ABI: OpenZeppelin's `IERC20Metadata` plus the
`IERC20Errors` custom errors. Beside the package's ABIs it writes `error-sentences.json`: the
NatSpec `@notice` (else `@dev`) of every custom error of those ABIs, by error name, read from the
build's syntax trees (the one source of the sentences the dApp shows for a revert). The JSON
interfaces are named after the contracts, not `I<Name>`, so they do not collide with the Solidity
interfaces in `interfaces/I*.sol` (brownie refuses two interfaces with one name).
`tests/client/test_abi_export.py` fails when the files are stale.
"""

import importlib.util
import json
import re
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUILD_DIR = PROJECT_ROOT / "build" / "contracts"
PACKAGE_DIR = PROJECT_ROOT / "src" / "nuts_escrow"
PACKAGE_ABI_DIR = PACKAGE_DIR / "abis"


def _abi_names() -> tuple[str, ...]:
    """`nuts_escrow.abi.ABI_NAMES` of this checkout, read without importing the package: importing
    it builds the error classes from the ABI files, which must not need the files this script is
    about to write (a name just added to the list has none yet)."""
    spec = importlib.util.spec_from_file_location("_nuts_escrow_abi_names", PACKAGE_DIR / "abi.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ABI_NAMES


ABI_NAMES = _abi_names()
INTERFACES_DIR = PROJECT_ROOT / "interfaces"
# The package's list of ABIs; ERC20 is assembled from OpenZeppelin's interface parts below.
PUBLIC_CONTRACTS = tuple(name for name in ABI_NAMES if name != "ERC20")
ERC20_PARTS = ("IERC20Metadata", "IERC20Errors")
#: The file of the errors' sentences, beside the ABIs in the package.
ERROR_SENTENCES_FILE = "error-sentences.json"


def _build_abi(name: str, build_dir: Path) -> list:
    path = build_dir / f"{name}.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: compile first (./run brownie compile)")
    return json.loads(path.read_text())["abi"]


def _sorted(abi: list) -> list:
    """`abi` in a stable order (type, name, then the entry itself), so exports diff cleanly."""
    return sorted(abi, key=lambda entry: (entry["type"], entry.get("name", ""), json.dumps(entry, sort_keys=True)))


def collect_abis(build_dir: Path = BUILD_DIR) -> dict[str, list]:
    """The ABIs to export, by name, read from `build_dir`."""
    abis = {name: _sorted(_build_abi(name, build_dir)) for name in PUBLIC_CONTRACTS}
    abis["ERC20"] = _sorted([entry for part in ERC20_PARTS for entry in _build_abi(part, build_dir)])
    return abis


def _error_definitions(node, found: dict[str, str]) -> None:
    """Adds the NatSpec text of every `ErrorDefinition` under syntax tree `node` to `found`."""
    if isinstance(node, dict):
        if node.get("nodeType") == "ErrorDefinition" and node.get("documentation"):
            found.setdefault(node["name"], node["documentation"]["text"])
        for value in node.values():
            _error_definitions(value, found)
    elif isinstance(node, list):
        for value in node:
            _error_definitions(value, found)


def _sentence(natspec: str) -> str:
    """The `@notice` of a NatSpec text (else its `@dev`, else all of it) on one line."""
    tags = dict(re.findall(r"@(\w+)\s+(.*?)(?=\s@\w+\s|$)", natspec.strip(), re.DOTALL))
    return " ".join(tags.get("notice", tags.get("dev", natspec)).split())


def collect_error_sentences(build_dir: Path = BUILD_DIR, abis: dict[str, list] | None = None) -> dict[str, str]:
    """The sentence of each custom error of the exported ABIs that has NatSpec, by name, from the
    syntax trees of the build's contracts and interfaces (a library's undocumented error has none)."""
    documented: dict[str, str] = {}
    for path in sorted(build_dir.parent.glob("*/*.json")):
        _error_definitions(json.loads(path.read_text()).get("ast"), documented)
    names = {
        entry["name"] for abi in (abis or collect_abis(build_dir)).values() for entry in abi if entry["type"] == "error"
    }
    return {name: _sentence(documented[name]) for name in sorted(names & set(documented))}


def render(abi: list) -> str:
    """The text of an exported ABI file."""
    return json.dumps(abi, indent=2, sort_keys=True) + "\n"


def export(build_dir: Path = BUILD_DIR, targets: tuple[Path, ...] = (PACKAGE_ABI_DIR, INTERFACES_DIR)) -> list[Path]:
    """Writes every ABI into each folder of `targets`, and the errors' sentences into the first;
    returns the files written."""
    written = []
    abis = collect_abis(build_dir)
    for name, abi in abis.items():
        for folder in targets:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{name}.json"
            path.write_text(render(abi))
            written.append(path)
    sentences = targets[0] / ERROR_SENTENCES_FILE
    sentences.write_text(json.dumps(collect_error_sentences(build_dir, abis), indent=2, sort_keys=True) + "\n")
    return [*written, sentences]


def main():
    """Exports the ABIs and lists what was written."""
    for path in export():
        print(f"wrote {path.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
