// Helpers for secret data: wiping that the compiler cannot elide, and constant-time comparison.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace tlsburst {

// Overwrites `len` bytes at `p` with zeros; never optimised away.
void secure_wipe(void* p, size_t len) noexcept;

template <class T>
inline void secure_wipe_object(T& obj) noexcept { secure_wipe(&obj, sizeof(T)); }

// Returns true when the two equally long byte ranges are equal. Runs in time that depends only on
// `len`, never on the contents (for MACs, tags and Finished verify_data).
[[nodiscard]] bool constant_time_equal(const void* a, const void* b, size_t len) noexcept;

// Constant-time equality of two 16-byte AEAD tags, inline for the per-record path.
inline bool tag16_equal(const uint8_t* a, const uint8_t* b) noexcept {
  uint64_t a0, a1, b0, b1;
  __builtin_memcpy(&a0, a, 8);
  __builtin_memcpy(&a1, a + 8, 8);
  __builtin_memcpy(&b0, b, 8);
  __builtin_memcpy(&b1, b + 8, 8);
  // One OR of the differences: no early exit, so the time does not depend on where they differ.
  return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

// Constant-time primitives on 32-bit words, used by the CBC padding check. Each returns an all-ones
// mask when the condition holds and zero otherwise, without branching on its inputs.
constexpr uint32_t ct_mask_is_zero(uint32_t x) noexcept { return ((~x & (x - 1)) >> 31) * 0xffffffffu; }
constexpr uint32_t ct_mask_eq(uint32_t a, uint32_t b) noexcept { return ct_mask_is_zero(a ^ b); }
// a < b for a, b < 2^31.
constexpr uint32_t ct_mask_lt(uint32_t a, uint32_t b) noexcept { return ((a - b) >> 31) * 0xffffffffu; }
constexpr uint32_t ct_mask_ge(uint32_t a, uint32_t b) noexcept { return ~ct_mask_lt(a, b); }
constexpr uint32_t ct_select(uint32_t mask, uint32_t a, uint32_t b) noexcept { return (mask & a) | (~mask & b); }

}  // namespace tlsburst
