// Every transaction's life in the `tx-status` element: waiting for the wallet, pending with its
// hash, confirmed, or failed with the contract's error decoded; a user rejection is `rejected`.
import { type Abi, type Address, type Hex, encodeFunctionData } from "viem";
import { connection, writer } from "./chain";
import { explain, isUserRejection } from "./errors";
import { wallet } from "./wallet";

export type TxState = "wallet" | "pending" | "confirmed" | "failed" | "rejected";

export interface Call {
  address: Address;
  abi: Abi;
  functionName: string;
  args?: readonly unknown[];
  value?: bigint;
}

const afterTransaction: (() => void)[] = [];
export const onTransaction = (listener: () => void): void => void afterTransaction.push(listener);

function status(state: TxState, text: string): void {
  const element = document.querySelector<HTMLElement>('[data-testid="tx-status"]');
  if (!element) return;
  element.dataset.state = state;
  element.textContent = text;
}

/** Shows `label` as failed with `error` explained (a custom error by its name and sentence). */
export function failed(label: string, error: unknown): false {
  const { name, sentence } = explain(error);
  status("failed", `${label} failed: ${name ? `${name}: ` : ""}${sentence}`);
  return false;
}

/** Checks `call` against the chain, has the wallet send it, and waits for its receipt. Returns
 * whether it was confirmed; never throws. */
export async function send(label: string, call: Call): Promise<boolean> {
  const account = wallet.account;
  if (!account) return failed(label, new Error("connect a wallet first"));
  if (wallet.chainId !== connection.record.chainId) return failed(label, new Error("the wallet is on another network"));
  status("wallet", `${label}: confirm in your wallet…`);
  const request = { ...call, account, chain: connection.chain } as Parameters<ReturnType<typeof writer>["writeContract"]>[0];
  try {
    await connection.reads.simulateContract({ ...call, account } as Parameters<typeof connection.reads.simulateContract>[0]);
  } catch (error) {
    return failed(label, error);
  }
  let hash: Hex;
  try {
    hash = await writer().writeContract(request);
  } catch (error) {
    if (isUserRejection(error)) {
      status("rejected", `${label}: you rejected it in the wallet; nothing was sent.`);
      return false;
    }
    return failed(label, error);
  }
  status("pending", `${label}: pending ${hash}`);
  try {
    const receipt = await connection.reads.waitForTransactionReceipt({ hash, pollingInterval: connection.pollingInterval });
    if (receipt.status !== "success") {
      // Replaying the call at its block gives the revert data the receipt lacks.
      try {
        await connection.reads.call({ ...callData(call), account, blockNumber: receipt.blockNumber });
      } catch (error) {
        return failed(label, error);
      }
      return failed(label, new Error(`transaction ${hash} reverted`));
    }
    status("confirmed", `${label}: confirmed in block ${receipt.blockNumber} (${hash})`);
    return true;
  } finally {
    afterTransaction.forEach((listener) => listener());
  }
}

function callData(call: Call): { to: Address; data: Hex; value?: bigint } {
  const data = encodeFunctionData({ abi: call.abi, functionName: call.functionName, args: call.args });
  return { to: call.address, data, value: call.value };
}
