#include "tests/record/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace tlsburst::record::test {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

std::optional<uint64_t> parse_u64(const char* text) {
  if (text == nullptr || *text == '\0') return std::nullopt;
  char* end = nullptr;
  unsigned long long v = std::strtoull(text, &end, 0);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return static_cast<uint64_t>(v);
}

// Prints the seed once per run, so that any failure can be replayed.
class SeedEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    std::printf("record tests: TLSBURST_TEST_SEED=%llu\n", static_cast<unsigned long long>(test_seed()));
  }
};

[[maybe_unused]] const auto* const seed_environment = ::testing::AddGlobalTestEnvironment(new SeedEnvironment);

}  // namespace

std::optional<Bytes> from_hex(std::string_view text) {
  Bytes out;
  int high = -1;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':') continue;
    int v = hex_value(c);
    if (v < 0) return std::nullopt;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<uint8_t>((high << 4) | v));
      high = -1;
    }
  }
  if (high >= 0) return std::nullopt;
  return out;
}

std::string to_hex(std::span<const uint8_t> bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    s.push_back(digits[b >> 4]);
    s.push_back(digits[b & 15]);
  }
  return s;
}

std::vector<Suite> aead_suites() {
  std::vector<Suite> out;
  for (const SuiteInfo& info : suite_table) {
    if (info.family != CipherFamily::aes_cbc_hmac) out.push_back(info.suite);
  }
  return out;
}

std::string suite_id(Suite s) {
  switch (s) {
    case Suite::tls12_aes_128_gcm: return "tls12_aes_128_gcm";
    case Suite::tls12_aes_256_gcm: return "tls12_aes_256_gcm";
    case Suite::tls12_chacha20_poly1305: return "tls12_chacha20_poly1305";
    case Suite::tls13_aes_128_gcm_sha256: return "tls13_aes_128_gcm";
    case Suite::tls13_aes_256_gcm_sha384: return "tls13_aes_256_gcm";
    case Suite::tls13_chacha20_poly1305_sha256: return "tls13_chacha20_poly1305";
    default: break;
  }
  std::string name(suite_name(s));
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

uint64_t test_seed() {
  static const uint64_t seed = [] {
    constexpr uint64_t default_seed = 0x7473627572737431ull;
    return parse_u64(std::getenv("TLSBURST_TEST_SEED")).value_or(default_seed);
  }();
  return seed;
}

uint64_t env_count(const char* name, uint64_t fallback) {
  return parse_u64(std::getenv(name)).value_or(fallback);
}

uint64_t derive_seed(uint64_t seed, std::string_view label) {
  uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a over the label, then mixed with the seed
  for (char c : label) {
    h ^= static_cast<uint8_t>(c);
    h *= 0x100000001b3ull;
  }
  uint64_t x = seed ^ h;
  return splitmix64(x);
}

Rng::Rng(uint64_t seed) {
  uint64_t x = seed;
  for (uint64_t& s : _s) s = splitmix64(x);
}

uint64_t Rng::next() {
  const uint64_t result = rotl(_s[1] * 5, 7) * 9;
  const uint64_t t = _s[1] << 17;
  _s[2] ^= _s[0];
  _s[3] ^= _s[1];
  _s[1] ^= _s[2];
  _s[0] ^= _s[3];
  _s[2] ^= t;
  _s[3] = rotl(_s[3], 45);
  return result;
}

uint64_t Rng::below(uint64_t bound) {
  // Rejection sampling keeps the distribution exact.
  const uint64_t limit = ~uint64_t{0} - (~uint64_t{0} % bound);
  uint64_t v;
  do {
    v = next();
  } while (v >= limit);
  return v % bound;
}

uint64_t Rng::between(uint64_t lo, uint64_t hi) {
  if (hi - lo == ~uint64_t{0}) return next();
  return lo + below(hi - lo + 1);
}

void Rng::fill(std::span<uint8_t> out) {
  size_t i = 0;
  for (; i + 8 <= out.size(); i += 8) {
    uint64_t v = next();
    std::memcpy(out.data() + i, &v, 8);
  }
  if (i < out.size()) {
    uint64_t v = next();
    std::memcpy(out.data() + i, &v, out.size() - i);
  }
}

Bytes Rng::bytes(size_t len) {
  Bytes b(len);
  fill(b);
  return b;
}

DirectionKeys TestKeys::direction_keys(uint64_t initial_seq) const {
  return DirectionKeys::make(suite, key, iv, {}, initial_seq);
}

TestKeys TestKeys::random(Suite suite, Rng& rng) {
  const SuiteInfo& info = suite_info(suite);
  return TestKeys{suite, rng.bytes(info.key_len), rng.bytes(info.fixed_iv_len)};
}

RecordBuffer::RecordBuffer(size_t capacity, size_t misalign)
    : _capacity(capacity), _offset(0), _storage(capacity + 4 * guard_len, guard_byte) {
  // Place data() `misalign` bytes past a 64-byte boundary, at least guard_len bytes in.
  const auto base = reinterpret_cast<uintptr_t>(_storage.data());
  const uintptr_t target = ((base + guard_len + 63) & ~uintptr_t{63}) + (misalign % 64);
  _offset = target - base;
  // Junk, not zeros, in the usable area: bytes a seal should write but does not (TLS 1.3
  // padding, say) then show up.
  std::fill(_storage.begin() + static_cast<ptrdiff_t>(_offset),
            _storage.begin() + static_cast<ptrdiff_t>(_offset + capacity), junk_byte);
}

bool RecordBuffer::guard_intact() const {
  const auto is_guard = [](uint8_t b) { return b == guard_byte; };
  const auto data_begin = _storage.begin() + static_cast<ptrdiff_t>(_offset);
  return std::all_of(_storage.begin(), data_begin, is_guard) &&
         std::all_of(data_begin + static_cast<ptrdiff_t>(_capacity), _storage.end(), is_guard);
}

bool RecordBuffer::untouched_from(size_t offset) const {
  if (offset >= _capacity) return true;
  return std::all_of(data() + offset, data() + _capacity, [](uint8_t b) { return b == junk_byte; });
}

std::optional<RecordProcessor> make_processor(const RecordProcessorOptions& options) {
  auto proc = RecordProcessor::create(options);
  if (!proc.ok()) {
    ADD_FAILURE() << "RecordProcessor::create(" << arch_name(options.arch)
                  << ") failed: " << proc.error().message;
    return std::nullopt;
  }
  return std::move(proc).value();
}

std::optional<RecordProcessor> make_processor(ImbArch arch, AeadKernel kernel) {
  RecordProcessorOptions options;
  options.arch = arch;
  options.gcm_kernel = kernel;
  options.chacha_kernel = kernel;
  return make_processor(options);
}

std::string kernel_name(AeadKernel k) { return k == AeadKernel::direct ? "direct" : "burst"; }

RecordOp seal_op(DirectionState& state, RecordBuffer& buf, std::span<const uint8_t> content,
                 ContentType type, uint16_t padding_len) {
  const size_t room = header_room(state.suite);
  if (room + content.size() <= buf.capacity()) {
    std::copy(content.begin(), content.end(), buf.data() + room);
  }
  RecordOp op;
  op.state = &state;
  op.data = buf.data();
  op.capacity = buf.capacity();
  op.length = static_cast<uint32_t>(content.size());
  op.kind = RecordOpKind::seal;
  op.type = type;
  op.padding_len = padding_len;
  return op;
}

RecordOp open_op(DirectionState& state, RecordBuffer& buf, std::span<const uint8_t> record) {
  std::copy(record.begin(), record.begin() + static_cast<ptrdiff_t>(std::min<size_t>(record.size(), buf.capacity())),
            buf.data());
  RecordOp op;
  op.state = &state;
  op.data = buf.data();
  op.capacity = buf.capacity();
  op.length = static_cast<uint32_t>(record.size());
  op.kind = RecordOpKind::open;
  op.type = ContentType::invalid;
  return op;
}

RecordStatus run_one(RecordProcessor& proc, RecordOp& op) {
  const uint32_t num_ok = proc.process(std::span<RecordOp>(&op, 1));
  EXPECT_EQ(num_ok, op.status == RecordStatus::ok ? 1u : 0u) << "process() count disagrees with the status";
  return op.status;
}

bool resembles(std::span<const uint8_t> region, std::span<const uint8_t> secret) {
  const size_t n = std::min(region.size(), secret.size());
  if (n == 0) return false;
  size_t num_equal = 0;
  for (size_t i = 0; i < n; ++i) num_equal += region[i] == secret[i];
  return num_equal * 2 > n;
}

}  // namespace tlsburst::record::test
