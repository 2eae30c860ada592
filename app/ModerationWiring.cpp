#include "app/ModerationWiring.h"

#include <fstream>
#include <sstream>

#include "app/routes/ModerationJson.h"
#include "base/Log.h"
#include "moderation/WordListFile.h"

namespace stagecast::app {

namespace {

constexpr std::size_t kMaxQueuedFindings = 1000;
constexpr std::size_t kMaxAuthKeys = 10000;
constexpr auto kAuthItemEvery = std::chrono::minutes(1);

std::optional<moderation::Action> actionOf(config::RuleAction a) {
    switch (a) {
    case config::RuleAction::Off:
        return std::nullopt;
    case config::RuleAction::Label:
        return moderation::Action::Label;
    case config::RuleAction::Hold:
        return moderation::Action::Hold;
    case config::RuleAction::Reject:
        return moderation::Action::Reject;
    }
    return std::nullopt;
}

/// The word-list file's lists; a missing file is normal (no lists), an unreadable one is
/// reported.
std::vector<moderation::WordListSpec> fileLists(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        return {};
    }
    const auto size = std::filesystem::file_size(path, ec);
    if (ec || size > moderation::kMaxWordListFileBytes) {
        base::log(base::LogLevel::Warning, "moderation",
                  "word-list file " + path.string() + " not loaded: " +
                      (ec ? ec.message()
                          : "larger than " + std::to_string(moderation::kMaxWordListFileBytes) +
                                " bytes"));
        return {};
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) {
        base::log(base::LogLevel::Warning, "moderation",
                  "word-list file " + path.string() + " could not be read");
        return {};
    }
    auto parsed = moderation::parseWordListFile(text.str(), path.filename().string());
    for (const auto& problem : parsed.problems) {
        base::log(base::LogLevel::Warning, "moderation", problem);
    }
    return std::move(parsed.lists);
}

std::shared_ptr<const moderation::TextRules> buildRules(const config::ModerationConfig& m,
                                                        const std::filesystem::path& dataDir) {
    moderation::RulesSpec spec;
    if (!m.wordsHold.empty()) {
        spec.wordLists.push_back({"config-hold", moderation::Action::Hold, m.wordsHold});
    }
    if (!m.wordsReject.empty()) {
        spec.wordLists.push_back({"config-reject", moderation::Action::Reject, m.wordsReject});
    }
    if (!m.wordListFile.empty()) {
        std::filesystem::path file(m.wordListFile);
        for (auto& list : fileLists(file.is_absolute() ? file : dataDir / file)) {
            spec.wordLists.push_back(std::move(list));
        }
    }
    spec.personalData = actionOf(m.personalData);
    spec.links = actionOf(m.links);
    auto built = moderation::TextRules::build(spec);
    for (const auto& problem : built.problems) {
        base::log(base::LogLevel::Warning, "moderation", "rule left out: " + problem);
    }
    base::log(base::LogLevel::Info, "moderation",
              std::to_string(built.rules.wordListCount()) + " word lists, personal data " +
                  (spec.personalData ? moderation::toString(*spec.personalData) : "off") +
                  ", links " + (spec.links ? moderation::toString(*spec.links) : "off"));
    return std::make_shared<const moderation::TextRules>(std::move(built.rules));
}

moderation::IntakeOptions intakeOptions(const config::ModerationConfig& m) {
    moderation::IntakeOptions o;
    o.defaults.preModeration = m.preModeration;
    o.defaults.allowAnonymous = m.allowAnonymous;
    o.rateLimit = {m.rateMessages, m.rateWindow};
    o.repeatWindow = m.repeatWindow;
    if (m.repeatWindow.count() == 0) {
        o.repeatAction = std::nullopt;
    }
    o.maxMessageChars = m.maxMessageChars;
    return o;
}

std::optional<moderation::DetectorKind> detectorOf(monitor::AlertKind kind) {
    switch (kind) {
    case monitor::AlertKind::Black:
        return moderation::DetectorKind::Black;
    case monitor::AlertKind::Frozen:
        return moderation::DetectorKind::Frozen;
    case monitor::AlertKind::Silence:
        return moderation::DetectorKind::Silence;
    case monitor::AlertKind::LoudnessHigh:
        return moderation::DetectorKind::Loudness;
    default:
        return std::nullopt; // health alerts are not about content
    }
}

} // namespace

std::unique_ptr<Moderation> Moderation::open(const config::Config& cfg,
                                             const std::filesystem::path& dataDir,
                                             store::StoreWriter& writer) {
    return std::unique_ptr<Moderation>(
        new Moderation(cfg, writer, buildRules(cfg.moderation, dataDir)));
}

Moderation::Moderation(const config::Config& cfg, store::StoreWriter& writer,
                       std::shared_ptr<const moderation::TextRules> rules)
    : detectorItems_(cfg.moderation.detectorItems), items_(writer),
      intake_(items_, std::move(rules), intakeOptions(cfg.moderation)), queue_(items_),
      routes_({items_, intake_, queue_}) {}

Moderation::~Moderation() {
    stop();
}

void Moderation::attach(server::Server& server) {
    server_ = &server;
    auto& events = server.events();
    const auto publish = [&events](const moderation::ItemEvent& e) {
        const char* change = e.change == moderation::ItemEvent::Change::Created   ? "created"
                             : e.change == moderation::ItemEvent::Change::Decided ? "decided"
                                                                                  : "upvoted";
        nlohmann::json data = {
            {"change", change}, {"item", toJson(e.item)}, {"actor", e.actor}, {"reason", e.reason}};
        events.publish("moderation.item",
                       data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        if (e.isPublic || e.wasPublic) {
            const char* what = !e.wasPublic ? "add" : e.isPublic ? "update" : "remove";
            nlohmann::json view = {
                {"change", what}, {"stream", e.item.stream}, {"message", publicJson(e.item)}};
            events.publish("public.chat",
                           view.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        }
    };
    intake_.setListener(publish);
    queue_.setListener(publish);
    routes_.mount(server.api());
    if (detectorItems_) {
        server.hub().addListener(this);
        feed_ = std::thread([this] { runFeed(); });
    }
}

void Moderation::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return;
        }
        stopping_ = true;
    }
    cv_.notify_all();
    if (feed_.joinable()) {
        feed_.join();
    }
    if (server_ != nullptr && detectorItems_) {
        server_->hub().removeListener(this);
    }
}

void Moderation::onAlert(const monitor::AlertEvent& alert) {
    auto kind = detectorOf(alert.kind);
    if (!detectorItems_ || !kind || !alert.isOpen()) {
        return;
    }
    enqueue({alert.stream, *kind, alert.details});
}

void Moderation::onHubEvent(const stream::HubEvent& event) {
    if (event.type != stream::HubEventType::AuthDenied || event.stream.empty()) {
        return;
    }
    const auto key = event.stream + " " + event.address;
    const auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(mutex_);
        auto it = lastAuthItem_.find(key);
        if (it != lastAuthItem_.end() && now - it->second < kAuthItemEvery) {
            return; // the same refused client again: one item a minute is evidence enough
        }
        if (lastAuthItem_.size() >= kMaxAuthKeys) {
            lastAuthItem_.clear();
        }
        lastAuthItem_[key] = now;
    }
    enqueue({event.stream, moderation::DetectorKind::UnauthorisedPublish,
             event.protocol + " client " + event.address + ": " + event.reason});
}

void Moderation::enqueue(Finding finding) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return;
        }
        if (findings_.size() >= kMaxQueuedFindings) {
            findings_.pop_front(); // the newest findings matter most
        }
        findings_.push_back(std::move(finding));
    }
    cv_.notify_one();
}

void Moderation::runFeed() {
    for (;;) {
        Finding f;
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [this] { return stopping_ || !findings_.empty(); });
            if (stopping_) {
                return;
            }
            f = std::move(findings_.front());
            findings_.pop_front();
        }
        // The position in the stream, so the recordings view can jump there.
        std::optional<std::chrono::milliseconds> at;
        if (auto key = stream::StreamKey::parse(f.stream); key && server_ != nullptr) {
            if (auto snap = server_->hub().snapshot(*key)) {
                at = snap->lastVideoDts;
            }
        }
        // The picture the moderator reviews: a kept copy of the stream's latest snapshot.
        if (evidence_ && f.kind != moderation::DetectorKind::UnauthorisedPublish) {
            if (auto path = evidence_(f.stream)) {
                f.detail += " (snapshot: " + *path + ")";
            }
        }
        auto item = queue_.raiseDetectorItem(f.stream, at, f.kind, f.detail);
        if (!item) {
            base::log(base::LogLevel::Warning, "moderation",
                      "detector item for " + f.stream + " not stored: " + item.error().message);
        }
    }
}

} // namespace stagecast::app
