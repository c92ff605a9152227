// Inspector mode choice (ODD "Inspector mode choice"; Hood's blame avoidance): before a routine
// visit the inspector chooses a substantive or a formal (box-ticking) inspection by a logit of
// intrinsic motivation and morale, the assessment's KPI weights, the chance that discipline
// inspection audits the record, and blame as the department's inspectors have seen it fall: how
// often a record ends up in an investigation, how many are punished then, and how far a record
// of each kind has protected its author. Where any record shields, the time a formal visit
// saves buys records elsewhere (coverage), so box-ticking pays; where only diligent work is
// exempt, substantive work pays; where everyone is punished whatever they did, records do not
// matter. Beliefs start at the share of the rule's announced protection that inspectors credit,
// and move as they see investigations' verdicts (consequences.cpp). A fines KPI pulls towards
// substantive visits as far as the department has seen them bring fines: the inspector's side
// of the inspection game, which weakens as enterprises comply.

#include <algorithm>
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

namespace {

// Substantive visits a post could make in a year (the assessment's nominal count).
double substantive_visits_per_post_year(const Params& params) {
  return params.inspectors.inspections_per_month * 12.0 * (1.0 - params.departments.administrative_burden);
}

}  // namespace

InspectorBeliefs initial_beliefs(const Params& params) {
  const double credited = params.accountability.exemption_credibility;
  // Before any visit is seen, a year of substantive work is taken to meet the fines target.
  const double visits = substantive_visits_per_post_year(params);
  const double target_pace = visits > 0 ? params.assessment.fines_target_per_post / visits : 0.0;
  return {params.inspectors.blame_chance_prior, 1.0, credited * announced_protection(params, true),
          credited * announced_protection(params, false), target_pace};
}

InspectorBeliefs department_beliefs(const Departments& d, std::size_t k) {
  return {d.record_blame_chance_seen[k], d.punished_per_blame_seen[k], d.substantive_protection_seen[k],
          d.formal_protection_seen[k], d.fines_per_substantive_seen[k]};
}

void init_inspector_beliefs(World& world, const Params& params) {
  auto& d = world.departments;
  const InspectorBeliefs start = initial_beliefs(params);
  for (std::size_t k = 0; k < d.size(); ++k) {
    d.record_blame_chance_seen[k] = static_cast<float>(start.record_chance);
    d.punished_per_blame_seen[k] = static_cast<float>(start.punished_per_blame);
    d.substantive_protection_seen[k] = static_cast<float>(start.substantive_protection);
    d.formal_protection_seen[k] = static_cast<float>(start.formal_protection);
    d.fines_per_substantive_seen[k] = static_cast<float>(start.fines_per_substantive);
  }
}

double blame_utility_gap(const Params& params, const InspectorBeliefs& seen) {
  // Expected punishments a record risks, in utility.
  const double stake = params.inspectors.blame_aversion * seen.record_chance * seen.punished_per_blame;
  // A formal visit takes a slot sigma of a substantive one's place in the month (formal_visit_slot);
  // the rest buys (1 - sigma) / sigma further formal records, each protecting as formal records do.
  const double slot = formal_visit_slot(params);
  const double coverage = seen.formal_protection * (1.0 - slot) / slot;
  return stake * (seen.substantive_protection - seen.formal_protection - coverage);
}

double formal_detection_factor(const Params& params) {
  return std::min(1.0, params.inspectors.formal_search_efficiency * params.inspectors.formal_time_share);
}

double formal_visit_slot(const Params& params) {
  const double time = params.inspectors.formal_time_share;
  return time + (1.0 - params.planning.saved_time_to_visits) * (1.0 - time);  // exactly the time at 1
}

double fines_utility_gap(const Params& params, const InspectorBeliefs& seen) {
  const double year_of_fines = substantive_visits_per_post_year(params) * seen.fines_per_substantive;
  const double reached = std::min(1.0, year_of_fines / params.assessment.fines_target_per_post);
  // A formal visit brings fines only as far as it penalises what it finds (formal_visits_penalise).
  const double formal_fines = params.inspectors.formal_visits_penalise ? formal_detection_factor(params) : 0.0;
  return params.assessment.kpi_fines_weight * reached * (1.0 - formal_fines);
}

double substantive_probability(const Params& params, double morale, const InspectorBeliefs& seen, double target_risk) {
  const auto& p = params.inspectors;
  const auto& kpi = params.assessment;
  // Counts reward the time a formal visit saves; fines reward the violations a substantive visit
  // finds that a formal one would miss, as far as there are violations to find (the inspector's
  // side of the inspection game); audited quality rewards substantive work directly.
  const double utility_gap = p.intrinsic_motivation + p.morale_weight * (morale - 0.5) + kpi.kpi_quality_weight -
                             kpi.kpi_count_weight * (1.0 - formal_visit_slot(params)) + fines_utility_gap(params, seen) +
                             blame_utility_gap(params, seen) * target_risk +
                             params.discipline.audit_rate * params.discipline.audit_penalty;
  return 1.0 / (1.0 + std::exp(-utility_gap / p.decision_noise));
}

namespace {

// Moves a belief the learning rate of the way to what was seen.
void move_towards(float& belief, double seen, const Params& params) {
  belief = static_cast<float>(belief + params.inspectors.belief_learning_rate * (seen - belief));
}

// Moves a belief towards the month's mean (the month's sum over its count), if anything was
// counted; the sum then starts afresh. `first_taken_whole`: a belief of 0 (nothing seen yet)
// takes the first mean as it is.
template <class Sum>
void learn_month_mean(float& belief, Sum& month_sum, std::int64_t count, const Params& params,
                      bool first_taken_whole = false) {
  if (count > 0) {
    const double seen = static_cast<double>(month_sum) / static_cast<double>(count);
    if (first_taken_whole && belief <= 0) {
      belief = static_cast<float>(seen);
    } else {
      move_towards(belief, seen, params);
    }
  }
  month_sum = 0;
}

}  // namespace

void learn_verdict(Departments& d, std::size_t k, const Params& params, InspectionRecord record, bool exempted) {
  auto& belief = record == InspectionRecord::substantive ? d.substantive_protection_seen[k] : d.formal_protection_seen[k];
  move_towards(belief, exempted ? 1.0 : 0.0, params);
}

void learn_breadth(Departments& d, std::size_t k, const Params& params, std::size_t punished) {
  move_towards(d.punished_per_blame_seen[k], static_cast<double>(punished), params);
}

void learn_record_chance(Departments& d, std::size_t k, const Params& params, std::int64_t inspections) {
  learn_month_mean(d.record_blame_chance_seen[k], d.records_investigated_this_month[k], inspections, params);
}

void learn_fines_per_substantive(Departments& d, std::size_t k, const Params& params, std::int64_t substantive_visits) {
  learn_month_mean(d.fines_per_substantive_seen[k], d.substantive_fines_this_month[k], substantive_visits, params);
}

void learn_visit_risk(Departments& d, std::size_t k, const Params& params, std::int64_t inspections) {
  // Nothing is believed before the first month's visits: their mean is taken whole.
  learn_month_mean(d.visit_risk_seen[k], d.visit_risk_this_month[k], inspections, params, true);
}

}  // namespace anjian
