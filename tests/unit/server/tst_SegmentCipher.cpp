// AES-128-CBC for HLS segments: a NIST SP 800-38A known answer (the mode and key size are
// what RFC 8216 METHOD=AES-128 means), PKCS#7 padding lengths, decryption with OpenSSL EVP
// gives the input back for sizes around the block size, and the random generator's output.

#include <QTest>

#include <numeric>

#include "HlsDecrypt.h"
#include "HlsTestPackets.h"
#include "server/hls/SegmentCipher.h"

using namespace stagecast::server::hls;
using stagecast::test::hls::decryptAes128;
using stagecast::test::hls::hex;

namespace {

template <std::size_t N>
std::array<std::uint8_t, N> arrayOf(const char* text) {
    auto bytes = hex(text);
    std::array<std::uint8_t, N> out{};
    std::copy_n(bytes.begin(), N, out.begin());
    return out;
}

} // namespace

class tst_SegmentCipher : public QObject {
    Q_OBJECT
private slots:
    void nistCbcKnownAnswer() {
        // SP 800-38A F.2.1 CBC-AES128.Encrypt, blocks 1 and 2.
        const auto key = arrayOf<16>("2b7e151628aed2a6abf7158809cf4f3c");
        const auto iv = arrayOf<16>("000102030405060708090a0b0c0d0e0f");
        const auto clear = hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
        auto sealed = encryptSegment(clear, key, iv);
        QVERIFY(sealed.has_value());
        QCOMPARE(sealed->size(), std::size_t(48)); // two blocks + a whole block of padding
        QCOMPARE(std::vector<std::uint8_t>(sealed->begin(), sealed->begin() + 32),
                 hex("7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"));
    }

    void roundTrip_data() {
        QTest::addColumn<int>("size");
        for (int size : {0, 1, 15, 16, 17, 188, 188 * 700}) {
            QTest::addRow("%d bytes", size) << size;
        }
    }

    void roundTrip() {
        QFETCH(int, size);
        std::vector<std::uint8_t> clear(static_cast<std::size_t>(size));
        std::iota(clear.begin(), clear.end(), std::uint8_t(0x47));
        auto key = random16();
        auto iv = random16();
        QVERIFY(key && iv);
        auto sealed = encryptSegment(clear, *key, *iv);
        QVERIFY(sealed.has_value());
        QCOMPARE(sealed->size(), (clear.size() / 16 + 1) * 16);
        auto back = decryptAes128(*sealed, *key, *iv);
        QVERIFY(back.has_value());
        QCOMPARE(*back, clear);
        auto otherIv = *iv;
        otherIv[0] ^= 1;
        // A different IV changes (at least) the first block.
        auto wrong = decryptAes128(*sealed, *key, otherIv);
        QVERIFY(!wrong || *wrong != clear || clear.empty());
    }

    void randomBytesDiffer() {
        auto a = random16();
        auto b = random16();
        QVERIFY(a && b);
        QVERIFY(*a != *b);
        QVERIFY(*a != (std::array<std::uint8_t, 16>{}));
    }
};

QTEST_APPLESS_MAIN(tst_SegmentCipher)
#include "tst_SegmentCipher.moc"
