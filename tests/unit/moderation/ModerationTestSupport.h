#pragma once
// Shared by the moderation service tests: a real SQLite store in a temporary folder, the
// writer thread, and fake clocks the test moves by hand.

#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <memory>
#include <string>

#include "moderation/ItemStore.h"
#include "moderation/ModerationTypes.h"
#include "store/Database.h"
#include "store/StoreWriter.h"

namespace modtest {

struct FakeClocks {
    std::shared_ptr<stagecast::stream::SteadyTime> steady =
        std::make_shared<stagecast::stream::SteadyTime>();
    // 2026-01-01T00:00:00Z
    std::shared_ptr<std::chrono::system_clock::time_point> wall =
        std::make_shared<std::chrono::system_clock::time_point>(
            std::chrono::milliseconds{1'767'225'600'000});

    stagecast::moderation::Clocks clocks() const {
        return {[s = steady] { return *s; }, [w = wall] { return *w; }};
    }
    void advance(std::chrono::milliseconds by) {
        *steady += by;
        *wall += by;
    }
};

/// A migrated database with its writer and an ItemStore over it.
class TestStore {
public:
    TestStore() {
        auto db = stagecast::store::Database::open(
            {std::filesystem::path(dir_.path().toStdString()) / "stagecast.db",
             std::chrono::milliseconds{5000}});
        if (!db) {
            qFatal("open: %s", db.error().message().c_str());
        }
        writer_ = std::make_unique<stagecast::store::StoreWriter>(std::move(*db));
        items_ = std::make_unique<stagecast::moderation::ItemStore>(*writer_);
    }

    stagecast::store::StoreWriter& writer() { return *writer_; }
    stagecast::moderation::ItemStore& items() { return *items_; }

private:
    QTemporaryDir dir_;
    std::unique_ptr<stagecast::store::StoreWriter> writer_;
    std::unique_ptr<stagecast::moderation::ItemStore> items_;
};

template <typename R>
std::string why(const R& result) {
    return result ? std::string() : result.error().message;
}

} // namespace modtest

#define MOD_VERIFY(expr)                                                                           \
    do {                                                                                           \
        const auto& modVerifyResult = (expr);                                                      \
        QVERIFY2(static_cast<bool>(modVerifyResult), modtest::why(modVerifyResult).c_str());       \
    } while (false)
