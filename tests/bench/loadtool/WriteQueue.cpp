#include "WriteQueue.h"

#include <boost/asio/write.hpp>

namespace stagecast::load {

void WriteQueue::send() {
    if (writing_ || cancelled_ || pending_.empty()) {
        return;
    }
    inflight_.swap(pending_);
    pending_.clear();
    writing_ = true;
    // The queue lives as long as the write: the socket's owner holds it and so does this
    // handler, and the owner outlives its socket's handlers.
    boost::asio::async_write(
        socket_, boost::asio::buffer(inflight_),
        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
            self->writing_ = false;
            self->inflight_.clear();
            if (self->cancelled_) {
                return;
            }
            if (ec) {
                self->onError_("write failed: " + ec.message());
                return;
            }
            self->send();
        });
}

} // namespace stagecast::load
