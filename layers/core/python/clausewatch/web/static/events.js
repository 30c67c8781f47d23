// Terms that run from an event ("five (5) years from the Launch Date"): shown waiting for the
// event's date, with a form to enter it (POST /contracts/{id}/events: the contract's owner or an
// admin); the expiration, notice deadline and reminders are then computed from it. A date entered
// by mistake is cleared there too, once confirmed (the same route, "date": null).
import { api, busy, el, enterPresses, status } from "./app.js";

// the conditional terms of a contract (GET /contracts/{id}), one row per event, waiting ones first:
// a term that runs from the later (earlier) of several events ("rule", "events") gives each of its
// events a row naming the rule (its expiration comes once every event is dated)
export function conditionalTerms(contract) {
  const term = contract.terms.conditional_terms;
  const items = term && Array.isArray(term.value) ? term.value : [];
  const rows = items.flatMap((item) => (item.rule && Array.isArray(item.events)
    ? item.events.map((e) => ({ ...item, event: e.event, event_date: e.event_date, entered_by: e.entered_by
      || (e.filled_from ? `the contract's ${e.filled_from}` : null), filled_from: e.filled_from || null, of: item.event }))
    : [item]));
  return rows.sort((a, b) => Number(Boolean(a.event_date)) - Number(Boolean(b.event_date)));
}

// for a caller who may enter the event's date (caller_may's enter_event), a Clear button for a date a
// person entered (not one filled from the contract's own dates, which the API will not clear): it asks
// first, then clears it; the row is then the form again (``again``) and ``onEntered`` shows the
// contract as it is now (the expiration and the deadlines counted from it withdrawn)
function clearControl(contract, item, again, onEntered) {
  if (!(contract.caller_may || []).includes("enter_event") || item.filled_from) return null;
  const label = contract.title || contract.file_name;
  const ask = el("button", { type: "button", class: "clear-event", "aria-label": `Clear the date of ${item.event}` }, "Clear");
  const sure = el("button", { type: "button", class: "confirm-clear primary" }, "Yes, clear it");
  const cancel = el("button", { type: "button", class: "cancel-clear" }, "Cancel");
  const confirm = el("span", { class: "confirm", role: "group", "aria-label": `Confirm clearing the date of ${item.event}`,
    hidden: true }, `Clear the date of ${item.event}? The expiration and the deadlines counted from it are withdrawn `
    + "and the term waits for the event again. ", sure, " ", cancel);
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
  sure.addEventListener("click", () => busy([sure, cancel], async () => {
    const cleared = await api(`/contracts/${encodeURIComponent(contract.id)}/events`,
      { method: "POST", json: { event: item.event, date: null } });
    const row = again();
    const field = row.querySelector("input[type=date]");
    if (field) field.focus();
    // (an expiration a person entered, or an amendment states outright, stands: the API says which)
    status(`The date of ${item.event} of ${label} is cleared: the term waits for the event again; `
      + (cleared.expiration ? `the expiration ${cleared.expiration.value} stands (${cleared.expiration.derivation}).`
        : "the expiration and the deadlines counted from it are withdrawn."));
    if (onEntered) await onEntered(cleared);
  }));
  return el("span", { class: "clear" }, " ", ask, confirm);
}

// one row: the event, what runs from it, its page, and either its date (with Clear: clearControl)
// or the form to enter it (``onEntered`` runs after a date is recorded or cleared: the contract page
// shows the new terms)
export function eventRow(contract, item, { withContract = null, onEntered = null } = {}) {
  const label = contract.title || contract.file_name;
  const cell = el("td", { class: "event-date" });
  const tr = el("tr", { class: item.event_date ? null : "waiting", dataset: { contract: contract.id, event: item.event } },
    withContract ? el("td", {}, withContract) : null,
    el("th", { scope: "row" }, item.event),
    el("td", {}, item.phrase, el("span", { class: "muted" }, ` (page ${item.page})`),
      item.of ? el("span", { class: "muted" }, ` — one of: ${item.of}`) : null),
    cell);
  // the row waiting for the event again, in this row's place
  const again = () => {
    const row = eventRow(contract, { ...item, event_date: null, entered_by: null, filled_from: null },
      { withContract, onEntered });
    tr.replaceWith(row);
    return row;
  };
  if (item.event_date) {
    cell.append(`${item.event_date} (entered by ${item.entered_by})`, clearControl(contract, item, again, onEntered));
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
      cell.replaceChildren(`${input.value} (entered): still missing ${entered.missing_events.join("; ")}`,
        clearControl(contract, item, again, onEntered));
      status(`${item.event} of ${label} recorded; the expiration waits for ${entered.missing_events.join("; ")}.`);
      if (onEntered) await onEntered(entered);
      return;
    }
    tr.dataset.expiration = entered.expiration.value;
    // (a later/earlier-of term's own event_date is the deciding event's: the row shows its event's)
    const dated = item.of ? `${input.value} (entered)` : `${entered.conditional_term.event_date} (entered by ${entered.conditional_term.entered_by})`;
    cell.replaceChildren(`${dated}: `
      + `expires ${entered.expiration.value} = ${entered.expiration.derivation}`
      + (entered.notice_deadline ? `; notice by ${entered.notice_deadline}` : ""),
    clearControl(contract, item, again, onEntered));
    status(`${item.event} of ${label} recorded; the expiration and reminders follow from it.`);
    if (onEntered) await onEntered(entered);
  }) }, "Enter event date");
  enterPresses(enter, input);
  cell.append(el("span", { class: "waiting-label" }, "waiting for an event date "), input, " ", enter);
  return tr;
}
