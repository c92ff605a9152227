#pragma once
// Classroom sessions of `anjian serve`, kept in SQLite so that a restarted server loses nothing.
// A facilitator opens a session for one county and gets a code and a key; teams join with the
// code and submit a policy; every team's run uses the same county, seed, replicates and years, so
// the leaderboard compares policies under the same random numbers. True deaths stay hidden from
// the board until the facilitator reveals them.

#include <sqlite3.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace anjian::serve {

class SessionStore {
 public:
  explicit SessionStore(const std::string& path);  // creates the file and tables if missing
  ~SessionStore();
  SessionStore(const SessionStore&) = delete;
  SessionStore& operator=(const SessionStore&) = delete;

  struct Created {
    std::string code;             // for the teams: 6 letters and digits
    std::string facilitator_key;  // for reveal; only the facilitator holds it
  };
  Created create(const std::string& title, const std::string& county, std::int64_t replicates, double years);

  // The session's settings {"code", "title", "county", "replicates", "years", "revealed"}.
  std::optional<nlohmann::json> session(const std::string& code);
  bool is_facilitator(const std::string& code, const std::string& key);

  // A team's policy: "running" until its result arrives (a second submission replaces the first).
  void submit(const std::string& code, const std::string& team, const nlohmann::json& levers);
  void record_result(const std::string& code, const std::string& team, const nlohmann::json& result);
  void record_failure(const std::string& code, const std::string& team, const std::string& error);

  // Teams with reported deaths and cost; true deaths only once revealed (or for the facilitator).
  nlohmann::json leaderboard(const std::string& code, bool show_truth);
  bool reveal(const std::string& code);
  // One line per team (and the status quo): every figure, true deaths included, for the debrief.
  std::string csv(const std::string& code);

 private:
  void exec(const char* sql);
  sqlite3* db_ = nullptr;
  std::mutex mutex_;
};

}  // namespace anjian::serve
