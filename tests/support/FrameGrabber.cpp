#include "FrameGrabber.h"

#include <QDeadlineTimer>
#include <QRegularExpression>
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

Rgb centre(const RgbFrame& f) {
    return f.meanAt(0.5, 0.5);
}

FrameGrabber::FrameGrabber(int width, int height, std::size_t keep)
    : width_(width), height_(height), keep_(keep) {}

FrameGrabber::~FrameGrabber() {
    stop();
}

bool FrameGrabber::start(const QString& url) {
    // A grabber started again reads a new ffmpeg: nothing of the previous run carries over
    // (a partial frame left in pending_ would shift every later picture).
    pending_.clear();
    errPending_.clear();
    pts_.clear();
    frames_.clear();
    next_ = 0;
    clock_.start();
    // showinfo logs each frame's pts at level info (its lines carry the frame times).
    process_.start("ffmpeg", {"-hide_banner",
                              "-nostats",
                              "-loglevel",
                              "info",
                              "-rw_timeout",
                              "10000000",
                              "-copyts",
                              "-i",
                              url,
                              "-map",
                              "0:v:0",
                              "-vf",
                              QString("showinfo,scale=%1:%2:flags=area").arg(width_).arg(height_),
                              "-fps_mode",
                              "passthrough",
                              "-f",
                              "rawvideo",
                              "-pix_fmt",
                              "rgb24",
                              "-"});
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
    errPending_ += process_.readAllStandardError();
    static const QRegularExpression showinfo("Parsed_showinfo.* n: *(\\d+) .*pts_time:([-0-9.e]+)");
    for (qsizetype nl = errPending_.indexOf('\n'); nl >= 0; nl = errPending_.indexOf('\n')) {
        const QString line = QString::fromUtf8(errPending_.left(nl));
        errPending_.remove(0, nl + 1);
        const auto m = showinfo.match(line);
        if (m.hasMatch()) {
            const auto n = static_cast<std::size_t>(m.captured(1).toLongLong());
            if (pts_.size() <= n) {
                pts_.resize(n + 1, -1);
            }
            pts_[n] = m.captured(2).toDouble();
        } else if (!line.contains("Parsed_showinfo") && !line.startsWith(' ')) {
            log_ += line + "\n";
        }
    }
    for (auto it = frames_.rbegin(); it != frames_.rend() && it->pts < 0; ++it) {
        it->pts = ptsOf(it->index);
    }
    const qsizetype frameBytes = static_cast<qsizetype>(width_) * height_ * 3;
    bool finished = false;
    while (pending_.size() >= frameBytes) {
        RgbFrame f;
        f.index = next_++;
        f.receivedMs = clock_.elapsed();
        f.width = width_;
        f.height = height_;
        f.pixels = pending_.left(frameBytes);
        f.pts = ptsOf(f.index);
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

double FrameGrabber::ptsOf(int index) const {
    const auto i = static_cast<std::size_t>(index);
    return index >= 0 && i < pts_.size() ? pts_[i] : -1;
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

bool FrameGrabber::waitForSteady(const std::function<bool(const RgbFrame&)>& check, int n,
                                 int timeoutMs) {
    int inRow = 0;
    return waitFor(
        [&](const RgbFrame& f) {
            inRow = check(f) ? inRow + 1 : 0;
            return inRow >= n;
        },
        timeoutMs);
}

} // namespace stagecast::test
