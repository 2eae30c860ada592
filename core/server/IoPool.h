#pragma once
/// A small pool of single-threaded io_contexts (one per core by default). A session lives on
/// one context for its whole life, so its handlers never run concurrently and need no strand.

#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace stagecast::server {

class IoPool {
public:
    /// `threads` 0 means one per hardware thread.
    explicit IoPool(std::size_t threads);
    ~IoPool();
    IoPool(const IoPool&) = delete;
    IoPool& operator=(const IoPool&) = delete;

    void start();
    /// Stops every context and joins the threads. Idempotent.
    void stop();
    /// Round-robin choice for a new session.
    boost::asio::io_context& next();
    std::size_t size() const { return contexts_.size(); }

private:
    using Guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
    std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
    std::vector<Guard> guards_;
    std::vector<std::thread> threads_;
    std::size_t next_ = 0;
};

} // namespace stagecast::server
