// Inspector mode choice (ODD "Inspector mode choice"; Hood's blame avoidance): before a routine
// visit the inspector chooses a substantive or a formal (box-ticking) inspection by a logit of
// intrinsic motivation and morale, the assessment's KPI weights, the chance that discipline
// inspection audits the record, and blame as the department's inspectors have seen it fall: how
// often a record ends up in an investigation, how many are punished then, and how far a record
// of each kind has protected its author. Where any record shields, the time a formal visit
// saves buys records elsewhere (coverage), so box-ticking pays; where only diligent work is
// exempt, substantive work pays; where everyone is punished whatever they did, records do not
// matter. Beliefs start at the share of the rule's announced protection that inspectors credit,
// and move as they see investigations' verdicts (consequences.cpp).

#include <cmath>

#include "model/inspector_behaviour.hpp"

namespace anjian {

double announced_protection(const Params& params, bool substantive) {
  // Chance that an investigated accident with a record of this kind leaves its author unpunished.
  switch (params.accountability.rule) {
    case AccountabilityRule::strict: return 0.0;      // punished whatever was done
    case AccountabilityRule::any_record: return 1.0;  // any record shields: exemption-oriented
    case AccountabilityRule::fault: return substantive ? 1.0 - params.accountability.fault_misjudgement : 0.0;
    case AccountabilityRule::due_diligence: return substantive ? 1.0 : 0.0;  // substantive work exempts, announced
  }
  return 0.0;
}

BlameBeliefs initial_blame_beliefs(const Params& params) {
  const double credited = params.accountability.exemption_credibility;
  return {params.inspectors.blame_chance_prior, 1.0, credited * announced_protection(params, true),
          credited * announced_protection(params, false)};
}

BlameBeliefs department_blame_beliefs(const Departments& d, std::size_t k) {
  return {d.record_blame_chance_seen[k], d.punished_per_blame_seen[k], d.substantive_protection_seen[k],
          d.formal_protection_seen[k]};
}

void init_blame_beliefs(World& world, const Params& params) {
  auto& d = world.departments;
  const BlameBeliefs start = initial_blame_beliefs(params);
  for (std::size_t k = 0; k < d.size(); ++k) {
    d.record_blame_chance_seen[k] = static_cast<float>(start.record_chance);
    d.punished_per_blame_seen[k] = static_cast<float>(start.punished_per_blame);
    d.substantive_protection_seen[k] = static_cast<float>(start.substantive_protection);
    d.formal_protection_seen[k] = static_cast<float>(start.formal_protection);
  }
}

double blame_utility_gap(const Params& params, const BlameBeliefs& seen) {
  // Expected punishments a record risks, in utility.
  const double stake = params.inspectors.blame_aversion * seen.record_chance * seen.punished_per_blame;
  // A formal visit takes formal_time_share of a substantive one's time; the rest buys
  // (1 - share) / share further formal records, each protecting as formal records do.
  const double share = params.inspectors.formal_time_share;
  const double coverage = seen.formal_protection * (1.0 - share) / share;
  return stake * (seen.substantive_protection - seen.formal_protection - coverage);
}

double formal_detection_factor(const Params& params) {
  return std::min(1.0, params.inspectors.formal_search_efficiency * params.inspectors.formal_time_share);
}

double substantive_probability(const Params& params, double morale, const BlameBeliefs& seen) {
  const auto& p = params.inspectors;
  const auto& kpi = params.assessment;
  // Counts reward the time a formal visit saves; fines reward the violations a substantive visit
  // finds that a formal one would miss; audited quality rewards substantive work directly.
  const double utility_gap = p.intrinsic_motivation + p.morale_weight * (morale - 0.5) + kpi.kpi_quality_weight -
                             kpi.kpi_count_weight * (1.0 - p.formal_time_share) +
                             kpi.kpi_fines_weight * (1.0 - formal_detection_factor(params)) +
                             blame_utility_gap(params, seen) +
                             params.discipline.audit_rate * params.discipline.audit_penalty;
  return 1.0 / (1.0 + std::exp(-utility_gap / p.decision_noise));
}

void learn_verdict(Departments& d, std::size_t k, const Params& params, InspectionRecord record, bool exempted) {
  const double rate = params.inspectors.belief_learning_rate;
  const double outcome = exempted ? 1.0 : 0.0;
  auto& belief = record == InspectionRecord::substantive ? d.substantive_protection_seen[k] : d.formal_protection_seen[k];
  belief = static_cast<float>(belief + rate * (outcome - belief));
}

void learn_breadth(Departments& d, std::size_t k, const Params& params, std::size_t punished) {
  const double rate = params.inspectors.belief_learning_rate;
  auto& belief = d.punished_per_blame_seen[k];
  belief = static_cast<float>(belief + rate * (static_cast<double>(punished) - belief));
}

void learn_record_chance(Departments& d, std::size_t k, const Params& params, std::int64_t inspections) {
  if (inspections > 0) {
    const double seen = static_cast<double>(d.records_investigated_this_month[k]) / static_cast<double>(inspections);
    auto& belief = d.record_blame_chance_seen[k];
    belief = static_cast<float>(belief + params.inspectors.belief_learning_rate * (seen - belief));
  }
  d.records_investigated_this_month[k] = 0;
}

}  // namespace anjian
