// Which deployment the app talks to and the user's settings (kept in localStorage per network).
import type { Address } from "viem";

export const INSTRUMENTS = ["swap", "multiswap", "lending", "borrowing"] as const;
export type Instrument = (typeof INSTRUMENTS)[number];
export const PAGES = ["account", "create", "market", "positions", "history"] as const;
export type Page = (typeof PAGES)[number];

/** The instruments' names in the deployment record (`contracts`, `domains`). */
export const RECORD_NAMES: Record<Instrument, string> = {
  swap: "Swap",
  multiswap: "MultiSwap",
  lending: "Lending",
  borrowing: "Borrowing",
};

export interface DomainRecord {
  domainId: number;
  instrumentManager: Address;
  instrumentEscrow: Address;
}

/** deployments/<network>.json (formatVersion 2, deployments/README.md); `tokens` (symbol to
 * address) is optional: the tokens the app lists besides ETH. */
export interface DeploymentRecord {
  network: string;
  chainId: number;
  blockNumber: number;
  nativeEth: Address;
  contracts: Record<string, Address>;
  domains: Record<string, DomainRecord>;
  tokens?: Record<string, Address>;
}

const query = new URLSearchParams(location.search);
export const networkId = query.get("network") ?? "development";
const LOCAL_CHAIN_ID = 31337;
const LOCAL_RPC = "http://127.0.0.1:8545";

export async function loadDeployment(): Promise<DeploymentRecord> {
  const response = await fetch(`deployments/${encodeURIComponent(networkId)}.json`, { cache: "no-store" });
  if (!response.ok) throw new Error(`No deployment record deployments/${networkId}.json (HTTP ${response.status}).`);
  return (await response.json()) as DeploymentRecord;
}

function key(name: string): string {
  return `nuts-escrow:${networkId}:${name}`;
}

export const settings = {
  get(name: string): string | null {
    return localStorage.getItem(key(name));
  },
  set(name: string, value: string | null): void {
    if (value === null || value === "") localStorage.removeItem(key(name));
    else localStorage.setItem(key(name), value);
  },
};

/** The read endpoint: `?rpc=`, else the settings field, else the local node for chain 31337;
 * undefined means "read through the wallet's provider". */
export function readEndpoint(chainId: number): string | undefined {
  return query.get("rpc") ?? settings.get("rpc") ?? (chainId === LOCAL_CHAIN_ID ? LOCAL_RPC : undefined);
}

export const isLocalChain = (chainId: number): boolean => chainId === LOCAL_CHAIN_ID;

/** The taker's tolerance in basis points (the user sets it on the marketplace; default 0). */
export function toleranceBps(): number {
  return Number(settings.get("tolerance-bps") ?? "0");
}
