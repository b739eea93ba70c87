// A certificate chain and its private key, loaded once from PEM files and shared (read-only)
// by every handshake that presents it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/common/result.hpp"
#include "handshake/crypto/named_group.hpp"
#include "handshake/crypto/openssl_ptr.hpp"
#include "handshake/crypto/signature_scheme.hpp"

namespace tlsburst::handshake {

class Credential {
 public:
  // `chain_pem`: the leaf certificate first, then any intermediates. `key_pem`: the leaf's
  // private key (RSA or EC on P-256/P-384). The key must match the leaf.
  static Result<std::shared_ptr<const Credential>> load_pem_files(const std::string& chain_pem,
                                                                  const std::string& key_pem);
  static Result<std::shared_ptr<const Credential>> from_pem(std::string_view chain_pem, std::string_view key_pem);

  KeyType key_type() const noexcept { return _key_type; }
  EVP_PKEY* private_key() const noexcept { return _key.get(); }
  // DER certificates, leaf first.
  const std::vector<std::vector<uint8_t>>& chain() const noexcept { return _chain; }
  // The curve of an ECDSA key.
  std::optional<NamedGroup> curve() const noexcept { return _curve; }
  bool supports(SignatureScheme scheme) const noexcept;

 private:
  Credential() = default;
  KeyType _key_type = KeyType::rsa;
  EvpPkeyPtr _key;
  std::vector<std::vector<uint8_t>> _chain;
  std::optional<NamedGroup> _curve;
};

// Reads a whole file (PEM inputs, CA bundles).
Result<std::string> read_text_file(const std::string& path);

}  // namespace tlsburst::handshake
