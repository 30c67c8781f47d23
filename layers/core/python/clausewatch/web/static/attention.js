// Needs attention: quarantined and failed uploads with their reasons, obligations without an owner
// (give each one), amendments waiting for a person to say which contract they amend, documents that
// do not read as contracts, amendments whose order among a contract's others is not known (say the
// day signed, or that the order filed is right), recurring duties' rules marked done before
// 2026-12-07 (reopen or waive), and contracts whose key terms the extractor abstained on.
import { ApiError, api, all, busy, contractLink, day, el, enterPresses, failed, header, segment, status } from "./app.js";

// what the caller's role may do to a contract (the API's caller_may: none for a viewer, who sees what
// waits and who can act on it instead of a button the API would refuse)
const may = (contract, action) => (contract.caller_may || []).includes(action);
const FOR_AN_EDITOR = "an editor can do this";
import { conditionalTerms, eventRow } from "./events.js";

// the terms a person needs to see on every contract; one the extractor did not give is listed,
// with a field to enter it (PUT /contracts/{id}/terms/{name}: audited, kept over re-extraction)
export const KEY_TERMS = ["effective_date", "expiration_date", "auto_renewal", "governing_law"];
const HINTS = { effective_date: "YYYY-MM-DD", expiration_date: "YYYY-MM-DD", auto_renewal: "yes or no",
  governing_law: "e.g. New York" };

function missingRow(contract, name) {
  if (!may(contract, "enter_terms")) {
    return el("tr", { dataset: { contract: contract.id, term: name } },
      el("td", {}, contractLink(contract.id, contract.title || contract.file_name)), el("th", { scope: "row" }, name),
      el("td", { class: "muted" }, `not in the document: ${FOR_AN_EDITOR}`));
  }
  const input = el("input", { type: "text", placeholder: HINTS[name] || "", autocomplete: "off",
    "aria-label": `${name} of ${contract.title || contract.file_name}` });
  const note = el("input", { type: "text", placeholder: "note (where it is written)", autocomplete: "off",
    "aria-label": `Note for ${name}` });
  const save = el("button", { type: "button", class: "enter", onclick: () => busy(save, async () => {
    const term = await api(`/contracts/${encodeURIComponent(contract.id)}/terms/${encodeURIComponent(name)}`,
      { method: "PUT", json: { value: input.value.trim(), ...(note.value.trim() ? { note: note.value.trim() } : {}) } });
    tr.dataset.entered = String(term.value);
    tr.lastChild.replaceChildren(`entered: ${term.value === true ? "yes" : term.value === false ? "no" : term.value} `
      + `(${term.derivation})`);
    status(`${name} of ${contract.title || contract.file_name} recorded; deadlines re-planned.`);
  }) }, "Save");
  enterPresses(save, input, note);
  const tr = el("tr", { dataset: { contract: contract.id, term: name } },
    el("td", {}, contractLink(contract.id, contract.title || contract.file_name)), el("th", { scope: "row" }, name),
    el("td", {}, input, " ", note, " ", save));
  return tr;
}

function unownedRow(item, zone) {
  const input = el("input", { type: "email", "aria-label": `Owner of: ${item.summary}`, autocomplete: "off" });
  const assign = el("button", { type: "button", onclick: () => busy(assign, async () => {
    const updated = await api(`/contracts/${encodeURIComponent(item.contract_id)}/obligations/`
      + `${segment(item.id)}/owner`, { method: "PUT", json: { owner: input.value.trim() } });
    tr.replaceChildren(el("td", { colspan: "4" }, `${updated.summary}: now owned by ${updated.owner}`));
  }) }, "Assign");
  enterPresses(assign, input);
  const tr = el("tr", { dataset: { obligation: item.id } },
    el("td", {}, day(item.due, zone)), el("td", {}, item.summary),
    el("td", {}, contractLink(item.contract_id, item.contract_title || item.contract_id)),
    el("td", {}, ...((item.caller_may || []).includes("reassign") ? [input, " ", assign] : [item.owner || "unowned"])));
  return tr;
}

const contractOption = (c, why) => el("option", { value: c.id, ...(why ? { title: why } : {}) },
  `${c.title || c.file_name} (${c.file_name})${why ? ` — ${why}` : ""}`);

// the contracts a waiting amendment could amend (the API's candidates, each with why: the agreements of
// its day, the agreement an earlier amendment of its day amends), first and preselected when there is
// exactly one; then the team's other contracts. None is applied until a person clicks Apply.
function amendmentChoices(candidates, contracts) {
  const offered = candidates.map((c) => [contracts.find((k) => k.id === c.value), c.why])
    .filter(([contract]) => contract);
  const rest = contracts.filter((c) => !offered.some(([k]) => k.id === c.id));
  const options = [el("option", { value: "" }, "choose the contract it amends")];
  if (!offered.length) return options.concat(rest.map((c) => contractOption(c)));
  return options.concat(
    el("optgroup", { label: "Candidates" }, ...offered.map(([c, why]) => contractOption(c, why))),
    ...(rest.length ? [el("optgroup", { label: "Other contracts" }, ...rest.map((c) => contractOption(c)))] : []));
}

// an amendment no contract of the team could be told to be the one it amends (none dated as it says,
// several, or the one that was does not name it): a person picks it (PUT /contracts/{id}/amends)
function amendmentRow(amendment, contracts) {
  const why = amendment.attention.find((a) => a.kind === "amendment_waiting");
  const name = amendment.title || amendment.file_name;
  if (!may(amendment, "link_amendment")) {
    return el("tr", { dataset: { contract: amendment.id } }, el("td", {}, contractLink(amendment.id, name)),
      el("td", {}, why ? why.message : amendment.status_reason || "-"), el("td", { class: "muted" }, FOR_AN_EDITOR));
  }
  const select = el("select", { "aria-label": `The contract ${name} amends` },
    ...amendmentChoices(why ? why.candidates || [] : [], contracts));
  const offered = select.querySelectorAll("optgroup[label='Candidates'] option");
  if (offered.length === 1) select.value = offered[0].value; // the one candidate: a person still clicks Apply
  // the chosen candidate's why, in full under the choice (the select shows the start of it)
  const chosenWhy = el("div", { class: "muted candidate-why" });
  const showWhy = () => { chosenWhy.textContent = select.selectedOptions[0]?.title || ""; };
  select.addEventListener("change", showWhy);
  showWhy();
  const tr = el("tr", { dataset: { contract: amendment.id } },
    el("td", {}, contractLink(amendment.id, name)), el("td", {}, why ? why.message : amendment.status_reason || "-"),
    el("td", {}, select, " ", chosenWhy, el("button", { type: "button", class: "apply", onclick: async (event) => {
      if (!select.value) {
        status(`Choose the contract ${name} amends first.`);
        return;
      }
      const button = event.currentTarget;
      button.disabled = true; // one request at a time: a second click would race the first
      try {
        const applied = await api(`/contracts/${encodeURIComponent(amendment.id)}/amends`,
          { method: "PUT", json: { contract_id: select.value } });
        const target = contracts.find((c) => c.id === applied.amends_contract_id);
        tr.dataset.amends = applied.amends_contract_id;
        tr.lastChild.replaceChildren("applied to ",
          contractLink(applied.amends_contract_id, target ? target.title || target.file_name : applied.amends_contract_id));
        status(`${name} applied; the contract's deadlines are re-planned.`);
      } catch (error) {
        failed(error);
        button.disabled = false;
      }
    } }, "Apply")));
  return tr;
}

// a document that does not read as a contract: a person says it is one (POST /contracts/{id}/is-a-contract:
// the flag goes, audited, and stays gone when it is extracted again)
function notContractRow(contract) {
  const name = contract.title || contract.file_name;
  const why = contract.attention.find((a) => a.kind === "not_a_contract").message;
  if (!may(contract, "confirm_contract")) {
    return el("tr", { dataset: { contract: contract.id } }, el("td", {}, contractLink(contract.id, name)),
      el("td", {}, why), el("td", { class: "muted" }, FOR_AN_EDITOR));
  }
  const confirm = el("button", { type: "button", class: "is-contract", onclick: () => busy(confirm, async () => {
    await api(`/contracts/${encodeURIComponent(contract.id)}/is-a-contract`, { method: "POST" });
    tr.dataset.confirmed = "true";
    tr.lastChild.replaceChildren("confirmed: a contract");
    status(`${name}: no longer flagged as not reading as a contract.`);
  }) }, "It is a contract");
  const tr = el("tr", { dataset: { contract: contract.id } }, el("td", {}, contractLink(contract.id, name)),
    el("td", {}, why), el("td", {}, confirm));
  return tr;
}

// an amendment applied but read as changing no term: a person checks it and enters what it changes on
// the contract's page, or says it changes none tracked here (POST /contracts/{id}/amendment-checked:
// the flag goes, on it and on the contract it amends, audited)
function noChangeRow(amendment, agreements) {
  const name = amendment.title || amendment.file_name;
  const why = amendment.attention.find((a) => a.kind === "amendment_no_change_read").message;
  const target = agreements.find((c) => c.id === amendment.amends_contract_id);
  const cells = [el("td", {}, contractLink(amendment.id, name)),
    el("td", {}, contractLink(amendment.amends_contract_id, target ? target.title || target.file_name : amendment.amends_contract_id)),
    el("td", {}, why)];
  if (!may(amendment, "check_amendment")) {
    return el("tr", { dataset: { contract: amendment.id } }, ...cells, el("td", { class: "muted" }, FOR_AN_EDITOR));
  }
  const check = el("button", { type: "button", class: "checked", onclick: () => busy(check, async () => {
    await api(`/contracts/${encodeURIComponent(amendment.id)}/amendment-checked`, { method: "POST" });
    tr.dataset.checked = "true";
    tr.lastChild.replaceChildren("checked: nothing to enter");
    status(`${name}: checked; no longer flagged as changing no term.`);
  }) }, "Checked: it changes no term tracked here");
  const tr = el("tr", { dataset: { contract: amendment.id } }, ...cells, el("td", {}, check));
  return tr;
}

// an amendment with no number and no signing date, applied in the order filed: a person says the day it
// was signed (it is placed in the order made) or that the order filed is right (POST
// /contracts/{amendment_id}/amendment-checked {made_on} or {confirm_order: true}: the flag goes, the amendments applied again, audited)
function orderRow(contract, flag, files) {
  const name = contract.title || contract.file_name;
  const file = files.get(flag.amendment_id) || flag.amendment_id;
  const cells = [el("td", {}, contractLink(contract.id, name)), el("td", {}, contractLink(flag.amendment_id, file)),
    el("td", {}, flag.message)];
  const data = { contract: contract.id, amendment: flag.amendment_id };
  if (!may(contract, "confirm_amendment_order")) {
    return el("tr", { dataset: data }, ...cells, el("td", { class: "muted" }, FOR_AN_EDITOR));
  }
  const path = `/contracts/${encodeURIComponent(flag.amendment_id)}/amendment-checked`;
  const settled = (text) => {
    tr.dataset.settled = text;
    tr.lastChild.replaceChildren(text);
  };
  // not after today in the contract's time zone (the API answers 400 for a later day)
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: contract.time_zone || "UTC" }).format(new Date());
  const made = el("input", { type: "date", max: today, "aria-label": `Day ${file} was signed` });
  const signed = el("button", { type: "button", class: "signed-on", onclick: () => {
    if (!made.value) {
      status(`Enter the day ${file} was signed, then Signed on this day.`, "error");
      made.focus();
      return;
    }
    busy([signed, filed], async () => {
      await api(path, { method: "POST", json: { made_on: made.value } });
      settled(`signed on ${made.value}: applied in the order made`);
      status(`${file}: signed on ${made.value}; the amendments of ${name} are applied in the order made.`);
    });
  } }, "Signed on this day");
  enterPresses(signed, made);
  const filed = el("button", { type: "button", class: "order-filed", onclick: () => busy([signed, filed], async () => {
    await api(path, { method: "POST", json: { confirm_order: true } });
    settled("confirmed: made in the order filed");
    status(`${file}: the order filed is the order it was made in.`);
  }) }, "The order filed is right");
  const tr = el("tr", { dataset: data }, ...cells, el("td", {}, made, " ", signed, " ", filed));
  return tr;
}

// a recurring duty's rule a person marked done before 2026-12-07, when "done" also ended a duty: the
// upgrade left it done (no later occurrence planned) and flagged it. Reopen it if the duty goes on
// (POST .../obligations/{oid}/reopen: the occurrences owed meanwhile are made, overdue, and the next
// planned from today; a contract that ended since: 409, the flag off) or waive it if it
// ended (POST .../waive, expected_status done); either takes the flag off, audited.
function ruleDoneRow(contract, flag) {
  const name = contract.title || contract.file_name;
  // the duty as the flag names it (rules_marked_done.flag_message), so two on one contract differ
  const quoted = /^recurring duty "(.*?)" \(/.exec(flag.message || "");
  const duty = quoted ? `the duty "${quoted[1]}" (rule ${flag.obligation_id}) of ${name}`
    : `the duty of rule ${flag.obligation_id} of ${name}`;
  const cells = [el("td", {}, contractLink(contract.id, name)), el("td", {}, flag.message)];
  const data = { contract: contract.id, obligation: flag.obligation_id };
  if (!may(contract, "reopen_rule")) {
    return el("tr", { dataset: data }, ...cells, el("td", { class: "muted" }, FOR_AN_EDITOR));
  }
  const path = `/contracts/${encodeURIComponent(contract.id)}/obligations/${segment(flag.obligation_id)}`;
  const settled = (text) => {
    tr.dataset.settled = text;
    tr.lastChild.replaceChildren(text);
  };
  const reopen = el("button", { type: "button", class: "reopen-rule", "aria-label": `Reopen ${duty}`, onclick: () => busy([reopen, waive], async () => {
    let reply;
    try {
      reply = await api(`${path}/reopen`, { method: "POST" });
    } catch (error) {
      // the contract ended since the flag was put on: nothing to plan, the flag is off (nothing to offer)
      if (error instanceof ApiError && error.status === 409 && /the contract ended on/.test(error.message)) {
        settled(error.message);
      }
      throw error;
    }
    const made = reply.occurrences_made || [];
    const owed = made.length === 0 ? "nothing was owed meanwhile"
      : `${made.length} overdue occurrence${made.length === 1 ? "" : "s"} owed meanwhile made (${made.map((id) => id.split("@")[1]).join(", ")}): mark each done or waive it`;
    settled(`reopened: ${owed}; the next planned from today`);
    status(`${name}: the duty goes on; ${owed}; its next occurrence is planned from today.`);
  }) }, "Reopen");
  const reason = el("input", { type: "text", autocomplete: "off", placeholder: "why the duty ended",
    "aria-label": `Reason for waiving ${duty}` });
  const waive = el("button", { type: "button", class: "waive-rule", "aria-label": `Waive ${duty}`, onclick: () => {
    const why = reason.value.trim();
    if (!why) {
      status("Type the reason the duty ended, then Waive.", "error");
      reason.focus();
      return;
    }
    busy([reopen, waive], async () => {
      await api(`${path}/waive`, { method: "POST", json: { reason: why, expected_status: "done" } });
      settled("waived: the duty ended");
      status(`${name}: the duty is waived (it ended).`);
    });
  } }, "Waive");
  enterPresses(waive, reason);
  const tr = el("tr", { dataset: data }, ...cells, el("td", {}, reopen, " ", reason, " ", waive));
  return tr;
}

async function load() {
  header("attention.html");
  try {
    const bad = [...await all("/contracts?status=QUARANTINED"), ...await all("/contracts?status=FAILED")];
    document.querySelector("#failed tbody").replaceChildren(...bad.map((c) =>
      el("tr", { dataset: { contract: c.id } }, el("td", {}, contractLink(c.id, c.file_name)), el("td", {}, c.status),
        el("td", {}, c.status_reason || "-"), el("td", {}, c.received_at))));
    const unowned = await all("/obligations?owner=unowned");
    const zones = new Map();
    for (const item of unowned) {
      if (!zones.has(item.contract_id)) zones.set(item.contract_id, (await api(`/contracts/${item.contract_id}`)).time_zone);
    }
    document.querySelector("#unowned tbody").replaceChildren(...unowned.map((o) => unownedRow(o, zones.get(o.contract_id))));
    const every = await all("/contracts?status=EXTRACTED");
    const extracted = every.filter((c) => !c.amends_contract_id);
    const isWaitingAmendment = (c) => c.attention.some((a) => a.kind === "amendment_waiting");
    const amendments = extracted.filter(isWaitingAmendment);
    const contracts = extracted.filter((c) => !isWaitingAmendment(c));
    document.querySelector("#amendments tbody").replaceChildren(...amendments.map((a) => amendmentRow(a, contracts)));
    // no parties, no key term, no contract wording (extract/contract_language.py): kept, for a person to
    // check; "It is a contract" or entering its terms (below) clears it, or the contract page deletes it
    const notContracts = contracts.filter((c) => c.attention.some((a) => a.kind === "not_a_contract"));
    document.querySelector("#not-contracts tbody").replaceChildren(...notContracts.map(notContractRow));
    const noChange = every.filter((c) => c.amends_contract_id
      && c.attention.some((a) => a.kind === "amendment_no_change_read"));
    document.querySelector("#no-change tbody").replaceChildren(...noChange.map((a) => noChangeRow(a, extracted)));
    const files = new Map(every.map((c) => [c.id, c.file_name]));
    const orderUnknown = contracts.flatMap((c) => c.attention.filter((a) => a.kind === "amendment_order_unknown")
      .map((flag) => orderRow(c, flag, files)));
    document.querySelector("#order-unknown tbody").replaceChildren(...orderUnknown);
    const rulesDone = contracts.flatMap((c) => c.attention.filter((a) => a.kind === "rule_marked_done")
      .map((flag) => ruleDoneRow(c, flag)));
    document.querySelector("#rules-done tbody").replaceChildren(...rulesDone);
    const rows = [];
    const waiting = [];
    for (const summary of contracts) {
      const contract = await api(`/contracts/${summary.id}`);
      const events = conditionalTerms(contract).filter((item) => !item.event_date);
      // a term that runs from an event waits for its date, not for a typed-in expiration
      const keys = KEY_TERMS.filter((n) => !(n in contract.terms) && !(n === "expiration_date" && events.length));
      for (const name of keys) rows.push(missingRow(contract, name));
      for (const item of events) {
        waiting.push(eventRow(contract, item, { withContract: contractLink(contract.id, contract.title || contract.file_name) }));
      }
    }
    document.querySelector("#missing tbody").replaceChildren(...rows);
    document.querySelector("#waiting tbody").replaceChildren(...waiting);
    status(`${bad.length} upload(s), ${unowned.length} obligation(s), ${amendments.length} amendment(s), `
      + `${notContracts.length} document(s) that do not read as contracts, ${noChange.length} amendment(s) read as `
      + `changing no term, ${orderUnknown.length} amendment(s) made in an order not known, ${rulesDone.length} recurring `
      + `${rulesDone.length === 1 ? "duty's rule" : "duties' rules"} marked done before 2026-12-07, `
      + `${rows.length} term(s) and ${waiting.length} event date(s) need attention.`);
    document.body.dataset.loaded = "attention";
  } catch (error) {
    failed(error);
  }
}

load();
