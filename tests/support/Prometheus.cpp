#include "Prometheus.h"

#include <QRegularExpression>
#include <QStringList>

namespace stagecast::test {

QString prometheusProblem(const QString& text) {
    // metric_name{label="value",...} value
    static const QRegularExpression sample(
        "^[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*\\})? "
        "[-+]?([0-9.]+([eE][-+]?[0-9]+)?|NaN|Inf)$");
    static const QRegularExpression comment("^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$");
    int samples = 0;
    for (const auto& line : text.split('\n', Qt::SkipEmptyParts)) {
        if (line.startsWith('#')) {
            if (!comment.match(line).hasMatch()) {
                return "bad comment line: " + line;
            }
            continue;
        }
        if (!sample.match(line).hasMatch()) {
            return "bad sample line: " + line;
        }
        ++samples;
    }
    return samples > 0 ? QString() : QString("no samples");
}

} // namespace stagecast::test
