#include "FrameGrabber.h"

#include <QDeadlineTimer>
#include <algorithm>

namespace stagecast::test {

QString toString(const Rgb& c) {
    return QString("rgb(%1,%2,%3)").arg(c.r).arg(c.g).arg(c.b);
}

bool isRed(const Rgb& c) {
    return c.r > 170 && c.g < 60 && c.b < 60;
}

bool isBlue(const Rgb& c) {
    return c.b > 170 && c.r < 60 && c.g < 60;
}

bool isRedBlueMix(const Rgb& c) {
    return c.r >= 60 && c.r <= 200 && c.b >= 60 && c.b <= 200 && c.g < 60;
}

Rgb RgbFrame::at(int x, int y) const {
    x = std::clamp(x, 0, width - 1);
    y = std::clamp(y, 0, height - 1);
    const auto i = static_cast<qsizetype>((y * width + x) * 3);
    const auto* p = reinterpret_cast<const unsigned char*>(pixels.constData()) + i;
    return {p[0], p[1], p[2]};
}

Rgb RgbFrame::meanAt(double fx, double fy, int radius) const {
    const int cx = static_cast<int>(fx * width);
    const int cy = static_cast<int>(fy * height);
    int r = 0;
    int g = 0;
    int b = 0;
    int n = 0;
    for (int y = cy - radius; y <= cy + radius; ++y) {
        for (int x = cx - radius; x <= cx + radius; ++x) {
            const auto c = at(x, y);
            r += c.r;
            g += c.g;
            b += c.b;
            ++n;
        }
    }
    return {r / n, g / n, b / n};
}

FrameGrabber::FrameGrabber(int width, int height, std::size_t keep)
    : width_(width), height_(height), keep_(keep) {}

FrameGrabber::~FrameGrabber() {
    stop();
}

bool FrameGrabber::start(const QString& url) {
    clock_.start();
    process_.start("ffmpeg", {"-hide_banner", "-nostats", "-loglevel", "error", "-rw_timeout",
                              "10000000", "-i", url, "-map", "0:v:0", "-vf",
                              QString("scale=%1:%2:flags=area").arg(width_).arg(height_), "-f",
                              "rawvideo", "-pix_fmt", "rgb24", "-"});
    return process_.waitForStarted(5000);
}

void FrameGrabber::stop() {
    if (process_.state() != QProcess::NotRunning) {
        process_.kill();
        process_.waitForFinished(5000);
    }
}

bool FrameGrabber::readSome(int waitMs, const std::function<bool(const RgbFrame&)>& done) {
    process_.waitForReadyRead(waitMs);
    pending_ += process_.readAllStandardOutput();
    log_ += QString::fromUtf8(process_.readAllStandardError());
    const qsizetype frameBytes = static_cast<qsizetype>(width_) * height_ * 3;
    bool finished = false;
    while (pending_.size() >= frameBytes) {
        RgbFrame f;
        f.index = next_++;
        f.receivedMs = clock_.elapsed();
        f.width = width_;
        f.height = height_;
        f.pixels = pending_.left(frameBytes);
        pending_.remove(0, frameBytes);
        frames_.push_back(std::move(f));
        if (frames_.size() > keep_) {
            frames_.pop_front();
        }
        if (!finished && done && done(frames_.back())) {
            finished = true; // keep the rest of this read: later frames stay in frames()
        }
    }
    return finished;
}

bool FrameGrabber::waitFor(const std::function<bool(const RgbFrame&)>& done, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (readSome(50, done)) {
            return true;
        }
        if (process_.state() == QProcess::NotRunning) {
            readSome(0, done);
            return false;
        }
    }
    return false;
}

} // namespace stagecast::test
