// Cryptographically secure random bytes from libcrypto's DRBG.
#pragma once

#include <cstdint>
#include <span>

#include "engine/common/result.hpp"

namespace tlsburst::handshake {

Status random_bytes(std::span<uint8_t> out);

}  // namespace tlsburst::handshake
