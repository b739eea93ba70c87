// Records through the rings, for every suite: what the engine seals opens with the OpenSSL
// reference, what the reference seals the engine opens, tampering is caught, and the outcome of
// every request comes back exactly once, in order, with its sequence number.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "engine/record/suite.hpp"
#include "tests/engine/engine_fixture.hpp"

namespace tlsburst::engine::test {
namespace {

using record::ContentType;
using record::RecordOpKind;
using record::RecordStatus;
using record::Suite;

std::string case_name(const ::testing::TestParamInfo<SuiteCase>& info) { return suite_case_name(info.param); }

constexpr size_t sizes[] = {0, 1, 15, 16, 17, 255, 256, 1000, 1024, 4000, 16383, 16384};

class LookasideTest : public ::testing::TestWithParam<SuiteCase> {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(f.start()); }

  SessionKeys keys(uint64_t seed) const {
    return SessionKeys{random_keys(GetParam().suite, seed, GetParam().etm),
                       random_keys(GetParam().suite, seed + 1000, GetParam().etm)};
  }

  EngineFixture f;
  std::mt19937_64 rng{42};
};

TEST_P(LookasideTest, EngineSealsWhatOpenSslOpens) {
  // One session per core, records interleaved between them.
  std::vector<SessionKeys> session_keys;
  std::vector<SessionHandle> handles;
  for (uint32_t c = 0; c < f.engine->num_cores(); ++c) {
    session_keys.push_back(keys(100 + c));
    auto h = f.control->create_session(session_keys.back(), c);
    ASSERT_TRUE(h.ok()) << h.error().message;
    EXPECT_EQ(h->core(), c);
    handles.push_back(*h);
  }
  std::vector<rte_mbuf*> requests;
  std::vector<Bytes> plaintexts;
  std::vector<ContentType> types;
  for (size_t i = 0; i < 2 * std::size(sizes); ++i) {
    Bytes pt(sizes[i % std::size(sizes)]);
    for (auto& b : pt) b = static_cast<uint8_t>(rng());
    const ContentType type = i % 5 == 3 ? ContentType::handshake : ContentType::application_data;
    const uint16_t padding = record::is_tls13(GetParam().suite) && i % 3 == 1 && pt.size() < 16000 ? 7 : 0;
    rte_mbuf* m = make_mbuf(f.pool, pt);
    ASSERT_NE(m, nullptr);
    ASSERT_TRUE(set_request(m, handles[i % handles.size()], RecordOpKind::seal, type, i, padding));
    requests.push_back(m);
    plaintexts.push_back(std::move(pt));
    types.push_back(type);
  }
  const std::vector<rte_mbuf*> done = run_requests(*f.client, requests);
  ASSERT_EQ(done.size(), requests.size());

  std::map<uint32_t, uint64_t> next_tag;  // per core: completions come back in submission order
  std::map<uint32_t, uint64_t> next_seq;
  for (rte_mbuf* m : done) {
    const RequestMeta& meta = request_meta(m);
    const uint32_t core = meta.session.core();
    const uint64_t tag = meta.user_tag;
    ASSERT_LT(tag, requests.size());
    if (!next_tag.count(core)) next_tag[core] = core;
    EXPECT_EQ(tag % handles.size(), core);
    EXPECT_EQ(tag, next_tag[core]) << "out of order on core " << core;
    next_tag[core] = tag + handles.size();
    ASSERT_TRUE(meta.ok()) << "tag " << tag << ": " << record::status_name(meta.status) << " / "
                           << reject_name(meta.reject);
    EXPECT_EQ(meta.seq, next_seq[core]++);
    const Bytes rec = mbuf_bytes(m);
    auto opened = reference_open(session_keys[core].seal, meta.seq, rec);
    ASSERT_TRUE(opened.has_value()) << "OpenSSL cannot open record " << tag << " (" << rec.size() << " bytes)";
    EXPECT_EQ(opened->plaintext, plaintexts[tag]);
    EXPECT_EQ(opened->type, types[tag]);
  }
  free_all(done);
  const StatsSnapshot s = f.engine->total_stats();
  EXPECT_EQ(s.records_sealed, requests.size());
  EXPECT_EQ(s.errors(), 0u);
}

TEST_P(LookasideTest, EngineOpensWhatOpenSslSeals) {
  const SessionKeys k = keys(7);
  auto h = f.control->create_session(k);
  ASSERT_TRUE(h.ok()) << h.error().message;
  std::vector<rte_mbuf*> requests;
  std::vector<Bytes> plaintexts;
  std::vector<ContentType> types;
  for (size_t i = 0; i < std::size(sizes); ++i) {
    Bytes pt(sizes[i]);
    for (auto& b : pt) b = static_cast<uint8_t>(rng());
    Bytes iv(16);
    for (auto& b : iv) b = static_cast<uint8_t>(rng());
    const ContentType type = i % 4 == 1 ? ContentType::alert : ContentType::application_data;
    // TLS 1.3 padding where it fits: the inner plaintext may not exceed 2^14 + 1 bytes.
    const size_t padding = record::is_tls13(GetParam().suite) && pt.size() < 16000 ? i % 3 : 0;
    const Bytes rec = reference_seal(k.open, i, type, pt, iv, padding);
    rte_mbuf* m = make_mbuf(f.pool, rec);
    ASSERT_NE(m, nullptr);
    ASSERT_TRUE(set_request(m, *h, RecordOpKind::open, ContentType::invalid, i));
    requests.push_back(m);
    plaintexts.push_back(std::move(pt));
    types.push_back(type);
  }
  const std::vector<rte_mbuf*> done = run_requests(*f.client, requests);
  ASSERT_EQ(done.size(), requests.size());
  for (size_t i = 0; i < done.size(); ++i) {
    const RequestMeta& meta = request_meta(done[i]);
    ASSERT_EQ(meta.user_tag, i);
    ASSERT_TRUE(meta.ok()) << "record " << i << ": " << record::status_name(meta.status);
    EXPECT_EQ(meta.seq, i);
    EXPECT_EQ(meta.type, types[i]);
    EXPECT_EQ(mbuf_bytes(done[i]), plaintexts[i]);
  }
  free_all(done);
  EXPECT_EQ(f.engine->total_stats().records_opened, requests.size());
}

TEST_P(LookasideTest, TamperedRecordIsRejectedAndCounted) {
  const SessionKeys k = keys(9);
  auto h = f.control->create_session(k);
  ASSERT_TRUE(h.ok());
  const Bytes pt(300, 0x5a);
  Bytes iv(16, 3);
  Bytes good = reference_seal(k.open, 0, ContentType::application_data, pt, iv);
  Bytes bad = reference_seal(k.open, 1, ContentType::application_data, pt, iv);
  bad[bad.size() - 3] ^= 0x40;  // last bytes: tag or MAC or padding
  Bytes after = reference_seal(k.open, 2, ContentType::application_data, pt, iv);
  rte_mbuf* reqs[3] = {make_mbuf(f.pool, good), make_mbuf(f.pool, bad), make_mbuf(f.pool, after)};
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_NE(reqs[i], nullptr);
    ASSERT_TRUE(set_request(reqs[i], *h, RecordOpKind::open, ContentType::invalid, i));
  }
  const auto done = run_requests(*f.client, reqs);
  ASSERT_EQ(done.size(), 3u);
  EXPECT_TRUE(request_meta(done[0]).ok());
  EXPECT_EQ(request_meta(done[1]).status, RecordStatus::bad_record_mac);
  // The failed record still consumed its sequence number.
  EXPECT_TRUE(request_meta(done[2]).ok());
  EXPECT_EQ(request_meta(done[2]).seq, 2u);
  free_all(done);
  const StatsSnapshot s = f.engine->total_stats();
  EXPECT_EQ(s.record_errors[static_cast<size_t>(RecordStatus::bad_record_mac)], 1u);
  EXPECT_EQ(s.records_opened, 2u);
}

// A record the record layer refuses leaves its mbuf as it was: the in-place result (new data
// offset and length) is only applied on success.
TEST_P(LookasideTest, RefusedSealLeavesTheMbufAsItWas) {
  SessionKeys k = keys(11);
  k.seal.initial_seq = record::suite_info(GetParam().suite).max_records - 1;  // one record left
  auto h = f.control->create_session(k);
  ASSERT_TRUE(h.ok()) << h.error().message;
  const Bytes pt(200, 0x42);
  rte_mbuf* reqs[2] = {make_mbuf(f.pool, pt), make_mbuf(f.pool, pt)};
  for (rte_mbuf* m : reqs) {
    ASSERT_NE(m, nullptr);
    ASSERT_TRUE(set_request(m, *h, RecordOpKind::seal));
  }
  const uint16_t data_off = reqs[1]->data_off;
  const auto done = run_requests(*f.client, reqs);
  ASSERT_EQ(done.size(), 2u);
  EXPECT_TRUE(request_meta(reqs[0]).ok());
  EXPECT_GT(reqs[0]->pkt_len, pt.size());
  EXPECT_EQ(request_meta(reqs[1]).status, RecordStatus::key_exhausted);
  EXPECT_EQ(reqs[1]->data_off, data_off);
  EXPECT_EQ(reqs[1]->pkt_len, pt.size());
  EXPECT_EQ(mbuf_bytes(reqs[1]), pt);
  free_all(done);
}

TEST_P(LookasideTest, SealsAndOpensMixedInOneBurst) {
  const SessionKeys k = keys(11);
  auto h = f.control->create_session(k);
  ASSERT_TRUE(h.ok());
  std::vector<rte_mbuf*> reqs;
  std::vector<Bytes> pts;
  uint64_t open_seq = 0;
  for (size_t i = 0; i < 40; ++i) {
    Bytes pt(sizes[i % std::size(sizes)] % 3000);
    for (auto& b : pt) b = static_cast<uint8_t>(rng());
    rte_mbuf* m;
    if (i % 2 == 0) {
      m = make_mbuf(f.pool, pt);
      ASSERT_TRUE(set_request(m, *h, RecordOpKind::seal, ContentType::application_data, i));
    } else {
      Bytes iv(16);
      for (auto& b : iv) b = static_cast<uint8_t>(rng());
      m = make_mbuf(f.pool, reference_seal(k.open, open_seq++, ContentType::application_data, pt, iv));
      ASSERT_TRUE(set_request(m, *h, RecordOpKind::open, ContentType::invalid, i));
    }
    reqs.push_back(m);
    pts.push_back(std::move(pt));
  }
  const auto done = run_requests(*f.client, reqs);
  ASSERT_EQ(done.size(), reqs.size());
  for (size_t i = 0; i < done.size(); ++i) {
    const RequestMeta& meta = request_meta(done[i]);
    ASSERT_EQ(meta.user_tag, i);
    ASSERT_TRUE(meta.ok()) << "request " << i << " (" << (i % 2 ? "open" : "seal") << ", " << pts[i].size()
                           << " bytes): " << record::status_name(meta.status);
    EXPECT_EQ(meta.seq, i / 2);
    if (i % 2 == 0) {
      auto opened = reference_open(k.seal, meta.seq, mbuf_bytes(done[i]));
      ASSERT_TRUE(opened.has_value()) << "request " << i;
      EXPECT_EQ(opened->plaintext, pts[i]);
    } else {
      EXPECT_EQ(mbuf_bytes(done[i]), pts[i]) << "request " << i;
    }
  }
  free_all(done);
}

INSTANTIATE_TEST_SUITE_P(AllSuites, LookasideTest, ::testing::ValuesIn(suite_cases()), case_name);

// Clients that come and go take the same client index in turn, each with a fresh completion ring
// (often at the address of the last one): a worker must start each one's ring where it is, not
// where it left the previous client's. Ring sizes differ, so that some wrap around.
TEST(LookasideClientsTest, ClientsAttachingInTurnEachGetTheirCompletions) {
  EngineFixture f;
  ASSERT_NO_FATAL_FAILURE(f.start());
  const Suite suite = Suite::tls13_aes_128_gcm_sha256;
  const SessionKeys k{random_keys(suite, 5), random_keys(suite, 6)};
  auto h = f.control->create_session(k, 0);
  ASSERT_TRUE(h.ok());
  f.client.reset();  // the fixture's own: the clients below attach one after the other
  uint64_t seq = 0;
  std::mt19937_64 rng(9);
  for (uint32_t ring_len : {64u, 16u, 64u, 7u, 256u, 16u}) {
    auto client = Client::create(*f.engine, ClientConfig{ring_len});
    ASSERT_TRUE(client.ok()) << client.error().message;
    std::vector<Bytes> pts;
    for (uint32_t i = 0; i < 3 * ring_len + 5; ++i) {
      Bytes pt(1 + rng() % 300);
      for (auto& b : pt) b = static_cast<uint8_t>(rng());
      pts.push_back(std::move(pt));
    }
    const auto reqs = seal_requests(f.pool, *h, pts);
    ASSERT_EQ(reqs.size(), pts.size());
    const auto done = run_requests(*client.value(), reqs);
    ASSERT_EQ(done.size(), reqs.size()) << "client with a ring of " << ring_len;
    for (size_t i = 0; i < done.size(); ++i) {
      const RequestMeta& meta = request_meta(done[i]);
      ASSERT_EQ(meta.user_tag, i) << "ring of " << ring_len;
      ASSERT_TRUE(meta.ok()) << record::status_name(meta.status);
      ASSERT_EQ(meta.seq, seq) << "ring of " << ring_len;
      auto opened = reference_open(k.seal, seq++, mbuf_bytes(done[i]));
      ASSERT_TRUE(opened.has_value());
      EXPECT_EQ(opened->plaintext, pts[i]);
    }
    free_all(done);
  }
}

}  // namespace
}  // namespace tlsburst::engine::test
