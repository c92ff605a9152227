#include "serve/run_queue.hpp"

#include <random>

namespace anjian::serve {

using nlohmann::json;

namespace {
constexpr std::size_t kFinishedKept = 256;
}

struct RunQueue::Job {
  std::string id;
  RunPlan plan;
  OnDone on_done;
  std::string state = "queued";
  std::int64_t total_steps = 1;
  std::atomic<std::int64_t> steps_done{0};
  std::atomic<bool> cancel{false};
  json result;
  std::string error;
};

std::string random_text(std::string_view alphabet, std::size_t length) {
  static std::mutex mutex;
  static std::random_device device;
  std::lock_guard lock(mutex);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string text;
  for (std::size_t k = 0; k < length; ++k) text += alphabet[pick(device)];
  return text;
}

RunQueue::RunQueue(int capacity, int threads)
    : capacity_(capacity), threads_(threads), worker_([this] { work(); }) {}

RunQueue::~RunQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (auto& [id, job] : jobs_) job->cancel.store(true);
  }
  wake_.notify_all();
  worker_.join();
}

std::optional<std::string> RunQueue::submit(RunPlan plan, OnDone on_done) {
  auto job = std::make_shared<Job>();
  job->id = random_id();
  for (const Scenario* s : {&plan.status_quo, &plan.policy})
    job->total_steps += (s->params.burn_in_step_count() + s->params.step_count()) * s->params.run.replicates;
  job->plan = std::move(plan);
  job->on_done = std::move(on_done);
  {
    std::lock_guard lock(mutex_);
    if (active_ >= capacity_) return std::nullopt;
    ++active_;
    jobs_[job->id] = job;
    waiting_.push_back(job);
  }
  wake_.notify_one();
  return job->id;
}

std::optional<json> RunQueue::status(const std::string& id) const {
  std::lock_guard lock(mutex_);
  const auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  const Job& job = *it->second;
  json s = {{"id", job.id},
            {"state", job.state},
            {"progress", job.state == "done" ? 1.0
                                             : std::min(1.0, static_cast<double>(job.steps_done.load()) /
                                                                 static_cast<double>(job.total_steps))}};
  if (job.state == "queued") {
    int position = 0;
    for (const auto& w : waiting_) {
      if (w->id == id) break;
      ++position;
    }
    s["position"] = position;
  }
  if (job.state == "done") s["result"] = job.result;
  if (job.state == "failed") s["error"] = job.error;
  return s;
}

bool RunQueue::cancel(const std::string& id) {
  std::lock_guard lock(mutex_);
  const auto it = jobs_.find(id);
  if (it == jobs_.end()) return false;
  Job& job = *it->second;
  job.cancel.store(true);
  if (job.state == "queued") {
    std::erase_if(waiting_, [&](const auto& w) { return w->id == id; });
    job.state = "cancelled";
    --active_;
    finished_.push_back(id);
  }
  return true;
}

void RunQueue::forget_old_jobs() {
  while (finished_.size() > kFinishedKept) {
    jobs_.erase(finished_.front());
    finished_.pop_front();
  }
}

void RunQueue::work() {
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !waiting_.empty(); });
      if (stopping_) return;
      job = waiting_.front();
      waiting_.pop_front();
      job->state = "running";
    }
    std::string state = "done", error;
    json result;
    try {
      const std::vector<EnsembleSpec> specs = {{job->plan.status_quo.params, nullptr},
                                               {job->plan.policy.params, nullptr}};
      const std::vector<EnsembleResult> results =
          run_ensembles(specs, RunOptions{threads_, &job->steps_done, &job->cancel, nullptr});
      if (job->cancel.load()) {
        state = "cancelled";
      } else {
        result = run_result_json(job->plan, results);
        if (job->on_done) job->on_done(result);
      }
    } catch (const std::exception& e) {
      state = "failed";
      error = e.what();
    }
    std::lock_guard lock(mutex_);
    job->state = state;
    job->error = error;
    job->result = std::move(result);
    --active_;
    finished_.push_back(job->id);
    forget_old_jobs();
  }
}

}  // namespace anjian::serve
