#include "tests/engine/engine_test_support.hpp"

#include <gtest/gtest.h>
#include <rte_errno.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

namespace tlsburst::engine::test {

std::vector<std::string> test_eal_args(const std::string& name, std::vector<std::string> extra) {
  std::vector<std::string> args = {
      name,
      // DPDK 22.11 treats --no-huge as legacy memory, which --in-memory refuses; a per-process file
      // prefix keeps parallel test processes apart instead.
      "--no-huge",
      "--no-pci",  // never probe the machine's NICs
      "-m", "512",
      "--file-prefix=tlsburst_" + name + "_" + std::to_string(getpid()),
      "--log-level=lib.eal:error",
      "--log-level=user1:warning",
  };
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

const EalSetup& init_test_eal(const std::vector<std::string>& args, const EalOptions& options) {
  static std::once_flag once;
  static EalSetup setup;
  std::call_once(once, [&] {
    auto r = eal_init(args, options);
    if (!r) {
      std::fprintf(stderr, "EAL initialisation failed: %s\n", r.error().message.c_str());
      std::abort();
    }
    setup = std::move(r.value());
  });
  return setup;
}

rte_mempool* make_pool(const std::string& name, uint32_t num_mbufs, uint16_t data_room_len) {
  rte_mempool* p = create_request_pool(name.c_str(), num_mbufs, 0, data_room_len);
  EXPECT_NE(p, nullptr) << "cannot create pool " << name << ": " << rte_strerror(rte_errno);
  return p;
}

rte_mbuf* make_mbuf(rte_mempool* pool, std::span<const uint8_t> bytes, size_t seg_len) {
  rte_mbuf* head = rte_pktmbuf_alloc(pool);
  if (head == nullptr) return nullptr;
  if (seg_len == 0) seg_len = rte_pktmbuf_tailroom(head);
  size_t off = 0;
  bool first = true;
  while (first || off < bytes.size()) {
    rte_mbuf* seg = first ? head : rte_pktmbuf_alloc(pool);
    if (seg == nullptr) {
      rte_pktmbuf_free(head);
      return nullptr;
    }
    const size_t n = std::min(seg_len, bytes.size() - off);
    char* dst = rte_pktmbuf_append(seg, static_cast<uint16_t>(n));
    if (dst == nullptr) {
      if (!first) rte_pktmbuf_free(seg);
      rte_pktmbuf_free(head);
      return nullptr;
    }
    if (n != 0) std::memcpy(dst, bytes.data() + off, n);
    off += n;
    if (!first) {
      if (rte_pktmbuf_chain(head, seg) != 0) {
        rte_pktmbuf_free(seg);
        rte_pktmbuf_free(head);
        return nullptr;
      }
    }
    first = false;
  }
  return head;
}

std::vector<rte_mbuf*> seal_requests(rte_mempool* pool, SessionHandle session, std::span<const Bytes> plaintexts,
                                     const std::function<size_t(size_t)>& seg_len) {
  std::vector<rte_mbuf*> reqs;
  for (size_t i = 0; i < plaintexts.size(); ++i) {
    rte_mbuf* m = make_mbuf(pool, plaintexts[i], seg_len ? seg_len(i) : 0);
    if (m == nullptr || !set_request(m, session, record::RecordOpKind::seal, record::ContentType::application_data, i)) {
      ADD_FAILURE() << "cannot build seal request " << i;
      if (m != nullptr) rte_pktmbuf_free(m);
      for (rte_mbuf* r : reqs) rte_pktmbuf_free(r);
      return {};
    }
    reqs.push_back(m);
  }
  return reqs;
}

Bytes mbuf_bytes(const rte_mbuf* m) {
  Bytes out(m->pkt_len);
  size_t off = 0;
  for (const rte_mbuf* seg = m; seg != nullptr; seg = seg->next) {
    if (seg->data_len != 0) std::memcpy(out.data() + off, rte_pktmbuf_mtod(seg, const uint8_t*), seg->data_len);
    off += seg->data_len;
  }
  EXPECT_EQ(off, m->pkt_len) << "segment lengths do not add up to pkt_len";
  return out;
}

std::vector<rte_mbuf*> run_requests(Client& client, std::span<rte_mbuf* const> requests, uint32_t timeout_ms) {
  std::vector<rte_mbuf*> done;
  size_t submitted = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  rte_mbuf* out[64];
  while (done.size() < requests.size()) {
    if (submitted < requests.size()) submitted += client.submit(requests.subspan(submitted));
    const uint32_t n = client.poll(out);
    done.insert(done.end(), out, out + n);
    if (n == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "timed out: " << done.size() << " of " << requests.size() << " completed, "
                      << submitted << " submitted";
        break;
      }
      std::this_thread::yield();
    }
  }
  return done;
}

std::vector<record::Suite> all_suites() {
  std::vector<record::Suite> v;
  for (const auto& i : record::suite_table) v.push_back(i.suite);
  return v;
}

std::string suite_id(record::Suite s) {
  std::string name(record::suite_name(s));
  for (char& c : name) {
    if (c == '-' || c == '.') c = '_';
  }
  return name;
}

std::vector<SuiteCase> suite_cases() {
  std::vector<SuiteCase> v;
  for (record::Suite s : all_suites()) {
    v.push_back({s, false});
    if (!record::is_aead(s)) v.push_back({s, true});
  }
  return v;
}

std::string suite_case_name(const SuiteCase& c) { return suite_id(c.suite) + (c.etm ? "_etm" : ""); }

}  // namespace tlsburst::engine::test
