// The batched record layer: seals and opens bursts of TLS records from many sessions and suites,
// mixed, in one call, on one thread's ipsec-mb manager.
//
// Per record there is no heap allocation, lock, exception or system call: bursts are cut into
// chunks of at most max_burst records whose per-record scratch (nonces, AADs, jobs) lives in
// fixed arrays of the processor.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>

#include "engine/common/result.hpp"
#include "engine/record/direction_keys.hpp"
#include "engine/record/direction_state.hpp"
#include "engine/record/imb_manager.hpp"
#include "engine/record/record_op.hpp"

namespace tlsburst::record {

// Which ipsec-mb entry point an AEAD family runs on. `direct` calls the single-buffer functions
// once per record; `burst` submits the chunk through the job/burst API.
enum class AeadKernel : uint8_t { direct, burst };

// TLS 1.2 CBC seal padding: the fewest bytes that fill the last block, or that plus a random
// number of extra blocks (up to 255 padding bytes; RFC 5246 6.2.3.2 allows it to hide lengths).
enum class CbcPadding : uint8_t { minimal, randomized };

struct RecordProcessorOptions {
  ImbArch arch = ImbArch::auto_detect;
  AeadKernel gcm_kernel = AeadKernel::direct;
  AeadKernel chacha_kernel = AeadKernel::burst;
  CbcPadding cbc_padding = CbcPadding::minimal;
};

class RecordProcessor {
 public:
  static constexpr size_t max_burst = 128;

  static Result<RecordProcessor> create(const RecordProcessorOptions& options = {});

  RecordProcessor(RecordProcessor&&) noexcept;
  RecordProcessor& operator=(RecordProcessor&&) noexcept;
  ~RecordProcessor();

  // Seals or opens every op (each says which); any length of span. Returns how many succeeded;
  // each op's status says how it ended. Records of one direction are given consecutive sequence
  // numbers in span order.
  uint32_t process(std::span<RecordOp> ops) noexcept;

  // Expands keys for this processor's ipsec-mb path (see install_keys).
  Status install(DirectionState& state, const DirectionKeys& keys) const;

  ImbArch arch() const noexcept;
  const RecordProcessorOptions& options() const noexcept;
  ImbManager& manager() noexcept;

  struct Scratch;  // per-chunk staging arrays (implementation detail)

 private:
  explicit RecordProcessor(std::unique_ptr<Scratch> scratch);
  std::unique_ptr<Scratch> _s;
};

}  // namespace tlsburst::record
