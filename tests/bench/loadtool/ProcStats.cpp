#include "ProcStats.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

namespace stagecast::load {

namespace {

std::string procDir(int pid) {
    return pid == 0 ? std::string("/proc/self") : "/proc/" + std::to_string(pid);
}

} // namespace

base::Result<ProcSample> readProcStats(int pid) {
    const auto dir = procDir(pid);
    std::ifstream stat(dir + "/stat");
    std::string line;
    if (!stat || !std::getline(stat, line)) {
        return base::fail("cannot read " + dir + "/stat: is the process running?");
    }
    // The command name (field 2) may hold spaces and parentheses: fields resume after the
    // last ')'. The next field read is field 3 (state).
    auto close = line.rfind(')');
    if (close == std::string::npos) {
        return base::fail(dir + "/stat has no command field");
    }
    std::istringstream fields(line.substr(close + 1));
    std::string field;
    unsigned long long utime = 0;
    unsigned long long stime = 0;
    for (int index = 3; index <= 15 && fields >> field; ++index) {
        if (index == 14) {
            utime = std::stoull(field);
        } else if (index == 15) {
            stime = std::stoull(field);
        }
    }
    if (!fields) {
        return base::fail(dir + "/stat has fewer than 15 fields");
    }
    ProcSample sample;
    const auto ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    sample.cpuSeconds = static_cast<double>(utime + stime) / ticks;

    std::ifstream status(dir + "/status");
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            std::istringstream value(line.substr(6));
            unsigned long long kib = 0;
            value >> kib;
            sample.rssBytes = kib * 1024;
            break;
        }
    }
    return sample;
}

base::Result<double> readMachineBusySeconds() {
    std::ifstream stat("/proc/stat");
    std::string label;
    if (!(stat >> label) || label != "cpu") {
        return base::fail("cannot read the cpu line of /proc/stat");
    }
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    unsigned long long v[8] = {};
    for (auto& x : v) {
        if (!(stat >> x)) {
            return base::fail("/proc/stat cpu line has fewer than 8 fields");
        }
    }
    const auto busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    return static_cast<double>(busy) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

} // namespace stagecast::load
