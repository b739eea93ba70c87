// tlsburst-info: what this machine's ipsec-mb can run, which path auto-detection picks, and the
// record layer's suites with their sizes, limits and per-direction state size.
#include <cstdio>
#include <string>

#include "engine/record/direction_state.hpp"
#include "engine/record/imb_manager.hpp"
#include "engine/record/suite.hpp"

using namespace tlsburst::record;

int main() {
  std::printf("ipsec-mb %s\n", IMB_VERSION_STR);
  std::printf("paths available:");
  for (ImbArch a : available_archs()) std::printf(" %s", std::string(arch_name(a)).c_str());
  std::printf("\nauto-detection picks: %s\n", std::string(arch_name(detected_arch())).c_str());
  std::printf("state per direction: %zu bytes (two per session)\n\n", sizeof(DirectionState));
  std::printf("%-34s %-6s %4s %4s %4s %4s %22s\n", "suite", "ver", "key", "iv", "xiv", "tag", "records per key");
  for (const SuiteInfo& s : suite_table) {
    std::printf("%-34s %-6s %4u %4u %4u %4u %22llu\n", std::string(s.name).c_str(),
                s.version == ProtocolVersion::tls13 ? "1.3" : "1.2", s.key_len, s.fixed_iv_len,
                s.record_iv_len, s.tag_len, static_cast<unsigned long long>(s.max_records));
  }
  return 0;
}
