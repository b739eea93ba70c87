// Sessions through the control plane: stale handles are rejected and never reach another session's
// keys, key changes take effect exactly in ring order, removal wipes the keys, capacity is
// enforced and reported.
#include <gtest/gtest.h>

#include <random>

#include "engine/core/session_table.hpp"
#include "tests/engine/engine_fixture.hpp"

namespace tlsburst::engine::test {
namespace {

using record::ContentType;
using record::RecordOpKind;
using record::Suite;

constexpr Suite suite = Suite::tls13_aes_128_gcm_sha256;

SessionKeys keys_of(uint64_t seed) { return SessionKeys{random_keys(suite, seed), random_keys(suite, seed + 1)}; }

rte_mbuf* seal_request(rte_mempool* pool, SessionHandle h, uint64_t tag, size_t len = 64) {
  Bytes pt(len, static_cast<uint8_t>(tag));
  rte_mbuf* m = make_mbuf(pool, pt);
  if (m != nullptr) set_request(m, h, RecordOpKind::seal, ContentType::application_data, tag);
  return m;
}

bool opens_with(const record::DirectionKeys& k, rte_mbuf* m) {
  const RequestMeta& meta = request_meta(m);
  auto opened = reference_open(k, meta.seq, mbuf_bytes(m));
  return opened.has_value() && opened->plaintext == Bytes(opened->plaintext.size(), static_cast<uint8_t>(meta.user_tag));
}

TEST(SessionTest, StaleHandlesAreRejectedAndNeverReachTheNewSession) {
  EngineFixture f;
  ASSERT_NO_FATAL_FAILURE(f.start());
  const SessionKeys k1 = keys_of(1), k2 = keys_of(2);
  auto h1 = f.control->create_session(k1, 0);
  ASSERT_TRUE(h1.ok());
  ASSERT_TRUE(f.control->remove(*h1));
  auto h2 = f.control->create_session(k2, 0);
  ASSERT_TRUE(h2.ok());
  // The freed slot is reused with a new generation.
  EXPECT_EQ(h2->slot(), h1->slot());
  EXPECT_NE(h2->generation(), h1->generation());

  const SessionHandle never_created = SessionHandle::make(0, 77, 1);
  const SessionHandle wrong_core = SessionHandle::make(200, h2->slot(), h2->generation());
  const SessionHandle out_of_range = SessionHandle::make(0, max_slots_per_core - 1, 1);
  const SessionHandle forged_generation = SessionHandle::make(0, h2->slot(), h2->generation() + 1);
  rte_mbuf* reqs[] = {
      seal_request(f.pool, *h1, 1),          seal_request(f.pool, *h2, 2),
      seal_request(f.pool, never_created, 3), seal_request(f.pool, wrong_core, 4),
      seal_request(f.pool, SessionHandle(), 5), seal_request(f.pool, out_of_range, 6),
      seal_request(f.pool, forged_generation, 7), seal_request(f.pool, *h2, 8),
  };
  const auto done = run_requests(*f.client, reqs);
  ASSERT_EQ(done.size(), std::size(reqs));
  size_t num_ok = 0;
  for (rte_mbuf* m : done) {
    const RequestMeta& meta = request_meta(m);
    if (meta.user_tag == 2 || meta.user_tag == 8) {
      ASSERT_TRUE(meta.ok()) << "tag " << meta.user_tag;
      EXPECT_TRUE(opens_with(k2.seal, m));
      EXPECT_FALSE(opens_with(k1.seal, m));
      ++num_ok;
    } else {
      EXPECT_EQ(meta.reject, RejectReason::stale_session) << "tag " << meta.user_tag;
      EXPECT_EQ(meta.status, record::RecordStatus::not_processed);
      // The plaintext is returned untouched.
      EXPECT_EQ(mbuf_bytes(m), Bytes(64, static_cast<uint8_t>(meta.user_tag)));
    }
  }
  EXPECT_EQ(num_ok, 2u);
  free_all(done);
  EXPECT_EQ(f.engine->total_stats().rejects[static_cast<size_t>(RejectReason::stale_session)], 6u);

  // The control plane refuses stale handles too.
  EXPECT_FALSE(f.control->rekey(*h1, Direction::seal, k2.seal).ok());
  EXPECT_FALSE(f.control->remove(*h1).ok());
  EXPECT_TRUE(f.control->remove(*h2).ok());
  EXPECT_FALSE(f.control->remove(*h2).ok());
}

TEST(SessionTest, KeyChangesTakeEffectInRingOrder) {
  EngineFixture f;
  ASSERT_NO_FATAL_FAILURE(f.start());
  const SessionKeys k = keys_of(10);
  auto h = f.control->create_session(k);
  ASSERT_TRUE(h.ok());
  // Records submitted before the rekey call use the old key, those after it the new one, starting
  // again at sequence number 0 (TLS 1.3 KeyUpdate).
  std::vector<record::DirectionKeys> epochs{k.seal};
  std::vector<rte_mbuf*> all;
  std::vector<size_t> epoch_of;
  for (size_t round = 0; round < 20; ++round) {
    std::vector<rte_mbuf*> batch;
    for (size_t i = 0; i < 5; ++i) {
      batch.push_back(seal_request(f.pool, *h, all.size() + batch.size()));
      epoch_of.push_back(epochs.size() - 1);
    }
    size_t submitted = 0;
    while (submitted < batch.size()) submitted += f.client->submit(std::span(batch).subspan(submitted));
    all.insert(all.end(), batch.begin(), batch.end());
    epochs.push_back(random_keys(suite, 1000 + round));
    ASSERT_TRUE(f.control->rekey(*h, Direction::seal, epochs.back()));
  }
  std::vector<rte_mbuf*> done;
  rte_mbuf* out[64];
  while (done.size() < all.size()) {
    const uint32_t n = f.client->poll(out);
    done.insert(done.end(), out, out + n);
  }
  for (size_t i = 0; i < done.size(); ++i) {
    const RequestMeta& meta = request_meta(done[i]);
    ASSERT_EQ(meta.user_tag, i);
    ASSERT_TRUE(meta.ok());
    EXPECT_EQ(meta.seq, i % 5) << "record " << i;
    EXPECT_TRUE(opens_with(epochs[epoch_of[i]], done[i])) << "record " << i << " not sealed with epoch "
                                                          << epoch_of[i];
    if (epoch_of[i] + 1 < epochs.size()) {
      EXPECT_FALSE(opens_with(epochs[epoch_of[i] + 1], done[i]));
    }
  }
  free_all(done);
}

class RekeyEverySuiteTest : public ::testing::TestWithParam<SuiteCase> {};

TEST_P(RekeyEverySuiteTest, BothDirectionsRekeyForLaterRecords) {
  const Suite s = GetParam().suite;
  const bool etm = GetParam().etm;
  EngineFixture f;
  ASSERT_NO_FATAL_FAILURE(f.start());
  const SessionKeys k{random_keys(s, 20, etm), random_keys(s, 21, etm)};
  auto h = f.control->create_session(k);
  ASSERT_TRUE(h.ok());
  const auto k_next = random_keys(s, 22, etm);
  const Bytes pt(100, 9);
  Bytes iv(16, 0);
  std::vector<rte_mbuf*> reqs;
  for (uint64_t i = 0; i < 3; ++i) {
    iv[0] = static_cast<uint8_t>(i);
    rte_mbuf* m = make_mbuf(f.pool, reference_seal(k.open, i, ContentType::application_data, pt, iv));
    ASSERT_TRUE(set_request(m, *h, RecordOpKind::open, ContentType::invalid, i));
    ASSERT_EQ(f.client->submit(std::span<rte_mbuf* const>(&m, 1)), 1u);
    reqs.push_back(m);
  }
  ASSERT_TRUE(f.control->rekey(*h, Direction::open, k_next));
  ASSERT_TRUE(f.control->rekey(*h, Direction::seal, k_next));
  for (uint64_t i = 0; i < 3; ++i) {
    iv[0] = static_cast<uint8_t>(10 + i);
    rte_mbuf* m = make_mbuf(f.pool, reference_seal(k_next, i, ContentType::application_data, pt, iv));
    ASSERT_TRUE(set_request(m, *h, RecordOpKind::open, ContentType::invalid, 3 + i));
    ASSERT_EQ(f.client->submit(std::span<rte_mbuf* const>(&m, 1)), 1u);
    reqs.push_back(m);
  }
  rte_mbuf* sealed = make_mbuf(f.pool, pt);
  ASSERT_TRUE(set_request(sealed, *h, RecordOpKind::seal, ContentType::application_data, 6));
  ASSERT_EQ(f.client->submit(std::span<rte_mbuf* const>(&sealed, 1)), 1u);
  reqs.push_back(sealed);
  std::vector<rte_mbuf*> done;
  rte_mbuf* out[8];
  while (done.size() < reqs.size()) {
    const uint32_t n = f.client->poll(out);
    done.insert(done.end(), out, out + n);
  }
  for (size_t i = 0; i < reqs.size(); ++i) {
    EXPECT_EQ(done[i], reqs[i]);
    EXPECT_TRUE(request_meta(done[i]).ok()) << "request " << i << ": " << record::status_name(request_meta(done[i]).status);
  }
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ(mbuf_bytes(done[i]), pt) << "request " << i;
  auto opened = reference_open(k_next, 0, mbuf_bytes(sealed));
  ASSERT_TRUE(opened.has_value()) << "seal after rekey not under the new key";
  EXPECT_EQ(opened->plaintext, pt);
  free_all(done);
}

INSTANTIATE_TEST_SUITE_P(AllSuites, RekeyEverySuiteTest, ::testing::ValuesIn(suite_cases()),
                         [](const auto& info) { return suite_case_name(info.param); });

bool all_zero(const std::byte* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != std::byte{0}) return false;
  }
  return true;
}

TEST(SessionTest, RemovalWipesKeyMaterial) {
  EngineFixture f;
  EngineConfig config;
  config.launch = WorkerLaunch::manual;
  ASSERT_NO_FATAL_FAILURE(f.start(config));
  auto h = f.control->create_session(keys_of(30));
  ASSERT_TRUE(h.ok());
  ASSERT_TRUE(f.control->barrier(0));  // manual mode: the barrier polls the worker itself
  const SessionTable::Slot& slot = f.engine->table(0).slot_at(h->slot());
  EXPECT_EQ(slot.generation, h->generation());
  EXPECT_FALSE(all_zero(slot.seal_storage, sizeof slot.seal_storage));
  EXPECT_FALSE(all_zero(slot.open_storage, sizeof slot.open_storage));
  ASSERT_TRUE(f.control->remove(*h));
  ASSERT_TRUE(f.control->barrier(0));
  EXPECT_EQ(slot.generation, 0u);
  EXPECT_TRUE(all_zero(slot.seal_storage, sizeof slot.seal_storage)) << "seal keys left in the table";
  EXPECT_TRUE(all_zero(slot.open_storage, sizeof slot.open_storage)) << "open keys left in the table";
  EXPECT_EQ(f.engine->table(0).num_live(), 0u);
}

TEST(SessionTest, CapacityIsEnforcedAndMemoryReported) {
  EngineFixture f;
  EngineConfig config;
  config.launch = WorkerLaunch::manual;
  config.num_manual_workers = 2;
  config.sessions_per_core = 8;
  ASSERT_NO_FATAL_FAILURE(f.start(config));
  std::vector<SessionHandle> hs;
  for (int i = 0; i < 16; ++i) {
    auto h = f.control->create_session(keys_of(40 + i));
    ASSERT_TRUE(h.ok()) << i << ": " << h.error().message;
    hs.push_back(*h);
  }
  // Spread over both cores (least loaded first), 8 each.
  EXPECT_EQ(f.engine->slots(0).num_live(), 8u);
  EXPECT_EQ(f.engine->slots(1).num_live(), 8u);
  EXPECT_FALSE(f.control->create_session(keys_of(99)).ok());
  EXPECT_FALSE(f.control->create_session(keys_of(99), 1).ok());
  ASSERT_TRUE(f.control->remove(hs[3]));
  auto again = f.control->create_session(keys_of(100), hs[3].core());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->slot(), hs[3].slot());
  ASSERT_TRUE(f.control->barrier(0));
  ASSERT_TRUE(f.control->barrier(1));
  EXPECT_EQ(f.engine->table(0).num_live() + f.engine->table(1).num_live(), 16u);

  EXPECT_EQ(Engine::bytes_per_session(), sizeof(SessionTable::Slot));
  EXPECT_GE(Engine::bytes_per_session(), 2 * sizeof(record::DirectionState));
  std::printf("memory per session: %zu bytes (2 x DirectionState of %zu bytes + generation)\n",
              Engine::bytes_per_session(), sizeof(record::DirectionState));
}

TEST(SessionTest, BadKeysAreRefusedBeforeTakingASlot) {
  EngineFixture f;
  EngineConfig config;
  config.launch = WorkerLaunch::manual;
  ASSERT_NO_FATAL_FAILURE(f.start(config));
  SessionKeys bad = keys_of(50);
  bad.seal.key_len = 5;
  EXPECT_FALSE(f.control->create_session(bad).ok());
  EXPECT_EQ(f.engine->slots(0).num_live(), 0u);
  auto h = f.control->create_session(keys_of(51));
  ASSERT_TRUE(h.ok());
  EXPECT_FALSE(f.control->rekey(*h, Direction::open, bad.seal).ok());
}

}  // namespace
}  // namespace tlsburst::engine::test
