// The one result type of tlsburst: a value or an Error whose code is the TLS alert to send.
// Used on the control plane and at set-up; the per-record path reports a RecordStatus per record.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "engine/common/alert.hpp"

namespace tlsburst {

struct Error {
  Alert alert = Alert::internal_error;
  std::string message;
};

inline Error make_error(Alert alert, std::string message) { return Error{alert, std::move(message)}; }

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : _v(std::in_place_index<0>, std::move(value)) {}          // NOLINT: implicit
  Result(Error error) : _v(std::in_place_index<1>, std::move(error)) {}      // NOLINT: implicit

  bool ok() const noexcept { return _v.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(_v); }
  const T& value() const& { assert(ok()); return std::get<0>(_v); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(_v)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(_v); }

 private:
  std::variant<T, Error> _v;
};

// Result of an operation with no value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : _error(std::move(error)) {}  // NOLINT: implicit
  static Status success() { return Status(); }

  bool ok() const noexcept { return !_error.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  const Error& error() const { assert(!ok()); return *_error; }

 private:
  std::optional<Error> _error;
};

}  // namespace tlsburst
