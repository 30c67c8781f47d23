// Renewals (the landing page): contracts whose notice deadline or term end is in the next N days,
// soonest first, as a table and a timeline, after the terms of contracts that do not renew that
// ended in the last 30 days (the API's term_ended: services may go on with no contract), by their
// end, with those whose term end passed then with their renewal not known (the API's renewal:
// "unknown": never shown as ended without renewing). Overdue and "closing within 14 days" stand out,
// and so does a contract that does not renew whose term ends within 14 days ("ending") or has ended
// ("ended"); each term's renewal decision (its workflow: waiting for whom, recommended what, decided
// by whom).
import { all, api, contractLink, day, el, failed, header, status } from "./app.js";

const CLOSING_DAYS = 14;
const ENDED_DAYS = 30; // the API's ended_within: how far back an ended term is listed
const WIDEST_ZONE_MS = 14 * 3600 * 1000; // UTC+14 (Pacific/Kiritimati): no contract's today is later

// the notice deadline's flag first (what a person can still do); else, for a contract that does
// not renew (auto_renew false: unknown is not "no"; or a renewal decision ended it, `ended`), its
// term's end within the closing window
// what a passed term end's `renewal` says is not known
function notKnown(item) {
  return item.renewal === "renewal term unknown" ? "renews; renewal term not known" : "renewal not known";
}

export function urgency(item) {
  if (item.term_ended) return "ended";  // the API lists a term that ended only when it ended without renewing
  if (item.renewal) return "unknown";  // its end passed: whether it renewed (or its next term) is not known
  const left = item.days_left_to_give_notice;
  if (item.missed_notice_deadline) return "overdue";  // this term's notice deadline passed, none recorded
  if (item.notice_status === "overdue" || (left !== null && left < 0)) return "overdue";
  if (left !== null && left <= CLOSING_DAYS) return "closing";
  const end = item.days_to_expiration;
  if ((item.auto_renew !== false && !item.ended) || end === null || end === undefined) return null;
  return end <= CLOSING_DAYS ? "ending" : null;
}

// a passed term end a person marked done (not a renewal decision), in words; marked before the
// term's last day (no day said), that day is when it was marked, not when the term ended (its last
// day, `expiration`, which the row shows and `days_since_end` counts from): said so, unless `early`
// is false (a badge whose tooltip, its `renewal_reason`, says it already)
export function markedDone(item, early = true) {
  const before = early && item.marked_done_on && item.expiration && item.marked_done_on < item.expiration
    ? `, before the term's last day (${item.expiration})` : "";
  return `marked done by ${item.marked_done_by}` + (item.marked_done_on ? ` on ${item.marked_done_on}` : "") + before;
}

// the term end's badge of a contract that does not renew, with the days to its end or since it (null
// when the row is not flagged for its end); a passed end whose renewal is unknown says the early done
// once: in its tooltip, the `renewal_reason`, which says how it was closed
export function endBadge(item, flag) {
  const end = item.days_to_expiration;
  if (flag === "ended") {
    const by = item.ended_by === "decision" ? " (renewal decision)" : item.marked_done_by ? ` (${markedDone(item)})` : "";
    return el("span", { class: "badge ends" }, ` ended ${item.days_since_end} day(s) ago${by}`);
  }
  if (flag === "unknown") {
    const marked = item.marked_done_by ? `; ${markedDone(item, !item.renewal_reason)}` : "";
    return el("span", { class: "badge ends", title: item.renewal_reason || "" },
      ` term end passed ${item.days_since_end} day(s) ago — ${notKnown(item)}${marked}`);
  }
  if (flag === "ending") return el("span", { class: "badge ends" }, end === 0 ? " ends today" : ` ends in ${end} day(s)`);
  return null;
}

// the term's renewal decision in words, from the API's `decision` (none: not started yet)
export function decisionText(decision) {
  if (!decision) return "not started";
  if (decision.state === "waiting") {
    return `waiting for the ${decision.waiting_for || "owner"}`
      + (decision.recommended ? ` (recommended: ${decision.recommended})` : "");
  }
  if (decision.decided_by) return `${decision.outcome || decision.state}, by ${decision.decided_by}`;
  return decision.outcome || decision.state;
}

function row(item) {
  const flag = urgency(item);
  const left = item.days_left_to_give_notice;
  return el("tr", { class: flag, dataset: { contract: item.contract_id } },
    el("td", {}, contractLink(item.contract_id, item.title || item.contract_id)),
    el("td", {}, item.counterparty || "-"),
    el("td", {}, item.owner || "unowned"),
    el("td", {}, item.auto_renew === null ? "-" : item.auto_renew
      ? `yes${item.renewal_term ? ` (${item.renewal_term})` : ""}` : "no"),
    el("td", { class: "notice-deadline" }, item.missed_notice_deadline
      ? el("span", { title: item.missed_notice_derivation || "" },
        el("span", { class: "badge" }, "missed "), day(item.missed_notice_deadline, item.time_zone),
        `; next ${day(item.notice_deadline, item.time_zone)}`)
      : day(item.notice_deadline, item.time_zone)),
    el("td", { class: "days-left" }, left === null ? "-" : String(left),
      flag === "overdue" ? el("span", { class: "badge" }, " overdue") : null,
      flag === "closing" ? el("span", { class: "badge" }, " closing") : null),
    el("td", { class: "expiration" }, day(item.expiration, item.time_zone), endBadge(item, flag)),
    el("td", {}, item.notice_status || "-"),
    el("td", { class: "decision", dataset: { state: item.decision ? item.decision.state : "none" } },
      decisionText(item.decision)));
}

function timeline(items, within) {
  const list = document.getElementById("timeline");
  list.replaceChildren(el("span", { class: "today" }, "today"));
  items.forEach((item, index) => {
    const days = Math.min(within, Math.max(0, item.days_left_to_give_notice ?? item.days_to_expiration ?? 0));
    // three lanes of labels, so that close dates do not print over each other
    const flag = urgency(item);
    // flagged for its term's end: the label says so, with that day
    const when = flag === "ending" ? `ends ${day(item.expiration, item.time_zone)}`
      : flag === "ended" ? `ended ${day(item.expiration, item.time_zone)}`
        : flag === "unknown" ? `term end passed ${day(item.expiration, item.time_zone)} — ${notKnown(item)}`
          : day(item.next_date, item.time_zone);
    const marker = el("li", { class: [flag, `lane${index % 3}`].filter(Boolean).join(" ") },
      el("a", { href: `contract.html?id=${encodeURIComponent(item.contract_id)}` }, `${item.title || item.contract_id}: ${when}`));
    marker.style.left = `${(100 * days) / within}%`;
    list.append(marker);
  });
}

// an empty window says why: the team has no contracts yet (and where to add them), or none comes up
// in this window (and a longer one to choose)
async function empty(items, within) {
  const box = document.getElementById("empty");
  box.hidden = items.length > 0;
  document.getElementById("timeline").hidden = items.length === 0;
  if (items.length) return;
  const none = `No notice deadline or term end in the next ${within} days`;
  let contracts;
  try {
    contracts = (await api("/contracts")).items;
  } catch {
    box.replaceChildren(`${none}.`); // why not is unknown: the list above is still right
    return;
  }
  box.replaceChildren(...(contracts.length === 0
    ? ["Your team has no contracts yet: ", el("a", { href: "upload.html" }, "upload signed PDFs"),
      " and their notice deadlines and term ends will be listed here."]
    : [none + (within < 365 ? ": choose a longer window above to see what comes later." : ".")]));
}

function addDays(iso, days) {
  const when = new Date(`${iso}T00:00:00Z`);
  when.setUTCDate(when.getUTCDate() + days);
  return when.toISOString().slice(0, 10);
}

// The last day anything "due in the next 7 days" can be due, to ask the API for no more (its
// due_before, inclusive): 7 days after the latest today anywhere, the browser's day in UTC+14. The
// API's clock may be ahead of the browser's (a simulated today, a wrong clock): the today it
// counted each listed item from (its day minus its days left, in its contract's time zone, plus a
// day for a zone further east) raises it. A later bound only asks for more; days_left decides.
function weekEnd(dated) {
  let today = new Date(Date.now() + WIDEST_ZONE_MS).toISOString().slice(0, 10);
  for (const [when, left] of dated) {
    if (!when || left === null || left === undefined) continue;
    const theirs = addDays(when, 1 - left);
    if (theirs > today) today = theirs;
  }
  return addDays(today, 7);
}

// the landing page also says what is overdue or due this week (obligations, counted as the
// Obligations page counts them: in each contract's time zone, by the API's days_left); when it
// cannot be counted the box is hidden, and the renewals above stay as they are
async function thisWeek(renewals) {
  const box = document.getElementById("this-week");
  try {
    const overdue = await all("/obligations?status=overdue");
    const end = weekEnd([...overdue.map((o) => [o.due, o.days_left]),
      ...renewals.map((r) => [r.expiration, r.days_to_expiration])]);
    const open = await all(`/obligations?status=open&due_before=${end}`);
    const soon = open.filter((o) => o.status === "open" && o.days_left !== null && o.days_left >= 0 && o.days_left <= 7);
    show(box, overdue.length, soon.length);
  } catch {
    box.hidden = true;
    box.dataset.failed = "true";
  }
}

export function show(box, overdue, soon) {
  box.hidden = false;
  delete box.dataset.failed;
  box.dataset.overdue = String(overdue);
  box.dataset.soon = String(soon);
  if (!overdue && !soon) {
    box.replaceChildren("This week: no obligation is overdue or due in the next 7 days.");
    box.className = "this-week";
    return;
  }
  box.className = overdue ? "this-week overdue" : "this-week";
  // replaceChildren writes a null as the text "null": only the parts that are there
  const parts = ["This week: "];
  if (overdue) parts.push(el("a", { href: "obligations.html?window=overdue" }, `${overdue} obligation(s) overdue`));
  if (overdue && soon) parts.push(", ");
  if (soon) parts.push(el("a", { href: "obligations.html?window=week" }, `${soon} due in the next 7 days`));
  box.replaceChildren(...parts, ".");
}

async function load() {
  const select = document.getElementById("within");
  const within = Number(select.value);
  status("Loading ...");
  let items;
  try {
    items = await all(`/renewals?within=${within}&ended_within=${ENDED_DAYS}`);
  } catch (error) {
    failed(error);
    return;
  }
  document.querySelector("#renewals tbody").replaceChildren(...items.map(row));
  timeline(items, within);
  const ended = items.filter((item) => item.term_ended).length;
  const unknown = items.filter((item) => item.renewal === "unknown").length;
  const termUnknown = items.filter((item) => item.renewal === "renewal term unknown").length;
  status(`${items.length - ended - unknown - termUnknown} contract(s) with a notice deadline or term end in the next ${within} days`
    + (ended ? `; ${ended} contract(s) that do not renew ended in the last ${ENDED_DAYS} days` : "")
    + (unknown ? `; ${unknown} contract(s) whose term end passed in the last ${ENDED_DAYS} days with their renewal `
      + "not known (no renewal clause was found: check whether each renewed)" : "")
    + (termUnknown ? `; ${termUnknown} contract(s) that renew by themselves whose term end passed in the last `
      + `${ENDED_DAYS} days with no renewal term known (enter each one's renewal term)` : "") + ".");
  // neither fails the page: each says what it can, and the renewals are shown either way
  await Promise.all([empty(items, within), thisWeek(items)]);
  document.body.dataset.loaded = "renewals";
}

header("renewals.html");
const select = document.getElementById("within");
const wanted = new URLSearchParams(location.search).get("within");
if (wanted && [...select.options].some((o) => o.value === wanted)) select.value = wanted;
select.addEventListener("change", () => {
  history.replaceState(null, "", `?within=${select.value}`);
  load();
});
load();
