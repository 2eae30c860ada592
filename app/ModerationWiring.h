#pragma once
/// Builds and wires moderation: the text rules from [moderation] and the word-list file, the
/// chat intake and the moderators' queue over the store's writer, their API routes, the
/// "moderation.item" and "public.chat" event topics, and the detector feed that turns content
/// alerts and refused publishes into queue items.
///
/// Order (app/main.cpp), after Monitoring::open and before the server is made:
///   auto mod = Moderation::open(cfg, dataDir, monitoring.writer());
///   monitoring.addAlertListener(...mod->onAlert...);  mod->attach(server);
///   server.start(); ... server.stop(); mod->stop(); monitoring.finish();
/// The object must outlive the server (its routes point into it) and stop() must run while
/// the store's writer still runs.

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "app/routes/ModerationRoutes.h"
#include "config/Config.h"
#include "moderation/ChatIntake.h"
#include "moderation/ItemStore.h"
#include "moderation/ModerationQueue.h"
#include "monitor/AlertTypes.h"
#include "server/Server.h"
#include "stream/HubEvent.h"

namespace stagecast::app {

class Moderation : public stream::HubEventListener {
public:
    /// Builds the rules; a bad entry or an unreadable word-list file is logged by name and
    /// the rest loads.
    static std::unique_ptr<Moderation> open(const config::Config& cfg,
                                            const std::filesystem::path& dataDir,
                                            store::StoreWriter& writer);
    ~Moderation() override;

    void attach(server::Server& server);
    /// Where detector items get their evidence picture: given "APP/STREAM", the path of a
    /// kept snapshot (app/SnapshotWiring), or nullopt. The path is added to the item's text
    /// (the item row has no column for it). Before attach().
    using EvidenceSource = std::function<std::optional<std::string>(const std::string& stream)>;
    void setEvidence(EvidenceSource source) { evidence_ = std::move(source); }
    /// Stops the detector feed and detaches from the hub. Idempotent.
    void stop();

    /// A content alert opened (any thread; never blocks: queued for the detector feed).
    void onAlert(const monitor::AlertEvent& alert);
    /// Refused publishes (AuthDenied) become "auth" items; the rest is ignored.
    void onHubEvent(const stream::HubEvent& event) override;

private:
    struct Finding {
        std::string stream;
        moderation::DetectorKind kind = moderation::DetectorKind::Black;
        std::string detail;
    };
    Moderation(const config::Config& cfg, store::StoreWriter& writer,
               std::shared_ptr<const moderation::TextRules> rules);
    void enqueue(Finding finding);
    void runFeed();

    const bool detectorItems_;
    moderation::ItemStore items_;
    moderation::ChatIntake intake_;
    moderation::ModerationQueue queue_;
    ModerationRoutes routes_;
    server::Server* server_ = nullptr;
    EvidenceSource evidence_;

    std::mutex mutex_; // guards the feed below
    std::condition_variable cv_;
    std::deque<Finding> findings_;
    /// Refused publishes from one address to one stream: one item per minute at most.
    std::map<std::string, std::chrono::steady_clock::time_point> lastAuthItem_;
    bool stopping_ = false;
    std::thread feed_;
};

} // namespace stagecast::app
