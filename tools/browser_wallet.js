// The test wallet of the browser tests, the benchmark and the screenshots (tools/dapp_browser.py):
// an EIP-1193 provider injected before the app's scripts run (Playwright's add_init_script). It
// announces itself by EIP-6963 and as window.ethereum, answers the account and chain requests
// itself and forwards every other request to Anvil, whose unlocked accounts sign
// eth_sendTransaction. `window.testWallet` lets a test act as the user would in a real wallet:
// reject the next request (error 4001), be on another chain, switch accounts.
// The options arrive as the JSON object `__WALLET_OPTIONS__`: rpcUrl, account, chainId (Anvil's,
// hex: the chain the wallet can switch to) and startChainId (hex: the chain it is on at first).
(() => {
  const options = __WALLET_OPTIONS__;
  const listeners = new Map();
  const state = {
    account: options.account,
    chainId: options.startChainId,
    connected: false,
    rejectNext: new Set(),
    requests: [],
  };
  let nextId = 1;

  const emit = (event, value) => {
    for (const listener of listeners.get(event) ?? []) listener(value);
  };

  const providerError = (code, message, data) => Object.assign(new Error(message), { code, data });

  async function forward(method, params) {
    const response = await fetch(options.rpcUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params: params ?? [] }),
    });
    const body = await response.json();
    if (body.error) throw providerError(body.error.code, body.error.message, body.error.data);
    return body.result;
  }

  async function request({ method, params }) {
    state.requests.push({ method, params: params ?? [] });
    if (state.rejectNext.delete(method)) throw providerError(4001, "User rejected the request.");
    switch (method) {
      case "eth_requestAccounts":
        state.connected = true;
        return [state.account];
      case "eth_accounts":
        return state.connected ? [state.account] : [];
      case "eth_chainId":
        return state.chainId;
      case "net_version":
        return String(Number(state.chainId));
      case "wallet_switchEthereumChain": {
        const wanted = params[0].chainId.toLowerCase();
        if (wanted !== options.chainId) throw providerError(4902, `Unrecognized chain ID "${wanted}".`);
        state.chainId = wanted;
        emit("chainChanged", wanted);
        return null;
      }
      case "wallet_addEthereumChain": {
        // As common wallets do: adding the chain the wallet can reach also switches to it.
        const added = params[0].chainId.toLowerCase();
        if (added !== options.chainId) throw providerError(-32603, `The test wallet reaches only ${options.chainId}.`);
        state.chainId = added;
        emit("chainChanged", added);
        return null;
      }
      case "eth_sendTransaction":
        if (state.chainId !== options.chainId) throw providerError(4901, "The wallet is on another chain.");
        if (params[0].from.toLowerCase() !== state.account.toLowerCase()) {
          throw providerError(4100, "The requested account has not been authorized by the user.");
        }
        return forward(method, params);
      default:
        return forward(method, params);
    }
  }

  const provider = {
    isTestWallet: true,
    request,
    on(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(listener);
      return provider;
    },
    removeListener(event, listener) {
      listeners.get(event)?.delete(listener);
      return provider;
    },
  };

  window.testWallet = {
    state,
    rejectNext(method) {
      state.rejectNext.add(method);
    },
    switchAccount(account) {
      state.account = account;
      if (state.connected) emit("accountsChanged", [account]);
    },
    switchChain(chainId) {
      state.chainId = chainId;
      emit("chainChanged", chainId);
    },
    requestsOf(method) {
      return state.requests.filter((entry) => entry.method === method);
    },
  };

  const info = Object.freeze({
    uuid: "5c1a8a3e-7a43-4b52-9d3c-000000000001",
    name: "Test Wallet",
    icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E",
    rdns: "invalid.nuts-escrow.test-wallet",
  });
  const announce = () =>
    window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
  window.ethereum = provider;
})();
