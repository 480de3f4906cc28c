// The four instrument domains: reading issuances in batches, the quotes and minimums a taker
// states, and the maker and taker data encodings. Mirrors the Python client
// (src/nuts_escrow/domains.py and terms.py): the same quotes, tolerances and encodings.
import { type Abi, type Address, type Hex, encodeAbiParameters, getAddress, stringToHex, zeroAddress } from "viem";
import { connection } from "./chain";
import { type Instrument, RECORD_NAMES } from "./config";
import { BASIS_POINTS } from "./format";
import { Borrowing, InstrumentManager, IssuanceEscrow, Lending, MultiSwap, Swap } from "./generated/abis";
import type { Call } from "./tx";

export const INSTRUMENT_ABIS: Record<Instrument, Abi> = { swap: Swap, multiswap: MultiSwap, lending: Lending, borrowing: Borrowing };
export const TITLES: Record<Instrument, string> = { swap: "Swap", multiswap: "MultiSwap", lending: "Lending", borrowing: "Borrowing" };
export const isLoan = (instrument: Instrument): boolean => instrument === "lending" || instrument === "borrowing";
/** Whether the maker of the domain's loans lends (Lending) or borrows (Borrowing). */
export const makerIsLender = (instrument: Instrument): boolean => instrument === "lending";

/** The states of interfaces/ISwap.sol, IMultiSwap.sol and ILoan.sol. */
const STATE_NAMES: Record<Instrument, string[]> = {
  swap: ["none", "engageable", "cancelled", "complete (engaged)", "complete (not engaged)"],
  multiswap: ["none", "engageable", "cancelled", "complete", "expired"],
  lending: ["none", "engageable", "cancelled", "expired", "engaged", "repaid", "defaulted"],
  borrowing: ["none", "engageable", "cancelled", "expired", "engaged", "repaid", "defaulted"],
};
export const ENGAGEABLE = 1;
export const LOAN_ENGAGED = 4;
/** A loan's one engagement: repay_full, engagement_due and margin_call name it. */
export const LOAN_ENGAGEMENT_ID = 1n;
export const PRICE_BOUND_SCALE = 10n ** 18n;

/** One issuance of any instrument: its terms (the fields of the other instruments are zero), state
 * and parties. */
export interface Issuance extends Omit<LoanTerms, "duration">, Required<Omit<SwapTerms, "duration">> {
  instrument: Instrument;
  id: bigint;
  maker: Address;
  state: number;
  stateName: string;
  /** The issuance due time (until when it can be engaged). */
  due: bigint;
  remainingOutput: bigint;
  fillCount: bigint;
  taker?: Address;
  engagementDue: bigint;
}

export interface Domain {
  instrument: Instrument;
  address: Address;
  abi: Abi;
  manager: Address;
  escrow: Address;
}

export function domain(instrument: Instrument): Domain {
  const name = RECORD_NAMES[instrument];
  const record = connection.record.domains[name];
  if (!record) throw new Error(`The deployment has no ${name} domain.`);
  return {
    instrument,
    address: connection.record.contracts[name],
    abi: INSTRUMENT_ABIS[instrument],
    manager: record.instrumentManager,
    escrow: record.instrumentEscrow,
  };
}

type Fields = Record<string, bigint | number | Address>;

function record(instrument: Instrument, id: bigint, f: Fields): Issuance {
  const big = (name: string): bigint => BigInt((f[name]) ?? 0);
  const address = (name: string): Address => (f[name] as Address | undefined) ?? zeroAddress;
  const state = Number(f.state);
  const taker = address("taker");
  return {
    instrument,
    id,
    maker: address("maker"),
    state,
    stateName: STATE_NAMES[instrument][state] ?? String(state),
    due: big(isLoan(instrument) ? "issuanceDueTime" : "dueTime"),
    inputToken: address("inputToken"),
    outputToken: address("outputToken"),
    inputAmount: big("inputAmount"),
    outputAmount: big("outputAmount"),
    minFillOutput: big("minFillOutput"),
    maxFillOutput: big("maxFillOutput"),
    remainingOutput: big("remainingOutput"),
    fillCount: big("fillCount"),
    taker: taker === zeroAddress ? undefined : taker,
    engagementDue: big("engagementDueTime"),
    principalToken: address("principalToken"),
    principalAmount: big("principalAmount"),
    collateralToken: address("collateralToken"),
    collateralRatio: big("collateralRatio"),
    tenor: big("tenor"),
    interestRate: big("interestRate"),
    maintenanceRatio: big("maintenanceRatio"),
    minCollateralPerPrincipal: big("minCollateralPerPrincipal"),
  };
}

export const lender = (i: Issuance): Address | undefined => (makerIsLender(i.instrument) ? i.maker : i.taker);
export const borrower = (i: Issuance): Address | undefined => (makerIsLender(i.instrument) ? i.taker : i.maker);

export async function issuanceCount(d: Domain): Promise<bigint> {
  return connection.reads.readContract({ address: d.manager, abi: InstrumentManager, functionName: "issuanceCount" });
}

/** The domain's issuances (all by default), read in one JSON-RPC batch. */
export async function issuances(d: Domain, ids?: bigint[]): Promise<Issuance[]> {
  const all = ids ?? Array.from({ length: Number(await issuanceCount(d)) }, (_, index) => BigInt(index + 1));
  const raw = await Promise.all(
    all.map((id) => connection.reads.readContract({ address: d.address, abi: d.abi, functionName: "getIssuance", args: [d.manager, id] })),
  );
  return raw.map((fields, index) => record(d.instrument, all[index], fields as Fields));
}

const escrows = new Map<string, Address>();
/** The Issuance Escrow of each issuance (read once, in one batch). */
export async function issuanceEscrows(d: Domain, ids: bigint[]): Promise<Address[]> {
  const keyOf = (id: bigint): string => `${d.manager}:${id}`;
  const missing = ids.filter((id) => !escrows.has(keyOf(id)));
  const read = await Promise.all(
    missing.map((id) => connection.reads.readContract({ address: d.manager, abi: InstrumentManager, functionName: "getIssuanceEscrow", args: [id] })),
  );
  missing.forEach((id, index) => escrows.set(keyOf(id), read[index]));
  return ids.map((id) => escrows.get(keyOf(id)) as Address);
}

/** What `account` holds of `token` in an escrow (Instrument or Issuance Escrow). */
export function escrowBalance(escrow: Address, account: Address, token: Address): Promise<bigint> {
  return connection.reads.readContract({ address: escrow, abi: IssuanceEscrow, functionName: "getTokenBalance", args: [account, token] });
}

export async function heldInIssuance(d: Domain, i: Issuance, account: Address, token: Address): Promise<bigint> {
  const [escrow] = await issuanceEscrows(d, [i.id]);
  return escrowBalance(escrow, account, token);
}

// ------------------------------------------------------------------------------ quotes

/** `amount` less `tolerance` basis points, rounded up: the least a taker accepts (terms.lowered). */
export const lowered = (amount: bigint, tolerance: bigint): bigint => -((-amount * (BASIS_POINTS - tolerance)) / BASIS_POINTS);
/** `amount` plus `tolerance` basis points, rounded down: the most a taker gives (terms.raised). */
export const raised = (amount: bigint, tolerance: bigint): bigint => (amount * (BASIS_POINTS + tolerance)) / BASIS_POINTS;
/** ceil(principal * bound / 1e18): the least collateral a price bound allows (terms.collateral_bound). */
export const collateralBound = (principal: bigint, bound: bigint): bigint => -((-principal * bound) / PRICE_BOUND_SCALE);

/** The input a taker of a swap receives now: all its Issuance Escrow holds for the maker. */
export const quoteSwap = (d: Domain, i: Issuance): Promise<bigint> => heldInIssuance(d, i, i.maker, i.inputToken);

/** What a fill of `fillOutput` pays its taker now (the contract's quoteFill). */
export function quoteFill(d: Domain, id: bigint, fillOutput: bigint): Promise<bigint> {
  return connection.reads.readContract({ address: d.address, abi: MultiSwap, functionName: "quoteFill", args: [d.manager, id, fillOutput] });
}

/** The collateral of `principal` of a loan's principal token at `ratio` at the oracle's rate now. */
export function collateralOf(d: Domain, i: Issuance, principal: bigint, ratio: bigint): Promise<bigint> {
  return connection.reads.readContract({
    address: d.address,
    abi: Lending,
    functionName: "collateralOf",
    args: [i.principalToken, principal, i.collateralToken, ratio],
  });
}

/** The collateral the loan asks now: what a taker engaging a Lending loan commits. */
export const collateralNow = (d: Domain, i: Issuance): Promise<bigint> => collateralOf(d, i, i.principalAmount, i.collateralRatio);

/** Principal plus interest (rounded up) that repays the loan. */
export function repayment(d: Domain, i: Issuance): Promise<bigint> {
  return connection.reads.readContract({ address: d.address, abi: Lending, functionName: "repaymentOf", args: [i.principalAmount, i.interestRate] });
}

/** The collateral the loan's Issuance Escrow holds for the borrower (0 without one). */
export async function heldCollateral(d: Domain, i: Issuance): Promise<bigint> {
  const who = borrower(i);
  return who ? heldInIssuance(d, i, who, i.collateralToken) : 0n;
}

/** The collateral the loan must hold not to be margin callable (0 without maintenance ratio). */
export async function marginRequirement(d: Domain, i: Issuance): Promise<bigint> {
  if (i.maintenanceRatio === 0n) return 0n;
  return collateralOf(d, i, await repayment(d, i), i.maintenanceRatio);
}

// ------------------------------------------------------------------------------ encodings

const uints = (n: number) => Array.from({ length: n }, () => ({ type: "uint256" as const }));
const encodeUints = (values: bigint[]): Hex => encodeAbiParameters(uints(values.length), values);

export interface SwapTerms {
  duration: bigint;
  inputToken: Address;
  outputToken: Address;
  inputAmount: bigint;
  outputAmount: bigint;
  minFillOutput?: bigint;
  maxFillOutput?: bigint;
}

/** Swap maker data (5 fields), or MultiSwap's with the fill bounds (7 fields). */
export function swapTerms(t: SwapTerms): Hex {
  const head = [{ type: "uint256" }, { type: "address" }, { type: "address" }, { type: "uint256" }, { type: "uint256" }] as const;
  const values = [t.duration, getAddress(t.inputToken), getAddress(t.outputToken), t.inputAmount, t.outputAmount] as const;
  if (t.minFillOutput === undefined) return encodeAbiParameters(head, values);
  return encodeAbiParameters([...head, { type: "uint256" }, { type: "uint256" }], [...values, t.minFillOutput, t.maxFillOutput ?? t.outputAmount]);
}

export interface LoanTerms {
  duration: bigint;
  principalToken: Address;
  principalAmount: bigint;
  collateralToken: Address;
  collateralRatio: bigint;
  tenor: bigint;
  interestRate: bigint;
  minCollateralPerPrincipal: bigint;
  maintenanceRatio: bigint;
}

/** Lending and Borrowing maker data: the seven fields, or nine with a price bound or maintenance ratio. */
export function loanTerms(t: LoanTerms): Hex {
  const types = [
    { type: "uint256" }, { type: "address" }, { type: "uint256" }, { type: "address" },
    { type: "uint256" }, { type: "uint256" }, { type: "uint256" }, { type: "uint256" }, { type: "uint256" },
  ] as const;
  const values = [
    t.duration, getAddress(t.principalToken), t.principalAmount, getAddress(t.collateralToken),
    t.collateralRatio, t.tenor, t.interestRate, t.minCollateralPerPrincipal, t.maintenanceRatio,
  ] as const;
  const full = encodeAbiParameters(types, values);
  // Every field is static: the seven-field encoding is the first seven words of the nine.
  const seven = 2 + 7 * 64;
  return t.minCollateralPerPrincipal === 0n && t.maintenanceRatio === 0n ? (full.slice(0, seven) as Hex) : full;
}

/** The taker data that engages `i` now: each instrument's minimum (or maximum) computed from the
 * quote now and `tolerance` basis points, as the Python client's engage helpers do. */
export async function takerData(d: Domain, i: Issuance, tolerance: bigint, fillOutput = 0n): Promise<Hex> {
  switch (d.instrument) {
    case "swap":
      return encodeUints([lowered(await quoteSwap(d, i), tolerance)]);
    case "multiswap": {
      const quoted = await quoteFill(d, i.id, fillOutput);
      if (quoted === 0n) throw new Error(`A fill of ${fillOutput} would pay nothing: not sent.`);
      return encodeUints([fillOutput, lowered(quoted, tolerance)]);
    }
    case "lending":
      return encodeUints([i.principalAmount, raised(await collateralNow(d, i), tolerance)]);
    case "borrowing":
      return encodeUints([lowered(await heldCollateral(d, i), tolerance)]);
  }
}

// ------------------------------------------------------------------------------ calls

export const EVENTS = ["cancel_issuance", "issuance_due", "engagement_due", "repay_full", "margin_call"] as const;
export type EventName = (typeof EVENTS)[number];

export function processEvent(d: Domain, id: bigint, event: EventName, engagementId = 0n): Call {
  return {
    address: d.manager,
    abi: InstrumentManager,
    functionName: "processEvent",
    args: [id, engagementId, stringToHex(event, { size: 32 }), "0x"],
  };
}

export const createIssuance = (d: Domain, makerData: Hex): Call => ({
  address: d.manager,
  abi: InstrumentManager,
  functionName: "createIssuance",
  args: [makerData],
});

export const engageIssuance = (d: Domain, id: bigint, data: Hex): Call => ({
  address: d.manager,
  abi: InstrumentManager,
  functionName: "engageIssuance",
  args: [id, data],
});


