// Statistics: counted per core, exposed through DPDK telemetry under /tlsburst/ (queried here over
// the telemetry socket, as dpdk-telemetry.py does) and printed on request.
#include <gtest/gtest.h>
#include <rte_eal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <string>

#include "tests/engine/engine_fixture.hpp"

namespace tlsburst::engine::test {
namespace {

using record::ContentType;
using record::RecordOpKind;
using record::Suite;

class TelemetryClient {
 public:
  bool connect_to_engine() {
    const std::string path = std::string(rte_eal_get_runtime_dir()) + "/dpdk_telemetry.v2";
    _fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    if (_fd < 0) return false;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
    if (connect(_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ADD_FAILURE() << "cannot connect to " << path;
      return false;
    }
    read_reply();  // greeting
    return true;
  }
  ~TelemetryClient() {
    if (_fd >= 0) close(_fd);
  }
  std::string query(const std::string& cmd) {
    if (write(_fd, cmd.data(), cmd.size()) != static_cast<ssize_t>(cmd.size())) return {};
    return read_reply();
  }

 private:
  std::string read_reply() {
    std::string buf(1 << 16, '\0');
    const ssize_t n = read(_fd, buf.data(), buf.size());
    buf.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return buf;
  }
  int _fd = -1;
};

// The number after "\"key\":" in a flat JSON reply; -1 when absent.
long long json_number(const std::string& json, const std::string& key) {
  const std::string needle = "\"" + key + "\":";
  const size_t p = json.find(needle);
  if (p == std::string::npos) return -1;
  return std::stoll(json.substr(p + needle.size()));
}

TEST(TelemetryTest, StatsAreCountedPerCoreAndServedUnderTlsburst) {
  EngineFixture f;
  ASSERT_NO_FATAL_FAILURE(f.start());
  ASSERT_GE(f.engine->num_cores(), 2u);
  const Suite suite = Suite::tls12_aes_128_gcm;
  const SessionKeys k{random_keys(suite, 1), random_keys(suite, 2)};
  auto h0 = f.control->create_session(k, 0);
  auto h1 = f.control->create_session(k, 1);
  ASSERT_TRUE(h0.ok() && h1.ok());
  std::vector<rte_mbuf*> reqs;
  for (int i = 0; i < 30; ++i) {  // core 0: 30 seals of 100 bytes
    rte_mbuf* m = make_mbuf(f.pool, Bytes(100, 1));
    set_request(m, *h0, RecordOpKind::seal);
    reqs.push_back(m);
  }
  for (int i = 0; i < 5; ++i) {  // core 1: 4 good opens of 200 bytes and one bad record
    Bytes rec = reference_seal(k.open, static_cast<uint64_t>(i), ContentType::application_data, Bytes(200, 2),
                               Bytes(16, 0));
    if (i == 4) rec[10] ^= 1;
    rte_mbuf* m = make_mbuf(f.pool, rec);
    set_request(m, *h1, RecordOpKind::open);
    reqs.push_back(m);
  }
  rte_mbuf* stale = make_mbuf(f.pool, Bytes(10, 0));
  set_request(stale, SessionHandle::make(1, 5, 9), RecordOpKind::seal);
  reqs.push_back(stale);
  const auto done = run_requests(*f.client, reqs);
  ASSERT_EQ(done.size(), reqs.size());
  free_all(done);

  const StatsSnapshot s0 = f.engine->stats(0), s1 = f.engine->stats(1);
  EXPECT_EQ(s0.records_sealed, 30u);
  EXPECT_EQ(s0.bytes_sealed, 3000u);
  EXPECT_EQ(s1.records_opened, 4u);
  EXPECT_EQ(s1.bytes_opened, 800u);
  EXPECT_EQ(s1.record_errors[static_cast<size_t>(record::RecordStatus::bad_record_mac)], 1u);
  EXPECT_EQ(s1.rejects[static_cast<size_t>(RejectReason::stale_session)], 1u);
  EXPECT_GE(s0.control_messages, 1u);
  uint64_t hist = 0;
  for (uint64_t b : s0.burst_histogram) hist += b;
  EXPECT_EQ(hist, s0.bursts);
  EXPECT_GT(s0.busy_cycles, 0u);
  // The record layer's share of the busy cycles: some, never all (the worker's own work is the rest).
  EXPECT_GT(s0.record_cycles, 0u);
  EXPECT_LT(s0.record_cycles, s0.busy_cycles);

  TelemetryClient tc;
  ASSERT_TRUE(tc.connect_to_engine());
  const std::string st0 = tc.query("/tlsburst/stats,0");
  EXPECT_EQ(json_number(st0, "records_sealed"), 30) << st0;
  EXPECT_EQ(json_number(st0, "bytes_sealed"), 3000) << st0;
  EXPECT_EQ(json_number(st0, "record_cycles"), static_cast<long long>(f.engine->stats(0).record_cycles)) << st0;
  const std::string st1 = tc.query("/tlsburst/stats,1");
  EXPECT_EQ(json_number(st1, "records_opened"), 4) << st1;
  EXPECT_EQ(json_number(st1, "error_bad_record_mac"), 1) << st1;
  EXPECT_EQ(json_number(st1, "reject_stale_session"), 1) << st1;
  EXPECT_NE(st1.find("burst_histogram_log2"), std::string::npos);
  const std::string total = tc.query("/tlsburst/stats");
  EXPECT_EQ(json_number(total, "records_sealed"), 30) << total;
  EXPECT_EQ(json_number(total, "records_opened"), 4) << total;
  const std::string cores = tc.query("/tlsburst/cores");
  EXPECT_EQ(json_number(cores, "num_cores"), f.engine->num_cores()) << cores;
  const std::string sessions = tc.query("/tlsburst/sessions");
  EXPECT_EQ(json_number(sessions, "bytes_per_session"), static_cast<long long>(Engine::bytes_per_session()))
      << sessions;
  const std::string list = tc.query("/");
  EXPECT_NE(list.find("/tlsburst/stats"), std::string::npos) << list;
  std::printf("telemetry /tlsburst/stats,0 -> %s\n", st0.c_str());

  const std::string text = f.engine->format_stats();
  EXPECT_NE(text.find("sealed   30 records, 3000 bytes"), std::string::npos) << text;
  EXPECT_NE(text.find("bad_record_mac=1"), std::string::npos) << text;
  EXPECT_NE(text.find("stale_session=1"), std::string::npos) << text;
  EXPECT_NE(text.find("in the record layer"), std::string::npos) << text;
  f.engine->print_stats(stdout);
}

}  // namespace
}  // namespace tlsburst::engine::test
