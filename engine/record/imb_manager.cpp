#include "engine/record/imb_manager.hpp"

#include <intel-ipsec-mb.h>

#include <string>
#include <utility>

namespace tlsburst::record {

namespace {

ImbArch from_imb(uint32_t used_arch) {
  switch (used_arch) {
    case IMB_ARCH_SSE: return ImbArch::sse;
    case IMB_ARCH_AVX: return ImbArch::avx;
    case IMB_ARCH_AVX2: return ImbArch::avx2;
    case IMB_ARCH_AVX512: return ImbArch::avx512;
    default: return ImbArch::auto_detect;
  }
}

uint64_t required_features(ImbArch a) {
  switch (a) {
    case ImbArch::sse: return IMB_CPUFLAGS_SSE;
    case ImbArch::avx: return IMB_CPUFLAGS_AVX;
    case ImbArch::avx2: return IMB_CPUFLAGS_AVX2;
    case ImbArch::avx512: return IMB_CPUFLAGS_AVX512;
    case ImbArch::auto_detect: return 0;
  }
  return ~uint64_t{0};
}

}  // namespace

std::string_view arch_name(ImbArch a) {
  switch (a) {
    case ImbArch::auto_detect: return "auto";
    case ImbArch::sse: return "sse";
    case ImbArch::avx: return "avx";
    case ImbArch::avx2: return "avx2";
    case ImbArch::avx512: return "avx512";
  }
  return "unknown";
}

std::optional<ImbArch> arch_from_name(std::string_view name) {
  for (ImbArch a : {ImbArch::auto_detect, ImbArch::sse, ImbArch::avx, ImbArch::avx2, ImbArch::avx512}) {
    if (arch_name(a) == name) return a;
  }
  return std::nullopt;
}

std::vector<ImbArch> available_archs() {
  std::vector<ImbArch> out;
  IMB_MGR* probe = alloc_mb_mgr(0);
  if (probe == nullptr) return out;
  const uint64_t features = probe->features;
  free_mb_mgr(probe);
  for (ImbArch a : {ImbArch::sse, ImbArch::avx, ImbArch::avx2, ImbArch::avx512}) {
    const uint64_t need = required_features(a);
    if ((features & need) == need) out.push_back(a);
  }
  return out;
}

ImbArch detected_arch() {
  auto mgr = ImbManager::create(ImbArch::auto_detect);
  return mgr ? mgr->arch() : ImbArch::auto_detect;
}

Result<ImbManager> ImbManager::create(ImbArch arch) {
  IMB_MGR* mgr = alloc_mb_mgr(0);
  if (mgr == nullptr) {
    return make_error(Alert::internal_error, "ipsec-mb: alloc_mb_mgr failed");
  }
  if (arch != ImbArch::auto_detect) {
    const uint64_t need = required_features(arch);
    if ((mgr->features & need) != need) {
      free_mb_mgr(mgr);
      return make_error(Alert::internal_error,
                        "ipsec-mb: this CPU cannot run the " + std::string(arch_name(arch)) + " path");
    }
  }
  switch (arch) {
    case ImbArch::auto_detect: init_mb_mgr_auto(mgr, nullptr); break;
    case ImbArch::sse: init_mb_mgr_sse(mgr); break;
    case ImbArch::avx: init_mb_mgr_avx(mgr); break;
    case ImbArch::avx2: init_mb_mgr_avx2(mgr); break;
    case ImbArch::avx512: init_mb_mgr_avx512(mgr); break;
  }
  const int err = imb_get_errno(mgr);
  if (err != 0) {
    std::string msg = "ipsec-mb: init failed: ";
    msg += imb_get_strerror(err);
    free_mb_mgr(mgr);
    return make_error(Alert::internal_error, std::move(msg));
  }
  return ImbManager(mgr, from_imb(mgr->used_arch));
}

ImbManager::ImbManager(ImbManager&& other) noexcept
    : _mgr(std::exchange(other._mgr, nullptr)), _arch(other._arch) {}

ImbManager& ImbManager::operator=(ImbManager&& other) noexcept {
  if (this != &other) {
    if (_mgr != nullptr) free_mb_mgr(_mgr);
    _mgr = std::exchange(other._mgr, nullptr);
    _arch = other._arch;
  }
  return *this;
}

ImbManager::~ImbManager() {
  if (_mgr != nullptr) free_mb_mgr(_mgr);
}

}  // namespace tlsburst::record
