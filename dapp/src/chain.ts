// The viem clients: reads go to the read endpoint in JSON-RPC batches (or through the wallet),
// transactions through the wallet.
import { type Chain, type PublicClient, createPublicClient, createWalletClient, custom, defineChain, http } from "viem";
import { type DeploymentRecord, isLocalChain, readEndpoint } from "./config";
import { wallet } from "./wallet";

export interface Connection {
  record: DeploymentRecord;
  chain: Chain;
  reads: PublicClient;
  pollingInterval: number;
}

export let connection: Connection;

export function connectChain(record: DeploymentRecord): void {
  const rpc = readEndpoint(record.chainId);
  const chain = defineChain({
    id: record.chainId,
    name: record.network,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: rpc ? [rpc] : [] } },
  });
  if (!rpc && !wallet.provider) throw new Error("No read endpoint: set one in Settings, add ?rpc=, or use a wallet.");
  const pollingInterval = isLocalChain(record.chainId) ? 200 : 4000;
  const transport = rpc ? http(rpc, { batch: { batchSize: 2000, wait: 0 } }) : custom(wallet.provider!);
  const reads = createPublicClient({ chain, transport, pollingInterval, batch: { multicall: false } });
  connection = { record, chain, reads, pollingInterval };
}

export function writer() {
  if (!wallet.provider) throw new Error("No wallet found.");
  return createWalletClient({ chain: connection.chain, transport: custom(wallet.provider) });
}

/** The latest block's timestamp: the chain's "now", which due times are compared with. */
export async function chainNow(): Promise<bigint> {
  return (await connection.reads.getBlock()).timestamp;
}
