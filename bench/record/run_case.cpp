#include "bench/record/run_case.hpp"

#include <string>
#include <vector>

#include "bench/record/reference_aead.hpp"
#include "bench/record/record_ring.hpp"

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

  const uint32_t num_bursts = ring.num_slots() / c.burst;
  uint32_t next = 0;
  uint64_t num_failed = 0;
  for (auto _ : state) {
    if (next == num_bursts) {
      next = 0;
      if (open) {
        state.PauseTiming();
        ring.restore();
        contender->rewind();
        state.ResumeTiming();
      } else {
        contender->rewind();
      }
    }
    num_failed += c.burst - contender->run(next * c.burst, c.burst);
    ++next;
  }

  if (num_failed != 0) {
    const std::string msg = std::to_string(num_failed) + " records failed in the timed loop";
    state.SkipWithError(msg.c_str());
    return;
  }
  if (const std::string err = verify(*contender, ref, ring, c); !err.empty()) {
    state.SkipWithError(err.c_str());
    return;
  }

  const int64_t num_records = static_cast<int64_t>(state.iterations()) * c.burst;
  const int64_t num_bytes = num_records * c.plaintext_len;
  state.SetItemsProcessed(num_records);
  state.SetBytesProcessed(num_bytes);
  state.counters["records_per_second"] = benchmark::Counter(static_cast<double>(num_records), benchmark::Counter::kIsRate);
  state.counters["Gbps"] = benchmark::Counter(static_cast<double>(num_bytes) * 8e-9, benchmark::Counter::kIsRate);
}

}  // namespace tlsburst::bench
