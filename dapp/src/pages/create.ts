// Create: one form per instrument in whole-token units, checked against the domain's provider
// bounds before anything is sent.
import type { Address, Hex } from "viem";
import { connection } from "../chain";
import type { Instrument } from "../config";
import { onAction, value } from "../dom";
import { type Domain, PRICE_BOUND_SCALE, createIssuance, domain, isLoan, loanTerms, makerIsLender, swapTerms } from "../domains";
import { duration, parseAmount, parsePercent, percent } from "../format";
import { type Token, listedAddresses, token, tokenOptions, tokens } from "../tokens";
import { send } from "../tx";

const HOUR = 3600n;

interface Bounds {
  minDuration: bigint;
  maxDuration: bigint;
  minTenor?: bigint;
  maxTenor?: bigint;
  minCollateralRatio?: bigint;
  maxCollateralRatio?: bigint;
  minInterestRate?: bigint;
  maxInterestRate?: bigint;
}

async function bounds(d: Domain): Promise<Bounds> {
  const read = await connection.reads.readContract({ address: d.address, abi: d.abi, functionName: "getBounds", args: [d.manager] });
  if (Array.isArray(read)) {
    const [minDuration, maxDuration] = read as [bigint, bigint];
    return { minDuration, maxDuration };
  }
  const loan = read as Record<string, bigint | number>;
  return Object.fromEntries(Object.entries(loan).map(([k, v]) => [k, BigInt(v)])) as unknown as Bounds;
}

const field = (name: string, label: string, attributes = 'inputmode="decimal"'): string =>
  `<label>${label} <input data-testid="field-${name}" ${attributes}></label>`;
const select = (name: string, label: string, options: string): string =>
  `<label>${label} <select data-testid="field-${name}">${options}</select></label>`;

function formFields(instrument: Instrument, options: string): string {
  if (!isLoan(instrument)) {
    return [
      select("input-token", "Offer token", options),
      field("input-amount", "Offer amount"),
      select("output-token", "For token", options),
      field("output-amount", "For amount"),
      instrument === "multiswap" ? field("min-fill", "Smallest fill (of the 'for' amount)") + field("max-fill", "Largest fill (empty: all)") : "",
      field("duration-hours", "Open for (hours)"),
    ].join("");
  }
  return [
    select("principal-token", "Principal token", options),
    field("principal-amount", "Principal amount"),
    select("collateral-token", "Collateral token", options),
    field("collateral-ratio", "Collateral ratio (%)"),
    field("maintenance-ratio", "Maintenance ratio (%, 0: no margin call)"),
    instrument === "lending" ? field("price-bound", "Least collateral per principal token (0: none)") : "",
    field("tenor-hours", "Tenor (hours)"),
    field("interest-rate", "Interest (%, flat)"),
    field("duration-hours", "Open for (hours)"),
  ].join("");
}

function within(name: string, got: bigint, min: bigint | undefined, max: bigint | undefined, show: (v: bigint) => string): void {
  if ((min !== undefined && got < min) || (max !== undefined && got > max))
    throw new Error(`${name} must be within ${show(min ?? 0n)} and ${show(max ?? 0n)} (the domain's bounds); it is ${show(got)}.`);
}

function amount(name: string, root: HTMLElement, t: Token, allowZero = false): bigint {
  const parsed = parseAmount(value(`field-${name}`, root), t.decimals);
  if (parsed === undefined || (!allowZero && parsed === 0n))
    throw new Error(`${name}: enter a ${allowZero ? "" : "positive "}amount of ${t.symbol} with at most ${t.decimals} decimals.`);
  return parsed;
}

function ratio(name: string, root: HTMLElement): bigint {
  const parsed = parsePercent(value(`field-${name}`, root) || "0");
  if (parsed === undefined) throw new Error(`${name}: enter a percentage with at most two decimals.`);
  return parsed;
}

function hours(name: string, root: HTMLElement): bigint {
  const parsed = parseAmount(value(`field-${name}`, root), 0);
  if (!parsed) throw new Error(`${name}: enter a whole number of hours.`);
  return parsed * HOUR;
}

/** The maker data of the form, after checking it against the domain's bounds. */
async function makerData(d: Domain, root: HTMLElement): Promise<{ data: Hex; label: string }> {
  const b = await bounds(d);
  const open = hours("duration-hours", root);
  within("The open time", open, b.minDuration, b.maxDuration, duration);
  if (!isLoan(d.instrument)) {
    const [input, output] = await Promise.all(["input-token", "output-token"].map((n) => token(value(`field-${n}`, root) as Address)));
    if (input.address === output.address) throw new Error("Offer and 'for' tokens must differ.");
    const inputAmount = amount("input-amount", root, input);
    const outputAmount = amount("output-amount", root, output);
    const label = `Offer ${value("field-input-amount", root)} ${input.symbol} for ${value("field-output-amount", root)} ${output.symbol}`;
    if (d.instrument === "swap") return { data: swapTerms({ duration: open, inputToken: input.address, outputToken: output.address, inputAmount, outputAmount }), label };
    const minFill = value("field-min-fill", root) ? amount("min-fill", root, output) : 1n;
    const maxFill = value("field-max-fill", root) ? amount("max-fill", root, output) : outputAmount;
    if (minFill > maxFill || maxFill > outputAmount) throw new Error("Fills need smallest ≤ largest ≤ the 'for' amount.");
    const terms = { duration: open, inputToken: input.address, outputToken: output.address, inputAmount, outputAmount, minFillOutput: minFill, maxFillOutput: maxFill };
    return { data: swapTerms(terms), label };
  }
  const [principal, collateral] = await Promise.all(["principal-token", "collateral-token"].map((n) => token(value(`field-${n}`, root) as Address)));
  if (principal.address === collateral.address) throw new Error("Principal and collateral tokens must differ.");
  const principalAmount = amount("principal-amount", root, principal);
  const collateralRatio = ratio("collateral-ratio", root);
  within("The collateral ratio", collateralRatio, b.minCollateralRatio, b.maxCollateralRatio, percent);
  const maintenanceRatio = ratio("maintenance-ratio", root);
  if (maintenanceRatio >= collateralRatio) throw new Error("The maintenance ratio must be below the collateral ratio.");
  const tenor = hours("tenor-hours", root);
  within("The tenor", tenor, b.minTenor, b.maxTenor, duration);
  const interestRate = ratio("interest-rate", root);
  within("The interest rate", interestRate, b.minInterestRate, b.maxInterestRate, percent);
  let minCollateralPerPrincipal = 0n;
  if (makerIsLender(d.instrument) && value("field-price-bound", root)) {
    // Whole collateral per whole principal, as collateral units per principal unit scaled by 1e18.
    const perWhole = amount("price-bound", root, collateral, true);
    minCollateralPerPrincipal = (perWhole * PRICE_BOUND_SCALE) / 10n ** BigInt(principal.decimals);
  }
  const terms = { duration: open, principalToken: principal.address, principalAmount, collateralToken: collateral.address, collateralRatio, tenor, interestRate, minCollateralPerPrincipal, maintenanceRatio };
  const verb = makerIsLender(d.instrument) ? "Lend" : "Borrow";
  return { data: loanTerms(terms), label: `${verb} ${value("field-principal-amount", root)} ${principal.symbol} against ${collateral.symbol}` };
}

export async function createPage(root: HTMLElement, instrument: Instrument): Promise<void> {
  const d = domain(instrument);
  const [all, b] = await Promise.all([tokens(listedAddresses()), bounds(d)]);
  const options = tokenOptions(all);
  const limits = [`open ${duration(b.minDuration)} to ${duration(b.maxDuration)}`];
  if (b.minTenor !== undefined) {
    limits.push(`tenor ${duration(b.minTenor)} to ${duration(b.maxTenor ?? 0n)}`);
    limits.push(`collateral ratio ${percent(b.minCollateralRatio ?? 0n)} to ${percent(b.maxCollateralRatio ?? 0n)}`);
    limits.push(`interest ${percent(b.minInterestRate ?? 0n)} to ${percent(b.maxInterestRate ?? 0n)}`);
  }
  const commits = isLoan(instrument)
    ? makerIsLender(instrument) ? "the principal" : "the collateral priced now"
    : "the offered amount";
  root.innerHTML = `
    <h2>Create</h2>
    <p>The domain allows: <span data-testid="bounds">${limits.join("; ")}</span>. Creating moves ${commits} from your Instrument Escrow balance (deposit it first on the Account page).</p>
    <form class="grid">${formFields(instrument, options)}<button data-testid="submit" data-action="create">Create</button></form>
    <p data-testid="notice" class="notice"></p>`;
  onAction(root, async () => {
    const { data, label } = await makerData(d, root);
    await send(label, createIssuance(d, data));
  });
}
