#include "FreezeDetector.h"

#include <cmath>

namespace stagecast::media {

FreezeDetector::FreezeDetector(double noiseDb, std::chrono::milliseconds frozenAfter)
    : noise_(std::pow(10.0, noiseDb / 20.0)), frozenAfter_(frozenAfter) {}

void FreezeDetector::reset() {
    previous_.reset();
    unchangedSince_.reset();
}

FreezeDetector::Verdict FreezeDetector::add(LumaThumbnail picture, std::chrono::milliseconds pts) {
    Verdict verdict;
    const bool comparable = previous_ && previous_->columns == picture.columns &&
                            previous_->rows == picture.rows && pts > previousPts_ &&
                            !picture.cells.empty();
    if (comparable) {
        double sum = 0;
        for (std::size_t i = 0; i < picture.cells.size(); ++i) {
            sum += std::fabs(static_cast<double>(picture.cells[i]) - previous_->cells[i]);
        }
        const double difference = sum / static_cast<double>(picture.cells.size());
        verdict.difference = difference;
        if (difference < noise_) {
            if (!unchangedSince_) {
                unchangedSince_ = previousPts_;
            }
        } else {
            unchangedSince_.reset();
        }
    } else {
        unchangedSince_.reset();
    }
    if (unchangedSince_) {
        verdict.unchangedFor = pts - *unchangedSince_;
        verdict.frozen = verdict.unchangedFor >= frozenAfter_;
    }
    previous_ = std::move(picture);
    previousPts_ = pts;
    return verdict;
}

} // namespace stagecast::media
