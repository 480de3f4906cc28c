"""A thin, typed web3.py client for the escrow core: domains, balances, deposits, instruments, history.

It uses web3.py only (no brownie), so any node and any Python backend or notebook can use it::

    from web3 import Web3
    from nuts_escrow import EscrowClient, Deployment

    w3 = Web3(Web3.HTTPProvider("http://127.0.0.1:8545"))
    client = EscrowClient.from_deployment(w3, Deployment.for_network("sepolia"), account=my_account)
    swaps = client.domain(1)                      # a domain by its registry id (here a SwapDomain)
    swaps.deposit_token(token, 100 * 10**18)      # approves the Instrument Escrow, then deposits
    loans = client.lending_domain(2)              # raises WrongInstrumentError unless it is Lending

Transactions are sent from `account`: an eth-account `LocalAccount` (signed locally, sent raw) or
the address of an account the node holds (sent with eth_sendTransaction, e.g. Anvil's accounts).
A revert raises the contract's custom error as a Python exception (see `nuts_escrow.errors`).
"""

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from eth_abi import encode
from eth_account.signers.local import LocalAccount
from eth_utils import function_signature_to_4byte_selector, to_checksum_address
from web3 import Web3
from web3.contract.contract import Contract, ContractFunction
from web3.exceptions import ContractLogicError, Web3Exception
from web3.types import TxReceipt

from nuts_escrow.abi import load_abi
from nuts_escrow.deployment import Deployment
from nuts_escrow.domains import (
    DOMAIN_CLASSES,
    BorrowingDomain,
    Domain,
    LendingDomain,
    LoanDomain,
    MultiSwapDomain,
    SwapDomain,
)
from nuts_escrow.errors import NutsEscrowError, TransactionFailed, decode_revert
from nuts_escrow.oracle import PriceOracle
from nuts_escrow.terms import (
    CANCEL_ISSUANCE,
    ENGAGEMENT_DUE,
    ISSUANCE_DUE,
    LOAN_TERMS_FULL_TYPES,
    LOAN_TERMS_TYPES,
    MARGIN_CALL,
    MULTISWAP_TERMS_TYPES,
    REPAY_FULL,
    SWAP_TERMS_TYPES,
    event_name,
    loan_terms,
    multiswap_fill,
    multiswap_terms,
    swap_terms,
)
from nuts_escrow.types import InstrumentKind

DEFAULT_RECEIPT_TIMEOUT = 120
ZERO_ADDRESS = "0x" + "00" * 20


class WrongChainError(NutsEscrowError):
    """The node serves another chain than the deployment record was written for."""


class WrongInstrumentError(NutsEscrowError):
    """The domain's instrument is not of the kind the caller asked for."""


def _abi_words(components: list[dict]) -> int:
    """How many 32-byte words the ABI encoding of static `components` takes."""
    return sum(_abi_words(item["components"]) if item["type"] == "tuple" else 1 for item in components)


@cache
def _issuance_shapes() -> dict[InstrumentKind, tuple[bytes, int]]:
    """Per instrument kind: the selector of its `getIssuance(manager, id)` and the length of its
    answer, from the shipped ABIs (every issuance record is a static struct)."""
    shapes = {}
    for kind, cls in DOMAIN_CLASSES.items():
        (entry,) = [e for e in load_abi(cls.instrument_abi) if e.get("name") == "getIssuance"]
        signature = f"getIssuance({','.join(item['type'] for item in entry['inputs'])})"
        shapes[kind] = (function_signature_to_4byte_selector(signature), 32 * _abi_words(entry["outputs"]))
    return shapes


class Sender:
    """Sends transactions from one account and turns reverts into the contracts' errors."""

    def __init__(self, w3: Web3, account: LocalAccount | str | None, timeout: float = DEFAULT_RECEIPT_TIMEOUT):
        self.w3 = w3
        self.timeout = timeout
        self.local: LocalAccount | None = None
        self.address: str | None = None
        if isinstance(account, str):
            self.address = to_checksum_address(account)
        elif account is not None:
            self.local = account
            self.address = account.address

    def require_address(self) -> str:
        """The sending address; raises when the client was made without an account."""
        if self.address is None:
            raise NutsEscrowError("this client has no account: pass account= to send transactions")
        return self.address

    def call(self, function: ContractFunction, block: int | str = "latest") -> Any:
        """Calls a view function (as the account, if any); a revert raises its custom error."""
        params = {"from": self.address} if self.address else {}
        try:
            return function.call(params, block_identifier=block)
        except ContractLogicError as error:
            raise decode_revert(error.data, error.message) from error

    def transact(self, function: ContractFunction, value: int = 0) -> TxReceipt:
        """Sends `function` with `value` wei and waits for the receipt.

        The gas estimate runs the call first, so most reverts raise (as the contract's custom
        error) before anything is sent. A mined transaction that failed anyway is replayed to find
        its error; `TransactionFailed` if none comes back.
        """
        sender = self.require_address()
        params: dict[str, Any] = {"from": sender, "value": value}
        try:
            if self.local is not None:
                params["nonce"] = self.w3.eth.get_transaction_count(sender, "pending")
                transaction = function.build_transaction(params)
                signed = self.local.sign_transaction(transaction)
                tx_hash = self.w3.eth.send_raw_transaction(signed.raw_transaction)
            else:
                tx_hash = function.transact(params)
        except ContractLogicError as error:
            raise decode_revert(error.data, error.message) from error
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=self.timeout)
        if receipt["status"] != 1:
            data = function._encode_transaction_data()
            replay = {"from": sender, "to": function.address, "data": data, "value": value}
            try:
                self.w3.eth.call(replay, block_identifier=receipt["blockNumber"] - 1)
            except ContractLogicError as error:
                raise decode_revert(error.data, error.message) from error
            raise TransactionFailed(receipt)
        return receipt


class EscrowClient:
    """The platform: the registry of domains, and the account transactions are sent from."""

    def __init__(
        self,
        w3: Web3,
        registry: str,
        account: LocalAccount | str | None = None,
        *,
        from_block: int = 0,
        timeout: float = DEFAULT_RECEIPT_TIMEOUT,
    ):
        """`registry` is the InstrumentRegistry's address; `from_block` is where event scans start."""
        self.w3 = w3
        self.sender = Sender(w3, account, timeout)
        self.from_block = from_block
        self.registry: Contract = w3.eth.contract(to_checksum_address(registry), abi=load_abi("InstrumentRegistry"))

    @classmethod
    def from_deployment(
        cls,
        w3: Web3,
        deployment: Deployment | str | Path,
        account: LocalAccount | str | None = None,
        *,
        timeout: float = DEFAULT_RECEIPT_TIMEOUT,
    ) -> "EscrowClient":
        """A client for a deployment record (a `Deployment` or the path of its JSON file).

        Raises `WrongChainError` when the node's chain id is not the record's.
        """
        if not isinstance(deployment, Deployment):
            deployment = Deployment.load(deployment)
        chain_id = w3.eth.chain_id
        if chain_id != deployment.chain_id:
            raise WrongChainError(
                f"the deployment record of '{deployment.network}' is for chain id {deployment.chain_id}, "
                f"but the node serves chain id {chain_id}"
            )
        client = cls(w3, deployment.registry, account, from_block=deployment.block_number, timeout=timeout)
        client.deployment = deployment
        return client

    @property
    def account(self) -> str | None:
        """The address transactions are sent from, if any."""
        return self.sender.address

    def domain_count(self) -> int:
        """How many domains the registry activated (ids run from 1)."""
        return self.sender.call(self.registry.functions.domainCount())

    def domain(self, domain_id: int, kind: InstrumentKind | str | None = None) -> Domain:
        """Connects to domain `domain_id` of the registry (raises `RegistryUnknownDomain` if none).

        The domain's class follows its instrument (`instrument_kind`): a `SwapDomain`,
        `MultiSwapDomain`, `LendingDomain` or `BorrowingDomain`, or a plain `Domain` (escrow
        operations only) for an instrument the client does not know. With `kind` ("lending", or an
        `InstrumentKind`), raises `WrongInstrumentError` unless the instrument is of that kind.
        """
        provider, instrument, manager, instrument_escrow, active = self.sender.call(
            self.registry.functions.getDomain(domain_id)
        )
        found = self.instrument_kind(instrument)
        if kind is not None and found is not InstrumentKind(kind):
            shown = found.value if found else "an instrument the client does not know"
            raise WrongInstrumentError(f"domain {domain_id} is {shown}, not {InstrumentKind(kind).value}")
        cls = DOMAIN_CLASSES[found] if found else Domain
        return cls(self, domain_id, provider, instrument, manager, instrument_escrow, active)

    def swap_domain(self, domain_id: int) -> SwapDomain:
        """Domain `domain_id`, which must be a Swap domain (`WrongInstrumentError` otherwise)."""
        return self.domain(domain_id, InstrumentKind.SWAP)  # type: ignore[return-value]

    def multiswap_domain(self, domain_id: int) -> MultiSwapDomain:
        """Domain `domain_id`, which must be a MultiSwap domain (`WrongInstrumentError` otherwise)."""
        return self.domain(domain_id, InstrumentKind.MULTISWAP)  # type: ignore[return-value]

    def lending_domain(self, domain_id: int) -> LendingDomain:
        """Domain `domain_id`, which must be a Lending domain (`WrongInstrumentError` otherwise)."""
        return self.domain(domain_id, InstrumentKind.LENDING)  # type: ignore[return-value]

    def borrowing_domain(self, domain_id: int) -> BorrowingDomain:
        """Domain `domain_id`, which must be a Borrowing domain (`WrongInstrumentError` otherwise)."""
        return self.domain(domain_id, InstrumentKind.BORROWING)  # type: ignore[return-value]

    def domains(self, kind: InstrumentKind | str | None = None) -> list[Domain]:
        """Every domain of the registry (deactivated ones included), or only those of `kind`."""
        domains = [self.domain(domain_id) for domain_id in range(1, self.domain_count() + 1)]
        return [domain for domain in domains if kind is None or domain.kind is InstrumentKind(kind)]

    def instrument_kind(self, instrument: str) -> InstrumentKind | None:
        """The kind of the instrument at `instrument`, or None for one the client does not know.

        The instruments have no interface id to ask for, so the client tells them apart by the
        answer of `getIssuance(manager, id)`, whose record has a different size for each (taken
        from the shipped ABIs), and Lending from Borrowing by `makerIsLender()`: one or two calls.
        """
        instrument = to_checksum_address(instrument)
        found = set()
        for selector in {selector for selector, _ in _issuance_shapes().values()}:
            data = selector + encode(["address", "uint256"], [ZERO_ADDRESS, 0])
            try:
                answer = self.w3.eth.call({"to": instrument, "data": data})
            except (ContractLogicError, Web3Exception, ValueError):  # not an instrument we know
                continue
            found |= {kind for kind, shape in _issuance_shapes().items() if shape == (selector, len(answer))}
        if found == {InstrumentKind.LENDING, InstrumentKind.BORROWING}:
            loan = self.w3.eth.contract(instrument, abi=load_abi("Lending"))
            lends = self.sender.call(loan.functions.makerIsLender())
            return InstrumentKind.LENDING if lends else InstrumentKind.BORROWING
        return found.pop() if len(found) == 1 else None

    def price_oracle(self, address: str) -> PriceOracle:
        """The price oracle at `address` (read only: `rate(base, quote)`)."""
        return PriceOracle(self, address)

    def token(self, address: str) -> Contract:
        """An ERC20 token contract (minimal ABI: IERC20Metadata and OpenZeppelin's errors)."""
        return self.w3.eth.contract(to_checksum_address(address), abi=load_abi("ERC20"))

    def batch_call(self, functions: Sequence[ContractFunction], block: int | str = "latest") -> list[Any]:
        """Calls every view function in `functions` in one JSON-RPC batch, at one block.

        Falls back to one call each when the node refuses batches.
        """
        if not functions:
            return []
        try:
            with self.w3.batch_requests() as batch:
                for function in functions:
                    batch.add(function.call(block_identifier=block))
                return list(batch.execute())
        except ContractLogicError as error:
            raise decode_revert(error.data, error.message) from error
        except Exception:  # a node or provider without batch support: call one by one
            return [self.sender.call(function, block) for function in functions]


__all__: list[str] = [
    "CANCEL_ISSUANCE",
    "ENGAGEMENT_DUE",
    "ISSUANCE_DUE",
    "LOAN_TERMS_FULL_TYPES",
    "LOAN_TERMS_TYPES",
    "MARGIN_CALL",
    "MULTISWAP_TERMS_TYPES",
    "REPAY_FULL",
    "SWAP_TERMS_TYPES",
    "BorrowingDomain",
    "Domain",
    "EscrowClient",
    "LendingDomain",
    "LoanDomain",
    "MultiSwapDomain",
    "Sender",
    "SwapDomain",
    "WrongChainError",
    "WrongInstrumentError",
    "event_name",
    "loan_terms",
    "multiswap_fill",
    "multiswap_terms",
    "swap_terms",
]
