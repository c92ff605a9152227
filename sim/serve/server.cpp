#include "serve/server.hpp"

#include <httplib.h>
#include <pthread.h>
#include <sys/socket.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <system_error>
#include <thread>

#include "core/version.hpp"
#include "serve/run_queue.hpp"
#include "serve/sessions.hpp"

namespace anjian::serve {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// ---- The app's bundle, in memory ---------------------------------------------------------------

struct Asset {
  std::string body;
  std::string mime;
};

std::string mime_of(const fs::path& file) {
  static const std::map<std::string, std::string> types = {{".html", "text/html; charset=utf-8"},
                                                           {".js", "text/javascript; charset=utf-8"},
                                                           {".css", "text/css; charset=utf-8"},
                                                           {".json", "application/json"},
                                                           {".svg", "image/svg+xml"},
                                                           {".png", "image/png"},
                                                           {".woff2", "font/woff2"},
                                                           {".ico", "image/x-icon"}};
  const auto it = types.find(file.extension().string());
  return it == types.end() ? "application/octet-stream" : it->second;
}

// Every file under the bundle's directory by its URL path ("/index.html", "/assets/x.js").
std::map<std::string, Asset> load_bundle(const fs::path& dir) {
  std::error_code unreadable;  // a name too long is "no index.html" too, not a filesystem_error
  if (!fs::is_regular_file(dir / "index.html", unreadable))
    throw std::runtime_error("--web " + dir.string() +
                             ": no index.html; build the app with `make build` (or give the "
                             "directory that holds the built app)");
  std::map<std::string, Asset> bundle;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    bundle["/" + fs::relative(entry.path(), dir).generic_string()] = {body.str(), mime_of(entry.path())};
  }
  return bundle;
}

// ---- Replies -----------------------------------------------------------------------------------

void reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void refuse(httplib::Response& res, int status, const std::string& message) {
  reply(res, status, {{"error", message}});
}

json parse_body(const httplib::Request& req) {
  if (req.body.empty()) return json::object();
  try {
    return json::parse(req.body);
  } catch (const json::parse_error& e) {
    throw BadRequest(std::string("body: not valid JSON (") + e.what() + ")");
  }
}

std::string text_field(const json& body, const char* field, const std::string& fallback,
                       std::size_t max_length) {
  if (!body.contains(field)) return fallback;
  const json& v = body[field];
  if (!v.is_string() || v.get<std::string>().empty() || v.get<std::string>().size() > max_length)
    throw BadRequest(std::string(field) + ": must be text of 1 to " + std::to_string(max_length) + " bytes");
  return v.get<std::string>();
}

std::string facilitator_key(const httplib::Request& req) {
  return req.has_header("X-Facilitator-Key") ? req.get_header_value("X-Facilitator-Key")
                                             : req.get_param_value("key");
}

// ---- The server --------------------------------------------------------------------------------

class Trainer {
 public:
  explicit Trainer(const ServeOptions& options)
      : options_(options),
        bundle_(load_bundle(options.web_dir)),
        library_(load_library(options.scenarios_dir)),
        library_json_(library_json(library_)),
        levers_json_(levers_json(options.limits)),
        sessions_(options.sessions_path),
        runs_(options.limits.queue_length, options.threads) {}

  void route(httplib::Server& svr) {
    svr.set_payload_max_length(options_.limits.max_body_bytes);
    svr.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      return authorised(req, res) ? httplib::Server::HandlerResponse::Unhandled
                                  : httplib::Server::HandlerResponse::Handled;
    });
    svr.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr error) {
      try {
        std::rethrow_exception(error);
      } catch (const BadRequest& e) {
        refuse(res, 400, e.what());
      } catch (const std::exception& e) {
        refuse(res, 500, std::string("internal error: ") + e.what());
      }
    });
    svr.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (res.status == 413)
        refuse(res, 413, "body: larger than the server accepts; send only the levers you change");
      else if (res.body.empty() && req.path.starts_with("/api/"))
        refuse(res, res.status, "no such API route: " + req.path);
    });

    svr.Get("/api/health", [](const auto&, auto& res) {
      reply(res, 200, {{"ok", true}, {"version", kVersion}});
    });
    svr.Get("/api/levers", [this](const auto&, auto& res) { reply(res, 200, levers_json_); });
    svr.Get("/api/library", [this](const auto&, auto& res) { reply(res, 200, library_json_); });
    svr.Post("/api/budget", [this](const auto& req, auto& res) {
      const RunPlan plan = plan_run(parse_body(req), library_, options_.limits);
      reply(
          res, 200,
          {{"status_quo", budget_json(plan.status_quo.params)}, {"policy", budget_json(plan.policy.params)}});
    });
    svr.Post("/api/runs", [this](const auto& req, auto& res) {
      submit(res, plan_run(parse_body(req), library_, options_.limits));
    });
    svr.Get(R"(/api/runs/([0-9a-f]{1,32}))", [this](const auto& req, auto& res) {
      const auto status = runs_.status(req.matches[1]);
      status ? reply(res, 200, *status)
             : refuse(res, 404,
                      "no run " + std::string(req.matches[1]) + " (finished runs are kept for a while only)");
    });
    svr.Delete(R"(/api/runs/([0-9a-f]{1,32}))", [this](const auto& req, auto& res) {
      runs_.cancel(req.matches[1]) ? reply(res, 200, *runs_.status(req.matches[1]))
                                   : refuse(res, 404, "no run " + std::string(req.matches[1]));
    });
    route_sessions(svr);
    svr.Get(R"(/.*)", [this](const auto& req, auto& res) { serve_asset(req, res); });
  }

 private:
  bool authorised(const httplib::Request& req, httplib::Response& res) const {
    if (options_.token.empty() || !req.path.starts_with("/api/")) return true;
    const std::string given = req.has_header("X-Anjian-Token") ? req.get_header_value("X-Anjian-Token")
                                                               : req.get_param_value("token");
    if (given == options_.token) return true;
    refuse(res, 401,
           "access token missing or wrong: open the address the server printed at start (it ends in "
           "?token=...)");
    return false;
  }

  void submit(httplib::Response& res, RunPlan plan, RunQueue::OnDone on_done = {}) {
    const auto id = runs_.submit(std::move(plan), std::move(on_done));
    if (!id) {
      res.set_header("Retry-After", "5");
      refuse(res, 429,
             "the server is busy: " + std::to_string(options_.limits.queue_length) +
                 " runs are queued or running; try again in a few seconds");
      return;
    }
    reply(res, 202, {{"id", *id}, {"state", "queued"}});
  }

  // The session, or null after answering 404.
  json find_session(const std::string& code, httplib::Response& res) {
    auto session = sessions_.session(code);
    if (!session) refuse(res, 404, "no session " + code + "; check the code the facilitator gave");
    return session ? *session : json();
  }

  void route_sessions(httplib::Server& svr) {
    svr.Post("/api/sessions", [this](const auto& req, auto& res) {
      const json body = parse_body(req);
      const std::string title = text_field(body, "title", "anjian", 100);
      // The session's runs: a plan with no levers checks county, replicates and years once.
      json check = body;
      check.erase("title");
      const RunPlan plan = plan_run(check, library_, options_.limits);
      const auto created =
          sessions_.create(title, body.value("county", std::string("county_baseline")),
                           plan.status_quo.params.run.replicates, plan.status_quo.params.time.years);
      json session = *sessions_.session(created.code);
      session["facilitator_key"] = created.facilitator_key;
      reply(res, 201, session);
    });
    svr.Get(R"(/api/sessions/([A-Za-z0-9]{1,16}))", [this](const auto& req, auto& res) {
      json session = find_session(req.matches[1], res);
      if (session.is_null()) return;
      session["teams"] = sessions_.leaderboard(session["code"], session["revealed"].template get<bool>());
      reply(res, 200, session);
    });
    svr.Post(R"(/api/sessions/([A-Za-z0-9]{1,16})/teams)", [this](const auto& req, auto& res) {
      const json session = find_session(req.matches[1], res);
      if (session.is_null()) return;
      const json body = parse_body(req);
      for (const auto& [field, value] : body.items())
        if (field != "team" && field != "levers")
          throw BadRequest(field + ": unknown field; a team sends team and levers");
      const std::string team = text_field(body, "team", "", 40);
      if (team.empty()) throw BadRequest("team: missing; give the team's name");
      const json levers = body.value("levers", json::object());
      const RunPlan plan = plan_run({{"county", session["county"]},
                                     {"levers", levers},
                                     {"replicates", session["replicates"]},
                                     {"years", session["years"]}},
                                    library_, options_.limits);
      const std::string code = session["code"];
      sessions_.submit(code, team, levers);
      submit(res, plan,
             [this, code, team](const json& result) { sessions_.record_result(code, team, result); });
      if (res.status != 202) sessions_.record_failure(code, team, "the server was busy; submit again");
    });
    svr.Post(R"(/api/sessions/([A-Za-z0-9]{1,16})/reveal)", [this](const auto& req, auto& res) {
      const json session = find_session(req.matches[1], res);
      if (session.is_null()) return;
      if (!sessions_.is_facilitator(session["code"], facilitator_key(req)))
        return refuse(res, 403, "only the facilitator reveals the truth: send the session's facilitator key");
      sessions_.reveal(session["code"]);
      reply(res, 200, {{"revealed", true}});
    });
    svr.Get(R"(/api/sessions/([A-Za-z0-9]{1,16})/export\.csv)", [this](const auto& req, auto& res) {
      const json session = find_session(req.matches[1], res);
      if (session.is_null()) return;
      if (!sessions_.is_facilitator(session["code"], facilitator_key(req)))
        return refuse(res, 403, "the export holds the true figures: send the session's facilitator key");
      res.set_header("Content-Disposition",
                     "attachment; filename=\"anjian_" + session["code"].get<std::string>() + ".csv\"");
      res.set_content(sessions_.csv(session["code"]), "text/csv; charset=utf-8");
    });
  }

  void serve_asset(const httplib::Request& req, httplib::Response& res) const {
    if (req.path.starts_with("/api/")) return refuse(res, 404, "no such API route: " + req.path);
    const auto it = bundle_.find(req.path == "/" ? "/index.html" : req.path);
    if (it == bundle_.end()) {
      res.status = 404;
      res.set_content("not found", "text/plain");
      return;
    }
    // The app asks nothing of other hosts; the browser is told to refuse it if it tried.
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
                   "connect-src 'self'");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_content(it->second.body, it->second.mime);
  }

  const ServeOptions& options_;
  const std::map<std::string, Asset> bundle_;
  const Library library_;
  const json library_json_;
  const json levers_json_;
  SessionStore sessions_;
  RunQueue runs_;
};

}  // namespace

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

int serve(const ServeOptions& options) {
  // SIGINT and SIGTERM go to one waiting thread that stops the server (not to a handler that
  // could interrupt anything).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  Trainer trainer(options);
  httplib::Server svr;
  svr.new_task_queue = [] { return new httplib::ThreadPool(64); };
  int listening = -1;
  svr.set_socket_options([&](socket_t sock) {
    httplib::default_socket_options(sock);
    listening = sock;
  });
  trainer.route(svr);
  if (!svr.bind_to_port(options.host, options.port)) {
    std::cerr << "anjian: error: cannot listen on " << options.host << ":" << options.port
              << " (in use or not an address of this machine); choose another --port or --host\n";
    return 1;
  }
  // Debian's compiled cpp-httplib listens with a backlog of 5: a classroom's browsers connecting
  // at once would wait a second for a SYN retry, or be reset. Listening again on the same socket
  // only raises the backlog (Linux).
  if (listening >= 0) ::listen(listening, SOMAXCONN);
  std::thread stopper([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    svr.stop();
  });
  const std::string host =
      options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  std::cout << "anjian serve: open http://" << host << ":" << options.port << "/"
            << (options.token.empty() ? "" : "?token=" + options.token) << "  (Ctrl-C stops)" << std::endl;
  svr.listen_after_bind();
  pthread_kill(stopper.native_handle(), SIGTERM);  // a stop by anything other than a signal
  stopper.join();
  std::cout << "anjian serve: stopped; sessions are kept in " << options.sessions_path << std::endl;
  return 0;
}

}  // namespace anjian::serve
