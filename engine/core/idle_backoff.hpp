// How a worker waits when its input ring is empty: keep polling for a while (work usually comes
// back quickly), then poll with a pause instruction between polls, then sleep in short, growing
// but bounded naps so an idle engine leaves the CPU to other threads. The bounded nap is the
// worst-case wake-up latency added to a request that arrives while the worker sleeps.
#pragma once

#include <rte_pause.h>

#include <algorithm>
#include <cstdint>
#include <ctime>

namespace tlsburst::engine {

struct IdleBackoffConfig {
  uint32_t num_spin_polls = 256;    // empty polls before pausing
  uint32_t num_pause_polls = 2048;  // further empty polls, each followed by pause_len pauses
  uint32_t pause_len = 16;
  uint32_t min_sleep_us = 5;        // first nap
  uint32_t max_sleep_us = 200;      // naps double up to this (the wake-up latency bound)
};

class IdleBackoff {
 public:
  enum class Action : uint8_t { spin, pause, sleep };

  explicit IdleBackoff(const IdleBackoffConfig& config = {}) : _config(config) {}

  // Work was found: poll at full speed again.
  void reset() noexcept {
    _num_empty = 0;
    _sleep_us = _config.min_sleep_us;
  }

  // The poll found nothing: what to do before the next one (does not wait itself).
  Action next() noexcept {
    ++_num_empty;
    if (_num_empty <= _config.num_spin_polls) return Action::spin;
    if (_num_empty <= _config.num_spin_polls + _config.num_pause_polls) return Action::pause;
    return Action::sleep;
  }

  // The nap the next sleep takes, in microseconds; each call doubles the following one up to the
  // bound.
  uint32_t take_sleep_us() noexcept {
    const uint32_t us = std::clamp(_sleep_us, uint32_t{1}, std::max(_config.max_sleep_us, uint32_t{1}));
    _sleep_us = std::min(us * 2, std::max(_config.max_sleep_us, uint32_t{1}));
    return us;
  }

  // next() and then the wait it calls for. Returns the action taken.
  Action wait() noexcept {
    const Action a = next();
    if (a == Action::pause) {
      for (uint32_t i = 0; i < _config.pause_len; ++i) rte_pause();
    } else if (a == Action::sleep) {
      const uint32_t us = take_sleep_us();
      timespec ts{0, static_cast<long>(us) * 1000};
      nanosleep(&ts, nullptr);
    }
    return a;
  }

  const IdleBackoffConfig& config() const noexcept { return _config; }

 private:
  IdleBackoffConfig _config;
  uint32_t _num_empty = 0;
  uint32_t _sleep_us = _config.min_sleep_us;
};

}  // namespace tlsburst::engine
