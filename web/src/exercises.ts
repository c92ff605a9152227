// Guided exercises written from the study: a briefing, a decision, a reveal. The texts carry no
// figures of their own: every number in a reveal is a placeholder filled from the run the trainee
// just made, so the lessons stay true when the model changes.
//   {KEY.sq} status quo mean, {KEY.p} policy mean, {KEY.d} paired difference, {KEY.ci} its 95%
//   interval, for any outcome KEY of outcomes.def; {cost_per_death} the verdict on cost.

import type { Lang } from "./i18n";
import type { Levers, RunResult } from "./api";

type Text = { zh: string; en: string };

export interface Option {
  label: Text;
  levers: Levers;
}

export interface Exercise {
  id: string;
  title: Text;
  county: string;
  briefing: Text;
  options: Option[];
  reveal: Text;
}

export const exercises: Exercise[] = [
  {
    id: "death_target",
    title: { zh: "死亡指标陷阱", en: "The death-target trap" },
    county: "county_baseline",
    briefing: {
      zh: "市里给本县下达每年 2 人的死亡控制指标，县里按从业人员分解到各乡镇（多数乡镇分到 0），哪个乡镇超标就一票否决。有人建议把全县指标压低一半到 1 人以显示决心；也有人建议取消一票否决，改为考核检查质量。你是县长，选哪一个？",
      en: "The city sets the county a death control figure of 2 a year, which the county breaks down to its townships by workforce (most get 0); a township over its share is vetoed. One adviser wants the county figure halved to 1 to show resolve; another wants the veto dropped and inspection quality assessed instead. As county head, which do you choose?",
    },
    options: [
      {
        label: { zh: "全县指标减半（2 → 1 人），保留一票否决", en: "Halve the county figure (2 to 1), keep the veto" },
        levers: { "assessment.death_target": 1, "assessment.death_veto": true },
      },
      {
        label: { zh: "取消一票否决，考核检查质量", en: "Drop the veto, assess inspection quality" },
        levers: { "assessment.death_veto": false, "assessment.kpi_quality_weight": 1 },
      },
    ],
    reveal: {
      zh: "上报死亡从每年 {deaths_reported.sq} 变为 {deaths_reported.p}（差 {deaths_reported.d}），而真实死亡从 {deaths_true.sq} 变为 {deaths_true.p}（差 {deaths_true.d}，区间 {deaths_true.ci}）。瞒报事故变化 {accidents_concealed.d} 起/年。指标压得越紧，瞒报压力越大：上报数字好看，不等于更安全。",
      en: "Reported deaths went from {deaths_reported.sq} to {deaths_reported.p} a year ({deaths_reported.d}), true deaths from {deaths_true.sq} to {deaths_true.p} ({deaths_true.d}, CI {deaths_true.ci}). Concealed accidents changed by {accidents_concealed.d} a year. A tighter target raises the pressure to conceal: better reported figures are not more safety.",
    },
  },
  {
    id: "over_accountability",
    title: { zh: "过度问责与人员流失", en: "Over-accountability and turnover" },
    county: "problem_over_accountability",
    briefing: {
      zh: "这个县每出一起事故就问责一大片。执法人员士气低落，纷纷调离。你可以继续从严问责，或实行“尽职照单免责”、缩小问责范围。",
      en: "In this county every accident brings punishment to many officials. Inspectors are demoralised and leave. Keep the strict line, or exempt those who did their duty and narrow the blame?",
    },
    options: [
      {
        label: { zh: "继续从严、扩大问责", en: "Stay strict, widen the blame" },
        levers: { "accountability.rule": "strict", "accountability.breadth": 6 },
      },
      {
        label: { zh: "尽职免责，缩小问责范围", en: "Due-diligence exemption, narrow blame" },
        levers: { "accountability.rule": "due_diligence", "accountability.breadth": 1 },
      },
    ],
    reveal: {
      zh: "人员流失率从 {turnover.sq} 变为 {turnover.p}（%/年，差 {turnover.d}），执法人员能力变化 {inspector_skill.d}，形式化检查占比变化 {formal_share.d} 个百分点，真实死亡变化 {deaths_true.d}（区间 {deaths_true.ci}）。问责过宽使人员“怕出事、不做事”，经验随人流失。",
      en: "Turnover went from {turnover.sq} to {turnover.p} % a year ({turnover.d}); inspector skill changed by {inspector_skill.d}, the formal share by {formal_share.d} points, true deaths by {deaths_true.d} (CI {deaths_true.ci}). Broad blame makes inspectors avoid risk and leave, and experience leaves with them.",
    },
  },
  {
    id: "fragmented",
    title: { zh: "多头监管与无主企业", en: "Fragmented departments and orphan enterprises" },
    county: "county_baseline",
    briefing: {
      zh: "县里有企业没有任何部门认领，也有企业被两个部门重复检查。你可以给住建和市场监管各加编制，或者推行责任清单、信息共享，让安委办快速认领无主企业。",
      en: "Some enterprises are claimed by no department, others inspected twice. Add posts to construction and market supervision, or introduce responsibility lists and information sharing with a committee office that assigns orphans quickly?",
    },
    options: [
      {
        label: { zh: "各部门增加编制", en: "More posts in each department" },
        levers: { "departments.construction_staff": 6, "departments.market_supervision_staff": 6 },
      },
      {
        label: { zh: "责任清单与信息共享", en: "Responsibility lists and shared information" },
        levers: {
          "jurisdiction.orphan_share": 0.02,
          "jurisdiction.overlap_share": 0.03,
          "coordination.information_sharing": true,
          "coordination.orphan_assignment_rate": 2,
        },
      },
    ],
    reveal: {
      zh: "期末无人监管企业从 {orphans_left.sq} 变为 {orphans_left.p} 家，隐患存量变化 {latent_hazards.d}，真实死亡变化 {deaths_true.d}（区间 {deaths_true.ci}），政府成本变化 {cost.d} 元/年。增人不等于补上了缝隙：职责不清处，人再多也看不见。",
      en: "Orphan enterprises at the end went from {orphans_left.sq} to {orphans_left.p}; latent hazards changed by {latent_hazards.d}, true deaths by {deaths_true.d} (CI {deaths_true.ci}), cost by {cost.d} yuan a year. More staff do not close the gaps: where nobody is responsible, more inspectors still see nothing.",
    },
  },
  {
    id: "campaign",
    title: { zh: "大事故后的专项整治", en: "A campaign after a major accident" },
    county: "county_baseline",
    briefing: {
      zh: "邻县刚发生一起较大事故。上级要求：一旦出现较大事故，立即开展高强度专项整治。另一种做法是不搞运动式整治，把力量用在日常的专业执法上。",
      en: "A neighbouring county has just had a major accident. The province wants an intense campaign whenever one happens. The alternative: no campaigns, steady professional enforcement instead.",
    },
    options: [
      {
        label: { zh: "事故后高强度专项整治", en: "Intense campaigns after accidents" },
        levers: { "policy.campaign_after_major_accident": true, "policy.campaign_intensity": 1.5 },
      },
      {
        label: { zh: "不搞运动，加强日常专业执法", en: "No campaigns, steady professional work" },
        levers: {
          "policy.campaign_after_major_accident": false,
          "staff.professional_share": 0.5,
          "staff.training_days_per_year": 7,
        },
      },
    ],
    reveal: {
      zh: "形式化检查占比从 {formal_share.sq}% 变为 {formal_share.p}%，检查次数变化 {inspections.d} 次/年，真实死亡变化 {deaths_true.d}（区间 {deaths_true.ci}），成本变化 {cost.d} 元/年。运动式整治层层加码，若执行走样，多出来的是台账而非隐患整改。",
      en: "The formal share went from {formal_share.sq}% to {formal_share.p}%; inspections changed by {inspections.d} a year, true deaths by {deaths_true.d} (CI {deaths_true.ci}), cost by {cost.d} yuan a year. Campaigns passed down with low fidelity add paperwork rather than hazards removed.",
    },
  },
  {
    id: "professionalise",
    title: { zh: "固定预算下的专业化", en: "Professionalising under a fixed budget" },
    county: "county_baseline",
    briefing: {
      zh: "财政只能再拿出大致相当于四个编制的钱。是多招四个通才执法人员，还是不增编制，用这笔钱招专业人员、加强培训、配齐装备？先看预算表，再决定。",
      en: "The treasury can fund about four more posts. Hire four more generalist inspectors, or keep the posts and spend on professional recruits, training and equipment? Check the budget meter, then decide.",
    },
    options: [
      {
        label: { zh: "多招四个编制", en: "Four more posts" },
        levers: { "departments.emergency_management_staff": 12 },
      },
      {
        label: { zh: "专业化：招专业人员、培训、装备", en: "Professionalise: recruits, training, equipment" },
        levers: {
          "staff.professional_share": 0.5,
          "staff.training_days_per_year": 7,
          "departments.equipment": 1.0,
        },
      },
    ],
    reveal: {
      zh: "成本变化 {cost.d} 元/年，真实死亡变化 {deaths_true.d}（区间 {deaths_true.ci}），执法人员能力从 {inspector_skill.sq} 变为 {inspector_skill.p}，发现隐患变化 {hazards_found.d} 项/年。{cost_per_death}。同样的钱，花在人的数量上还是能力上，结果可以很不一样。",
      en: "Cost changed by {cost.d} yuan a year, true deaths by {deaths_true.d} (CI {deaths_true.ci}); inspector skill went from {inspector_skill.sq} to {inspector_skill.p}, hazards found changed by {hazards_found.d} a year. {cost_per_death}. The same money spent on numbers or on capability can buy very different results.",
    },
  },
];

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
