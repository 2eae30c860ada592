#include "app/GuiSession.h"

#include <QApplication>
#include <QMetaObject>
#include <atomic>
#include <cstdlib>

#include "services/DirectorModel.h"
#include "services/StreamMonitor.h"
#include "services/StudioClient.h"
#include "ui/DirectorWindow.h"

namespace stagecast::app {

namespace {

std::atomic<bool> quitAsked{false};
std::atomic<QApplication*> running{nullptr};

bool set(const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0';
}

} // namespace

bool displayAvailable() {
    return set("DISPLAY") || set("WAYLAND_DISPLAY") || set("QT_QPA_PLATFORM");
}

void requestQuit() {
    quitAsked = true;
    if (QApplication* app = running.load()) {
        QMetaObject::invokeMethod(app, &QCoreApplication::quit, Qt::QueuedConnection);
    }
}

int runGui(const GuiUrls& urls) {
    static int argc = 1;
    static char name[] = "stagecast";
    static char* argv[] = {name, nullptr};
    QApplication app(argc, argv);
    services::StudioClient client(QString::fromStdString(urls.api),
                                  QString::fromStdString(urls.token));
    services::DirectorModel model(client);
    services::StreamMonitor program(QString::fromStdString(urls.program), 960);
    services::StreamMonitor preview(QString::fromStdString(urls.preview), 960);
    ui::DirectorWindow window(model, &preview, &program);
    window.show();
    model.start();
    program.start();
    preview.start();
    running = &app;
    if (quitAsked) {
        return 0;
    }
    const int code = app.exec();
    running = nullptr;
    preview.stop();
    program.stop();
    return code;
}

} // namespace stagecast::app
