// The browser wallet: EIP-6963 discovery (window.ethereum as fallback), connect, account and
// network changes, and the switch to the deployment's chain.
import { type Address, type EIP1193Provider, getAddress, numberToHex } from "viem";

interface Announcement {
  info: { uuid: string; name: string; rdns: string };
  provider: EIP1193Provider;
}

export interface WalletState {
  provider?: EIP1193Provider;
  name?: string;
  account?: Address;
  chainId?: number;
}

export const wallet: WalletState = {};
const listeners: (() => void)[] = [];
export const onWalletChange = (listener: () => void): void => void listeners.push(listener);
const changed = (): void => listeners.forEach((listener) => listener());

/** Finds the wallet: the first EIP-6963 announcement within `waitMs`, else window.ethereum. */
export async function discoverWallet(waitMs = 300): Promise<void> {
  const announced = await new Promise<Announcement | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), waitMs);
    window.addEventListener(
      "eip6963:announceProvider",
      (event) => {
        clearTimeout(timer);
        resolve((event as CustomEvent<Announcement>).detail);
      },
      { once: true },
    );
    window.dispatchEvent(new Event("eip6963:requestProvider"));
  });
  const injected = (window as unknown as { ethereum?: EIP1193Provider }).ethereum;
  wallet.provider = announced?.provider ?? injected;
  wallet.name = announced?.info.name ?? (injected ? "injected wallet" : undefined);
  if (!wallet.provider) return;
  wallet.provider.on("accountsChanged", (accounts) => {
    wallet.account = accounts[0] ? getAddress(accounts[0]) : undefined;
    changed();
  });
  wallet.provider.on("chainChanged", (chainId) => {
    wallet.chainId = Number(chainId);
    changed();
  });
  await readWallet("eth_accounts");
}

async function readWallet(method: "eth_accounts" | "eth_requestAccounts"): Promise<void> {
  if (!wallet.provider) return;
  const accounts = await wallet.provider.request({ method });
  wallet.account = accounts[0] ? getAddress(accounts[0]) : undefined;
  wallet.chainId = Number(await wallet.provider.request({ method: "eth_chainId" }));
  changed();
}

export const connect = (): Promise<void> => readWallet("eth_requestAccounts");

/** Asks the wallet to switch to `chainId`, adding the chain with `rpc` if the wallet lacks it. */
export async function switchChain(chainId: number, name: string, rpc: string | undefined): Promise<void> {
  if (!wallet.provider) return;
  try {
    await wallet.provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId: numberToHex(chainId) }] });
  } catch (error) {
    if ((error as { code?: number }).code !== 4902 || !rpc) throw error;
    await wallet.provider.request({
      method: "wallet_addEthereumChain",
      params: [
        {
          chainId: numberToHex(chainId),
          chainName: name,
          nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
          rpcUrls: [rpc],
        },
      ],
    });
  }
}
