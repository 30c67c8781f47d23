// Money: the team's SLA credits to claim and invoice findings (GET /findings, every page), money at
// stake first: the API's one total at stake (GET /findings/total), then each finding with its amount
// and currency, its contract, its arithmetic, the clause it came from, its status and the actions on
// its claim.
import { api, ApiError, el, failed, header, pages, status } from "./app.js";
import { byMoneyAtStake, findingRow, isOpen, totals } from "./findings.js";

// the API's largest page
const LIMIT = 100;

async function kinds() {
  // the kinds the API lists, from its own OpenAPI document
  try {
    const document_ = await api("/openapi.json");
    const values = document_.components.schemas.FindingView?.properties?.kind?.enum || [];
    document.getElementById("kind").append(...values.map((v) => el("option", { value: v }, v)));
  } catch {
    // the filter stays "any"
  }
}

// each finding's contract (its name, time zone and claim obligations, with what the caller may do)
async function contractsOf(findings) {
  const found = new Map();
  await Promise.all([...new Set(findings.map((f) => f.contract_id))].map(async (id) => {
    try {
      found.set(id, await api(`/contracts/${encodeURIComponent(id)}`));
    } catch (error) {
      // a contract deleted since keeps its findings, listed under its id; any other refusal is said
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      found.set(id, null);
    }
  }));
  return found;
}

// the team's one total at stake (GET /findings/total, over all its findings of the kind shown): each
// page's total_at_stake is not added up here, since one invoice line's findings on two pages would
// count twice
function showTotal(total) {
  const box = document.getElementById("at-stake");
  box.textContent = `Money at stake: ${totals(total.total_at_stake) || "none"}`;
  box.title = `over all ${total.findings} finding(s)${total.kind ? ` of kind ${total.kind}` : ""}`;
  box.hidden = false;
}

async function load() {
  status("Loading ...");
  document.body.dataset.loaded = "";
  const body = document.querySelector("#findings tbody");
  const empty = document.getElementById("empty");
  try {
    const params = new URLSearchParams({ limit: String(LIMIT) });
    const kind = document.getElementById("kind").value;
    if (kind) params.set("kind", kind);
    const [answers, total] = await Promise.all([pages(`/findings?${params}`),
      api(`/findings/total${kind ? `?${new URLSearchParams({ kind })}` : ""}`)]);
    const findings = answers.flatMap((a) => a.items);
    const contracts = await contractsOf(findings);
    const openOnly = document.getElementById("show").value === "open";
    const shown = byMoneyAtStake(findings).filter((f) => !openOnly || isOpen(f, contracts.get(f.contract_id)));
    body.replaceChildren(...shown.map((f) => findingRow(f, contracts.get(f.contract_id))));
    showTotal(total);
    empty.hidden = shown.length > 0;
    empty.textContent = kind && findings.length === 0 ? `No ${kind} findings.`
      : findings.length === 0 ? "No money findings yet: they come from SLA metrics and invoices sent for a contract "
        + "(from its page's Money section, POST /contracts/{id}/metrics or /invoices, or the contract's metrics/ and "
        + "invoices/ folders)."
      : `Nothing open: all ${findings.length} finding(s) are settled, withdrawn or told with nothing to claim `
        + "(show all to see them).";
    status(`${shown.length} finding(s)${openOnly ? ` open of ${findings.length}` : ""}.`);
    document.body.dataset.loaded = "money";
  } catch (error) {
    // nothing half shown: no stale rows or total beside the error
    body.replaceChildren();
    document.getElementById("at-stake").hidden = true;
    empty.hidden = true;
    failed(error);
  }
}

header("money.html");
const params = new URLSearchParams(location.search);
if (params.get("show")) document.getElementById("show").value = params.get("show");
document.getElementById("filters").addEventListener("submit", (event) => {
  event.preventDefault();
  load();
});
document.getElementById("show").addEventListener("change", load);
kinds().then(() => {
  if (params.get("kind")) document.getElementById("kind").value = params.get("kind");
  load();
});
