// SnapshotStore on a real temporary folder: latest.jpg replaced atomically (no temporary file
// left), listed with its time and size, kept as evidence under a time stamp, and errors that
// name the path and the reason.

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "media/snapshot/SnapshotStore.h"

using namespace stagecast;
using namespace stagecast::media::snapshot;
using namespace std::chrono_literals;

namespace {

std::vector<std::uint8_t> bytes(std::size_t n, std::uint8_t fill) {
    return std::vector<std::uint8_t>(n, fill);
}

QByteArray readAll(const std::filesystem::path& path) {
    QFile file(QString::fromStdString(path.string()));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class tst_SnapshotStore : public QObject {
    Q_OBJECT

    stream::StreamKey key_ = *stream::StreamKey::make("live", "cam1");

private slots:
    void writesAndReplacesLatest() {
        QTemporaryDir dir;
        SnapshotStore store(dir.filePath("snaps").toStdString());
        QVERIFY(!store.latest(key_));
        QVERIFY(store.writeLatest(key_, bytes(100, 0xAA)));
        const auto path = store.latestPath(key_);
        QCOMPARE(QString::fromStdString(path.string()), dir.filePath("snaps/live/cam1/latest.jpg"));
        QCOMPARE(readAll(path), QByteArray(100, char(0xAA)));
        QVERIFY(store.writeLatest(key_, bytes(50, 0xBB)));
        QCOMPARE(readAll(path), QByteArray(50, char(0xBB)));
        // Only latest.jpg: the temporary files were renamed over it.
        QCOMPARE(QDir(dir.filePath("snaps/live/cam1")).entryList(QDir::Files),
                 QStringList{"latest.jpg"});
        const auto latest = store.latest(key_);
        QVERIFY(latest);
        QCOMPARE(latest->bytes, std::uintmax_t(50));
        QCOMPARE(latest->stream, std::string("live/cam1"));
        const auto age = std::chrono::system_clock::now() - latest->takenAt;
        QVERIFY(age > -5s && age < 60s);
        auto read = store.readLatest(key_);
        QVERIFY(read);
        QCOMPARE(read->size(), std::size_t(50));
    }

    void listsEveryStream() {
        QTemporaryDir dir;
        SnapshotStore store(dir.path().toStdString());
        const auto other = *stream::StreamKey::make("event", "stage");
        QVERIFY(store.writeLatest(key_, bytes(10, 1)));
        QVERIFY(store.writeLatest(other, bytes(20, 2)));
        QVERIFY(QDir(dir.path()).mkpath("live/empty")); // a folder without a picture
        const auto list = store.list();
        QCOMPARE(list.size(), std::size_t(2));
        QCOMPARE(list[0].stream, std::string("event/stage"));
        QCOMPARE(list[0].bytes, std::uintmax_t(20));
        QCOMPARE(list[1].stream, std::string("live/cam1"));
    }

    void keepsEvidenceCopies() {
        QTemporaryDir dir;
        SnapshotStore store(dir.path().toStdString());
        auto none = store.keep(key_);
        QVERIFY(!none);
        QCOMPARE(none.error().message(), std::string("no snapshot of live/cam1 yet"));

        QVERIFY(store.writeLatest(key_, bytes(30, 7)));
        const auto at = std::chrono::system_clock::time_point(1796372100123ms);
        auto kept = store.keep(key_, at);
        QVERIFY2(kept, kept ? "" : kept.error().message().c_str());
        QCOMPARE(QString::fromStdString(kept->string()),
                 dir.filePath("live/cam1/evidence/20261204T081500.123Z.jpg"));
        auto again = store.keep(key_, at); // same millisecond: a second file, not overwritten
        QVERIFY(again);
        QCOMPARE(QString::fromStdString(again->filename().string()),
                 QString("20261204T081500.123Z-1.jpg"));
        // A newer latest picture leaves the evidence as it was.
        QVERIFY(store.writeLatest(key_, bytes(40, 9)));
        QCOMPARE(readAll(*kept), QByteArray(30, char(7)));
        QCOMPARE(store.list().size(), std::size_t(1)); // evidence is not a stream
    }

    void prunesOldEvidenceOnly() {
        QTemporaryDir dir;
        SnapshotStore store(dir.path().toStdString());
        const auto other = *stream::StreamKey::make("event", "stage");
        QVERIFY(store.writeLatest(key_, bytes(10, 1)));
        QVERIFY(store.writeLatest(other, bytes(10, 2)));
        auto old = store.keep(key_);
        auto otherOld = store.keep(other);
        auto fresh = store.keep(key_);
        QVERIFY(old && otherOld && fresh);
        // Age two of them by 10 days (modification time is what counts).
        const auto tenDaysAgo = std::filesystem::file_time_type::clock::now() - 240h;
        std::filesystem::last_write_time(*old, tenDaysAgo);
        std::filesystem::last_write_time(*otherOld, tenDaysAgo);
        const auto cutoff = std::chrono::system_clock::now() - 24h * 7;

        QCOMPARE(store.pruneEvidence(key_, cutoff), std::size_t(1)); // one stream only
        QVERIFY(!std::filesystem::exists(*old));
        QVERIFY(std::filesystem::exists(*fresh));
        QVERIFY(std::filesystem::exists(*otherOld));
        QCOMPARE(store.pruneEvidence(cutoff), std::size_t(1)); // every stream
        QVERIFY(!std::filesystem::exists(*otherOld));
        QVERIFY(std::filesystem::exists(*fresh));
        QVERIFY(std::filesystem::exists(store.latestPath(key_))); // latest.jpg is not evidence
        QCOMPARE(store.pruneEvidence(cutoff), std::size_t(0));
    }

    void unwritableFolderNamesPathAndReason() {
        QTemporaryDir dir;
        // A file where the folder should be: refused even for root.
        QFile blocker(dir.filePath("snaps"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        SnapshotStore store(dir.filePath("snaps").toStdString());
        auto ok = store.writeLatest(key_, bytes(10, 1));
        QVERIFY(!ok);
        const QString message = QString::fromStdString(ok.error().message());
        QVERIFY2(message.startsWith("cannot write snapshot " + dir.filePath("snaps") +
                                    "/live/cam1/latest.jpg: "),
                 qPrintable(message));
        QVERIFY2(message.contains("Not a directory"), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(tst_SnapshotStore)
#include "tst_SnapshotStore.moc"
