#pragma once
/// The director's own inputs (InputSpec: media, image, colour, bars, text, lower third,
/// capture) kept beside the hub inputs in the director's slot map, and the backup each input
/// may have for standby. The Director facade calls it under its lock and saves the collection
/// after a change.
///
/// Thread: every member under the director's lock.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/Result.h"
#include "director/InputSlot.h"
#include "director/InputSpec.h"
#include "director/Studio.h"

namespace stagecast::director {

class SourceInputs {
public:
    using Slots = std::map<std::string, std::unique_ptr<InputSlot>>;

    SourceInputs(Slots& slots, std::uint32_t width, std::uint32_t height)
        : slots_(slots), width_(width), height_(height) {}

    /// Creates the input. Fails on an id in use, a missing file (when `checkFile`), or a
    /// source type libobs lacks. A restored input whose file went missing is created and
    /// shows as off with the reason.
    base::Status add(const InputSpec& spec, bool checkFile);
    /// Whether remove() would remove `id` (a director input or a hub stream's input): refused
    /// while it is on program or is another's backup, or when it is not known.
    base::Status removable(const std::string& id, const Studio& studio) const;
    /// Removes an input (checked as removable() says). A hub stream's input comes back when
    /// the stream is published again or a layout names it while it is live.
    base::Status remove(const std::string& id, const Studio& studio);
    /// `backup` (a hub stream or director input id; empty clears) stands in for `id` while
    /// `id` is not live.
    base::Status setBackup(const std::string& id, const std::string& backup);
    /// Tells every slot with a backup whether the backup is live now (before supervising).
    void followBackups();

    std::vector<InputSpec> specs() const;
    /// Logs a slot's standby change (`standby` on or off) and makes its "standby" event.
    static DirectorEvent reportStandby(const std::string& name, const InputSlot& slot,
                                       bool standby);
    /// Whether a layout on program shows `id`.
    static bool onProgram(const Studio& studio, const std::string& id);

private:
    Slots& slots_;
    const std::uint32_t width_;
    const std::uint32_t height_;
};

} // namespace stagecast::director
