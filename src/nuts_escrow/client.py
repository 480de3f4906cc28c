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

The package's layers, each importing only those below it: `connection` (web3, the account,
send-and-wait, reverts decoded by `errors`), then `oracle` and `domains` (holding a `Connection`),
then this module, which builds them.
"""

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from eth_abi import encode
from eth_account.signers.local import LocalAccount
from eth_utils import function_signature_to_4byte_selector, to_checksum_address
from web3 import Web3
from web3.contract.contract import Contract, ContractFunction
from web3.exceptions import ContractLogicError, Web3Exception
from web3.types import BlockIdentifier

from nuts_escrow.abi import function_abi, load_abi
from nuts_escrow.connection import DEFAULT_RECEIPT_TIMEOUT, Connection
from nuts_escrow.deployment import Deployment
from nuts_escrow.domains import (
    DOMAIN_CLASSES,
    BorrowingDomain,
    Domain,
    LendingDomain,
    MultiSwapDomain,
    SwapDomain,
)
from nuts_escrow.errors import NutsEscrowError
from nuts_escrow.oracle import PriceOracle
from nuts_escrow.types import InstrumentKind

#: A domain class the caller asks for by name (`client.swap_domain(id)` is a `SwapDomain`).
DomainT = TypeVar("DomainT", bound=Domain[Any])

ZERO_ADDRESS = "0x" + "00" * 20


class WrongChainError(NutsEscrowError):
    """The node serves another chain than the deployment record was written for."""


class WrongInstrumentError(NutsEscrowError):
    """The domain's instrument is not of the kind the caller asked for."""


def _abi_words(components: list[dict[str, Any]]) -> int:
    """How many 32-byte words the ABI encoding of static `components` takes."""
    return sum(_abi_words(item["components"]) if item["type"] == "tuple" else 1 for item in components)


@cache
def _issuance_shapes() -> dict[InstrumentKind, tuple[bytes, int]]:
    """Per instrument kind: the selector of its `getIssuance(manager, id)` and the length of its
    answer, from the shipped ABIs (every issuance record is a static struct)."""
    shapes = {}
    for kind, cls in DOMAIN_CLASSES.items():
        assert cls.instrument_abi is not None, f"{cls.__name__} names no instrument ABI"
        entry = function_abi(cls.instrument_abi, "getIssuance")
        signature = f"getIssuance({','.join(item['type'] for item in entry['inputs'])})"
        shapes[kind] = (function_signature_to_4byte_selector(signature), 32 * _abi_words(entry["outputs"]))
    return shapes


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
        self.connection = Connection(w3, account, from_block=from_block, timeout=timeout)
        self.registry: Contract = self.connection.contract(registry, "InstrumentRegistry")
        #: The record the client was made from (`from_deployment`), if any.
        self.deployment: Deployment | None = None

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
        return self.connection.address

    @property
    def from_block(self) -> int:
        """Where event scans start (the deployment's first block, or 0)."""
        return self.connection.from_block

    def domain_count(self) -> int:
        """How many domains the registry activated (ids run from 1)."""
        return self.connection.call(self.registry.functions.domainCount())

    def domain(self, domain_id: int, kind: InstrumentKind | str | None = None) -> Domain[Any]:
        """Connects to domain `domain_id` of the registry (raises `RegistryUnknownDomain` if none).

        The domain's class follows its instrument (`instrument_kind`): a `SwapDomain`,
        `MultiSwapDomain`, `LendingDomain` or `BorrowingDomain`, or a plain `Domain` (escrow
        operations only) for an instrument the client does not know. With `kind` ("lending", or an
        `InstrumentKind`), raises `WrongInstrumentError` unless the instrument is of that kind.
        """
        if kind is not None:
            return self._domain_of_class(domain_id, DOMAIN_CLASSES[InstrumentKind(kind)])
        found, registered = self._registered_domain(domain_id)
        cls = DOMAIN_CLASSES[found] if found else Domain
        return cls(self.connection, domain_id, *registered)

    def swap_domain(self, domain_id: int) -> SwapDomain:
        """Domain `domain_id`, which must be a Swap domain (`WrongInstrumentError` otherwise)."""
        return self._domain_of_class(domain_id, SwapDomain)

    def multiswap_domain(self, domain_id: int) -> MultiSwapDomain:
        """Domain `domain_id`, which must be a MultiSwap domain (`WrongInstrumentError` otherwise)."""
        return self._domain_of_class(domain_id, MultiSwapDomain)

    def lending_domain(self, domain_id: int) -> LendingDomain:
        """Domain `domain_id`, which must be a Lending domain (`WrongInstrumentError` otherwise)."""
        return self._domain_of_class(domain_id, LendingDomain)

    def borrowing_domain(self, domain_id: int) -> BorrowingDomain:
        """Domain `domain_id`, which must be a Borrowing domain (`WrongInstrumentError` otherwise)."""
        return self._domain_of_class(domain_id, BorrowingDomain)

    def _domain_of_class(self, domain_id: int, cls: type[DomainT]) -> DomainT:
        """Domain `domain_id` as a `cls`; `WrongInstrumentError` unless its instrument is `cls.kind`."""
        found, registered = self._registered_domain(domain_id)
        if found is not cls.kind:
            shown = found.value if found else "an instrument the client does not know"
            wanted = cls.kind.value if cls.kind else "an unknown instrument"
            raise WrongInstrumentError(f"domain {domain_id} is {shown}, not {wanted}")
        return cls(self.connection, domain_id, *registered)

    def _registered_domain(self, domain_id: int) -> tuple[InstrumentKind | None, tuple[str, str, str, str, bool]]:
        """The kind of domain `domain_id`'s instrument, and the registry's record of the domain:
        (provider, instrument, manager, instrument escrow, active)."""
        provider, instrument, manager, instrument_escrow, active = self.connection.call(
            self.registry.functions.getDomain(domain_id)
        )
        return self.instrument_kind(instrument), (provider, instrument, manager, instrument_escrow, active)

    def domains(self, kind: InstrumentKind | str | None = None) -> list[Domain[Any]]:
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
            lends = self.connection.call(loan.functions.makerIsLender())
            return InstrumentKind.LENDING if lends else InstrumentKind.BORROWING
        return found.pop() if len(found) == 1 else None

    def price_oracle(self, address: str) -> PriceOracle:
        """The price oracle at `address` (read only: `rate(base, quote)`)."""
        return PriceOracle(self.connection, address)

    def token(self, address: str) -> Contract:
        """An ERC20 token contract (minimal ABI: IERC20Metadata and OpenZeppelin's errors)."""
        return self.connection.token(address)

    def batch_call(self, functions: Sequence[ContractFunction], block: BlockIdentifier = "latest") -> list[Any]:
        """Calls every view function in `functions` in one JSON-RPC batch, at one block (see
        `Connection.batch_call`)."""
        return self.connection.batch_call(functions, block)


__all__: list[str] = ["EscrowClient", "WrongChainError", "WrongInstrumentError"]
