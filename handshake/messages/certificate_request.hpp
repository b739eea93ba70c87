// CertificateRequest (RFC 5246 7.4.4): accepted certificate types, signature algorithms and
// (possibly empty) list of acceptable CA names.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/common/result.hpp"
#include "handshake/codec/u16_list.hpp"
#include "handshake/crypto/signature_scheme.hpp"

namespace tlsburst::handshake {

enum class ClientCertificateType : uint8_t { rsa_sign = 1, ecdsa_sign = 64 };

struct CertificateRequest {
  std::span<const uint8_t> certificate_types;
  U16List signature_algorithms;
  std::vector<std::span<const uint8_t>> authorities;  // DER DistinguishedNames
};

// decode_error on empty type or algorithm lists, empty names, length problems or trailing bytes.
Result<CertificateRequest> decode_certificate_request(std::span<const uint8_t> body);

Status encode_certificate_request(std::span<const ClientCertificateType> types,
                                  std::span<const SignatureScheme> schemes,
                                  std::span<const std::vector<uint8_t>> authorities, std::vector<uint8_t>& out);

}  // namespace tlsburst::handshake
