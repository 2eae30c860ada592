#include "RecordingEvent.h"

namespace stagecast::media::record {

const char* toString(RecordingEventType type) {
    switch (type) {
    case RecordingEventType::Started:
        return "started";
    case RecordingEventType::Progress:
        return "progress";
    case RecordingEventType::Finished:
        return "finished";
    }
    return "unknown";
}

const char* toString(RecordingState state) {
    switch (state) {
    case RecordingState::Complete:
        return "complete";
    case RecordingState::Failed:
        return "failed";
    }
    return "unknown";
}

} // namespace stagecast::media::record
