"""Custom errors of the contracts as Python exceptions, built from the ABIs' error entries.

Every `error` entry of the shipped ABIs becomes a subclass of `ContractRevert` with the error's
name and one attribute per argument, e.g.::

    try:
        domain.withdraw_token(token, 10**30)
    except EscrowInsufficientBalance as error:
        print(error.account, error.token, error.balance, error.needed)

The classes are attributes of this module (`nuts_escrow.errors.EscrowInsufficientBalance`) and
are listed in `ERRORS`. `decode_revert(data)` turns revert data into the matching exception;
`Error(string)` becomes `RevertWithReason` and `Panic(uint256)` becomes `Panic`.

Every revert exception is also web3.py's `ContractLogicError` (with its `message` and `data`,
the revert data as 0x-hex), so code written for web3.py that catches `ContractLogicError`
catches the client's reverts too.
"""

from typing import Any, ClassVar, cast

from eth_abi import decode
from eth_typing import ABIError
from eth_utils import abi_to_signature, function_signature_to_4byte_selector
from hexbytes import HexBytes
from web3.exceptions import ContractLogicError

from nuts_escrow.abi import all_abis, decoded_value


class NutsEscrowError(Exception):
    """Base of every exception the client raises."""


class ContractRevert(NutsEscrowError, ContractLogicError):
    """A call or transaction reverted. Subclasses are the contracts' custom errors.

    `revert_data` is the raw revert data (bytes); `data` is the same as 0x-hex and `message` the
    error as text, as web3.py's `ContractLogicError` has them."""

    error_name: ClassVar[str] = "ContractRevert"
    signature: ClassVar[str] = ""
    selector: ClassVar[bytes] = b""
    arg_names: ClassVar[tuple[str, ...]] = ()
    arg_types: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *values: Any, data: bytes | None = None):
        if len(values) != len(self.arg_names):
            raise TypeError(f"{self.error_name} takes {len(self.arg_names)} arguments, got {len(values)}")
        self.values = tuple(values)
        self.revert_data = data
        for name, value in zip(self.arg_names, values, strict=True):
            setattr(self, name, value)
        ContractLogicError.__init__(self, str(self), _hex(data))

    @property
    def arguments(self) -> dict[str, Any]:
        """The error's arguments by name."""
        return dict(zip(self.arg_names, self.values, strict=True))

    def __str__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self.arguments.items())
        return f"{self.error_name}({shown})"

    def __repr__(self) -> str:
        return str(self)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.values == other.values

    def __hash__(self) -> int:
        return hash((type(self), self.values))


class RevertWithReason(ContractRevert):
    """`require(condition, "reason")` or `revert("reason")`: Solidity's `Error(string)`."""

    error_name = "Error"
    signature = "Error(string)"
    selector = function_signature_to_4byte_selector("Error(string)")
    arg_names = ("reason",)
    arg_types = ("string",)


class Panic(ContractRevert):
    """A Solidity panic (`Panic(uint256)`): arithmetic overflow, failed assert, and so on."""

    error_name = "Panic"
    signature = "Panic(uint256)"
    selector = function_signature_to_4byte_selector("Panic(uint256)")
    arg_names = ("code",)
    arg_types = ("uint256",)


class UnknownRevert(ContractRevert):
    """A revert whose data matches no error of the shipped ABIs (or carries no data)."""

    error_name = "UnknownRevert"

    def __init__(self, data: bytes | None = None, message: str | None = None):
        self.values = ()
        self.revert_data = data
        #: What the node said about the revert, if anything.
        self.node_message = message
        ContractLogicError.__init__(self, str(self), _hex(data))

    def __str__(self) -> str:
        data = _hex(self.revert_data) or "no data"
        return f"UnknownRevert({data}{', ' + self.node_message if self.node_message else ''})"


class TransactionFailed(NutsEscrowError):
    """A mined transaction has status 0 and replaying it gave no revert data."""

    def __init__(self, receipt: Any):
        self.receipt = receipt
        super().__init__(f"transaction {HexBytes(receipt['transactionHash']).to_0x_hex()} reverted")


def _hex(data: bytes | None) -> str | None:
    return HexBytes(data).to_0x_hex() if data else None


def _error_class(entry: ABIError) -> type[ContractRevert]:
    signature = abi_to_signature(entry)
    inputs = tuple(entry["inputs"])
    names = tuple(item["name"] or f"arg{index}" for index, item in enumerate(inputs))
    namespace = {
        "__doc__": f"The contracts' custom error `{signature}`.",
        "__module__": __name__,
        "error_name": entry["name"],
        "signature": signature,
        "selector": function_signature_to_4byte_selector(signature),
        "arg_names": names,
        "arg_types": tuple(signature[len(entry["name"]) + 1 : -1].split(",")) if inputs else (),
        "abi_inputs": inputs,
    }
    return type(entry["name"], (ContractRevert,), namespace)


def _build_errors() -> dict[str, type[ContractRevert]]:
    errors: dict[str, type[ContractRevert]] = {}
    entries = [cast(ABIError, entry) for abi in all_abis().values() for entry in abi if entry["type"] == "error"]
    for entry in entries:
        known = errors.get(entry["name"])
        if known is not None:
            if known.signature != abi_to_signature(entry):
                clash = f"{known.signature}, {abi_to_signature(entry)}"
                raise RuntimeError(f"two errors named {entry['name']}: {clash}")
            continue
        errors[entry["name"]] = _error_class(entry)
    return dict(sorted(errors.items()))


#: Every custom error of the shipped ABIs, by name.
ERRORS: dict[str, type[ContractRevert]] = _build_errors()
_DECODABLE: tuple[type[ContractRevert], ...] = (*ERRORS.values(), RevertWithReason, Panic)
_BY_SELECTOR: dict[bytes, type[ContractRevert]] = {error.selector: error for error in _DECODABLE}
globals().update(ERRORS)


def decode_revert(data: bytes | str | dict[str, str] | None, message: str | None = None) -> ContractRevert:
    """The exception for revert `data` (bytes or 0x-hex): a custom error, reason, panic or unknown."""
    if not data or not isinstance(data, bytes | str):
        return UnknownRevert(None, message)
    raw = bytes(HexBytes(data))
    error = _BY_SELECTOR.get(raw[:4])
    if error is None:
        return UnknownRevert(raw, message)
    try:
        values = decode(list(error.arg_types), raw[4:]) if error.arg_types else ()
    except Exception:  # malformed arguments: keep the raw data
        return UnknownRevert(raw, message)
    inputs = getattr(error, "abi_inputs", [{"type": t} for t in error.arg_types])
    return error(*(decoded_value(item, value) for item, value in zip(inputs, values, strict=True)), data=raw)


def __getattr__(name: str) -> type[ContractRevert]:
    """Lets type checkers and linters accept `errors.<ErrorName>`, created at import."""
    try:
        return ERRORS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
