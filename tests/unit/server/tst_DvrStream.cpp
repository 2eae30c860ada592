// DVR windows on a real folder: segments written to DVR_FOLDER/APP/STREAM/ID/SEQ.ts on the
// worker pool, evicted files deleted so the folder stays within the byte bound, old segments
// read back from disk, disk reads bounded per window; a folder that cannot be written stops DVR
// with the reason and deletes what was kept; DvrService expires idle windows and removes only the
// files it makes when a previous run left them.

#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "server/hls/DvrService.h"
#include "server/hls/DvrStream.h"

using namespace stagecast::server::hls;
namespace fs = std::filesystem;
using stagecast::stream::StreamKey;

namespace {

template <typename F>
bool waitFor(F done) {
    for (int i = 0; i < 500 && !done(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
}

HlsSegment segment(std::size_t size, std::uint8_t fill) {
    HlsSegment s;
    s.duration = 1.0;
    s.data = std::make_shared<const std::vector<std::uint8_t>>(size, fill);
    return s;
}

/// Bytes in the folder now. The writer renames NAME.ts.tmp to NAME.ts and deletes evicted
/// segments meanwhile: a file gone between listing and sizing counts nothing (the throwing
/// overloads aborted this test about once in 30 runs).
std::size_t folderBytes(const fs::path& dir) {
    std::size_t total = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::error_code sizeEc;
        if (it->is_regular_file(sizeEc)) {
            const auto size = fs::file_size(it->path(), sizeEc);
            total += sizeEc ? 0 : static_cast<std::size_t>(size);
        }
    }
    return total;
}

std::shared_ptr<const std::vector<std::uint8_t>> readSync(DvrStream& s, std::uint64_t seq) {
    std::promise<std::shared_ptr<const std::vector<std::uint8_t>>> got;
    s.read(seq, [&got](auto data) { got.set_value(std::move(data)); });
    return got.get_future().get();
}

} // namespace

class tst_DvrStream : public QObject {
    Q_OBJECT

private slots:
    void writesEvictsAndReadsBack() {
        QTemporaryDir dir;
        boost::asio::thread_pool workers(2);
        auto s = std::make_shared<DvrStream>(
            *StreamKey::make("live", "cam"), fs::path(dir.path().toStdString()), "7",
            DvrLimits{std::chrono::seconds(3600), 3000, 1, std::chrono::milliseconds(1000)},
            workers);
        const auto folder = fs::path(dir.path().toStdString()) / "live" / "cam" / "7";
        QCOMPARE(s->folder(), folder);
        for (int i = 0; i < 10; ++i) {
            s->add(segment(1000, static_cast<std::uint8_t>(i)));
            QVERIFY(folderBytes(folder) <= 3000 + 1000);
        }
        QVERIFY(waitFor([&] { return s->status().written == 10; }));
        // 3 segments of 1000 bytes fit 3000: 7, 8, 9 kept; 0..6 deleted.
        QVERIFY(waitFor([&] { return !fs::exists(folder / "6.ts"); }));
        QCOMPARE(folderBytes(folder), std::size_t(3000));
        for (int seq = 7; seq < 10; ++seq) {
            QVERIFY(fs::exists(folder / (std::to_string(seq) + ".ts")));
        }
        auto st = s->status();
        QCOMPARE(st.firstSequence, std::uint64_t(7));
        QCOMPARE(st.segments, std::size_t(3));
        QVERIFY(st.recording);
        auto old = readSync(*s, 7); // past the one segment kept in memory: from disk
        QVERIFY(old != nullptr);
        QCOMPARE(old->size(), std::size_t(1000));
        QCOMPARE(old->front(), std::uint8_t(7));
        QVERIFY(readSync(*s, 3) == nullptr); // left the window
        QVERIFY(s->playlist("", "")->find("\n7.ts\n") != std::string::npos);
        s->remove("test over");
        QVERIFY(waitFor([&] { return !fs::exists(folder); }));
        workers.join();
    }

    void diskReadsPastTheBoundAreRefused() {
        QTemporaryDir dir;
        boost::asio::thread_pool workers(1);
        auto s = std::make_shared<DvrStream>(
            *StreamKey::make("live", "cam"), fs::path(dir.path().toStdString()), "9",
            DvrLimits{std::chrono::seconds(3600), 1 << 20, 1, std::chrono::milliseconds(1000)},
            workers);
        s->add(segment(500, 1));
        s->add(segment(500, 2)); // segment 0 is on disk only now
        QVERIFY(waitFor([&] { return s->status().written == 2; }));
        // The one worker is busy: disk reads queue up to the bound, the next is refused.
        std::promise<void> release;
        boost::asio::post(workers, [go = release.get_future().share()] { go.wait(); });
        std::atomic<int> answered{0};
        std::atomic<int> full{0};
        for (std::size_t i = 0; i < DvrStream::kMaxQueuedReads; ++i) {
            QVERIFY(s->read(0, [&](auto data) {
                full += data && data->size() == 500 ? 1 : 0;
                ++answered;
            }));
        }
        QVERIFY(!s->read(0, [&](auto) { ++answered; }));
        QVERIFY(s->read(1, [&](auto data) { full += data ? 1 : 0; })); // memory: never queued
        auto st = s->status();
        QCOMPARE(st.readsQueued, DvrStream::kMaxQueuedReads);
        QCOMPARE(st.readsRefused, std::uint64_t(1));
        release.set_value();
        QVERIFY(waitFor([&] { return answered == int(DvrStream::kMaxQueuedReads); }));
        QCOMPARE(full.load(), int(DvrStream::kMaxQueuedReads) + 1);
        QCOMPARE(s->status().readsQueued, std::size_t(0));
        QVERIFY(readSync(*s, 0) != nullptr); // room again
        s->remove("test over");
        workers.join();
    }

    void unwritableFolderStopsWithReason() {
        QTemporaryDir dir;
        const auto blocker = fs::path(dir.path().toStdString()) / "not-a-folder";
        std::ofstream(blocker) << "x";
        boost::asio::thread_pool workers(1);
        auto s = std::make_shared<DvrStream>(
            *StreamKey::make("live", "cam"), blocker, "1",
            DvrLimits{std::chrono::seconds(60), 1 << 20, 2, std::chrono::milliseconds(1000)},
            workers);
        s->add(segment(100, 1));
        QVERIFY(waitFor([&] { return !s->recording(); }));
        auto st = s->status();
        QVERIFY2(st.reason.find("cannot create") != std::string::npos, st.reason.c_str());
        QVERIFY2(st.reason.find("not-a-folder") != std::string::npos, st.reason.c_str());
        QCOMPARE(st.segments, std::size_t(0));
        s->add(segment(100, 2)); // ignored once stopped
        QCOMPARE(s->status().segments, std::size_t(0));
        QVERIFY(!s->playlist("", "").has_value());
        workers.join();
    }

    void serviceRemovesLeftoversOnlyOfItsOwn() {
        QTemporaryDir dir;
        const auto root = fs::path(dir.path().toStdString());
        fs::create_directories(root / "live" / "cam" / "123");
        std::ofstream(root / "live" / "cam" / "123" / "5.ts") << "old";
        std::ofstream(root / "live" / "cam" / "123" / "6.ts.tmp") << "old";
        std::ofstream(root / "live" / "cam" / "123" / "notes.txt") << "mine";
        fs::create_directories(root / "live" / "other" / "456");
        std::ofstream(root / "live" / "other" / "456" / "1.ts") << "old";
        std::ofstream(root / "readme.txt") << "mine";
        boost::asio::thread_pool workers(1);
        DvrService service(root, DvrLimits{}, 4, workers);
        service.removeLeftovers();
        QVERIFY(!fs::exists(root / "live" / "cam" / "123" / "5.ts"));
        QVERIFY(!fs::exists(root / "live" / "cam" / "123" / "6.ts.tmp"));
        QVERIFY(fs::exists(root / "live" / "cam" / "123" / "notes.txt"));
        QVERIFY(!fs::exists(root / "live" / "other")); // emptied folders go
        QVERIFY(fs::exists(root / "readme.txt"));
        workers.join();
    }

    void serviceBoundsAndExpiresWindows() {
        QTemporaryDir dir;
        boost::asio::thread_pool workers(1);
        DvrService service(
            fs::path(dir.path().toStdString()),
            DvrLimits{std::chrono::seconds(0), 1 << 20, 2, std::chrono::milliseconds(1000)}, 2,
            workers);
        auto a = service.open(*StreamKey::make("live", "a"));
        auto b = service.open(*StreamKey::make("live", "b"));
        QVERIFY(a && b);
        QVERIFY(a->id() != b->id());
        QVERIFY(service.open(*StreamKey::make("live", "c")) == nullptr); // bound: 2 windows
        QVERIFY(service.open(*StreamKey::make("live", "a")) == a);       // the same window
        a.reset();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        service.reap(); // window 0 s: a has no packager and is idle; b is still held
        QVERIFY(service.find(*StreamKey::make("live", "a")) == nullptr);
        QVERIFY(service.find(*StreamKey::make("live", "b")) != nullptr);
        QCOMPARE(service.statuses().size(), std::size_t(1));
        workers.join();
    }
};

QTEST_APPLESS_MAIN(tst_DvrStream)
#include "tst_DvrStream.moc"
