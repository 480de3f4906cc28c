"""A thin, typed web3.py client for the escrow core: domains, balances, deposits, swaps, history.

It uses web3.py only (no brownie), so any node and any Python backend or notebook can use it::

    from web3 import Web3
    from nuts_escrow import EscrowClient, Deployment

    w3 = Web3(Web3.HTTPProvider("http://127.0.0.1:8545"))
    client = EscrowClient.from_deployment(w3, Deployment.for_network("sepolia"), account=my_account)
    swaps = client.domain(1)                      # connect to a domain by its registry id
    swaps.deposit_token(token, 100 * 10**18)      # approves the Instrument Escrow, then deposits

Transactions are sent from `account`: an eth-account `LocalAccount` (signed locally, sent raw) or
the address of an account the node holds (sent with eth_sendTransaction, e.g. Anvil's accounts).
A revert raises the contract's custom error as a Python exception (see `nuts_escrow.errors`).
"""

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from eth_abi import encode
from eth_account.signers.local import LocalAccount
from eth_utils import event_abi_to_log_topic, to_checksum_address
from hexbytes import HexBytes
from web3 import Web3
from web3.contract.contract import Contract, ContractFunction
from web3.exceptions import ContractLogicError
from web3.logs import DISCARD
from web3.types import TxReceipt

from nuts_escrow.abi import load_abi
from nuts_escrow.deployment import Deployment
from nuts_escrow.errors import NutsEscrowError, TransactionFailed, decode_revert
from nuts_escrow.types import NATIVE_ETH, BalanceChange, Balances, SwapIssuance, SwapState

SWAP_TERMS_TYPES = ["uint256", "address", "address", "uint256", "uint256"]
MULTISWAP_TERMS_TYPES = ["uint256", "address", "address", "uint256", "uint256", "uint256", "uint256"]
LOAN_TERMS_TYPES = ["uint256", "address", "uint256", "address", "uint256", "uint256", "uint256"]
DEFAULT_RECEIPT_TIMEOUT = 120


class WrongChainError(NutsEscrowError):
    """The node serves another chain than the deployment record was written for."""


def event_name(name: str) -> bytes:
    """An event name as the bytes32 the manager takes: short ASCII, right-padded with zeros."""
    return name.encode("ascii").ljust(32, b"\x00")


CANCEL_ISSUANCE = event_name("cancel_issuance")
ISSUANCE_DUE = event_name("issuance_due")
ENGAGEMENT_DUE = event_name("engagement_due")
REPAY_FULL = event_name("repay_full")


def swap_terms(duration: int, input_token: str, output_token: str, input_amount: int, output_amount: int) -> bytes:
    """The Swap maker data: abi.encode(duration, inputToken, outputToken, inputAmount, outputAmount)."""
    return encode(
        SWAP_TERMS_TYPES,
        [duration, to_checksum_address(input_token), to_checksum_address(output_token), input_amount, output_amount],
    )


def multiswap_terms(
    duration: int,
    input_token: str,
    output_token: str,
    input_amount: int,
    output_amount: int,
    min_fill_output: int,
    max_fill_output: int,
) -> bytes:
    """The MultiSwap maker data: abi.encode(duration, inputToken, outputToken, inputAmount, outputAmount,
    minFillOutput, maxFillOutput)."""
    return encode(
        MULTISWAP_TERMS_TYPES,
        [
            duration,
            to_checksum_address(input_token),
            to_checksum_address(output_token),
            input_amount,
            output_amount,
            min_fill_output,
            max_fill_output,
        ],
    )


def multiswap_fill(fill_output: int) -> bytes:
    """The MultiSwap taker data: abi.encode(fillOutput), the output the taker pays."""
    return encode(["uint256"], [fill_output])


def loan_terms(
    duration: int,
    principal_token: str,
    principal_amount: int,
    collateral_token: str,
    collateral_ratio: int,
    tenor: int,
    interest_rate: int,
) -> bytes:
    """The Lending and Borrowing maker data: abi.encode(duration, principalToken, principalAmount,
    collateralToken, collateralRatio, tenor, interestRate); ratio and rate in basis points."""
    return encode(
        LOAN_TERMS_TYPES,
        [
            duration,
            to_checksum_address(principal_token),
            principal_amount,
            to_checksum_address(collateral_token),
            collateral_ratio,
            tenor,
            interest_rate,
        ],
    )


def _is_eth(token: str) -> bool:
    return token.lower() == NATIVE_ETH.lower()


def _account_topic(address: str) -> str:
    return "0x" + "00" * 12 + address[2:].lower()


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

    def domain(self, domain_id: int) -> "Domain":
        """Connects to domain `domain_id` of the registry (raises `RegistryUnknownDomain` if none)."""
        provider, instrument, manager, instrument_escrow, active = self.sender.call(
            self.registry.functions.getDomain(domain_id)
        )
        return Domain(self, domain_id, provider, instrument, manager, instrument_escrow, active)

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


class Domain:
    """One instrument domain: its manager, its Instrument Escrow and its issuances' escrows.

    Issuance listing and the swap helpers assume the domain's instrument is a Swap.
    """

    def __init__(
        self,
        client: EscrowClient,
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
        self.instrument: Contract = self.w3.eth.contract(instrument, abi=load_abi("Swap"))
        self._issuance_escrows: dict[int, str] = {}

    def __repr__(self) -> str:
        return f"<Domain {self.domain_id} manager={self.manager.address} escrow={self.instrument_escrow.address}>"

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
        ids = list(issuance_ids) if issuance_ids is not None else list(range(1, self._count_at(block) + 1))
        escrows = self._issuance_escrow_addresses(ids, block)
        abi = load_abi("IssuanceEscrow")
        places = [self.instrument_escrow] + [self.w3.eth.contract(escrows[i], abi=abi) for i in ids]
        calls = [place.functions.getTokenBalance(account, token) for place in places for token in tokens]
        values = iter(self.client.batch_call(calls, block))
        per_place = [{token: next(values) for token in tokens} for _ in places]
        return Balances(account, block, per_place[0], dict(zip(ids, per_place[1:], strict=True)))

    def _count_at(self, block: int | str) -> int:
        return self.sender.call(self.manager.functions.issuanceCount(), block)

    def issuance(self, issuance_id: int) -> SwapIssuance:
        """Swap issuance `issuance_id`: terms, state and escrow."""
        return self.issuances([issuance_id])[0]

    def issuances(self, issuance_ids: Iterable[int] | None = None) -> list[SwapIssuance]:
        """The domain's swap issuances (all by default) with their state, read in one batch."""
        block = self.w3.eth.block_number
        ids = list(issuance_ids) if issuance_ids is not None else list(range(1, self._count_at(block) + 1))
        escrows = self._issuance_escrow_addresses(ids, block)
        manager = self.manager.address
        raw = self.client.batch_call([self.instrument.functions.getIssuance(manager, i) for i in ids], block)
        return [
            SwapIssuance(i, escrows[i], maker, int(due), SwapState(state), input_token, output_token, inp, out)
            for i, (maker, due, state, input_token, output_token, inp, out) in zip(ids, raw, strict=True)
        ]

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

    # ------------------------------------------------------------------------------------ swaps

    def create_swap(
        self, input_token: str, input_amount: int, output_token: str, output_amount: int, duration: int
    ) -> int:
        """Offers `input_amount` of `input_token` (from the account's Instrument Escrow balance) for
        `output_amount` of `output_token` for `duration` seconds. Returns the issuance id."""
        terms = swap_terms(duration, input_token, output_token, input_amount, output_amount)
        receipt = self.sender.transact(self.manager.functions.createIssuance(terms))
        (created,) = self.manager.events.IssuanceCreated().process_receipt(receipt, errors=DISCARD)
        self._issuance_escrows[created.args.issuanceId] = created.args.issuanceEscrow
        return created.args.issuanceId

    def engage_swap(self, issuance_id: int) -> int:
        """Takes swap `issuance_id`: pays its output, receives its input. Returns the engagement id."""
        receipt = self.sender.transact(self.manager.functions.engageIssuance(issuance_id, b""))
        (engaged,) = self.manager.events.IssuanceEngaged().process_receipt(receipt, errors=DISCARD)
        return engaged.args.engagementId

    def cancel_swap(self, issuance_id: int) -> TxReceipt:
        """The maker takes the input of unengaged swap `issuance_id` back (`cancel_issuance`)."""
        return self.sender.transact(self.manager.functions.processEvent(issuance_id, 0, CANCEL_ISSUANCE, b""))

    def close_swap(self, issuance_id: int) -> TxReceipt:
        """From the due time on, anyone closes unengaged swap `issuance_id` (`issuance_due`)."""
        return self.sender.transact(self.manager.functions.processEvent(issuance_id, 0, ISSUANCE_DUE, b""))

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


__all__: list[str] = [
    "CANCEL_ISSUANCE",
    "ISSUANCE_DUE",
    "Domain",
    "EscrowClient",
    "Sender",
    "WrongChainError",
    "multiswap_fill",
    "multiswap_terms",
    "swap_terms",
]
