// The app's words in Chinese (default) and English. Levers, outcomes and scenarios come from the
// server's tables; this file only names them for people. A lever without a name here still
// appears, under its key and the English meaning from the parameter table.

export type Lang = "zh" | "en";
type Words = Record<string, { zh: string; en: string }>;

export const ui: Words = {
  title: { zh: "安监 · 基层安全生产监管改革训练", en: "anjian · grass-roots work-safety reform trainer" },
  subtitle: {
    zh: "选择县情与改革，在预算内比较真实与上报的伤亡、成本与监管体系",
    en: "Choose a county and reforms; compare true and reported harm, cost and the supervision system within a budget",
  },
  lang_switch: { zh: "English", en: "中文" },
  tab_desk: { zh: "政策台", en: "Policy desk" },
  tab_exercises: { zh: "情景练习", en: "Exercises" },
  tab_class: { zh: "课堂模式", en: "Classroom" },
  county: { zh: "县情", en: "County" },
  reforms: { zh: "五项改革", en: "The five reforms" },
  all_levers: { zh: "全部政策杠杆", en: "Every lever" },
  budget: { zh: "预算（每年）", en: "Budget (per year)" },
  status_quo: { zh: "现状", en: "Status quo" },
  policy: { zh: "你的政策", en: "Your policy" },
  posts: { zh: "编制岗位", en: "posts" },
  wages: { zh: "工资", en: "wages" },
  inspection_budget: { zh: "执法经费", en: "inspection budget" },
  grid: { zh: "网格员补贴", en: "grid stipends" },
  reward: { zh: "每条核实举报奖励", en: "reward per confirmed report" },
  total: { zh: "合计", en: "total" },
  yuan: { zh: "元", en: "yuan" },
  wan_yuan: { zh: "万元", en: "10k yuan" },
  run: { zh: "运行对比", en: "Run comparison" },
  cancel: { zh: "取消", en: "Cancel" },
  reset: { zh: "恢复现状", en: "Reset to status quo" },
  running: { zh: "模拟中…", en: "Simulating…" },
  queued: { zh: "排队中…", en: "Queued…" },
  cancelled: { zh: "已取消", en: "Cancelled" },
  failed: { zh: "运行失败", en: "Run failed" },
  replicates: { zh: "重复次数", en: "replicates" },
  years: { zh: "模拟年数", en: "years" },
  effects: { zh: "效果表（配对差值，95%置信区间）", en: "Effects (paired difference, 95% CI)" },
  outcome: { zh: "指标", en: "Outcome" },
  difference: { zh: "差值", en: "Difference" },
  ci: { zh: "95%区间", en: "95% CI" },
  cost_per_death: { zh: "每避免一例死亡的成本", en: "Cost per death averted" },
  verdict_cost_per_death_averted: { zh: "元/避免死亡", en: "yuan per death averted" },
  verdict_saves_money_and_lives: { zh: "既省钱又救命", en: "saves money and lives" },
  verdict_no_clear_deaths_averted: { zh: "未能明确减少死亡，不计算比值", en: "no clear deaths averted: no ratio" },
  verdict_no_clear_cost_difference: { zh: "减少死亡，成本差异不明确", en: "averts deaths at no clear extra cost" },
  charts: { zh: "逐年变化（均值与95%区间）", en: "Year by year (mean and 95% interval)" },
  year: { zh: "年", en: "year" },
  debrief: { zh: "复盘", en: "Debrief" },
  gap_title: { zh: "上报数字掩盖了什么", en: "What the reported figures hid" },
  gap_text: {
    zh: "现状下每年真实死亡 {sq_true} 人，上报 {sq_rep} 人；你的政策下真实 {p_true} 人，上报 {p_rep} 人。上报的变化为 {d_rep}，真实的变化为 {d_true}。",
    en: "Status quo: {sq_true} true deaths a year, {sq_rep} reported; your policy: {p_true} true, {p_rep} reported. Reported deaths changed by {d_rep}, true deaths by {d_true}.",
  },
  gap_warning: {
    zh: "注意：上报数字与真实数字的变化方向或幅度不同——只看上报数字会得出错误结论。",
    en: "Note: reported and true deaths moved differently — judging by the reported figures alone would mislead.",
  },
  moved: { zh: "明显变化的机制", en: "Mechanisms that clearly moved" },
  nothing_moved: { zh: "（无明显变化）", en: "(none clearly)" },
  dim_factor: { zh: "要素保障", en: "Factor guarantee" },
  dim_mechanism: { zh: "管理机制", en: "Management mechanism" },
  dim_social: { zh: "社会环境", en: "Social environment" },
  exercise_start: { zh: "开始", en: "Start" },
  briefing: { zh: "情况简报", en: "Briefing" },
  decision: { zh: "你的决定", en: "Your decision" },
  reveal: { zh: "揭晓", en: "Reveal" },
  choose: { zh: "选择并运行", en: "Choose and run" },
  back: { zh: "返回练习列表", en: "Back to the exercises" },
  facilitator: { zh: "主持人", en: "Facilitator" },
  team: { zh: "小组", en: "Team" },
  open_session: { zh: "开设课堂", en: "Open a session" },
  session_title: { zh: "课堂名称", en: "Session title" },
  session_code: { zh: "课堂代码", en: "Session code" },
  team_name: { zh: "小组名称", en: "Team name" },
  join: { zh: "加入", en: "Join" },
  submit_policy: { zh: "提交政策台上的当前政策", en: "Submit the policy on the desk" },
  submitted: { zh: "已提交，模拟中…", en: "Submitted, simulating…" },
  leaderboard: { zh: "排行榜", en: "Leaderboard" },
  reveal_truth: { zh: "揭晓真实数字", en: "Reveal the truth" },
  hidden: { zh: "待揭晓", en: "hidden" },
  export_csv: { zh: "导出CSV", en: "Export CSV" },
  print: { zh: "打印简报", en: "Print briefing" },
  share_code: { zh: "请各小组输入代码：", en: "Teams join with the code: " },
  same_numbers: {
    zh: "所有小组使用同一县情与同一组随机数，差异只来自政策。",
    en: "Every team runs the same county under the same random numbers: differences come from policy alone.",
  },
  error: { zh: "错误", en: "Error" },
  on: { zh: "是", en: "on" },
  off: { zh: "否", en: "off" },
};

// Outcomes of outcomes.def, by key.
export const outcomes: Words = {
  deaths_true: { zh: "死亡（真实）", en: "deaths (true)" },
  deaths_reported: { zh: "死亡（上报）", en: "deaths (reported)" },
  deaths_per_100k_workers: { zh: "每十万从业人员死亡", en: "deaths per 100k workers" },
  accidents_true: { zh: "事故（真实）", en: "accidents (true)" },
  accidents_reported: { zh: "事故（上报）", en: "accidents (reported)" },
  accidents_fatal: { zh: "死亡事故", en: "fatal accidents" },
  injuries_true: { zh: "受伤（真实）", en: "injuries (true)" },
  injuries_reported: { zh: "受伤（上报）", en: "injuries (reported)" },
  accidents_concealed: { zh: "瞒报事故", en: "accidents concealed" },
  concealment_exposed: { zh: "被曝光的瞒报", en: "concealment exposed" },
  reported_share: { zh: "事故上报率", en: "accidents reported" },
  latent_hazards: { zh: "隐患存量", en: "latent hazards" },
  hazards_found: { zh: "发现隐患", en: "hazards found" },
  inspections: { zh: "检查次数", en: "inspections" },
  formal_share: { zh: "形式化检查占比", en: "formal inspections" },
  turnover: { zh: "人员流失率", en: "staff turnover" },
  inspector_morale: { zh: "执法人员士气", en: "inspector morale" },
  inspector_skill: { zh: "执法人员能力", en: "inspector skill" },
  safety_quality: { zh: "企业安全管理水平", en: "enterprise safety quality" },
  unregistered_found: { zh: "发现未登记企业", en: "unregistered found" },
  unregistered_left: { zh: "剩余未登记企业", en: "unregistered left" },
  orphans_left: { zh: "无人监管企业", en: "orphan enterprises left" },
  inspectors_punished: { zh: "被问责执法人员", en: "inspectors punished" },
  cost: { zh: "政府成本", en: "government cost" },
};

// The study's three dimensions (factor guarantee, management mechanism, social environment) and
// the outcomes that show each one's mechanisms at work.
export const dimensions: { key: string; outcomes: string[] }[] = [
  { key: "dim_factor", outcomes: ["inspector_skill", "inspector_morale", "turnover", "inspections", "hazards_found"] },
  {
    key: "dim_mechanism",
    outcomes: ["formal_share", "orphans_left", "latent_hazards", "inspectors_punished", "safety_quality"],
  },
  {
    key: "dim_social",
    outcomes: ["accidents_concealed", "concealment_exposed", "reported_share", "unregistered_found", "unregistered_left"],
  },
];

// Scenario names of scenarios/ (counties and reforms).
export const scenarios: Words = {
  county_baseline: { zh: "典型县（改革前）", en: "Typical county (before reform)" },
  problem_blind_spots: { zh: "盲区县：未登记作坊多、无网格巡查", en: "Blind spots: many unregistered workshops" },
  problem_collusion: { zh: "重增长县：政企合谋、执法宽松", en: "Collusion: growth first, lenient enforcement" },
  problem_formalism: { zh: "形式主义县：走过场的检查", en: "Formalism: box-ticking inspections" },
  problem_over_accountability: { zh: "过度问责县", en: "Over-accountability" },
  reform_professional_team: { zh: "一、建设专业化执法队伍", en: "R1 A professional enforcement team" },
  reform_system_mechanism: { zh: "二、重构监管体制机制", en: "R2 Rebuild the system and mechanism" },
  reform_assessment: { zh: "三、改进安全工作考核", en: "R3 Better assessment" },
  reform_integration: { zh: "四、整合监管资源", en: "R4 Integrate supervision resources" },
  reform_social_environment: { zh: "五、改善社会环境", en: "R5 A better social environment" },
  reform_all: { zh: "五项改革同时实施", en: "All five reforms" },
};

// Levers in the words of the study's Seed map (docs/ODD.md); others show their key.
export const levers: Words = {
  "departments.emergency_management_staff": { zh: "应急管理局执法编制", en: "emergency bureau enforcement posts" },
  "departments.construction_staff": { zh: "住建局安全检查编制", en: "construction bureau safety posts" },
  "departments.natural_resources_staff": { zh: "自然资源局矿山安全编制", en: "natural-resources mine-safety posts" },
  "departments.market_supervision_staff": { zh: "市场监管局特种设备编制", en: "market-supervision posts" },
  "departments.equipment": { zh: "执法装备水平（物质保障）", en: "equipment level (material support)" },
  "departments.administrative_burden": { zh: "行政事务负担（过度行政化）", en: "administrative burden" },
  "departments.budget_per_post": { zh: "每岗执法经费", en: "inspection budget per post" },
  "departments.industry_attention": { zh: "行业部门对安全的重视", en: "industry departments' attention" },
  "staff.professional_share": { zh: "专业人员招录比例", en: "share of professional recruits" },
  "staff.training_days_per_year": { zh: "每年培训天数", en: "training days a year" },
  "staff.pay_honour": { zh: "待遇与职业荣誉感", en: "pay and honour of the job" },
  "jurisdiction.orphan_share": { zh: "无人监管企业比例（职责不清）", en: "orphan share (unclear responsibilities)" },
  "jurisdiction.overlap_share": { zh: "多头监管企业比例", en: "overlap share (fragmented supervision)" },
  "townships.enforcement_authority": { zh: "乡镇拥有执法权", en: "township enforcement authority" },
  "townships.office_staff": { zh: "乡镇安监办人数", en: "township safety-office staff" },
  "townships.growth_priority_mean": { zh: "乡镇重增长轻安全程度", en: "township growth priority" },
  "policy.fidelity": { zh: "政策执行忠实度", en: "policy fidelity" },
  "policy.diffusion_delay_days": { zh: "政策逐级传达延迟（天）", en: "diffusion delay per level" },
  "policy.campaign_after_major_accident": { zh: "较大事故后开展专项整治", en: "campaign after a major accident" },
  "policy.campaign_intensity": { zh: "专项整治强度", en: "campaign intensity" },
  "coordination.orphan_assignment_rate": { zh: "安委办认领无主企业速度", en: "committee office assigns orphans" },
  "coordination.information_sharing": { zh: "部门信息共享", en: "information sharing" },
  "assessment.kpi_count_weight": { zh: "考核：检查次数权重", en: "KPI weight of inspection counts" },
  "assessment.kpi_quality_weight": { zh: "考核：检查质量权重", en: "KPI weight of inspection quality" },
  "assessment.death_target": { zh: "死亡控制指标（每乡镇每年）", en: "death target per township and year" },
  "assessment.death_veto": { zh: "一票否决", en: "one-vote veto" },
  "accountability.rule": { zh: "问责规则", en: "accountability rule" },
  "accountability.breadth": { zh: "问责范围（每起事故牵连人数）", en: "breadth of punishment" },
  "planning.pooled_teams": { zh: "综合执法队伍统一检查", en: "pooled comprehensive teams" },
  "planning.targeting": { zh: "检查对象选择", en: "inspection targeting" },
  "grid.members_per_township": { zh: "每乡镇安全网格员", en: "grid members per township" },
  "hotline.reward": { zh: "举报奖励（元）", en: "whistle-blower reward" },
  "hotline.protection": { zh: "举报人保护", en: "whistle-blower protection" },
  "media.activity": { zh: "媒体监督活跃度", en: "media activity" },
  "courts.prosecution_rate": { zh: "死亡事故追究刑责比例", en: "prosecution after fatal accidents" },
  "discipline.audit_rate": { zh: "纪检监察抽查执法记录", en: "discipline audits of records" },
  "enterprises.safety_culture_mean": { zh: "企业安全文化（社会重视）", en: "enterprises' safety culture" },
  "inspectors.inspections_per_month": { zh: "每人每月检查次数", en: "inspections per inspector a month" },
};

// Words of choice-valued levers.
export const choices: Words = {
  strict: { zh: "严格：出事即问责", en: "strict: punish after any accident" },
  fault: { zh: "过错问责", en: "fault" },
  due_diligence: { zh: "尽职照单免责", en: "due diligence exempts" },
  any_record: { zh: "留痕即免责", en: "any record shields" },
  random: { zh: "双随机", en: "double random" },
  risk_based: { zh: "按风险分级", en: "risk-based" },
};

export function word(table: Words, key: string, lang: Lang, fallback?: string): string {
  const entry = table[key];
  return entry ? entry[lang] : fallback ?? key;
}
