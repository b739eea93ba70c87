// Helpers of the engine tests: EAL start-up for a test binary, mbufs built from bytes (optionally
// chained), and running requests through a Client until they complete.
#pragma once

#include <rte_mbuf.h>

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "engine/core/client.hpp"
#include "engine/core/eal.hpp"
#include "engine/core/engine.hpp"
#include "engine/core/request.hpp"
#include "engine/record/suite.hpp"
#include "tests/engine/reference_record.hpp"

namespace tlsburst::engine::test {

// EAL arguments for tests: no hugepages, a unique file prefix, quiet logs, plus `extra`.
std::vector<std::string> test_eal_args(const std::string& name, std::vector<std::string> extra = {});

// Initialises EAL once for the process; aborts the test program on failure (nothing can run).
const EalSetup& init_test_eal(const std::vector<std::string>& args, const EalOptions& options = {});

// A pool of request mbufs with room for `data_room_len` bytes each (headroom included).
rte_mempool* make_pool(const std::string& name, uint32_t num_mbufs, uint16_t data_room_len);

// An mbuf holding `bytes`; with `seg_len` > 0 the bytes are spread over segments of at most
// `seg_len` bytes each (like NIC receive with small buffers). nullptr when the pool runs out.
rte_mbuf* make_mbuf(rte_mempool* pool, std::span<const uint8_t> bytes, size_t seg_len = 0);

// All bytes of `m`, segments concatenated.
Bytes mbuf_bytes(const rte_mbuf* m);

// Submits all of `requests` (retrying on backpressure) and collects their completions in
// completion order. Fails the test (returns what it has) after `timeout_ms`.
std::vector<rte_mbuf*> run_requests(Client& client, std::span<rte_mbuf* const> requests,
                                    uint32_t timeout_ms = 20000);

// One application-data seal request of `session` per plaintext, tagged with its index. Plaintext i
// goes into an mbuf of segments of at most seg_len(i) bytes (make_mbuf; no seg_len: one segment).
// Empty, with a test failure recorded, when the pool runs out or a request does not fit.
std::vector<rte_mbuf*> seal_requests(rte_mempool* pool, SessionHandle session, std::span<const Bytes> plaintexts,
                                     const std::function<size_t(size_t)>& seg_len = {});

// Every suite, in table order; and a gtest-friendly name.
std::vector<record::Suite> all_suites();
std::string suite_id(record::Suite s);

// Every suite, the CBC ones twice (MAC-then-encrypt and RFC 7366 encrypt-then-MAC).
struct SuiteCase {
  record::Suite suite;
  bool etm;
};
std::vector<SuiteCase> suite_cases();
std::string suite_case_name(const SuiteCase& c);

}  // namespace tlsburst::engine::test
