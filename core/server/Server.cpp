#include "Server.h"

#include <thread>

#include "base/Log.h"
#include "server/http/HttpSession.h"
#include "server/rtmp/RtmpSession.h"

namespace stagecast::server {

Server::Server(ServerOptions options)
    : options_(std::move(options)), access_(options_.access), clients_(options_.clients),
      hub_(options_.hub),
      pool_(options_.ioThreads), ctx_{options_, hub_,    clients_,
                                      access_,  relays_, std::chrono::steady_clock::now(),
                                      events_,  workers_},
      api_(ctx_), hls_(ctx_, pool_, options_.hls) {
    ctx_.hls = &hls_;
    hub_.addListener(&bridge_);
    hub_.addListener(&hls_);
}

Server::~Server() {
    stop();
    hub_.removeListener(&hls_);
    hub_.removeListener(&bridge_);
}

base::Status Server::start() {
    rtmp_ = std::make_shared<TcpListener>(
        acceptPool_.next(), pool_, "rtmp", [this](boost::asio::ip::tcp::socket s) {
            std::make_shared<rtmp::RtmpSession>(ctx_, std::move(s))->start();
        });
    if (auto ok = rtmp_->listen(options_.bindAddress, options_.rtmpPort); !ok) {
        return ok;
    }
    http_ = std::make_shared<TcpListener>(
        acceptPool_.next(), pool_, "http", [this](boost::asio::ip::tcp::socket s) {
            std::make_shared<http::HttpSession>(ctx_, api_, std::move(s))->start();
        });
    if (auto ok = http_->listen(options_.bindAddress, options_.httpPort); !ok) {
        return ok;
    }
    srt_ = std::make_unique<srt::SrtListener>(ctx_, options_.srt);
    if (auto ok = srt_->listen(options_.bindAddress, options_.srtPort); !ok) {
        return ok;
    }
    options_.srtPort = srt_->port();
    options_.rtmpPort = rtmp_->port();
    options_.httpPort = http_->port();
    if (auto ok = relays_.start(ctx_, pool_, options_.relays); !ok) {
        return ok;
    }
    pool_.start();
    acceptPool_.start();
    hls_.start();
    rtmp_->start();
    http_->start();
    srt_->start();
    running_ = true;
    return {};
}

void Server::stop(std::chrono::milliseconds grace) {
    if (!running_) {
        return;
    }
    running_ = false;
    relays_.stop();
    rtmp_->stop();
    http_->stop();
    srt_->stop();
    hls_.stop();
    clients_.closeAll("server shutting down");
    auto deadline = std::chrono::steady_clock::now() + grace;
    while (clients_.size() > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (auto left = clients_.size(); left > 0) {
        base::log(base::LogLevel::Warning, "server",
                  std::to_string(left) + " sessions did not close within the grace period");
    }
    // Mounted routes still running finish before the sessions' threads go away.
    workers_.join();
    acceptPool_.stop();
    pool_.stop();
}

std::uint16_t Server::rtmpPort() const {
    return options_.rtmpPort;
}
std::uint16_t Server::httpPort() const {
    return options_.httpPort;
}

std::uint16_t Server::srtPort() const {
    return options_.srtPort;
}

} // namespace stagecast::server
