// Revert data decoded into the contract's custom error and its NatSpec sentence (one source:
// the ABIs and error-sentences.json that scripts/export_abis.py exports).
import { type Abi, BaseError, type Hex, decodeErrorResult, isAddress } from "viem";
import * as abis from "./generated/abis";
import { knownSymbol } from "./tokens";

/** Every custom error of the exported ABIs (the Python client's nuts_escrow.errors.ERRORS). */
const ALL_ERRORS: readonly Extract<Abi[number], { type: "error" }>[] = abis.contractErrors;

/** The revert data somewhere in a viem error's chain of causes. */
function revertData(error: unknown): Hex | undefined {
  let found: Hex | undefined;
  if (error instanceof BaseError) {
    error.walk((cause) => {
      const candidate = cause as { raw?: unknown; data?: unknown };
      for (const data of [candidate.raw, candidate.data]) {
        if (typeof data === "string" && /^0x[0-9a-fA-F]{8}/.test(data)) found ??= data as Hex;
        if (typeof data === "object" && data && typeof (data as { data?: unknown }).data === "string")
          found ??= (data as { data: Hex }).data;
      }
      return false;
    });
  }
  return found;
}

/** An argument as the sentence shows it: a known token by its symbol, anything else as it is. */
function show(value: unknown): string {
  if (typeof value === "string" && isAddress(value)) return knownSymbol(value) ?? value;
  return typeof value === "bigint" ? value.toString() : String(value);
}

/** The custom error's name and its sentence for a reverted call or transaction; for any other
 * failure no name, and viem's short message (or the error's message) as the sentence. */
export function explain(error: unknown): { name?: string; sentence: string } {
  const data = revertData(error);
  if (data) {
    try {
      const decoded = decodeErrorResult({ abi: ALL_ERRORS, data });
      const inputs = ALL_ERRORS.find((entry) => entry.name === decoded.errorName)?.inputs ?? [];
      const args = new Map(inputs.map((input, index) => [input.name ?? "", decoded.args?.[index]]));
      const template = abis.errorSentences[decoded.errorName] ?? "";
      const sentence = template.replace(/`(\w+)`/g, (whole, name: string) => (args.has(name) ? show(args.get(name)) : whole));
      return { name: decoded.errorName, sentence: sentence || `${decoded.errorName}(${[...args.values()].map(show).join(", ")})` };
    } catch {
      return { name: "UnknownRevert", sentence: `The call reverted with data ${data.slice(0, 10)}… that no contract error matches.` };
    }
  }
  return { sentence: error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.message : String(error) };
}

/** Whether the user declined in the wallet (EIP-1193 error 4001). */
export function isUserRejection(error: unknown): boolean {
  if (error instanceof BaseError) return Boolean(error.walk((cause) => (cause as { code?: number }).code === 4001));
  return (error as { code?: number })?.code === 4001;
}
