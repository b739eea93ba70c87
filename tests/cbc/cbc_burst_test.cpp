// CBC records in bursts: record errors and their statuses, sequence numbers, usage limits inside
// one burst, mixed bursts of CBC and AEAD records from many sessions, chunking past max_burst, and
// the encrypt-then-MAC staging arena filling up.
#include <gtest/gtest.h>

#include <map>

#include "tests/cbc/cbc_reference.hpp"
#include "tests/cbc/cbc_test_support.hpp"

namespace tlsburst::record::test {
namespace {

class CbcBurstTest : public ::testing::Test {
 protected:
  void SetUp() override {
    proc = make_processor(ImbArch::auto_detect);
    ASSERT_TRUE(proc);
  }
  Rng rng{derive_seed(test_seed(), "cbc_burst")};
  std::optional<RecordProcessor> proc;
};

TEST_F(CbcBurstTest, SealErrors) {
  for (Suite s : cbc_suites()) {
    for (bool etm : {false, true}) {
      auto peer = make_peer(*proc, s, etm, rng, 10);
      const Bytes content = rng.bytes(100);
      {  // exactly enough room succeeds; one byte less does not, and consumes no sequence number
        RecordBuffer small(header_room(s) + 100 + tail_room(s) - 1);
        RecordOp op = seal_op(peer->sender, small, content, ContentType::application_data);
        EXPECT_EQ(run_one(*proc, op), RecordStatus::buffer_too_small);
        EXPECT_EQ(peer->sender.seq, 10u);
        RecordBuffer exact(header_room(s) + 100 + tail_room(s));
        RecordOp ok = seal_op(peer->sender, exact, content, ContentType::application_data);
        EXPECT_EQ(run_one(*proc, ok), RecordStatus::ok);
        EXPECT_EQ(ok.seq, 10u);
        EXPECT_TRUE(exact.guard_intact());
      }
      {
        RecordBuffer big(header_room(s) + max_plaintext_len + 1 + tail_room(s));
        const Bytes too_long(max_plaintext_len + 1, 0x42);
        RecordOp op = seal_op(peer->sender, big, too_long, ContentType::application_data);
        EXPECT_EQ(run_one(*proc, op), RecordStatus::record_overflow);
        const Bytes longest(max_plaintext_len, 0x42);
        RecordOp ok = seal_op(peer->sender, big, longest, ContentType::application_data);
        EXPECT_EQ(run_one(*proc, ok), RecordStatus::ok);
        EXPECT_TRUE(ref_open(peer->keys, ok.seq, Bytes(ok.data, ok.data + ok.length)).has_value());
      }
      {
        RecordBuffer buf(header_room(s) + 100 + tail_room(s));
        RecordOp op = seal_op(peer->sender, buf, content, ContentType::invalid);
        EXPECT_EQ(run_one(*proc, op), RecordStatus::decode_error);
        RecordOp null_op = seal_op(peer->sender, buf, content, ContentType::application_data);
        null_op.data = nullptr;
        EXPECT_EQ(run_one(*proc, null_op), RecordStatus::buffer_too_small);
      }
      DirectionState uninstalled;
      RecordBuffer buf(header_room(s) + 100 + tail_room(s));
      RecordOp op = seal_op(uninstalled, buf, content, ContentType::application_data);
      EXPECT_EQ(run_one(*proc, op), RecordStatus::invalid_state);
    }
  }
}

TEST_F(CbcBurstTest, OpenErrors) {
  for (Suite s : cbc_suites()) {
    for (bool etm : {false, true}) {
      auto peer = make_peer(*proc, s, etm, rng);
      const Bytes content = rng.bytes(64);
      const Bytes rec = ref_seal(peer->keys, 0, 23, content, valid_padding_lens(peer->keys, 64)[0], rng.bytes(16));
      {  // length field disagreeing with the buffer, length beyond capacity
        Bytes b = rec;
        b.push_back(0);
        RecordBuffer buf(b.size());
        RecordOp op = open_op(peer->receiver, buf, b);
        EXPECT_EQ(run_one(*proc, op), RecordStatus::decode_error);
        RecordBuffer buf2(rec.size());
        RecordOp op2 = open_op(peer->receiver, buf2, rec);
        op2.capacity -= 1;
        EXPECT_EQ(run_one(*proc, op2), RecordStatus::decode_error);
        EXPECT_EQ(peer->receiver.seq, 0u) << "a framing failure consumed a sequence number";
      }
      {  // fragment longer than 2^14 + 2048
        Bytes b(5 + tls12_max_ciphertext_len + 16, 0x11);
        b[0] = 23, b[1] = 3, b[2] = 3;
        b[3] = static_cast<uint8_t>((b.size() - 5) >> 8), b[4] = static_cast<uint8_t>(b.size() - 5);
        RecordBuffer buf(b.size());
        RecordOp op = open_op(peer->receiver, buf, b);
        EXPECT_EQ(run_one(*proc, op), RecordStatus::record_overflow);
      }
      {  // authentic, but 2^14 + 1 bytes of plaintext: record_overflow after authentication, wiped
        const Bytes big = rng.bytes(max_plaintext_len + 1);
        const Bytes b = ref_seal(peer->keys, 0, 23, big, valid_padding_lens(peer->keys, big.size())[0], rng.bytes(16));
        RecordBuffer buf(b.size());
        RecordOp op = open_op(peer->receiver, buf, b);
        EXPECT_EQ(run_one(*proc, op), RecordStatus::record_overflow);
        EXPECT_FALSE(resembles(buf.span(21, big.size()), big));
        EXPECT_EQ(peer->receiver.seq, 1u);
      }
      {  // the good record at the next sequence number is refused (it was sealed for seq 0)
        RecordBuffer buf(rec.size());
        RecordOp op = open_op(peer->receiver, buf, rec);
        EXPECT_EQ(run_one(*proc, op), RecordStatus::bad_record_mac);
      }
    }
  }
}

TEST_F(CbcBurstTest, UsageLimitInsideOneBurst) {
  for (bool etm : {false, true}) {
    const uint64_t limit = suite_info(Suite::tls12_aes_128_cbc_sha).max_records;
    auto peer = make_peer(*proc, Suite::tls12_aes_128_cbc_sha, etm, rng, limit - 2);
    std::vector<Bytes> contents(4, rng.bytes(10));
    std::vector<DirectionState*> states(4, &peer->sender);
    const ContentType type = ContentType::application_data;
    auto sealed = seal_burst(*proc, states, contents, std::span<const ContentType>(&type, 1));
    EXPECT_EQ(sealed[0]->op.status, RecordStatus::ok);
    EXPECT_EQ(sealed[0]->op.seq, limit - 2);
    EXPECT_EQ(sealed[1]->op.status, RecordStatus::ok);
    EXPECT_EQ(sealed[1]->op.seq, limit - 1);
    EXPECT_EQ(sealed[2]->op.status, RecordStatus::key_exhausted);
    EXPECT_EQ(sealed[3]->op.status, RecordStatus::key_exhausted);
    std::vector<Bytes> records{record_of(*sealed[0]), record_of(*sealed[1]), record_of(*sealed[1])};
    std::vector<DirectionState*> rstates(3, &peer->receiver);
    auto opened = open_burst(*proc, rstates, records);
    EXPECT_EQ(opened[0]->op.status, RecordStatus::ok);
    EXPECT_EQ(opened[1]->op.status, RecordStatus::ok);
    EXPECT_EQ(opened[2]->op.status, RecordStatus::key_exhausted);
  }
}

// 300 ops from 24 sessions of every CBC suite and mode plus AEAD sessions, seals and opens mixed,
// in one process() call: every record right, and each session's sequence numbers consecutive in
// span order.
TEST_F(CbcBurstTest, MixedBurstOfManySessionsAndSuites) {
  struct Session {
    std::unique_ptr<CbcPeer> cbc;
    DirectionState aead_seal;
    Suite suite;
  };
  std::vector<std::unique_ptr<Session>> sessions;
  for (int round = 0; round < 2; ++round) {
    for (Suite s : cbc_suites()) {
      for (bool etm : {false, true}) {
        auto ss = std::make_unique<Session>();
        ss->suite = s;
        ss->cbc = make_peer(*proc, s, etm, rng, rng.below(1000));
        sessions.push_back(std::move(ss));
      }
    }
  }
  for (Suite s : {Suite::tls12_aes_128_gcm, Suite::tls13_chacha20_poly1305_sha256, Suite::tls13_aes_256_gcm_sha384,
                  Suite::tls12_chacha20_poly1305}) {
    auto ss = std::make_unique<Session>();
    ss->suite = s;
    const auto keys = TestKeys::random(s, rng);
    ASSERT_TRUE(proc->install(ss->aead_seal, keys.direction_keys(0)).ok());
    sessions.push_back(std::move(ss));
  }

  struct Entry {
    size_t session;
    bool seal;
    Bytes content;
    uint64_t expected_seq;
    std::unique_ptr<RecordBuffer> buffer;
  };
  std::vector<Entry> entries;
  std::map<size_t, uint64_t> next_seal, next_open;
  for (size_t i = 0; i < sessions.size(); ++i) {
    if (sessions[i]->cbc) {
      next_seal[i] = sessions[i]->cbc->sender.seq;
      next_open[i] = sessions[i]->cbc->receiver.seq;
    } else {
      next_seal[i] = 0;
    }
  }
  std::vector<RecordOp> ops;
  for (int k = 0; k < 300; ++k) {
    const size_t si = rng.below(sessions.size());
    Session& ss = *sessions[si];
    const bool seal = !ss.cbc || rng.chance(50);
    Entry e{si, seal, rng.bytes(rng.chance(20) ? rng.between(1000, 16384) : rng.below(1500)), 0, nullptr};
    if (seal) {
      e.expected_seq = next_seal[si]++;
      DirectionState& st = ss.cbc ? ss.cbc->sender : ss.aead_seal;
      e.buffer = std::make_unique<RecordBuffer>(header_room(ss.suite) + e.content.size() + tail_room(ss.suite));
      ops.push_back(seal_op(st, *e.buffer, e.content, ContentType::application_data));
    } else {
      e.expected_seq = next_open[si]++;
      const auto pads = valid_padding_lens(ss.cbc->keys, e.content.size());
      const Bytes rec = ref_seal(ss.cbc->keys, e.expected_seq, 23, e.content, pads[rng.below(pads.size())], rng.bytes(16));
      e.buffer = std::make_unique<RecordBuffer>(rec.size());
      ops.push_back(open_op(ss.cbc->receiver, *e.buffer, rec));
    }
    entries.push_back(std::move(e));
  }
  EXPECT_EQ(proc->process(ops), ops.size());
  for (size_t k = 0; k < ops.size(); ++k) {
    const Entry& e = entries[k];
    const RecordOp& op = ops[k];
    ASSERT_EQ(op.status, RecordStatus::ok) << "op " << k << " " << suite_name(sessions[e.session]->suite);
    ASSERT_EQ(op.seq, e.expected_seq) << "op " << k;
    ASSERT_TRUE(e.buffer->guard_intact());
    const Session& ss = *sessions[e.session];
    if (!ss.cbc) continue;  // the AEAD path has its own cross-check suite
    if (e.seal) {
      auto opened = ref_open(ss.cbc->keys, op.seq, Bytes(op.data, op.data + op.length));
      ASSERT_TRUE(opened.has_value()) << "op " << k;
      ASSERT_EQ(opened->content, e.content);
    } else {
      ASSERT_EQ(Bytes(op.data + 21, op.data + 21 + op.length), e.content);
    }
  }
}

// 128 maximal encrypt-then-MAC records need more than the staging arena: hashed in several bursts.
TEST_F(CbcBurstTest, EncryptThenMacArenaOverflowsIntoSeveralBursts) {
  for (Suite s : {Suite::tls12_aes_128_cbc_sha, Suite::tls12_aes_256_cbc_sha384}) {
    auto peer = make_peer(*proc, s, true, rng);
    std::vector<Bytes> contents;
    for (int i = 0; i < 128; ++i) contents.push_back(rng.bytes(max_plaintext_len - rng.below(3)));
    std::vector<DirectionState*> states(contents.size(), &peer->sender);
    const ContentType type = ContentType::application_data;
    auto sealed = seal_burst(*proc, states, contents, std::span<const ContentType>(&type, 1));
    std::vector<Bytes> records;
    for (size_t i = 0; i < sealed.size(); ++i) {
      ASSERT_EQ(sealed[i]->op.status, RecordStatus::ok);
      records.push_back(record_of(*sealed[i]));
      ASSERT_TRUE(ref_open(peer->keys, sealed[i]->op.seq, records.back()).has_value()) << i;
    }
    std::vector<DirectionState*> rstates(records.size(), &peer->receiver);
    auto opened = open_burst(*proc, rstates, records);
    for (size_t i = 0; i < opened.size(); ++i) {
      ASSERT_EQ(opened[i]->op.status, RecordStatus::ok) << i;
      ASSERT_EQ(plaintext_of(*opened[i]), contents[i]);
    }
  }
}

// Explicit IVs are fresh per record, within a processor and across processors.
TEST_F(CbcBurstTest, ExplicitIvsAreNeverRepeated) {
  auto other = make_processor(ImbArch::auto_detect);
  ASSERT_TRUE(other);
  std::set<Bytes> ivs;
  size_t total = 0;
  for (RecordProcessor* p : {&*proc, &*other}) {
    auto peer = make_peer(*p, Suite::tls12_aes_128_cbc_sha256, false, rng);
    for (int round = 0; round < 40; ++round) {
      std::vector<Bytes> contents(128, Bytes(1, 0));
      std::vector<DirectionState*> states(contents.size(), &peer->sender);
      const ContentType type = ContentType::application_data;
      auto sealed = seal_burst(*p, states, contents, std::span<const ContentType>(&type, 1));
      for (auto& r : sealed) {
        ASSERT_EQ(r->op.status, RecordStatus::ok);
        ivs.insert(Bytes(r->op.data + 5, r->op.data + 21));
        ++total;
      }
    }
  }
  EXPECT_EQ(ivs.size(), total);
}

}  // namespace
}  // namespace tlsburst::record::test
