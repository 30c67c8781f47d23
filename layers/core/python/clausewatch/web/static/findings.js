// The contract's money as the Money page and the contract page show it (GET /findings,
// GET /contracts/{id}/findings, GET /contracts/{id}/invoices): each finding's amount with its
// currency, its arithmetic, the clause it came from, its status (open, claimed, settled by credit
// note, ...) and, for an SLA credit to claim, the actions on its claim obligation the caller's role
// may take (POST .../obligations/{id}/complete or /waive), or, for a credit to check by hand with no
// claim to settle it, Mark checked (POST .../findings/{finding_id}/checked).
import { api, busy, contractLink, day, el, enterPresses, segment, status } from "./app.js";

// listed with the amount they had, never at stake (api/money.py NOT_AT_STAKE)
const CREDIT_NOTES = {
  credit_note_settled: { text: "credit note: settles a claim in full", open: false },
  credit_note_partial: { text: "credit note: settles part of a claim", open: false },
  credit_note_not_matched: { text: "credit note matched to no claim: settle it by hand", open: true },
  credit_note_ambiguous: { text: "credit note that could settle more than one claim: settle it by hand", open: true },
};
const NOT_AT_STAKE = new Set(["sla_breach_withdrawn", ...Object.keys(CREDIT_NOTES)]);

// "1550.00" USD -> "USD 1,550.00" (the API's exact decimal, never through a float)
export function money({ amount, currency }) {
  const negative = amount.startsWith("-");
  const [whole, cents] = amount.replace(/^-/, "").split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${currency} ${negative ? "-" : ""}${grouped}${cents === undefined ? "" : `.${cents}`}`;
}

// claims nobody asks for any more (a person waived it; its contract went): at stake no longer
// (api/money.py CLAIM_NOT_AT_STAKE)
const CLAIM_NOT_AT_STAKE = new Set(["waived", "cancelled"]);

// what is still at stake on a finding, as the API counts it in total_at_stake: its amount less what
// credit notes settled; null for a finding with no amount or one never at stake
export function atStake(finding) {
  if (!finding.amount || !finding.amount.currency || NOT_AT_STAKE.has(finding.kind)) return null;
  if (CLAIM_NOT_AT_STAKE.has(finding.claim_status) || finding.contract_deleted) return null;
  return finding.settlement ? finding.settlement.remaining : finding.amount;
}

function isZero(value) {
  return /^-?0*(\.0*)?$/.test(value.amount);
}

// some money is still at stake on it
export function owed(finding) {
  const stake = atStake(finding);
  return Boolean(stake) && !isZero(stake);
}

// money at stake first (per currency, the largest first), then the rest newest first (the API's order)
export function byMoneyAtStake(findings) {
  const keyed = findings.map((finding, index) => ({ finding, index, stake: atStake(finding), owed: owed(finding) }));
  return keyed.sort((a, b) => {
    if (a.owed !== b.owed) return a.owed ? -1 : 1;
    if (a.owed) {
      if (a.stake.currency !== b.stake.currency) return a.stake.currency < b.stake.currency ? -1 : 1;
      const difference = Number(b.stake.amount) - Number(a.stake.amount); // only to order, never shown
      if (difference) return difference;
    }
    return a.index - b.index;
  }).map((k) => k.finding);
}

// the API's total_at_stake, currency explicit ("USD 10,850.00 · GBP 120.00"), or null when nothing is
export function totals(amounts) {
  const shown = (amounts || []).filter((a) => !isZero(a));
  return shown.length ? shown.map(money).join(" · ") : null;
}

// `credited`: a credit note paid part of it already (the words then say so, never "no credit note yet")
function claimState(claim, zone, credited = false) {
  const due = day(claim.due, zone);
  if (claim.status === "open") return { text: `open: claim by ${due}`, open: true };
  if (claim.status === "overdue") return { text: `open: the claim deadline ${due} has passed`, open: true };
  if (claim.status === "done" && claim.resolved_by !== "money") {
    const note = claim.resolution_note ? ` ("${claim.resolution_note}")` : "";
    const credit = credited ? "" : "; no credit note yet";
    return { text: `claimed: done by hand by ${claim.resolved_by || "someone"}${note}${credit}`, open: true };
  }
  if (claim.status === "done") return { text: "claim done by a credit note", open: false };
  if (claim.status === "waived") {
    const why = claim.resolution_note ? `: ${claim.resolution_note}` : "";
    return { text: `claim waived by ${claim.resolved_by || "someone"}${why}`, open: false };
  }
  return { text: `claim ${claim.status}`, open: false };
}

// a finding's status in words, and whether it is open: money still owed, or a person's check to make
export function findingState(finding, claim, zone) {
  if (finding.kind === "sla_breach_withdrawn") return { text: "withdrawn by a corrected file: owed no longer", open: false };
  if (CREDIT_NOTES[finding.kind]) return CREDIT_NOTES[finding.kind];
  if (finding.kind === "file_refused") return { text: "file refused: nothing of it was applied", open: true };
  if (finding.contract_deleted) {
    const { at, by } = finding.contract_deleted;
    return { text: `contract deleted ${at.slice(0, 10)} by ${by}: at stake no longer`, open: false };
  }
  let settled = "";
  if (finding.settlement) {
    const notes = finding.settlement.settled_by.map((s) => s.credit_note).join(", ");
    if (isZero(finding.settlement.remaining)) return { text: `settled by credit note ${notes}`, open: false };
    settled = `partly settled by credit note ${notes}, ${money(finding.settlement.remaining)} still owed; `;
  }
  if (claim) {
    const state = claimState(claim, zone, Boolean(finding.settlement));
    return { text: settled + state.text, open: state.open };
  }
  if (finding.claim_status) return { text: `${settled}claim ${finding.claim_status}`, open: finding.claim_status === "open" };
  if (finding.credit_checked && finding.credit_checked.holds && !finding.credit_to_check) {
    return { text: finding.credit_checked.said, open: false }; // a person checked its credit: nothing to claim here
  }
  if (finding.kind === "not_checked") return { text: "not checked: for a person to check against the clause", open: true };
  if (finding.kind === "sla_breach" && !finding.amount) {
    return { text: "credit not computed (the arithmetic says why): for a person to check", open: true };
  }
  if (atStake(finding)) return { text: `${settled}open: no credit note for it yet`, open: true };
  return { text: "told: nothing claimed", open: false };
}

function amountCell(finding) {
  if (!finding.amount) return el("td", { class: "amount" }, "-");
  const stake = atStake(finding);
  let note = null;
  if (!stake) note = "not at stake";
  else if (finding.settlement && isZero(stake)) note = "settled";
  else if (finding.settlement) note = `still at stake: ${money(stake)}`;
  return el("td", { class: "amount" }, el("strong", {}, money(finding.amount)),
    note ? el("div", { class: "muted" }, note) : null);
}

// the arithmetic: the finding's, then each credit note's that settled it
function arithmeticCell(finding) {
  const settled = finding.settlement ? finding.settlement.settled_by : [];
  return el("td", { class: "what" }, finding.summary,
    finding.derivation ? el("div", { class: "derivation" }, finding.derivation) : null,
    settled.map((s) => el("div", { class: "derivation settled-by" }, s.derivation)));
}

// every clause the finding rests on (a combined line's two), each with the file its page is in, as the
// API names it: the contract's own ("saas-subscription.pdf, page 4") or an amendment's
// ("amendment-2.pdf, page 1": not the contract's page 1); the page alone when the API names no file
// (a contract no longer on file)
export function clauseCell(finding) {
  const clauses = finding.clauses && finding.clauses.length ? finding.clauses
    : finding.evidence ? [finding.evidence] : [];
  if (!clauses.length) return el("td", { class: "clause muted" }, "-");
  return el("td", { class: "clause" }, clauses.map((clause) => el("div", { class: "clause-quote" },
    el("span", { class: "quote" }, `"${clause.text}"`),
    el("div", { class: "muted" }, clause.document ? `${clause.document}, page ${clause.page}` : `page ${clause.page}`))));
}

// an open claim's actions (the claim obligation's caller_may: an editor or admin, never a viewer):
// Mark claimed (complete, with an optional note) and Waive claim (with a reason); each replaces the
// claim with the obligation the API returns (`onClaim`), a refusal leaves the row and says why
function claimActions(finding, claim, name, onClaim) {
  const may = claim && (claim.status === "open" || claim.status === "overdue") ? claim.caller_may || [] : [];
  if (!may.includes("complete") && !may.includes("waive")) return null;
  const what = `the ${finding.period ? `${finding.period} ` : ""}credit of ${name}`;
  const note = el("input", { type: "text", class: "claim-note", autocomplete: "off",
    placeholder: "note (how it was claimed) or reason to waive", "aria-label": `Note or reason for ${what}` });
  const path = (action) => `/contracts/${encodeURIComponent(finding.contract_id)}/obligations/${segment(claim.id)}/${action}`;
  const buttons = [];
  const send = (action) => busy(buttons, async () => {
    const text = note.value.trim();
    if (action === "waive" && !text) {
      status(`Give the reason to waive ${what} first.`, "error");
      note.focus();
      return;
    }
    const json = action === "waive" ? { reason: text } : text ? { note: text } : {};
    const updated = await api(path(action), { method: "POST", json });
    status(`${action === "waive" ? "Claim waived" : "Marked claimed"}: ${updated.summary} is now ${updated.status}.`);
    onClaim(updated);
  });
  const claimed = el("button", { type: "button", class: "act-claimed", "aria-label": `Mark claimed: ${what}`,
    onclick: () => send("complete") }, "Mark claimed");
  const waive = el("button", { type: "button", class: "act-waive", "aria-label": `Waive claim: ${what}`,
    onclick: () => send("waive") }, "Waive claim");
  if (may.includes("complete")) buttons.push(claimed);
  if (may.includes("waive")) buttons.push(waive);
  // Enter in the note presses the one action there is; with both, a reason typed to waive must never mark
  // the credit claimed: the person chooses the button
  if (buttons.length === 1) enterPresses(buttons[0], note);
  return [note, " ", ...buttons.flatMap((b, i) => (i ? [" ", b] : [b]))];
}

// a breach's credit to check by hand with no open claim to settle it (the API's credit_to_check): for a
// caller the contract's caller_may lets (check_credit), a note of what was found (required), the amount
// claimed or "nothing owed", and Mark checked (POST .../findings/{finding_id}/checked: the flag goes,
// the check is kept on the finding and audited); the row is drawn again from the finding the API returns
function checkActions(finding, contract, claim, name, onChecked) {
  const claimOpen = claim && (claim.status === "open" || claim.status === "overdue");
  if (!finding.credit_to_check || claimOpen || !(contract && (contract.caller_may || []).includes("check_credit"))) {
    return null;
  }
  const what = `the ${finding.period ? `${finding.period} ` : ""}credit of ${name}`;
  const note = el("input", { type: "text", class: "check-note", autocomplete: "off",
    placeholder: "what you found or decided", "aria-label": `What you found checking ${what}` });
  const claimed = el("input", { type: "text", class: "check-claimed", autocomplete: "off",
    placeholder: "amount claimed, e.g. GBP 500.00", "aria-label": `Amount claimed for ${what}` });
  const none = el("input", { type: "checkbox", class: "check-nothing-owed", "aria-label": `Nothing owed for ${what}` });
  const check = el("button", { type: "button", class: "act-checked", "aria-label": `Mark checked: ${what}`, onclick: () => {
    const text = note.value.trim();
    if (!text) {
      status(`Say what you found checking ${what} first.`, "error");
      note.focus();
      return;
    }
    // the amount as typed: the API reads it ("EUR 500,00" or "GBP 500.999" refused, never guessed)
    const amount = claimed.value.trim();
    const json = { note: text, ...(amount ? { claimed: amount } : {}), ...(none.checked ? { nothing_owed: true } : {}) };
    busy(check, async () => {
      const updated = await api(`/contracts/${encodeURIComponent(finding.contract_id)}/findings/`
        + `${segment(finding.finding_id)}/checked`, { method: "POST", json });
      status(`${what}: ${updated.credit_checked.said}.`);
      onChecked(updated);
    });
  } }, "Mark checked");
  enterPresses(check, note, claimed);
  return [note, " ", claimed, " ", el("label", {}, none, " nothing owed"), " ", check];
}

// the finding's claim obligation, as its contract (GET /contracts/{id}) lists it
function claimOf(finding, contract) {
  if (!contract || !finding.claim_obligation_id) return null;
  return contract.obligations.find((o) => o.id === finding.claim_obligation_id) || null;
}

// open: money still owed (as the API's total at stake counts it), or a person's check to make
export function isOpen(finding, contract) {
  return owed(finding) || findingState(finding, claimOf(finding, contract), contract ? contract.time_zone : null).open;
}

// one finding's row. `contract` (GET /contracts/{id}, or null when it cannot be read) names it and
// gives its time zone and the claim obligation; `withContract` adds the contract's column
export function findingRow(finding, contract, { withContract = true, onChanged = () => {} } = {}) {
  const zone = contract ? contract.time_zone : null;
  const claim = claimOf(finding, contract);
  const state = findingState(finding, claim, zone);
  const name = contract ? contract.title || contract.file_name : finding.contract_id;
  const open = owed(finding) || state.open;
  const tr = el("tr", { class: open ? null : "done",
    dataset: { finding: finding.finding_id, contract: finding.contract_id, kind: finding.kind, open: String(open) } });
  const onClaim = (updated) => {
    const changed = { ...contract, obligations: contract.obligations.map((o) => (o.id === updated.id ? updated : o)) };
    // the finding's claim is its obligation's status: a claim waived is at stake no longer (atStake)
    const now = { ...finding, claim_status: updated.status };
    const replacement = findingRow(now, changed, { withContract, onChanged });
    tr.replaceWith(replacement);
    focusRow(replacement);
    onChanged(changed, now);
  };
  const onChecked = (updated) => { // the finding as the API returns it: checked, its flag gone
    const replacement = findingRow(updated, contract, { withContract, onChanged });
    tr.replaceWith(replacement);
    focusRow(replacement);
    onChanged(contract, updated);
  };
  tr.append(...[
    amountCell(finding),
    withContract ? el("td", { class: "contract" }, contractLink(finding.contract_id, name)) : null,
    el("td", { class: "kind" }, finding.kind,
      el("div", { class: "muted" }, `from ${finding.source}, recorded ${finding.recorded_at}`)),
    el("td", { class: "period" }, finding.period || (finding.invoice_number ? null : "-"),
      finding.invoice_number ? el("div", {}, `invoice ${finding.invoice_number}`) : null),
    arithmeticCell(finding),
    clauseCell(finding),
    el("td", { class: "state" }, state.text,
      finding.credit_to_check ? el("div", { class: "credit-to-check" }, `to check by hand: ${finding.credit_to_check}`) : null,
      finding.credit_checked && state.text !== finding.credit_checked.said ? el("div", { class: "credit-checked muted" }, finding.credit_checked.said
        + (finding.credit_checked.holds ? "" : " (of an earlier value)")) : null),
    el("td", { class: "actions" }, claimActions(finding, claim, name, onClaim)
      || checkActions(finding, contract, claim, name, onChecked)),
  ].filter(Boolean));
  return tr;
}

// a finding's row focused on its first action (a page that shows its findings again after a claim changed
// keeps the keyboard where it was)
export function focusRow(tr) {
  if (!tr) return;
  const target = tr.querySelector("button") || tr.querySelector("a");
  if (target) {
    target.focus();
    return;
  }
  tr.tabIndex = -1; // a row with nothing left to press (a claim waived) takes the focus itself
  tr.focus();
}

// one invoice or credit note received (its total negative), with its lines
export function invoiceRow(invoice) {
  const lines = invoice.lines.map((line) => el("li", {}, `${line.description || "(no description)"}: `
    + `${line.quantity}${line.unit ? ` ${line.unit}` : ""}`
    + `${line.unit_price === null || line.unit_price === undefined ? "" : ` x ${line.unit_price}`}`
    + ` = ${money({ amount: line.amount, currency: invoice.currency })}`));
  return el("tr", { dataset: { invoice: invoice.number } },
    el("th", { scope: "row" }, invoice.number), el("td", {}, invoice.issue_date),
    el("td", {}, invoice.supplier || "-"),
    el("td", { class: "amount" }, money({ amount: invoice.total, currency: invoice.currency })),
    el("td", {}, String(invoice.findings)),
    el("td", {}, el("details", {}, el("summary", {}, `${invoice.lines.length} line(s)`), el("ul", {}, lines))));
}
