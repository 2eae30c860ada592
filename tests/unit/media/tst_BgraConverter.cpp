// YUV pictures as BGRA for libobs under a software renderer: limited-range BT.601 and BT.709
// red and blue come out as full-range primaries with the matrix the picture signals (the wrong
// matrix would tint them), full range stays full, NV12 works, an odd size is converted whole,
// and a layout it does not know gives nothing rather than garbage.

#include <QtTest>
#include <vector>

#include "media/BgraConverter.h"

using namespace stagecast::media;

namespace {

struct Yuv {
    int y, u, v;
};

/// A w x h I420 (or NV12) picture of one colour.
struct Picture {
    std::vector<std::uint8_t> y, u, v, uv;
    PictureView view;
    Picture(int w, int h, Yuv c, bool nv12 = false) {
        const int cw = (w + 1) / 2;
        const int ch = (h + 1) / 2;
        y.assign(static_cast<std::size_t>(w * h), static_cast<std::uint8_t>(c.y));
        view.width = w;
        view.height = h;
        view.planes[0] = y.data();
        view.linesize[0] = w;
        if (nv12) {
            for (int i = 0; i < cw * ch; ++i) {
                uv.push_back(static_cast<std::uint8_t>(c.u));
                uv.push_back(static_cast<std::uint8_t>(c.v));
            }
            view.layout = PictureLayout::Nv12;
            view.planes[1] = uv.data();
            view.linesize[1] = cw * 2;
        } else {
            u.assign(static_cast<std::size_t>(cw * ch), static_cast<std::uint8_t>(c.u));
            v.assign(static_cast<std::size_t>(cw * ch), static_cast<std::uint8_t>(c.v));
            view.layout = PictureLayout::Yuv420p;
            view.planes[1] = u.data();
            view.planes[2] = v.data();
            view.linesize[1] = cw;
            view.linesize[2] = cw;
        }
    }
};

bool near(int actual, int expected) {
    return std::abs(actual - expected) <= 3;
}

/// Every pixel of `bgra` (w x h) is (r, g, b) within 3 and opaque.
QString check(const std::uint8_t* bgra, int w, int h, int r, int g, int b) {
    if (bgra == nullptr) {
        return "no picture";
    }
    for (int i = 0; i < w * h; ++i) {
        const auto* p = bgra + static_cast<std::ptrdiff_t>(i) * 4;
        if (!near(p[2], r) || !near(p[1], g) || !near(p[0], b) || p[3] != 255) {
            return QString("pixel %1: rgba %2 %3 %4 %5, expected %6 %7 %8")
                .arg(i)
                .arg(p[2])
                .arg(p[1])
                .arg(p[0])
                .arg(p[3])
                .arg(r)
                .arg(g)
                .arg(b);
        }
    }
    return {};
}

} // namespace

class tst_BgraConverter : public QObject {
    Q_OBJECT

private slots:
    void bt601LimitedPrimaries() {
        BgraConverter c;
        Picture red(64, 36, {81, 90, 240});
        QString why = check(c.convert(red.view), 64, 36, 255, 0, 0);
        QVERIFY2(why.isEmpty(), qPrintable(why));
        Picture blue(64, 36, {41, 240, 110});
        why = check(c.convert(blue.view), 64, 36, 0, 0, 255);
        QVERIFY2(why.isEmpty(), qPrintable(why));
    }

    void bt709UsesItsOwnMatrix() {
        BgraConverter c;
        Picture red(64, 36, {63, 102, 240});
        red.view.bt709 = true;
        QString why = check(c.convert(red.view), 64, 36, 255, 0, 0);
        QVERIFY2(why.isEmpty(), qPrintable(why));
        red.view.bt709 = false; // the same bytes read as BT.601 are not red any more
        QVERIFY(!check(c.convert(red.view), 64, 36, 255, 0, 0).isEmpty());
    }

    void fullRangeStaysFull() {
        BgraConverter c;
        Picture white(32, 32, {255, 128, 128});
        white.view.fullRange = true;
        QString why = check(c.convert(white.view), 32, 32, 255, 255, 255);
        QVERIFY2(why.isEmpty(), qPrintable(why));
        Picture grey(32, 32, {128, 128, 128});
        grey.view.fullRange = true;
        why = check(c.convert(grey.view), 32, 32, 128, 128, 128);
        QVERIFY2(why.isEmpty(), qPrintable(why));
    }

    void nv12AndOddSizes() {
        BgraConverter c;
        Picture red(33, 17, {81, 90, 240}, true);
        QString why = check(c.convert(red.view), 33, 17, 255, 0, 0);
        QVERIFY2(why.isEmpty(), qPrintable(why));
    }

    void unsupportedLayoutGivesNothing() {
        BgraConverter c;
        Picture p(16, 16, {81, 90, 240});
        p.view.layout = PictureLayout::Unsupported;
        QVERIFY(c.convert(p.view) == nullptr);
        p.view.layout = PictureLayout::Yuv420p;
        p.view.width = 0;
        QVERIFY(c.convert(p.view) == nullptr);
    }
};

QTEST_GUILESS_MAIN(tst_BgraConverter)
#include "tst_BgraConverter.moc"
