"""Deployment records: the `deployments/<network>.json` files scripts/deploy.py writes."""

import json
from dataclasses import dataclass
from pathlib import Path

from eth_utils import to_checksum_address

SUPPORTED_FORMAT_VERSIONS = (1,)


@dataclass(frozen=True)
class Deployment:
    """Where the escrow core lives on one chain (see deployments/README.md for the layout)."""

    network: str
    chain_id: int
    deployer: str
    block_number: int
    native_eth: str
    contracts: dict[str, str]
    swap_domain_id: int
    swap_instrument_manager: str
    swap_instrument_escrow: str

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

    @classmethod
    def from_record(cls, record: dict) -> "Deployment":
        """A deployment from the parsed JSON record."""
        version = record.get("formatVersion")
        if version not in SUPPORTED_FORMAT_VERSIONS:
            raise ValueError(f"unsupported deployment record formatVersion {version!r}")
        domain = record["swapDomain"]
        return cls(
            network=record["network"],
            chain_id=int(record["chainId"]),
            deployer=to_checksum_address(record["deployer"]),
            block_number=int(record["blockNumber"]),
            native_eth=to_checksum_address(record["nativeEth"]),
            contracts={name: to_checksum_address(address) for name, address in record["contracts"].items()},
            swap_domain_id=int(domain["domainId"]),
            swap_instrument_manager=to_checksum_address(domain["instrumentManager"]),
            swap_instrument_escrow=to_checksum_address(domain["instrumentEscrow"]),
        )

    @classmethod
    def load(cls, path: str | Path) -> "Deployment":
        """Reads a deployment record file."""
        return cls.from_record(json.loads(Path(path).read_text()))

    @classmethod
    def for_network(cls, network: str, deployments_dir: str | Path = "deployments") -> "Deployment":
        """Reads `<deployments_dir>/<network>.json` (by default from ./deployments)."""
        return cls.load(Path(deployments_dir) / f"{network}.json")
