// Mixed bursts: one process() call carries records of many sessions, all six AEAD suites, many
// sizes, seals and opens interleaved, and bursts of 1..300 records (across max_burst = 128). Every
// record is checked against the OpenSSL reference, and sequence numbers of each direction must be
// consecutive in span order, also across the processor's internal chunks. A few directions carry
// only failing records, which must fail with the right status without disturbing their neighbours.
#include <gtest/gtest.h>

#include <sstream>
#include <tuple>

#include "engine/record/record_processor.hpp"
#include "tests/record/reference_tls.hpp"
#include "tests/record/test_support.hpp"

namespace tlsburst::record::test {
namespace {

using BurstParam = std::tuple<ImbArch, AeadKernel>;

// One direction of a session: the keys (for the reference), our state, and the next sequence
// number the test expects it to use.
struct Direction {
  TestKeys keys;
  DirectionState state;
  uint64_t next_seq = 0;
};

struct Session {
  Direction tx;  // we seal
  Direction rx;  // we open what the reference sealed
};

enum class Planned : uint8_t { good_seal, good_open, bad_tag_open, uninstalled, oversize_seal };

struct PlannedOp {
  Planned what;
  size_t session;
  uint64_t expected_seq;
  ContentType type;
  uint16_t padding_len;
  Bytes content;
  RecordBuffer buf{0};
};

size_t burst_length(Rng& rng) {
  const uint64_t p = rng.below(100);
  if (p < 30) return rng.between(0, 256);
  if (p < 40) return 16 * rng.between(1, 64);
  if (p < 45) return max_plaintext_len;
  return rng.between(0, 48);
}

class BurstTest : public ::testing::TestWithParam<BurstParam> {
 protected:
  void SetUp() override {
    const ImbArch arch = std::get<0>(GetParam());
    const std::vector<ImbArch> archs = available_archs();
    if (std::find(archs.begin(), archs.end(), arch) == archs.end()) {
      GTEST_SKIP() << "ipsec-mb path " << arch_name(arch) << " is not available on this CPU";
    }
  }
};

TEST_P(BurstTest, MixedSessionsSuitesAndDirections) {
  const auto [arch, kernel] = GetParam();
  auto proc = make_processor(arch, kernel);
  ASSERT_TRUE(proc.has_value());
  const uint64_t seed = test_seed();
  Rng rng(derive_seed(seed, "burst/" + std::string(arch_name(arch)) + "/" + kernel_name(kernel)));

  // Three sessions per suite, each starting at its own random sequence numbers.
  std::vector<Session> sessions;
  for (int copy = 0; copy < 3; ++copy) {
    for (Suite suite : aead_suites()) {
      Session& s = sessions.emplace_back();
      for (Direction* d : {&s.tx, &s.rx}) {
        d->keys = TestKeys::random(suite, rng);
        d->next_seq = rng.chance(50) ? rng.below(100) : rng.below(suite_info(suite).max_records - 100000);
        ASSERT_TRUE(proc->install(d->state, d->keys.direction_keys(d->next_seq)).ok());
      }
    }
  }
  // Directions that only ever see failing records.
  Session poisoned;
  poisoned.rx.keys = TestKeys::random(Suite::tls13_aes_128_gcm_sha256, rng);
  ASSERT_TRUE(proc->install(poisoned.rx.state, poisoned.rx.keys.direction_keys(7)).ok());
  poisoned.tx.keys = TestKeys::random(Suite::tls12_chacha20_poly1305, rng);
  ASSERT_TRUE(proc->install(poisoned.tx.state, poisoned.tx.keys.direction_keys(9)).ok());
  DirectionState uninstalled;

  std::vector<size_t> burst_sizes = {1, 2, 127, 128, 129, 255, 256, 257, 300};
  for (int i = 0; i < 16; ++i) burst_sizes.push_back(rng.between(1, 300));

  uint64_t num_records = 0;
  for (size_t burst_index = 0; burst_index < burst_sizes.size(); ++burst_index) {
    const size_t n = burst_sizes[burst_index];
    const bool with_failures = burst_index % 3 == 2;
    std::vector<PlannedOp> plan(n);
    std::vector<RecordOp> ops(n);
    uint32_t num_expected_ok = 0;

    for (size_t i = 0; i < n; ++i) {
      PlannedOp& p = plan[i];
      const uint64_t pick = rng.below(100);
      p.what = pick < 48 ? Planned::good_seal : Planned::good_open;
      if (with_failures && pick >= 90) {
        p.what = pick < 94 ? Planned::bad_tag_open : (pick < 97 ? Planned::uninstalled : Planned::oversize_seal);
      }
      p.session = rng.below(sessions.size());
      p.type = rng.chance(80) ? ContentType::application_data : ContentType::handshake;
      p.content = rng.bytes(burst_length(rng));

      switch (p.what) {
        case Planned::good_seal: {
          Direction& d = sessions[p.session].tx;
          const Suite suite = d.keys.suite;
          p.padding_len = is_tls13(suite) && rng.chance(30)
                              ? static_cast<uint16_t>(rng.between(0, std::min<size_t>(300, max_plaintext_len - p.content.size())))
                              : 0;
          p.expected_seq = d.next_seq++;
          p.buf = RecordBuffer(header_room(suite) + p.content.size() + tail_room(suite, p.padding_len));
          ops[i] = seal_op(d.state, p.buf, p.content, p.type, p.padding_len);
          ++num_expected_ok;
          break;
        }
        case Planned::good_open: {
          Direction& d = sessions[p.session].rx;
          p.padding_len = is_tls13(d.keys.suite) && rng.chance(30) ? static_cast<uint16_t>(rng.below(40)) : 0;
          if (p.content.size() + p.padding_len > max_plaintext_len) p.padding_len = 0;
          p.expected_seq = d.next_seq++;
          const Bytes record = ref_seal(d.keys, p.expected_seq, static_cast<uint8_t>(p.type), p.content,
                                        p.padding_len);
          p.buf = RecordBuffer(record.size());
          ops[i] = open_op(d.state, p.buf, record);
          ++num_expected_ok;
          break;
        }
        case Planned::bad_tag_open: {
          Direction& d = poisoned.rx;
          for (uint8_t& b : p.content) b = b == 0 ? 1 : b;  // a wiped (zeroed) region cannot look like it
          Bytes record = ref_seal(d.keys, d.state.seq, static_cast<uint8_t>(p.type), p.content);
          record.back() ^= 0x40;
          p.buf = RecordBuffer(record.size());
          ops[i] = open_op(d.state, p.buf, record);
          break;
        }
        case Planned::uninstalled: {
          p.buf = RecordBuffer(header_room(Suite::tls13_aes_128_gcm_sha256) + p.content.size() + 64);
          ops[i] = seal_op(uninstalled, p.buf, p.content, p.type);
          break;
        }
        case Planned::oversize_seal: {
          p.content = rng.bytes(max_plaintext_len + 1);
          p.buf = RecordBuffer(header_room(poisoned.tx.keys.suite) + p.content.size() + 64);
          ops[i] = seal_op(poisoned.tx.state, p.buf, p.content, p.type);
          break;
        }
      }
      ops[i].user_data = &plan[i];
    }

    const uint64_t poisoned_tx_seq = poisoned.tx.state.seq;
    const uint32_t num_ok = proc->process(ops);
    num_records += n;
    std::ostringstream where;
    where << "burst #" << burst_index << " of " << n << " records (TLSBURST_TEST_SEED=" << seed << ")";
    ASSERT_EQ(num_ok, num_expected_ok) << where.str();

    for (size_t i = 0; i < n; ++i) {
      const PlannedOp& p = plan[i];
      const RecordOp& op = ops[i];
      const std::string at = where.str() + ", op " + std::to_string(i);
      ASSERT_EQ(op.user_data, &plan[i]) << at << ": user_data changed";
      switch (p.what) {
        case Planned::good_seal: {
          const Direction& d = sessions[p.session].tx;
          ASSERT_EQ(op.status, RecordStatus::ok) << at << ": seal " << status_name(op.status);
          ASSERT_EQ(op.seq, p.expected_seq) << at << ": sequence numbers must follow span order";
          auto opened = ref_open(d.keys, p.expected_seq, {p.buf.data(), op.length});
          ASSERT_TRUE(opened.has_value()) << at << ": OpenSSL cannot open the sealed record";
          EXPECT_EQ(opened->type, static_cast<uint8_t>(p.type)) << at;
          EXPECT_EQ(opened->padding_len, p.padding_len) << at;
          EXPECT_TRUE(opened->content == p.content) << at;
          EXPECT_TRUE(p.buf.guard_intact()) << at;
          break;
        }
        case Planned::good_open: {
          const Direction& d = sessions[p.session].rx;
          ASSERT_EQ(op.status, RecordStatus::ok) << at << ": open " << status_name(op.status);
          ASSERT_EQ(op.seq, p.expected_seq) << at << ": sequence numbers must follow span order";
          EXPECT_EQ(op.type, p.type) << at;
          ASSERT_EQ(op.length, p.content.size()) << at;
          EXPECT_TRUE(std::equal(p.content.begin(), p.content.end(), p.buf.data() + header_room(d.keys.suite))) << at;
          EXPECT_TRUE(p.buf.guard_intact()) << at;
          break;
        }
        case Planned::bad_tag_open:
          EXPECT_EQ(op.status, RecordStatus::bad_record_mac) << at;
          EXPECT_FALSE(resembles({p.buf.data() + 5, p.content.size()}, p.content)) << at << ": plaintext released";
          break;
        case Planned::uninstalled:
          EXPECT_EQ(op.status, RecordStatus::invalid_state) << at;
          break;
        case Planned::oversize_seal:
          EXPECT_EQ(op.status, RecordStatus::record_overflow) << at;
          break;
      }
    }
    EXPECT_EQ(poisoned.tx.state.seq, poisoned_tx_seq) << where.str() << ": refused seals consumed sequence numbers";
    for (const Session& s : sessions) {
      ASSERT_EQ(s.tx.state.seq, s.tx.next_seq) << where.str();
      ASSERT_EQ(s.rx.state.seq, s.rx.next_seq) << where.str();
    }
  }
  RecordProperty("records", static_cast<int>(num_records));
}

// Bursts of one suite only, so that whole chunks of max_burst records reach one cipher kernel (and
// the job/burst API gets full batches): all seals, then all opens of those records, in bursts of
// 128, 129 and 300 records over four sessions.
TEST_P(BurstTest, FullChunksOfOneSuite) {
  const auto [arch, kernel] = GetParam();
  auto proc = make_processor(arch, kernel);
  ASSERT_TRUE(proc.has_value());
  const uint64_t seed = test_seed();
  Rng rng(derive_seed(seed, "full-chunks/" + std::string(arch_name(arch)) + "/" + kernel_name(kernel)));
  EXPECT_EQ(proc->process({}), 0u) << "an empty burst";

  for (Suite suite : aead_suites()) {
    for (size_t n : {size_t{128}, size_t{129}, size_t{300}}) {
      constexpr size_t num_sessions = 4;
      std::vector<TestKeys> keys;
      std::vector<DirectionState> tx(num_sessions), rx(num_sessions);
      std::vector<uint64_t> first_seq(num_sessions);
      for (size_t k = 0; k < num_sessions; ++k) {
        keys.push_back(TestKeys::random(suite, rng));
        first_seq[k] = rng.below(1u << 20);
        ASSERT_TRUE(proc->install(tx[k], keys[k].direction_keys(first_seq[k])).ok());
        ASSERT_TRUE(proc->install(rx[k], keys[k].direction_keys(first_seq[k])).ok());
      }
      std::vector<Bytes> contents(n);
      std::vector<size_t> session_of(n);
      std::vector<uint64_t> expected_seq(n);
      std::vector<uint64_t> next_seq = first_seq;
      std::vector<RecordBuffer> bufs;
      bufs.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        contents[i] = rng.bytes(rng.chance(10) ? max_plaintext_len : rng.between(0, 600));
        session_of[i] = rng.below(num_sessions);
        expected_seq[i] = next_seq[session_of[i]]++;
        bufs.emplace_back(header_room(suite) + contents[i].size() + tail_room(suite), rng.below(64));
      }
      std::vector<RecordOp> ops(n);
      for (size_t i = 0; i < n; ++i) {
        ops[i] = seal_op(tx[session_of[i]], bufs[i], contents[i], ContentType::application_data);
      }
      const std::string where = std::string(suite_name(suite)) + ", " + std::to_string(n) +
                                " records (TLSBURST_TEST_SEED=" + std::to_string(seed) + ")";
      ASSERT_EQ(proc->process(ops), n) << where << ": seal";
      std::vector<Bytes> records(n);
      for (size_t i = 0; i < n; ++i) {
        ASSERT_EQ(ops[i].seq, expected_seq[i]) << where << ", op " << i;
        records[i].assign(bufs[i].data(), bufs[i].data() + ops[i].length);
        auto opened = ref_open(keys[session_of[i]], expected_seq[i], records[i]);
        ASSERT_TRUE(opened.has_value()) << where << ", op " << i << ": OpenSSL cannot open it";
        ASSERT_TRUE(opened->content == contents[i]) << where << ", op " << i;
        ASSERT_TRUE(bufs[i].guard_intact()) << where << ", op " << i;
      }
      for (size_t i = 0; i < n; ++i) ops[i] = open_op(rx[session_of[i]], bufs[i], records[i]);
      ASSERT_EQ(proc->process(ops), n) << where << ": open";
      for (size_t i = 0; i < n; ++i) {
        ASSERT_EQ(ops[i].seq, expected_seq[i]) << where << ", op " << i;
        ASSERT_EQ(ops[i].length, contents[i].size()) << where << ", op " << i;
        ASSERT_TRUE(std::equal(contents[i].begin(), contents[i].end(), bufs[i].data() + header_room(suite)))
            << where << ", op " << i;
      }
      for (size_t k = 0; k < num_sessions; ++k) {
        EXPECT_EQ(tx[k].seq, next_seq[k]) << where;
        EXPECT_EQ(rx[k].seq, next_seq[k]) << where;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllPaths, BurstTest,
                         ::testing::Combine(::testing::Values(ImbArch::sse, ImbArch::avx, ImbArch::avx2,
                                                              ImbArch::avx512),
                                            ::testing::Values(AeadKernel::direct, AeadKernel::burst)),
                         [](const ::testing::TestParamInfo<BurstParam>& info) {
                           return std::string(arch_name(std::get<0>(info.param))) + "_" +
                                  kernel_name(std::get<1>(info.param));
                         });

}  // namespace
}  // namespace tlsburst::record::test
