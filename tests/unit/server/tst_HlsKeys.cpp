// HLS keys: a new key every N segments (or one until rotate() when N is 0), random ids and
// bytes, keys retired once no kept segment uses them (never the newest); and HlsKeyStore on a
// real folder: KEY_FOLDER/APP/STREAM/ID.key holds the 16 bytes with mode 0600 in folders of
// mode 0700, is marked stored only once written, is deleted by remove() and, when a previous
// run left it, by removeStale(); an unwritable folder leaves the key unstored.

#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include <boost/asio/thread_pool.hpp>

#include "server/hls/HlsKeyStore.h"
#include "server/hls/HlsKeys.h"

using namespace stagecast::server::hls;
namespace fs = std::filesystem;

namespace {

template <typename F>
bool waitFor(F done) {
    for (int i = 0; i < 500 && !done(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
}

std::vector<std::uint8_t> readAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

class tst_HlsKeys : public QObject {
    Q_OBJECT
private slots:
    void rotatesEveryNSegments() {
        HlsKeys keys(10);
        std::vector<std::shared_ptr<const HlsKey>> used;
        for (std::uint64_t seq = 0; seq < 25; ++seq) {
            auto k = keys.keyFor(seq);
            QVERIFY(k.has_value());
            used.push_back(*k);
        }
        for (std::uint64_t seq = 1; seq < 25; ++seq) {
            const bool rotated = seq % 10 == 0;
            QCOMPARE(used[seq] != used[seq - 1], rotated);
        }
        auto made = keys.takeNew();
        QCOMPARE(made.size(), std::size_t(3));
        std::set<std::string> ids;
        std::set<Aes128Key> bytes;
        for (const auto& k : made) {
            QCOMPARE(k->id.size(), std::size_t(16));
            QVERIFY(k->id.find_first_not_of("0123456789abcdef") == std::string::npos);
            QVERIFY(!k->stored);
            ids.insert(k->id);
            bytes.insert(k->bytes);
            QCOMPARE(keys.find(k->id), std::shared_ptr<const HlsKey>(k));
        }
        QCOMPARE(ids.size(), std::size_t(3));
        QCOMPARE(bytes.size(), std::size_t(3));
        QVERIFY(keys.takeNew().empty());
        QVERIFY(!keys.find("0000000000000000"));
    }

    void zeroMeansOneKeyUntilRotate() {
        HlsKeys keys(0);
        auto first = keys.keyFor(0);
        for (std::uint64_t seq = 1; seq < 100; ++seq) {
            QCOMPARE(*keys.keyFor(seq), *first);
        }
        keys.rotate(); // a new publisher
        QVERIFY(*keys.keyFor(100) != *first);
        QCOMPARE(keys.takeNew().size(), std::size_t(2));
    }

    void retiresKeysWithTheirSegments() {
        HlsKeys keys(2);
        for (std::uint64_t seq = 0; seq < 6; ++seq) { // keys A(0,1) B(2,3) C(4,5)
            QVERIFY(keys.keyFor(seq).has_value());
        }
        const auto made = keys.takeNew();
        QCOMPARE(made.size(), std::size_t(3));
        QVERIFY(keys.retire(1).empty()); // segment 1 still uses A
        auto gone = keys.retire(2);
        QCOMPARE(gone.size(), std::size_t(1));
        QCOMPARE(gone[0], made[0]);
        QVERIFY(!keys.find(made[0]->id));
        gone = keys.retire(100); // the newest stays: the next segment may use it
        QCOMPARE(gone.size(), std::size_t(1));
        QCOMPARE(gone[0], made[1]);
        QCOMPARE(keys.all().size(), std::size_t(1));
        QCOMPARE(keys.all()[0], made[2]);
    }

    void storeWritesPrivateFiles() {
        QTemporaryDir dir;
        const fs::path root = fs::path(dir.path().toStdString()) / "hls-keys";
        boost::asio::thread_pool workers(2);
        HlsKeyStore store(root, workers);
        HlsKeys keys(1);
        QVERIFY(keys.keyFor(0).has_value());
        auto key = keys.takeNew().at(0);
        store.store("live", "x", key);
        QVERIFY(waitFor([&] { return key->stored.load(); }));
        const auto file = root / "live" / "x" / (key->id + ".key");
        QCOMPARE(readAll(file), std::vector<std::uint8_t>(key->bytes.begin(), key->bytes.end()));
        QCOMPARE(fs::status(file).permissions(), fs::perms::owner_read | fs::perms::owner_write);
        for (const auto& folder : {root, root / "live", root / "live" / "x"}) {
            QCOMPARE(fs::status(folder).permissions(), fs::perms::owner_all);
        }
        QVERIFY(!fs::exists(file.string() + ".tmp"));
        store.remove("live", "x", key->id);
        QVERIFY(waitFor([&] { return !fs::exists(file); }));
        workers.join();
    }

    void staleKeysOfAPreviousRunAreRemoved() {
        QTemporaryDir dir;
        const fs::path root = fs::path(dir.path().toStdString());
        fs::create_directories(root / "live" / "x");
        const auto stale = root / "live" / "x" / "0123456789abcdef.key";
        const auto other = root / "live" / "x" / "notes.key";
        const auto shallow = root / "0123456789abcdef.key";
        for (const auto& p : {stale, other, shallow}) {
            std::ofstream(p) << "x";
        }
        boost::asio::thread_pool workers(1);
        HlsKeyStore store(root, workers);
        store.removeStale();
        workers.join();
        QVERIFY(!fs::exists(stale));
        QVERIFY(fs::exists(other));   // not a name the store writes
        QVERIFY(fs::exists(shallow)); // not at APP/STREAM depth
    }

    void unwritableFolderLeavesTheKeyUnstored() {
        boost::asio::thread_pool workers(1);
        HlsKeyStore store("/proc/stagecast-keys", workers);
        HlsKeys keys(1);
        QVERIFY(keys.keyFor(0).has_value());
        auto key = keys.takeNew().at(0);
        store.store("live", "x", key);
        workers.join();
        QVERIFY(!key->stored);
    }
};

QTEST_APPLESS_MAIN(tst_HlsKeys)
#include "tst_HlsKeys.moc"
