#pragma once
/// Pictures of a live stream for a monitor: opens `url` with libavformat (an HTTP-FLV or any
/// URL FFmpeg reads), decodes its video and hands each picture as BGRA scaled to at most
/// `maxWidth` (aspect kept, even sizes) to `onPicture`, on the caller's thread, until `stop`
/// is set, the stream ends or fails. The GUI's preview and program monitors run one each.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "base/Result.h"

namespace stagecast::media {

/// One picture: `height` rows of `stride` bytes, BGRA; valid during the call only.
using PictureHandler =
    std::function<void(int width, int height, const std::uint8_t* bgra, int stride)>;

class StreamPictures {
public:
    /// Fails naming why (cannot open, no video, the stream ended, a decode error); returns
    /// success only when `stop` ended it.
    static base::Status run(const std::string& url, int maxWidth, const std::atomic<bool>& stop,
                            const PictureHandler& onPicture);
};

} // namespace stagecast::media
