// Tokens: ETH (the escrows' NATIVE_ETH address), the record's listed tokens and the ones the user
// pasted, with symbol and decimals read once from the chain.
import { type Address, getAddress, isAddress } from "viem";
import { connection } from "./chain";
import { settings } from "./config";
import { ERC20 } from "./generated/abis";

export interface Token {
  address: Address;
  symbol: string;
  decimals: number;
}

const known = new Map<string, Token>();

export const isEth = (address: string): boolean => address.toLowerCase() === connection.record.nativeEth.toLowerCase();

function pasted(): Address[] {
  return JSON.parse(settings.get("tokens") ?? "[]") as Address[];
}

/** Adds a token address the user pasted to the list (after reading its symbol and decimals). */
export async function addToken(text: string): Promise<Token> {
  if (!isAddress(text.trim())) throw new Error(`${text} is not an address.`);
  const [token] = await tokens([getAddress(text.trim())]);
  settings.set("tokens", JSON.stringify([...new Set([...pasted(), token.address])]));
  return token;
}

/** ETH, the deployment's listed tokens and the pasted ones. */
export function listedAddresses(): Address[] {
  const listed = Object.values(connection.record.tokens ?? {}).map((a) => getAddress(a));
  return [...new Set([connection.record.nativeEth, ...listed, ...pasted()])];
}

/** Symbol and decimals of each address (one batch for the ones not read yet). */
export async function tokens(addresses: readonly Address[]): Promise<Token[]> {
  const missing = [...new Set(addresses.filter((a) => !known.has(a.toLowerCase()) && !isEth(a)))];
  const read = await Promise.all(
    missing.map(async (address) => {
      const [symbol, decimals] = await Promise.all([
        connection.reads.readContract({ address, abi: ERC20, functionName: "symbol" }),
        connection.reads.readContract({ address, abi: ERC20, functionName: "decimals" }),
      ]);
      return { address, symbol, decimals };
    }),
  );
  read.forEach((token) => known.set(token.address.toLowerCase(), token));
  return addresses.map((a) =>
    isEth(a) ? { address: a, symbol: "ETH", decimals: 18 } : (known.get(a.toLowerCase()) as Token),
  );
}

/** The symbol of a token read before (ETH included), or undefined. */
export function knownSymbol(address: string): string | undefined {
  return isEth(address) ? "ETH" : known.get(address.toLowerCase())?.symbol;
}

export async function token(address: Address): Promise<Token> {
  return (await tokens([address]))[0];
}

/** The wallet balance of `account` in `token` (ETH or ERC20). */
export async function walletBalance(account: Address, address: Address): Promise<bigint> {
  if (isEth(address)) return connection.reads.getBalance({ address: account });
  return connection.reads.readContract({ address, abi: ERC20, functionName: "balanceOf", args: [account] });
}

export function tokenOptions(all: Token[], selected?: string): string {
  return all
    .map((t) => `<option value="${t.address}"${t.address === selected ? " selected" : ""}>${t.symbol}</option>`)
    .join("");
}
