#include "serve/sessions.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <vector>

#include "serve/run_queue.hpp"

namespace anjian::serve {

using nlohmann::json;

namespace {

// The figures of the board, from a run's result: per outcome the status quo's and the policy's
// means and the paired difference with its interval.
constexpr const char* kBoardOutcomes[] = {
    "deaths_true", "deaths_reported", "accidents_true", "accidents_reported", "formal_share", "turnover",
    "cost"};

json board_figures(const json& result) {
  json figures = json::object();
  for (const auto& outcome : result.at("outcomes")) {
    const std::string key = outcome.at("key");
    for (const char* wanted : kBoardOutcomes) {
      if (key != wanted) continue;
      const json& d = outcome.at("differences").at(0);
      figures[key] = {{"status_quo", outcome.at("mean").at("status_quo")},
                      {"policy", outcome.at("mean").at("policy")},
                      {"difference", d.at("difference")},
                      {"ci_low", d.at("ci_low")},
                      {"ci_high", d.at("ci_high")}};
    }
  }
  return figures;
}

// Six letters and digits without 0/O or 1/I, to be read out to a class.
std::string session_code() { return random_text("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 6); }

// A prepared statement with bound text, finalised on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql, std::initializer_list<std::string> texts) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("sessions: ") + sqlite3_errmsg(db));
    int k = 1;
    for (const auto& text : texts) sqlite3_bind_text(stmt_, k++, text.c_str(), -1, SQLITE_TRANSIENT);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  bool row() {
    const int rc = sqlite3_step(stmt_);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      throw std::runtime_error(std::string("sessions: ") + sqlite3_errmsg(sqlite3_db_handle(stmt_)));
    return rc == SQLITE_ROW;
  }
  std::string text(int column) {
    const auto* t = sqlite3_column_text(stmt_, column);
    return t ? reinterpret_cast<const char*>(t) : "";
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

std::string csv_field(const json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) {
    std::string q = "\"";
    for (char c : value.get<std::string>()) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  }
  return value.dump();
}

}  // namespace

SessionStore::SessionStore(const std::string& path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("--sessions " + path + ": cannot open the session database: " + message);
  }
  sqlite3_busy_timeout(db_, 5000);
  exec("PRAGMA journal_mode=WAL");
  exec(
      "CREATE TABLE IF NOT EXISTS sessions (code TEXT PRIMARY KEY, facilitator_key TEXT NOT NULL, "
      "title TEXT NOT NULL, county TEXT NOT NULL, replicates INTEGER NOT NULL, years REAL NOT NULL, "
      "revealed INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)");
  exec(
      "CREATE TABLE IF NOT EXISTS teams (code TEXT NOT NULL REFERENCES sessions(code), team TEXT NOT NULL, "
      "levers TEXT NOT NULL, state TEXT NOT NULL, figures TEXT, error TEXT, "
      "updated TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (code, team))");
}

SessionStore::~SessionStore() { sqlite3_close(db_); }

void SessionStore::exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error("sessions: " + message);
  }
}

SessionStore::Created SessionStore::create(const std::string& title, const std::string& county,
                                           std::int64_t replicates, double years) {
  std::lock_guard lock(mutex_);
  for (;;) {
    Created created{session_code(), random_id(24)};
    if (Statement(db_, "SELECT 1 FROM sessions WHERE code = ?", {created.code}).row()) continue;
    Statement(db_,
              "INSERT INTO sessions (code, facilitator_key, title, county, replicates, years) VALUES (?, ?, "
              "?, ?, ?, ?)",
              {created.code, created.facilitator_key, title, county, std::to_string(replicates),
               json(years).dump()})
        .row();
    return created;
  }
}

std::optional<json> SessionStore::session(const std::string& code) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT code, title, county, replicates, years, revealed FROM sessions WHERE code = ?",
              {code});
  if (!s.row()) return std::nullopt;
  return json{{"code", s.text(0)},
              {"title", s.text(1)},
              {"county", s.text(2)},
              {"replicates", std::stoll(s.text(3))},
              {"years", std::stod(s.text(4))},
              {"revealed", s.text(5) == "1"}};
}

bool SessionStore::is_facilitator(const std::string& code, const std::string& key) {
  std::lock_guard lock(mutex_);
  return !key.empty() &&
         Statement(db_, "SELECT 1 FROM sessions WHERE code = ? AND facilitator_key = ?", {code, key}).row();
}

void SessionStore::submit(const std::string& code, const std::string& team, const json& levers) {
  std::lock_guard lock(mutex_);
  Statement(
      db_,
      "INSERT INTO teams (code, team, levers, state) VALUES (?, ?, ?, 'running') ON CONFLICT (code, team) DO "
      "UPDATE SET levers = excluded.levers, state = 'running', figures = NULL, error = NULL, "
      "updated = CURRENT_TIMESTAMP",
      {code, team, levers.dump()})
      .row();
}

void SessionStore::record_result(const std::string& code, const std::string& team, const json& result) {
  std::lock_guard lock(mutex_);
  Statement(
      db_,
      "UPDATE teams SET state = 'done', figures = ?, updated = CURRENT_TIMESTAMP WHERE code = ? AND team = ?",
      {board_figures(result).dump(), code, team})
      .row();
}

void SessionStore::record_failure(const std::string& code, const std::string& team,
                                  const std::string& error) {
  std::lock_guard lock(mutex_);
  Statement(
      db_,
      "UPDATE teams SET state = 'failed', error = ?, updated = CURRENT_TIMESTAMP WHERE code = ? AND team = ?",
      {error, code, team})
      .row();
}

json SessionStore::leaderboard(const std::string& code, bool show_truth) {
  std::lock_guard lock(mutex_);
  json teams = json::array();
  Statement s(db_, "SELECT team, levers, state, figures, error FROM teams WHERE code = ? ORDER BY team",
              {code});
  while (s.row()) {
    json team = {{"team", s.text(0)}, {"levers", json::parse(s.text(1))}, {"state", s.text(2)}};
    if (!s.text(3).empty()) {
      json figures = json::parse(s.text(3));
      if (!show_truth) {
        for (const char* hidden : {"deaths_true", "accidents_true"}) figures.erase(hidden);
      }
      team["figures"] = figures;
    }
    if (!s.text(4).empty()) team["error"] = s.text(4);
    teams.push_back(team);
  }
  return teams;
}

bool SessionStore::reveal(const std::string& code) {
  std::lock_guard lock(mutex_);
  Statement(db_, "UPDATE sessions SET revealed = 1 WHERE code = ?", {code}).row();
  return sqlite3_changes(db_) > 0;
}

std::string SessionStore::csv(const std::string& code) {
  const json teams = leaderboard(code, true);
  std::string out = "team,state";
  for (const char* outcome : kBoardOutcomes)
    out += std::string(",") + outcome + "_status_quo," + outcome + "_policy," + outcome + "_difference," +
           outcome + "_ci_low," + outcome + "_ci_high";
  out += ",levers\n";
  for (const auto& team : teams) {
    out += csv_field(team["team"]) + "," + csv_field(team["state"]);
    for (const char* outcome : kBoardOutcomes) {
      const json f =
          team.contains("figures") ? team["figures"].value(outcome, json::object()) : json::object();
      for (const json& v : {f.value("status_quo", json()), f.value("policy", json()),
                            f.value("difference", json()), f.value("ci_low", json()), f.value("ci_high", json())})
        out += "," + csv_field(v);
    }
    out += "," + csv_field(team["levers"].dump()) + "\n";
  }
  return out;
}

}  // namespace anjian::serve
