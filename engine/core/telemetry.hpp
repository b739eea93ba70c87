// DPDK telemetry commands for the running engine (dpdk-telemetry.py, or the telemetry socket):
//   /tlsburst/cores         worker placement: lcore, cpu, socket of each core
//   /tlsburst/stats[,N]     counters of core N, or summed over all cores
//   /tlsburst/sessions      capacity, live sessions per core, memory per session
// One engine at a time is served (the latest started); the commands answer with an error while
// none runs.
#pragma once

namespace tlsburst::engine {

class Engine;

void register_telemetry(Engine* engine);
void unregister_telemetry(Engine* engine);

}  // namespace tlsburst::engine
