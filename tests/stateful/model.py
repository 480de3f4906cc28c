"""The pieces of the stateful tier's model that every instrument shares: what the machine knows of
an instrument, of one issuance, of a domain and of the step it is in, and the model's clock.

Time: durations and tenors are whole hours plus half an hour and the machine sleeps whole hours,
so the seconds that pass while steps run never decide whether something is due: an issuance
created (or a loan engaged) at model clock c with h hours (+30 min) is due exactly when the clock
reaches c + (h + 1) hours.
"""

from dataclasses import dataclass, field
from enum import IntEnum
from functools import cache

from eth_abi import decode

from nuts_escrow import load_abi

HOUR = 3600
ZERO_ADDRESS = "0x" + "00" * 20
# Steps in which a manager moves assets between a domain's escrows (the last word of a step kind).
MANAGER_MOVES = {"create", "engage", "fill", "cancel", "close", "repay", "engagement_due", "margin_call"}


def duration(hours):
    """A duration or tenor of `hours` whole hours and a half."""
    return hours * HOUR + HOUR // 2


def elapsed(clock, since, hours):
    """Whether something started at model clock `since`, lasting `duration(hours)`, is due at `clock`."""
    return clock - since >= (hours + 1) * HOUR


@cache
def issuance_record_fields(contract_name):
    """(name, ABI type) of every field of the record `contract_name`'s getIssuance returns, in
    order, from the package's ABI (an enum is a uint8)."""
    (get_issuance,) = [entry for entry in load_abi(contract_name) if entry.get("name") == "getIssuance"]
    return tuple((component["name"], component["type"]) for component in get_issuance["outputs"][0]["components"])


@dataclass(frozen=True)
class InstrumentModel:
    """What the machine needs to know of an instrument beyond its rules: its contract (whose
    getIssuance record the model reads by field name), its state enum (nuts_escrow.types; every
    one begins NONE, ENGAGEABLE, CANCELLED) and the state issuance_due leaves an unengaged issuance
    in. The lifecycle errors are InstrumentCore's, the same for every instrument (see
    EscrowMachine.engage_error)."""

    name: str
    contract_name: str
    states: type[IntEnum]
    expired: IntEnum

    def decode(self, data):
        """A getIssuance answer as the model's record: a dict by field name, addresses lowercase."""
        fields = issuance_record_fields(self.contract_name)
        values = decode([abi_type for _, abi_type in fields], data)
        return {
            name: value.lower() if abi_type == "address" else value
            for (name, abi_type), value in zip(fields, values, strict=True)
        }

    def empty_record(self):
        """The record of an issuance that does not exist: all zeros."""
        fields = issuance_record_fields(self.contract_name)
        return {name: ZERO_ADDRESS if abi_type == "address" else 0 for name, abi_type in fields}


@dataclass(kw_only=True)
class IssuanceModel:
    """The model of one issuance: what every instrument's issuances have. `state` is a member of
    the instrument's state enum; `committed_token` is what the maker committed and gets back (as
    all the issuance escrow holds of it) on cancel or expiry."""

    issuance_id: int
    escrow: str
    maker: str
    due_time: int
    created_clock: int
    duration_hours: int
    state: IntEnum

    @property
    def committed_token(self):
        raise NotImplementedError

    def record(self):
        """What the instrument's getIssuance should answer, as InstrumentModel.decode reads it."""
        raise NotImplementedError


@dataclass
class DomainModel:
    kind: InstrumentModel
    instrument: object
    manager: object
    escrow: object
    provider: str
    domain_id: int
    active: bool = True
    issuances: list = field(default_factory=list)

    @property
    def escrows(self):
        return [self.escrow.address.lower()] + [issuance.escrow for issuance in self.issuances]

    def issuance(self, issuance_id):
        """The model of issuance `issuance_id`, or None if the domain has none of that id."""
        return self.issuances[issuance_id - 1] if 1 <= issuance_id <= len(self.issuances) else None


@dataclass
class Step:
    kind: str
    actor: str | None
    domain: int | None
    ok: bool = False
    error: str | None = None  # the revert the model predicted (None: success)

    @property
    def manager_move(self):
        return self.kind.split()[-1] in MANAGER_MOVES
