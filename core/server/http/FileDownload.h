#pragma once
/// Sends one file from disk to an HTTP client, honouring a single byte range (206 Partial
/// Content, 416 when unsatisfiable), so players can seek in a recording and downloads can
/// resume. The file is read in 256 KiB chunks on the worker pool (never a network thread);
/// each chunk is written before the next is read, so memory stays bounded whatever the file
/// size and the client's speed. A client that takes no data for 60 s is dropped. The
/// connection closes when the body is sent. Created and started on the socket's thread.

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "server/ClientRegistry.h"
#include "server/ServerContext.h"

namespace stagecast::server::http {

struct FileRequest {
    std::string path;         // trusted: the route checked it
    std::string contentType;  // "video/mp4"
    std::string range;        // the request's Range header ("" when none)
    std::string downloadName; // offered as the file name (Content-Disposition: inline)
    bool headOnly = false;    // HEAD: headers only
};

class FileDownload : public std::enable_shared_from_this<FileDownload> {
public:
    FileDownload(ServerContext& ctx, boost::asio::ip::tcp::socket socket,
                 std::shared_ptr<ClientInfo> client, FileRequest request);
    void start();

private:
    void open();                   // worker
    void readNext();               // worker
    void write(std::string bytes); // socket thread
    void finish(const std::string& reason);

    ServerContext& ctx_;
    boost::beast::tcp_stream stream_;
    std::shared_ptr<ClientInfo> client_;
    const FileRequest request_;
    std::ifstream file_;
    std::uint64_t remaining_ = 0;
    std::string chunk_;
    bool closed_ = false;
};

} // namespace stagecast::server::http
