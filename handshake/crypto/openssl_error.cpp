#include <openssl/err.h>

#include <string>

#include "handshake/crypto/openssl_ptr.hpp"

namespace tlsburst::handshake {

Error openssl_error(Alert alert, std::string_view what) {
  std::string message(what);
  unsigned long code = 0;
  int num_errors = 0;
  while ((code = ERR_get_error()) != 0) {
    if (num_errors++ < 4) {
      char buf[256];
      ERR_error_string_n(code, buf, sizeof buf);
      message += num_errors == 1 ? ": " : "; ";
      message += buf;
    }
  }
  return make_error(alert, std::move(message));
}

void clear_openssl_errors() noexcept { ERR_clear_error(); }

}  // namespace tlsburst::handshake
