// Finished (RFC 5246 7.4.9): verify_data, 12 bytes for every tlsburst suite.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/common/result.hpp"
#include "handshake/crypto/key_schedule.hpp"

namespace tlsburst::handshake {

// decode_error unless the body is exactly verify_data_len bytes.
Result<VerifyData> decode_finished(std::span<const uint8_t> body);
Status encode_finished(const VerifyData& verify_data, std::vector<uint8_t>& out);

}  // namespace tlsburst::handshake
