// Amounts in whole units, addresses, times and ratios as people read them.
import { formatUnits, parseUnits } from "viem";

export const BASIS_POINTS = 10_000n;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function short(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

export function units(amount: bigint, decimals: number): string {
  return formatUnits(amount, decimals);
}

/** A whole-unit amount typed by the user in the token's smallest units; undefined if it is not a
 * non-negative number with at most `decimals` decimals. */
export function parseAmount(text: string, decimals: number): bigint | undefined {
  const trimmed = text.trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return undefined;
  const fraction = trimmed.split(".")[1] ?? "";
  if (fraction.length > decimals) return undefined;
  return parseUnits(trimmed, decimals);
}

/** A percentage (up to two decimals) in basis points. */
export const parsePercent = (text: string): bigint | undefined => parseAmount(text, 2);
export const percent = (bps: bigint | number): string => `${formatUnits(BigInt(bps), 2)}%`;

/** "7 d", "23 h 55 min", "40 s": the two largest units of a span of time. */
export function duration(seconds: bigint): string {
  let rest = Number(seconds);
  const parts: string[] = [];
  for (const [size, unit] of [[86_400, "d"], [3600, "h"], [60, "min"], [1, "s"]] as const) {
    if (rest >= size || (size === 1 && parts.length === 0)) parts.push(`${Math.floor(rest / size)} ${unit}`);
    rest %= size;
  }
  return parts.slice(0, 2).join(" ");
}

export function dueText(due: bigint, now: bigint): string {
  const when = new Date(Number(due) * 1000).toISOString().replace("T", " ").slice(0, 16) + " UTC";
  return due <= now ? `${when} (due)` : `${when} (in ${duration(due - now)})`;
}
