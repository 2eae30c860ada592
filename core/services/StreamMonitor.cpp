#include "services/StreamMonitor.h"

#include <QMetaObject>
#include <chrono>

#include "media/StreamPictures.h"

namespace stagecast::services {

StreamMonitor::StreamMonitor(QString url, int maxWidth, QObject* parent)
    : QObject(parent), url_(std::move(url)), maxWidth_(maxWidth) {}

StreamMonitor::~StreamMonitor() {
    stop();
}

void StreamMonitor::start() {
    if (!worker_.joinable()) {
        stop_ = false;
        worker_ = std::thread([this] { run(); });
    }
}

void StreamMonitor::stop() {
    stop_ = true;
    if (worker_.joinable()) {
        worker_.join();
    }
}

QImage StreamMonitor::latest() const {
    std::lock_guard lock(mutex_);
    return latest_;
}

QString StreamMonitor::problem() const {
    std::lock_guard lock(mutex_);
    return problem_;
}

void StreamMonitor::run() {
    const std::string url = url_.toStdString();
    while (!stop_) {
        auto ended = media::StreamPictures::run(
            url, maxWidth_, stop_, [this](int w, int h, const std::uint8_t* bgra, int stride) {
                QImage image(bgra, w, h, stride, QImage::Format_ARGB32);
                {
                    std::lock_guard lock(mutex_);
                    latest_ = image.copy(); // the buffer is the decoder's
                    problem_.clear();
                }
                if (!pending_.exchange(true)) {
                    QMetaObject::invokeMethod(
                        this,
                        [this] {
                            pending_ = false;
                            emit picture();
                        },
                        Qt::QueuedConnection);
                }
            });
        if (!ended) {
            std::lock_guard lock(mutex_);
            problem_ = QString::fromStdString(ended.error().message());
        }
        for (int i = 0; i < 10 && !stop_; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
}

} // namespace stagecast::services
