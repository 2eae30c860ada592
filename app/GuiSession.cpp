#include "app/GuiSession.h"

#include <QApplication>
#include <QDockWidget>
#include <QMenuBar>
#include <QMetaObject>
#include <atomic>
#include <cstdlib>

#include "services/DashboardModel.h"
#include "services/DirectorModel.h"
#include "services/StreamMonitor.h"
#include "services/StudioClient.h"
#include "ui/DashboardView.h"
#include "ui/DirectorWindow.h"

namespace stagecast::app {

namespace {

std::atomic<bool> quitAsked{false};
std::atomic<QApplication*> running{nullptr};

[[maybe_unused]] bool set(const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0';
}

} // namespace

bool displayAvailable() {
#if defined(_WIN32) || defined(__APPLE__)
    return true; // a desktop session always has its display
#else
    return set("DISPLAY") || set("WAYLAND_DISPLAY") || set("QT_QPA_PLATFORM");
#endif
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
    // The dashboard (health, viewers, alerts, review queue) docks beside the director; the
    // View menu shows it again after it is closed.
    const char* user = std::getenv("USER");
    services::DashboardModel dashboard(client,
                                       QString("desktop:") + (user != nullptr ? user : "operator"));
    auto* dock = new QDockWidget(QObject::tr("Dashboard"), &window);
    dock->setObjectName("dashboardDock");
    dock->setWidget(new ui::DashboardView(dashboard, dock));
    window.addDockWidget(Qt::RightDockWidgetArea, dock);
    window.menuBar()->addMenu(QObject::tr("&View"))->addAction(dock->toggleViewAction());
    window.resize(1800, 950);
    window.show();
    model.start();
    dashboard.start();
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
