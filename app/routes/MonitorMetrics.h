#pragma once
/// Prometheus text (exposition format 0.0.4) of monitoring's live values: stream health
/// gauges, open alerts, viewers, and the store writer's counters. In-memory values only: it
/// runs on a network thread when /metrics is scraped.

#include <string>
#include <vector>

#include "monitor/AlertTypes.h"
#include "monitor/StreamHealth.h"
#include "monitor/ViewerStats.h"
#include "store/StoreWriter.h"

namespace stagecast::app {

struct MonitorFigures {
    std::vector<monitor::StreamHealth> health;
    std::vector<monitor::AlertEvent> openAlerts;
    monitor::ViewersReport viewers;
    store::WriterCounters writer;
    std::uint64_t eventsRefused = 0; // hub events the store recorder could not queue
};

std::string renderMonitorMetrics(const MonitorFigures& figures);

} // namespace stagecast::app
