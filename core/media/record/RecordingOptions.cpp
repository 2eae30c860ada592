#include "RecordingOptions.h"

#include "media/record/FileNameTemplate.h"

namespace stagecast::media::record {

const char* toString(Container container) {
    switch (container) {
    case Container::FragmentedMp4:
        return "mp4";
    case Container::MpegTs:
        return "ts";
    case Container::Flv:
        return "flv";
    }
    return "unknown";
}

base::Result<Container> parseContainer(const std::string& name) {
    for (auto c : {Container::FragmentedMp4, Container::MpegTs, Container::Flv}) {
        if (name == toString(c)) {
            return c;
        }
    }
    return base::fail("recording container \"" + name + "\" is unknown: choose mp4, ts or flv");
}

base::Status RecordingOptions::validate() const {
    if (folder.empty()) {
        return base::fail("recording folder is empty: give the folder recordings go into");
    }
    if (auto ok = FileNameTemplate::parse(fileTemplate); !ok) {
        return base::fail(ok.error());
    }
    if (maxDuration.count() < 0) {
        return base::fail("recording max duration " + std::to_string(maxDuration.count()) +
                          " ms is negative: use 0 (no limit) or more");
    }
    if (maxDuration.count() > 0 && maxDuration < std::chrono::seconds(1)) {
        return base::fail("recording max duration " + std::to_string(maxDuration.count()) +
                          " ms is too short: use 0 (no limit) or at least 1000 ms");
    }
    if (resumeWindow.count() < 0) {
        return base::fail("recording resume window " + std::to_string(resumeWindow.count()) +
                          " ms is negative: use 0 (never resume) or more");
    }
    if (fragmentDuration < std::chrono::milliseconds(100) ||
        fragmentDuration > std::chrono::seconds(10)) {
        return base::fail("recording fragment duration " +
                          std::to_string(fragmentDuration.count()) +
                          " ms is out of range: allowed 100..10000 ms");
    }
    if (progressInterval < std::chrono::milliseconds(100)) {
        return base::fail("recording progress interval " +
                          std::to_string(progressInterval.count()) +
                          " ms is too short: allowed 100 ms or more");
    }
    return {};
}

} // namespace stagecast::media::record
