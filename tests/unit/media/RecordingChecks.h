#pragma once
// Helpers for the recorder tests: an event log filled on the recorder's threads, and ffprobe
// checks of the files it writes.

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <vector>

#include "MediaFixtures.h"
#include "media/record/RecordingEvent.h"

namespace stagecast::media::test {

using record::RecordingEvent;
using record::RecordingEventType;

class EventLog {
public:
    void add(const RecordingEvent& event) {
        {
            std::lock_guard lock(mutex_);
            events_.push_back(event);
        }
        cv_.notify_all();
    }
    std::vector<RecordingEvent> all() const {
        std::lock_guard lock(mutex_);
        return events_;
    }
    std::vector<RecordingEvent> of(RecordingEventType type) const {
        std::vector<RecordingEvent> out;
        for (const auto& e : all()) {
            if (e.type == type) {
                out.push_back(e);
            }
        }
        return out;
    }
    bool waitFor(const std::function<bool(const RecordingEvent&)>& match) {
        std::unique_lock lock(mutex_);
        return cv_.wait_for(lock, std::chrono::seconds(60),
                            [&] { return std::any_of(events_.begin(), events_.end(), match); });
    }
    bool waitForFinished(std::size_t count) {
        std::unique_lock lock(mutex_);
        return cv_.wait_for(lock, std::chrono::seconds(60), [&] {
            return std::count_if(events_.begin(), events_.end(), [](const auto& e) {
                       return e.type == RecordingEventType::Finished;
                   }) >= static_cast<std::ptrdiff_t>(count);
        });
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<RecordingEvent> events_;
};

struct Probed {
    QString formatName;
    double duration = -1;
    QStringList codecs;
    int width = 0;
    int height = 0;
    QString log;
};

inline Probed probeFile(const QString& path) {
    Probed out;
    const auto json = ffprobeJson(
        {"-show_entries", "format=duration,format_name:stream=codec_name,width,height", path},
        &out.log);
    const auto format = json.value("format").toObject();
    out.formatName = format.value("format_name").toString();
    out.duration = format.value("duration").toString("-1").toDouble();
    for (const auto& s : json.value("streams").toArray()) {
        const auto stream = s.toObject();
        out.codecs << stream.value("codec_name").toString();
        if (stream.contains("width")) {
            out.width = stream.value("width").toInt();
            out.height = stream.value("height").toInt();
        }
    }
    out.codecs.sort();
    return out;
}

/// Whether the file's first video packet is flagged as a keyframe and its first decoded
/// picture is a keyframe: 1 when both hold, 0 when not, -1 when ffprobe finds no video.
inline int firstVideoFrameKey(const QString& path) {
    QString log;
    const auto frames = ffprobeJson({"-select_streams", "v:0", "-show_frames", "-read_intervals",
                                     "%+#1", "-show_entries", "frame=key_frame", path},
                                    &log)
                            .value("frames")
                            .toArray();
    const auto packets = ffprobeJson({"-select_streams", "v:0", "-show_packets", "-read_intervals",
                                      "%+#1", "-show_entries", "packet=flags", path},
                                     &log)
                             .value("packets")
                             .toArray();
    if (frames.isEmpty() || packets.isEmpty()) {
        return -1;
    }
    const bool keyFrame = frames.first().toObject().value("key_frame").toInt() == 1;
    const bool keyPacket = packets.first().toObject().value("flags").toString().startsWith('K');
    return keyFrame && keyPacket ? 1 : 0;
}

inline QString qpath(const std::filesystem::path& path) {
    return QString::fromStdString(path.string());
}

} // namespace stagecast::media::test
