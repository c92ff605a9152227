// Inspector mode choice (MODEL.md section 4 "Blame avoidance" and section 6): before each visit
// the inspector chooses a substantive or a formal (box-ticking) inspection by a logit of
// intrinsic motivation and morale, the assessment's KPI weights (counts reward cheap formal
// visits, audited quality rewards substantive ones), the blame protection a substantive
// inspection gives over a formal one under the accountability rule, and the chance that
// discipline inspection audits the record.

#include <cmath>

#include "model/phases.hpp"

namespace anjian {

double blame_protection_gain(const Params& params) {
  // P(punished | formal record, accident) - P(punished | substantive record, accident).
  switch (params.accountability.rule) {
    case AccountabilityRule::strict: return 0.0;      // punished whatever was done
    case AccountabilityRule::any_record: return 0.0;  // any record shields: exemption-oriented
    case AccountabilityRule::fault: return 1.0 - params.accountability.fault_misjudgement;
    case AccountabilityRule::due_diligence: return 1.0;  // substantive work exempts, announced
  }
  return 0.0;
}

double substantive_probability(const Params& params, double morale) {
  const auto& p = params.inspectors;
  const auto& kpi = params.assessment;
  // Counts reward the time a formal visit saves; fines reward the violations a substantive visit
  // finds that a formal one would miss; audited quality rewards substantive work directly.
  const double utility_gap = p.intrinsic_motivation + p.morale_weight * (morale - 0.5) + kpi.kpi_quality_weight -
                             kpi.kpi_count_weight * (1.0 - p.formal_time_share) +
                             kpi.kpi_fines_weight * (1.0 - p.formal_detection_factor) +
                             p.blame_weight * blame_protection_gain(params) +
                             params.discipline.audit_rate * params.discipline.audit_penalty;
  return 1.0 / (1.0 + std::exp(-utility_gap / p.decision_noise));
}

}  // namespace anjian
