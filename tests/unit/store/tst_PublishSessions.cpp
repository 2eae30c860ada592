// Publish sessions: open/close by (stream, client id), media details, restart clean-up,
// listing with filters.

#include <QtTest>

#include "StoreTestSupport.h"
#include "store/PublishSessions.h"
#include "store/WriteContext.h"

using namespace stagecast::store;
using storetest::why;

class tst_PublishSessions : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    int counter_ = 0;

    Database freshDb() {
        auto db = storetest::openDb(
            storetest::dbPath(dir_, ("p" + std::to_string(++counter_) + ".db").c_str()));
        if (!db) {
            qFatal("open: %s", db.error().message().c_str());
        }
        return std::move(*db);
    }

private slots:
    void openSetMediaClose() {
        Database db = freshDb();
        WriteContext c(db.connection());
        auto id =
            PublishSessions::open(c, {"live/cam1", 7, "rtmp", "10.0.0.5:50000", storetest::at(1)});
        STORE_VERIFY(id);
        QCOMPARE(
            PublishSessions::setMedia(c, "live/cam1", 7, {"h264", "aac", 1920, 1080}).value_or(-1),
            std::int64_t{1});
        QCOMPARE(PublishSessions::close(c, "live/cam1", 7, storetest::at(60), "publisher left")
                     .value_or(-1),
                 std::int64_t{1});
        // Closing twice changes nothing: the session is no longer open.
        QCOMPARE(PublishSessions::close(c, "live/cam1", 7, storetest::at(61), "again").value_or(-1),
                 std::int64_t{0});

        auto reader = db.openReader();
        STORE_VERIFY(reader);
        auto list = PublishSessions::list(*reader, {});
        STORE_VERIFY(list);
        QCOMPARE(list->size(), std::size_t{1});
        const PublishSession& s = list->front();
        QCOMPARE(s.id, *id);
        QCOMPARE(s.stream, std::string("live/cam1"));
        QCOMPARE(s.clientId, std::uint64_t{7});
        QCOMPARE(s.protocol, std::string("rtmp"));
        QCOMPARE(s.address, std::string("10.0.0.5:50000"));
        QCOMPARE(s.media.videoCodec, std::string("h264"));
        QCOMPARE(s.media.audioCodec, std::string("aac"));
        QCOMPARE(s.media.width, std::optional<std::int64_t>(1920));
        QCOMPARE(s.media.height, std::optional<std::int64_t>(1080));
        QCOMPARE(s.startedAt, storetest::at(1));
        QCOMPARE(s.endedAt, std::optional<Time>(storetest::at(60)));
        QCOMPARE(s.endReason, std::string("publisher left"));
    }

    void sameClientIdOnAnotherStreamIsAnotherSession() {
        Database db = freshDb();
        WriteContext c(db.connection());
        STORE_VERIFY(PublishSessions::open(c, {"live/a", 1, "rtmp", "x", storetest::at(1)}));
        STORE_VERIFY(PublishSessions::open(c, {"live/b", 1, "srt", "y", storetest::at(2)}));
        QCOMPARE(PublishSessions::close(c, "live/a", 1, storetest::at(3), "done").value_or(-1),
                 std::int64_t{1});
        auto reader = db.openReader();
        STORE_VERIFY(reader);
        SessionFilter open;
        open.openOnly = true;
        auto list = PublishSessions::list(*reader, open);
        STORE_VERIFY(list);
        QCOMPARE(list->size(), std::size_t{1});
        QCOMPARE(list->front().stream, std::string("live/b"));
    }

    void closeAllOpenAfterRestart() {
        Database db = freshDb();
        WriteContext c(db.connection());
        STORE_VERIFY(PublishSessions::open(c, {"live/a", 1, "rtmp", "x", storetest::at(1)}));
        STORE_VERIFY(PublishSessions::open(c, {"live/b", 2, "rtmp", "y", storetest::at(2)}));
        STORE_VERIFY(PublishSessions::close(c, "live/b", 2, storetest::at(3), "left"));
        QCOMPARE(
            PublishSessions::closeAllOpen(c, storetest::at(9), "Stagecast restarted").value_or(-1),
            std::int64_t{1});
        auto reader = db.openReader();
        STORE_VERIFY(reader);
        SessionFilter streamA;
        streamA.stream = "live/a";
        auto list = PublishSessions::list(*reader, streamA);
        STORE_VERIFY(list);
        QCOMPARE(list->size(), std::size_t{1});
        QCOMPARE(list->front().endReason, std::string("Stagecast restarted"));
        QCOMPARE(list->front().endedAt, std::optional<Time>(storetest::at(9)));
    }

    void listFiltersAndPages() {
        Database db = freshDb();
        WriteContext c(db.connection());
        for (int i = 1; i <= 5; ++i) {
            STORE_VERIFY(PublishSessions::open(
                c, {"live/a", std::uint64_t(i), "rtmp", "x", storetest::at(10 * i)}));
        }
        auto reader = db.openReader();
        STORE_VERIFY(reader);
        SessionFilter f;
        f.from = storetest::at(20);
        f.to = storetest::at(50);
        auto list = PublishSessions::list(*reader, f);
        STORE_VERIFY(list);
        QCOMPARE(list->size(), std::size_t{3});
        QCOMPARE(list->front().clientId, std::uint64_t{4}); // newest first
        f = {};
        f.limit = 2;
        f.offset = 1;
        list = PublishSessions::list(*reader, f);
        STORE_VERIFY(list);
        QCOMPARE(list->size(), std::size_t{2});
        QCOMPARE((*list)[0].clientId, std::uint64_t{4});
        QCOMPARE((*list)[1].clientId, std::uint64_t{3});
        f = {};
        f.stream = "live/unknown";
        list = PublishSessions::list(*reader, f);
        STORE_VERIFY(list);
        QVERIFY(list->empty());
    }
};

QTEST_APPLESS_MAIN(tst_PublishSessions)
#include "tst_PublishSessions.moc"
