// The trainer's app: a policy desk (county, the five reforms as cards, every lever, a budget
// meter, a paired run with charts, table and debrief), guided exercises, and a classroom mode.
// Levers, counties and reforms come from the server's tables (/api/levers, /api/library), so a
// lever the model gains appears here without a change to this file.

import "./style.css";
import { api, tokenQuery, waitForRun } from "./api";
import type { Budget, Lever, LeverValue, Levers, RunResult, RunStatus, Scenario } from "./api";
import { drawCharts } from "./charts";
import { h } from "./dom";
import { costVerdictText, exercises, fillTemplate, formatNumber } from "./exercises";
import type { Exercise } from "./exercises";
import * as words from "./i18n";
import type { Lang } from "./i18n";

interface State {
  lang: Lang;
  tab: "desk" | "exercises" | "class";
  levers: Lever[];
  limits: { max_replicates: number; max_years: number; default_replicates: number; default_years: number };
  counties: Scenario[];
  reforms: Scenario[];
  county: string;
  policy: Levers; // levers that differ from the county
  adopted: Set<string>; // reform cards switched on
  openCard: string | null;
  replicates: number;
  years: number;
  budget: { status_quo: Budget; policy: Budget } | null;
  run: { id: string; status: RunStatus } | null;
  result: RunResult | null;
  error: string;
  exercise: Exercise | null;
  exerciseResult: RunResult | null;
  exerciseStatus: RunStatus | null;
  session: { code: string; key?: string; team?: string } | null;
  board: SessionBoard | null;
  form: Record<string, string>; // the classroom's inputs, kept across renders
}

interface SessionBoard {
  code: string;
  title: string;
  county: string;
  revealed: boolean;
  teams: { team: string; state: string; figures?: Record<string, { status_quo: number; policy: number; difference: number }>; error?: string }[];
}

const state: State = {
  lang: (localStorage.getItem("anjian-lang") as Lang) === "en" ? "en" : "zh",
  tab: "desk",
  levers: [],
  limits: { max_replicates: 8, max_years: 5, default_replicates: 4, default_years: 2 },
  counties: [],
  reforms: [],
  county: "county_baseline",
  policy: {},
  adopted: new Set(),
  openCard: null,
  replicates: 4,
  years: 2,
  budget: null,
  run: null,
  result: null,
  error: "",
  exercise: null,
  exerciseResult: null,
  exerciseStatus: null,
  session: null,
  board: null,
  form: { "session-title": "安监课堂", "session-county": "county_baseline", "join-code": "", "team-name": "" },
};

const t = (key: string) => words.word(words.ui, key, state.lang);
const leverName = (key: string) => words.word(words.levers, key, state.lang, key);
const outcomeName = (key: string) => words.word(words.outcomes, key, state.lang, key);
const scenarioName = (s: Scenario) => words.word(words.scenarios, s.name, state.lang, s.name);
const county = () => state.counties.find((c) => c.name === state.county) ?? state.counties[0];
const leverOf = (key: string) => state.levers.find((l) => l.key === key);

function countyValue(key: string): LeverValue {
  return county()?.values?.[key] ?? leverOf(key)?.default ?? 0;
}
function policyValue(key: string): LeverValue {
  return key in state.policy ? state.policy[key] : countyValue(key);
}

// ---- Changing the policy -------------------------------------------------------------------------

function setLever(key: string, value: LeverValue) {
  if (value === countyValue(key)) delete state.policy[key];
  else state.policy[key] = value;
  policyChanged();
}

function toggleReform(reform: Scenario) {
  if (state.adopted.has(reform.name)) {
    state.adopted.delete(reform.name);
    for (const key of Object.keys(reform.levers)) delete state.policy[key];
  } else {
    state.adopted.add(reform.name);
    for (const [key, value] of Object.entries(reform.levers)) setLeverQuietly(key, value);
  }
  state.openCard = reform.name;
  policyChanged();
}

function setLeverQuietly(key: string, value: LeverValue) {
  if (value === countyValue(key)) delete state.policy[key];
  else state.policy[key] = value;
}

let budgetTimer = 0;
function policyChanged() {
  render();
  clearTimeout(budgetTimer);
  budgetTimer = window.setTimeout(refreshBudget, 150);
}

async function refreshBudget() {
  try {
    state.budget = await api("POST", "/api/budget", { county: state.county, levers: state.policy });
    state.error = "";
  } catch (e) {
    state.error = String((e as Error).message);
  }
  render();
}

// ---- Running ---------------------------------------------------------------------------------------

async function startRun(request: object, onStatus: (s: RunStatus) => void): Promise<RunStatus> {
  const { id } = await api<{ id: string }>("POST", "/api/runs", request);
  return waitForRun(id, onStatus);
}

async function runDesk() {
  state.error = "";
  state.result = null;
  try {
    const request = { county: state.county, levers: state.policy, replicates: state.replicates, years: state.years };
    const final = await startRun(request, (s) => {
      state.run = { id: s.id, status: s };
      renderProgress();
    });
    if (final.state === "done" && final.result) state.result = final.result;
    if (final.state === "failed") state.error = final.error ?? t("failed");
  } catch (e) {
    state.error = String((e as Error).message);
  }
  render();
}

async function cancelRun() {
  if (state.run) await api("DELETE", `/api/runs/${state.run.id}`).catch(() => undefined);
}

// ---- Rendering ------------------------------------------------------------------------------------

const root = document.getElementById("app")!;

function render() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  document.title = t("title");
  const views = { desk: renderDesk, exercises: renderExercises, class: renderClass };
  root.replaceChildren(
    h("header", {},
      h("div", { class: "titles" }, h("h1", {}, t("title")), h("p", { class: "subtitle" }, t("subtitle"))),
      h("button", { id: "lang", class: "lang", onclick: () => switchLanguage() }, t("lang_switch"))),
    h("nav", {},
      ...(["desk", "exercises", "class"] as const).map((tab) =>
        h("button", { id: `tab-${tab}`, class: state.tab === tab ? "tab active" : "tab", onclick: () => { state.tab = tab; render(); } },
          t(`tab_${tab}`)))),
    state.error ? h("p", { class: "error", id: "error" }, `${t("error")}: ${state.error}`) : "",
    h("main", {}, views[state.tab]()),
  );
  if (state.tab === "desk" && state.result) drawResultCharts(state.result, "charts");
  if (state.tab === "exercises" && state.exerciseResult) drawResultCharts(state.exerciseResult, "exercise-charts");
}

function switchLanguage() {
  state.lang = state.lang === "zh" ? "en" : "zh";
  localStorage.setItem("anjian-lang", state.lang);
  render();
}

function drawResultCharts(result: RunResult, id: string) {
  const box = document.getElementById(id);
  if (box) drawCharts(box, result, outcomeName, { status_quo: t("status_quo"), policy: t("policy") }, t("year"));
}

function renderDesk(): HTMLElement {
  return h("div", { class: "desk" },
    h("section", { class: "controls" },
      h("label", {}, t("county"), " ",
        h("select", { id: "county", onchange: (e: Event) => { state.county = (e.target as HTMLSelectElement).value; state.policy = {}; state.adopted.clear(); policyChanged(); } },
          ...state.counties.map((c) => h("option", { value: c.name, selected: c.name === state.county }, scenarioName(c))))),
      h("h2", {}, t("reforms")),
      h("div", { class: "cards" }, ...studyOrder(state.reforms.filter((r) => r.name !== "reform_all")).map(reformCard)),
      allLevers(),
      scenarioSummary(),
    ),
    h("section", { class: "side" },
      budgetMeter(),
      h("div", { class: "run-box" },
        h("label", {}, t("replicates"), " ", h("input", { id: "replicates", type: "number", min: 1, max: state.limits.max_replicates, value: state.replicates,
          onchange: (e: Event) => { state.replicates = Number((e.target as HTMLInputElement).value); } })),
        h("label", {}, t("years"), " ", h("input", { id: "years", type: "number", min: 1, max: state.limits.max_years, step: 1, value: state.years,
          onchange: (e: Event) => { state.years = Number((e.target as HTMLInputElement).value); } })),
        h("button", { id: "run", class: "primary", onclick: () => runDesk() }, t("run")),
        h("button", { id: "cancel", onclick: () => cancelRun() }, t("cancel")),
        h("button", { id: "reset", onclick: () => { state.policy = {}; state.adopted.clear(); policyChanged(); } }, t("reset")),
        h("div", { id: "progress-box" }, progressBar()),
      ),
    ),
    state.result ? resultView(state.result, "charts") : null,
  );
}

// The study's recommendations R1 to R5 in its order; reforms the library gains later follow.
const recommendationOrder = ["reform_professional_team", "reform_system_mechanism", "reform_assessment", "reform_integration", "reform_social_environment"];
function studyOrder(reforms: Scenario[]): Scenario[] {
  const rank = (r: Scenario) => (recommendationOrder.indexOf(r.name) + recommendationOrder.length + 1) % (recommendationOrder.length + 1);
  return [...reforms].sort((a, b) => rank(a) - rank(b));
}

function reformCard(reform: Scenario): HTMLElement {
  const adopted = state.adopted.has(reform.name);
  const open = state.openCard === reform.name;
  return h("div", { class: `card${adopted ? " adopted" : ""}`, "data-reform": reform.name },
    h("button", { class: "card-head", onclick: () => toggleReform(reform) },
      h("span", { class: "tick" }, adopted ? "✔" : "＋"), " ", scenarioName(reform)),
    h("button", { class: "card-open", onclick: () => { state.openCard = open ? null : reform.name; render(); } }, open ? "▲" : "▼"),
    open ? h("div", { class: "card-levers" }, ...Object.keys(reform.levers).map(leverControl)) : null,
  );
}

function allLevers(): HTMLElement {
  const sections = new Map<string, Lever[]>();
  for (const lever of state.levers) {
    const section = lever.key.slice(0, lever.key.indexOf("."));
    sections.set(section, [...(sections.get(section) ?? []), lever]);
  }
  const details = h("details", { id: "all-levers" }, h("summary", {}, t("all_levers")));
  details.addEventListener("toggle", () => {
    if (!details.open || details.querySelector(".section")) return;
    for (const [section, levers] of sections)
      details.append(h("div", { class: "section" }, h("h3", {}, section), ...levers.map((l) => leverControl(l.key))));
  });
  return details;
}

// The range a slider offers: the lever's own range, narrowed around the county's value when the
// table allows huge numbers (posts up to a million).
function sliderRange(lever: Lever): [number, number, number] {
  const lo = lever.min ?? 0;
  let hi = lever.max ?? 1;
  const here = Number(countyValue(lever.key));
  if (hi > 10 && hi > 4 * Math.max(Math.abs(here), 1)) hi = Math.max(4 * Math.abs(here), lever.type === "integer" ? 10 : 1, Number(policyValue(lever.key)));
  const step = lever.type === "integer" ? 1 : (hi - lo) / 100;
  return [lo, hi, step];
}

function leverControl(key: string): HTMLElement {
  const lever = leverOf(key);
  if (!lever) return h("div", {}, key);
  const value = policyValue(key);
  const changed = key in state.policy;
  let input: HTMLElement;
  if (lever.type === "boolean") {
    input = h("input", { type: "checkbox", checked: Boolean(value), onchange: (e: Event) => setLever(key, (e.target as HTMLInputElement).checked) });
  } else if (lever.type === "choice") {
    input = h("select", { onchange: (e: Event) => setLever(key, (e.target as HTMLSelectElement).value) },
      ...(lever.choices ?? []).map((c) => h("option", { value: c, selected: c === value }, words.word(words.choices, c, state.lang, c))));
  } else {
    const [lo, hi, step] = sliderRange(lever);
    input = h("input", { type: "range", min: lo, max: hi, step, value: Number(value),
      onchange: (e: Event) => setLever(key, lever.type === "integer" ? Math.round(Number((e.target as HTMLInputElement).value)) : Number((e.target as HTMLInputElement).value)) });
  }
  const shown = typeof value === "boolean" ? t(value ? "on" : "off") : typeof value === "string" ? words.word(words.choices, value, state.lang, value) : formatNumber(value);
  return h("div", { class: `lever${changed ? " changed" : ""}`, "data-lever": key, title: `${key}: ${lever.meaning}` },
    h("div", { class: "lever-name" }, leverName(key), h("span", { class: "unit" }, lever.unit !== "-" ? ` [${lever.unit}]` : "")),
    h("div", { class: "lever-input" }, input, h("span", { class: "value" }, shown)),
    state.lang === "en" || !(key in words.levers) ? h("div", { class: "meaning" }, lever.meaning) : null,
  );
}

function scenarioSummary(): HTMLElement {
  const keys = Object.keys(state.policy);
  return h("div", { id: "scenario", class: "scenario" },
    h("h3", {}, `${t("policy")}: ${keys.length}`),
    h("ul", {}, ...keys.map((k) => h("li", { "data-key": k }, `${leverName(k)}: ${formatValue(countyValue(k))} → ${formatValue(state.policy[k])}`))));
}

function formatValue(v: LeverValue): string {
  if (typeof v === "boolean") return t(v ? "on" : "off");
  if (typeof v === "string") return words.word(words.choices, v, state.lang, v);
  return formatNumber(v);
}

function money(x: number): string {
  return state.lang === "zh" ? `${formatNumber(x / 1e4)} ${t("wan_yuan")}` : `${formatNumber(x)} ${t("yuan")}`;
}

function budgetMeter(): HTMLElement {
  const b = state.budget;
  const row = (label: string, f: (x: Budget) => string) => h("tr", {}, h("th", {}, label), h("td", {}, b ? f(b.status_quo) : "…"), h("td", {}, b ? f(b.policy) : "…"));
  const over = b ? b.policy.total_yuan_per_year / b.status_quo.total_yuan_per_year : 1;
  return h("div", { class: "budget", id: "budget" },
    h("h2", {}, t("budget")),
    h("table", {},
      h("tr", {}, h("th", {}), h("th", {}, t("status_quo")), h("th", {}, t("policy"))),
      row(t("posts"), (x) => String(Math.round(x.posts))),
      row(t("wages"), (x) => money(x.wages_yuan_per_year)),
      row(t("inspection_budget"), (x) => money(x.inspection_budget_yuan_per_year)),
      row(t("grid"), (x) => money(x.grid_yuan_per_year)),
      row(t("reward"), (x) => money(x.reward_yuan_per_confirmed_report)),
      h("tr", { class: "total" }, h("th", {}, t("total")), h("td", {}, b ? money(b.status_quo.total_yuan_per_year) : "…"),
        h("td", { id: "budget-total" }, b ? money(b.policy.total_yuan_per_year) : "…"))),
    h("div", { class: "meter" }, h("div", { class: over > 1.05 ? "fill over" : "fill", style: `width:${Math.min(100, 50 * over)}%` })),
  );
}

function progressBar(): HTMLElement | null {
  const status = state.run?.status;
  if (!status) return null;
  const label = status.state === "running" ? t("running") : status.state === "queued" ? t("queued") : status.state === "cancelled" ? t("cancelled") : status.state === "failed" ? t("failed") : "";
  return h("div", { class: "progress", id: "progress", "data-state": status.state },
    h("div", { class: "bar", style: `width:${Math.round(status.progress * 100)}%` }), h("span", {}, `${label} ${Math.round(status.progress * 100)}%`));
}

function renderProgress() {
  const box = document.getElementById("progress-box") ?? document.getElementById("exercise-progress");
  if (!box) return;
  const status = state.tab === "exercises" ? state.exerciseStatus : state.run?.status;
  if (state.tab === "exercises" && status) state.run = { id: status.id, status };
  box.replaceChildren(progressBar() ?? "");
}

// ---- Results ----------------------------------------------------------------------------------------

function resultView(result: RunResult, chartsId: string): HTMLElement {
  return h("section", { class: "results", id: "results" },
    h("h2", {}, t("charts")),
    h("div", { id: chartsId, class: "charts" }),
    effectsTable(result),
    debrief(result),
  );
}

// True when a paired 95% interval excludes 0.
function clearlyMoved([lo, hi]: [number | null, number | null]): boolean {
  return lo !== null && hi !== null && (lo > 0 || hi < 0);
}

function effectsTable(result: RunResult): HTMLElement {
  const ce = result.cost_effectiveness[0];
  return h("div", { class: "effects" },
    h("h2", {}, t("effects")),
    h("table", { id: "effects" },
      h("tr", {}, h("th", {}, t("outcome")), h("th", {}, t("status_quo")), h("th", {}, t("policy")), h("th", {}, t("difference")), h("th", {}, t("ci"))),
      ...result.outcomes.map((o) => {
        const d = o.differences[0];
        return h("tr", { class: clearlyMoved([d.ci_low, d.ci_high]) ? "clear" : "", "data-outcome": o.key },
          h("td", {}, outcomeName(o.key), h("span", { class: "unit" }, ` [${o.unit}]`)),
          h("td", {}, formatNumber(o.mean["status_quo"])), h("td", {}, formatNumber(o.mean["policy"])),
          h("td", {}, formatNumber(d.difference, true)),
          h("td", {}, `[${formatNumber(d.ci_low, true)}, ${formatNumber(d.ci_high, true)}]`));
      })),
    h("p", { id: "cost-per-death" }, h("strong", {}, `${t("cost_per_death")}: `), costVerdictText(result, state.lang),
      ` (${formatNumber(ce.cost_yuan_per_year.difference, true)} ${t("yuan")}/yr; ${formatNumber(ce.deaths_averted_per_year.difference, true)} /yr)`),
  );
}

function debrief(result: RunResult): HTMLElement {
  const row = (key: string) => result.outcomes.find((o) => o.key === key)!;
  const dt = row("deaths_true"), dr = row("deaths_reported");
  const gap = t("gap_text")
    .replace("{sq_true}", formatNumber(dt.mean["status_quo"])).replace("{sq_rep}", formatNumber(dr.mean["status_quo"]))
    .replace("{p_true}", formatNumber(dt.mean["policy"])).replace("{p_rep}", formatNumber(dr.mean["policy"]))
    .replace("{d_rep}", formatNumber(dr.differences[0].difference, true)).replace("{d_true}", formatNumber(dt.differences[0].difference, true));
  // A warning only where a difference is clear (its interval excludes 0): noise is no lesson.
  const clearly = (o: typeof dt) => clearlyMoved([o.differences[0].ci_low, o.differences[0].ci_high]);
  const dTrue = dt.differences[0].difference ?? 0, dRep = dr.differences[0].difference ?? 0;
  const misleading = (clearly(dt) || clearly(dr)) &&
    (Math.sign(dTrue) !== Math.sign(dRep) || Math.abs(dRep) > 1.5 * Math.abs(dTrue) || Math.abs(dTrue) > 1.5 * Math.abs(dRep));
  const moved = (key: string) => {
    const o = result.outcomes.find((x) => x.key === key);
    return o && clearlyMoved([o.differences[0].ci_low, o.differences[0].ci_high]) ? o : null;
  };
  return h("div", { class: "debrief", id: "debrief" },
    h("h2", {}, t("debrief")),
    h("h3", {}, t("gap_title")), h("p", { id: "gap" }, gap), misleading ? h("p", { class: "warning" }, t("gap_warning")) : null,
    h("h3", {}, t("moved")),
    h("div", { class: "dimensions" }, ...words.dimensions.map((dim) => {
      const items = dim.outcomes.map(moved).filter((o) => o !== null);
      return h("div", { class: "dimension", "data-dimension": dim.key }, h("h4", {}, t(dim.key)),
        items.length ? h("ul", {}, ...items.map((o) => h("li", {}, `${outcomeName(o!.key)}: ${formatNumber(o!.differences[0].difference, true)} ${o!.unit}`))) : h("p", {}, t("nothing_moved")));
    })));
}

// ---- Exercises --------------------------------------------------------------------------------------

function renderExercises(): HTMLElement {
  const ex = state.exercise;
  if (!ex) {
    return h("div", { class: "exercise-list" }, ...exercises.map((e) =>
      h("div", { class: "exercise-card", "data-exercise": e.id },
        h("h3", {}, e.title[state.lang]),
        h("p", {}, e.briefing[state.lang]),
        h("button", { class: "primary", onclick: () => { state.exercise = e; state.exerciseResult = null; state.exerciseStatus = null; render(); } }, t("exercise_start")))));
  }
  const c = state.counties.find((x) => x.name === ex.county);
  const result = state.exerciseResult;
  return h("div", { class: "exercise", "data-exercise": ex.id },
    h("button", { onclick: () => { state.exercise = null; render(); } }, t("back")),
    h("h2", {}, ex.title[state.lang]),
    h("h3", {}, t("briefing")), h("p", { class: "briefing" }, c ? `${scenarioName(c)}. ` : "", ex.briefing[state.lang]),
    h("h3", {}, t("decision")),
    h("div", { class: "options" }, ...ex.options.map((o, i) =>
      h("button", { class: "option", "data-option": i, onclick: () => playExercise(ex, i) }, o.label[state.lang]))),
    h("div", { id: "exercise-progress" }, state.exerciseStatus && state.exerciseStatus.state !== "done" ? progressBar() : null),
    result ? h("div", { class: "reveal", id: "reveal" }, h("h3", {}, t("reveal")), h("p", {}, fillTemplate(ex.reveal[state.lang], result, state.lang))) : null,
    result ? resultView(result, "exercise-charts") : null,
  );
}

async function playExercise(ex: Exercise, option: number) {
  state.exerciseResult = null;
  state.error = "";
  try {
    const final = await startRun({ county: ex.county, levers: ex.options[option].levers, replicates: state.limits.default_replicates, years: state.limits.default_years },
      (s) => { state.exerciseStatus = s; renderProgress(); });
    state.exerciseStatus = final;
    if (final.state === "done" && final.result) state.exerciseResult = final.result;
    else state.error = final.error ?? t(final.state);
  } catch (e) {
    state.error = String((e as Error).message);
  }
  render();
}

// ---- Classroom ----------------------------------------------------------------------------------------

function renderClass(): HTMLElement {
  const s = state.session;
  const keep = (e: Event) => { const el = e.target as HTMLInputElement; state.form[el.id] = el.value; };
  const title = h("input", { id: "session-title", value: state.form["session-title"], oninput: keep });
  const countySelect = h("select", { id: "session-county", onchange: keep },
    ...state.counties.map((c) => h("option", { value: c.name, selected: c.name === state.form["session-county"] }, scenarioName(c))));
  const code = h("input", { id: "join-code", placeholder: "ABC123", maxlength: 16, value: state.form["join-code"], oninput: keep });
  const team = h("input", { id: "team-name", maxlength: 40, value: state.form["team-name"], oninput: keep });
  return h("div", { class: "classroom" },
    h("p", {}, t("same_numbers")),
    !s ? h("div", { class: "class-panels" },
      h("div", { class: "panel" }, h("h2", {}, t("facilitator")),
        h("label", {}, t("session_title"), " ", title), h("label", {}, t("county"), " ", countySelect),
        h("button", { id: "open-session", class: "primary", onclick: () => openSession(state.form["session-title"], state.form["session-county"]) }, t("open_session"))),
      h("div", { class: "panel" }, h("h2", {}, t("team")),
        h("label", {}, t("session_code"), " ", code), h("label", {}, t("team_name"), " ", team),
        h("button", { id: "join", class: "primary", onclick: () => joinSession(state.form["join-code"].trim().toUpperCase(), state.form["team-name"].trim()) }, t("join")))) : null,
    s ? sessionView() : null,
  );
}

async function openSession(title: string, countyName: string) {
  try {
    const created = await api<{ code: string; facilitator_key: string }>("POST", "/api/sessions", { title, county: countyName });
    state.session = { code: created.code, key: created.facilitator_key };
    await refreshBoard();
  } catch (e) {
    state.error = String((e as Error).message);
    render();
  }
}

async function joinSession(code: string, team: string) {
  try {
    if (!team) throw new Error(t("team_name"));
    state.session = { code, team };
    await refreshBoard();
    state.county = state.board?.county ?? state.county;
  } catch (e) {
    state.session = null;
    state.error = String((e as Error).message);
    render();
  }
}

async function submitTeamPolicy() {
  const s = state.session!;
  try {
    const { id } = await api<{ id: string }>("POST", `/api/sessions/${s.code}/teams`, { team: s.team, levers: state.policy });
    state.run = { id, status: { id, state: "queued", progress: 0 } };
    render();
    await waitForRun(id, () => undefined);
  } catch (e) {
    state.error = String((e as Error).message);
  }
  await refreshBoard();
}

async function refreshBoard() {
  if (!state.session) return;
  state.board = await api<SessionBoard>("GET", `/api/sessions/${state.session.code}`);
  state.error = "";
  render();
}

function sessionView(): HTMLElement {
  const s = state.session!;
  const b = state.board;
  const revealed = b?.revealed ?? false;
  const figure = (row: SessionBoard["teams"][number], key: string, part: "status_quo" | "policy") => {
    const f = row.figures?.[key];
    return f ? formatNumber(f[part]) : key === "deaths_true" && !revealed && row.state === "done" ? t("hidden") : "—";
  };
  const first = b?.teams.find((x) => x.figures);
  const exportHref = `/api/sessions/${s.code}/export.csv?key=${encodeURIComponent(s.key ?? "")}${tokenQuery() ? "&" + tokenQuery() : ""}`;
  return h("div", { class: "session", id: "session" },
    h("h2", {}, b?.title ?? "", " · ", h("span", { class: "code", id: "code" }, s.code)),
    s.key ? h("p", { class: "share" }, t("share_code"), h("strong", {}, s.code)) : null,
    b ? h("p", {}, `${t("county")}: ${words.word(words.scenarios, b.county, state.lang, b.county)}`) : null,
    s.team ? h("div", { class: "team-actions" }, h("p", {}, `${t("team")}: ${s.team}`),
      h("button", { id: "submit-policy", class: "primary", onclick: () => submitTeamPolicy() }, t("submit_policy")),
      h("button", { onclick: () => { state.tab = "desk"; render(); } }, t("tab_desk"))) : null,
    h("h3", {}, t("leaderboard")),
    h("table", { id: "leaderboard" },
      h("tr", {}, h("th", {}, t("team")), h("th", {}, outcomeName("deaths_reported")), h("th", {}, outcomeName("deaths_true")), h("th", {}, `${outcomeName("cost")} [${t("yuan")}/yr]`)),
      first ? h("tr", { class: "status-quo" }, h("td", {}, t("status_quo")), h("td", {}, figure(first, "deaths_reported", "status_quo")),
        h("td", {}, figure(first, "deaths_true", "status_quo")), h("td", {}, figure(first, "cost", "status_quo"))) : null,
      ...(b?.teams ?? []).map((row) => h("tr", { "data-team": row.team },
        h("td", {}, row.team, row.state !== "done" ? ` (${row.state})` : ""),
        h("td", {}, figure(row, "deaths_reported", "policy")), h("td", { class: "truth" }, figure(row, "deaths_true", "policy")),
        h("td", {}, figure(row, "cost", "policy"))))),
    s.key ? h("div", { class: "facilitator-actions" },
      h("button", { id: "reveal-truth", class: "primary", onclick: () => revealTruth() }, t("reveal_truth")),
      h("a", { id: "export", href: exportHref, download: `anjian_${s.code}.csv` }, t("export_csv")),
      h("button", { onclick: () => window.print() }, t("print"))) : null,
  );
}

async function revealTruth() {
  const s = state.session!;
  try {
    await api("POST", `/api/sessions/${s.code}/reveal`, {}, { "X-Facilitator-Key": s.key ?? "" });
  } catch (e) {
    state.error = String((e as Error).message);
  }
  await refreshBoard();
}

setInterval(() => {
  if (state.tab === "class" && state.session) refreshBoard().catch(() => undefined);
}, 2000);

// ---- Start --------------------------------------------------------------------------------------------

async function start() {
  try {
    const [levers, library] = await Promise.all([
      api<{ levers: Lever[]; limits: State["limits"] }>("GET", "/api/levers"),
      api<{ counties: Scenario[]; reforms: Scenario[] }>("GET", "/api/library"),
    ]);
    state.levers = levers.levers;
    state.limits = levers.limits;
    state.replicates = levers.limits.default_replicates;
    state.years = levers.limits.default_years;
    state.counties = library.counties;
    state.reforms = library.reforms;
    state.budget = { status_quo: library.counties[0].budget, policy: library.counties[0].budget };
  } catch (e) {
    state.error = String((e as Error).message);
  }
  render();
  document.body.dataset.ready = "true";
}

void start();

