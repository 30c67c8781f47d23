// Contract: every term with its value, quoted clause, page and arithmetic (and its lineage); the
// obligations; its money (findings, invoices and credit notes, and for an editor SLA metrics and
// invoices to send: moneyfiles.js); the documents; the audit trail; and the original PDF beside them (pdf.js) with the
// selected quote highlighted on its page from the stored text's geometry (GET .../evidence).
import * as pdfjs from "./vendor/pdfjs/pdf.min.mjs";
import { api, all, busy, contractLink, day, el, enterPresses, failed, header, param, segment, status, wrappable } from "./app.js";
import { conditionalTerms, eventRow } from "./events.js";
import { byMoneyAtStake, findingRow, focusRow, invoiceRow, totals } from "./findings.js";
import { moneyFiles } from "./moneyfiles.js";

pdfjs.GlobalWorkerOptions.workerSrc = new URL("./vendor/pdfjs/pdf.worker.min.mjs", import.meta.url).href;

const id = param("id");
const PREFERRED = ["notice_deadline", "expiration_date", "renewal_term", "effective_date"];
const viewer = { documentId: null, pdf: null, page: 1, boxes: [], quote: "", evidencePage: null, token: 0 };
const pdfs = new Map(); // document (contract) id -> loaded pdf.js document

// a long quote is shortened in the table (in full in its tooltip and above the page)
function shorten(text, size = 100) {
  return text.length > size ? `${text.slice(0, size)}…` : text;
}

function show(value) {
  if (value === null || value === undefined) return "-";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.map(show).join(", ");
  if (typeof value === "object") {
    // a structured term (fees, service credit tiers, response times): its fields, evidence left out
    return Object.entries(value)
      .filter(([key, v]) => !key.endsWith("evidence") && v !== null && v !== undefined)
      .map(([key, v]) => `${key.replace(/_/g, " ")}: ${show(v)}`)
      .join("; ");
  }
  return String(value);
}

async function loadPdf(documentId) {
  if (!pdfs.has(documentId)) {
    const response = await api(`/contracts/${encodeURIComponent(documentId)}/original.pdf`, { raw: true, accept: "application/pdf" });
    const data = new Uint8Array(await response.arrayBuffer());
    pdfs.set(documentId, await pdfjs.getDocument({ data, isEvalSupported: false, useSystemFonts: true }).promise);
  }
  return pdfs.get(documentId);
}

async function render() {
  const token = ++viewer.token;
  const box = document.getElementById("viewer");
  box.dataset.rendered = "false";
  const pdf = viewer.pdf;
  const page = await pdf.getPage(viewer.page);
  const canvas = document.getElementById("page");
  const width = Math.max(320, document.getElementById("viewer").clientWidth - 24);
  const unscaled = page.getViewport({ scale: 1 });
  const viewport = page.getViewport({ scale: width / unscaled.width });
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);
  canvas.style.width = `${Math.floor(viewport.width)}px`;
  canvas.style.height = `${Math.floor(viewport.height)}px`;
  await page.render({ canvas, viewport, transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : null }).promise;
  if (token !== viewer.token) return; // a later render took over
  const holder = document.getElementById("page-box");
  holder.querySelectorAll(".highlight").forEach((node) => node.remove());
  if (viewer.page === viewer.evidencePage) {
    for (const [left, top, w, h] of viewer.boxes) {
      const mark = el("div", { class: "highlight", dataset: { page: String(viewer.page) } });
      mark.style.left = `${left * 100}%`;
      mark.style.top = `${top * 100}%`;
      mark.style.width = `${w * 100}%`;
      mark.style.height = `${h * 100}%`;
      holder.append(mark);
    }
  }
  document.getElementById("page-label").textContent = `Page ${viewer.page} of ${pdf.numPages}`;
  canvas.setAttribute("aria-label", `Page ${viewer.page} of ${pdf.numPages}`
    + (viewer.page === viewer.evidencePage ? `, with the quoted clause highlighted: ${viewer.quote}` : ""));
  box.dataset.page = String(viewer.page);
  box.dataset.document = viewer.documentId;
  box.dataset.rendered = "true";
  const first = holder.querySelector(".highlight");
  if (first) box.scrollTop = holder.offsetTop + first.offsetTop - box.clientHeight / 2; // the viewer only
}

// show an evidence span (of the document `documentId`) highlighted on its page
async function showEvidence(documentId, evidence, label, tr) {
  document.querySelectorAll("tr.selected").forEach((node) => node.classList.remove("selected"));
  if (tr) tr.classList.add("selected");
  try {
    const found = await api(`/contracts/${encodeURIComponent(documentId)}/evidence?page=${evidence.page}`
      + `&start=${evidence.start}&end=${evidence.end}`);
    viewer.documentId = documentId;
    viewer.pdf = await loadPdf(documentId);
    viewer.page = evidence.page;
    viewer.evidencePage = evidence.page;
    viewer.boxes = found.boxes;
    viewer.quote = evidence.text;
    document.getElementById("quote").textContent = `${label}: "${evidence.text}" (page ${evidence.page})`;
    await render();
  } catch (error) {
    failed(error);
  }
}

function evidenceButton(documentId, evidence, label, tr) {
  if (!evidence) return el("span", { class: "muted" }, "-");
  return el("button", { type: "button", class: "show-evidence", "aria-label": `Show ${label} on page ${evidence.page}`,
    onclick: () => showEvidence(documentId, evidence, label, tr()) }, "Show on page");
}

async function history(term, cell) {
  try {
    const found = await api(`/contracts/${encodeURIComponent(id)}/terms/${encodeURIComponent(term.name)}/history`);
    cell.replaceChildren(el("ol", {}, found.versions.map((v) =>
      el("li", {}, `v${v.version}: ${show(v.value)} from ${v.source.file_name} (${v.source.kind}), recorded ${v.recorded_at}`))));
  } catch (error) {
    failed(error);
  }
}

// a value whose clause the finder scored below the contract's review threshold (the API's
// needs_review, from config.REVIEW_CONFIDENCE_BELOW): a visible marker, the confidence in its tooltip
function reviewMarker(term, threshold) {
  if (!term.needs_review) return null;
  const text = `confidence ${term.confidence.toFixed(2)}, below the review threshold ${threshold}: check it against the clause`;
  return el("span", { class: "review", title: text, "aria-label": `Review: ${text}` }, "review");
}

function termRow(term, threshold) {
  let tr;
  const lineage = el("td", { class: "source" }, term.entered_by ? `entered by ${term.entered_by}` : term.source.file_name,
    term.version > 1 || term.source.kind === "amendment"
    ? el("button", { type: "button", class: "history", onclick: () => history(term, lineage) }, "lineage") : null);
  tr = el("tr", { class: term.needs_review ? "needs-review" : null, dataset: { term: term.name } },
    el("th", { scope: "row" }, wrappable(term.name)),
    el("td", { class: "value" }, show(term.value), " ", reviewMarker(term, threshold)),
    el("td", { class: "quote", title: term.evidence ? term.evidence.text : null },
      term.evidence ? `"${shorten(term.evidence.text)}"` : "-"),
    el("td", { class: "page" }, term.evidence ? String(term.evidence.page) : "-"),
    el("td", { class: "derivation" }, term.derivation || "-"),
    lineage,
    el("td", {}, evidenceButton(term.source.contract_id, term.evidence, term.name, () => tr)));
  return tr;
}

const FREQUENCY = { DAILY: "day", WEEKLY: "week", MONTHLY: "month", YEARLY: "year" };
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// how often a recurring duty's rule (an RRULE, as the extractor wrote it) falls, in words: "every
// month", "every quarter" (a yearly rule on months 3 apart), "2 times a year (Jan, Jul)". Only a rule
// falling once a period is put in words (a BYMONTHDAY, an ordinal BYDAY such as 1MO, or a BYDAY
// list picked from by one BYSETPOS: the 5th business day), and a yearly one's BYMONTH months; any
// other part (several BYMONTHDAY or BYDAY values, BYMONTH on a monthly rule, COUNT, UNTIL, BYWEEKNO,
// ...) and the rule is shown as it is, rather than read wrong
export function every(recurrence) {
  const line = String(recurrence).split(/\s+/).find((l) => /^RRULE:/i.test(l)) || String(recurrence);
  const parts = Object.fromEntries(line.replace(/^RRULE:/i, "").toUpperCase().split(";").map((p) => p.split("=")));
  const unit = FREQUENCY[parts.FREQ];
  const interval = Number(parts.INTERVAL || 1);
  if (!unit || !Number.isInteger(interval) || interval < 1) return recurrence;
  const known = ["FREQ", "INTERVAL", "WKST", "BYMONTHDAY", "BYDAY", "BYSETPOS", "BYMONTH"];
  if (Object.keys(parts).some((key) => !known.includes(key))) return recurrence;
  const list = (key) => (parts[key] || "").split(",").filter(Boolean);
  const [days, weekdays, positions] = [list("BYMONTHDAY"), list("BYDAY"), list("BYSETPOS")];
  // one day a period: a BYSETPOS picks one of the days listed; else one BYMONTHDAY or one ordinal
  // BYDAY ("1MO", "-1FR": a plain "MO" is every Monday of a month or year) on a monthly or yearly
  // rule, or one weekday on a weekly one
  const picked = positions.length === 1 && (days.length > 0 || weekdays.length > 0);
  const once = picked || (positions.length === 0 && (
    (days.length === 0 && weekdays.length === 0)
    || (unit === "week" && days.length === 0 && weekdays.length === 1 && /^[A-Z]{2}$/.test(weekdays[0]))
    || ((unit === "month" || unit === "year") && weekdays.length === 0 && days.length === 1)
    || ((unit === "month" || unit === "year") && days.length === 0 && weekdays.length === 1
      && /^[+-]?\d+[A-Z]{2}$/.test(weekdays[0]))));
  if (!once || (unit === "day" && (days.length || weekdays.length))) return recurrence;
  const months = list("BYMONTH").map(Number).sort((a, b) => a - b);
  if (months.length && (unit !== "year" || months.some((m) => !Number.isInteger(m) || m < 1 || m > 12))) {
    return recurrence;
  }
  if (months.length > 1) {
    if (interval !== 1) return recurrence;
    const steps = months.map((m, i) => ((months[(i + 1) % months.length] - m + 12) % 12) || 12);
    const step = steps.every((d) => d === steps[0]) ? steps[0] : null;
    if (step === 3) return "every quarter";
    if (step) return `every ${step} months`;
    return `${months.length} times a year (${months.map((m) => MONTHS[m - 1]).join(", ")})`;
  }
  return interval === 1 ? `every ${unit}` : `every ${interval} ${unit}s`;
}

function obligationRow(item, zone) {
  let tr;
  tr = el("tr", { class: item.status === "overdue" ? "overdue" : item.status === "expired" ? "expired" : null,
    dataset: { obligation: item.id } },
    el("td", { class: "due" }, wrappable(day(item.due, zone))), el("td", {}, item.summary),
    el("td", { class: "kind" }, wrappable(item.kind)),
    el("td", { class: "owner" }, wrappable(item.owner || "unowned")), el("td", { class: "state" }, item.status),
    el("td", { class: "derivation" }, item.derivation || "-"),
    // the clause's page and offsets are in the document it is quoted from (an amendment's, for a
    // deadline an amendment set), not necessarily this contract's PDF
    el("td", {}, evidenceButton(item.evidence ? item.evidence.source.contract_id : item.contract_id,
      item.evidence, item.kind, () => tr)));
  return tr;
}

// the day an obligation was resolved, in the contract's time zone (resolved_at is an instant)
function resolvedDay(item, zone) {
  if (!item.resolved_at) return null;
  const when = new Date(item.resolved_at);
  if (Number.isNaN(when.getTime())) return item.resolved_at;
  return day(new Intl.DateTimeFormat("en-CA", { timeZone: zone || "UTC" }).format(when), zone);
}

// an ended rule in words: "waived by X on <day>: <reason>" (the API's only way to end a duty since
// 2026-12-07), or "marked done by X on <day>" (a rule stored as done before then)
function endedBy(item, zone) {
  const what = item.status === "waived" ? "waived" : item.status === "done" ? "marked done" : item.status;
  const on = item.status === "done" && item.done_on ? day(item.done_on, zone) : resolvedDay(item, zone);
  return `${what}${item.resolved_by ? ` by ${item.resolved_by}` : ""}${on ? ` on ${on}` : ""}`
    + `${item.resolution_note ? `: ${item.resolution_note}` : ""}`;
}

// for a caller the API lets waive a rule (caller_may): Waive, opening a reason and "Waive the duty",
// Cancel; once waived (POST .../waive) the contract is shown anew (`refresh`) with the rule ended;
// a refusal is said beside it and the rule stays as it was
function waiveRule(item, refresh) {
  if (!(item.caller_may || []).includes("waive")) return null;
  const where = `waive-status-${item.id}`;
  const ask = el("button", { type: "button", class: "waive-rule", "aria-label": `Waive the duty: ${item.summary}` },
    "Waive");
  const reason = el("input", { type: "text", autocomplete: "off", placeholder: "why the duty ends",
    "aria-label": `Reason for waiving: ${item.summary}` });
  const sure = el("button", { type: "button", class: "confirm-waive primary" }, "Waive the duty");
  const cancel = el("button", { type: "button", class: "cancel-waive" }, "Cancel");
  const form = el("span", { class: "change", role: "group", "aria-label": `Waive the duty: ${item.summary}`,
    hidden: true }, reason, " ", sure, " ", cancel);
  const note = el("span", { id: where, class: "status", role: "status", "aria-live": "polite" });
  ask.addEventListener("click", () => {
    ask.hidden = true;
    form.hidden = false;
    reason.focus();
  });
  cancel.addEventListener("click", () => {
    form.hidden = true;
    ask.hidden = false;
    reason.value = "";
    note.textContent = "";
    ask.focus();
  });
  sure.addEventListener("click", () => {
    const why = reason.value.trim();
    if (!why) {
      status("Type the reason the duty ends.", "error", where);
      reason.focus();
      return;
    }
    busy([sure, cancel], async () => {
      await api(`/contracts/${encodeURIComponent(item.contract_id)}/obligations/${segment(item.id)}/waive`,
        { method: "POST", json: { reason: why } });
      await refresh();
      status(`${item.summary}: the duty is waived; its occurrences already listed stay, each done or waived on its own.`);
    }, where);
  });
  enterPresses(sure, reason);
  return [" ", ask, form, " ", note];
}

// A recurring duty's rule: the API's obligation with a `recurrence` (its RRULE) and no due day,
// which generates the dated occurrences ("<rule id>@<day>", each listed as an obligation of its
// own). It is shown as the rule, with its next occurrence's day (the earliest still open or
// overdue), not as an undated open obligation: it is never due, done nor acknowledged itself (its
// occurrences are). Waived, the duty has ended (no occurrence is made after the ones already
// listed): it reads "ended (waived by X on <day>: <reason>)", no next day; a rule stored as done
// (before 2026-12-07, when a rule could be marked done) reads ended the same way.
function ruleRow(item, occurrences, zone, refresh) {
  let tr;
  const live = item.status === "open" || item.status === "overdue";
  const next = live ? occurrences.filter((o) => o.id.startsWith(`${item.id}@`) && o.due
    && (o.status === "open" || o.status === "overdue")).map((o) => o.due).sort()[0] : null;
  const when = `${every(item.recurrence)}${live ? (next ? `, next ${day(next, zone)}` : "")
    : ` — ended (${endedBy(item, zone)})`}`;
  tr = el("tr", { class: live ? "rule" : "rule ended", dataset: { obligation: item.id, rule: item.recurrence } },
    el("td", { class: "due" }, wrappable(`recurring: ${when}`)), el("td", {}, item.summary),
    el("td", { class: "kind" }, wrappable(item.kind)),
    el("td", { class: "owner" }, wrappable(item.owner || "unowned")),
    el("td", { class: "state muted" }, live ? "rule" : "ended"),
    el("td", { class: "derivation" }, item.recurrence),
    el("td", {}, evidenceButton(item.evidence ? item.evidence.source.contract_id : item.contract_id,
      item.evidence, item.kind, () => tr), live ? waiveRule(item, refresh) : null));
  return tr;
}

// a rule (recurrence, no due day) as the rule; anything else, an occurrence included, as it is
function obligationRows(obligations, zone, refresh) {
  return obligations.map((o) => (o.recurrence && !o.due ? ruleRow(o, obligations, zone, refresh)
    : obligationRow(o, zone)));
}

// the contract's own fields a person may change on its page (PUT /contracts/{id}/<path, else name>),
// each for a role the API's caller_may names
const FIELDS = {
  owner: { action: "set_owner", label: "owner", type: "email", hint: "an email address",
    said: (name, value) => `${name} is now owned by ${value}; its obligations that had the old owner follow.` },
  jurisdiction: { action: "set_jurisdiction", label: "jurisdiction", type: "text", clearable: true,
    hint: "a holiday calendar's code (US-NY, GB-ENG, DE-BY)",
    said: (name, value) => (value
      ? `The jurisdiction of ${name} is now ${value}: its business days count ${value} holidays, its deadlines recounted.`
      : `The jurisdiction of ${name} is cleared: its business days count the governing law's holidays again, `
        + "its deadlines recounted.") },
  time_zone: { action: "set_time_zone", label: "time zone", path: "time-zone", type: "text",
    hint: "an IANA time zone name (Europe/London, America/New_York)",
    said: (name, value) => `The time zone of ${name} is now ${value}: its deadlines pass at the end of the day `
      + `there and its reminders are planned again in ${value}.` },
};

// a field's value and, for a caller who may change it, a Change button opening a field with Save
// (and Clear, for a jurisdiction set), Cancel; the API's refusal (400: an unknown jurisdiction) is
// said beside it and the value stays as it was; once changed, the page shows the contract anew
// (`reload`: its deadlines as recounted)
function fieldValue(contract, key, shown, reload) {
  const field = FIELDS[key];
  const dd = el("dd", { dataset: { field: key } }, el("span", { class: "field-value" }, shown));
  if (!(contract.caller_may || []).includes(field.action)) return dd;
  const name = contract.title || contract.file_name;
  const current = contract[key] || "";
  const where = `${key}-status`;
  const input = el("input", { type: field.type, value: current, autocomplete: "off", placeholder: field.hint,
    "aria-label": `New ${field.label} of ${name}` });
  const change = el("button", { type: "button", class: `change-${key}`, "aria-label": `Change the ${field.label} of ${name}` },
    "Change");
  const save = el("button", { type: "button", class: `save-${key} primary` }, "Save");
  const clear = field.clearable && current
    ? el("button", { type: "button", class: `clear-${key}` }, `Clear ${field.label}`) : null;
  const cancel = el("button", { type: "button", class: `cancel-${key}` }, "Cancel");
  const form = el("span", { class: "change", role: "group", "aria-label": `Change the ${field.label} of ${name}`,
    hidden: true }, input, " ", save, " ", clear, clear ? " " : null, cancel);
  const note = el("span", { id: where, class: "status", role: "status", "aria-live": "polite" });
  change.addEventListener("click", () => {
    change.hidden = true;
    form.hidden = false;
    input.focus();
  });
  cancel.addEventListener("click", () => {
    form.hidden = true;
    change.hidden = false;
    input.value = current;
    note.textContent = "";
    change.focus();
  });
  const send = (value) => busy([save, clear, cancel], async () => {
    await api(`/contracts/${encodeURIComponent(contract.id)}/${field.path || key}`,
      { method: "PUT", json: { [key]: value } });
    await reload();
    status(field.said(name, value));
    const again = document.querySelector(`#facts button.change-${key}`);
    if (again) again.focus();
  }, where);
  save.addEventListener("click", () => {
    const value = input.value.trim();
    if (!value) {
      status(`Type ${field.hint}${clear ? `, or press Clear ${field.label}` : ""}.`, "error", where);
      input.focus();
      return;
    }
    send(value);
  });
  if (clear) clear.addEventListener("click", () => send(null));
  enterPresses(save, input);
  dd.append(" ", change, form, " ", note);
  return dd;
}

// the facts (owner, time zone and jurisdiction changeable: fieldValue) and the terms (with the review markers
// and their legend); returns the terms shown
function showTerms(contract, reload) {
  const zone = contract.time_zone;
  const facts = [["Counterparty", contract.counterparty], ["Status", contract.status],
    ["Owner", contract.owner || "unowned", "owner"], ["Time zone", zone, "time_zone"],
    ["Jurisdiction", contract.jurisdiction, "jurisdiction"],
    ["Notice deadline", day(contract.notice_deadline, zone)], ["Term ends", day(contract.expiration, zone)]];
  document.getElementById("facts").replaceChildren(...facts.flatMap(([k, v, key]) => [el("dt", {}, k),
    key ? fieldValue(contract, key, show(v), reload) : el("dd", {}, show(v))]));
  const terms = Object.values(contract.terms).filter((t) => t.name !== "conditional_terms");
  const threshold = contract.review_confidence_below;
  document.querySelector("#terms tbody").replaceChildren(...terms.map((t) => termRow(t, threshold)));
  const review = terms.filter((t) => t.needs_review).length;
  document.getElementById("review-legend").textContent = `"review" marks a value whose clause the clause finder `
    + `scored below ${threshold} (0-1; hover for its confidence): ${review} of ${terms.length} term(s) to check.`;
  return terms;
}

// an amendment: the contract it is applied to, and, for a role that may (the API's caller_may), a
// button that unlinks it (DELETE /contracts/{id}/amends) once confirmed: that contract's terms and
// deadlines then follow its own document and its other amendments again; this one waits for a person
async function showAmends(contract, refresh) {
  const box = document.getElementById("amends");
  const what = document.getElementById("amends-what");
  const isAmendment = contract.documents.length > 0 && contract.documents[0].kind === "amendment";
  box.hidden = !isAmendment;
  box.dataset.amends = contract.amends_contract_id || "";
  if (!isAmendment) return;
  if (!contract.amends_contract_id) {
    what.replaceChildren(`Applied to no contract: ${contract.status_reason || "waiting for a person to say which "
      + "contract it amends (Needs attention)"}.`);
    return;
  }
  let amendedName = contract.amends_contract_id;
  try {
    const amended = await api(`/contracts/${encodeURIComponent(contract.amends_contract_id)}`);
    amendedName = amended.title || amended.file_name;
  } catch {
    // named by its id
  }
  const name = contract.title || contract.file_name;
  const parts = ["Applied to ", contractLink(contract.amends_contract_id, amendedName), "."];
  if ((contract.caller_may || []).includes("unlink_amendment")) {
    const ask = el("button", { type: "button", class: "unlink" }, "Unlink from this contract");
    const sure = el("button", { type: "button", class: "confirm-unlink primary" }, "Yes, unlink");
    const cancel = el("button", { type: "button", class: "cancel-unlink" }, "Cancel");
    const confirm = el("span", { class: "confirm", role: "group", "aria-label": "Confirm unlinking", hidden: true },
      `Unlink ${name} from ${amendedName}? The terms and deadlines of ${amendedName} then follow its own `
      + "document and its other amendments again. ", sure, " ", cancel);
    ask.addEventListener("click", () => {
      ask.hidden = true;
      confirm.hidden = false;
      sure.focus();
    });
    cancel.addEventListener("click", () => {
      confirm.hidden = true;
      ask.hidden = false;
      ask.focus();
    });
    sure.addEventListener("click", async () => {
      sure.disabled = true; // one request at a time: a second click would race the first
      cancel.disabled = true;
      try {
        await api(`/contracts/${encodeURIComponent(id)}/amends`, { method: "DELETE" });
        await refresh();
        status(`${name} unlinked from ${amendedName}: that contract's terms and deadlines follow its own `
          + "document and its other amendments again.");
      } catch (error) {
        failed(error);
        sure.disabled = false;
        cancel.disabled = false;
      }
    });
    parts.push(" ", ask, confirm);
  }
  what.replaceChildren(...parts);
}

// a finding's claim changed here: the contract (its obligations, the trail) and its Money section (the
// total and the link under the facts count a waived claim no more) shown anew, the finding focused again
async function claimChanged(contract, finding, refresh) {
  try {
    await refresh();
    await showMoney(contract, refresh);
    focusRow(document.querySelector(`#money-findings tr[data-finding="${CSS.escape(finding.finding_id)}"]`));
  } catch (error) {
    failed(error); // the claim was changed; what is shown of it could not be read again: said, never silent
  }
}

// the contract's money: its findings, money at stake first (GET .../findings: one page, the API's
// total), and the invoices and credit notes received (GET .../invoices); a refusal is said
async function showMoney(contract, refresh) {
  const base = `/contracts/${encodeURIComponent(id)}`;
  const total = document.getElementById("money-at-stake");
  const empty = document.getElementById("money-empty");
  try {
    const [found, invoices] = await Promise.all([api(`${base}/findings`), api(`${base}/invoices`)]);
    total.textContent = `Money at stake: ${totals(found.total_at_stake) || "none"}`;
    // said under the facts too when there is money to see: the section is below the terms
    const link = document.getElementById("money-link");
    link.hidden = found.items.length === 0;
    link.firstElementChild.textContent = `${total.textContent} (${found.items.length} money finding(s), `
      + `${invoices.items.length} invoice(s) and credit note(s))`;
    empty.hidden = found.items.length > 0;
    empty.textContent = "No money findings: none of the SLA metrics or invoices received for it shows one.";
    document.querySelector("#money-findings tbody").replaceChildren(...byMoneyAtStake(found.items).map((f) =>
      findingRow(f, contract, { withContract: false, onChanged: (now, changed) => claimChanged(now, changed, refresh) })));
    document.getElementById("invoices-empty").hidden = invoices.items.length > 0;
    document.querySelector("#invoices tbody").replaceChildren(...invoices.items.map(invoiceRow));
    document.getElementById("money").dataset.loaded = "true";
  } catch (error) {
    total.textContent = "";
    empty.hidden = true;
    failed(error);
  }
}

// what the page shows of the contract but the original and its events: facts, terms, what it
// amends, obligations, documents, audit trail (again after a change made here: `refresh` after an
// event's date or an unlinking, `reload`, the whole page's, after a change of its own fields)
async function showContract(contract, refresh, reload = refresh) {
  const zone = contract.time_zone;
  const terms = showTerms(contract, reload);
  await showAmends(contract, refresh);
  document.querySelector("#obligations tbody").replaceChildren(...obligationRows(contract.obligations, zone, refresh));
  document.getElementById("documents").replaceChildren(...contract.documents.map((d) =>
    el("li", {}, `${d.kind}: `, d.download_url ? el("a", { href: d.download_url }, d.file_name) : d.file_name,
      ` (${d.status}, ${d.page_count ?? "?"} page(s), received ${d.received_at})`,
      d.contract_id !== contract.id ? [" ", contractLink(d.contract_id, "its page")] : null)));
  const audit = await all(`/contracts/${encodeURIComponent(id)}/audit`);
  document.querySelector("#audit tbody").replaceChildren(...audit.map((a) =>
    el("tr", {}, el("td", {}, a.at), el("td", {}, a.actor), el("td", {}, a.action),
      el("td", { class: "detail" }, typeof a.detail === "string" ? a.detail : JSON.stringify(a.detail)))));
  return terms;
}

async function load() {
  header(null);
  if (!id) {
    status("No contract: open one from the renewals or obligations page.", "error");
    return;
  }
  try {
    const contract = await api(`/contracts/${encodeURIComponent(id)}`);
    document.title = `${contract.title || contract.file_name} - clausewatch`;
    document.getElementById("title").textContent = contract.title || contract.file_name;
    // once an event is dated (or its date cleared), or the amendment unlinked, the page shows the
    // contract as it is now
    const refresh = async () => {
      await showContract(await api(`/contracts/${encodeURIComponent(id)}`), refresh, reload);
    };
    const showEvents = (now) => {
      const events = conditionalTerms(now);
      document.getElementById("events-section").hidden = events.length === 0;
      document.querySelector("#events tbody").replaceChildren(...events.map((item) => eventRow(now, item, { onEntered: refresh })));
    };
    // once its owner or jurisdiction changed: all of it (the deadlines and a credit's claim-by counted
    // with another calendar; whether the caller, the owner or not, may enter an event's date)
    const reload = async () => {
      const now = await api(`/contracts/${encodeURIComponent(id)}`);
      await showContract(now, refresh, reload);
      showEvents(now);
      await showMoney(now, refresh);
    };
    const terms = await showContract(contract, refresh, reload);
    showEvents(contract);
    status("");
    await showMoney(contract, refresh);
    // SLA metrics and invoices sent here (an editor's): once the money λ has read one, the contract
    // (a credit's claim obligation, the trail) and its Money section are shown anew
    moneyFiles(contract, async () => {
      const now = await api(`/contracts/${encodeURIComponent(id)}`);
      await showContract(now, refresh, reload);
      await showMoney(now, refresh);
    });
    document.body.dataset.loaded = "contract";
    const wanted = new URLSearchParams(location.hash.slice(1)).get("term");
    const first = terms.find((t) => t.name === wanted && t.evidence)
      || PREFERRED.map((n) => contract.terms[n]).find((t) => t && t.evidence)
      || terms.find((t) => t.evidence);
    if (first) {
      await showEvidence(first.source.contract_id, first.evidence, first.name,
        document.querySelector(`#terms tr[data-term="${first.name}"]`));
    } else if (contract.status === "EXTRACTED" || contract.status === "TEXT_READY") {
      viewer.documentId = id;
      viewer.pdf = await loadPdf(id);
      await render();
    }
  } catch (error) {
    failed(error);
  }
}

document.getElementById("prev").addEventListener("click", () => {
  if (viewer.pdf && viewer.page > 1) { viewer.page -= 1; render(); }
});
document.getElementById("next").addEventListener("click", () => {
  if (viewer.pdf && viewer.page < viewer.pdf.numPages) { viewer.page += 1; render(); }
});
load();
