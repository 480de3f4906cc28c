// Settings: the read endpoint (saved per network; `?rpc=` still wins) and the deployment in use.
import { connection } from "../chain";
import { networkId, readEndpoint, settings } from "../config";
import { onAction, value } from "../dom";
import { escapeHtml } from "../format";

export function settingsPage(root: HTMLElement): Promise<void> {
  const record = connection.record;
  root.innerHTML = `
    <h2>Settings</h2>
    <p>Deployment <code>deployments/${escapeHtml(networkId)}.json</code> (pick another with <code>?network=</code>): chain id ${record.chainId}.</p>
    <p>Reading from: <code data-testid="read-endpoint">${escapeHtml(readEndpoint(record.chainId) ?? "the wallet's provider")}</code></p>
    <form class="row"><label>Read endpoint (JSON-RPC URL; empty: default) <input data-testid="field-rpc" size="40" value="${escapeHtml(settings.get("rpc") ?? "")}"></label>
    <button data-testid="submit" data-action="save">Save and reload</button></form>
    <p data-testid="notice" class="notice"></p>`;
  onAction(root, () => {
    const rpc = value("field-rpc", root).trim();
    if (rpc && !/^https?:\/\//.test(rpc)) return Promise.reject(new Error("The read endpoint is an http(s) URL."));
    settings.set("rpc", rpc);
    location.reload();
    return Promise.resolve();
  });
  return Promise.resolve();
}
