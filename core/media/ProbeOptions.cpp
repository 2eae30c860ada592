#include "ProbeOptions.h"

#include <string>

namespace stagecast::media {

namespace {

base::Status inRange(const char* name, double value, double low, double high) {
    if (!(value >= low && value <= high)) {
        return base::fail("probe: " + std::string(name) + " " + std::to_string(value) +
                          " invalid, allowed " + std::to_string(low) + ".." + std::to_string(high));
    }
    return {};
}

} // namespace

base::Status ProbeOptions::validate() const {
    using std::chrono::milliseconds;
    auto ms = [](milliseconds d) { return static_cast<double>(d.count()); };
    for (auto check : {
             inRange("sampleInterval (ms)", ms(sampleInterval), 100, 60000),
             inRange("pictureInterval (ms)", ms(pictureInterval), 0, 60000),
             inRange("videoStaleAfter (ms)", ms(videoStaleAfter), 1000, 3600000),
             inRange("blackPixelThreshold", blackPixelThreshold, 0, 1),
             inRange("blackPictureRatio", blackPictureRatio, 0, 1),
             inRange("frozenNoiseDb", frozenNoiseDb, -120, 0),
             inRange("frozenAfter (ms)", ms(frozenAfter), 0, 3600000),
             inRange("silenceShortTermLufs", silenceShortTermLufs, -120, 0),
             inRange("silencePeakDbfs", silencePeakDbfs, -120, 0),
         }) {
        if (!check) {
            return check;
        }
    }
    return {};
}

} // namespace stagecast::media
