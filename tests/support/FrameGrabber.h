#pragma once
// Decodes a live stream's pictures with the ffmpeg tool to small raw RGB frames, for tests
// that check what a viewer would see (colours, regions, transitions).

#include <QByteArray>
#include <QElapsedTimer>
#include <QProcess>
#include <QString>
#include <deque>
#include <functional>
#include <vector>

namespace stagecast::test {

struct Rgb {
    int r = 0;
    int g = 0;
    int b = 0;
};

QString toString(const Rgb& c);
/// Mostly one primary, the others low (a solid lavfi colour after H.264 twice).
bool isRed(const Rgb& c);
bool isBlue(const Rgb& c);
/// Neither red nor blue but clearly both: a frame in the middle of a red/blue fade.
bool isRedBlueMix(const Rgb& c);

struct RgbFrame {
    int index = 0;         // in decode order, from 0
    double pts = -1;       // the stream's own presentation time, seconds (-1: not known yet)
    qint64 receivedMs = 0; // since the grabber started
    int width = 0;
    int height = 0;
    QByteArray pixels; // rgb24, rows top to bottom

    Rgb at(int x, int y) const;
    /// Mean colour of the square of side 2*radius+1 around (x, y); x and y as fractions
    /// of the width and height.
    Rgb meanAt(double fx, double fy, int radius = 2) const;
};

/// The mean colour at the middle of the picture (meanAt(0.5, 0.5)).
Rgb centre(const RgbFrame& f);

class FrameGrabber {
public:
    /// Frames are scaled to width x height (area averaging) before they are handed over.
    FrameGrabber(int width = 160, int height = 90, std::size_t keep = 1800);
    ~FrameGrabber();

    /// Starts ffmpeg reading `url`; check with waitFor() that frames arrive.
    bool start(const QString& url);
    void stop();

    /// Reads frames until `done` (called for each new frame) returns true or the time is up.
    bool waitFor(const std::function<bool(const RgbFrame&)>& done, int timeoutMs);
    /// Reads frames until `n` new frames in a row pass `check` (a steady picture: the machine
    /// may be busy and libobs lag) or the time is up.
    bool waitForSteady(const std::function<bool(const RgbFrame&)>& check, int n,
                       int timeoutMs = 20000);
    /// Frames received so far (the newest `keep`), oldest first.
    const std::deque<RgbFrame>& frames() const { return frames_; }
    /// ffmpeg's messages, for failure output.
    QString log() const { return log_; }
    /// The presentation time (seconds, as in the stream: ffmpeg runs with -copyts) of frame
    /// `index`; -1 when not known.
    double ptsOf(int index) const;

private:
    bool readSome(int waitMs, const std::function<bool(const RgbFrame&)>& done);

    const int width_;
    const int height_;
    const std::size_t keep_;
    QProcess process_;
    QByteArray pending_;
    std::deque<RgbFrame> frames_;
    int next_ = 0;
    QElapsedTimer clock_;
    QString log_;
    QByteArray errPending_;
    std::vector<double> pts_; // by frame index, from ffmpeg's showinfo filter
};

} // namespace stagecast::test
