// Internal: submits a filled ipsec-mb burst and marks each item whose job completed successfully.
#pragma once

#include <intel-ipsec-mb.h>

#include "engine/record/burst_item.hpp"

namespace tlsburst::record {

inline void mark_completed(IMB_JOB* const* jobs, uint32_t n) noexcept {
  for (uint32_t i = 0; i < n; ++i) {
    auto* it = static_cast<BurstItem*>(jobs[i]->user_data);
    it->kernel_ok = jobs[i]->status == IMB_STATUS_COMPLETED;
  }
}

// Jobs come back in submission order but not necessarily all at once: results are matched
// through user_data. A job ipsec-mb rejects leaves its item with kernel_ok == false.
inline void collect_burst(IMB_MGR* mgr, IMB_JOB** jobs, uint32_t n) noexcept {
  const uint32_t completed = IMB_SUBMIT_BURST(mgr, n, jobs);
  if (completed == 0 && imb_get_errno(mgr) != 0) {
    // The burst was refused as a whole; nothing was processed. Items stay marked as failed.
    while (IMB_FLUSH_BURST(mgr, IMB_MAX_BURST_SIZE, jobs) > 0) {
    }
    return;
  }
  mark_completed(jobs, completed);
  uint32_t flushed;
  while ((flushed = IMB_FLUSH_BURST(mgr, IMB_MAX_BURST_SIZE, jobs)) > 0) mark_completed(jobs, flushed);
}

}  // namespace tlsburst::record
