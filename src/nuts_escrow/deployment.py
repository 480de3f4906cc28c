"""Deployment records: the `deployments/<network>.json` files scripts/deploy.py writes."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_utils import to_checksum_address

SUPPORTED_FORMAT_VERSIONS = (1, 2)


@dataclass(frozen=True)
class DeployedDomain:
    """One instrument's domain in a deployment: the registry's `domain_id`, its Instrument Manager
    and Instrument Escrow, and the `instrument` it runs. The deployer is its provider."""

    instrument: str
    domain_id: int
    instrument_manager: str
    instrument_escrow: str


@dataclass(frozen=True)
class Deployment:
    """Where the escrow core lives on one chain (see deployments/README.md for the layout).

    `domains` maps an instrument's name ("Swap", "Lending", "Borrowing", "MultiSwap") to its
    domain; a formatVersion 1 record has only "Swap". `price_oracle_kind` is "admin",
    "chainlink" or "external" (an oracle the deployment did not deploy), None in version 1.
    """

    network: str
    chain_id: int
    deployer: str
    block_number: int
    native_eth: str
    contracts: dict[str, str]
    domains: dict[str, DeployedDomain]
    price_oracle_kind: str | None = None

    @property
    def registry(self) -> str:
        """The InstrumentRegistry's address."""
        return self.contracts["InstrumentRegistry"]

    @property
    def factory(self) -> str:
        """The EscrowFactory's address."""
        return self.contracts["EscrowFactory"]

    @property
    def swap(self) -> str:
        """The Swap instrument's address."""
        return self.contracts["Swap"]

    @property
    def price_oracle(self) -> str | None:
        """The price oracle's address (None in a formatVersion 1 record, which has none)."""
        return self.contracts.get("PriceOracle")

    @property
    def swap_domain_id(self) -> int:
        """The Swap domain's id in the registry."""
        return self.domains["Swap"].domain_id

    @property
    def swap_instrument_manager(self) -> str:
        """The Swap domain's Instrument Manager."""
        return self.domains["Swap"].instrument_manager

    @property
    def swap_instrument_escrow(self) -> str:
        """The Swap domain's Instrument Escrow."""
        return self.domains["Swap"].instrument_escrow

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> "Deployment":
        """A deployment from the parsed JSON record (formatVersion 1 or 2)."""
        version = record.get("formatVersion")
        if version not in SUPPORTED_FORMAT_VERSIONS:
            raise ValueError(f"unsupported deployment record formatVersion {version!r}")
        contracts: dict[str, str] = {
            name: to_checksum_address(address) for name, address in record["contracts"].items()
        }
        domains = record["domains"] if version == 2 else {"Swap": record["swapDomain"]}
        return cls(
            network=record["network"],
            chain_id=int(record["chainId"]),
            deployer=to_checksum_address(record["deployer"]),
            block_number=int(record["blockNumber"]),
            native_eth=to_checksum_address(record["nativeEth"]),
            contracts=contracts,
            domains={
                name: DeployedDomain(
                    instrument=contracts[name],
                    domain_id=int(domain["domainId"]),
                    instrument_manager=to_checksum_address(domain["instrumentManager"]),
                    instrument_escrow=to_checksum_address(domain["instrumentEscrow"]),
                )
                for name, domain in domains.items()
            },
            price_oracle_kind=record.get("priceOracleKind"),
        )

    @classmethod
    def load(cls, path: str | Path) -> "Deployment":
        """Reads a deployment record file."""
        return cls.from_record(json.loads(Path(path).read_text()))

    @classmethod
    def for_network(cls, network: str, deployments_dir: str | Path = "deployments") -> "Deployment":
        """Reads `<deployments_dir>/<network>.json` (by default from ./deployments)."""
        return cls.load(Path(deployments_dir) / f"{network}.json")
