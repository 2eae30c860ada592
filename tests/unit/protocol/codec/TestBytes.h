#pragma once
/// Conversions between the byte tables of the tests and QByteArray / std::span.

#include <QByteArray>

#include <cstdint>
#include <span>
#include <vector>

namespace stagecast::test {

template <std::size_t N>
QByteArray qb(const std::uint8_t (&bytes)[N]) {
    return QByteArray(reinterpret_cast<const char*>(bytes), static_cast<qsizetype>(N));
}

inline QByteArray qb(const std::vector<std::uint8_t>& bytes) {
    return QByteArray(reinterpret_cast<const char*>(bytes.data()),
                      static_cast<qsizetype>(bytes.size()));
}

inline std::span<const std::uint8_t> view(const QByteArray& b) {
    return {reinterpret_cast<const std::uint8_t*>(b.constData()),
            static_cast<std::size_t>(b.size())};
}

} // namespace stagecast::test
