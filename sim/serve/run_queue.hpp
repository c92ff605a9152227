#pragma once
// The runs of `anjian serve`: a bounded queue worked by one thread, so that one comparison at a
// time has every core (a county answers in seconds) and a burst of requests waits or gets a 429
// instead of slowing everyone. Each run reports progress and can be cancelled.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "serve/trainer.hpp"

namespace anjian::serve {

class RunQueue {
 public:
  // Called on the worker thread with the finished run's result document.
  using OnDone = std::function<void(const nlohmann::json& result)>;

  // capacity: runs queued or running at once; threads: the engine's worker threads (0 = all).
  RunQueue(int capacity, int threads);
  ~RunQueue();  // cancels what runs, drops what waits
  RunQueue(const RunQueue&) = delete;
  RunQueue& operator=(const RunQueue&) = delete;

  // The new run's id, or nothing when the queue is full.
  std::optional<std::string> submit(RunPlan plan, OnDone on_done = {});
  // {"id", "state": queued|running|done|failed|cancelled, "progress": 0..1, "position", "result"|"error"}
  std::optional<nlohmann::json> status(const std::string& id) const;
  // False when no such run; a finished run stays finished.
  bool cancel(const std::string& id);

 private:
  struct Job;
  void work();
  void forget_old_jobs();  // keeps the latest finished runs only

  const int capacity_;
  const int threads_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<Job>> waiting_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  std::deque<std::string> finished_;  // ids in the order they finished
  int active_ = 0;                    // waiting or running
  bool stopping_ = false;
  std::thread worker_;
};

// `length` characters drawn from `alphabet` by the system's random device: ids, codes and keys
// nobody can guess, so one team cannot read or cancel another's run or reveal a session.
std::string random_text(std::string_view alphabet, std::size_t length);
// A run's id: 16 hex digits.
inline std::string random_id(std::size_t hex_digits = 16) {
  return random_text("0123456789abcdef", hex_digits);
}

}  // namespace anjian::serve
