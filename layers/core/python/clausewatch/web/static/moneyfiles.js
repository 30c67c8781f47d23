// Sending a contract's SLA metrics and invoices, from its page's Money section or from the Money page
// once a contract is picked there (one module, both pages; POST
// /contracts/{id}/metrics and /invoices with the API's MoneyFileRequest: the file's name and its
// text), offered when the contract's caller_may lists send_money_files (an editor or admin, on a
// contract whose terms are known; a viewer sees no control). The file is read here as UTF-8 text;
// one that is empty, not UTF-8, or over the API's limit (MoneyFileRequest's content maxLength, from
// the API's own OpenAPI document, in characters) is not sent, and the line says why. Accepted (202),
// the file is in the bucket and the money λ reads it through its queue (deployed: seconds; locally
// `clausewatch serve` delivers it within a second or two): the page follows the contract's audit
// trail for the λ's line on the file's key, then shows the contract and its Money section anew and
// says what the λ found, or that it refused the file and why. Not read within 30 s, the line says the
// check is still running and a "Check again" button follows it for another 30 s (never a tight poll).
import { ApiError, all, api, busy, el, status } from "./app.js";
import { money } from "./findings.js";

const POLLS_MS = [1000, 1000, 2000, 2000, 4000, 4000, 8000, 8000]; // 30 s in all, more often at first
const GIVE_UP_MS = 30 * 1000;
const WHERE = "money-send-status"; // the section's own status line, beside its controls
// what the money λ writes in the trail once it has read a file (pipeline/money.py), by the file's key
const READ = new Set(["metrics.recorded", "metrics.refused", "invoice.recorded", "invoice.refused",
  "invoice.unchanged", "credit_note.recorded"]);

export const KINDS = {
  metrics: { route: "metrics", what: "SLA metrics file", form: "send-metrics" },
  invoice: { route: "invoices", what: "invoice or credit note", form: "send-invoice" },
};

let openapi = null; // the API's OpenAPI document, asked once

// the most characters the API takes in one file (null when its document cannot be read: the API
// then says so itself, with a 400)
async function maxCharacters() {
  openapi = openapi || api("/openapi.json").catch(() => null);
  const document_ = await openapi;
  return document_?.components?.schemas?.MoneyFileRequest?.properties?.content?.maxLength ?? null;
}

function count(n) {
  return n.toLocaleString("en-US");
}

// the file's text, or a refusal ({ refused: why }) when it will not be sent
async function readText(file) {
  const limit = await maxCharacters();
  // a character is at most 4 bytes of UTF-8: a larger file is over the limit, and is not read
  if (limit !== null && file.size > 4 * limit) {
    return { refused: `${file.name} not sent: ${count(file.size)} bytes is over the ${count(limit)} characters `
      + "the API takes in one file; split it (one file per month or per invoice)" };
  }
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    return { refused: `${file.name} not sent: it is not UTF-8 text (save it as UTF-8 and choose it again)` };
  }
  if (!text.trim()) return { refused: `${file.name} not sent: the file is empty` };
  let characters = 0;
  for (const _ of text) characters += 1; // code points, as the API counts them
  if (limit !== null && characters > limit) {
    return { refused: `${file.name} not sent: ${count(characters)} characters is over the ${count(limit)} `
      + "the API takes in one file; split it (one file per month or per invoice)" };
  }
  return { text };
}

// the lines the money λ wrote in the contract's trail, by the key of the file it read; with `since`
// (when the API stored the file), the lines at or after it only, so following a file reads the few
// new lines, not the whole trail each time
async function readLines(contractId, since = null) {
  const query = since ? `&since=${encodeURIComponent(since)}` : "";
  const trail = await all(`/contracts/${encodeURIComponent(contractId)}/audit?limit=100${query}`);
  const byKey = new Map();
  for (const line of trail.filter((l) => READ.has(l.action) && l.detail && l.detail.key)) {
    byKey.set(line.detail.key, [...(byKey.get(line.detail.key) || []), line]);
  }
  return byKey;
}

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

// what the λ did with the file, in words, and whether it refused it
export function outcome(fileName, line) {
  const d = line.detail;
  if (line.action.endsWith(".refused")) {
    return { text: `${fileName} was refused when it was read, and nothing of it was applied: ${d.reason}`,
      refused: true };
  }
  if (line.action === "metrics.recorded") {
    const withdrawn = d.withdrawn ? `; ${plural(d.withdrawn, "earlier breach", "earlier breaches")} withdrawn` : "";
    const breaches = d.breaches ? plural(d.breaches, "breach", "breaches") + " of the service level"
      : "no breach of the service level";
    return { text: `${fileName} read: ${plural(d.measurements, "measurement", "measurements")}, ${breaches}`
      + `${withdrawn}. The Money section below shows what it found.`, refused: false };
  }
  const total = money({ amount: String(d.total), currency: d.currency });
  if (line.action === "invoice.unchanged") {
    const document_ = d.document === "credit_note" ? "credit note" : "invoice";
    return { text: `${fileName} read: ${document_} ${d.number} of ${total} is the one already received from this `
      + "file, unchanged: nothing is checked or counted twice.", refused: false };
  }
  if (line.action === "credit_note.recorded") {
    return { text: `${fileName} read: credit note ${d.number} of ${total}: ${d.derivation}`, refused: false };
  }
  const found = d.findings && d.findings.length ? `${plural(d.findings.length, "finding", "findings")} `
    + `(${d.findings.join(", ")})` : "no finding";
  return { text: `${fileName} read: invoice ${d.number} of ${total} checked, ${found}. `
    + "The Money section below shows it.", refused: false };
}

// the "Check again" button beside the section's status line (none: removed)
function checkAgain(onClick) {
  document.getElementById("money-send-again")?.remove();
  if (!onClick) return;
  const button = el("button", { type: "button", id: "money-send-again" }, "Check again");
  button.addEventListener("click", async () => {
    button.disabled = true;
    await onClick();
  });
  document.getElementById(WHERE).after(button);
}

// after the 202: wait for the λ's line on `key` (one more than the `before` lines on it at or after
// `since`), show the contract anew (`onRead`) and say what it found; not read in GIVE_UP_MS: say the
// check is still running, with a button to follow it again (the same schedule: no tight polling)
async function follow(contractId, fileName, key, since, before, onRead) {
  const started = Date.now();
  checkAgain(null);
  try {
    for (const wait of POLLS_MS) {
      if (Date.now() - started >= GIVE_UP_MS) break;
      await new Promise((resolve) => setTimeout(resolve, wait));
      const lines = (await readLines(contractId, since)).get(key) || [];
      if (lines.length > before) {
        await onRead();
        const said = outcome(fileName, lines[lines.length - 1]);
        status(said.text, said.refused ? "error" : "info", WHERE);
        return;
      }
    }
    status(`Received ${fileName} (stored as ${key}): it is still being checked (not read after `
      + `${GIVE_UP_MS / 1000} s). What it shows appears here once it has been read: Check again to follow it.`,
    "info", WHERE);
    checkAgain(async () => {
      status(`Checking ${fileName} again ...`, "info", WHERE);
      await follow(contractId, fileName, key, since, before, onRead);
    });
  } catch (error) {
    // the file was received: "nothing was changed" (the API's unreachable words) would be wrong here
    const why = error instanceof ApiError && error.status ? `${error.status}: ${error.message}` : "the API cannot be reached";
    status(`Received ${fileName} (stored as ${key}), but the page cannot follow it (${why}): reload the page `
      + "in a while to see what it shows.", "error", WHERE);
  }
}

// send the file chosen in `kind`'s form for the contract `contractId()` names (null: none picked yet);
// `onRead` shows the contract anew
async function send(kind, contractId, onRead) {
  const { route, what, form: formId } = KINDS[kind];
  const form = document.getElementById(formId);
  const input = form.querySelector("input[type=file]");
  const button = form.querySelector("button[type=submit]");
  const file = input.files[0];
  const id = contractId();
  if (!id) {
    status(`Choose the contract to send the ${what} for first.`, "error", WHERE);
    return;
  }
  if (!file) {
    status(`Choose the ${what} to send first.`, "error", WHERE);
    input.focus();
    return;
  }
  await busy([button], async () => {
    status(`Reading ${file.name} ...`, "info", WHERE);
    const read = await readText(file);
    if (read.refused) {
      status(read.refused, "error", WHERE);
      return;
    }
    // the λ's lines already there (a file of the same name sent before): the next one on its key is this file's
    const before = await readLines(id);
    status(`Sending ${file.name} ...`, "info", WHERE);
    const accepted = await api(`/contracts/${encodeURIComponent(id)}/${route}`,
      { method: "POST", json: { file_name: file.name, content: read.text } });
    input.value = "";
    // the λ's line on it is at or after the time the API stored it (the same clock's); lines on the
    // key already there at or after that instant (a file of the same name just sent) are counted first
    const since = accepted.received_at || null;
    const earlier = (before.get(accepted.key) || []).filter((line) => !since || line.at >= since).length;
    status(`Received ${file.name} (stored as ${accepted.key}): it is being read; what it shows will appear in `
      + "this section ...", "info", WHERE);
    await follow(id, file.name, accepted.key, since, earlier, () => onRead(id));
  }, WHERE);
  // the focus back on the button, unless the person moved on to another control meanwhile (a click on
  // the disabled button, a double-click's second, puts it on <main>)
  const active = document.activeElement;
  if (!active || active === button || !active.matches("input, select, textarea, button, a[href]")) button.focus();
}

// the two forms (SLA metrics; an invoice or credit note) and the section's status line, in `box`
function controls(box) {
  if (box.querySelector("form")) return;
  const form = (id, label, inputId, accept, button) => el("form", { id, class: "controls send-money", novalidate: true },
    el("label", { for: inputId }, label,
      el("input", { id: inputId, name: inputId, type: "file", accept })),
    el("button", { id: `${id}-button`, type: "submit" }, button));
  box.append(
    el("h3", { id: "money-send-title" }, "Send SLA metrics or an invoice"),
    form("send-metrics", "SLA metrics: CSV (period,metric,value), JSON or OpenMetrics", "metrics-file",
      ".csv,.json,.prom,.txt,.om,.metrics", "Send SLA metrics"),
    form("send-invoice", "An invoice or credit note: UBL 2.1 (Peppol) XML, CSV or JSON", "invoice-file",
      ".xml,.csv,.json", "Send an invoice"),
    el("p", { id: WHERE, class: "status", role: "status", "aria-live": "polite" }));
}

// the controls in #money-send, wired once: each file goes to the contract `contractId()` names then
// (the Money page's picked one may change), `onRead(id)` shows what the λ found
export function sendingControls(contractId, onRead) {
  const box = document.getElementById("money-send");
  controls(box);
  if (box.dataset.wired) return box;
  box.dataset.wired = "true";
  for (const kind of Object.keys(KINDS)) {
    document.getElementById(KINDS[kind].form).addEventListener("submit", (event) => {
      event.preventDefault();
      send(kind, contractId, onRead);
    });
  }
  return box;
}

// the contract page: the controls when the caller may send for this contract (caller_may)
export function moneyFiles(contract, onRead) {
  const box = document.getElementById("money-send");
  box.hidden = !(contract.caller_may || []).includes("send_money_files");
  if (!box.hidden) sendingControls(() => contract.id, () => onRead());
}
