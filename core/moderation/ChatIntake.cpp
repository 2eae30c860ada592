#include "moderation/ChatIntake.h"

#include <nlohmann/json.hpp>

#include "moderation/Normalize.h"

namespace stagecast::moderation {

namespace {

using Code = ModerationError::Code;
using Status = PostOutcome::Status;

constexpr const char* kRulesActor = "system:rules";

std::string viewerKey(const PostRequest& request) {
    return request.viewerId.empty() ? "addr:" + request.address : "id:" + request.viewerId;
}

RateLimit scaled(RateLimit limit, unsigned factor) {
    limit.messages *= std::max(factor, 1u);
    return limit;
}

std::string secondsText(std::chrono::milliseconds ms) {
    return std::to_string((ms.count() + 999) / 1000);
}

} // namespace

const char* toString(PostOutcome::Status status) {
    switch (status) {
    case Status::Published:
        return "published";
    case Status::Held:
        return "held";
    case Status::Rejected:
        return "rejected";
    case Status::RateLimited:
        return "rate_limited";
    }
    return "unknown";
}

std::string labelsJson(const std::vector<std::string>& labels) {
    return nlohmann::json(labels).dump();
}

ChatIntake::ChatIntake(ItemStore& store, std::shared_ptr<const TextRules> rules,
                       IntakeOptions options, Clocks clocks)
    : store_(store), options_(std::move(options)), clocks_(std::move(clocks)),
      rules_(std::move(rules)), events_(options_.events),
      viewerLimiter_(options_.rateLimit, options_.maxTrackedViewers),
      addressLimiter_(scaled(options_.rateLimit, options_.addressRateFactor),
                      options_.maxTrackedViewers),
      repeats_(options_.repeatWindow, options_.maxTrackedViewers) {}

EventSettings ChatIntake::settings(const std::string& stream) const {
    std::lock_guard lock(mutex_);
    auto it = events_.find(stream);
    return it == events_.end() ? options_.defaults : it->second;
}

void ChatIntake::setSettings(const std::string& stream, EventSettings settings) {
    std::lock_guard lock(mutex_);
    events_[stream] = settings;
}

void ChatIntake::setRules(std::shared_ptr<const TextRules> rules) {
    std::lock_guard lock(mutex_);
    rules_ = std::move(rules);
}

IntakeCounters ChatIntake::counters() const {
    return {published_.load(), held_.load(), rejected_.load(), rateLimited_.load(),
            refused_.load()};
}

ModerationResult<void> ChatIntake::validate(const PostRequest& request) const {
    if (request.kind != store::ItemKind::Chat && request.kind != store::ItemKind::Question) {
        return refuse(Code::BadRequest, "kind must be chat or question");
    }
    auto text = normalizeText(request.text);
    if (text.empty()) {
        return refuse(Code::BadRequest, "text is empty");
    }
    auto chars = codePointCount(sanitizeUtf8(request.text));
    if (chars > options_.maxMessageChars) {
        return refuse(Code::BadRequest,
                      "text has " + std::to_string(chars) + " characters; at most " +
                          std::to_string(options_.maxMessageChars) + " are allowed");
    }
    if (codePointCount(sanitizeUtf8(request.name)) > options_.maxNameChars) {
        return refuse(Code::BadRequest, "name is longer than " +
                                            std::to_string(options_.maxNameChars) + " characters");
    }
    if (request.viewerId.size() > options_.maxViewerIdBytes) {
        return refuse(Code::BadRequest, "viewer_id is longer than " +
                                            std::to_string(options_.maxViewerIdBytes) + " bytes");
    }
    return {};
}

ModerationResult<PostOutcome> ChatIntake::post(const PostRequest& request) {
    if (auto ok = validate(request); !ok) {
        ++refused_;
        return tl::unexpected<ModerationError>(ok.error());
    }
    // Stored as typed (made valid UTF-8 and trimmed of outer white space); rules see the
    // normalised form.
    const std::string text = sanitizeUtf8(request.text);
    const std::string name = normalizeText(request.name).empty() ? "" : sanitizeUtf8(request.name);
    const std::string normalized = normalizeText(text);
    const auto now = clocks_.steady();

    PostOutcome outcome;
    EventSettings event;
    {
        std::lock_guard lock(mutex_);
        auto it = events_.find(request.stream);
        event = it == events_.end() ? options_.defaults : it->second;
        if (!event.allowAnonymous && name.empty()) {
            ++refused_;
            return refuse(Code::Forbidden,
                          "this event does not allow anonymous posts: give a name");
        }
        auto wait = viewerLimiter_.take(viewerKey(request), now);
        if (!wait) {
            wait = addressLimiter_.take("addr:" + request.address, now);
        }
        if (wait) {
            ++rateLimited_;
            outcome.status = Status::RateLimited;
            outcome.retryAfter = *wait;
            outcome.viewerMessage =
                "You are posting too fast; try again in " + secondsText(*wait) + " s.";
            return outcome;
        }
        outcome.verdict = rules_->checkNormalized(normalized);
        if (options_.repeatAction && repeats_.repeated(viewerKey(request), normalized, now)) {
            outcome.verdict.add(
                {RuleKind::Repeat, "repeat", *options_.repeatAction,
                 "same text within " + std::to_string(options_.repeatWindow.count()) + " s"});
        }
    }

    store::NewModerationItem item;
    item.kind = request.kind;
    item.stream = request.stream;
    item.author = name;
    item.text = text;
    item.state = store::ItemState::Pending;
    item.createdAt = store::toStoreTime(clocks_.wall());
    item.labelsJson = labelsJson(outcome.verdict.labels());

    std::optional<AutoDecision> decision;
    auto action = outcome.verdict.action();
    if (action == Action::Reject) {
        outcome.status = Status::Rejected;
        decision = AutoDecision{store::ItemState::Rejected, kRulesActor, outcome.verdict.reason()};
        outcome.viewerMessage = "Your message was not accepted: it breaks the rules of this "
                                "event's chat.";
    } else if (action == Action::Hold || event.preModeration) {
        outcome.status = Status::Held;
        outcome.viewerMessage = "Your message will appear once a moderator has reviewed it.";
    } else {
        outcome.status = Status::Published;
        decision =
            AutoDecision{store::ItemState::Approved, kRulesActor,
                         outcome.verdict.clean() ? "no rule matched; pre-moderation is off"
                                                 : "labels only (" + outcome.verdict.reason() +
                                                       "); pre-moderation is off"};
        outcome.viewerMessage = "Your message is published.";
    }

    auto stored = store_.create(item, decision, Durability::Committed);
    if (!stored) {
        return tl::unexpected<ModerationError>(stored.error());
    }
    outcome.item = *stored;
    switch (outcome.status) {
    case Status::Published:
        ++published_;
        break;
    case Status::Held:
        ++held_;
        break;
    case Status::Rejected:
        ++rejected_;
        break;
    case Status::RateLimited:
        break;
    }
    if (listener_) {
        ItemEvent change{
            ItemEvent::Change::Created,       *stored, decision ? decision->actor : "viewer",
            decision ? decision->reason : "", false,   isPublic(*stored)};
        listener_(change);
    }
    return outcome;
}

} // namespace stagecast::moderation
