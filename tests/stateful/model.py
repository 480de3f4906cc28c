"""The pieces of the stateful tier's model that every instrument shares: what the machine knows of
an instrument, of one issuance, of a domain and of the step it is in, and the model's clock.

Time: durations and tenors are whole hours plus half an hour and the machine sleeps whole hours,
so the seconds that pass while steps run never decide whether something is due: an issuance
created (or a loan engaged) at model clock c with h hours (+30 min) is due exactly when the clock
reaches c + (h + 1) hours.
"""

from dataclasses import dataclass, field

from eth_abi import decode

HOUR = 3600
ZERO_ADDRESS = "0x" + "00" * 20
# Steps in which a manager moves assets between a domain's escrows (the last word of a step kind).
MANAGER_MOVES = {"create", "engage", "fill", "cancel", "close", "repay", "engagement_due", "margin_call"}
# The first two states of every instrument's state enum.
ENGAGEABLE, CANCELLED = 1, 2


def duration(hours):
    """A duration or tenor of `hours` whole hours and a half."""
    return hours * HOUR + HOUR // 2


def elapsed(clock, since, hours):
    """Whether something started at model clock `since`, lasting `duration(hours)`, is due at `clock`."""
    return clock - since >= (hours + 1) * HOUR


@dataclass(frozen=True)
class InstrumentKind:
    """What the machine needs to know of an instrument beyond its rules: the ABI types of its
    getIssuance record and the state issuance_due leaves an unengaged issuance in. The lifecycle
    errors are InstrumentCore's, the same for every instrument (see EscrowMachine.engage_error)."""

    name: str
    record_types: tuple
    expired: int

    def decode(self, data):
        """A getIssuance answer as the model's record: a tuple, addresses lowercase."""
        values = decode(list(self.record_types), data)
        return tuple(v.lower() if t == "address" else v for t, v in zip(self.record_types, values, strict=True))

    def empty_record(self):
        """The record of an issuance that does not exist: all zeros."""
        return tuple(ZERO_ADDRESS if t == "address" else 0 for t in self.record_types)


@dataclass(kw_only=True)
class Issuance:
    """The model of one issuance: what every instrument's issuances have. `committed_token` is what
    the maker committed and gets back (as all the issuance escrow holds of it) on cancel or expiry."""

    issuance_id: int
    escrow: str
    maker: str
    due_time: int
    created_clock: int
    duration_hours: int
    state: int = ENGAGEABLE

    @property
    def committed_token(self):
        raise NotImplementedError

    def record(self):
        """What the instrument's getIssuance should answer, like InstrumentKind.decode."""
        raise NotImplementedError


@dataclass
class DomainModel:
    kind: InstrumentKind
    instrument: object
    manager: object
    escrow: object
    provider: str
    domain_id: int
    active: bool = True
    issuances: list = field(default_factory=list)

    @property
    def escrows(self):
        return [self.escrow.address.lower()] + [s.escrow for s in self.issuances]

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
