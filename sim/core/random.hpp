#pragma once
// Counter-based random streams (Philox4x64-10 from Random123). A draw is a pure function of
// (seed, replicate, stream, entity, step, k): no generator state is shared or carried between
// entities, so results do not depend on how work is split between threads or processes.

#include <Random123/philox.h>

#include <cstdint>
#include <limits>

namespace anjian {

// One stream per kind of decision, so that adding draws to one mechanism never shifts another's.
enum class Stream : std::uint64_t {
  InitEnterprise = 1,
  InitInspector = 2,
  InitTownship = 3,
  Hazards = 10,
  Planning = 11,
  Inspection = 12,
  Accidents = 13,
  Coordination = 14,
  Policy = 15,
  EnterpriseEvents = 16,     // next-event sampling: entity = enterprise, step = its draw index
  InitSafetyCulture = 20,    // enterprise decisions: safety culture drawn at build time
  EnterpriseDecision = 21,   // enterprise decisions: monthly logit choice of q
  ExperimentAssignment = 22, // virtual experiment: who is treated (build time)
  ExperimentInspection = 23, // virtual experiment: the outside team's visits
  Accountability = 30,       // consequences: investigation of an accident (entity = its place in the run)
  DisciplineAudit = 31,      // consequences: monthly audit of an inspector's records
  Turnover = 32,             // staff: an inspector leaving (monthly)
  Recruitment = 33,          // staff: filling a vacant post (yearly)
  InitStaff = 34,            // staff: tenure of the staff in post at the start
  PublicReports = 40,        // public reporting: reports about an enterprise and their handling
  GridPatrol = 41,           // public reporting: grid members finding an unregistered enterprise
  MediaExposure = 42,        // accidents: media exposing a concealed accident
};

struct RandomKey {
  std::uint64_t seed = 0;
  std::uint64_t replicate = 0;
};

// A UniformRandomBitGenerator over the counter (stream, entity, step, k): k counts blocks of
// four 64-bit words, so one stream yields up to 2^66 words before repeating.
class RandomStream {
 public:
  using result_type = std::uint64_t;

  RandomStream(RandomKey key, Stream stream, std::uint64_t entity, std::uint64_t step)
      : key_{{key.seed, key.replicate}},
        counter_{{static_cast<std::uint64_t>(stream), entity, step, 0}} {}

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  result_type operator()() {
    if (used_ == 4) refill();
    return block_.v[used_++];
  }

  // Uniform on the open interval (0, 1), 53 bits.
  double uniform() { return (static_cast<double>((*this)() >> 11) + 0.5) * 0x1.0p-53; }

 private:
  void refill() {
    block_ = r123::Philox4x64{}(counter_, key_);
    ++counter_.v[3];
    used_ = 0;
  }

  r123::Philox4x64::key_type key_;
  r123::Philox4x64::ctr_type counter_;
  r123::Philox4x64::ctr_type block_{};
  int used_ = 4;
};

}  // namespace anjian
