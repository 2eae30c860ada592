// The operator window (ui::DirectorWindow, issue 6) driving a real studio under Xvfb: a
// studio process with the director and two ffmpeg publishes (solid red, solid blue); the
// window in this process talks to its control API and decodes its program and preview
// streams. Clicking an input puts it in preview, CUT takes it to program (the program
// monitor's picture turns that colour, the buttons show the tally), the T-bar completes a
// take, the mixer's slider sets the volume, a layout button sets a 2x2, and a refused
// command shows the API's message in the status line.

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QtTest>

#include "DirectorApi.h"
#include "services/DirectorModel.h"
#include "services/StreamMonitor.h"
#include "services/StudioClient.h"
#include "ui/AddInputDialog.h"
#include "ui/AddOverlayDialog.h"
#include "ui/DirectorWindow.h"

using namespace stagecast;
using namespace stagecast::test;

namespace {

Rgb centreOf(const QImage& image) {
    if (image.isNull()) {
        return {};
    }
    const QColor c = image.pixelColor(image.width() / 2, image.height() / 2);
    return {c.red(), c.green(), c.blue()};
}

bool isGreen(const Rgb& c) {
    return c.g > 150 && c.r < 80 && c.b < 80;
}

bool isWhite(const Rgb& c) {
    return c.r > 200 && c.g > 200 && c.b > 200;
}

} // namespace

class tst_DirectorWindow : public QObject {
    Q_OBJECT

    DirectorApi api;
    std::unique_ptr<services::StudioClient> client;
    std::unique_ptr<services::DirectorModel> model;
    std::unique_ptr<services::StreamMonitor> preview;
    std::unique_ptr<services::StreamMonitor> program;
    std::unique_ptr<ui::DirectorWindow> window;

    QPushButton* button(const QString& name) { return window->findChild<QPushButton*>(name); }
    QString previewMain() {
        return api.state().value("preview").toObject().value("main").toString();
    }
    QString programMain() {
        return api.state().value("program").toObject().value("main").toString();
    }

private slots:
    void initTestCase() {
        QVERIFY2(api.start(), qPrintable(api.error()));
        api.publish({.stream = "live/red", .colour = "red"});
        api.publish({.stream = "live/blue", .colour = "blue"});
        QVERIFY2(api.waitForLive({"live/red", "live/blue"}), qPrintable(api.error()));
        QString token;
        QString err;
        QCOMPARE(runStagecast({"api-token", "--data-dir", api.studio().dataDir()}, &token, &err),
                 0);
        client = std::make_unique<services::StudioClient>(api.url(""), token.trimmed());
        model = std::make_unique<services::DirectorModel>(*client);
        preview =
            std::make_unique<services::StreamMonitor>(api.studio().flvUrl("live/preview"), 320);
        program = std::make_unique<services::StreamMonitor>(api.programUrl(), 320);
        window = std::make_unique<ui::DirectorWindow>(*model, preview.get(), program.get());
        window->show();
        model->start();
        preview->start();
        program->start();
    }

    void inputsAppear() {
        QTRY_VERIFY_WITH_TIMEOUT(button("input:live/red") && button("input:live/blue"), 20000);
    }

    void clickPreviewThenCut() {
        QTest::mouseClick(button("input:live/red"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(previewMain(), QString("live/red"), 10000);
        QTest::mouseClick(button("cutButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(programMain(), QString("live/red"), 10000);
        QTRY_VERIFY2_WITH_TIMEOUT(
            isRed(centreOf(window->programMonitor()->picture())),
            qPrintable(toString(centreOf(window->programMonitor()->picture())) + " " +
                       program->problem()),
            30000);

        QTest::mouseClick(button("input:live/blue"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(previewMain(), QString("live/blue"), 10000);
        QTRY_VERIFY2_WITH_TIMEOUT(
            isBlue(centreOf(window->previewMonitor()->picture())),
            qPrintable(toString(centreOf(window->previewMonitor()->picture())) + " " +
                       preview->problem()),
            30000);
        // Tally on the buttons: red on program, green in preview.
        QTRY_VERIFY_WITH_TIMEOUT(button("input:live/red")->styleSheet().contains("#c01818"), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(button("input:live/blue")->styleSheet().contains("#18a018"), 5000);

        QTest::mouseClick(button("cutButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(programMain(), QString("live/blue"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(isBlue(centreOf(window->programMonitor()->picture())), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(button("input:live/blue")->styleSheet().contains("#c01818"), 5000);
    }

    // Each input button shows its thumbnail: red for live/red, blue for live/blue.
    void thumbnailsOnTheButtons() {
        const auto iconCentre = [this](const QString& id) {
            const QImage image = button("input:" + id)->icon().pixmap(QSize(128, 72)).toImage();
            return centreOf(image);
        };
        QTRY_VERIFY2_WITH_TIMEOUT(isRed(iconCentre("live/red")),
                                  qPrintable(toString(iconCentre("live/red"))), 20000);
        QTRY_VERIFY2_WITH_TIMEOUT(isBlue(iconCentre("live/blue")),
                                  qPrintable(toString(iconCentre("live/blue"))), 20000);
    }

    // The T-bar all the way completes the take (the former program, red, comes back) and the
    // bar goes home.
    void tbarCompletesATake() {
        auto* tbar = window->findChild<QSlider*>("tbarSlider");
        QVERIFY(tbar != nullptr);
        tbar->setValue(500);
        QTRY_VERIFY_WITH_TIMEOUT(api.get("/tbar").json().value("transitioning").toBool(), 10000);
        tbar->setValue(1000);
        QTRY_COMPARE_WITH_TIMEOUT(programMain(), QString("live/red"), 10000);
        QCOMPARE(tbar->value(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(isRed(centreOf(window->programMonitor()->picture())), 30000);
    }

    void mixerSetsVolumeAndMute() {
        // Red (with its 440 Hz tone) is on program: the program meter reads sound.
        auto* level = window->findChild<QLabel*>("programLevel");
        QTRY_VERIFY2_WITH_TIMEOUT(level->text().contains("RMS -"), qPrintable(level->text()),
                                  10000);
        auto* volume = window->findChild<QSlider*>("volume:live/blue");
        QVERIFY(volume != nullptr);
        volume->setValue(0);
        QTRY_COMPARE_WITH_TIMEOUT(api.input("live/blue").value("volume").toDouble(-1), 0.0, 10000);
        auto* mute = window->findChild<QCheckBox*>("mute:live/red");
        QVERIFY(mute != nullptr);
        mute->setChecked(true);
        QTRY_VERIFY_WITH_TIMEOUT(api.input("live/red").value("muted").toBool(), 10000);
        // Red muted, blue (off program) at 0: the program is silent.
        QTRY_VERIFY2_WITH_TIMEOUT(level->text().contains("silent"), qPrintable(level->text()),
                                  10000);
        // The sync offset spin box sets the input's offset; one set through the API shows in it.
        auto* sync = window->findChild<QSpinBox*>("sync:live/red");
        QVERIFY(sync != nullptr);
        sync->setValue(150);
        QTRY_COMPARE_WITH_TIMEOUT(api.input("live/red").value("sync_offset_ms").toInt(-1), 150,
                                  10000);
        QVERIFY(api.post("/audio", R"({"input":"live/blue","sync_offset_ms":-40})").status == 200);
        auto* blueSync = window->findChild<QSpinBox*>("sync:live/blue");
        QVERIFY(blueSync != nullptr);
        QTRY_COMPARE_WITH_TIMEOUT(blueSync->value(), -40, 10000);
    }

    void layoutButtonSetsA2x2() {
        QTest::mouseClick(button("layout:2x2"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(
            api.state().value("preview").toObject().value("layout").toString(), QString("2x2"),
            10000);
    }

    // The transition chooser sets Auto's transition; the preview saved under a name comes
    // back as a button that recalls it.
    void transitionAndSavedLayouts() {
        auto* type = window->findChild<QComboBox*>("transitionType");
        auto* duration = window->findChild<QSpinBox*>("transitionDuration");
        QVERIFY(type != nullptr && duration != nullptr);
        duration->setValue(700);
        type->setCurrentText("swipe");
        QTRY_COMPARE_WITH_TIMEOUT(
            api.state().value("transition").toObject().value("type").toString(), QString("swipe"),
            10000);
        QCOMPARE(api.state().value("transition").toObject().value("duration_ms").toInt(), 700);

        // Preview is the 2x2 from the layout button: save it as "grid".
        window->findChild<QLineEdit*>("saveName")->setText("grid");
        QTest::mouseClick(button("saveButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(button("saved:grid") != nullptr, 10000);
        const auto saved = api.get("/layouts").json().value("layouts").toArray();
        QCOMPARE(saved.size(), 1);
        QCOMPARE(saved.at(0).toObject().value("layout").toObject().value("layout").toString(),
                 QString("2x2"));
        // Saved again with its transition (the swipe shown): the layout keeps it.
        window->findChild<QLineEdit*>("saveName")->setText("grid-swipe");
        window->findChild<QCheckBox*>("saveWithTransition")->setChecked(true);
        QTest::mouseClick(button("saveButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(button("saved:grid-swipe") != nullptr, 10000);
        for (const auto& v : api.get("/layouts").json().value("layouts").toArray()) {
            const auto o = v.toObject();
            const auto own = o.value("transition").toObject().value("type").toString();
            QCOMPARE(own,
                     o.value("name").toString() == "grid-swipe" ? QString("swipe") : QString());
        }
        window->findChild<QCheckBox*>("saveWithTransition")->setChecked(false);
        QVERIFY(api.post("/preview", "{'input':'live/blue'}").status == 200);
        QTest::mouseClick(button("saved:grid"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(api.state().value("preview").toObject().value("name").toString(),
                                  QString("grid"), 10000);
    }

    // An overlay defined over the API shows as a switch; switching it on puts the white box
    // over the program (top left of the program monitor), off takes it away. The multiview
    // switch starts and stops live/multiview.
    void overlayAndMultiviewSwitches() {
        QCOMPARE(api.post("/overlay", "{'id':'logo','kind':'color','color':'#FFFFFF',"
                                      "'x':0,'y':0,'w':0.25,'h':0.25,'on':false}")
                     .status,
                 200);
        QCheckBox* logo = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((logo = window->findChild<QCheckBox*>("overlay:logo")), 10000);
        QVERIFY(!logo->isChecked());
        const auto corner = [this] {
            const QImage image = window->programMonitor()->picture();
            if (image.isNull()) {
                return Rgb{};
            }
            const QColor c = image.pixelColor(image.width() / 16, image.height() / 16);
            return Rgb{c.red(), c.green(), c.blue()};
        };
        QVERIFY2(!isWhite(corner()), qPrintable(toString(corner())));
        logo->setChecked(true);
        QTRY_VERIFY_WITH_TIMEOUT(
            api.state().value("overlays").toArray().at(0).toObject().value("on").toBool(), 10000);
        QTRY_VERIFY2_WITH_TIMEOUT(isWhite(corner()), qPrintable(toString(corner())), 30000);
        logo->setChecked(false);
        QTRY_VERIFY2_WITH_TIMEOUT(!isWhite(corner()), qPrintable(toString(corner())), 30000);

        // Defined in the window: a bad colour is refused in the dialog; a green box in the
        // top right corner, on at once, shows on the program; its menu removes it.
        QTest::mouseClick(button("addOverlayButton"), Qt::LeftButton);
        ui::AddOverlayDialog* dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (dialog = window->findChild<ui::AddOverlayDialog*>("addOverlayDialog")), 5000);
        dialog->findChild<QLineEdit*>("overlayId")->setText("bug");
        dialog->findChild<QLineEdit*>("overlayColor")->setText("green-ish");
        dialog->findChild<QDoubleSpinBox*>("overlayX")->setValue(0.75);
        dialog->findChild<QDoubleSpinBox*>("overlayY")->setValue(0);
        dialog->findChild<QDoubleSpinBox*>("overlayW")->setValue(0.25);
        dialog->findChild<QDoubleSpinBox*>("overlayH")->setValue(0.25);
        dialog->findChild<QCheckBox*>("overlayOn")->setChecked(true);
        QTest::mouseClick(dialog->findChild<QPushButton*>("addOverlayOk"), Qt::LeftButton);
        auto* error = dialog->findChild<QLabel*>("overlayError");
        QTRY_VERIFY2_WITH_TIMEOUT(error->text().startsWith("color:"), qPrintable(error->text()),
                                  10000);
        dialog->findChild<QLineEdit*>("overlayColor")->setText("#00FF00");
        QTest::mouseClick(dialog->findChild<QPushButton*>("addOverlayOk"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window->findChild<QCheckBox*>("overlay:bug") != nullptr, 10000);
        const auto topRight = [this] {
            const QImage image = window->programMonitor()->picture();
            if (image.isNull()) {
                return Rgb{};
            }
            const QColor c = image.pixelColor(image.width() * 15 / 16, image.height() / 16);
            return Rgb{c.red(), c.green(), c.blue()};
        };
        const auto green = [](const Rgb& c) { return c.g > 150 && c.r < 90 && c.b < 90; };
        QTRY_VERIFY2_WITH_TIMEOUT(green(topRight()), qPrintable(toString(topRight())), 30000);
        auto* remove = window->findChild<QAction*>("removeOverlay:bug");
        QVERIFY(remove != nullptr);
        remove->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(window->findChild<QCheckBox*>("overlay:bug") == nullptr, 10000);
        QTRY_VERIFY2_WITH_TIMEOUT(!green(topRight()), qPrintable(toString(topRight())), 30000);

        auto* multiview = window->findChild<QCheckBox*>("multiviewCheck");
        QVERIFY(multiview != nullptr && !multiview->isChecked());
        multiview->setChecked(true);
        QTRY_VERIFY_WITH_TIMEOUT(api.state()
                                     .value("multiview")
                                     .toObject()
                                     .value("figures")
                                     .toObject()
                                     .value("active")
                                     .toBool(),
                                 20000);
        multiview->setChecked(false);
        QTRY_VERIFY_WITH_TIMEOUT(!api.state().value("multiview").toObject().value("on").toBool(),
                                 10000);
        QVERIFY(!multiview->isChecked());
    }

    // The transition's own fields: fade to colour (colour, switch point), a swipe's
    // direction, the luma wipe's images from the studio; a stinger without its clip is
    // refused by name in the status line.
    void transitionDetails() {
        auto* type = window->findChild<QComboBox*>("transitionType");
        auto* colour = window->findChild<QLineEdit*>("transitionColor");
        auto* switchPoint = window->findChild<QSpinBox*>("transitionSwitchPoint");
        QVERIFY(type != nullptr && colour != nullptr && switchPoint != nullptr);
        colour->setText("#FF0000");
        switchPoint->setValue(30);
        type->setCurrentText("fade_to_color");
        QVERIFY(colour->isVisible());
        QVERIFY(!window->findChild<QComboBox*>("transitionDirection")->isVisible());
        const auto transition = [this] { return api.state().value("transition").toObject(); };
        QTRY_COMPARE_WITH_TIMEOUT(transition().value("type").toString(), QString("fade_to_color"),
                                  10000);
        QCOMPARE(transition().value("color").toString().toLower(), QString("#ff0000"));
        QCOMPARE(transition().value("switch_point").toInt(), 30);

        auto* direction = window->findChild<QComboBox*>("transitionDirection");
        direction->setCurrentText("up");
        type->setCurrentText("swipe");
        QTRY_COMPARE_WITH_TIMEOUT(transition().value("direction").toString(), QString("up"), 10000);
        QCOMPARE(transition().value("type").toString(), QString("swipe"));

        auto* image = window->findChild<QComboBox*>("transitionImage");
        QTRY_VERIFY_WITH_TIMEOUT(image->count() > 3, 10000);
        QVERIFY(image->findText("linear-h") >= 0);

        window->findChild<QLineEdit*>("transitionPath")->setText("/nonexistent/sting.webm");
        type->setCurrentText("stinger");
        auto* status = window->findChild<QLabel*>("statusText");
        QTRY_VERIFY2_WITH_TIMEOUT(status->text().contains("/nonexistent/sting.webm"),
                                  qPrintable(status->text()), 10000);
        QCOMPARE(transition().value("type").toString(), QString("swipe")); // unchanged
    }

    void refusedCommandIsShown() {
        model->setPreviewInput("live/nope");
        auto* status = window->findChild<QLabel*>("statusText");
        QVERIFY(status != nullptr);
        QTRY_VERIFY2_WITH_TIMEOUT(status->text().contains("input live/nope is not known"),
                                  qPrintable(status->text()), 10000);
        QCOMPARE(api.state().value("preview").toObject().value("layout").toString(),
                 QString("2x2")); // nothing else changed
    }

    // The Add input dialog: a missing media file is refused by the studio's words and the
    // dialog stays; a green colour input is added, appears as a button and previews green.
    void addInputThroughTheDialog() {
        QTest::mouseClick(button("addInputButton"), Qt::LeftButton);
        ui::AddInputDialog* dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (dialog = window->findChild<ui::AddInputDialog*>("addInputDialog")), 5000);
        auto* kind = dialog->findChild<QComboBox*>("inputKind");
        kind->setCurrentIndex(kind->findData("media"));
        dialog->findChild<QLineEdit*>("inputName")->setText("clip");
        dialog->findChild<QLineEdit*>("inputFile")->setText("/nonexistent/clip.mp4");
        QTest::mouseClick(dialog->findChild<QPushButton*>("addInputOk"), Qt::LeftButton);
        auto* error = dialog->findChild<QLabel*>("inputError");
        QTRY_VERIFY2_WITH_TIMEOUT(error->text().contains("does not exist"),
                                  qPrintable(error->text()), 10000);
        QVERIFY(dialog->isVisible());

        kind->setCurrentIndex(kind->findData("color"));
        QVERIFY(!dialog->findChild<QLineEdit*>("inputFile")->isVisibleTo(dialog));
        dialog->findChild<QLineEdit*>("inputName")->setText("green");
        dialog->findChild<QLineEdit*>("inputColor")->setText("#00FF00");
        QTest::mouseClick(dialog->findChild<QPushButton*>("addInputOk"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(button("input:color:green") != nullptr, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!window->findChild<ui::AddInputDialog*>("addInputDialog"), 5000);
        // A colour has no sound: its mixer strip is hidden; a hub input's shows.
        QTRY_VERIFY_WITH_TIMEOUT(!window->findChild<QSlider*>("volume:color:green")->isVisible(),
                                 10000);
        QVERIFY(window->findChild<QSlider*>("volume:live/red")->isVisible());
        QTest::mouseClick(button("input:color:green"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(previewMain(), QString("color:green"), 10000);
        QTRY_VERIFY2_WITH_TIMEOUT(
            isGreen(centreOf(window->previewMonitor()->picture())),
            qPrintable(toString(centreOf(window->previewMonitor()->picture()))), 30000);
    }

    // The manage row: live/red's standby backup set to the green input; removing an input
    // that is a backup is refused by name; back to the slate, the removal goes through.
    void backupAndRemove() {
        auto* manage = window->findChild<QComboBox*>("manageInput");
        auto* backup = window->findChild<QComboBox*>("backupChoice");
        QVERIFY(manage != nullptr && backup != nullptr);
        const auto backupInApi = [this](const QString& id) {
            for (const auto& v : api.get("/inputs").json().value("inputs").toArray()) {
                if (v.toObject().value("id").toString() == id) {
                    return v.toObject().value("backup").toString();
                }
            }
            return QString("(no such input)");
        };
        manage->setCurrentIndex(manage->findText("live/red"));
        const int green = backup->findData("color:green");
        QVERIFY(green > 0);
        backup->setCurrentIndex(green);
        emit backup->activated(green);
        QTRY_COMPARE_WITH_TIMEOUT(backupInApi("live/red"), QString("color:green"), 10000);

        manage->setCurrentIndex(manage->findText("color:green"));
        QTest::mouseClick(button("removeInputButton"), Qt::LeftButton);
        auto* status = window->findChild<QLabel*>("statusText");
        QTRY_VERIFY2_WITH_TIMEOUT(status->text().contains("remove color:green"),
                                  qPrintable(status->text()), 10000);
        QVERIFY(button("input:color:green") != nullptr);

        manage->setCurrentIndex(manage->findText("live/red"));
        QTRY_COMPARE_WITH_TIMEOUT(backup->currentData().toString(), QString("color:green"), 10000);
        backup->setCurrentIndex(0);
        emit backup->activated(0);
        QTRY_COMPARE_WITH_TIMEOUT(backupInApi("live/red"), QString(), 10000);
        manage->setCurrentIndex(manage->findText("color:green"));
        QTest::mouseClick(button("removeInputButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(button("input:color:green") == nullptr, 10000);
        QCOMPARE(backupInApi("color:green"), QString("(no such input)"));
    }

    void cleanupTestCase() {
        window.reset();
        preview.reset();
        program.reset();
        model.reset();
        client.reset();
        api.unpublishAll();
        QVERIFY2(api.stop(), qPrintable(api.error()));
    }
};

QTEST_MAIN(tst_DirectorWindow)
#include "tst_DirectorWindow.moc"
