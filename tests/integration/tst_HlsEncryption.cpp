// Encrypted HLS (hls.encrypt, AES-128) from the real studio with play auth on: ffmpeg plays
// the signed playlist (H.264 320x240 frames decoded) and fails without a valid token; every
// segment has its EXT-X-KEY with its own IV and keys rotate; a segment fetched over HTTP is
// not MPEG-TS while decrypting it with the served key gives MPEG-TS; the key URL answers 403
// without a viewer session or signed URL; the key file is 0600 in a 0700 folder of the data
// folder, old keys are deleted, its hex never appears in the log; the hls.folder output is
// encrypted with key URIs pointing at the studio; LL-HLS is not served. hls.js in headless
// Chromium (tests/browser, `npm ci` there) plays the signed encrypted stream too.

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <memory>

#include <openssl/evp.h>

#include "FfTools.h"
#include "Http.h"
#include "StudioProcess.h"

using namespace stagecast::test;
namespace fs = std::filesystem;

namespace {

struct KeyedSegment {
    QString uri;
    QString keyUri;
    QByteArray iv; // 16 bytes
};

struct Playlist {
    qint64 sequence = -1;
    QList<KeyedSegment> segments;
    int keyLines = 0;
};

Playlist parse(const QByteArray& body) {
    static const QRegularExpression keyTag(
        "^#EXT-X-KEY:METHOD=AES-128,URI=\"([^\"]+)\",IV=0x([0-9A-Fa-f]{32})$");
    Playlist p;
    KeyedSegment pending;
    for (const auto& raw : QString::fromUtf8(body).split('\n', Qt::SkipEmptyParts)) {
        const auto line = raw.trimmed();
        if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
            p.sequence = line.mid(22).toLongLong();
        } else if (auto m = keyTag.match(line); m.hasMatch()) {
            ++p.keyLines;
            pending.keyUri = m.captured(1);
            pending.iv = QByteArray::fromHex(m.captured(2).toLatin1());
        } else if (!line.startsWith('#')) {
            pending.uri = line;
            p.segments << pending;
        }
    }
    return p;
}

/// True when `data` looks like MPEG-TS: whole 188-byte packets, each starting with 0x47.
bool isMpegTs(const QByteArray& data) {
    if (data.isEmpty() || data.size() % 188 != 0) {
        return false;
    }
    for (qsizetype i = 0; i < data.size(); i += 188) {
        if (static_cast<unsigned char>(data[i]) != 0x47) {
            return false;
        }
    }
    return true;
}

QByteArray decrypt(const QByteArray& sealed, const QByteArray& key, const QByteArray& iv) {
    std::unique_ptr<EVP_CIPHER_CTX, void (*)(EVP_CIPHER_CTX*)> ctx(EVP_CIPHER_CTX_new(),
                                                                   EVP_CIPHER_CTX_free);
    QByteArray out(sealed.size() + 16, '\0');
    int n = 0;
    int last = 0;
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    if (key.size() != 16 || iv.size() != 16 ||
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_128_cbc(), nullptr,
                           reinterpret_cast<const unsigned char*>(key.constData()),
                           reinterpret_cast<const unsigned char*>(iv.constData())) != 1 ||
        EVP_DecryptUpdate(ctx.get(), o, &n,
                          reinterpret_cast<const unsigned char*>(sealed.constData()),
                          static_cast<int>(sealed.size())) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), o + n, &last) != 1) {
        return {};
    }
    out.resize(n + last);
    return out;
}

QUrl openSession(const QString& playlistUrl) {
    auto r = httpGetNoRedirect(playlistUrl);
    if (r.status != 302 || !r.location.contains("hls_session=")) {
        qWarning("no session: %d %s", r.status, r.body.constData());
        return {};
    }
    return QUrl(playlistUrl).resolved(QUrl(r.location));
}

QStringList keyFiles(const QString& folder) {
    QStringList out;
    std::error_code ec;
    for (const auto& e : fs::recursive_directory_iterator(folder.toStdString(), ec)) {
        if (e.path().extension() == ".key") {
            out << QString::fromStdString(e.path().string());
        }
    }
    return out;
}

} // namespace

class tst_HlsEncryption : public QObject {
    Q_OBJECT

    StudioProcess studio; // encrypt on, play auth on
    std::unique_ptr<QProcess> publisher;
    QTemporaryDir dir;

    QString hlsUrl(const QString& stream) const {
        return QString("http://127.0.0.1:%1/%2.m3u8").arg(studio.httpPort()).arg(stream);
    }
    QString keyFolder() const { return QDir(studio.dataDir()).filePath("hls-keys"); }

private slots:
    void initTestCase() {
        QVERIFY(dir.isValid());
        studio.setConfig("[auth]\nplay = true\n[hls]\nencrypt = true\nsegment_ms = 1000\n"
                         "key_rotate_segments = 2\n");
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        PublisherSpec spec;
        spec.url = studio.sign(studio.rtmpUrl("live/x"));
        spec.seconds = 120;
        spec.size = "320x240";
        spec.gopFrames = 30; // a keyframe every second
        spec.videoBitrate = "400k";
        publisher = Ffmpeg::publish(spec);
        QVERIFY2(studio.waitForLog("publishes live/x", 15000), qPrintable(studio.log()));
    }

    void ffmpegPlaysWithAToken() {
        const auto url = studio.sign(hlsUrl("live/x"));
        QVERIFY(url.contains("auth_key="));
        auto decoded = Ffmpeg::decode(url, 3);
        QVERIFY2(decoded.videoFrames > 0, qPrintable(decoded.log.right(2000)));
        qInfo("ffmpeg decoded %d frames of the encrypted stream in 3 s", decoded.videoFrames);
        QCOMPARE(decoded.decodeErrors, 0);
        QString err;
        auto probe = Ffmpeg::probe(url, &err);
        bool video = false;
        for (const auto& s : probe.value("streams").toArray()) {
            const auto o = s.toObject();
            if (o.value("codec_type").toString() == "video") {
                video = true;
                QCOMPARE(o.value("codec_name").toString(), QString("h264"));
                QCOMPARE(o.value("width").toInt(), 320);
                QCOMPARE(o.value("height").toInt(), 240);
            }
        }
        QVERIFY2(video, qPrintable(err));
    }

    void ffmpegFailsWithoutAValidToken() {
        auto bare = Ffmpeg::decode(hlsUrl("live/x"), 2, 30000);
        QCOMPARE(bare.videoFrames, 0);
        QVERIFY(bare.exitCode != 0);
        QVERIFY2(bare.log.contains("403"), qPrintable(bare.log.right(1000)));
        auto forged = studio.sign(hlsUrl("live/x"));
        forged.replace(QRegularExpression("-[0-9a-f]{32}$"), "-00000000000000000000000000000000");
        auto refused = Ffmpeg::decode(forged, 2, 30000);
        QCOMPARE(refused.videoFrames, 0);
        QVERIFY(refused.exitCode != 0);
    }

    void everySegmentHasItsKeyAndIv() {
        const auto session = openSession(studio.sign(hlsUrl("live/x")));
        QVERIFY(!session.isEmpty());
        auto r = httpRequest("GET", session.toString());
        QCOMPARE(r.status, 200);
        const auto p = parse(r.body);
        QVERIFY2(p.segments.size() >= 2, r.body.constData());
        QCOMPARE(p.keyLines, p.segments.size()); // an EXT-X-KEY before every segment
        QSet<QByteArray> ivs;
        QSet<QString> keys;
        for (const auto& s : p.segments) {
            QVERIFY2(s.keyUri.startsWith("x/key/") && s.keyUri.contains(".key?hls_session="),
                     qPrintable(s.keyUri));
            ivs.insert(s.iv);
            keys.insert(s.keyUri);
        }
        QCOMPARE(ivs.size(), p.segments.size());
        if (p.segments.size() >= 3) {
            QVERIFY2(keys.size() >= 2, r.body.constData()); // a new key every 2 segments
        }
    }

    void segmentsAreEncryptedAndTheKeyDecryptsThem() {
        const auto session = openSession(studio.sign(hlsUrl("live/x")));
        QVERIFY(!session.isEmpty());
        auto r = httpRequest("GET", session.toString());
        QCOMPARE(r.status, 200);
        const auto p = parse(r.body);
        QVERIFY(!p.segments.isEmpty());
        const auto& last = p.segments.last();
        auto segment = httpRequest("GET", r.url.resolved(QUrl(last.uri)).toString());
        QCOMPARE(segment.status, 200);
        QVERIFY(segment.body.size() > 1000);
        QVERIFY2(!isMpegTs(segment.body), "the segment is served in the clear");
        auto key = httpRequest("GET", r.url.resolved(QUrl(last.keyUri)).toString());
        QCOMPARE(key.status, 200);
        QCOMPARE(key.contentType, QString("application/octet-stream"));
        QCOMPARE(key.body.size(), 16);
        const auto clear = decrypt(segment.body, key.body, last.iv);
        QVERIFY2(isMpegTs(clear), "the served key does not decrypt the segment to MPEG-TS");
        // The decrypted segment plays.
        const auto file = dir.filePath("clear.ts");
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(clear);
        f.close();
        QString err;
        const auto probe = Ffmpeg::probe(file, &err);
        QVERIFY2(probe.value("streams").toArray().size() >= 1, qPrintable(err));

        // The key on disk: KEY_FOLDER/APP/STREAM/ID.key, 0600 in 0700 folders, same bytes.
        const auto id = QUrl(last.keyUri).path().section('/', -1);
        const auto path = QDir(keyFolder()).filePath("live/x/" + id);
        QFile stored(path);
        QVERIFY2(stored.open(QIODevice::ReadOnly), qPrintable(path));
        QCOMPARE(stored.readAll(), key.body);
        QCOMPARE(fs::status(path.toStdString()).permissions(),
                 fs::perms::owner_read | fs::perms::owner_write);
        for (const auto& folder : {keyFolder(), keyFolder() + "/live", keyFolder() + "/live/x"}) {
            QCOMPARE(fs::status(folder.toStdString()).permissions(), fs::perms::owner_all);
        }
        // Never logged, in either case.
        const auto log = studio.log();
        QVERIFY(!log.contains(QString::fromLatin1(key.body.toHex()), Qt::CaseInsensitive));
    }

    void theKeyNeedsASessionOrAToken() {
        const auto signedUrl = studio.sign(hlsUrl("live/x"));
        const auto session = openSession(signedUrl);
        QVERIFY(!session.isEmpty());
        auto r = httpRequest("GET", session.toString());
        const auto p = parse(r.body);
        QVERIFY(!p.segments.isEmpty());
        auto keyUrl = r.url.resolved(QUrl(p.segments.last().keyUri));
        QCOMPARE(httpRequest("GET", keyUrl.toString()).status, 200);

        auto bare = keyUrl;
        bare.setQuery(QString());
        auto refused = httpRequest("GET", bare.toString());
        QCOMPARE(refused.status, 403);
        QVERIFY2(refused.body.contains("hls_session") && refused.body.contains("auth_key"),
                 refused.body.constData());
        QVERIFY(refused.body.size() < 200); // a short reason, no key

        auto forged = keyUrl;
        forged.setQuery("hls_session=00000000000000000000000000000000");
        refused = httpRequest("GET", forged.toString());
        QCOMPARE(refused.status, 403);
        QVERIFY2(refused.body.contains("expired hls_session"), refused.body.constData());

        // The playlist's signed token also opens the key.
        auto withToken = keyUrl;
        withToken.setQuery(QUrl(signedUrl).query());
        auto ok = httpRequest("GET", withToken.toString());
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.body.size(), 16);
        auto badToken = keyUrl;
        badToken.setQuery(QUrl(signedUrl).query().replace(QRegularExpression("-[0-9a-f]{32}$"),
                                                          "-ffffffffffffffffffffffffffffffff"));
        refused = httpRequest("GET", badToken.toString());
        QCOMPARE(refused.status, 403);
        QVERIFY2(refused.body.contains("signature"), refused.body.constData());

        // A player that has the playlist and the segments but no way to the key decodes
        // nothing: a local, fixed copy of the playlist with absolute segment URLs, once with
        // the key URLs as served (it plays) and once with their credentials removed.
        auto decodeCopy = [&](bool keyCredentials, const QString& name) {
            const auto now = httpRequest("GET", session.toString()); // segments still kept
            QString text;
            for (const auto& raw : QString::fromUtf8(now.body).split('\n')) {
                auto line = raw;
                if (line.startsWith("#EXT-X-KEY:")) {
                    static const QRegularExpression uri("URI=\"([^\"?]+)(\\?[^\"]*)?\"");
                    auto m = uri.match(line);
                    const auto kept = keyCredentials ? m.captured(2) : QString();
                    line.replace(m.capturedStart(), m.capturedLength(),
                                 "URI=\"" + now.url.resolved(QUrl(m.captured(1))).toString() +
                                     kept + "\"");
                } else if (!line.isEmpty() && !line.startsWith('#')) {
                    line = now.url.resolved(QUrl(line)).toString();
                }
                text += line + "\n";
            }
            text += "#EXT-X-ENDLIST\n"; // fixed: ffmpeg reads it once and ends
            const auto copy = dir.filePath(name);
            QFile f(copy);
            if (!f.open(QIODevice::WriteOnly)) {
                return QString("cannot write ") + copy;
            }
            f.write(text.toUtf8());
            f.close();
            QString log = "(ffmpeg timed out)";
            Ffmpeg::run({"-hide_banner", "-protocol_whitelist", "file,http,tcp,crypto", "-i", copy,
                         "-map", "0:v:0?", "-f", "null", "-"},
                        &log, 60000);
            return log;
        };
        static const QRegularExpression frames("frame=\\s*([1-9]\\d*)");
        const auto played = decodeCopy(true, "withkey.m3u8");
        QVERIFY2(frames.match(played).hasMatch(), qPrintable(played.right(2000)));
        const auto blind = decodeCopy(false, "nokey.m3u8");
        QVERIFY2(!frames.match(blind).hasMatch(), qPrintable(blind.right(2000)));
        QVERIFY2(blind.contains("key file", Qt::CaseInsensitive), qPrintable(blind.right(2000)));
    }

    void oldKeysAreDeleted() {
        // Window 6 + 4 kept = 10 segments under at most 6 keys (a new key every 2 segments):
        // once 20 segments were made, the first keys must be gone from the folder.
        const auto session = openSession(studio.sign(hlsUrl("live/x")));
        QVERIFY(!session.isEmpty());
        Playlist p;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 60000 && p.sequence < 14) {
            p = parse(httpRequest("GET", session.toString()).body);
            QTest::qWait(500);
        }
        QVERIFY2(p.sequence >= 14, qPrintable(studio.log().right(1500)));
        const auto files = keyFiles(keyFolder());
        QVERIFY2(!files.isEmpty() && files.size() <= 7, qPrintable(files.join('\n')));
    }

    void folderOutputIsEncryptedToo() {
        // hls.folder: the same encrypted segments on disk; index.m3u8's key URIs point at the
        // studio without a credential, and a token signed for the playlist opens them.
        StudioProcess disk;
        disk.setConfig("[server]\npublic_host = \"127.0.0.1\"\n[hls]\nmode = \"always\"\n"
                       "segment_ms = 1000\nfolder = \"hls-out\"\nencrypt = true\n");
        QVERIFY2(disk.start(), qPrintable(disk.error()));
        PublisherSpec spec;
        spec.url = disk.sign(disk.rtmpUrl("live/f"));
        spec.seconds = 40;
        spec.size = "320x240";
        spec.gopFrames = 30;
        spec.videoBitrate = "400k";
        auto pub = Ffmpeg::publish(spec);
        QVERIFY(disk.waitForLog("publishes live/f", 15000));
        const QDir out(QDir(disk.dataDir()).filePath("hls-out/live/f"));
        auto readIndex = [&] {
            QFile f(out.filePath("index.m3u8"));
            return f.open(QIODevice::ReadOnly) ? parse(f.readAll()) : Playlist{};
        };
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 30000 && readIndex().segments.size() < 2) {
            QTest::qWait(300);
        }
        const auto p = readIndex();
        QVERIFY2(p.segments.size() >= 2, qPrintable(disk.log().right(1500)));
        const auto& last = p.segments.last();
        const auto prefix = QString("http://127.0.0.1:%1/live/f/key/").arg(disk.httpPort());
        QVERIFY2(last.keyUri.startsWith(prefix) && !last.keyUri.contains('?'),
                 qPrintable(last.keyUri));
        QFile file(out.filePath(last.uri));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto sealed = file.readAll();
        QVERIFY2(!isMpegTs(sealed), "the folder's segment is in the clear");
        QCOMPARE(httpRequest("GET", last.keyUri).status, 403);
        const auto token =
            QUrl(disk.sign(QString("http://127.0.0.1:%1/live/f.m3u8").arg(disk.httpPort())))
                .query();
        auto key = httpRequest("GET", last.keyUri + "?" + token);
        QCOMPARE(key.status, 200);
        QVERIFY(isMpegTs(decrypt(sealed, key.body, last.iv)));
        pub->kill();
        pub->waitForFinished();
        QCOMPARE(disk.stop(), 0);
    }

    void hlsJsPlaysTheEncryptedStream() {
        const QString browserDir = QStringLiteral(STAGECAST_SOURCE_DIR "/tests/browser");
        QVERIFY2(QFileInfo::exists(browserDir + "/node_modules/hls.js/dist/hls.min.js"),
                 "run: npm ci --prefix tests/browser (scripts/test.sh does)");
        QProcess node;
        node.setWorkingDirectory(browserDir);
        node.start("node",
                   {"hls-latency.mjs", studio.sign(hlsUrl("live/x")), "8", "--no-low-latency"});
        QVERIFY(node.waitForFinished(120000));
        const auto out = node.readAllStandardOutput();
        QVERIFY2(node.exitCode() == 0, (out + node.readAllStandardError()).constData());
        const auto r = QJsonDocument::fromJson(out.trimmed().split('\n').last()).object();
        const auto text = QJsonDocument(r).toJson(QJsonDocument::Compact);
        QVERIFY2(r.value("errors").toArray().isEmpty(), text.constData());
        QVERIFY2(r.value("frames").toInt() > 0, text.constData());
        QCOMPARE(r.value("width").toInt(), 320);
        QCOMPARE(r.value("height").toInt(), 240);
        qInfo("hls.js decoded %d frames (%d dropped) of the encrypted stream in 8 s",
              r.value("frames").toInt(), r.value("dropped").toInt());
    }

    void llHlsIsNotServedWhileEncrypted() {
        const auto url =
            studio.sign(QString("http://127.0.0.1:%1/live/x/ll.m3u8").arg(studio.httpPort()));
        auto r = httpGetNoRedirect(url);
        QCOMPARE(r.status, 404);
        QVERIFY2(r.body.contains("hls.encrypt"), r.body.constData());
    }

    void cleanupTestCase() {
        if (publisher) {
            publisher->kill();
            publisher->waitForFinished();
        }
        QCOMPARE(studio.stop(), 0);
        // The segments are gone with the studio: so are their keys.
        QVERIFY2(keyFiles(keyFolder()).isEmpty(), qPrintable(keyFiles(keyFolder()).join('\n')));
    }
};

QTEST_GUILESS_MAIN(tst_HlsEncryption)
#include "tst_HlsEncryption.moc"
