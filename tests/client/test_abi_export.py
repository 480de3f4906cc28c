"""The ABIs shipped in src/nuts_escrow/abis and interfaces/*.json match the current build, and
the exception classes are built from their error entries."""

import json
from pathlib import Path

import pytest
from eth_abi import encode
from eth_utils import function_signature_to_4byte_selector

from nuts_escrow import ABI_NAMES, errors, load_abi
from nuts_escrow.types import ENUMS, LoanState, MultiSwapState, SwapState
from scripts.export_abis import INTERFACES_DIR, PACKAGE_ABI_DIR, collect_abis, export, render

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built():
    return collect_abis()


@pytest.mark.parametrize("folder", [PACKAGE_ABI_DIR, INTERFACES_DIR], ids=["package", "interfaces"])
def test_exported_abis_match_the_current_build(built, folder):
    stale = [name for name, abi in built.items() if (folder / f"{name}.json").read_text() != render(abi)]
    assert not stale, f"stale ABIs in {folder}: {stale}; run `python scripts/export_abis.py`"


def test_the_package_ships_every_exported_abi(built):
    assert set(ABI_NAMES) == set(built)
    for name in ABI_NAMES:
        assert load_abi(name) == built[name]


def test_the_instruments_and_oracles_are_exported():
    assert {"Swap", "MultiSwap", "Lending", "Borrowing", "AdminPriceOracle", "ChainlinkPriceOracle"} <= set(ABI_NAMES)


def test_export_writes_every_listed_abi(built, tmp_path):
    written = export(targets=(tmp_path,))

    assert sorted(path.name for path in written) == sorted(f"{name}.json" for name in ABI_NAMES)
    assert all(path.read_text() == render(built[path.stem]) for path in written)


def _enum_types(items: list[dict]) -> set[str]:
    found = set()
    for item in items:
        if item.get("internalType", "").startswith("enum "):
            found.add(item["internalType"])
        found |= _enum_types(item.get("components", []))
    return found


def test_every_enum_of_the_abis_has_a_python_enum():
    used = set()
    for name in ABI_NAMES:
        for entry in load_abi(name):
            used |= _enum_types(entry.get("inputs", []) + entry.get("outputs", []))
    assert used <= set(ENUMS), f"enums without a Python counterpart in nuts_escrow.types: {used - set(ENUMS)}"
    assert {"enum SwapState", "enum MultiSwapState", "enum LoanState"} <= used


def test_json_interfaces_do_not_shadow_the_solidity_interfaces():
    json_names = {path.stem for path in INTERFACES_DIR.glob("*.json")}
    sol_names = {path.stem for path in INTERFACES_DIR.glob("*.sol")}
    assert json_names == set(ABI_NAMES)
    assert not json_names & sol_names


def test_every_error_of_the_abis_is_an_exception_class():
    entries = {entry["name"] for name in ABI_NAMES for entry in load_abi(name) if entry["type"] == "error"}
    assert entries == set(errors.ERRORS)
    for name in entries:
        error = getattr(errors, name)
        assert issubclass(error, errors.ContractRevert)
        assert error.error_name == name


def test_revert_data_decodes_to_the_error_with_its_arguments():
    account = "0x" + "12" * 20
    token = "0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE"
    selector = function_signature_to_4byte_selector("EscrowInsufficientBalance(address,address,uint256,uint256)")
    data = selector + encode(["address", "address", "uint256", "uint256"], [account, token, 5, 9])

    error = errors.decode_revert("0x" + data.hex())

    assert isinstance(error, errors.EscrowInsufficientBalance)
    assert (error.account.lower(), error.token, error.balance, error.needed) == (account, token, 5, 9)
    assert error == errors.EscrowInsufficientBalance(error.account, token, 5, 9)


def test_enums_reasons_and_unknown_data():
    not_engageable = function_signature_to_4byte_selector("SwapNotEngageable(uint256,uint8)")
    decoded = errors.decode_revert(not_engageable + encode(["uint256", "uint8"], [3, 2]))
    assert decoded.state is SwapState.CANCELLED and decoded.issuanceId == 3

    wrong_state = function_signature_to_4byte_selector("LoanWrongState(uint256,uint8)")
    decoded = errors.decode_revert(wrong_state + encode(["uint256", "uint8"], [4, 6]))
    assert isinstance(decoded, errors.LoanWrongState) and decoded.state is LoanState.DEFAULTED
    not_engageable = function_signature_to_4byte_selector("MultiSwapNotEngageable(uint256,uint8)")
    assert errors.decode_revert(not_engageable + encode(["uint256", "uint8"], [1, 3])).state is MultiSwapState.COMPLETE

    reason = function_signature_to_4byte_selector("Error(string)") + encode(["string"], ["nope"])
    assert errors.decode_revert(reason).reason == "nope"
    assert isinstance(errors.decode_revert(b"\xde\xad\xbe\xef"), errors.UnknownRevert)
    assert isinstance(errors.decode_revert(None), errors.UnknownRevert)


def test_pyproject_does_not_pin_what_brownie_pins():
    text = (ROOT / "pyproject.toml").read_text()
    assert "web3>=7,<8" in text
    assert "==" not in text
    assert json.loads((PACKAGE_ABI_DIR / "ERC20.json").read_text())
