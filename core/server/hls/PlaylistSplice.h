#pragma once
/// A media playlist rendered once per segment window with a marker byte where each URI's
/// suffix (the viewer's session query) goes, and a per-connection cache of the copy with one
/// viewer's suffix spliced in. A player reloads the same playlist many times between two
/// segments: each reload then sends the same immutable text instead of rendering or copying
/// it again. Pure data; the cache is single-threaded (one per HTTP connection).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace stagecast::server::hls {

class PlaylistTemplate {
public:
    /// Stream names, sequence numbers and URI prefixes never hold this byte.
    static constexpr char kMarker = '\x01';

    /// `text`: a playlist rendered with kMarker as every URI's suffix.
    explicit PlaylistTemplate(std::string text);

    /// The playlist with `suffix` in place of every marker.
    std::string splice(std::string_view suffix) const;
    std::size_t markers() const { return markers_; }

private:
    std::string text_;
    std::size_t markers_ = 0;
};

class SplicedPlaylistCache {
public:
    /// `playlist` with `suffix` spliced in. The same text object as the last call when both
    /// are the same (the template by identity: a new window is a new template).
    std::shared_ptr<const std::string> get(const std::shared_ptr<const PlaylistTemplate>& playlist,
                                           std::string_view suffix);
    /// How many calls spliced (the others reused the last text).
    std::uint64_t splices() const { return splices_; }

private:
    std::shared_ptr<const PlaylistTemplate> template_;
    std::string suffix_;
    std::shared_ptr<const std::string> text_;
    std::uint64_t splices_ = 0;
};

} // namespace stagecast::server::hls
