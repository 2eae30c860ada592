#include "IoPool.h"

#include <algorithm>

#include "base/Log.h"

namespace stagecast::server {

IoPool::IoPool(std::size_t threads) {
    if (threads == 0) {
        threads = std::max(1u, std::thread::hardware_concurrency());
    }
    for (std::size_t i = 0; i < threads; ++i) {
        contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
    }
}

IoPool::~IoPool() {
    stop();
}

void IoPool::start() {
    for (auto& ctx : contexts_) {
        guards_.emplace_back(ctx->get_executor());
        threads_.emplace_back([c = ctx.get()] {
            for (;;) {
                try {
                    c->run();
                    return;
                } catch (const std::exception& e) {
                    // A handler let an exception escape: log it and keep the context serving.
                    base::log(base::LogLevel::Error, "io",
                              std::string("handler threw: ") + e.what());
                }
            }
        });
    }
}

void IoPool::stop() {
    guards_.clear();
    for (auto& ctx : contexts_) {
        ctx->stop();
    }
    for (auto& t : threads_) {
        if (t.joinable()) {
            t.join();
        }
    }
    threads_.clear();
}

boost::asio::io_context& IoPool::next() {
    auto& ctx = *contexts_[next_ % contexts_.size()];
    ++next_;
    return ctx;
}

} // namespace stagecast::server
