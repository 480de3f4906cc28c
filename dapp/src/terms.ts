// An issuance's terms in whole units, shared by the marketplace, positions and dashboard.
import type { Address } from "viem";
import { type Issuance, PRICE_BOUND_SCALE, isLoan } from "./domains";
import { duration, escapeHtml, percent, short, units } from "./format";
import { type Token, tokens } from "./tokens";

export type TokenBook = Map<string, Token>;

/** Symbol and decimals of every token the issuances name (one batch). */
export async function tokenBook(list: Issuance[]): Promise<TokenBook> {
  const addresses = [...new Set(list.flatMap((i) => (isLoan(i.instrument) ? [i.principalToken, i.collateralToken] : [i.inputToken, i.outputToken])))];
  const read = await tokens(addresses);
  return new Map(read.map((t) => [t.address.toLowerCase(), t]));
}

/** "12.5 TKA" for `amount` of `address`. */
export function amountOf(book: TokenBook, address: Address, amount: bigint): string {
  const t = book.get(address.toLowerCase());
  return t ? `${units(amount, t.decimals)} ${escapeHtml(t.symbol)}` : `${amount} of ${short(address)}`;
}

export function symbolOf(book: TokenBook, address: Address): string {
  return escapeHtml(book.get(address.toLowerCase())?.symbol ?? short(address));
}

export function termsText(book: TokenBook, i: Issuance): string {
  if (!isLoan(i.instrument)) {
    const fills = i.instrument === "multiswap" ? `; fills ${amountOf(book, i.outputToken, i.minFillOutput)} to ${amountOf(book, i.outputToken, i.maxFillOutput)}, ${amountOf(book, i.outputToken, i.remainingOutput)} left` : "";
    return `${amountOf(book, i.inputToken, i.inputAmount)} for ${amountOf(book, i.outputToken, i.outputAmount)}${fills}`;
  }
  const extras = [
    i.maintenanceRatio ? `maintenance ${percent(i.maintenanceRatio)}` : "",
    i.minCollateralPerPrincipal ? `at least ${priceBound(book, i)} ${symbolOf(book, i.collateralToken)} per ${symbolOf(book, i.principalToken)}` : "",
  ].filter(Boolean);
  return `${amountOf(book, i.principalToken, i.principalAmount)} against ${symbolOf(book, i.collateralToken)} at ${percent(i.collateralRatio)}, ${percent(i.interestRate)} for ${duration(i.tenor)}${extras.length ? `; ${extras.join(", ")}` : ""}`;
}

/** A Lending price bound (collateral units per principal unit, scaled by 1e18) per whole principal token. */
function priceBound(book: TokenBook, i: Issuance): string {
  const principal = book.get(i.principalToken.toLowerCase());
  const collateral = book.get(i.collateralToken.toLowerCase());
  if (!principal || !collateral) return `${i.minCollateralPerPrincipal}/1e18 units`;
  return units((i.minCollateralPerPrincipal * 10n ** BigInt(principal.decimals)) / PRICE_BOUND_SCALE, collateral.decimals);
}
