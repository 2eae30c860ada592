#pragma once
/// The run's result as text for a person or JSON for run-bench.sh.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "Stats.h"

namespace stagecast::load {

struct RunResult {
    double windowSeconds = 0;
    std::vector<ProtocolSummary> protocols;
    // The server (all its threads), measured across the window; absent without --server-pid.
    std::optional<double> serverCpuSeconds;
    std::optional<std::uint64_t> serverRssBeforeBytes; // publisher on, no players yet
    std::optional<std::uint64_t> serverRssFullBytes;   // at the end of the window
    double loadToolCpuSeconds = 0;
    /// Busy CPU-seconds of the whole machine in the window, and how many CPUs it has.
    std::optional<double> machineBusySeconds;
    unsigned cpus = 0;
    std::uint64_t publisherFrames = 0;
    std::int64_t publisherMaxLateMs = 0;
    std::string publisherError;

    std::uint64_t bytesWindow() const;
    std::size_t players() const;
    double gibDelivered() const;
    std::optional<double> cpuSecondsPerGib() const;
    std::optional<double> rssPerPlayerKib() const;
};

std::string toText(const RunResult& r);
std::string toJson(const RunResult& r);

} // namespace stagecast::load
