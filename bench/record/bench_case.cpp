#include "bench/record/bench_case.hpp"

namespace tlsburst::bench {

std::string bench_name(const BenchCase& c) {
  std::string name = "record/";
  name += c.contender;
  name += '/';
  name += record::suite_name(c.suite);
  name += '/';
  name += record::arch_name(c.arch);
  name += '/';
  name += direction_name(c.direction);
  name += "/size:" + std::to_string(c.plaintext_len);
  name += "/burst:" + std::to_string(c.burst);
  return name;
}

}  // namespace tlsburst::bench
