// Guided exercises written from the study: a briefing, a decision, a reveal (the data are in
// exercises.json, which the Python tests read too). The texts carry no figures of their own:
// every number in a reveal is a placeholder filled from the run the trainee just made, and what a
// reveal teaches is listed as lessons that the tests hold the model to.
//   {KEY.sq} status quo mean, {KEY.p} policy mean, {KEY.d} paired difference, {KEY.ci} its 95%
//   interval, for any outcome KEY of outcomes.def; {cost_per_death} the verdict on cost.

import type { Lang } from "./i18n";
import type { Levers, RunResult } from "./api";
import data from "./exercises.json";

type Text = { zh: string; en: string };

export interface Option {
  label: Text;
  levers: Levers;
}

// What a reveal teaches, as the model must bear it out: option `option` against the county as it
// is moves `outcome` up or down, or does not lower (not_down) or raise (not_up) it, beyond the
// replicate noise. tests/python/test_exercises.py runs every lesson.
export interface Lesson {
  option: number;
  outcome: string;
  expect: "up" | "down" | "not_down" | "not_up";
}

export interface Exercise {
  id: string;
  title: Text;
  county: string;
  briefing: Text;
  options: Option[];
  reveal: Text;
  lessons: Lesson[];
}

export const exercises: Exercise[] = data as Exercise[];

export function formatNumber(x: number | null | undefined, sign = false): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  const a = Math.abs(x);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
  if (a < 0.5 * 10 ** -digits) return "0"; // no "-0.000" for a difference that rounds away
  const text = x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return sign && x > 0 ? `+${text}` : text;
}

export function costVerdictText(result: RunResult, lang: Lang): string {
  const ce = result.cost_effectiveness[0];
  switch (ce.verdict) {
    case "cost_per_death_averted":
      return lang === "zh"
        ? `每避免一例死亡花费 ${formatNumber(ce.yuan_per_death_averted)} 元`
        : `${formatNumber(ce.yuan_per_death_averted)} yuan per death averted`;
    case "saves_money_and_lives":
      return lang === "zh" ? "既省钱又救命" : "it saves money and lives";
    case "no_clear_cost_difference":
      return lang === "zh" ? "减少了死亡，成本差异不明确" : "it averts deaths at no clear extra cost";
    default:
      return lang === "zh" ? "死亡减少不明确，不计算每例成本" : "deaths averted are not clearly above zero, so no cost per death";
  }
}

// The reveal's text with every placeholder replaced by the run's figures.
export function fillTemplate(template: string, result: RunResult, lang: Lang): string {
  return template.replace(/\{([a-z_0-9]+)(?:\.(sq|p|d|ci))?\}/g, (whole, key: string, part?: string) => {
    if (key === "cost_per_death" && !part) return costVerdictText(result, lang);
    const row = result.outcomes.find((o) => o.key === key);
    if (!row || !part) return whole;
    const d = row.differences[0];
    if (part === "sq") return formatNumber(row.mean["status_quo"]);
    if (part === "p") return formatNumber(row.mean["policy"]);
    if (part === "d") return formatNumber(d.difference, true);
    return `[${formatNumber(d.ci_low, true)}, ${formatNumber(d.ci_high, true)}]`;
  });
}
