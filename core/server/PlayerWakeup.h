#pragma once
/// How a player session learns that its reader has packets: the hub calls the Notify on the
/// publisher's thread; it posts one wake-up onto the session's own thread, and no second one
/// while that is still pending (the session clears the flag when it runs).

#include <atomic>
#include <functional>
#include <memory>

#include <boost/asio/any_io_executor.hpp>

#include "stream/Hub.h"
#include "stream/Reader.h"

namespace stagecast::server {

class PlayerWakeup {
public:
    /// `onWake` runs on `executor`; it should call clear() first and then drain the reader.
    PlayerWakeup(boost::asio::any_io_executor executor, std::function<void()> onWake);

    /// The callback to give the hub with the subscription.
    stream::Reader::Notify notifier() const;
    /// Session thread: a new wake-up may be posted from now on.
    void clear() { pending_->store(false); }

    /// Whether the hub has given up on this reader (too slow, kicked): then the session must
    /// end even with a write stuck in flight.
    static bool readerGaveUp(stream::Subscription& subscription);

private:
    boost::asio::any_io_executor executor_;
    std::function<void()> onWake_;
    std::shared_ptr<std::atomic<bool>> pending_;
};

} // namespace stagecast::server
