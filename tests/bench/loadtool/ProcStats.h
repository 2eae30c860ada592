#pragma once
/// CPU time and resident memory of a process, from Linux procfs: /proc/PID/stat fields 14-15
/// (utime, stime, in clock ticks; proc(5)) and VmRSS in /proc/PID/status.

#include <cstdint>
#include <string>

#include "base/Result.h"

namespace stagecast::load {

struct ProcSample {
    double cpuSeconds = 0; // user + system
    std::uint64_t rssBytes = 0;
};

/// `pid` 0 reads the calling process.
base::Result<ProcSample> readProcStats(int pid);

/// The whole machine, from the "cpu" line of /proc/stat: CPU-seconds spent busy (everything
/// but idle and iowait) summed over all CPUs. Shows whether other processes competed.
base::Result<double> readMachineBusySeconds();

} // namespace stagecast::load
