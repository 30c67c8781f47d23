// Terms that run from an event ("five (5) years from the Launch Date"): shown waiting for the
// event's date, with a form to enter it (POST /contracts/{id}/events: the contract's owner or an
// admin); the expiration, notice deadline and reminders are then computed from it.
import { api, busy, el, enterPresses, status } from "./app.js";

// the conditional terms of a contract (GET /contracts/{id}), one row per event, waiting ones first:
// a term that runs from the later (earlier) of several events ("rule", "events") gives each of its
// events a row naming the rule (its expiration comes once every event is dated)
export function conditionalTerms(contract) {
  const term = contract.terms.conditional_terms;
  const items = term && Array.isArray(term.value) ? term.value : [];
  const rows = items.flatMap((item) => (item.rule && Array.isArray(item.events)
    ? item.events.map((e) => ({ ...item, event: e.event, event_date: e.event_date, entered_by: e.entered_by
      || (e.filled_from ? `the contract's ${e.filled_from}` : null), of: item.event }))
    : [item]));
  return rows.sort((a, b) => Number(Boolean(a.event_date)) - Number(Boolean(b.event_date)));
}

// one row: the event, what runs from it, its page, and either its date or the form to enter it
// (``onEntered`` runs after a date is recorded: the contract page shows the new terms)
export function eventRow(contract, item, { withContract = null, onEntered = null } = {}) {
  const label = contract.title || contract.file_name;
  const cell = el("td", { class: "event-date" });
  const tr = el("tr", { class: item.event_date ? null : "waiting", dataset: { contract: contract.id, event: item.event } },
    withContract ? el("td", {}, withContract) : null,
    el("th", { scope: "row" }, item.event),
    el("td", {}, item.phrase, el("span", { class: "muted" }, ` (page ${item.page})`),
      item.of ? el("span", { class: "muted" }, ` — one of: ${item.of}`) : null),
    cell);
  if (item.event_date) {
    cell.append(`${item.event_date} (entered by ${item.entered_by})`);
    return tr;
  }
  if (!(contract.caller_may || []).includes("enter_event")) { // the API's caller_may: the owner or an admin
    cell.append(el("span", { class: "waiting-label" }, "waiting for an event date "),
      el("span", { class: "muted" }, `(entered by the contract's owner${contract.owner ? `, ${contract.owner},` : ""} or an admin)`));
    return tr;
  }
  const input = el("input", { type: "date", required: true, "aria-label": `Date of ${item.event} for ${label}` });
  const enter = el("button", { type: "button", class: "enter-event", onclick: () => busy(enter, async () => {
    const entered = await api(`/contracts/${encodeURIComponent(contract.id)}/events`,
      { method: "POST", json: { event: item.event, date: input.value } });
    tr.classList.remove("waiting");
    if (!entered.expiration) {
      // one event of a later/earlier-of term: no expiration until every event is dated
      cell.replaceChildren(`${input.value} (entered): still missing ${entered.missing_events.join("; ")}`);
      status(`${item.event} of ${label} recorded; the expiration waits for ${entered.missing_events.join("; ")}.`);
      if (onEntered) await onEntered(entered);
      return;
    }
    tr.dataset.expiration = entered.expiration.value;
    // (a later/earlier-of term's own event_date is the deciding event's: the row shows its event's)
    const dated = item.of ? `${input.value} (entered)` : `${entered.conditional_term.event_date} (entered by ${entered.conditional_term.entered_by})`;
    cell.replaceChildren(`${dated}: `
      + `expires ${entered.expiration.value} = ${entered.expiration.derivation}`
      + (entered.notice_deadline ? `; notice by ${entered.notice_deadline}` : ""));
    status(`${item.event} of ${label} recorded; the expiration and reminders follow from it.`);
    if (onEntered) await onEntered(entered);
  }) }, "Enter event date");
  enterPresses(enter, input);
  cell.append(el("span", { class: "waiting-label" }, "waiting for an event date "), input, " ", enter);
  return tr;
}
