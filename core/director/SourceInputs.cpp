#include "director/SourceInputs.h"

#include <algorithm>
#include <filesystem>
#include <thread>

#include "base/Log.h"
#include "director/LayoutGeometry.h"

namespace stagecast::director {

base::Status SourceInputs::add(const InputSpec& spec, bool checkFile) {
    if (slots_.count(spec.id) != 0) {
        return base::fail("input " + spec.id +
                          " already exists: remove it first or pick another id");
    }
    if (checkFile && !spec.file.empty()) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(spec.file, ec)) {
            return base::fail("file: " + spec.file + " does not exist or is not a file");
        }
    }
    // Created (and removed) on a short-lived thread: capture modules' libraries leave
    // thread-specific data behind whose destructors go when libobs unloads them, so the
    // thread must end before that (a server thread would end after it).
    base::Result<std::unique_ptr<InputSlot>> slot = base::fail("not created");
    std::thread([&] { slot = InputSlot::createLocal(spec, width_, height_); }).join();
    if (!slot) {
        return base::fail(slot.error());
    }
    base::log(base::LogLevel::Info, "director",
              "input " + spec.id + " added (" + toString(spec.kind) + ")");
    slots_.emplace(spec.id, std::move(*slot));
    return {};
}

bool SourceInputs::onProgram(const Studio& studio, const std::string& id) {
    const auto& p = studio.program();
    if (!p) {
        return false;
    }
    const auto shown = inputsOf(*p); // every slot of every layout kind
    return std::find(shown.begin(), shown.end(), id) != shown.end();
}

base::Status SourceInputs::remove(const std::string& id, const Studio& studio) {
    if (auto ok = removable(id, studio); !ok) {
        return ok;
    }
    auto it = slots_.find(id);
    std::thread([&] { slots_.erase(it); }).join();
    base::log(base::LogLevel::Info, "director", "input " + id + " removed");
    return {};
}

base::Status SourceInputs::removable(const std::string& id, const Studio& studio) const {
    auto it = slots_.find(id);
    if (it == slots_.end()) {
        return base::fail("input " + id + " is not known");
    }
    if (onProgram(studio, id)) {
        return base::fail("input " + id + " is on program: take another layout to program first");
    }
    for (const auto& [name, slot] : slots_) {
        if (slot->backup() == id) {
            return base::fail("input " + id + " is the backup of " + name +
                              ": set another backup there first");
        }
    }
    return {};
}

base::Status SourceInputs::setBackup(const std::string& id, const std::string& backup) {
    auto it = slots_.find(id);
    if (it == slots_.end()) {
        return base::fail("input " + id + " is not known");
    }
    if (backup.empty()) {
        it->second->setBackup({}, nullptr);
        return {};
    }
    if (backup == id) {
        return base::fail("backup: an input cannot be its own backup");
    }
    auto b = slots_.find(backup);
    if (b == slots_.end()) {
        return base::fail("backup: input " + backup +
                          " is not known (publish the stream or create the input first)");
    }
    // A chain back to `id` would put a scene inside itself.
    for (std::string next = b->second->backup(); !next.empty();) {
        if (next == id) {
            return base::fail("backup: " + backup + " already falls back to " + id + " (a loop)");
        }
        auto n = slots_.find(next);
        next = n != slots_.end() ? n->second->backup() : std::string();
    }
    it->second->setBackup(backup, b->second->source());
    base::log(base::LogLevel::Info, "director", "input " + id + ": backup " + backup);
    return {};
}

void SourceInputs::followBackups() {
    for (auto& [name, slot] : slots_) {
        if (slot->backup().empty()) {
            continue;
        }
        auto b = slots_.find(slot->backup());
        slot->setBackupLive(b != slots_.end() && b->second->state() == "live");
    }
}

DirectorEvent SourceInputs::reportStandby(const std::string& name, const InputSlot& slot,
                                          bool standby) {
    DirectorEvent e;
    e.event = "standby";
    e.stream = name;
    e.standby = standby;
    e.state = slot.state();
    e.showing = slot.showing();
    std::string line = "input " + name + ": live again, standby slate off";
    if (standby && e.showing == "backup") {
        line = "input " + name + ": standby (" + e.state + "), showing its backup " + slot.backup();
    } else if (standby) {
        line = "input " + name + ": standby slate on (" + e.state + ")";
    }
    base::log(standby ? base::LogLevel::Warning : base::LogLevel::Info, "director", line);
    return e;
}

std::vector<InputSpec> SourceInputs::specs() const {
    std::vector<InputSpec> out;
    for (const auto& [name, slot] : slots_) {
        if (slot->local() != nullptr) {
            out.push_back(slot->local()->spec());
        }
    }
    return out;
}

} // namespace stagecast::director
