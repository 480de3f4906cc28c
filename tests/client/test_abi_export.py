"""The ABIs shipped in src/nuts_escrow/abis and interfaces/*.json match the current build, and
the exception classes are built from their error entries."""

import json
from pathlib import Path

import pytest
from eth_abi import encode
from eth_utils import function_signature_to_4byte_selector

from nuts_escrow import ABI_NAMES, errors, load_abi
from nuts_escrow.types import ENUMS, LoanState, TransferKind
from scripts.export_abis import (
    ERROR_SENTENCES_FILE,
    INTERFACES_DIR,
    PACKAGE_ABI_DIR,
    collect_abis,
    collect_error_sentences,
    export,
    render,
)

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

    assert sorted(path.name for path in written) == sorted(
        [*(f"{name}.json" for name in ABI_NAMES), ERROR_SENTENCES_FILE]
    )
    assert all(path.read_text() == render(built[path.stem]) for path in written if path.stem in built)


def test_the_error_sentences_match_the_build_and_name_only_errors_of_the_abis(built):
    shipped = json.loads((PACKAGE_ABI_DIR / ERROR_SENTENCES_FILE).read_text())
    assert shipped == collect_error_sentences(abis=built), "stale; run `python scripts/export_abis.py`"
    assert set(shipped) <= set(errors.ERRORS)
    assert shipped["EscrowInsufficientBalance"] == (
        "`account` holds `balance` of `token` here, less than the `needed` amount."
    )
    # Every error the platform's own interfaces declare has its sentence (only a library's may lack one).
    ours = {name for name in errors.ERRORS if name.startswith(("Escrow", "Instrument", "Manager", "Loan"))}
    assert ours <= set(shipped)


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
    not_allowed = function_signature_to_4byte_selector("ManagerTransferNotAllowed(uint256,uint8,address,address)")
    account = "0x" + "34" * 20
    decoded = errors.decode_revert(
        not_allowed + encode(["uint256", "uint8", "address", "address"], [1, 2, account, account])
    )
    assert isinstance(decoded, errors.ManagerTransferNotAllowed) and decoded.kind is TransferKind.INTRA_INSTRUMENT

    wrong_state = function_signature_to_4byte_selector("InstrumentWrongState(uint256,uint8)")
    decoded = errors.decode_revert(wrong_state + encode(["uint256", "uint8"], [4, 6]))
    assert isinstance(decoded, errors.InstrumentWrongState) and decoded.arguments == {"issuanceId": 4, "state": 6}
    assert decoded.state == LoanState.DEFAULTED  # a uint8 shared by every instrument's state enum

    reason = function_signature_to_4byte_selector("Error(string)") + encode(["string"], ["nope"])
    assert errors.decode_revert(reason).reason == "nope"
    assert isinstance(errors.decode_revert(b"\xde\xad\xbe\xef"), errors.UnknownRevert)
    assert isinstance(errors.decode_revert(None), errors.UnknownRevert)


#: The errors the instruments share since InstrumentCore, and the loans' new ones, with their
#: argument types and names (interfaces/IInstrument.sol, ILoan.sol, IInstrumentManager.sol).
NEW_ERRORS = {
    "InstrumentInvalidMakerData": (("uint256",), ("length",)),
    "InstrumentInvalidTakerData": (("uint256",), ("length",)),
    "InstrumentInvalidEventData": (("uint256",), ("length",)),
    "InstrumentInvalidToken": (("address",), ("token",)),
    "InstrumentSameToken": (("address",), ("token",)),
    "InstrumentZeroAmount": ((), ()),
    "InstrumentIssuanceExists": (("uint256",), ("issuanceId",)),
    "InstrumentUnknownIssuance": (("uint256",), ("issuanceId",)),
    "InstrumentUnknownEngagement": (("uint256", "uint256"), ("issuanceId", "engagementId")),
    "InstrumentWrongState": (("uint256", "uint8"), ("issuanceId", "state")),
    "InstrumentIssuanceDue": (("uint256", "uint64"), ("issuanceId", "dueTime")),
    "InstrumentMakerCannotEngage": (("address",), ("maker",)),
    "InstrumentWrongCaller": (("address", "address"), ("caller", "expected")),
    "InstrumentUnknownEvent": (("bytes32",), ("eventName",)),
    "ManagerCreditBelowMinimum": (
        ("uint256", "address", "address", "uint256", "uint256"),
        ("index", "token", "to", "credited", "minimum"),
    ),
    "LoanCollateralBelowBound": (("uint256", "uint256"), ("collateral", "minimum")),
    "LoanCollateralAboveLimit": (("uint256", "uint256"), ("collateral", "maximum")),
    "LoanUndercollateralised": (("uint256", "uint256"), ("held", "required")),
    "LoanInvalidMaintenanceRatio": (("uint256", "uint256"), ("maintenanceRatio", "collateralRatio")),
    "LoanPriceBoundNotMakers": ((), ()),
}

#: Per-instrument errors the shared ones replaced: no ABI has them any more.
REMOVED_ERRORS = [
    f"{prefix}{name}"
    for prefix in ("Swap", "MultiSwap")
    for name in (
        "InvalidMakerData",
        "InvalidTakerData",
        "InvalidToken",
        "SameToken",
        "ZeroAmount",
        "IssuanceExists",
        "UnknownIssuance",
        "NotEngageable",
        "IssuanceDue",
        "MakerCannotEngage",
        "NotMaker",
        "UnknownEvent",
    )
] + [
    "MultiSwapInvalidEngagement",
    "MultiSwapInvalidEventData",
    "LoanInvalidMakerData",
    "LoanUnexpectedData",
    "LoanInvalidToken",
    "LoanSameToken",
    "LoanZeroPrincipal",
    "LoanIssuanceExists",
    "LoanUnknownIssuance",
    "LoanWrongState",
    "LoanIssuanceDue",
    "LoanMakerCannotEngage",
    "LoanWrongCaller",
    "LoanUnknownEngagement",
    "LoanUnknownEvent",
]


@pytest.mark.parametrize("name", NEW_ERRORS)
def test_the_new_errors_decode_with_their_arguments(name):
    types, names = NEW_ERRORS[name]
    error = getattr(errors, name)
    assert (error.arg_types, error.arg_names) == (types, names)
    samples = {
        "uint256": 7,
        "uint64": 9,
        "uint8": 3,
        "address": "0x" + "ab" * 20,
        "bytes32": b"margin_call".ljust(32, b"\0"),
    }
    values = [samples[kind] for kind in types]
    selector = function_signature_to_4byte_selector(f"{name}({','.join(types)})")

    decoded = errors.decode_revert(selector + encode(list(types), values))

    assert type(decoded) is error and isinstance(decoded, errors.ContractRevert)
    assert [str(value).lower() for value in decoded.values] == [str(value).lower() for value in values]
    assert decoded.arguments == dict(zip(names, decoded.values, strict=True))


@pytest.mark.parametrize("name", REMOVED_ERRORS)
def test_the_replaced_errors_are_gone(name):
    assert name not in errors.ERRORS
    with pytest.raises(AttributeError):
        getattr(errors, name)


def test_pyproject_does_not_pin_what_brownie_pins():
    text = (ROOT / "pyproject.toml").read_text()
    assert "web3>=7,<8" in text
    assert "==" not in text
    assert json.loads((PACKAGE_ABI_DIR / "ERC20.json").read_text())
