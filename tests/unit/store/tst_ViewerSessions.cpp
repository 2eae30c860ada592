// Viewer sessions: open/close with bytes, counting who watches now, restart clean-up.

#include <QtTest>

#include "StoreTestSupport.h"
#include "store/ViewerSessions.h"
#include "store/WriteContext.h"

using namespace stagecast::store;
using storetest::why;

class tst_ViewerSessions : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    int counter_ = 0;

    Database freshDb() {
        auto db = storetest::openDb(
            storetest::dbPath(dir_, ("v" + std::to_string(++counter_) + ".db").c_str()));
        if (!db) {
            qFatal("open: %s", db.error().message().c_str());
        }
        return std::move(*db);
    }

private slots:
    void openCloseWithBytes() {
        Database db = freshDb();
        WriteContext c(db.connection());
        STORE_VERIFY(ViewerSessions::open(c, {"live/a", 11, "http-flv", "10.0.0.9:6000",
                                              "Mozilla/5.0 (中文)", storetest::at(1)}));
        STORE_VERIFY(
            ViewerSessions::open(c, {"live/a", 12, "rtmp", "10.0.0.8:6001", "", storetest::at(2)}));
        STORE_VERIFY(
            ViewerSessions::open(c, {"live/b", 13, "hls", "10.0.0.7:6002", "", storetest::at(3)}));
        QCOMPARE(ViewerSessions::close(c, "live/a", 11, storetest::at(31), 5'000'000).value_or(-1),
                 std::int64_t{1});

        auto reader = db.openReader();
        STORE_VERIFY(reader);
        QCOMPARE(ViewerSessions::countOpen(*reader, "live/a").value_or(-1), std::int64_t{1});
        QCOMPARE(ViewerSessions::countOpen(*reader, "").value_or(-1), std::int64_t{2});
        QCOMPARE(ViewerSessions::countOpen(*reader, "live/none").value_or(-1), std::int64_t{0});

        SessionFilter f;
        f.stream = "live/a";
        auto list = ViewerSessions::list(*reader, f);
        STORE_VERIFY(list);
        QCOMPARE(list->size(), std::size_t{2});
        const ViewerSession& closed = (*list)[1]; // oldest last
        QCOMPARE(closed.clientId, std::uint64_t{11});
        QCOMPARE(closed.protocol, std::string("http-flv"));
        QCOMPARE(closed.userAgent, std::string("Mozilla/5.0 (中文)"));
        QCOMPARE(closed.bytes, std::int64_t{5'000'000});
        QCOMPARE(closed.endedAt, std::optional<Time>(storetest::at(31)));
        QCOMPARE((*list)[0].endedAt, std::optional<Time>());
        QCOMPARE((*list)[0].bytes, std::int64_t{0});
    }

    void closeAllOpen() {
        Database db = freshDb();
        WriteContext c(db.connection());
        STORE_VERIFY(ViewerSessions::open(c, {"live/a", 1, "rtmp", "x", "", storetest::at(1)}));
        STORE_VERIFY(ViewerSessions::open(c, {"live/a", 2, "rtmp", "y", "", storetest::at(1)}));
        QCOMPARE(ViewerSessions::closeAllOpen(c, storetest::at(5)).value_or(-1), std::int64_t{2});
        auto reader = db.openReader();
        STORE_VERIFY(reader);
        QCOMPARE(ViewerSessions::countOpen(*reader, "").value_or(-1), std::int64_t{0});
    }
};

QTEST_APPLESS_MAIN(tst_ViewerSessions)
#include "tst_ViewerSessions.moc"
