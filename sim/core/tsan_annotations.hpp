#pragma once
// ThreadSanitizer annotations for the places where anjian hands work to TBB. Debian's oneTBB is
// not built with TSan, so the synchronisation inside libtbb.so that orders a task after its spawn
// and the join after the task is invisible, and every write before a parallel section read inside
// it looks like a race. A HandOver states the edges TBB provides: the spawning thread releases
// before the spawn, each task acquires as it starts and releases as it ends, and the spawning
// thread acquires after the join (docs/reliability.md). Tasks of one section are not ordered
// among themselves: fork and join are distinct addresses, so a race between two tasks is still
// seen. In other builds everything here is empty and inline: no code, no bytes.

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define ANJIAN_TSAN 1
#endif
#endif
#if !defined(ANJIAN_TSAN) && defined(__SANITIZE_THREAD__)
#define ANJIAN_TSAN 1
#endif

#ifdef ANJIAN_TSAN
extern "C" {
void __tsan_acquire(void* addr);
void __tsan_release(void* addr);
}
#endif

namespace anjian::tsan {

// One hand-over of work to TBB, made on the spawning thread: fork() just before the spawn, each
// task body wrapped by tasks(), joined() after the wait.

#ifdef ANJIAN_TSAN

class HandOver {
 public:
  HandOver() = default;
  HandOver(const HandOver&) = delete;
  HandOver& operator=(const HandOver&) = delete;
  void fork() { __tsan_release(&fork_); }
  void joined() { __tsan_acquire(&join_); }

  // Lives for the whole of one task body, on the thread that runs it.
  class Task {
   public:
    explicit Task(HandOver& hand_over) : hand_over_(hand_over) { __tsan_acquire(&hand_over_.fork_); }
    ~Task() { __tsan_release(&hand_over_.join_); }
    Task(const Task&) = delete;
    Task& operator=(const Task&) = delete;

   private:
    HandOver& hand_over_;
  };

 private:
  char fork_ = 0;  // only the addresses matter
  char join_ = 0;
};

// What TBB calls for each task: acquires, runs the body, releases. Reading its own members (where
// the hand-over and the body are) comes before the acquire, so that function is not instrumented;
// the body, never inlined into it (clang and GCC inline nothing across different sanitizer
// attributes), is.
template <class Body>
class Tasks {
 public:
  Tasks(HandOver& hand_over, Body body) : hand_over_(&hand_over), body_(static_cast<Body&&>(body)) {}
  template <class... Args>
  __attribute__((no_sanitize("thread"))) decltype(auto) operator()(Args&&... args) const {
    HandOver::Task task(*hand_over_);
    return body_(static_cast<Args&&>(args)...);
  }

 private:
  HandOver* hand_over_;
  Body body_;
};

// body, each call of which is one task of hand_over; tasks(h, body) refers to body (for a
// parallel_for that returns before body ends), tasks(h, std::move(body)) holds a copy (for a
// task_group).
template <class Body>
Tasks<Body&> tasks(HandOver& hand_over, Body& body) {
  return {hand_over, body};
}
template <class Body>
Tasks<Body> tasks(HandOver& hand_over, Body&& body) {
  return {hand_over, static_cast<Body&&>(body)};
}

#else

class HandOver {
 public:
  HandOver() = default;
  HandOver(const HandOver&) = delete;
  HandOver& operator=(const HandOver&) = delete;
  void fork() {}
  void joined() {}
};

// body itself: TBB gets exactly what it got before the annotations.
template <class Body>
Body& tasks(HandOver&, Body& body) {
  return body;
}
template <class Body>
Body tasks(HandOver&, Body&& body) {
  return static_cast<Body&&>(body);
}

#endif

}  // namespace anjian::tsan
