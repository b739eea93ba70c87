#include "bench/record/run_case.hpp"

#include <string>
#include <vector>

#include "bench/record/reference_aead.hpp"
#include "bench/record/record_ring.hpp"
#include "bench/record/timed_loop.hpp"

namespace tlsburst::bench {

namespace {

// Seals every slot's pattern plaintext with the reference backend, slot i with sequence number i.
bool seal_ring(ReferenceAead& ref, RecordRing& ring) {
  ring.fill_plaintext();
  for (uint32_t i = 0; i < ring.num_slots(); ++i) {
    if (ref.seal(i, ring.slot(i), ring.plaintext_len()) != ring.record_len()) return false;
  }
  return true;
}

// Runs the first burst once more, untimed, from a known state and checks every record: sealed
// records must open with the reference backend, opened records must hold the pattern plaintext.
std::string verify(Contender& contender, ReferenceAead& ref, RecordRing& ring, const BenchCase& c) {
  if (c.direction == Direction::seal) {
    ring.fill_plaintext();
  } else {
    ring.restore();
  }
  contender.rewind();
  const uint32_t num_ok = contender.run(0, c.burst);
  if (num_ok != c.burst) return "verify: " + std::to_string(c.burst - num_ok) + " records failed";
  const size_t room = record::header_room(c.suite);
  std::vector<uint8_t> plaintext(ring.record_len());
  for (uint32_t i = 0; i < c.burst; ++i) {
    if (c.direction == Direction::seal) {
      const int32_t len = ref.open(i, ring.slot(i), ring.record_len(), plaintext.data());
      if (len < 0 || !ring.plaintext_matches(i, plaintext.data(), static_cast<uint32_t>(len))) {
        return "verify: sealed record " + std::to_string(i) + " does not open with the reference";
      }
    } else if (!ring.plaintext_matches(i, ring.slot(i) + room, ring.plaintext_len())) {
      return "verify: opened record " + std::to_string(i) + " has the wrong plaintext";
    }
  }
  return {};
}

}  // namespace

void run_case(benchmark::State& state, const BenchCase& c, const ContenderInfo& info) {
  const BenchKeys keys = make_bench_keys(c.suite);
  ReferenceAead ref(keys);
  RecordRing ring(c.suite, c.plaintext_len, c.burst);
  const bool open = c.direction == Direction::open;
  if (open) {
    if (!seal_ring(ref, ring)) {
      state.SkipWithError("reference backend could not seal the ring");
      return;
    }
  } else {
    ring.fill_plaintext();
  }
  ring.snapshot();

  std::unique_ptr<Contender> contender = info.make();
  if (Status s = contender->prepare(c, keys, ring); !s) {
    state.SkipWithError(s.error().message.c_str());
    return;
  }

  run_timed(state, c, *contender, ring, [&] { return verify(*contender, ref, ring, c); });
}

}  // namespace tlsburst::bench
