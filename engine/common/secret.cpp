#include "engine/common/secret.hpp"

#include <cstring>

namespace tlsburst {

void secure_wipe(void* p, size_t len) noexcept {
  if (len == 0) return;
  std::memset(p, 0, len);
  // The asm barrier tells the compiler the zeroed memory is observed, so the memset stays.
  asm volatile("" : : "r"(p) : "memory");
}

bool constant_time_equal(const void* a, const void* b, size_t len) noexcept {
  const auto* x = static_cast<const volatile uint8_t*>(a);
  const auto* y = static_cast<const volatile uint8_t*>(b);
  uint8_t diff = 0;
  for (size_t i = 0; i < len; ++i) diff |= static_cast<uint8_t>(x[i] ^ y[i]);
  return ct_mask_is_zero(diff) != 0;
}

}  // namespace tlsburst
