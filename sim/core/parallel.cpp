#include "core/parallel.hpp"

#include <thread>

namespace anjian {

namespace {
thread_local WarmWorkers* current = nullptr;  // the innermost WarmWorkers made by this thread
}

WarmWorkers::WarmWorkers(int workers) : workers_(workers), outer_(current) {
  current = this;
  start();
}

WarmWorkers::~WarmWorkers() {
  stop_.store(true, std::memory_order_relaxed);
  spinners_.wait();
  hand_over_.joined();
  current = outer_;
}

void WarmWorkers::pause() {
  if (current && current->depth_++ == 0) current->stop_.store(true, std::memory_order_relaxed);
}

void WarmWorkers::resume() {
  if (current && --current->depth_ == 0) current->start();
}

void WarmWorkers::start() {
  stop_.store(false, std::memory_order_relaxed);
  hand_over_.fork();
  for (int k = 0; k < workers_; ++k) spinners_.run(tsan::tasks(hand_over_, [this] { spin(); }));
}

// A spinner left from before a pause may still run when the next one starts: it then spins for
// the new one, and a spinner that finds stop_ set returns at once, also on this thread (which
// only runs tasks while waiting inside a parallel section, when stop_ is set).
void WarmWorkers::spin() {
  while (!stop_.load(std::memory_order_relaxed)) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#else
    std::this_thread::yield();
#endif
  }
}

}  // namespace anjian
