// Tests for type-A signed URLs: the published check vector, sign/verify round trips, expiry
// and window, key rotation, tampering, malformed auth_key forms, query decoding, and signing
// whole rtmp/http/srt URLs. Expected hashes were computed independently (Python hashlib).

#include <QtTest>

#include <optional>
#include <string>

#include "server/auth/SignedUrl.h"

using namespace stagecast::server::auth;

namespace {

// "primarykey123" signs these at expiry 1700000000 (2023-11-14T22:13:20Z), RAND 0, UID 0:
//   md5("/live/foo-1700000000-0-0-primarykey123")      = 216ce6dd87ebe5ac6ebc4144c534c195
//   md5("/live/foo.flv-1700000000-0-0-primarykey123")  = df5169415a1ce3c7ee026590e6bac2dc
//   md5("/live/foo.m3u8-1700000000-0-0-primarykey123") = c95600521e75086ba4a3aee52e6f396b
//   md5("/live/foo-1700000000-0-0-secondarykey456")    = 3ebc5b44c32eb64c7a4e084d5ccf314d
constexpr std::int64_t kExpires = 1700000000;
const QString kFooKey = "1700000000-0-0-216ce6dd87ebe5ac6ebc4144c534c195";
const QString kFlvKey = "1700000000-0-0-df5169415a1ce3c7ee026590e6bac2dc";
const QString kM3u8Key = "1700000000-0-0-c95600521e75086ba4a3aee52e6f396b";
const std::string kFooKeyBySecondary = "1700000000-0-0-3ebc5b44c32eb64c7a4e084d5ccf314d";

SigningKeys keys(std::string primary = "primarykey123", std::string secondary = {},
                 std::chrono::seconds window = std::chrono::seconds(0)) {
    return SigningKeys{std::move(primary), std::move(secondary), window};
}

QString errorOf(const stagecast::base::Status& status) {
    return status ? QString() : QString::fromStdString(status.error().message());
}

} // namespace

class tst_SignedUrl : public QObject {
    Q_OBJECT

private slots:
    void md5Hex_data();
    void md5Hex();
    void checkVector();
    void roundTrip_data();
    void roundTrip();
    void expiry_data();
    void expiry();
    void secondaryKey();
    void tampered_data();
    void tampered();
    void hashCaseInsensitive();
    void malformed_data();
    void malformed();
    void noKeyConfigured();
    void queryParam_data();
    void queryParam();
    void srtStreamIdParam_data();
    void srtStreamIdParam();
    void signUrl_data();
    void signUrl();
    void signUrlVerifies_data();
    void signUrlVerifies();
    void signUrlErrors_data();
    void signUrlErrors();
    void randomSecret();
};

void tst_SignedUrl::md5Hex_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("hash");

    // RFC 1321 appendix A.5 test suite.
    QTest::newRow("rfc1321 empty") << ""
                                   << "d41d8cd98f00b204e9800998ecf8427e";
    QTest::newRow("rfc1321 abc") << "abc"
                                 << "900150983cd24fb0d6963f7d28e17f72";
    QTest::newRow("rfc1321 message digest") << "message digest"
                                            << "f96b697d7cb7938d525a2f31aaf161d0";
    QTest::newRow("type A check vector") << "/video/standard-1622194197-0-0-aliyunliveexp1234"
                                         << "5552ff52b5e4e20387c6dc18afce206b";
}

void tst_SignedUrl::md5Hex() {
    QFETCH(QString, input);
    QFETCH(QString, hash);
    QCOMPARE(QString::fromStdString(stagecast::server::auth::md5Hex(input.toStdString())), hash);
}

void tst_SignedUrl::checkVector() {
    // URI /video/standard, TIMESTAMP 1622194197, RAND 0, UID 0, KEY aliyunliveexp1234.
    const SigningKeys k = keys("aliyunliveexp1234");
    const auto authKey = makeAuthKey("/video/standard", 1622194197, "0", "0", k);
    QCOMPARE(QString::fromStdString(authKey),
             QString("1622194197-0-0-5552ff52b5e4e20387c6dc18afce206b"));
    QVERIFY(verifyAuthKey("/video/standard", authKey, 1622194197, k));
    QCOMPARE(errorOf(verifyAuthKey("/video/standard", authKey, 1622194198, k)),
             QString("auth_key expired at 2021-05-28T09:29:57Z (now 2021-05-28T09:29:58Z)"));
}

void tst_SignedUrl::roundTrip_data() {
    QTest::addColumn<QString>("uri");
    QTest::addColumn<QString>("rand");
    QTest::addColumn<QString>("uid");

    QTest::newRow("rtmp path") << "/live/foo"
                               << "0"
                               << "0";
    QTest::newRow("flv path") << "/live/foo.flv"
                              << "477b3bbc253f467b8def6711128c7bec"
                              << "1";
    QTest::newRow("m3u8 path") << "/live/foo.m3u8"
                               << "abc"
                               << "user42";
    QTest::newRow("nested app") << "/live/sub/foo"
                                << "9"
                                << "0";
}

void tst_SignedUrl::roundTrip() {
    QFETCH(QString, uri);
    QFETCH(QString, rand);
    QFETCH(QString, uid);
    const auto k = keys();
    const auto authKey =
        makeAuthKey(uri.toStdString(), kExpires, rand.toStdString(), uid.toStdString(), k);
    QVERIFY(QString::fromStdString(authKey).startsWith("1700000000-" + rand + "-" + uid + "-"));
    QCOMPARE(authKey.size(), std::string("1700000000---").size() + rand.size() + uid.size() + 32);
    QCOMPARE(errorOf(verifyAuthKey(uri.toStdString(), authKey, kExpires - 100, k)), QString());
    QCOMPARE(errorOf(verifyAuthKey(uri.toStdString(), authKey, kExpires, k)), QString());
}

void tst_SignedUrl::expiry_data() {
    QTest::addColumn<int>("windowSeconds");
    QTest::addColumn<qint64>("now");
    QTest::addColumn<QString>("error");

    QTest::newRow("no window, at expiry") << 0 << qint64(kExpires) << "";
    QTest::newRow("no window, one second late")
        << 0 << qint64(kExpires + 1)
        << "auth_key expired at 2023-11-14T22:13:20Z (now 2023-11-14T22:13:21Z)";
    QTest::newRow("no window, long ago signed, now 1970") << 0 << qint64(0) << "";
    QTest::newRow("window 60, at end of window") << 60 << qint64(kExpires + 60) << "";
    QTest::newRow("window 60, past window")
        << 60 << qint64(kExpires + 61)
        << "auth_key expired at 2023-11-14T22:14:20Z (now 2023-11-14T22:14:21Z)";
    QTest::newRow("window 1 year, a day late") << 31536000 << qint64(kExpires + 86400) << "";
}

void tst_SignedUrl::expiry() {
    QFETCH(int, windowSeconds);
    QFETCH(qint64, now);
    QFETCH(QString, error);
    const auto k = keys("primarykey123", {}, std::chrono::seconds(windowSeconds));
    QCOMPARE(errorOf(verifyAuthKey("/live/foo", kFooKey.toStdString(), now, k)), error);
}

void tst_SignedUrl::secondaryKey() {
    // A URL signed with the old key stays valid while it is the secondary key...
    QCOMPARE(errorOf(verifyAuthKey("/live/foo", kFooKeyBySecondary, kExpires,
                                   keys("primarykey123", "secondarykey456"))),
             QString());
    // ...and one signed with the new primary is valid too.
    QCOMPARE(errorOf(verifyAuthKey("/live/foo", kFooKey.toStdString(), kExpires,
                                   keys("primarykey123", "secondarykey456"))),
             QString());
    // Once the old key is dropped, its URLs stop working.
    QCOMPARE(errorOf(verifyAuthKey("/live/foo", kFooKeyBySecondary, kExpires, keys())),
             QString("auth_key signature does not match"));
    // Only a secondary configured (primary empty) still verifies.
    QCOMPARE(errorOf(verifyAuthKey("/live/foo", kFooKeyBySecondary, kExpires,
                                   keys("", "secondarykey456"))),
             QString());
    // makeAuthKey always signs with the primary.
    QCOMPARE(makeAuthKey("/live/foo", kExpires, "0", "0", keys("secondarykey456", "primarykey123")),
             kFooKeyBySecondary);
}

void tst_SignedUrl::tampered_data() {
    QTest::addColumn<QString>("uri");
    QTest::addColumn<QString>("authKey");

    QTest::newRow("other stream") << "/live/bar" << kFooKey;
    QTest::newRow("other app") << "/vod/foo" << kFooKey;
    QTest::newRow("flv key used for rtmp uri") << "/live/foo" << kFlvKey;
    QTest::newRow("rtmp key used for flv uri") << "/live/foo.flv" << kFooKey;
    QTest::newRow("trailing slash") << "/live/foo/" << kFooKey;
    QTest::newRow("expiry pushed later") << "/live/foo"
                                         << "1800000000-0-0-216ce6dd87ebe5ac6ebc4144c534c195";
    QTest::newRow("timestamp with leading zero")
        << "/live/foo"
        << "01700000000-0-0-216ce6dd87ebe5ac6ebc4144c534c195";
    QTest::newRow("rand changed") << "/live/foo"
                                  << "1700000000-1-0-216ce6dd87ebe5ac6ebc4144c534c195";
    QTest::newRow("uid changed") << "/live/foo"
                                 << "1700000000-0-7-216ce6dd87ebe5ac6ebc4144c534c195";
    QTest::newRow("last hash digit flipped") << "/live/foo"
                                             << "1700000000-0-0-216ce6dd87ebe5ac6ebc4144c534c194";
}

void tst_SignedUrl::tampered() {
    QFETCH(QString, uri);
    QFETCH(QString, authKey);
    QCOMPARE(errorOf(verifyAuthKey(uri.toStdString(), authKey.toStdString(), kExpires, keys())),
             QString("auth_key signature does not match"));
}

void tst_SignedUrl::hashCaseInsensitive() {
    QCOMPARE(errorOf(verifyAuthKey("/live/foo", kFooKey.toUpper().toStdString(), kExpires, keys())),
             QString());
}

void tst_SignedUrl::malformed_data() {
    QTest::addColumn<QString>("authKey");

    const QString hash = "216ce6dd87ebe5ac6ebc4144c534c195";
    QTest::newRow("one part") << "garbage";
    QTest::newRow("three parts") << "1700000000-0-" + hash;
    QTest::newRow("five parts (dash in uid)") << "1700000000-0-a-b-" + hash;
    QTest::newRow("negative timestamp") << "-1-0-0-" + hash;
    QTest::newRow("empty timestamp") << "-0-0-" + hash;
    QTest::newRow("letter in timestamp") << "17000x0000-0-0-" + hash;
    QTest::newRow("plus in timestamp") << "+1700000000-0-0-" + hash;
    QTest::newRow("timestamp overflows int64") << "99999999999999999999-0-0-" + hash;
    QTest::newRow("empty rand") << "1700000000--0-" + hash;
    QTest::newRow("empty uid") << "1700000000-0--" + hash;
    QTest::newRow("empty hash") << "1700000000-0-0-";
    QTest::newRow("hash 31 chars") << "1700000000-0-0-" + hash.left(31);
    QTest::newRow("hash 33 chars") << "1700000000-0-0-" + hash + "0";
    QTest::newRow("hash not hex") << "1700000000-0-0-216ce6dd87ebe5ac6ebc4144c534c19g";
    QTest::newRow("trailing dash") << "1700000000-0-0-" + hash + "-";
}

void tst_SignedUrl::malformed() {
    QFETCH(QString, authKey);
    QCOMPARE(errorOf(verifyAuthKey("/live/foo", authKey.toStdString(), kExpires, keys())),
             QString("malformed auth_key: expected TIMESTAMP-RAND-UID-HASH"));
}

void tst_SignedUrl::noKeyConfigured() {
    QCOMPARE(errorOf(verifyAuthKey("/live/foo", std::nullopt, kExpires, keys())),
             QString("missing auth_key"));
    QCOMPARE(errorOf(verifyAuthKey("/live/foo", std::string_view(), kExpires, keys())),
             QString("missing auth_key"));
    QCOMPARE(errorOf(verifyAuthKey("/live/foo", kFooKey.toStdString(), kExpires, keys("", ""))),
             QString("no signing key configured"));
}

void tst_SignedUrl::queryParam_data() {
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("present");
    QTest::addColumn<QString>("value");

    QTest::newRow("single") << "auth_key=abc"
                            << "auth_key" << true << "abc";
    QTest::newRow("leading question mark") << "?auth_key=abc"
                                           << "auth_key" << true << "abc";
    QTest::newRow("second of three") << "a=1&auth_key=abc&b=2"
                                     << "auth_key" << true << "abc";
    QTest::newRow("absent") << "a=1&b=2"
                            << "auth_key" << false << "";
    QTest::newRow("empty query") << ""
                                 << "auth_key" << false << "";
    QTest::newRow("prefix of another name") << "auth_key_x=1"
                                            << "auth_key" << false << "";
    QTest::newRow("empty value") << "auth_key=&a=1"
                                 << "auth_key" << true << "";
    QTest::newRow("no equals sign") << "a&auth_key"
                                    << "auth_key" << true << "";
    QTest::newRow("first occurrence wins") << "k=first&k=second"
                                           << "k" << true << "first";
    QTest::newRow("percent decoded") << "k=a%2Fb%3Dc"
                                     << "k" << true << "a/b=c";
    QTest::newRow("lowercase hex escape") << "k=%2f"
                                          << "k" << true << "/";
    QTest::newRow("plus is space") << "k=a+b"
                                   << "k" << true << "a b";
    QTest::newRow("encoded plus") << "k=a%2Bb"
                                  << "k" << true << "a+b";
    QTest::newRow("utf8 escapes") << "k=%C3%A9"
                                  << "k" << true << QString::fromUtf8("\xc3\xa9");
    QTest::newRow("bad escape kept") << "k=100%zz"
                                     << "k" << true << "100%zz";
    QTest::newRow("truncated escape kept") << "k=50%2"
                                           << "k" << true << "50%2";
    QTest::newRow("lone percent kept") << "k=%"
                                       << "k" << true << "%";
    QTest::newRow("encoded name") << "auth%5Fkey=v"
                                  << "auth_key" << true << "v";
    QTest::newRow("value keeps later equals") << "k=a=b"
                                              << "k" << true << "a=b";
    QTest::newRow("empty pairs skipped") << "&&k=v&"
                                         << "k" << true << "v";
}

void tst_SignedUrl::queryParam() {
    QFETCH(QString, query);
    QFETCH(QString, name);
    QFETCH(bool, present);
    QFETCH(QString, value);
    const auto result =
        stagecast::server::auth::queryParam(query.toStdString(), name.toStdString());
    QCOMPARE(result.has_value(), present);
    if (present) {
        QCOMPARE(QString::fromStdString(*result), value);
    }
}

void tst_SignedUrl::srtStreamIdParam_data() {
    QTest::addColumn<QString>("streamId");
    QTest::addColumn<QString>("key");
    QTest::addColumn<bool>("present");
    QTest::addColumn<QString>("value");

    QTest::newRow("resource") << "#!::r=live/foo,m=publish"
                              << "r" << true << "live/foo";
    QTest::newRow("mode") << "#!::r=live/foo,m=publish"
                          << "m" << true << "publish";
    QTest::newRow("auth_key last") << "#!::r=live/foo,m=publish,auth_key=1-0-0-ab"
                                   << "auth_key" << true << "1-0-0-ab";
    QTest::newRow("absent key") << "#!::r=live/foo"
                                << "m" << false << "";
    QTest::newRow("not access-control form") << "live/foo"
                                             << "r" << false << "";
    QTest::newRow("key needs exact match") << "#!::rr=x"
                                           << "r" << false << "";
}

void tst_SignedUrl::srtStreamIdParam() {
    QFETCH(QString, streamId);
    QFETCH(QString, key);
    QFETCH(bool, present);
    QFETCH(QString, value);
    const auto result =
        stagecast::server::auth::srtStreamIdParam(streamId.toStdString(), key.toStdString());
    QCOMPARE(result.has_value(), present);
    if (present) {
        QCOMPARE(QString::fromStdString(*result), value);
    }
}

void tst_SignedUrl::signUrl_data() {
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");

    QTest::newRow("rtmp") << "rtmp://h:1935/live/foo"
                          << "rtmp://h:1935/live/foo?auth_key=" + kFooKey;
    QTest::newRow("rtmp no port") << "rtmp://h/live/foo"
                                  << "rtmp://h/live/foo?auth_key=" + kFooKey;
    QTest::newRow("rtmps") << "rtmps://h:443/live/foo"
                           << "rtmps://h:443/live/foo?auth_key=" + kFooKey;
    QTest::newRow("rtmp uppercase scheme kept") << "RTMP://h/live/foo"
                                                << "RTMP://h/live/foo?auth_key=" + kFooKey;
    QTest::newRow("rtmp keeps query") << "rtmp://h/live/foo?a=1&b=2"
                                      << "rtmp://h/live/foo?a=1&b=2&auth_key=" + kFooKey;
    QTest::newRow("rtmp replaces auth_key") << "rtmp://h/live/foo?auth_key=old&x=1"
                                            << "rtmp://h/live/foo?x=1&auth_key=" + kFooKey;
    QTest::newRow("rtmp ipv6 host") << "rtmp://[::1]:1935/live/foo"
                                    << "rtmp://[::1]:1935/live/foo?auth_key=" + kFooKey;
    QTest::newRow("http flv") << "http://h:8080/live/foo.flv"
                              << "http://h:8080/live/foo.flv?auth_key=" + kFlvKey;
    QTest::newRow("https m3u8") << "https://h/live/foo.m3u8"
                                << "https://h/live/foo.m3u8?auth_key=" + kM3u8Key;
    QTest::newRow("http fragment kept") << "http://h/live/foo.flv#t=1"
                                        << "http://h/live/foo.flv?auth_key=" + kFlvKey + "#t=1";
    QTest::newRow("srt") << "srt://h:10080?streamid=#!::r=live/foo,m=publish"
                         << "srt://h:10080?streamid=#!::r=live/foo,m=publish,auth_key=" + kFooKey;
    QTest::newRow("srt other params kept")
        << "srt://h:10080?latency=200000&streamid=#!::r=live/foo,m=request&mode=caller"
        << "srt://h:10080?latency=200000&streamid=#!::r=live/foo,m=request,auth_key=" + kFooKey +
               "&mode=caller";
    QTest::newRow("srt percent-encoded streamid")
        << "srt://h:10080?streamid=%23%21%3A%3Ar%3Dlive%2Ffoo%2Cm%3Dpublish"
        << "srt://h:10080?streamid=#!::r=live/foo,m=publish,auth_key=" + kFooKey;
    QTest::newRow("srt replaces auth_key")
        << "srt://h:10080?streamid=#!::auth_key=old,r=live/foo,m=publish"
        << "srt://h:10080?streamid=#!::r=live/foo,m=publish,auth_key=" + kFooKey;
    QTest::newRow("srt escapes ampersand in user")
        << "srt://h:10080?streamid=#!::r=live/foo,u=a%26b"
        << "srt://h:10080?streamid=#!::r=live/foo,u=a%26b,auth_key=" + kFooKey;
    QTest::newRow("srt slash before query")
        << "srt://h:10080/?streamid=#!::r=live/foo"
        << "srt://h:10080?streamid=#!::r=live/foo,auth_key=" + kFooKey;
}

void tst_SignedUrl::signUrl() {
    QFETCH(QString, url);
    QFETCH(QString, expected);
    const auto signedUrl = stagecast::server::auth::signUrl(url.toStdString(), kExpires, keys());
    QVERIFY2(signedUrl.has_value(), signedUrl ? "" : signedUrl.error().message().c_str());
    QCOMPARE(QString::fromStdString(*signedUrl), expected);
}

void tst_SignedUrl::signUrlVerifies_data() {
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("uri");
    QTest::addColumn<bool>("srt");

    QTest::newRow("rtmp") << "rtmp://h/app/s1?x=y"
                          << "/app/s1" << false;
    QTest::newRow("http flv") << "http://h/app/s1.flv"
                              << "/app/s1.flv" << false;
    QTest::newRow("http m3u8") << "http://h/app/s1.m3u8"
                               << "/app/s1.m3u8" << false;
    QTest::newRow("srt") << "srt://h:1?streamid=#!::r=app/s1,m=publish"
                         << "/app/s1" << true;
}

void tst_SignedUrl::signUrlVerifies() {
    // What signUrl hands out must pass the server's check, read back the way the server
    // reads it (query for rtmp/http, inside the stream id for srt).
    QFETCH(QString, url);
    QFETCH(QString, uri);
    QFETCH(bool, srt);
    const auto k = keys("k1", {}, std::chrono::seconds(0));
    const auto signedUrl = stagecast::server::auth::signUrl(url.toStdString(), kExpires, k);
    QVERIFY(signedUrl.has_value());
    const std::string query = signedUrl->substr(signedUrl->find('?') + 1);
    std::optional<std::string> authKey;
    if (srt) {
        const auto streamId = stagecast::server::auth::queryParam(query, "streamid");
        QVERIFY(streamId.has_value());
        authKey = stagecast::server::auth::srtStreamIdParam(*streamId, "auth_key");
    } else {
        authKey = stagecast::server::auth::queryParam(query, "auth_key");
    }
    QVERIFY(authKey.has_value());
    QCOMPARE(errorOf(verifyAuthKey(uri.toStdString(), *authKey, kExpires, k)), QString());
    QCOMPARE(errorOf(verifyAuthKey(uri.toStdString(), *authKey, kExpires, keys("k2"))),
             QString("auth_key signature does not match"));
}

void tst_SignedUrl::signUrlErrors_data() {
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("error");

    const QString srtHint = "srt URL needs ?streamid=#!::r=APP/STREAM,m=publish";
    QTest::newRow("ftp") << "ftp://h/live/foo"
                         << "unsupported scheme 'ftp': use rtmp, rtmps, http, https or srt";
    QTest::newRow("no scheme") << "h/live/foo"
                               << "URL 'h/live/foo' has no scheme: use rtmp, rtmps, http, https "
                                  "or srt";
    QTest::newRow("empty scheme") << "://h/live/foo"
                                  << "URL '://h/live/foo' has no scheme: use rtmp, rtmps, http, "
                                     "https or srt";
    QTest::newRow("rtmp no host") << "rtmp:///live/foo"
                                  << "rtmp URL needs a host";
    QTest::newRow("rtmp app only") << "rtmp://h:1935/live"
                                   << "rtmp URL needs /APP/STREAM";
    QTest::newRow("rtmp no path") << "rtmp://h:1935"
                                  << "rtmp URL needs /APP/STREAM";
    QTest::newRow("rtmp empty app") << "rtmp://h//foo"
                                    << "rtmp URL needs /APP/STREAM";
    QTest::newRow("rtmp trailing slash") << "rtmp://h/live/"
                                         << "rtmp URL needs /APP/STREAM";
    QTest::newRow("rtmp query only") << "rtmp://h?x=/live/foo"
                                     << "rtmp URL needs /APP/STREAM";
    QTest::newRow("http app only") << "http://h/live.flv"
                                   << "http URL needs /APP/STREAM.flv or /APP/STREAM.m3u8";
    QTest::newRow("srt no streamid") << "srt://h:10080" << srtHint;
    QTest::newRow("srt other params only") << "srt://h:10080?latency=20" << srtHint;
    QTest::newRow("srt plain streamid") << "srt://h:10080?streamid=live/foo"
                                        << srtHint + " (the stream id must use the '#!::' form)";
    QTest::newRow("srt no resource")
        << "srt://h:10080?streamid=#!::m=publish" << srtHint + " (r= must be APP/STREAM)";
    QTest::newRow("srt resource without stream")
        << "srt://h:10080?streamid=#!::r=live" << srtHint + " (r= must be APP/STREAM)";
    QTest::newRow("srt with path") << "srt://h:10080/live/foo"
                                   << "srt URL takes no path: put the stream in "
                                      "?streamid=#!::r=APP/STREAM,m=publish";
    QTest::newRow("srt streamid too long")
        << "srt://h:10080?streamid=#!::r=live/foo,u=" + QString(460, QLatin1Char('u'))
        << "signed srt streamid would be 534 characters; SRT allows at most 512";
}

void tst_SignedUrl::signUrlErrors() {
    QFETCH(QString, url);
    QFETCH(QString, error);
    const auto result = stagecast::server::auth::signUrl(url.toStdString(), kExpires, keys());
    QVERIFY(!result.has_value());
    QCOMPARE(QString::fromStdString(result.error().message()), error);
}

void tst_SignedUrl::randomSecret() {
    const auto a = stagecast::server::auth::randomSecret();
    const auto b = stagecast::server::auth::randomSecret();
    QCOMPARE(a.size(), std::size_t(32));
    QVERIFY(QRegularExpression("^[0-9a-f]{32}$").match(QString::fromStdString(a)).hasMatch());
    QVERIFY(a != b); // 2^-128 chance of a false failure
    QCOMPARE(stagecast::server::auth::randomSecret(4).size(), std::size_t(8));
    QCOMPARE(stagecast::server::auth::randomSecret(0), std::string());
}

QTEST_APPLESS_MAIN(tst_SignedUrl)
#include "tst_SignedUrl.moc"
