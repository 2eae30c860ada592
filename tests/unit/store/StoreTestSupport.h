#pragma once
// Shared by the store tests: temporary databases, fixed instants, readable failures.

#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <filesystem>
#include <string>

#include "store/Database.h"
#include "store/Time.h"

namespace storetest {

/// 2026-01-01T00:00:00Z plus `seconds`.
inline stagecast::store::Time at(std::int64_t seconds) {
    return stagecast::store::fromUnixMs(1'767'225'600'000 + seconds * 1000);
}

inline std::filesystem::path dbPath(const QTemporaryDir& dir, const char* name = "stagecast.db") {
    return std::filesystem::path(dir.path().toStdString()) / name;
}

/// The error text of a failed Result (empty when it succeeded), for QVERIFY2 messages.
template <typename R>
std::string why(const R& result) {
    return result ? std::string() : result.error().message();
}

inline stagecast::base::Result<stagecast::store::Database>
openDb(const std::filesystem::path& path) {
    return stagecast::store::Database::open({path, std::chrono::milliseconds{5000}});
}

} // namespace storetest

/// QVERIFY2 on a Result/Status, showing its error.
#define STORE_VERIFY(expr)                                                                         \
    do {                                                                                           \
        const auto& storeVerifyResult = (expr);                                                    \
        QVERIFY2(static_cast<bool>(storeVerifyResult), storetest::why(storeVerifyResult).c_str()); \
    } while (false)
