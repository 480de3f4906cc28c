"""Domains: one instrument domain each, with the escrow operations every domain has (`Domain`) and
the helpers of its instrument (`SwapDomain`, `MultiSwapDomain`, `LendingDomain`, `BorrowingDomain`).

Get one from `EscrowClient.domain(id)` (which picks the class from the instrument) or from
`client.swap_domain(id)`, `multiswap_domain`, `lending_domain`, `borrowing_domain` (which also
check the instrument is of that kind).
"""

from collections.abc import Iterable, Sequence
from dataclasses import astuple
from typing import TYPE_CHECKING, Any, ClassVar

from eth_utils import event_abi_to_log_topic, to_checksum_address
from hexbytes import HexBytes
from web3.contract.contract import Contract
from web3.logs import DISCARD
from web3.types import TxReceipt

from nuts_escrow.abi import load_abi
from nuts_escrow.errors import NutsEscrowError
from nuts_escrow.oracle import PriceOracle
from nuts_escrow.terms import (
    CANCEL_ISSUANCE,
    ENGAGEMENT_DUE,
    ISSUANCE_DUE,
    REPAY_FULL,
    event_name,
    loan_terms,
    multiswap_fill,
    multiswap_terms,
    swap_terms,
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
    MultiSwapState,
    SwapIssuance,
    SwapState,
)

if TYPE_CHECKING:
    from nuts_escrow.client import EscrowClient

#: A loan's one engagement (ILoan): `repay_full` and `engagement_due` name it.
LOAN_ENGAGEMENT_ID = 1


def _is_eth(token: str) -> bool:
    return token.lower() == NATIVE_ETH.lower()


def _account_topic(address: str) -> str:
    return "0x" + "00" * 12 + address[2:].lower()


class Domain:
    """One instrument domain: its manager, its Instrument Escrow and its issuances' escrows.

    This class has what every domain has, whatever its instrument: deposits, withdrawals,
    balances, balance history, and the manager's three calls with raw instrument data
    (`create_issuance`, `engage_issuance`, `process_event`). Its subclasses add the helpers and
    typed issuance records of one instrument each; `client.domain(id)` returns a plain `Domain`
    for an instrument the client does not know.
    """

    #: The instrument this class has helpers for (None: any instrument).
    kind: ClassVar[InstrumentKind | None] = None
    #: The shipped ABI of the instrument (None: the instrument is not read).
    instrument_abi: ClassVar[str | None] = None

    def __init__(
        self,
        client: "EscrowClient",
        domain_id: int,
        provider: str,
        instrument: str,
        manager: str,
        instrument_escrow: str,
        active: bool,
    ):
        self.client = client
        self.w3 = client.w3
        self.sender = client.sender
        self.domain_id = domain_id
        self.provider = provider
        self.active = active
        self.manager: Contract = self.w3.eth.contract(manager, abi=load_abi("InstrumentManager"))
        self.instrument_escrow: Contract = self.w3.eth.contract(instrument_escrow, abi=load_abi("InstrumentEscrow"))
        abi = load_abi(self.instrument_abi) if self.instrument_abi else []
        self.instrument: Contract = self.w3.eth.contract(instrument, abi=abi)
        self._issuance_escrows: dict[int, str] = {}

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} {self.domain_id} instrument={self.instrument.address} "
            f"manager={self.manager.address} escrow={self.instrument_escrow.address}>"
        )

    # ------------------------------------------------------------------------------ reading

    def issuance_count(self) -> int:
        """How many issuances the domain has (ids run from 1)."""
        return self.sender.call(self.manager.functions.issuanceCount())

    def issuance_escrow(self, issuance_id: int) -> Contract:
        """The Issuance Escrow of issuance `issuance_id`."""
        if issuance_id not in self._issuance_escrows:
            address = self.sender.call(self.manager.functions.getIssuanceEscrow(issuance_id))
            self._issuance_escrows[issuance_id] = address
        return self.w3.eth.contract(self._issuance_escrows[issuance_id], abi=load_abi("IssuanceEscrow"))

    def _issuance_escrow_addresses(self, issuance_ids: Iterable[int], block: int | str = "latest") -> dict[int, str]:
        missing = [i for i in issuance_ids if i not in self._issuance_escrows]
        calls = [self.manager.functions.getIssuanceEscrow(i) for i in missing]
        self._issuance_escrows.update(zip(missing, self.client.batch_call(calls, block), strict=True))
        return {i: self._issuance_escrows[i] for i in issuance_ids}

    def _count_at(self, block: int | str) -> int:
        return self.sender.call(self.manager.functions.issuanceCount(), block)

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
        account = to_checksum_address(account or self.sender.require_address())
        tokens = [to_checksum_address(token) for token in tokens]
        block = self.w3.eth.block_number
        ids = self._ids_at(issuance_ids, block)
        escrows = self._issuance_escrow_addresses(ids, block)
        abi = load_abi("IssuanceEscrow")
        places = [self.instrument_escrow] + [self.w3.eth.contract(escrows[i], abi=abi) for i in ids]
        calls = [place.functions.getTokenBalance(account, token) for place in places for token in tokens]
        values = iter(self.client.batch_call(calls, block))
        per_place = [{token: next(values) for token in tokens} for _ in places]
        return Balances(account, block, per_place[0], dict(zip(ids, per_place[1:], strict=True)))

    def issuance(self, issuance_id: int) -> Any:
        """Issuance `issuance_id`: terms, state and escrow (the instrument's record type)."""
        return self.issuances([issuance_id])[0]

    def issuances(self, issuance_ids: Iterable[int] | None = None) -> list[Any]:
        """The domain's issuances (all by default) with their state, read in one batch at one block."""
        if self.instrument_abi is None:
            raise NutsEscrowError(f"{self!r}: the client has no issuance records for this instrument")
        block = self.w3.eth.block_number
        ids = self._ids_at(issuance_ids, block)
        escrows = self._issuance_escrow_addresses(ids, block)
        manager = self.manager.address
        raw = self.client.batch_call([self.instrument.functions.getIssuance(manager, i) for i in ids], block)
        return [self._issuance_record(i, escrows[i], fields) for i, fields in zip(ids, raw, strict=True)]

    def _issuance_record(self, issuance_id: int, issuance_escrow: str, fields: Sequence[Any]) -> Any:
        """The typed record of one issuance from the fields of the instrument's `getIssuance`."""
        raise NotImplementedError

    # ------------------------------------------------------------------------ deposits, withdrawals

    def deposit_eth(self, amount: int) -> TxReceipt:
        """Deposits `amount` wei from the account's wallet into its Instrument Escrow account."""
        return self.sender.transact(self.instrument_escrow.functions.deposit(), value=amount)

    def withdraw_eth(self, amount: int) -> TxReceipt:
        """Withdraws `amount` wei from the account's Instrument Escrow account to its wallet."""
        return self.sender.transact(self.instrument_escrow.functions.withdraw(amount))

    def deposit_token(self, token: str, amount: int, approve: bool = True) -> TxReceipt:
        """Deposits `amount` of ERC20 `token`; returns the deposit's receipt.

        With `approve` (default), first approves the Instrument Escrow for `amount` when the
        current allowance is lower. The escrow does not support EIP-2612 permit: the approval is
        a separate transaction. What is credited is what arrived (fee-on-transfer tokens).
        """
        owner = self.sender.require_address()
        erc20 = self.client.token(token)
        spender = self.instrument_escrow.address
        if approve and self.sender.call(erc20.functions.allowance(owner, spender)) < amount:
            self.sender.transact(erc20.functions.approve(spender, amount))
        return self.sender.transact(self.instrument_escrow.functions.depositToken(erc20.address, amount))

    def withdraw_token(self, token: str, amount: int) -> TxReceipt:
        """Withdraws `amount` of ERC20 `token` from the account's Instrument Escrow account."""
        return self.sender.transact(self.instrument_escrow.functions.withdrawToken(to_checksum_address(token), amount))

    def deposit(self, token: str, amount: int) -> TxReceipt:
        """`deposit_eth` for `NATIVE_ETH`, else `deposit_token` (with approval)."""
        return self.deposit_eth(amount) if _is_eth(token) else self.deposit_token(token, amount)

    def withdraw(self, token: str, amount: int) -> TxReceipt:
        """`withdraw_eth` for `NATIVE_ETH`, else `withdraw_token`."""
        return self.withdraw_eth(amount) if _is_eth(token) else self.withdraw_token(token, amount)

    # ------------------------------------------------------------------- the manager's three calls

    def create_issuance(self, maker_data: bytes) -> int:
        """Creates an issuance with the instrument's raw `maker_data`; returns its id."""
        receipt = self.sender.transact(self.manager.functions.createIssuance(maker_data))
        (created,) = self.manager.events.IssuanceCreated().process_receipt(receipt, errors=DISCARD)
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
        return self.sender.transact(self.manager.functions.processEvent(issuance_id, engagement_id, name, data))

    def _engage(self, issuance_id: int, taker_data: bytes) -> TxReceipt:
        return self.sender.transact(self.manager.functions.engageIssuance(issuance_id, taker_data))

    def _engaged_id(self, receipt: TxReceipt) -> int:
        (engaged,) = self.manager.events.IssuanceEngaged().process_receipt(receipt, errors=DISCARD)
        return engaged.args.engagementId

    # ---------------------------------------------------------------------------------- history

    def balance_history(
        self,
        account: str | None = None,
        from_block: int | None = None,
        to_block: int | str = "latest",
    ) -> list[BalanceChange]:
        """Every change of `account`'s balances in the domain's escrows, oldest first.

        Rebuilt from the escrows' `Deposited`, `Withdrawn` and `Transferred` events (two
        eth_getLogs calls over every escrow of the domain). Running balances start at zero at
        `from_block` (default: the deployment's first block, or 0), so start where the account had
        nothing, e.g. at the deployment.
        """
        account = to_checksum_address(account or self.sender.require_address())
        from_block = self.client.from_block if from_block is None else from_block
        ids = list(range(1, self._count_at(to_block) + 1))
        labels = {self.instrument_escrow.address: "instrument"}
        labels.update({address: f"issuance {i}" for i, address in self._issuance_escrow_addresses(ids).items()})
        events = {name: self.instrument_escrow.events[name]() for name in ("Deposited", "Withdrawn", "Transferred")}
        topics = {name: HexBytes(event_abi_to_log_topic(event.abi)).to_0x_hex() for name, event in events.items()}
        by_topic = {topic: name for name, topic in topics.items()}
        me = _account_topic(account)
        scope = {"address": list(labels), "fromBlock": from_block, "toBlock": to_block}
        logs = self.w3.eth.get_logs({**scope, "topics": [list(topics.values()), me]})
        logs += self.w3.eth.get_logs({**scope, "topics": [topics["Transferred"], None, me]})
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
    sender: Any

    def bounds(self) -> DurationBounds:
        """The shortest and longest duration the domain's issuances may have now."""
        minimum, maximum = self.sender.call(self.instrument.functions.getBounds(self.manager.address))
        return DurationBounds(minimum, maximum)

    def duration_cap(self) -> int:
        """The longest duration any provider may allow."""
        return self.sender.call(self.instrument.functions.durationCap())

    def set_bounds(self, min_duration: int, max_duration: int) -> TxReceipt:
        """Sets the domain's duration bounds (its provider only: `InstrumentNotProvider` otherwise)."""
        return self.sender.transact(
            self.instrument.functions.setBounds(self.manager.address, min_duration, max_duration)
        )


class SwapDomain(DurationBoundsMixin, Domain):
    """A Swap domain: a maker offers an input for an output until a due time; one taker takes it."""

    kind = InstrumentKind.SWAP
    instrument_abi = "Swap"

    def issuance(self, issuance_id: int) -> SwapIssuance:
        """Swap `issuance_id`: terms, state and escrow."""
        return self.issuances([issuance_id])[0]

    def issuances(self, issuance_ids: Iterable[int] | None = None) -> list[SwapIssuance]:
        """The domain's swaps (all by default) with their state, read in one batch."""
        return super().issuances(issuance_ids)

    def _issuance_record(self, issuance_id: int, issuance_escrow: str, fields: Sequence[Any]) -> SwapIssuance:
        maker, due, state, input_token, output_token, input_amount, output_amount = fields
        return SwapIssuance(
            issuance_id,
            issuance_escrow,
            maker,
            int(due),
            SwapState(state),
            input_token,
            output_token,
            input_amount,
            output_amount,
        )

    def create_swap(
        self, input_token: str, input_amount: int, output_token: str, output_amount: int, duration: int
    ) -> int:
        """Offers `input_amount` of `input_token` (from the account's Instrument Escrow balance) for
        `output_amount` of `output_token` for `duration` seconds. Returns the issuance id."""
        return self.create_issuance(swap_terms(duration, input_token, output_token, input_amount, output_amount))

    def engage_swap(self, issuance_id: int) -> int:
        """Takes swap `issuance_id`: pays its output, receives its input. Returns the engagement id."""
        return self.engage_issuance(issuance_id)

    def cancel_swap(self, issuance_id: int) -> TxReceipt:
        """The maker takes the input of unengaged swap `issuance_id` back (`cancel_issuance`)."""
        return self.process_event(issuance_id, CANCEL_ISSUANCE)

    def close_swap(self, issuance_id: int) -> TxReceipt:
        """From the due time on, anyone closes unengaged swap `issuance_id` (`issuance_due`)."""
        return self.process_event(issuance_id, ISSUANCE_DUE)


class MultiSwapDomain(DurationBoundsMixin, Domain):
    """A MultiSwap domain: a maker's offer that many takers fill in parts, pro rata."""

    kind = InstrumentKind.MULTISWAP
    instrument_abi = "MultiSwap"

    def issuance(self, issuance_id: int) -> MultiSwapIssuance:
        """Multi-swap `issuance_id`: terms, fills, state and escrow."""
        return self.issuances([issuance_id])[0]

    def issuances(self, issuance_ids: Iterable[int] | None = None) -> list[MultiSwapIssuance]:
        """The domain's multi-swaps (all by default) with their state, read in one batch."""
        return super().issuances(issuance_ids)

    def _issuance_record(self, issuance_id: int, issuance_escrow: str, fields: Sequence[Any]) -> MultiSwapIssuance:
        (maker, due, state, input_token, fill_count, output_token, input_amount, output_amount) = fields[:8]
        min_fill, max_fill, remaining, basis = fields[8:]
        return MultiSwapIssuance(
            issuance_id=issuance_id,
            issuance_escrow=issuance_escrow,
            maker=maker,
            due_time=int(due),
            state=MultiSwapState(state),
            input_token=input_token,
            output_token=output_token,
            input_amount=input_amount,
            output_amount=output_amount,
            min_fill_output=min_fill,
            max_fill_output=max_fill,
            remaining_output=remaining,
            input_basis=basis,
            fill_count=fill_count,
        )

    def create_multiswap(
        self,
        input_token: str,
        input_amount: int,
        output_token: str,
        output_amount: int,
        duration: int,
        min_fill_output: int = 1,
        max_fill_output: int | None = None,
    ) -> int:
        """Offers `input_amount` of `input_token` (from the account's Instrument Escrow balance) for
        `output_amount` of `output_token` for `duration` seconds, in fills of `min_fill_output`
        (default: 1 unit) to `max_fill_output` (default: the whole output) of the output; the exact
        rest is always accepted. Returns the issuance id."""
        max_fill_output = output_amount if max_fill_output is None else max_fill_output
        terms = multiswap_terms(
            duration, input_token, output_token, input_amount, output_amount, min_fill_output, max_fill_output
        )
        return self.create_issuance(terms)

    def fill_multiswap(self, issuance_id: int, fill_output: int) -> MultiSwapFill:
        """Fills `fill_output` of multi-swap `issuance_id`: pays that much of its output from the
        account's Instrument Escrow balance and receives its pro-rata share of the input there."""
        receipt = self._engage(issuance_id, multiswap_fill(fill_output))
        (filled,) = self.instrument.events.MultiSwapFilled().process_receipt(receipt, errors=DISCARD)
        args = filled.args
        return MultiSwapFill(issuance_id, args.engagementId, args.taker, args.fillOutput, args.inputPaid)

    def quote_fill(self, issuance_id: int, fill_output: int) -> int:
        """What a fill of `fill_output` of multi-swap `issuance_id` would pay its taker now, before
        any fee the input token takes (its pro-rata share, rounded down: a tiny tail can pay 0).
        Raises the error the fill itself would meet (`MultiSwapFillBelowMinimum`, ...)."""
        return self.sender.call(self.instrument.functions.quoteFill(self.manager.address, issuance_id, fill_output))

    def cancel_multiswap(self, issuance_id: int) -> TxReceipt:
        """The maker takes back what remains of the input of engageable multi-swap `issuance_id`
        (`cancel_issuance`); the fills done stand."""
        return self.process_event(issuance_id, CANCEL_ISSUANCE)

    def close_multiswap(self, issuance_id: int) -> TxReceipt:
        """From the due time on, anyone closes engageable multi-swap `issuance_id` (`issuance_due`):
        what remains of the input returns to the maker. Earlier, it changes nothing."""
        return self.process_event(issuance_id, ISSUANCE_DUE)


class LoanDomain(Domain):
    """What Lending and Borrowing domains share: collateralised loans priced by the instrument's
    price oracle. In a `LendingDomain` the maker lends, in a `BorrowingDomain` it borrows."""

    #: Whether the maker of this domain's loans is the lender.
    maker_is_lender: ClassVar[bool]

    def issuance(self, issuance_id: int) -> LoanIssuance:
        """Loan `issuance_id`: terms, parties, state and escrow."""
        return self.issuances([issuance_id])[0]

    def issuances(self, issuance_ids: Iterable[int] | None = None) -> list[LoanIssuance]:
        """The domain's loans (all by default) with their state, read in one batch."""
        return super().issuances(issuance_ids)

    def _issuance_record(self, issuance_id: int, issuance_escrow: str, fields: Sequence[Any]) -> LoanIssuance:
        (maker, issuance_due, state, taker, engagement_due, principal_token, tenor) = fields[:7]
        collateral_ratio, collateral_token, interest_rate, principal_amount = fields[7:]
        return LoanIssuance(
            issuance_id=issuance_id,
            issuance_escrow=issuance_escrow,
            maker_is_lender=self.maker_is_lender,
            maker=maker,
            taker=taker if int(taker, 16) else None,
            state=LoanState(state),
            issuance_due_time=int(issuance_due),
            engagement_due_time=int(engagement_due),
            principal_token=principal_token,
            principal_amount=principal_amount,
            collateral_token=collateral_token,
            collateral_ratio=collateral_ratio,
            tenor=int(tenor),
            interest_rate=interest_rate,
        )

    # ------------------------------------------------------------------------- bounds and prices

    def bounds(self) -> LoanBounds:
        """The bounds the domain's loans must keep now (the instrument's limits until the provider
        sets its own)."""
        return LoanBounds(*self.sender.call(self.instrument.functions.getBounds(self.manager.address)))

    def max_bounds(self) -> LoanBounds:
        """The limits no provider may exceed (also the bounds of a domain whose provider set none)."""
        return LoanBounds(*self.sender.call(self.instrument.functions.maxBounds()))

    def set_bounds(self, bounds: LoanBounds) -> TxReceipt:
        """Sets the domain's loan bounds (its provider only: `InstrumentNotProvider` otherwise;
        `LoanInvalidBounds` for bounds out of order or beyond `max_bounds`)."""
        return self.sender.transact(self.instrument.functions.setBounds(self.manager.address, astuple(bounds)))

    def price_oracle(self) -> PriceOracle:
        """The oracle that prices the domain's collateral."""
        return self.client.price_oracle(self.sender.call(self.instrument.functions.oracle()))

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
        return self.sender.call(function)

    def collateral_for(self, issuance_id: int) -> int:
        """The collateral loan `issuance_id` asks at the oracle's rate now: what a taker engaging a
        Lending loan now commits."""
        loan = self.issuance(issuance_id)
        return self.collateral_of(
            loan.principal_token, loan.principal_amount, loan.collateral_token, loan.collateral_ratio
        )

    def repayment_for(self, issuance_id: int) -> int:
        """Principal plus interest (rounded up) that repays loan `issuance_id`."""
        loan = self.issuance(issuance_id)
        return self.sender.call(self.instrument.functions.repaymentOf(loan.principal_amount, loan.interest_rate))

    # ------------------------------------------------------------------------------- the lifecycle

    def create_loan(
        self,
        principal_token: str,
        principal_amount: int,
        collateral_token: str,
        collateral_ratio: int,
        tenor: int,
        interest_rate: int,
        duration: int,
    ) -> int:
        """Offers a loan of `principal_amount` of `principal_token` against `collateral_token` at
        `collateral_ratio` basis points, for `tenor` seconds at a flat `interest_rate` basis points,
        open to takers for `duration` seconds. The maker commits the principal (Lending) or the
        collateral priced now (Borrowing, see `collateral_of`) from its Instrument Escrow balance.
        Returns the issuance id."""
        terms = loan_terms(
            duration, principal_token, principal_amount, collateral_token, collateral_ratio, tenor, interest_rate
        )
        return self.create_issuance(terms)

    def engage_loan(self, issuance_id: int) -> int:
        """Takes loan `issuance_id` before its issuance due time: in Lending the account borrows
        (commits the collateral priced now, see `collateral_for`, and receives the principal), in
        Borrowing it lends (pays the principal to the maker). Returns the engagement id (1)."""
        return self.engage_issuance(issuance_id)

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


class BorrowingDomain(LoanDomain):
    """A Borrowing domain: the maker borrows against its collateral; a taker lends the principal."""

    kind = InstrumentKind.BORROWING
    instrument_abi = "Borrowing"
    maker_is_lender = False


#: The domain class of each instrument kind.
DOMAIN_CLASSES: dict[InstrumentKind, type[Domain]] = {
    cls.kind: cls for cls in (SwapDomain, MultiSwapDomain, LendingDomain, BorrowingDomain) if cls.kind
}
