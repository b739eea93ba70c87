// One ipsec-mb manager (IMB_MGR) per thread, initialised for a chosen code path so that one binary
// can profile every AES-NI path the CPU has. Not thread safe by design: each core owns one.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/common/result.hpp"

struct IMB_MGR;

namespace tlsburst::record {

enum class ImbArch : uint8_t { auto_detect, sse, avx, avx2, avx512 };

std::string_view arch_name(ImbArch a);
std::optional<ImbArch> arch_from_name(std::string_view name);

// The concrete paths (not auto_detect) this CPU can run, slowest first.
std::vector<ImbArch> available_archs();

// The path ipsec-mb's auto-detection picks on this CPU.
ImbArch detected_arch();

class ImbManager {
 public:
  // Allocates and initialises a manager for `arch`; auto_detect lets ipsec-mb choose.
  static Result<ImbManager> create(ImbArch arch = ImbArch::auto_detect);

  ImbManager(ImbManager&& other) noexcept;
  ImbManager& operator=(ImbManager&& other) noexcept;
  ImbManager(const ImbManager&) = delete;
  ImbManager& operator=(const ImbManager&) = delete;
  ~ImbManager();

  IMB_MGR* get() const noexcept { return _mgr; }
  // The concrete path in use (never auto_detect).
  ImbArch arch() const noexcept { return _arch; }

 private:
  ImbManager(IMB_MGR* mgr, ImbArch arch) : _mgr(mgr), _arch(arch) {}
  IMB_MGR* _mgr = nullptr;
  ImbArch _arch = ImbArch::auto_detect;
};

}  // namespace tlsburst::record
