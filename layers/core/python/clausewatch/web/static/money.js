// Money: the team's SLA credits to claim and invoice findings (GET /findings, every page), money at
// stake first: the API's one total at stake (GET /findings/total), then each finding with its amount
// and currency, its contract, its arithmetic, the clause it came from, its status and the actions on
// its claim. A contract picked above (the team's contracts with known terms, searched by title or
// counterparty: GET /findings/contracts) gets SLA metrics and invoices sent from here, with the
// contract page's own code (moneyfiles.js), and the table then shows that contract's findings.
import { api, ApiError, contractLink, el, failed, header, pages, status } from "./app.js";
import { byMoneyAtStake, findingRow, isOpen, totals } from "./findings.js";
import { sendingControls } from "./moneyfiles.js";

// the contract picked to send for ({ id, title }), null: the team's findings are shown
let picked = null;
const CHOICES = 20; // contracts offered at once (the next ones with "More")

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

// the findings shown: the picked contract's (its one page, the API's total at stake for it), else
// the team's (every page, of the kind chosen, and the team's one total)
async function findingsShown(kind) {
  if (picked) {
    const found = await api(`/contracts/${encodeURIComponent(picked.id)}/findings`);
    const items = found.items.filter((f) => !kind || f.kind === kind);
    return [items, { total_at_stake: found.total_at_stake, findings: found.items.length, kind: null }];
  }
  const params = new URLSearchParams({ limit: String(LIMIT) });
  if (kind) params.set("kind", kind);
  const [answers, total] = await Promise.all([pages(`/findings?${params}`), teamTotal(kind)]);
  return [answers.flatMap((a) => a.items), total];
}

function teamTotal(kind) {
  return api(`/findings/total${kind ? `?${new URLSearchParams({ kind })}` : ""}`);
}

// a claim changed on a row (the row shows it, with what is at stake on it now): the total follows, the
// API's (a claim waived is at stake no more), the rows and the status saying what was done stay
let recounts = 0; // the latest recount's number: an earlier one answering after it is not shown

async function recount() {
  const mine = ++recounts;
  try {
    const kind = document.getElementById("kind").value;
    const total = picked ? (await findingsShown(kind))[1] : await teamTotal(kind);
    if (mine === recounts) showTotal(total);
  } catch (error) {
    document.getElementById("at-stake").hidden = true;
    failed(error);
  }
}

async function load() {
  status("Loading ...");
  document.body.dataset.loaded = "";
  const body = document.querySelector("#findings tbody");
  const empty = document.getElementById("empty");
  try {
    const kind = document.getElementById("kind").value;
    const [findings, total] = await findingsShown(kind);
    const contracts = await contractsOf(findings);
    const openOnly = document.getElementById("show").value === "open";
    const shown = byMoneyAtStake(findings).filter((f) => !openOnly || isOpen(f, contracts.get(f.contract_id)));
    body.replaceChildren(...shown.map((f) => findingRow(f, contracts.get(f.contract_id), { onChanged: recount })));
    showTotal(total);
    empty.hidden = shown.length > 0;
    empty.textContent = kind && findings.length === 0 ? `No ${kind} findings.`
      : findings.length === 0 ? "No money findings yet: they come from SLA metrics and invoices sent for a contract "
        + "(from its page's Money section, POST /contracts/{id}/metrics or /invoices, or the contract's metrics/ and "
        + "invoices/ folders)."
      : `Nothing open: all ${findings.length} finding(s) are settled, withdrawn or told with nothing to claim `
        + "(show all to see them).";
    const of = picked ? ` for ${picked.title}` : "";
    status(`${shown.length} finding(s)${openOnly ? ` open of ${findings.length}` : ""}${of}.`);
    document.body.dataset.loaded = "money";
  } catch (error) {
    // nothing half shown: no stale rows or total beside the error
    body.replaceChildren();
    document.getElementById("at-stake").hidden = true;
    empty.hidden = true;
    failed(error);
  }
}

// --- the contract to send for --------------------------------------------------------------------

function choice(contract) {
  const name = `${contract.title || contract.file_name}${contract.counterparty ? ` (${contract.counterparty})` : ""}`;
  const why = contract.refused || (contract.caller_may_send ? null
    : "an editor or admin sends SLA metrics and invoices");
  const button = el("button", { type: "button", class: "choice", disabled: !contract.caller_may_send,
    "aria-describedby": why ? `why-${contract.id}` : null, dataset: { id: contract.id } }, name);
  button.addEventListener("click", () => pick({ id: contract.id, title: contract.title || contract.file_name }));
  return el("li", {}, button, why ? el("span", { id: `why-${contract.id}`, class: "muted" }, ` ${why}`) : null);
}

// the team's contracts whose title or counterparty holds the search, CHOICES at a time
async function findContracts(cursor = null) {
  const list = document.getElementById("contract-choices");
  const q = document.getElementById("contract-search").value.trim();
  const params = new URLSearchParams({ limit: String(CHOICES) });
  if (q) params.set("q", q);
  if (cursor) params.set("cursor", cursor);
  status("Finding contracts ...", "info", "pick-status");
  try {
    const found = await api(`/findings/contracts?${params}`);
    const more = found.next_cursor ? el("li", {}, el("button", { type: "button", id: "contract-more",
      onclick: (event) => { event.target.closest("li").remove(); findContracts(found.next_cursor); } }, "More"))
      : null;
    if (!cursor) list.replaceChildren();
    list.append(...found.items.map(choice), ...(more ? [more] : []));
    const shown = list.querySelectorAll("button.choice").length;
    status(shown ? `${shown} contract(s)${q ? ` matching "${q}"` : ""}: choose one to send its SLA metrics or an `
      + "invoice." : `No contract with known terms${q ? ` matches "${q}"` : " yet"}.`, "info", "pick-status");
    document.body.dataset.contracts = "loaded";
  } catch (error) {
    if (!cursor) list.replaceChildren();
    failed(error, "pick-status");
  }
}

// a contract picked: its sending controls, and its findings in the table
function pick(contract) {
  picked = contract;
  const line = document.getElementById("picked");
  line.replaceChildren("Sending for ", contractLink(contract.id, contract.title), ": its findings are shown below. ",
    el("button", { type: "button", id: "unpick", onclick: unpick }, "Show the team's findings"));
  line.hidden = false;
  document.getElementById("contract-choices").replaceChildren();
  status("", "info", "pick-status");
  sendingControls(() => picked?.id ?? null, () => load()).hidden = false;
  document.getElementById("send-metrics-button").focus();
  load();
}

function unpick() {
  picked = null;
  document.getElementById("picked").hidden = true;
  document.getElementById("money-send").hidden = true;
  findContracts();
  load();
}

let typing = null;
document.getElementById("pick").addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(typing);
  findContracts();
});
document.getElementById("contract-search").addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(() => findContracts(), 400); // after typing pauses, not on each key
});

header("money.html");
findContracts();
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
