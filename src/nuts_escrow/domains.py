"""Domains: one instrument domain each, with the escrow operations every domain has (`Domain`) and
the helpers of its instrument (`SwapDomain`, `MultiSwapDomain`, `LendingDomain`, `BorrowingDomain`).

A domain holds the `Connection` it reads and sends through (nothing of the client above it).
Get one from `EscrowClient.domain(id)` (which picks the class from the instrument) or from
`client.swap_domain(id)`, `multiswap_domain`, `lending_domain`, `borrowing_domain` (which also
check the instrument is of that kind).
"""

from collections.abc import Iterable, Sequence
from dataclasses import astuple
from typing import Any, ClassVar, Generic, TypeVar

from eth_utils import event_abi_to_log_topic, to_checksum_address
from hexbytes import HexBytes
from web3.contract.contract import Contract
from web3.logs import DISCARD
from web3.types import BlockIdentifier, FilterParams, LogReceipt, TxReceipt

from nuts_escrow.abi import function_abi, load_abi, named_fields
from nuts_escrow.connection import Connection
from nuts_escrow.errors import NutsEscrowError
from nuts_escrow.oracle import PriceOracle
from nuts_escrow.terms import (
    CANCEL_ISSUANCE,
    ENGAGEMENT_DUE,
    ISSUANCE_DUE,
    MARGIN_CALL,
    REPAY_FULL,
    BorrowingTakerTerms,
    LendingTakerTerms,
    LoanTerms,
    MultiSwapFillTerms,
    MultiSwapTerms,
    SwapTakerTerms,
    SwapTerms,
    collateral_bound,
    event_name,
    lowered,
    raised,
)
from nuts_escrow.types import (
    NATIVE_ETH,
    BalanceChange,
    Balances,
    DurationBounds,
    InstrumentKind,
    LoanBounds,
    LoanIssuance,
    LoanState,
    MultiSwapFill,
    MultiSwapIssuance,
    SwapIssuance,
)

#: The issuance record a domain class returns (`SwapIssuance`, `LoanIssuance`, ...).
IssuanceT = TypeVar("IssuanceT")

#: A loan's one engagement (ILoan): `repay_full`, `engagement_due` and `margin_call` name it.
LOAN_ENGAGEMENT_ID = 1


class ZeroQuoteError(NutsEscrowError):
    """The quote of a fill is 0: it would pay the taker nothing, so the client does not send it
    (the contract would refuse it: `ManagerCreditBelowMinimum`)."""


def _is_eth(token: str) -> bool:
    return token.lower() == NATIVE_ETH.lower()


def _account_topic(address: str) -> str:
    return "0x" + "00" * 12 + address[2:].lower()


def _own_events(event: Any, receipt: TxReceipt, **expected: Any) -> list[Any]:
    """The `event` logs of `receipt` that the event's contract emitted and whose arguments are
    `expected`. Anyone can call an instrument directly, in the same transaction too (a token's
    transfer hook), and so make it emit events about a namespace of its own (its `manager`) with
    any maker or taker: an instrument's events count only with the domain's real manager."""
    address = event.address
    logs = [log for log in receipt["logs"] if to_checksum_address(log["address"]) == address]
    decoded = event.process_receipt({**receipt, "logs": logs}, errors=DISCARD)
    return [log for log in decoded if all(log.args[name] == value for name, value in expected.items())]


class Domain(Generic[IssuanceT]):
    """One instrument domain: its manager, its Instrument Escrow and its issuances' escrows.

    This class has what every domain has, whatever its instrument: deposits, withdrawals,
    balances, balance history, and the manager's three calls with raw instrument data
    (`create_issuance`, `engage_issuance`, `process_event`). Its subclasses add the helpers and
    typed issuance records of one instrument each (`IssuanceT`: `SwapDomain` is a
    `Domain[SwapIssuance]`); `client.domain(id)` returns a plain `Domain` for an instrument the
    client does not know.
    """

    #: The instrument this class has helpers for (None: any instrument).
    kind: ClassVar[InstrumentKind | None] = None
    #: The shipped ABI of the instrument (None: the instrument is not read).
    instrument_abi: ClassVar[str | None] = None

    def __init__(
        self,
        connection: Connection,
        domain_id: int,
        provider: str,
        instrument: str,
        manager: str,
        instrument_escrow: str,
        active: bool,
    ):
        self.connection = connection
        self.w3 = connection.w3
        self.domain_id = domain_id
        self.provider = provider
        self.active = active
        self.manager = connection.contract(manager, "InstrumentManager")
        self.instrument_escrow = connection.contract(instrument_escrow, "InstrumentEscrow")
        abi = load_abi(self.instrument_abi) if self.instrument_abi else []
        self.instrument: Contract = self.w3.eth.contract(to_checksum_address(instrument), abi=abi)
        self._issuance_escrows: dict[int, str] = {}

    @property
    def account(self) -> str | None:
        """The address this domain's transactions are sent from, if any."""
        return self.connection.address

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} {self.domain_id} instrument={self.instrument.address} "
            f"manager={self.manager.address} escrow={self.instrument_escrow.address}>"
        )

    # ------------------------------------------------------------------------------ reading

    def issuance_count(self) -> int:
        """How many issuances the domain has (ids run from 1)."""
        return self._count_at("latest")

    def issuance_escrow(self, issuance_id: int) -> Contract:
        """The Issuance Escrow of issuance `issuance_id`."""
        if issuance_id not in self._issuance_escrows:
            address = self.connection.call(self.manager.functions.getIssuanceEscrow(issuance_id))
            self._issuance_escrows[issuance_id] = address
        return self.connection.contract(self._issuance_escrows[issuance_id], "IssuanceEscrow")

    def held(self, issuance_id: int, account: str, token: str) -> int:
        """What `account` holds of `token` in the Issuance Escrow of issuance `issuance_id`."""
        function = self.issuance_escrow(issuance_id).functions.getTokenBalance(
            to_checksum_address(account), to_checksum_address(token)
        )
        return self.connection.call(function)

    def _issuance_escrow_addresses(
        self, issuance_ids: Iterable[int], block: BlockIdentifier = "latest"
    ) -> dict[int, str]:
        missing = [i for i in issuance_ids if i not in self._issuance_escrows]
        calls = [self.manager.functions.getIssuanceEscrow(i) for i in missing]
        self._issuance_escrows.update(zip(missing, self.connection.batch_call(calls, block), strict=True))
        return {i: self._issuance_escrows[i] for i in issuance_ids}

    def _count_at(self, block: BlockIdentifier) -> int:
        return self.connection.call(self.manager.functions.issuanceCount(), block)

    def _ids_at(self, issuance_ids: Iterable[int] | None, block: int) -> list[int]:
        return list(issuance_ids) if issuance_ids is not None else list(range(1, self._count_at(block) + 1))

    def balances(
        self,
        account: str | None = None,
        tokens: Sequence[str] = (NATIVE_ETH,),
        issuance_ids: Iterable[int] | None = None,
    ) -> Balances:
        """`account`'s balances of `tokens` in the Instrument Escrow and in Issuance Escrows.

        By default every issuance of the domain is read; all balances come from one JSON-RPC
        batch at one block. `account` defaults to the client's account; ETH is `NATIVE_ETH`.
        """
        account = to_checksum_address(account or self.connection.require_address())
        tokens = [to_checksum_address(token) for token in tokens]
        block = self.w3.eth.block_number
        ids = self._ids_at(issuance_ids, block)
        escrows = self._issuance_escrow_addresses(ids, block)
        places = [self.instrument_escrow] + [self.connection.contract(escrows[i], "IssuanceEscrow") for i in ids]
        calls = [place.functions.getTokenBalance(account, token) for place in places for token in tokens]
        values = iter(self.connection.batch_call(calls, block))
        per_place = [{token: next(values) for token in tokens} for _ in places]
        return Balances(account, block, per_place[0], dict(zip(ids, per_place[1:], strict=True)))

    def issuance(self, issuance_id: int) -> IssuanceT:
        """Issuance `issuance_id`: terms, state and escrow (the instrument's record type)."""
        return self.issuances([issuance_id])[0]

    def issuances(self, issuance_ids: Iterable[int] | None = None) -> list[IssuanceT]:
        """The domain's issuances (all by default) with their state, read in one batch at one block."""
        if self.instrument_abi is None:
            raise NutsEscrowError(f"{self!r}: the client has no issuance records for this instrument")
        (record_abi,) = function_abi(self.instrument_abi, "getIssuance")["outputs"]
        block = self.w3.eth.block_number
        ids = self._ids_at(issuance_ids, block)
        escrows = self._issuance_escrow_addresses(ids, block)
        manager = self.manager.address
        raw = self.connection.batch_call([self.instrument.functions.getIssuance(manager, i) for i in ids], block)
        return [
            self._issuance_record(i, escrows[i], named_fields(record_abi["components"], values))
            for i, values in zip(ids, raw, strict=True)
        ]

    def _issuance_record(self, issuance_id: int, issuance_escrow: str, fields: dict[str, Any]) -> IssuanceT:
        """The typed record of one issuance from the named fields of the instrument's
        `getIssuance` (snake case: `due_time`, `input_token`, ...)."""
        raise NotImplementedError

    # ------------------------------------------------------------------------ deposits, withdrawals

    def deposit_eth(self, amount: int) -> TxReceipt:
        """Deposits `amount` wei from the account's wallet into its Instrument Escrow account."""
        return self.connection.transact(self.instrument_escrow.functions.deposit(), value=amount)

    def withdraw_eth(self, amount: int) -> TxReceipt:
        """Withdraws `amount` wei from the account's Instrument Escrow account to its wallet."""
        return self.connection.transact(self.instrument_escrow.functions.withdraw(amount))

    def deposit_token(self, token: str, amount: int, approve: bool = True) -> TxReceipt:
        """Deposits `amount` of ERC20 `token`; returns the deposit's receipt.

        With `approve` (default), first approves the Instrument Escrow for `amount` when the
        current allowance is lower. The escrow does not support EIP-2612 permit: the approval is
        a separate transaction. What is credited is what arrived (fee-on-transfer tokens).
        """
        owner = self.connection.require_address()
        erc20 = self.connection.token(token)
        spender = self.instrument_escrow.address
        if approve and self.connection.call(erc20.functions.allowance(owner, spender)) < amount:
            self.connection.transact(erc20.functions.approve(spender, amount))
        return self.connection.transact(self.instrument_escrow.functions.depositToken(erc20.address, amount))

    def withdraw_token(self, token: str, amount: int) -> TxReceipt:
        """Withdraws `amount` of ERC20 `token` from the account's Instrument Escrow account."""
        return self.connection.transact(
            self.instrument_escrow.functions.withdrawToken(to_checksum_address(token), amount)
        )

    def deposit(self, token: str, amount: int) -> TxReceipt:
        """`deposit_eth` for `NATIVE_ETH`, else `deposit_token` (with approval)."""
        return self.deposit_eth(amount) if _is_eth(token) else self.deposit_token(token, amount)

    def withdraw(self, token: str, amount: int) -> TxReceipt:
        """`withdraw_eth` for `NATIVE_ETH`, else `withdraw_token`."""
        return self.withdraw_eth(amount) if _is_eth(token) else self.withdraw_token(token, amount)

    # ------------------------------------------------------------------- the manager's three calls

    def create_issuance(self, maker_data: bytes) -> int:
        """Creates an issuance with the instrument's raw `maker_data`; returns its id."""
        receipt = self.connection.transact(self.manager.functions.createIssuance(maker_data))
        (created,) = _own_events(self.manager.events.IssuanceCreated(), receipt)
        self._issuance_escrows[created.args.issuanceId] = created.args.issuanceEscrow
        return created.args.issuanceId

    def engage_issuance(self, issuance_id: int, taker_data: bytes = b"") -> int:
        """Engages issuance `issuance_id` with the instrument's raw `taker_data`; returns the
        engagement id."""
        return self._engaged_id(self._engage(issuance_id, taker_data))

    def process_event(
        self, issuance_id: int, event: str | bytes, engagement_id: int = 0, data: bytes = b""
    ) -> TxReceipt:
        """Sends event `event` (a name such as "issuance_due", or its bytes32) about `issuance_id`
        and `engagement_id` with `data`."""
        name = event_name(event) if isinstance(event, str) else event
        return self.connection.transact(self.manager.functions.processEvent(issuance_id, engagement_id, name, data))

    def _engage(self, issuance_id: int, taker_data: bytes) -> TxReceipt:
        return self.connection.transact(self.manager.functions.engageIssuance(issuance_id, taker_data))

    def _engaged_id(self, receipt: TxReceipt) -> int:
        (engaged,) = _own_events(self.manager.events.IssuanceEngaged(), receipt)
        return engaged.args.engagementId

    # ---------------------------------------------------------------------------------- history

    def balance_history(
        self,
        account: str | None = None,
        from_block: int | None = None,
        to_block: BlockIdentifier = "latest",
    ) -> list[BalanceChange]:
        """Every change of `account`'s balances in the domain's escrows, oldest first.

        Rebuilt from the escrows' `Deposited`, `Withdrawn` and `Transferred` events (two
        eth_getLogs calls over every escrow of the domain). Running balances start at zero at
        `from_block` (default: the deployment's first block, or 0), so start where the account had
        nothing, e.g. at the deployment.
        """
        account = to_checksum_address(account or self.connection.require_address())
        from_block = self.connection.from_block if from_block is None else from_block
        ids = list(range(1, self._count_at(to_block) + 1))
        labels: dict[str, str] = {self.instrument_escrow.address: "instrument"}
        labels.update({address: f"issuance {i}" for i, address in self._issuance_escrow_addresses(ids).items()})
        events = {name: self.instrument_escrow.events[name]() for name in ("Deposited", "Withdrawn", "Transferred")}
        topics = {name: HexBytes(event_abi_to_log_topic(event.abi)).to_0x_hex() for name, event in events.items()}
        by_topic = {topic: name for name, topic in topics.items()}
        me = _account_topic(account)
        addresses = [to_checksum_address(address) for address in labels]

        def scan(*topic_filter: Any) -> list[LogReceipt]:
            scope: FilterParams = {"address": addresses, "fromBlock": from_block, "toBlock": to_block}
            return list(self.w3.eth.get_logs({**scope, "topics": list(topic_filter)}))

        logs = scan(list(topics.values()), me) + scan(topics["Transferred"], None, me)
        unique = {(HexBytes(log["transactionHash"]), log["logIndex"]): log for log in logs}
        ordered = sorted(unique.values(), key=lambda log: (log["blockNumber"], log["logIndex"]))

        running: dict[tuple[str, str], int] = {}
        history = []
        for log in ordered:
            name = by_topic[HexBytes(log["topics"][0]).to_0x_hex()]
            args = events[name].process_log(log).args
            delta, counterparty = _delta(name, args, account)
            escrow = to_checksum_address(log["address"])
            key = (escrow, args.token)
            running[key] = running.get(key, 0) + delta
            history.append(
                BalanceChange(
                    block_number=log["blockNumber"],
                    transaction_hash=HexBytes(log["transactionHash"]).to_0x_hex(),
                    log_index=log["logIndex"],
                    escrow=escrow,
                    escrow_label=labels[escrow],
                    event=name,
                    token=args.token,
                    delta=delta,
                    balance=running[key],
                    counterparty=counterparty,
                )
            )
        return history


def _delta(name: str, args: Any, account: str) -> tuple[int, str | None]:
    if name == "Deposited":
        return args.amount, None
    if name == "Withdrawn":
        return -args.amount, args.recipient
    if args["from"] == account and args.to == account:
        return 0, account
    if args["from"] == account:
        return -args.amount, args.to
    return args.amount, args["from"]


class DurationBoundsMixin:
    """The provider-set duration bounds of an instrument with `setBounds(manager, min, max)` and
    `getBounds(manager)` (`IDurationBounded`: Swap and MultiSwap)."""

    instrument: Contract
    manager: Contract
    connection: Connection

    def bounds(self) -> DurationBounds:
        """The shortest and longest duration the domain's issuances may have now."""
        function = self.instrument.functions.getBounds(self.manager.address)
        return DurationBounds(**named_fields(function.abi["outputs"], self.connection.call(function)))

    def duration_cap(self) -> int:
        """The longest duration any provider may allow."""
        return self.connection.call(self.instrument.functions.durationCap())

    def set_bounds(self, min_duration: int, max_duration: int) -> TxReceipt:
        """Sets the domain's duration bounds (its provider only: `InstrumentNotProvider` otherwise)."""
        return self.connection.transact(
            self.instrument.functions.setBounds(self.manager.address, min_duration, max_duration)
        )


class SwapDomain(DurationBoundsMixin, Domain[SwapIssuance]):
    """A Swap domain: a maker offers an input for an output until a due time; one taker takes it."""

    kind = InstrumentKind.SWAP
    instrument_abi = "Swap"

    def _issuance_record(self, issuance_id: int, issuance_escrow: str, fields: dict[str, Any]) -> SwapIssuance:
        return SwapIssuance(issuance_id=issuance_id, issuance_escrow=issuance_escrow, **fields)

    def create_swap(self, terms: SwapTerms) -> int:
        """Offers `terms.input_amount` of `terms.input_token` (from the account's Instrument Escrow
        balance) for `terms.output_amount` of `terms.output_token` for `terms.duration` seconds.
        Returns the issuance id."""
        return self.create_issuance(terms.encode())

    def quote_swap(self, issuance_id: int) -> int:
        """The input a taker of swap `issuance_id` would receive now: all that its Issuance Escrow
        holds for the maker (what arrived of the input), before any fee the token takes on the way
        out."""
        swap = self.issuance(issuance_id)
        return self.held(issuance_id, swap.maker, swap.input_token)

    def engage_swap(self, issuance_id: int, *, tolerance_bps: int = 0, min_input_received: int | None = None) -> int:
        """Takes swap `issuance_id`: pays its output, receives its input. Returns the engagement id.

        The taker data states the least input the taker accepts to be credited with: the quote
        (`quote_swap`) less `tolerance_bps` basis points (default 0: exactly the quote, so a token
        that takes a fee on the way out makes the engagement revert with
        `ManagerCreditBelowMinimum` unless the tolerance covers the fee), or `min_input_received`
        when given. Below it, the whole engagement reverts and the taker pays nothing."""
        if min_input_received is None:
            min_input_received = lowered(self.quote_swap(issuance_id), tolerance_bps)
        return self.engage_issuance(issuance_id, SwapTakerTerms(min_input_received).encode())

    def cancel_swap(self, issuance_id: int) -> TxReceipt:
        """The maker takes the input of unengaged swap `issuance_id` back (`cancel_issuance`)."""
        return self.process_event(issuance_id, CANCEL_ISSUANCE)

    def close_swap(self, issuance_id: int) -> TxReceipt:
        """From the due time on, anyone closes unengaged swap `issuance_id` (`issuance_due`)."""
        return self.process_event(issuance_id, ISSUANCE_DUE)


class MultiSwapDomain(DurationBoundsMixin, Domain[MultiSwapIssuance]):
    """A MultiSwap domain: a maker's offer that many takers fill in parts, pro rata."""

    kind = InstrumentKind.MULTISWAP
    instrument_abi = "MultiSwap"

    def _issuance_record(self, issuance_id: int, issuance_escrow: str, fields: dict[str, Any]) -> MultiSwapIssuance:
        return MultiSwapIssuance(issuance_id=issuance_id, issuance_escrow=issuance_escrow, **fields)

    def create_multiswap(self, terms: MultiSwapTerms) -> int:
        """Offers `terms.input_amount` of `terms.input_token` (from the account's Instrument Escrow
        balance) for `terms.output_amount` of `terms.output_token` for `terms.duration` seconds, in
        fills of `terms.min_fill_output` to `terms.max_fill_output` of the output; the exact rest is
        always accepted. Returns the issuance id."""
        return self.create_issuance(terms.encode())

    def fill_multiswap(
        self,
        issuance_id: int,
        fill_output: int,
        *,
        tolerance_bps: int = 0,
        min_input_received: int | None = None,
    ) -> MultiSwapFill:
        """Fills `fill_output` of multi-swap `issuance_id`: pays that much of its output from the
        account's Instrument Escrow balance and receives its pro-rata share of the input there.

        The taker data states the least input the taker accepts to be credited with: the quote
        (`quote_fill`) less `tolerance_bps` basis points (default 0: exactly the quote; a fee the
        input token takes on the way out then makes the fill revert with
        `ManagerCreditBelowMinimum`), or `min_input_received` when given (then no quote is read).
        A quote of 0 (a share that rounds to nothing) raises `ZeroQuoteError` before sending."""
        if min_input_received is None:
            quoted = self.quote_fill(issuance_id, fill_output)
            if quoted == 0:
                raise ZeroQuoteError(f"a fill of {fill_output} of multi-swap {issuance_id} would pay nothing: not sent")
            min_input_received = lowered(quoted, tolerance_bps)
        receipt = self._engage(issuance_id, MultiSwapFillTerms(fill_output, min_input_received).encode())
        (filled,) = _own_events(
            self.instrument.events.MultiSwapFilled(),
            receipt,
            manager=self.manager.address,
            issuanceId=issuance_id,
        )
        args = filled.args
        return MultiSwapFill(issuance_id, args.engagementId, args.taker, args.fillOutput, args.inputPaid)

    def quote_fill(self, issuance_id: int, fill_output: int) -> int:
        """What a fill of `fill_output` of multi-swap `issuance_id` would pay its taker now, before
        any fee the input token takes (its pro-rata share, rounded down: a tiny tail can pay 0).
        Raises the error the fill itself would meet (`MultiSwapFillBelowMinimum`, ...)."""
        return self.connection.call(self.instrument.functions.quoteFill(self.manager.address, issuance_id, fill_output))

    def cancel_multiswap(self, issuance_id: int) -> TxReceipt:
        """The maker takes back what remains of the input of engageable multi-swap `issuance_id`
        (`cancel_issuance`); the fills done stand."""
        return self.process_event(issuance_id, CANCEL_ISSUANCE)

    def close_multiswap(self, issuance_id: int) -> TxReceipt:
        """From the due time on, anyone closes engageable multi-swap `issuance_id` (`issuance_due`):
        what remains of the input returns to the maker. Earlier, it changes nothing."""
        return self.process_event(issuance_id, ISSUANCE_DUE)


class LoanDomain(Domain[LoanIssuance]):
    """What Lending and Borrowing domains share: collateralised loans priced by the instrument's
    price oracle. In a `LendingDomain` the maker lends, in a `BorrowingDomain` it borrows."""

    #: Whether the maker of this domain's loans is the lender.
    maker_is_lender: ClassVar[bool]

    def _issuance_record(self, issuance_id: int, issuance_escrow: str, fields: dict[str, Any]) -> LoanIssuance:
        taker = fields.pop("taker")
        return LoanIssuance(
            issuance_id=issuance_id,
            issuance_escrow=issuance_escrow,
            maker_is_lender=self.maker_is_lender,
            taker=taker if int(taker, 16) else None,
            **fields,
        )

    # ------------------------------------------------------------------------- bounds and prices

    def bounds(self) -> LoanBounds:
        """The bounds the domain's loans must keep now (the instrument's limits until the provider
        sets its own)."""
        return self._loan_bounds(self.instrument.functions.getBounds(self.manager.address))

    def max_bounds(self) -> LoanBounds:
        """The limits no provider may exceed (also the bounds of a domain whose provider set none)."""
        return self._loan_bounds(self.instrument.functions.maxBounds())

    def _loan_bounds(self, function: Any) -> LoanBounds:
        (bounds_abi,) = function.abi["outputs"]
        return LoanBounds(**named_fields(bounds_abi["components"], self.connection.call(function)))

    def set_bounds(self, bounds: LoanBounds) -> TxReceipt:
        """Sets the domain's loan bounds (its provider only: `InstrumentNotProvider` otherwise;
        `LoanInvalidBounds` for bounds out of order or beyond `max_bounds`)."""
        return self.connection.transact(self.instrument.functions.setBounds(self.manager.address, astuple(bounds)))

    def price_oracle(self) -> PriceOracle:
        """The oracle that prices the domain's collateral."""
        return PriceOracle(self.connection, self.connection.call(self.instrument.functions.oracle()))

    def collateral_of(
        self, principal_token: str, principal_amount: int, collateral_token: str, collateral_ratio: int
    ) -> int:
        """The collateral that secures `principal_amount` of `principal_token` at `collateral_ratio`
        basis points at the oracle's rate now (rounded up): what a Borrowing maker commits."""
        function = self.instrument.functions.collateralOf(
            to_checksum_address(principal_token),
            principal_amount,
            to_checksum_address(collateral_token),
            collateral_ratio,
        )
        return self.connection.call(function)

    def collateral_for(self, issuance_id: int) -> int:
        """The collateral loan `issuance_id` asks at the oracle's rate now: what a taker engaging a
        Lending loan now commits."""
        return self._collateral_now(self.issuance(issuance_id))

    def _collateral_now(self, loan: LoanIssuance) -> int:
        return self.collateral_of(
            loan.principal_token, loan.principal_amount, loan.collateral_token, loan.collateral_ratio
        )

    def repayment_for(self, issuance_id: int) -> int:
        """Principal plus interest (rounded up) that repays loan `issuance_id`."""
        return self._repayment(self.issuance(issuance_id))

    def _repayment(self, loan: LoanIssuance) -> int:
        return self.connection.call(self.instrument.functions.repaymentOf(loan.principal_amount, loan.interest_rate))

    def collateral_held(self, issuance_id: int) -> int:
        """The collateral loan `issuance_id`'s Issuance Escrow holds for the borrower now (0 while
        nobody borrows: an unengaged Lending loan)."""
        return self._held_collateral(self.issuance(issuance_id))

    def _held_collateral(self, loan: LoanIssuance) -> int:
        if loan.borrower is None:
            return 0
        return self.held(loan.issuance_id, loan.borrower, loan.collateral_token)

    def margin_requirement(self, issuance_id: int) -> int:
        """The collateral loan `issuance_id` must hold not to be margin callable, at the oracle's
        rate now: its maintenance ratio of principal plus interest, rounded up as the contract does
        (0 for a loan without maintenance ratio)."""
        return self._margin_requirement(self.issuance(issuance_id))

    def _margin_requirement(self, loan: LoanIssuance) -> int:
        if loan.maintenance_ratio == 0:
            return 0
        owed = self._repayment(loan)
        return self.collateral_of(loan.principal_token, owed, loan.collateral_token, loan.maintenance_ratio)

    def is_margin_callable(self, issuance_id: int) -> bool:
        """Whether `margin_call(issuance_id)` would default the loan now: it is engaged, has a
        maintenance ratio, and holds less collateral than `margin_requirement`."""
        loan = self.issuance(issuance_id)
        if loan.state is not LoanState.ENGAGED or loan.maintenance_ratio == 0:
            return False
        return self._held_collateral(loan) < self._margin_requirement(loan)

    # ------------------------------------------------------------------------------- the lifecycle

    def create_loan(self, terms: LoanTerms) -> int:
        """Offers a loan of `terms` (see `LoanTerms`), open to takers for `terms.duration` seconds.
        The maker commits the principal (Lending) or the collateral priced now (Borrowing, see
        `collateral_of`) from its Instrument Escrow balance; it must arrive whole (a token that
        takes a fee is refused: `ManagerCreditBelowMinimum`).

        A `maintenance_ratio` (basis points, below `collateral_ratio`; 0 = none) lets anyone margin
        call the engaged loan once its collateral is worth less than that ratio of principal plus
        interest. `min_collateral_per_principal` (Lending only: `LoanPriceBoundNotMakers` in
        Borrowing) is the least collateral per principal unit, scaled by 1e18, the lender accepts
        when a borrower engages (`LoanCollateralBelowBound` below it). Returns the issuance id."""
        return self.create_issuance(terms.encode())

    def engage_loan(self, issuance_id: int, *, tolerance_bps: int = 0) -> int:
        """Takes loan `issuance_id` before its issuance due time; returns the engagement id (1).
        `LendingDomain.engage_loan` and `BorrowingDomain.engage_loan` state the taker's bounds."""
        raise NotImplementedError

    def margin_call(self, issuance_id: int) -> TxReceipt:
        """Anyone margin calls loan `issuance_id` (`margin_call`): if it is engaged, has a
        maintenance ratio and its collateral held is below `margin_requirement` now, it defaults
        and the collateral goes to the lender; otherwise nothing changes (see
        `is_margin_callable`)."""
        return self.process_event(issuance_id, MARGIN_CALL, LOAN_ENGAGEMENT_ID)

    def repay_loan(self, issuance_id: int) -> TxReceipt:
        """The borrower repays loan `issuance_id` before its engagement due time (`repay_full`):
        principal plus interest go to the lender, the collateral comes back."""
        return self.process_event(issuance_id, REPAY_FULL, LOAN_ENGAGEMENT_ID)

    def cancel_loan(self, issuance_id: int) -> TxReceipt:
        """The maker takes its commitment to unengaged loan `issuance_id` back (`cancel_issuance`)."""
        return self.process_event(issuance_id, CANCEL_ISSUANCE)

    def close_loan(self, issuance_id: int) -> TxReceipt:
        """From the issuance due time on, anyone closes unengaged loan `issuance_id`
        (`issuance_due`): the maker's commitment returns. Earlier, it changes nothing."""
        return self.process_event(issuance_id, ISSUANCE_DUE)

    def close_overdue_loan(self, issuance_id: int) -> TxReceipt:
        """From the engagement due time on, anyone closes unrepaid loan `issuance_id`
        (`engagement_due`): the collateral goes to the lender. Earlier, it changes nothing."""
        return self.process_event(issuance_id, ENGAGEMENT_DUE, LOAN_ENGAGEMENT_ID)


class LendingDomain(LoanDomain):
    """A Lending domain: the maker lends the principal; a taker borrows it against collateral."""

    kind = InstrumentKind.LENDING
    instrument_abi = "Lending"
    maker_is_lender = True

    def engage_loan(
        self,
        issuance_id: int,
        *,
        tolerance_bps: int = 0,
        min_principal_received: int | None = None,
        max_collateral: int | None = None,
    ) -> int:
        """The account borrows loan `issuance_id`: commits the collateral priced now (see
        `collateral_for`) and receives the principal. Returns the engagement id (1).

        The taker data bounds both: at least `min_principal_received` of principal (default: the
        loan's principal amount) and at most `max_collateral` of collateral (default: the
        `collateral_for` quote raised by `tolerance_bps` basis points; default 0: exactly the
        quote, so a price that moved against the borrower reverts with `LoanCollateralAboveLimit`).
        """
        loan = self.issuance(issuance_id)
        if min_principal_received is None:
            min_principal_received = loan.principal_amount
        if max_collateral is None:
            max_collateral = raised(self._collateral_now(loan), tolerance_bps)
        return self.engage_issuance(issuance_id, LendingTakerTerms(min_principal_received, max_collateral).encode())


class BorrowingDomain(LoanDomain):
    """A Borrowing domain: the maker borrows against its collateral; a taker lends the principal."""

    kind = InstrumentKind.BORROWING
    instrument_abi = "Borrowing"
    maker_is_lender = False

    def engage_loan(
        self,
        issuance_id: int,
        *,
        tolerance_bps: int = 0,
        min_collateral_held: int | None = None,
        min_collateral_per_principal: int | None = None,
    ) -> int:
        """The account lends loan `issuance_id`: pays the principal to the maker, once the collateral
        the Issuance Escrow holds covers the terms at the oracle's rate now. Returns the engagement
        id (1).

        The taker data states the least collateral held the lender accepts: `min_collateral_held`
        when given; else the price bound `min_collateral_per_principal` (collateral units per
        principal unit, scaled by 1e18) applied to the principal; else the collateral held now
        (`collateral_held`) less `tolerance_bps` basis points (default 0: exactly what it holds).
        Below it the engagement reverts with `LoanCollateralBelowBound`."""
        if min_collateral_held is None:
            loan = self.issuance(issuance_id)
            if min_collateral_per_principal is not None:
                min_collateral_held = collateral_bound(loan.principal_amount, min_collateral_per_principal)
            else:
                min_collateral_held = lowered(self._held_collateral(loan), tolerance_bps)
        return self.engage_issuance(issuance_id, BorrowingTakerTerms(min_collateral_held).encode())


#: The domain class of each instrument kind.
DOMAIN_CLASSES: dict[InstrumentKind, type[Domain[Any]]] = {
    cls.kind: cls for cls in (SwapDomain, MultiSwapDomain, LendingDomain, BorrowingDomain) if cls.kind
}
