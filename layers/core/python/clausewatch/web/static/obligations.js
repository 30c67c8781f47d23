// Obligations: due this week / this month / overdue, filtered by owner and kind; complete (with a
// note and a proof file), acknowledge, waive (with a reason), reassign: each a button that calls the
// API and updates the row with the obligation the API returns.
import { api, all, busy, contractLink, day, el, failed, header, segment, sendFile, status } from "./app.js";

// "this week" and "this month" count days as the API does: in each contract's time zone, from the
// server's today (days_left), overdue ones included
const WINDOW_DAYS = { week: 7, month: 31 };

const zones = new Map(); // contract id -> time zone, from the rows read

function query() {
  const windowed = document.getElementById("window").value;
  const params = new URLSearchParams({ status: windowed === "overdue" ? "overdue" : "open" });
  const owner = document.getElementById("owner").value.trim();
  if (owner) params.set("owner", owner);
  const kind = document.getElementById("kind").value;
  if (kind) params.set("kind", kind);
  return `/obligations?${params}`;
}

function path(item, action) {
  return `/contracts/${encodeURIComponent(item.contract_id)}/obligations/${segment(item.id)}/${action}`;
}

// one dialog for every action that needs a value; resolves to the value, or null when cancelled
// (with `file`, it also offers a file input: read it from #action-file once resolved)
function ask(title, label, { required = false, type = "text", file = false } = {}) {
  const dialog = document.getElementById("action-dialog");
  const input = document.getElementById("action-input");
  document.getElementById("action-title").textContent = title;
  document.getElementById("action-label").textContent = label;
  input.value = "";
  input.type = type;
  input.required = required;
  document.getElementById("action-file").value = "";
  document.getElementById("action-file-label").hidden = !file;
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok" ? input.value.trim() : null),
      { once: true });
    dialog.showModal();
    input.focus();
  });
}

// what an action asks for (null: cancelled) and the request it then sends
async function request(item, action) {
  if (action === "complete") {
    const note = await ask(`Complete: ${item.summary}`, "Note (optional)", { file: true });
    if (note === null) return null;
    const file = document.getElementById("action-file").files[0];
    return () => complete(item, note, file);
  }
  if (action === "acknowledge") return () => api(path(item, "acknowledge"), { method: "POST" });
  if (action === "waive") {
    const reason = await ask(`Waive: ${item.summary}`, "Reason", { required: true });
    return reason ? () => api(path(item, "waive"), { method: "POST", json: { reason } }) : null;
  }
  const owner = await ask(`Reassign: ${item.summary}`, "New owner (email)", { required: true, type: "email" });
  return owner ? () => api(path(item, "owner"), { method: "PUT", json: { owner } }) : null;
}

// the row's buttons are disabled from the click to the answer (a double-click sends one request);
// the row is replaced by the obligation the API returns and keeps the focus; a refusal leaves the
// row as it was and says why
async function act(item, tr, action, pressed) {
  const buttons = [...tr.querySelectorAll("button")];
  if (buttons.some((b) => b.disabled)) return;
  buttons.forEach((b) => { b.disabled = true; });
  let send = null;
  try {
    send = await request(item, action);
  } catch (error) {
    failed(error); // the dialog itself failed: nothing was sent
  } finally {
    if (!send) buttons.forEach((b) => { b.disabled = false; });
  }
  if (!send) {
    pressed.focus();
    return;
  }
  const updated = await busy([], send);
  if (!updated) {
    buttons.forEach((b) => { b.disabled = false; });
    pressed.focus();
    return;
  }
  const replacement = row(updated);
  tr.replaceWith(replacement);
  (replacement.querySelector("button") || replacement.querySelector("a")).focus();
  status(`${action}: ${updated.summary} is now ${updated.status}${updated.owner ? `, owner ${updated.owner}` : ""}.`);
}

// a proof file goes to the contract's evidence folder through a presigned POST; the API then
// checks the object is there when it completes the obligation with its key
async function complete(item, note, file) {
  const json = note ? { note } : {};
  if (file) {
    status(`Uploading ${file.name} ...`);
    const post = await api(`/contracts/${encodeURIComponent(item.contract_id)}/evidence-uploads`, {
      method: "POST", json: { file_name: file.name, content_type: file.type || "application/octet-stream" } });
    // S3's refusal is not readable here (no-cors): say what it would refuse before sending
    if (file.size < 1 || file.size > post.max_bytes) {
      throw new Error(`${file.name} is ${file.size} bytes: a proof file must be 1 byte to ${post.max_bytes} bytes`);
    }
    // whether the file arrived, the API tells by refusing a key with no object
    await sendFile(post, file);
    json.evidence_key = post.key;
  }
  return api(path(item, "complete"), { method: "POST", json });
}

function resolution(item) {
  const proof = item.evidence_key ? `proof: ${item.evidence_key.split("/").pop()}` : "";
  return [item.resolution_note || "", proof].filter(Boolean).join(" · ");
}

// the buttons the caller's role may press (the API's caller_may: none for a viewer)
const LABELS = { complete: "Complete", acknowledge: "Acknowledge", waive: "Waive", reassign: "Reassign" };
function actions(item, button) {
  const may = Object.keys(LABELS).filter((action) => (item.caller_may || []).includes(action));
  return may.flatMap((action, i) => (i ? [" ", button(action, LABELS[action])] : [button(action, LABELS[action])]));
}

// acknowledged for the day it is due; an acknowledgement a calendar change carried to a recurring
// period's new day names the day it was given for (the API's acknowledged_for_day), with its zone
// as the page's other days
function acknowledgement(item, zone) {
  if (!item.acknowledged) return "";
  const given = item.acknowledged_for_day;
  return given && given !== item.due ? ` (acknowledged for ${day(given, zone)})` : " (acknowledged)";
}

function row(item) {
  const zone = zones.get(item.contract_id) || "UTC";
  const open = item.status === "open" || item.status === "overdue";
  const tr = el("tr", { class: item.status === "overdue" ? "overdue" : open ? null : "done",
    dataset: { obligation: item.id, contract: item.contract_id, status: item.status } });
  const button = (action, label) => el("button", { type: "button", class: `act-${action}`,
    "aria-label": `${label}: ${item.summary}`, onclick: (event) => act(item, tr, action, event.currentTarget) }, label);
  tr.append(
    el("td", { class: "due" }, day(item.due, zone)),
    el("td", {}, item.days_left === null ? "-" : String(item.days_left)),
    el("td", {}, item.summary, item.derivation ? el("div", { class: "derivation" }, item.derivation) : null),
    el("td", {}, item.kind),
    el("td", {}, contractLink(item.contract_id, item.contract_title || item.contract_id)),
    el("td", { class: "owner" }, item.owner || "unowned"),
    el("td", { class: "state" }, item.status, acknowledgement(item, zone)),
    el("td", {}, open ? actions(item, button) : el("span", { class: "resolution" }, resolution(item))));
  return tr;
}

async function kinds() {
  // the kinds the API accepts, from its own OpenAPI document
  try {
    const document_ = await api("/openapi.json");
    const values = document_.components.schemas.ObligationKind?.enum || [];
    const select = document.getElementById("kind");
    select.append(...values.map((v) => el("option", { value: v }, v)));
  } catch {
    // the filter stays "any"
  }
}

async function load() {
  status("Loading ...");
  try {
    const limit = WINDOW_DAYS[document.getElementById("window").value];
    // an expiration gone by is no one's to do (the API says "expired", never "overdue"): not in the
    // windows of what comes up, still listed (as expired) when no window is chosen
    const items = (await all(query())).filter((i) => limit === undefined
      || (i.status !== "expired" && (i.days_left ?? 0) <= limit));
    const contractIds = [...new Set(items.map((i) => i.contract_id))].filter((id) => !zones.has(id));
    await Promise.all(contractIds.map(async (id) => {
      zones.set(id, (await api(`/contracts/${encodeURIComponent(id)}`)).time_zone);
    }));
    document.querySelector("#obligations tbody").replaceChildren(...items.map(row));
    status(`${items.length} obligation(s).`);
    document.body.dataset.loaded = "obligations";
  } catch (error) {
    failed(error);
  }
}

header("obligations.html");
const params = new URLSearchParams(location.search);
for (const name of ["window", "owner", "kind"]) {
  if (params.get(name)) document.getElementById(name).value = params.get(name);
}
// Enter in the owner field shows the list, as the Show button does
document.getElementById("filters").addEventListener("submit", (event) => {
  event.preventDefault();
  load();
});
document.getElementById("window").addEventListener("change", load);
kinds().then(() => {
  if (params.get("kind")) document.getElementById("kind").value = params.get("kind");
  load();
});
