// The Range header of file downloads (RFC 9110 section 14.1.2): single byte ranges honoured,
// everything else answered with the whole file, unsatisfiable ranges refused.

#include <QTest>

#include "server/http/ByteRange.h"

using namespace stagecast::server::http;

Q_DECLARE_METATYPE(RangeKind)

class tst_ByteRange : public QObject {
    Q_OBJECT
private slots:
    void resolve_data() {
        QTest::addColumn<QString>("header");
        QTest::addColumn<quint64>("size");
        QTest::addColumn<RangeKind>("kind");
        QTest::addColumn<quint64>("first");
        QTest::addColumn<quint64>("last");
        auto row = [](const char* name, const char* header, quint64 size, RangeKind kind,
                      quint64 first = 0, quint64 last = 0) {
            QTest::newRow(name) << QString(header) << size << kind << first << last;
        };
        row("no header", "", 1000, RangeKind::Whole);
        row("first bytes", "bytes=0-99", 1000, RangeKind::Partial, 0, 99);
        row("open end", "bytes=900-", 1000, RangeKind::Partial, 900, 999);
        row("last beyond end is clamped", "bytes=500-5000", 1000, RangeKind::Partial, 500, 999);
        row("suffix", "bytes=-100", 1000, RangeKind::Partial, 900, 999);
        row("suffix longer than file", "bytes=-5000", 1000, RangeKind::Partial, 0, 999);
        row("spaces around", "  bytes= 10 - 20 ", 1000, RangeKind::Partial, 10, 20);
        row("single byte", "bytes=999-999", 1000, RangeKind::Partial, 999, 999);
        row("start at end", "bytes=1000-", 1000, RangeKind::Unsatisfiable);
        row("start past end", "bytes=2000-3000", 1000, RangeKind::Unsatisfiable);
        row("empty suffix", "bytes=-0", 1000, RangeKind::Unsatisfiable);
        row("range of empty file", "bytes=0-", 0, RangeKind::Unsatisfiable);
        row("several ranges: whole", "bytes=0-1,5-9", 1000, RangeKind::Whole);
        row("other unit: whole", "items=0-1", 1000, RangeKind::Whole);
        row("last before first: whole", "bytes=20-10", 1000, RangeKind::Whole);
        row("negative: whole", "bytes=--5", 1000, RangeKind::Whole);
        row("letters: whole", "bytes=a-b", 1000, RangeKind::Whole);
        row("no dash: whole", "bytes=100", 1000, RangeKind::Whole);
        row("overflow: whole", "bytes=99999999999999999999999-", 1000, RangeKind::Whole);
        row("unit only: whole", "bytes=", 1000, RangeKind::Whole);
    }

    void resolve() {
        QFETCH(QString, header);
        QFETCH(quint64, size);
        QFETCH(RangeKind, kind);
        const auto answer = resolveRange(header.toStdString(), size);
        QCOMPARE(answer.kind, kind);
        if (kind == RangeKind::Partial) {
            QFETCH(quint64, first);
            QFETCH(quint64, last);
            QCOMPARE(quint64(answer.first), first);
            QCOMPARE(quint64(answer.last), last);
            QCOMPARE(quint64(answer.length()), last - first + 1);
        }
    }
};

QTEST_APPLESS_MAIN(tst_ByteRange)
#include "tst_ByteRange.moc"
