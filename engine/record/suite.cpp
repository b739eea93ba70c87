#include "engine/record/suite.hpp"

namespace tlsburst::record {

std::optional<Suite> suite_from_name(std::string_view name) {
  for (const SuiteInfo& info : suite_table) {
    if (info.name == name) return info.suite;
  }
  return std::nullopt;
}

}  // namespace tlsburst::record
