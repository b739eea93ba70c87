// Shared helpers of the record-layer tests: hex, a seeded generator, record buffers with guard
// bytes, processors per ipsec-mb path, and one-record seal/open through RecordProcessor.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/record/direction_keys.hpp"
#include "engine/record/direction_state.hpp"
#include "engine/record/imb_manager.hpp"
#include "engine/record/record_op.hpp"
#include "engine/record/record_processor.hpp"
#include "engine/record/suite.hpp"

namespace tlsburst::record {

// gtest printers (found by ADL): names instead of "1-byte object <02>".
inline void PrintTo(RecordStatus s, std::ostream* os) { *os << status_name(s); }
inline void PrintTo(Suite s, std::ostream* os) { *os << suite_name(s); }
inline void PrintTo(ImbArch a, std::ostream* os) { *os << arch_name(a); }
inline void PrintTo(ContentType t, std::ostream* os) { *os << static_cast<int>(t); }
inline void PrintTo(AeadKernel k, std::ostream* os) { *os << (k == AeadKernel::direct ? "direct" : "burst"); }

}  // namespace tlsburst::record

namespace tlsburst::record::test {

using Bytes = std::vector<uint8_t>;

// Hex with optional whitespace and ':' separators; nullopt on odd length or a non-hex character.
std::optional<Bytes> from_hex(std::string_view text);
std::string to_hex(std::span<const uint8_t> bytes);

// The six AEAD suites of issue 2, in table order.
std::vector<Suite> aead_suites();

// A name usable in gtest parameter names: "tls13_aes_128_gcm".
std::string suite_id(Suite s);

// The seed of every randomized test: TLSBURST_TEST_SEED (decimal or 0x hex) or a fixed default.
uint64_t test_seed();
// An unsigned count from the environment, or `fallback` when unset or malformed.
uint64_t env_count(const char* name, uint64_t fallback);

// xoshiro256** seeded through splitmix64: fast, reproducible, not for keys outside tests.
class Rng {
 public:
  explicit Rng(uint64_t seed);
  uint64_t next();
  uint64_t below(uint64_t bound);  // uniform in [0, bound), bound > 0
  uint64_t between(uint64_t lo, uint64_t hi);  // uniform in [lo, hi]
  bool chance(uint32_t percent) { return below(100) < percent; }
  void fill(std::span<uint8_t> out);
  Bytes bytes(size_t len);

 private:
  uint64_t _s[4];
};

// Mixes a test's own identity into the seed so that parameter instances draw different streams.
uint64_t derive_seed(uint64_t seed, std::string_view label);

// Raw keys of one direction, kept by the test to drive the OpenSSL reference.
struct TestKeys {
  Suite suite;
  Bytes key;
  Bytes iv;
  DirectionKeys direction_keys(uint64_t initial_seq) const;
  static TestKeys random(Suite suite, Rng& rng);
};

// A record buffer of `capacity` usable bytes, starting `misalign` bytes past a 64-byte boundary,
// filled with junk, between guard bytes that must stay untouched.
class RecordBuffer {
 public:
  static constexpr size_t guard_len = 64;
  static constexpr uint8_t guard_byte = 0xa5;
  static constexpr uint8_t junk_byte = 0x3c;  // initial content of the usable bytes

  explicit RecordBuffer(size_t capacity, size_t misalign = 0);
  uint8_t* data() { return _storage.data() + _offset; }
  const uint8_t* data() const { return _storage.data() + _offset; }
  uint32_t capacity() const { return static_cast<uint32_t>(_capacity); }
  std::span<uint8_t> span(size_t offset, size_t len) { return {data() + offset, len}; }
  bool guard_intact() const;
  // True when data[offset, capacity) still holds the initial junk.
  bool untouched_from(size_t offset) const;

 private:
  size_t _capacity;
  size_t _offset;  // of data() in _storage: the leading guard, rounded to misalign mod 64
  Bytes _storage;
};

// A processor for `arch` with both AEAD families on `kernel`; fails the calling test if creation
// fails.
std::optional<RecordProcessor> make_processor(ImbArch arch, AeadKernel kernel = AeadKernel::burst);
std::optional<RecordProcessor> make_processor(const RecordProcessorOptions& options);

std::string kernel_name(AeadKernel k);

// Builds a seal op whose plaintext is copied to data + header_room(suite).
RecordOp seal_op(DirectionState& state, RecordBuffer& buf, std::span<const uint8_t> content,
                 ContentType type, uint16_t padding_len = 0);
// Builds an open op over a copy of `record` at the start of `buf`.
RecordOp open_op(DirectionState& state, RecordBuffer& buf, std::span<const uint8_t> record);

// Runs one op alone through the processor.
RecordStatus run_one(RecordProcessor& proc, RecordOp& op);

// True when `region` still looks like `secret`: more equal positions than chance allows.
// Used to check that failed opens released neither plaintext nor (undecrypted) ciphertext.
bool resembles(std::span<const uint8_t> region, std::span<const uint8_t> secret);

}  // namespace tlsburst::record::test
