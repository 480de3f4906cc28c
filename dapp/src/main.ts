// The app's shell: loads the deployment, finds the wallet, and renders the page of the hash route
// (#/ dashboard, #/<instrument>/<page>, #/settings) again after each transaction or wallet change.
import { connectChain, connection } from "./chain";
import { INSTRUMENTS, type Instrument, PAGES, type Page, loadDeployment, readEndpoint } from "./config";
import { TITLES } from "./domains";
import { escapeHtml } from "./format";
import { accountPage } from "./pages/account";
import { createPage } from "./pages/create";
import { dashboardPage } from "./pages/dashboard";
import { historyPage } from "./pages/history";
import { marketPage } from "./pages/market";
import { positionsPage } from "./pages/positions";
import { settingsPage } from "./pages/settings";
import { onTransaction } from "./tx";
import { connect, discoverWallet, onWalletChange, switchChain, wallet } from "./wallet";

const PAGE_TITLES: Record<Page, string> = { account: "Account", create: "Create", market: "Marketplace", positions: "Positions", history: "History" };
const RENDERERS: Record<Page, (root: HTMLElement, instrument: Instrument) => Promise<void>> = {
  account: accountPage,
  create: createPage,
  market: marketPage,
  positions: positionsPage,
  history: historyPage,
};

function route(): { instrument?: Instrument; page?: Page; settings?: boolean } {
  const [instrument, page] = location.hash.replace(/^#\/?/, "").split("/");
  if (instrument === "settings") return { settings: true };
  if ((INSTRUMENTS as readonly string[]).includes(instrument))
    return { instrument: instrument as Instrument, page: (PAGES as readonly string[]).includes(page) ? (page as Page) : "account" };
  return {};
}

function renderNav(): void {
  const { instrument, page } = route();
  const link = (href: string, text: string, active: boolean, id: string) =>
    `<a href="${href}" data-testid="nav-${id}"${active ? ' class="active"' : ""}>${text}</a>`;
  document.getElementById("nav")!.innerHTML =
    `<div>${link("#/", "Dashboard", !instrument && !route().settings, "dashboard")}${INSTRUMENTS.map((i) => link(`#/${i}/${page ?? "account"}`, TITLES[i], i === instrument, i)).join("")}${link("#/settings", "Settings", Boolean(route().settings), "settings")}</div>` +
    (instrument ? `<div>${PAGES.map((p) => link(`#/${instrument}/${p}`, PAGE_TITLES[p], p === page, `${instrument}-${p}`)).join("")}</div>` : "");
}

function renderWallet(): void {
  const record = connection.record;
  const box = document.getElementById("wallet")!;
  box.innerHTML = !wallet.provider
    ? "<span>No browser wallet found: install one to send transactions.</span>"
    : wallet.account
      ? `<span>${escapeHtml(wallet.name ?? "")}</span> <code data-testid="account" title="${wallet.account}">${wallet.account}</code>`
      : '<button data-testid="connect">Connect wallet</button>';
  const banner = document.getElementById("banner")!;
  const wrong = wallet.account && wallet.chainId !== undefined && wallet.chainId !== record.chainId;
  banner.innerHTML = wrong
    ? `<div data-testid="wrong-network" class="warning">Your wallet is on chain ${wallet.chainId}; this deployment is on chain ${record.chainId} (${escapeHtml(record.network)}). <button data-testid="switch-network">Switch network</button></div>`
    : "";
}

let rendering = 0;
async function render(): Promise<void> {
  const ticket = ++rendering;
  renderNav();
  renderWallet();
  const main = document.getElementById("main")!;
  const { instrument, page, settings } = route();
  const holder = document.createElement("section");
  try {
    if (settings) await settingsPage(holder);
    else if (instrument && page) await RENDERERS[page](holder, instrument);
    else await dashboardPage(holder);
  } catch (error) {
    holder.innerHTML = `<p class="warning" data-testid="page-error">This page could not be read: ${escapeHtml(error instanceof Error ? error.message : String(error))}</p>`;
  }
  if (ticket === rendering) main.replaceChildren(holder);
}

async function start(): Promise<void> {
  document.body.addEventListener("click", (event) => {
    const target = (event.target as HTMLElement).closest<HTMLElement>("[data-testid]");
    const id = target?.dataset.testid;
    const failed = (error: unknown) => {
      document.getElementById("banner")!.innerHTML = `<div class="warning">${escapeHtml(String((error as Error)?.message ?? error))}</div>`;
    };
    if (id === "connect") connect().catch(failed);
    if (id === "switch-network") {
      const record = connection.record;
      switchChain(record.chainId, record.network, readEndpoint(record.chainId)).catch(failed);
    }
  });
  try {
    const record = await loadDeployment();
    await discoverWallet();
    connectChain(record);
  } catch (error) {
    document.getElementById("main")!.innerHTML = `<p class="warning" data-testid="page-error">${escapeHtml(String((error as Error).message))}</p>`;
    return;
  }
  document.getElementById("network")!.textContent = `${connection.record.network} (chain ${connection.record.chainId})`;
  window.addEventListener("hashchange", () => void render());
  onWalletChange(() => void render());
  onTransaction(() => void render());
  await render();
}

void start();
