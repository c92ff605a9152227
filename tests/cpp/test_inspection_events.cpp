// /events/inspections (output.inspection_events): one record per inspection, counted as the
// series count them, the same for any thread count, and written as the same bytes.

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <numeric>
#include <string>
#include <type_traits>

#include "io/results_writer.hpp"
#include "replicate_stats.hpp"
#include "run/simulation.hpp"

using namespace anjian;
using namespace anjian::testing;

namespace {

double total(const ReplicateResult& rep, Metric metric) {
  const auto& v = rep.series[static_cast<int>(metric)];
  return std::accumulate(v.begin(), v.end(), 0.0);
}

}  // namespace

TEST(InspectionEvents, AreOffByDefaultAndOnlyWhenAskedFor) {
  EXPECT_FALSE(Params{}.output.inspection_events);
  const EnsembleResult off = run_tiny({"time.years=0.2", "run.replicates=1"});
  EXPECT_TRUE(off.replicates[0].inspections.empty());
  EXPECT_GT(total(off.replicates[0], Metric::inspections), 0);
}

TEST(InspectionEvents, RowsEqualTheInspectionCounterEveryYear) {
  // A burn-in (not recorded), complaints and follow-ups, township staff without authority
  // (referrals) and an experimental team, so that every kind of record occurs.
  const EnsembleResult result =
      run_tiny({"output.inspection_events=true", "time.years=2", "time.burn_in_years=0.5", "run.replicates=2",
                "experiment.treatment=extra_inspections", "experiment.share=0.2", "hotline.handling_quality=0.9",
                "citizens.report_rate=2", "enforcement.case_publicity=0.5"});
  const std::int64_t burn_in_days = result.params.burn_in_step_count() * result.params.time.step_days;
  for (const auto& rep : result.replicates) {
    ASSERT_FALSE(rep.inspections.empty());
    // Per recorded year: rows against the sum of the step series (step t ends on step_end_day[t]).
    std::map<std::int64_t, double> rows, counted;
    for (const auto& event : rep.inspections) {
      ASSERT_GE(event.day, burn_in_days) << "a burn-in inspection was recorded";
      rows[(event.day - burn_in_days) / 365 + 1] += 1;
    }
    const auto& inspections = rep.series[static_cast<int>(Metric::inspections)];
    for (std::size_t t = 0; t < inspections.size(); ++t)
      counted[(result.step_end_day[t] - burn_in_days - 1) / 365 + 1] += inspections[t];
    EXPECT_EQ(rows, counted);
    ASSERT_EQ(rows.size(), 2u);

    // Every column adds up to its series.
    double found = 0, rectified = 0, fines = 0, substantive = 0, formal = 0, priority = 0, experimental = 0,
           published = 0, referred = 0, major = 0, suspended = 0, to_court = 0, follow_ups = 0, refused = 0;
    std::map<std::uint8_t, int> kinds, actions;
    for (const auto& event : rep.inspections) {
      found += event.hazards_found;
      major += event.major_hazards_found;
      suspended += event.suspended;
      to_court += event.referred_to_court;
      follow_ups += event.follow_up_queued;
      EXPECT_LE(event.major_hazards_found, event.hazards_found);
      rectified += event.hazards_rectified;
      refused += event.hazards_refused;
      fines += event.fine;
      (event.mode ? substantive : formal) += 1;
      priority += event.kind == 1 || event.kind == 2;
      experimental += event.kind == 3;
      published += event.published;
      kinds[event.kind] += 1;
      actions[event.action] += 1;
      if (event.action == 2) referred += event.hazards_found;
      EXPECT_LE(event.hazards_found, event.hazards_present);
      EXPECT_LE(event.hazards_rectified, event.hazards_found + event.hazards_refused);
      EXPECT_LE(event.hazards_found + event.hazards_refused, event.hazards_present);
      EXPECT_EQ(event.kind == 3, event.department == kNoDepartment);
      EXPECT_EQ(event.kind == 3, event.inspector == kExperimentalTeam);
      EXPECT_EQ(event.action == 0, event.hazards_found + event.hazards_refused == 0);
      if (event.published) {
        EXPECT_TRUE(event.fine > 0 || event.suspended || event.referred_to_court);
      }
      if (event.action == 2) {
        EXPECT_EQ(event.fine, 0);
      }
    }
    EXPECT_EQ(found, total(rep, Metric::hazards_found));
    EXPECT_EQ(major, total(rep, Metric::major_hazards_found));
    EXPECT_GT(major, 0) << "major hazards are found";
    EXPECT_GT(follow_ups, 0) << "follow-ups are queued";
    EXPECT_EQ(suspended, total(rep, Metric::suspensions));
    EXPECT_EQ(to_court, total(rep, Metric::prosecutions_ex_ante));
    EXPECT_EQ(follow_ups, total(rep, Metric::follow_ups_queued));
    EXPECT_EQ(rectified, total(rep, Metric::hazards_rectified));
    EXPECT_EQ(refused, total(rep, Metric::hazards_refused));
    EXPECT_NEAR(fines, total(rep, Metric::fines), 1e-6 * fines);
    EXPECT_EQ(substantive, total(rep, Metric::inspections_substantive));
    EXPECT_EQ(formal, total(rep, Metric::inspections_formal));
    EXPECT_EQ(priority, total(rep, Metric::inspections_complaint));
    EXPECT_EQ(experimental, total(rep, Metric::inspections_experimental));
    EXPECT_EQ(published, total(rep, Metric::cases_published));
    EXPECT_EQ(referred, total(rep, Metric::hazards_referred));
    EXPECT_EQ(kinds.size(), 4u) << "routine, complaint, follow-up and experimental visits all occur";
    EXPECT_EQ(actions.size(), 3u) << "nothing found, orders and referrals all occur";
    EXPECT_GT(published, 0);
    // Rows by day (the first day of the step), as recorded.
    for (std::size_t k = 1; k < rep.inspections.size(); ++k)
      ASSERT_LE(rep.inspections[k - 1].day, rep.inspections[k].day);
  }
}

TEST(InspectionEvents, AreTheSameBytesOnOneAndTwoThreads) {
  // More than kDepartmentsPerTask departments (100 township offices and the county's four), so
  // that inspections run as several parallel tasks.
  Scenario s = tiny_scenario({"output.inspection_events=true", "county.townships=100", "enterprises.count=6000",
                              "townships.enforcement_authority=true", "time.years=0.3", "run.replicates=2",
                              "enforcement.case_publicity=0.5", "experiment.treatment=extra_inspections",
                              "experiment.share=0.1"});
  const EnsembleResult one = run_ensemble(s.params, RunOptions{1});
  const EnsembleResult two = run_ensemble(s.params, RunOptions{2});
  ASSERT_GT(one.replicates[0].inspections.size(), 1000u);
  const RunMeta meta{"tiny", "tiny.yaml", "name: tiny\n"};
  const auto image = [&](const EnsembleResult& result) {
    return hdf5_image("test.h5", [&](const h5::Group& root) { write_ensemble(root, result, meta); });
  };
  EXPECT_TRUE(image(one) == image(two)) << "the result files differ between 1 and 2 threads";
  for (std::size_t r = 0; r < one.replicates.size(); ++r) {
    const auto& a = one.replicates[r].inspections;
    const auto& b = two.replicates[r].inspections;
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t k = 0; k < a.size(); ++k) {
      ASSERT_EQ(a[k].enterprise, b[k].enterprise) << k;
      ASSERT_EQ(a[k].inspector, b[k].inspector) << k;
      ASSERT_EQ(a[k].hazards_found, b[k].hazards_found) << k;
      ASSERT_EQ(a[k].fine, b[k].fine) << k;
    }
  }
}

TEST(InspectionEvents, RecordingChangesNothingElse) {
  const std::vector<std::string> common = {"time.years=1", "run.replicates=1", "enforcement.case_publicity=0.5"};
  auto with = common, without = common;
  with.push_back("output.inspection_events=true");
  const EnsembleResult a = run_tiny(with), b = run_tiny(without);
  EXPECT_EQ(a.replicates[0].series, b.replicates[0].series);
}

// docs/results-format.md is the contract: its table of /events/inspections names every column
// with its unit.
TEST(InspectionEvents, ResultsFormatDocListsEveryColumnWithItsUnit) {
  std::ifstream in(std::string(ANJIAN_SOURCE_DIR) + "/docs/results-format.md");
  ASSERT_TRUE(in) << "docs/results-format.md is missing";
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto section = doc.find("## `/events/inspections`");
  ASSERT_NE(section, std::string::npos) << "docs/results-format.md has no /events/inspections section";
  const std::string table = doc.substr(section, doc.find("\n## ", section + 1) - section);
  const auto listed = [&](const std::string& name, const std::string& type, const std::string& unit) {
    EXPECT_NE(table.find("| `" + name + "` | " + type + " | " + unit + " |"), std::string::npos)
        << "docs/results-format.md does not list /events/inspections/" << name << " as " << type << ", " << unit;
  };
  const auto type_name = [](auto value) -> std::string {
    using T = decltype(value);
    if constexpr (std::is_same_v<T, double>) return "float64";
    else return (std::is_signed_v<T> ? "int" : "uint") + std::to_string(8 * sizeof(T));
  };
  listed("replicate", "uint32", "-");
#define ANJIAN_INSPECTION_COLUMN(type, name, unit, codes, description) listed(#name, type_name(type{}), unit);
#include "model/inspection_event_columns.def"
#undef ANJIAN_INSPECTION_COLUMN
}
