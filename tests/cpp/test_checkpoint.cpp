// Checkpoint and branch: a run resumed from its own state after any step gives exactly the run
// that never stopped (every column of every table, the series, the months, the accidents), and a
// branch into other parameters equals a schedule that changes them on the same day.

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "io/checkpoint_file.hpp"

#include "run/simulation.hpp"
#include "scenario/scenario.hpp"
#include "scenario/schedule.hpp"

using namespace anjian;

namespace {

Params small() {
  Scenario s = load_scenario(std::string(ANJIAN_TEST_DATA_DIR) + "/scenarios/tiny.yaml");
  apply_assignment(s, "run.replicates=1");
  apply_assignment(s, "time.years=1");
  apply_assignment(s, "time.burn_in_years=0.5");
  apply_assignment(s, "output.inspection_events=true");  // the records so far belong to the state
  return s.params;
}

template <class Table>
void expect_same_table(const Table& a, const Table& b, const char* what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  Table::for_each_column([&](auto column, const char* name, auto&&...) {
    EXPECT_TRUE((a.*column) == (b.*column)) << what << "." << name;
  });
}

void expect_same_run(const ReplicateResult& a, const ReplicateResult& b) {
  EXPECT_EQ(a.series, b.series);
  ASSERT_EQ(a.accidents.size(), b.accidents.size());
  for (std::size_t i = 0; i < a.accidents.size(); ++i) {
    EXPECT_EQ(a.accidents[i].day, b.accidents[i].day);
    EXPECT_EQ(a.accidents[i].enterprise, b.accidents[i].enterprise);
    EXPECT_EQ(a.accidents[i].deaths, b.accidents[i].deaths);
    EXPECT_EQ(a.accidents[i].reported, b.accidents[i].reported);
    EXPECT_EQ(a.accidents[i].exposed, b.accidents[i].exposed);
  }
  ASSERT_EQ(a.inspections.size(), b.inspections.size());
  for (std::size_t i = 0; i < a.inspections.size(); ++i) {
#define ANJIAN_INSPECTION_COLUMN(type, name, unit, codes, description) \
  EXPECT_EQ(a.inspections[i].name, b.inspections[i].name) << "inspection " << i << "." #name;
#include "model/inspection_event_columns.def"
#undef ANJIAN_INSPECTION_COLUMN
  }
  ASSERT_EQ(a.months.size(), b.months.size());
  for (std::size_t m = 0; m < a.months.size(); ++m)
    EXPECT_EQ(a.months[m].values, b.months[m].values) << "month " << m;
  expect_same_table(a.final_world.enterprises, b.final_world.enterprises, "enterprises");
  expect_same_table(a.final_world.inspectors, b.final_world.inspectors, "inspectors");
  expect_same_table(a.final_world.departments, b.final_world.departments, "departments");
  expect_same_table(a.final_world.townships, b.final_world.townships, "townships");
  EXPECT_EQ(a.final_world.departments.complaints, b.final_world.departments.complaints);
}

// Runs `p` to the end once, and again from its own state after each of `steps`.
void expect_resumes_exactly(const Params& p, std::initializer_list<std::int64_t> steps) {
  const ReplicateResult whole = run_replicate(p, 0, RunOptions{1});
  for (const std::int64_t step : steps) {
    RunState state;
    RunOptions keep{1};
    keep.checkpoint_after_step = step;
    keep.checkpoint = &state;
    expect_same_run(whole, run_replicate(p, 0, keep));  // keeping a state changes nothing
    ASSERT_EQ(state.next_step, step + 1);
    RunOptions resume{2};
    resume.resume = &state;
    SCOPED_TRACE("resumed after step " + std::to_string(step));
    expect_same_run(whole, run_replicate(p, 0, resume));
  }
}

}  // namespace

TEST(Checkpoint, AResumedRunIsTheRunThatNeverStopped) {
  // In the burn-in, at a month's end (day 212 is 31 July), mid-month, at the end of a year.
  expect_resumes_exactly(small(), {40, 211, 199, 364, 400});
}

TEST(Checkpoint, AlsoUnderTheDailySchemeAndWithASchedule) {
  Params p = small();
  p.engine.sampling = Sampling::daily;
  add_scheduled_change(p, "day=300:accountability.rule=due_diligence", "test");
  add_scheduled_change(p, "day=300:departments.emergency_management_staff=6", "test");
  validate_params(p);
  expect_resumes_exactly(p, {150, 299, 450});
  Params q = small();
  add_scheduled_change(q, "day=250:planning.pooled_teams=true", "test");
  validate_params(q);
  expect_resumes_exactly(q, {249, 250, 300});
}

TEST(Checkpoint, ABranchIsAScheduleOnTheBranchDay) {
  const Params base = small();
  RunState warm;
  RunOptions keep{1};
  keep.checkpoint_after_step = 199;  // branch at the start of step 200, day 201
  keep.checkpoint = &warm;
  run_replicate(base, 0, keep);

  Params policy = base;
  policy.accountability.rule = AccountabilityRule::due_diligence;
  policy.departments.emergency_management_staff = 7;
  policy.hazards.removal_base = 2.0;
  RunOptions branch{1};
  branch.resume = &warm;
  const ReplicateResult branched = run_replicate(policy, 0, branch);

  Params scheduled = base;
  add_scheduled_change(scheduled, "day=201:accountability.rule=due_diligence", "test");
  add_scheduled_change(scheduled, "day=201:departments.emergency_management_staff=7", "test");
  add_scheduled_change(scheduled, "day=201:hazards.removal_base=2.0", "test");
  validate_params(scheduled);
  expect_same_run(run_replicate(scheduled, 0, RunOptions{1}), branched);
}

TEST(Checkpoint, AFileKeepsEveryPieceOfState) {
  // Through the HDF5 file: anything it misses shows up as a difference after resuming.
  for (const Sampling sampling : {Sampling::next_event, Sampling::daily}) {
    Params p = small();
    p.run.replicates = 2;
    p.engine.sampling = sampling;
    // Deadly accidents with fat tails: larger accidents start county campaigns, so what the
    // policy phase has seen of the accident list matters.
    for (auto& sector : p.sectors) {
      sector.p_minor = 0.2;
      sector.p_serious = 0.1;
      sector.p_fatal = 0.3;
      sector.death_tail = 1.05;
    }
    add_scheduled_change(p, "day=320:planning.pooled_teams=true", "test");
    validate_params(p);
    const EnsembleResult whole = run_ensemble(p, RunOptions{2});
    double campaigns = 0;
    for (double c : whole.replicates[0].series[static_cast<int>(Metric::campaigns_decreed)]) campaigns += c;
    EXPECT_GT(campaigns, 5);
    for (const std::int64_t step : {100, 211, 330, 364}) {
      std::vector<RunState> states(2);
      RunOptions keep{2};
      keep.checkpoint_after_step = step;
      keep.checkpoints = &states;
      run_ensemble(p, keep);
      const std::string path = ::testing::TempDir() + "/state-" + std::to_string(::getpid()) + ".ckpt";
      write_checkpoint(path, Checkpoint{"", "tiny", p.run.seed, p.time.step_days, p.burn_in_step_count(),
                                        (step + 1) * p.time.step_days, std::move(states)});
      const Checkpoint read = read_checkpoint(path);
      ASSERT_EQ(read.replicates.size(), 2u);
      RunOptions resume{1};
      resume.resume_states = &read.replicates;
      const EnsembleResult resumed = run_ensemble(p, resume);
      SCOPED_TRACE("resumed from a file after step " + std::to_string(step));
      for (std::size_t r = 0; r < 2; ++r) expect_same_run(whole.replicates[r], resumed.replicates[r]);
    }
  }
}

TEST(Checkpoint, AFileThatIsNotACheckpointIsRefused) {
  const std::string path = ::testing::TempDir() + "/not-" + std::to_string(::getpid()) + ".ckpt";
  std::ofstream(path) << "hello";
  EXPECT_THROW(read_checkpoint(path), CheckpointError);
}
