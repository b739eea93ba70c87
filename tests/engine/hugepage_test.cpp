// EAL on hugepages (no --no-huge): the engine's pools and rings work from hugepage memory. Run
// through with_hugepages.sh, which reserves 2 MB pages when it can (root). Without free hugepages
// the test cannot run and says why (the only skip in the engine tests).
#include <gtest/gtest.h>
#include <rte_eal.h>
#include <rte_memory.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "tests/engine/engine_fixture.hpp"

namespace tlsburst::engine::test {
namespace {

long meminfo(const std::string& key) {
  std::ifstream f("/proc/meminfo");
  std::string k;
  long v = 0;
  std::string unit;
  while (f >> k >> v) {
    if (k == key + ":") return v;
    std::getline(f, unit);
  }
  return -1;
}

TEST(HugepageTest, EngineRunsOnHugepages) {
  const long free_pages = meminfo("HugePages_Free");
  const long page_kb = meminfo("Hugepagesize");
  if (free_pages < 64 || page_kb != 2048) {
    std::printf("hugepage test NOT RUN: %ld free hugepages of %ld kB (needs 64 x 2 MB). Run it through "
                "tests/engine/with_hugepages.sh as root, or reserve pages: echo 128 > /proc/sys/vm/nr_hugepages\n",
                free_pages, page_kb);
    GTEST_SKIP() << "no free 2 MB hugepages (" << free_pages << " free)";
  }
  // --in-memory: hugepages without a hugetlbfs mount or files.
  init_test_eal({"engine_hugepage_tests", "--in-memory", "-m", "96", "--no-pci", "--log-level=lib.eal:error",
                 "--file-prefix=tlsburst_hugepage_" + std::to_string(getpid())});
  ASSERT_EQ(rte_eal_has_hugepages(), 1);

  EngineFixture f;
  ASSERT_NO_FATAL_FAILURE(f.start({}, {}, 256, RTE_MBUF_DEFAULT_BUF_SIZE));
  const rte_memseg* seg = rte_mem_virt2memseg(f.pool, nullptr);
  ASSERT_NE(seg, nullptr);
  EXPECT_EQ(seg->hugepage_sz, 2u * 1024 * 1024) << "mbuf pool not on 2 MB pages";
  std::printf("mbuf pool on %zu kB pages; %ld hugepages were free\n", static_cast<size_t>(seg->hugepage_sz / 1024),
              free_pages);

  const auto suite = record::Suite::tls12_aes_256_gcm;
  const SessionKeys k{random_keys(suite, 1), random_keys(suite, 2)};
  std::vector<rte_mbuf*> reqs;
  for (uint32_t c = 0; c < f.engine->num_cores(); ++c) {
    auto h = f.control->create_session(k, c);
    ASSERT_TRUE(h.ok());
    for (int i = 0; i < 50; ++i) {
      rte_mbuf* m = make_mbuf(f.pool, Bytes(1000, static_cast<uint8_t>(i)));
      ASSERT_TRUE(set_request(m, *h, record::RecordOpKind::seal, record::ContentType::application_data, i));
      reqs.push_back(m);
    }
  }
  const auto done = run_requests(*f.client, reqs);
  ASSERT_EQ(done.size(), reqs.size());
  for (rte_mbuf* m : done) {
    const RequestMeta& meta = request_meta(m);
    ASSERT_TRUE(meta.ok());
    auto opened = reference_open(k.seal, meta.seq, mbuf_bytes(m));
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(opened->plaintext, Bytes(1000, static_cast<uint8_t>(meta.user_tag)));
  }
  free_all(done);
}

}  // namespace
}  // namespace tlsburst::engine::test
