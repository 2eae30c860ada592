#pragma once
/// Writes MPEG-TS HLS to a folder as it is produced, for a CDN or a web server that serves
/// files (nginx, an object-store sync): FOLDER/APP/STREAM/SEQ.ts and FOLDER/APP/STREAM/index.m3u8.
/// A segment is written before the playlist that lists it; both through a temporary file and
/// a rename, so a reader never sees a partial file. Segments that left the window (plus a few
/// for late readers) are deleted.
///
/// Queueing, drops and the playlist rule are HlsOutput's. A write error (full disk, no
/// permission) is not retried; it is logged once per stream and per message, and other
/// streams and the in-memory HLS carry on.

#include <filesystem>

#include "server/hls/HlsOutput.h"

namespace stagecast::server::hls {

class HlsFolderWriter final : public HlsOutput {
public:
    explicit HlsFolderWriter(std::filesystem::path root, Limits limits = {});
    ~HlsFolderWriter() override;

    const std::filesystem::path& root() const { return root_; }

private:
    Attempt storeSegment(const HlsOutputJob& job) override;
    Attempt storePlaylist(const HlsOutputJob& job, const std::string& text) override;
    void removeExpired(const HlsOutputJob& job, const std::vector<std::uint64_t>& stored) override;
    std::optional<std::chrono::milliseconds> retryDelay(unsigned retry) const override;
    void logFailure(const std::string& stream, const std::string& message) override;

    /// FOLDER/APP/STREAM, created; empty and an error when it cannot be.
    std::filesystem::path streamDir(const HlsOutputJob& job, std::string& error) const;

    const std::filesystem::path root_;
};

} // namespace stagecast::server::hls
