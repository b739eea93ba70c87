// EAL for the engine_tests binary: no hugepages, and no -l/--lcores so that the worker lcores are
// placed by hwloc (one per physical core; two on the CI machine).
#include <gtest/gtest.h>

#include "tests/engine/engine_test_support.hpp"

namespace {

class EalEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    tlsburst::engine::EalOptions options;
    options.num_workers = 2;
    tlsburst::engine::test::init_test_eal(tlsburst::engine::test::test_eal_args("engine_tests"), options);
  }
};

const auto* const g_env = ::testing::AddGlobalTestEnvironment(new EalEnvironment);

}  // namespace
