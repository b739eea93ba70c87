// A contender of the record benchmark: one implementation of TLS record protection (the record
// layer, or a baseline) driven over a RecordRing a burst at a time, and the table of all of them.
//
// Adding a contender (issue 3: OpenSSL stitched CBC-HMAC, cryptodev cipher+auth chains) or a
// suite is a row in contender_table.cpp plus, for a new suite, its entry in bench_suites; the
// benchmark loop, naming, verification and the script do not change.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "bench/record/bench_case.hpp"
#include "bench/record/bench_keys.hpp"
#include "bench/record/record_ring.hpp"
#include "engine/common/result.hpp"

namespace tlsburst::bench {

class Contender {
 public:
  virtual ~Contender() = default;

  // Installs `keys` and binds the contender to `ring` for case `c` (set-up, not timed). An error
  // skips the benchmark with its message.
  virtual Status prepare(const BenchCase& c, const BenchKeys& keys, RecordRing& ring) = 0;

  // Seals (plaintext of ring.plaintext_len() at slot + header_room) or opens (one whole record of
  // ring.record_len() per slot) slots [first, first + n), n <= max_bench_burst, in place, with
  // consecutive sequence numbers. Returns how many records succeeded. This is what is timed.
  virtual uint32_t run(uint32_t first, uint32_t n) noexcept = 0;

  // The next record uses sequence number 0 again (the ring wrapped).
  virtual void rewind() noexcept = 0;
};

struct ContenderInfo {
  std::string_view name;             // the <contender> part of the benchmark name
  bool per_imb_arch;                 // registered once per ipsec-mb path (and auto)
  bool (*supports)(record::Suite);   // registered only for these suites
  std::unique_ptr<Contender> (*make)();
};

// Every contender, in the order the benchmarks are registered.
std::span<const ContenderInfo> contenders();

// The factories behind the table (one file per contender).
std::unique_ptr<Contender> make_ours_direct();
std::unique_ptr<Contender> make_ours_burst();
std::unique_ptr<Contender> make_raw_direct();
std::unique_ptr<Contender> make_raw_job();
std::unique_ptr<Contender> make_openssl_evp();
std::unique_ptr<Contender> make_cryptodev();

}  // namespace tlsburst::bench
