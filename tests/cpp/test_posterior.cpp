// anjian compare --posterior: reading a posterior file, the weighted resample (deterministic, in
// proportion to the weights), and replicate k of every scenario running parameter draw k.

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>

#include "replicate_stats.hpp"
#include "run/posterior.hpp"

using namespace anjian;
using anjian::testing::tiny_scenario;

namespace {

std::string write_file(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST(Posterior, ReadsWeightsAndKeysAndIgnoresUnderscoreColumns) {
  const auto path = write_file("post.csv", "weight,inspectors.skill_mean,_distance\n1,0.2,0.5\n3,0.8,0.1\n");
  const Posterior p = read_posterior(path);
  ASSERT_EQ(p.keys, std::vector<std::string>{"inspectors.skill_mean"});
  EXPECT_EQ(p.weights, (std::vector<double>{1, 3}));
  EXPECT_DOUBLE_EQ(p.rows[1][0], 0.8);
}

TEST(Posterior, BadFilesAreRefusedNamingThePlace) {
  EXPECT_THROW(read_posterior("/nonexistent/post.csv"), ScenarioError);
  try {
    read_posterior(write_file("unknown.csv", "weight,inspectors.skil_mean\n1,0.3\n"));
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown.csv:1: unknown parameter 'inspectors.skil_mean'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("inspectors.skill_mean"), std::string::npos);
  }
  EXPECT_THROW(read_posterior(write_file("noweight.csv", "inspectors.skill_mean\n0.3\n")), ScenarioError);
  EXPECT_THROW(read_posterior(write_file("nan.csv", "weight,inspectors.skill_mean\n1,abc\n")), ScenarioError);
  EXPECT_THROW(read_posterior(write_file("neg.csv", "weight,inspectors.skill_mean\n-1,0.3\n")), ScenarioError);
  EXPECT_THROW(read_posterior(write_file("zero.csv", "weight,inspectors.skill_mean\n0,0.3\n")), ScenarioError);
}

TEST(Posterior, ResampleIsDeterministicAndProportionalToWeights) {
  const std::vector<double> w{1, 0, 3, 4};
  const auto a = resample_posterior(w, 800, 7);
  EXPECT_EQ(a, resample_posterior(w, 800, 7));
  std::map<std::size_t, int> counts;
  for (auto i : a) ++counts[i];
  EXPECT_EQ(counts[1], 0);  // a zero weight is never drawn
  EXPECT_EQ(counts[0], 100);  // systematic resampling: within one of count x weight / total
  EXPECT_EQ(counts[2], 300);
  EXPECT_EQ(counts[3], 400);
  EXPECT_NE(a, resample_posterior(w, 800, 8));  // another seed, another order
}

TEST(Posterior, ReplicateKRunsDrawKAndAScenarioKeepsAKeyItSetsItself) {
  const Params base = tiny_scenario({"run.replicates=4", "time.years=0.25"}).params;
  const Params own = tiny_scenario({"run.replicates=4", "time.years=0.25", "inspectors.skill_mean=0.9"}).params;
  const Posterior p = read_posterior(write_file("two.csv", "weight,inspectors.skill_mean\n1,0.2\n1,0.7\n"));
  const std::vector<std::size_t> draws{0, 1, 1, 0};
  const auto params = posterior_params(base, base, p, draws);
  ASSERT_EQ(params.size(), 4u);
  EXPECT_DOUBLE_EQ(params[0].inspectors.skill_mean, 0.2);
  EXPECT_DOUBLE_EQ(params[1].inspectors.skill_mean, 0.7);
  std::vector<std::string> kept;
  const auto kept_params = posterior_params(own, base, p, draws, &kept);
  EXPECT_EQ(kept, std::vector<std::string>{"inspectors.skill_mean"});
  EXPECT_DOUBLE_EQ(kept_params[1].inspectors.skill_mean, 0.9);

  // Replicate k with draw k equals a plain run of that draw's parameters, replicate k.
  const auto ensembles = run_ensembles({EnsembleSpec{base, nullptr, params}}, RunOptions{2});
  Params low = base;
  low.inspectors.skill_mean = 0.2;
  Params high = base;
  high.inspectors.skill_mean = 0.7;
  const auto plain_low = run_ensemble(low, RunOptions{1});
  const auto plain_high = run_ensemble(high, RunOptions{1});
  EXPECT_EQ(ensembles[0].replicates[0].series, plain_low.replicates[0].series);
  EXPECT_EQ(ensembles[0].replicates[1].series, plain_high.replicates[1].series);
  EXPECT_EQ(ensembles[0].replicates[3].series, plain_low.replicates[3].series);
}
