#include "server/http/FileDownload.h"

#include <filesystem>

#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "base/Log.h"
#include "server/http/ByteRange.h"

namespace stagecast::server::http {

namespace asio = boost::asio;

namespace {

constexpr std::size_t kChunkBytes = 256 * 1024;
constexpr auto kWriteTimeout = std::chrono::seconds(60);

std::string quotedName(const std::string& name) {
    std::string out;
    for (char c : name) {
        // A header value: no quotes, backslashes or control characters in the file name.
        if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) {
            out += c;
        }
    }
    return "\"" + out + "\"";
}

} // namespace

FileDownload::FileDownload(ServerContext& ctx, asio::ip::tcp::socket socket,
                           std::shared_ptr<ClientInfo> client, FileRequest request)
    : ctx_(ctx), stream_(std::move(socket)), client_(std::move(client)),
      request_(std::move(request)) {}

void FileDownload::start() {
    asio::post(ctx_.workers, [self = shared_from_this()] { self->open(); });
}

void FileDownload::open() {
    std::error_code ec;
    const auto size = std::filesystem::file_size(request_.path, ec);
    if (!ec) {
        file_.open(request_.path, std::ios::binary);
    }
    std::string head;
    auto common = [&](std::string_view status) {
        head = "HTTP/1.1 " + std::string(status) + "\r\nServer: Stagecast/" + ctx_.options.version +
               "\r\nAccess-Control-Allow-Origin: " + ctx_.options.corsOrigin +
               "\r\nAccess-Control-Expose-Headers: Content-Range, Content-Length, "
               "Accept-Ranges\r\nAccept-Ranges: bytes\r\nCache-Control: no-cache\r\n"
               "Connection: close\r\n";
    };
    if (ec || !file_) {
        const std::string body =
            "cannot read the file: " + (ec ? ec.message() : std::string("cannot open it")) + "\n";
        base::log(base::LogLevel::Error, "http",
                  "download of " + request_.path + " failed: " + body.substr(0, body.size() - 1));
        common("500 Internal Server Error");
        head += "Content-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
                "\r\n\r\n" + body;
        remaining_ = 0;
        asio::post(stream_.get_executor(),
                   [self = shared_from_this(), head] { self->write(head); });
        return;
    }
    const auto range = resolveRange(request_.range, size);
    if (range.kind == RangeKind::Unsatisfiable) {
        common("416 Range Not Satisfiable");
        head += "Content-Range: bytes */" + std::to_string(size) + "\r\nContent-Length: 0\r\n\r\n";
        remaining_ = 0;
    } else {
        const bool partial = range.kind == RangeKind::Partial;
        const std::uint64_t first = partial ? range.first : 0;
        remaining_ = partial ? range.length() : size;
        common(partial ? "206 Partial Content" : "200 OK");
        head += "Content-Type: " + request_.contentType + "\r\n";
        if (!request_.downloadName.empty()) {
            head += "Content-Disposition: inline; filename=" + quotedName(request_.downloadName) +
                    "\r\n";
        }
        if (partial) {
            head += "Content-Range: bytes " + std::to_string(range.first) + "-" +
                    std::to_string(range.last) + "/" + std::to_string(size) + "\r\n";
        }
        head += "Content-Length: " + std::to_string(remaining_) + "\r\n\r\n";
        file_.seekg(static_cast<std::streamoff>(first));
        if (request_.headOnly) {
            remaining_ = 0;
        }
    }
    asio::post(stream_.get_executor(), [self = shared_from_this(), head] { self->write(head); });
}

void FileDownload::readNext() {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, kChunkBytes));
    std::string chunk(want, '\0');
    file_.read(chunk.data(), static_cast<std::streamsize>(want));
    const auto got = static_cast<std::size_t>(file_.gcount());
    if (got < want) {
        // The file shrank (deleted or truncated) after the headers promised more.
        asio::post(stream_.get_executor(),
                   [self = shared_from_this()] { self->finish("the file ended early"); });
        return;
    }
    remaining_ -= got;
    asio::post(stream_.get_executor(),
               [self = shared_from_this(), chunk = std::move(chunk)]() mutable {
                   self->write(std::move(chunk));
               });
}

void FileDownload::write(std::string bytes) {
    if (closed_) {
        return;
    }
    chunk_ = std::move(bytes);
    stream_.expires_after(kWriteTimeout);
    asio::async_write(
        stream_, asio::buffer(chunk_),
        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
            if (self->client_) {
                self->client_->bytesOut += n;
            }
            if (ec) {
                self->finish("write failed: " + ec.message());
            } else if (self->remaining_ == 0) {
                self->finish("file sent");
            } else {
                asio::post(self->ctx_.workers, [self] { self->readNext(); });
            }
        });
}

void FileDownload::finish(const std::string& reason) {
    if (closed_) {
        return;
    }
    closed_ = true;
    base::log(base::LogLevel::Debug, "http", "download of " + request_.path + ": " + reason);
    boost::system::error_code ec;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
    if (client_) {
        ctx_.clients.remove(client_->id);
    }
}

} // namespace stagecast::server::http
