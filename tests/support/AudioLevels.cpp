#include "AudioLevels.h"

#include <QProcess>
#include <algorithm>
#include <cmath>
#include <complex>
#include <cstring>

namespace stagecast::test {

namespace {

constexpr double kFloorDb = -150.0;

double toDb(double rms) {
    return rms > 0 ? 20.0 * std::log10(rms) : kFloorDb;
}

} // namespace

std::vector<float> decodeAudio(const QString& url, double seconds, QString* log, int timeoutMs) {
    QProcess p;
    p.start("ffmpeg", {"-hide_banner", "-nostats", "-loglevel", "error", "-rw_timeout", "10000000",
                       "-i", url, "-map", "0:a:0", "-t", QString::number(seconds), "-ac", "1",
                       "-ar", "48000", "-f", "f32le", "-"});
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    const QByteArray raw = p.readAllStandardOutput();
    if (log != nullptr) {
        *log = QString::fromUtf8(p.readAllStandardError());
    }
    std::vector<float> samples(static_cast<std::size_t>(raw.size()) / sizeof(float));
    std::memcpy(samples.data(), raw.constData(), samples.size() * sizeof(float));
    return samples;
}

double rmsDb(const std::vector<float>& samples, std::size_t from) {
    if (from >= samples.size()) {
        return kFloorDb;
    }
    double sum = 0;
    for (std::size_t i = from; i < samples.size(); ++i) {
        sum += static_cast<double>(samples[i]) * samples[i];
    }
    return toDb(std::sqrt(sum / static_cast<double>(samples.size() - from)));
}

double toneDb(const std::vector<float>& samples, double hz, std::size_t from, int rate) {
    if (from >= samples.size()) {
        return kFloorDb;
    }
    const double w = 2.0 * M_PI * hz / rate;
    const double coeff = 2.0 * std::cos(w);
    double s1 = 0;
    double s2 = 0;
    for (std::size_t i = from; i < samples.size(); ++i) {
        const double s0 = samples[i] + coeff * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    const double power = s1 * s1 + s2 * s2 - coeff * s1 * s2; // |X|^2
    const auto n = static_cast<double>(samples.size() - from);
    // A sine of amplitude A gives |X| = A*N/2; its RMS is A/sqrt(2).
    const double amplitude = 2.0 * std::sqrt(std::max(power, 0.0)) / n;
    return toDb(amplitude / std::sqrt(2.0));
}

std::vector<std::size_t> toneBreaks(const std::vector<float>& samples, double hz, std::size_t from,
                                    int rate) {
    // Each block's component at `hz`, its phase taken against the absolute sample index: for
    // an unbroken sine it is the same in every block; a dropped or repeated stretch moves it.
    const auto block = static_cast<std::size_t>(rate / 100);
    const double w = 2.0 * M_PI * hz / rate;
    std::vector<std::complex<double>> parts; // block i starts at from + i * block
    for (std::size_t b = from; b + block <= samples.size(); b += block) {
        std::complex<double> x;
        for (std::size_t k = b; k < b + block; ++k) {
            x += static_cast<double>(samples[k]) * std::polar(1.0, -w * static_cast<double>(k));
        }
        parts.push_back(x);
    }
    std::vector<double> levels;
    for (const auto& x : parts) {
        levels.push_back(std::abs(x));
    }
    std::nth_element(levels.begin(), levels.begin() + levels.size() / 2, levels.end());
    const double median = levels.empty() ? 0 : levels[levels.size() / 2];
    std::vector<std::size_t> breaks;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const bool hole = std::abs(parts[i]) < median / 2;
        const bool jump =
            i > 0 && std::abs(std::arg(parts[i] / parts[i - 1])) > 20.0 * M_PI / 180.0;
        if (hole || jump) {
            breaks.push_back(from + i * block);
        }
    }
    return breaks;
}

} // namespace stagecast::test
