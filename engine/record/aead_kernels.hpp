// Internal: the ipsec-mb cipher kernels that run a chunk of framed AEAD records.
#pragma once

#include <cstddef>

#include "engine/record/burst_item.hpp"

struct IMB_MGR;
struct IMB_JOB;

namespace tlsburst::record {

// Each runs `n` items (all seal or all open, as `seal` says) in place. Open kernels write the
// computed tag into item.computed_tag; seal kernels write the tag to item.tag.
void gcm_run_direct(IMB_MGR* mgr, BurstItem* const* items, size_t n, bool seal) noexcept;
void gcm_run_burst(IMB_MGR* mgr, BurstItem* const* items, size_t n, bool seal) noexcept;
void chacha_run_direct(IMB_MGR* mgr, BurstItem* const* items, size_t n, bool seal) noexcept;
void chacha_run_burst(IMB_MGR* mgr, BurstItem* const* items, size_t n, bool seal) noexcept;

}  // namespace tlsburst::record
