// Recordings: catalogue by path, finish, state changes, interrupted after restart, list.

#include <QtTest>

#include "StoreTestSupport.h"
#include "store/Recordings.h"
#include "store/WriteContext.h"

using namespace stagecast::store;
using storetest::why;

class tst_Recordings : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    int counter_ = 0;

    Database freshDb() {
        auto db = storetest::openDb(
            storetest::dbPath(dir_, ("rec" + std::to_string(++counter_) + ".db").c_str()));
        if (!db) {
            qFatal("open: %s", db.error().message().c_str());
        }
        return std::move(*db);
    }

private slots:
    void insertFinishList() {
        Database db = freshDb();
        WriteContext c(db.connection());
        auto id = Recordings::insert(c, {"live/a", "/rec/a-1.mp4", storetest::at(0), "h264,aac"});
        STORE_VERIFY(id);
        STORE_VERIFY(Recordings::insert(c, {"live/b", "/rec/b-1.mp4", storetest::at(5), "hevc"}));
        RecordingEnd end;
        end.endedAt = storetest::at(3600);
        end.duration = std::chrono::milliseconds{3'600'000};
        end.sizeBytes = 1'500'000'000;
        QCOMPARE(Recordings::finish(c, "/rec/a-1.mp4", end).value_or(-1), std::int64_t{1});
        QCOMPARE(Recordings::finish(c, "/rec/missing.mp4", end).value_or(-1), std::int64_t{0});

        auto reader = db.openReader();
        STORE_VERIFY(reader);
        auto complete = Recordings::list(*reader, RecordingState::Complete);
        STORE_VERIFY(complete);
        QCOMPARE(complete->size(), std::size_t{1});
        const Recording& r = complete->front();
        QCOMPARE(r.id, *id);
        QCOMPARE(r.stream, std::string("live/a"));
        QCOMPARE(r.path, std::string("/rec/a-1.mp4"));
        QCOMPARE(r.codecs, std::string("h264,aac"));
        QCOMPARE(r.duration, std::optional<std::chrono::milliseconds>(3'600'000));
        QCOMPARE(r.sizeBytes, std::optional<std::int64_t>(1'500'000'000));
        QCOMPARE(r.endedAt, std::optional<Time>(storetest::at(3600)));
        auto recording = Recordings::list(*reader, RecordingState::Recording);
        STORE_VERIFY(recording);
        QCOMPARE(recording->size(), std::size_t{1});
        QCOMPARE(recording->front().duration, std::optional<std::chrono::milliseconds>());
        auto all = Recordings::list(*reader, std::nullopt);
        STORE_VERIFY(all);
        QCOMPARE(all->size(), std::size_t{2});
        QCOMPARE(all->front().path, std::string("/rec/b-1.mp4")); // newest first
    }

    void samePathTwiceIsRefused() {
        Database db = freshDb();
        WriteContext c(db.connection());
        STORE_VERIFY(Recordings::insert(c, {"live/a", "/rec/x.mp4", storetest::at(0), ""}));
        auto again = Recordings::insert(c, {"live/a", "/rec/x.mp4", storetest::at(1), ""});
        QVERIFY(!again);
        QVERIFY2(again.error().message().find("recording /rec/x.mp4") == 0,
                 again.error().message().c_str());
        QVERIFY2(again.error().message().find("UNIQUE constraint failed: recordings.path") !=
                     std::string::npos,
                 again.error().message().c_str());
    }

    void interruptedAndDeleted() {
        Database db = freshDb();
        WriteContext c(db.connection());
        STORE_VERIFY(Recordings::insert(c, {"live/a", "/rec/1.mp4", storetest::at(0), ""}));
        STORE_VERIFY(Recordings::insert(c, {"live/a", "/rec/2.mp4", storetest::at(1), ""}));
        RecordingEnd failed;
        failed.endedAt = storetest::at(2);
        failed.state = RecordingState::Failed;
        failed.reason = "disk full";
        STORE_VERIFY(Recordings::finish(c, "/rec/2.mp4", failed));
        QCOMPARE(Recordings::markInterrupted(c, storetest::at(9)).value_or(-1), std::int64_t{1});
        QCOMPARE(Recordings::setState(c, "/rec/2.mp4", RecordingState::Deleted, "by operator")
                     .value_or(-1),
                 std::int64_t{1});
        auto reader = db.openReader();
        STORE_VERIFY(reader);
        auto interrupted = Recordings::list(*reader, RecordingState::Interrupted);
        STORE_VERIFY(interrupted);
        QCOMPARE(interrupted->size(), std::size_t{1});
        QCOMPARE(interrupted->front().path, std::string("/rec/1.mp4"));
        QCOMPARE(interrupted->front().endedAt, std::optional<Time>(storetest::at(9)));
        auto deleted = Recordings::list(*reader, RecordingState::Deleted);
        STORE_VERIFY(deleted);
        QCOMPARE(deleted->size(), std::size_t{1});
        QCOMPARE(deleted->front().reason, std::string("by operator"));
    }

    void finishMovesPathAndFilters() {
        Database db = freshDb();
        WriteContext c(db.connection());
        STORE_VERIFY(Recordings::insert(c, {"live/a", "/rec/a.part.mp4", storetest::at(0), ""}));
        STORE_VERIFY(Recordings::insert(c, {"live/b", "/rec/b.ts", storetest::at(1), ""}));
        RecordingEnd end;
        end.endedAt = storetest::at(5);
        end.duration = std::chrono::milliseconds{5000};
        end.sizeBytes = 1234;
        end.state = RecordingState::Recovered;
        end.reason = "recovered after a crash";
        end.newPath = "/rec/a.mp4";
        QCOMPARE(Recordings::finish(c, "/rec/a.part.mp4", end).value_or(-1), std::int64_t{1});
        auto reader = db.openReader();
        STORE_VERIFY(reader);
        RecordingFilter onlyA;
        onlyA.stream = "live/a";
        auto a = Recordings::list(*reader, onlyA);
        STORE_VERIFY(a);
        QCOMPARE(a->size(), std::size_t{1});
        QCOMPARE(a->front().path, std::string("/rec/a.mp4"));
        QCOMPARE(a->front().state, RecordingState::Recovered);
        auto byId = Recordings::get(*reader, a->front().id);
        STORE_VERIFY(byId);
        QVERIFY(byId->has_value());
        QCOMPARE((*byId)->sizeBytes, std::optional<std::int64_t>(1234));
        auto none = Recordings::get(*reader, 999);
        STORE_VERIFY(none);
        QVERIFY(!none->has_value());
        RecordingFilter recordingB;
        recordingB.state = RecordingState::Recording;
        recordingB.stream = "live/b";
        auto b = Recordings::list(*reader, recordingB);
        STORE_VERIFY(b);
        QCOMPARE(b->size(), std::size_t{1});
        QCOMPARE(b->front().path, std::string("/rec/b.ts"));
    }

    void stateNamesRoundTrip() {
        for (auto s :
             {RecordingState::Recording, RecordingState::Complete, RecordingState::Failed,
              RecordingState::Interrupted, RecordingState::Deleted, RecordingState::Recovered}) {
            QCOMPARE(parseRecordingState(toString(s)), std::optional<RecordingState>(s));
        }
        QCOMPARE(parseRecordingState("Complete"), std::optional<RecordingState>());
    }
};

QTEST_APPLESS_MAIN(tst_Recordings)
#include "tst_Recordings.moc"
