// Tests for TimestampUnwrapper: 32-bit RTMP timestamps onto a 64-bit timeline (RTMP
// specification 1.0 section 5.3.1.1: timestamps wrap after 2^32 ms).
#include <QtTest>

#include "protocol/rtmp/Message.h"

using namespace stagecast::protocol::rtmp;

namespace {
constexpr qint64 k2Pow32 = qint64{1} << 32;
}

class tst_TimestampUnwrapper : public QObject {
    Q_OBJECT

private slots:
    void unwrap_data();
    void unwrap();
};

void tst_TimestampUnwrapper::unwrap_data() {
    QTest::addColumn<QList<quint32>>("input");
    QTest::addColumn<QList<qint64>>("expected");

    QTest::newRow("first value maps to itself") << QList<quint32>{5000} << QList<qint64>{5000};
    QTest::newRow("first value near the top")
        << QList<quint32>{0xFFFFFFFFu} << QList<qint64>{0xFFFFFFFF};
    QTest::newRow("steady increase")
        << QList<quint32>{0, 33, 66, 100} << QList<qint64>{0, 33, 66, 100};
    QTest::newRow("wrap across 2^32")
        << QList<quint32>{0xFFFFFF00u, 0xFFFFFFF0u, 0x10, 0x100}
        << QList<qint64>{0xFFFFFF00, 0xFFFFFFF0, k2Pow32 + 0x10, k2Pow32 + 0x100};
    QTest::newRow("two wraps") << QList<quint32>{0xF0000000u, 0x10000000u, 0x80000000u, 0xF0000000u,
                                                 0x10000000u}
                               << QList<qint64>{0xF0000000, k2Pow32 + 0x10000000,
                                                k2Pow32 + 0x80000000, k2Pow32 + 0xF0000000,
                                                2 * k2Pow32 + 0x10000000};
    QTest::newRow("small backward step is not a wrap")
        << QList<quint32>{1000, 990, 1010} << QList<qint64>{1000, 990, 1010};
    QTest::newRow("backward by exactly 2^31 is not a wrap")
        << QList<quint32>{0x80000000u, 0} << QList<qint64>{0x80000000, 0};
    QTest::newRow("backward by 2^31 + 1 is a wrap")
        << QList<quint32>{0x80000001u, 0} << QList<qint64>{0x80000001, k2Pow32};
    QTest::newRow("late value from before the wrap")
        << QList<quint32>{0xFFFFFFF0u, 0x10, 0xFFFFFFE0u, 0x20}
        << QList<qint64>{0xFFFFFFF0, k2Pow32 + 0x10, 0xFFFFFFE0, k2Pow32 + 0x20};
    QTest::newRow("large forward jump before any wrap stays")
        << QList<quint32>{10, 0xF0000000u} << QList<qint64>{10, 0xF0000000};
}

void tst_TimestampUnwrapper::unwrap() {
    QFETCH(QList<quint32>, input);
    QFETCH(QList<qint64>, expected);
    TimestampUnwrapper unwrapper;
    QList<qint64> got;
    for (quint32 ts : input) {
        got << static_cast<qint64>(unwrapper.unwrap(ts));
    }
    QCOMPARE(got, expected);
}

QTEST_APPLESS_MAIN(tst_TimestampUnwrapper)
#include "tst_TimestampUnwrapper.moc"
