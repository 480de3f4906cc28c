"""Deployment records: the `deployments/<network>.json` files scripts/deploy.py writes and dApps
read (the layout: deployments/README.md).

The record's schema lives here, for both sides: `new_record`, `upgraded_record`, `is_complete`,
`recorded_addresses`, `write_record` for the deploying script; `Deployment` for readers.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_utils import to_checksum_address

from nuts_escrow.types import NATIVE_ETH

#: A parsed deployment record (JSON object).
Record = dict[str, Any]
#: The layout written today; version 1 (the core and a Swap domain, as `swapDomain`) is still read.
RECORD_FORMAT_VERSION = 2
SUPPORTED_FORMAT_VERSIONS = (1, RECORD_FORMAT_VERSION)
#: The names of the contracts deployed once per platform, as keys of the record's `contracts`.
ESCROW_FACTORY = "EscrowFactory"
INSTRUMENT_REGISTRY = "InstrumentRegistry"
PRICE_ORACLE = "PriceOracle"
#: The instruments, in the order they are deployed and their domains activated.
INSTRUMENTS = ("Swap", "Lending", "Borrowing", "MultiSwap")
#: What the record's `priceOracleKind` says of an oracle the deployment did not deploy.
EXTERNAL_ORACLE_KIND = "external"


def new_record(network: str, chain_id: int, deployer: str) -> Record:
    """The record of a deployment that has not started (formatVersion 2).

    `blockNumber` becomes the block of the first deployment transaction (where an indexer starts);
    `contracts` maps EscrowFactory, InstrumentRegistry, PriceOracle and each instrument to its
    address; `priceOracleKind` says what the PriceOracle is ("admin", "chainlink" or
    EXTERNAL_ORACLE_KIND); `domains` maps each instrument's name to its domain (`domainId`,
    `instrumentManager`, `instrumentEscrow`), provided by `deployer`.
    """
    return {
        "formatVersion": RECORD_FORMAT_VERSION,
        "network": network,
        "chainId": chain_id,
        "deployer": deployer,
        "blockNumber": None,
        "nativeEth": NATIVE_ETH,
        "contracts": {},
        "priceOracleKind": None,
        "domains": {},
    }


def format_version(record: Record) -> int:
    """The record's formatVersion; `ValueError` when it is not one this package reads."""
    version = record.get("formatVersion")
    if version not in SUPPORTED_FORMAT_VERSIONS:
        raise ValueError(f"unsupported deployment record formatVersion {version!r}")
    return version


def recorded_domains(record: Record) -> dict[str, Record]:
    """The record's domains by instrument name (a version 1 record has only its `swapDomain`)."""
    if format_version(record) == 1:
        return {"Swap": record["swapDomain"]}
    return record["domains"]


def upgraded_record(record: Record) -> Record:
    """`record` in formatVersion 2: a version 1 record's `swapDomain` becomes `domains.Swap`."""
    if format_version(record) == RECORD_FORMAT_VERSION:
        return record
    upgraded = {key: value for key, value in record.items() if key != "swapDomain"}
    upgraded.update(formatVersion=RECORD_FORMAT_VERSION, priceOracleKind=None, domains=recorded_domains(record))
    return upgraded


def recorded_addresses(record: Record) -> list[str]:
    """Every contract address `record` holds: contracts, then each domain's manager and escrow."""
    addresses = list(record.get("contracts", {}).values())
    for domain in recorded_domains(record).values():
        addresses += [domain["instrumentManager"], domain["instrumentEscrow"]]
    return addresses


def is_complete(record: Record) -> bool:
    """Whether `record` (formatVersion 2) holds every contract and every instrument's domain."""
    names = (ESCROW_FACTORY, INSTRUMENT_REGISTRY, PRICE_ORACLE, *INSTRUMENTS)
    return all(name in record["contracts"] for name in names) and all(name in record["domains"] for name in INSTRUMENTS)


def deployment_file(network: str, deployments_dir: str | Path = "deployments") -> Path:
    """Where the record of a deployment on network `network` is: `<deployments_dir>/<network>.json`."""
    return Path(deployments_dir) / f"{network}.json"


def read_record(path: str | Path) -> Record:
    """The parsed JSON record at `path`."""
    return json.loads(Path(path).read_text())


def write_record(record: Record, path: Path) -> Path:
    """Writes `record` as JSON at `path` (creating the folder), replacing it atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps(record, indent=2) + "\n")
    partial.replace(path)
    return path


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
        return self.contracts[INSTRUMENT_REGISTRY]

    @property
    def factory(self) -> str:
        """The EscrowFactory's address."""
        return self.contracts[ESCROW_FACTORY]

    @property
    def swap(self) -> str:
        """The Swap instrument's address."""
        return self.contracts["Swap"]

    @property
    def price_oracle(self) -> str | None:
        """The price oracle's address (None in a formatVersion 1 record, which has none)."""
        return self.contracts.get(PRICE_ORACLE)

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
    def from_record(cls, record: Record) -> "Deployment":
        """A deployment from the parsed JSON record (formatVersion 1 or 2)."""
        contracts: dict[str, str] = {
            name: to_checksum_address(address) for name, address in record["contracts"].items()
        }
        domains = recorded_domains(record)
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
        return cls.from_record(read_record(path))

    @classmethod
    def for_network(cls, network: str, deployments_dir: str | Path = "deployments") -> "Deployment":
        """Reads `<deployments_dir>/<network>.json` (by default from ./deployments)."""
        return cls.load(deployment_file(network, deployments_dir))
