#include "PlayerWakeup.h"

#include <boost/asio/post.hpp>

namespace stagecast::server {

PlayerWakeup::PlayerWakeup(boost::asio::any_io_executor executor, std::function<void()> onWake)
    : executor_(std::move(executor)), onWake_(std::move(onWake)),
      pending_(std::make_shared<std::atomic<bool>>(false)) {}

stream::Reader::Notify PlayerWakeup::notifier() const {
    return [executor = executor_, onWake = onWake_, pending = pending_] {
        if (pending->exchange(true)) {
            return;
        }
        boost::asio::post(executor, onWake);
    };
}

bool PlayerWakeup::readerGaveUp(stream::Subscription& subscription) {
    auto state = subscription.reader().state();
    return state == stream::ReaderState::TooSlow || state == stream::ReaderState::Kicked;
}

} // namespace stagecast::server
