#include "moderation/ModerationQueue.h"

#include <algorithm>
#include <array>
#include <memory>

#include <nlohmann/json.hpp>

#include "moderation/Normalize.h"
#include "store/Audit.h"
#include "store/WriteContext.h"

namespace stagecast::moderation {

namespace {

using Code = ModerationError::Code;
using store::ItemKind;
using store::ItemState;

struct ActionRule {
    OperatorAction action;
    const char* name;
    ItemState to; // Reply: unused (the state is kept)
    std::vector<ItemState> from;
};

const std::array<ActionRule, 7>& actionRules() {
    static const std::array<ActionRule, 7> rules{{
        {OperatorAction::Approve,
         "approve",
         ItemState::Approved,
         {ItemState::Pending, ItemState::Escalated, ItemState::Rejected, ItemState::Dismissed}},
        {OperatorAction::Answer,
         "answer",
         ItemState::Answered,
         {ItemState::Pending, ItemState::Approved, ItemState::Escalated}},
        {OperatorAction::Dismiss,
         "dismiss",
         ItemState::Dismissed,
         {ItemState::Pending, ItemState::Approved, ItemState::Escalated, ItemState::Answered}},
        {OperatorAction::Reject,
         "reject",
         ItemState::Rejected,
         {ItemState::Pending, ItemState::Approved, ItemState::Escalated, ItemState::Dismissed,
          ItemState::Answered}},
        {OperatorAction::FollowUp,
         "followup",
         ItemState::Escalated,
         {ItemState::Pending, ItemState::Approved, ItemState::Answered, ItemState::Dismissed}},
        {OperatorAction::Reply,
         "reply",
         ItemState::Approved,
         {ItemState::Approved, ItemState::Answered}},
        {OperatorAction::Hold,
         "hold",
         ItemState::Pending,
         {ItemState::Approved, ItemState::Answered, ItemState::Escalated, ItemState::Dismissed,
          ItemState::Rejected}},
    }};
    return rules;
}

const ActionRule& ruleFor(OperatorAction action) {
    for (const auto& rule : actionRules()) {
        if (rule.action == action) {
            return rule;
        }
    }
    return actionRules()[0];
}

std::string statesText(const std::vector<ItemState>& states) {
    std::string out;
    for (std::size_t i = 0; i < states.size(); ++i) {
        out += (i == 0 ? "" : i + 1 == states.size() ? " or " : ", ");
        out += store::toString(states[i]);
    }
    return out;
}

// Trimmed, valid UTF-8; error when longer than `max` characters.
ModerationResult<std::string> boundedText(std::string_view what, std::string_view text,
                                          std::size_t max) {
    auto clean = sanitizeUtf8(text);
    auto begin = clean.find_first_not_of(" \t\r\n");
    if (begin == std::string::npos) {
        return std::string();
    }
    clean = clean.substr(begin, clean.find_last_not_of(" \t\r\n") - begin + 1);
    if (codePointCount(clean) > max) {
        return refuse(Code::BadRequest,
                      std::string(what) + " is longer than " + std::to_string(max) + " characters");
    }
    return clean;
}

constexpr std::array<std::pair<DetectorKind, const char*>, 5> kDetectorKinds{{
    {DetectorKind::Black, "black"},
    {DetectorKind::Frozen, "frozen"},
    {DetectorKind::Silence, "silence"},
    {DetectorKind::Loudness, "loudness"},
    {DetectorKind::UnauthorisedPublish, "unauthorised-publish"},
}};

} // namespace

const char* toString(OperatorAction action) {
    return ruleFor(action).name;
}

std::optional<OperatorAction> parseOperatorAction(std::string_view text) {
    if (text == "follow_up" || text == "follow-up") {
        return OperatorAction::FollowUp;
    }
    for (const auto& rule : actionRules()) {
        if (text == rule.name) {
            return rule.action;
        }
    }
    return std::nullopt;
}

const char* toString(DetectorKind kind) {
    for (const auto& [k, name] : kDetectorKinds) {
        if (k == kind) {
            return name;
        }
    }
    return "unknown";
}

std::optional<DetectorKind> parseDetectorKind(std::string_view text) {
    for (const auto& [k, name] : kDetectorKinds) {
        if (text == name) {
            return k;
        }
    }
    return std::nullopt;
}

struct ModerationQueue::Prepared {
    store::ModerationItem before;
    ItemState to = ItemState::Pending;
    std::string actor;
    std::string reason;
    store::Time at;
    std::optional<store::NewModerationItem> reply;
    std::shared_ptr<std::int64_t> replyId; // written by the write operation
    store::WriteOp op;
};

ModerationQueue::ModerationQueue(ItemStore& store, QueueOptions options, Clocks clocks)
    : store_(store), options_(options), clocks_(std::move(clocks)),
      upvoteLimiter_(options_.upvoteRate) {}

void ModerationQueue::notify(ItemEvent event) const {
    if (listener_) {
        listener_(event);
    }
}

ModerationResult<ModerationQueue::Prepared> ModerationQueue::prepare(const ActionRequest& request) {
    auto moderator = boundedText("moderator", request.moderator, options_.maxModeratorChars);
    if (!moderator) {
        return tl::unexpected<ModerationError>(moderator.error());
    }
    if (moderator->empty()) {
        return refuse(Code::BadRequest, "moderator is required: the name stored with the decision");
    }
    auto reason = boundedText("reason", request.reason, options_.maxReasonChars);
    if (!reason) {
        return tl::unexpected<ModerationError>(reason.error());
    }
    auto found = store_.find(request.itemId);
    if (!found) {
        return tl::unexpected<ModerationError>(found.error());
    }
    if (!*found) {
        return refuse(Code::NotFound,
                      "moderation item " + std::to_string(request.itemId) + " does not exist");
    }
    Prepared p;
    p.before = **found;
    const ActionRule& rule = ruleFor(request.action);
    const ItemState seen = request.seen.value_or(p.before.state);
    const std::string itemText = "moderation item " + std::to_string(p.before.id);
    if (seen != p.before.state) {
        return refuse(Code::Conflict, itemText + " is " + store::toString(p.before.state) +
                                          ", not " + store::toString(seen) +
                                          ": it was decided meanwhile; reload and decide again");
    }
    if (std::find(rule.from.begin(), rule.from.end(), seen) == rule.from.end()) {
        return refuse(Code::Conflict, "cannot " + std::string(rule.name) + " " + itemText +
                                          ": it is " + store::toString(seen) + "; " + rule.name +
                                          " applies to items that are " + statesText(rule.from));
    }
    if (request.action == OperatorAction::Answer && p.before.kind != ItemKind::Question) {
        return refuse(Code::Conflict, "cannot answer " + itemText + ": it is a " +
                                          store::toString(p.before.kind) +
                                          ", and only questions are answered");
    }
    p.actor = "operator:" + *moderator;
    p.at = store::toStoreTime(clocks_.wall());
    p.to = request.action == OperatorAction::Reply ? seen : rule.to;
    p.reason = *reason;

    if (request.action == OperatorAction::Reply) {
        if (p.before.kind != ItemKind::Chat && p.before.kind != ItemKind::Question) {
            return refuse(Code::Conflict, "cannot reply to " + itemText + ": it is a " +
                                              store::toString(p.before.kind) +
                                              "; replies go to chat messages and questions");
        }
        auto replyText = boundedText("reply", request.reply, options_.maxReplyChars);
        if (!replyText) {
            return tl::unexpected<ModerationError>(replyText.error());
        }
        if (replyText->empty()) {
            return refuse(Code::BadRequest, "reply is required for the reply action");
        }
        store::NewModerationItem reply;
        reply.kind = ItemKind::Chat;
        reply.stream = p.before.stream;
        reply.author = *moderator;
        reply.text = *replyText;
        reply.state = ItemState::Pending;
        reply.createdAt = p.at;
        reply.labelsJson =
            nlohmann::json::array({"reply", "reply-to:" + std::to_string(p.before.id)}).dump();
        p.reply = reply;
        p.reason = "reply: " + *replyText + (p.reason.empty() ? "" : " (" + p.reason + ")");
    }

    store::Transition change{p.before.id, seen, p.to, p.actor, p.reason, p.at};
    p.replyId = std::make_shared<std::int64_t>(0);
    p.op = [change, reply = p.reply, replyId = p.replyId,
            actor = p.actor](store::WriteContext& context) -> base::Result<std::int64_t> {
        auto decided = store::Moderation::transition(context, change);
        if (!decided || !reply) {
            return decided;
        }
        auto id = store::Moderation::insert(context, *reply);
        if (!id) {
            return base::fail(id.error());
        }
        auto published = store::Moderation::transition(
            context, {*id, ItemState::Pending, ItemState::Approved, actor,
                      "reply to moderation item " + std::to_string(change.itemId), change.at});
        if (!published) {
            return base::fail(published.error());
        }
        *replyId = *id;
        return decided;
    };
    return p;
}

ModerationResult<ActionOutcome> ModerationQueue::finish(const Prepared& p, std::int64_t decisionId,
                                                        std::optional<std::int64_t> replyId) {
    ActionOutcome outcome;
    outcome.decisionId = decisionId;
    outcome.item = p.before;
    outcome.item.state = p.to;
    outcome.item.updatedAt = p.at;
    notify({ItemEvent::Change::Decided, outcome.item, p.actor, p.reason, isPublic(p.before),
            isPublic(outcome.item)});
    if (p.reply && replyId) {
        outcome.reply = storedItem(*p.reply, *replyId, ItemState::Approved);
        notify({ItemEvent::Change::Created, *outcome.reply, p.actor,
                "reply to moderation item " + std::to_string(p.before.id), false, true});
    }
    return outcome;
}

ModerationResult<ActionOutcome> ModerationQueue::act(const ActionRequest& request) {
    auto prepared = prepare(request);
    if (!prepared) {
        return tl::unexpected<ModerationError>(prepared.error());
    }
    auto decided = ItemStore::wait(store_.submit(prepared->op, Durability::Synced));
    if (!decided) {
        return tl::unexpected<ModerationError>(decided.error());
    }
    std::optional<std::int64_t> replyId;
    if (prepared->reply) {
        replyId = *prepared->replyId;
    }
    return finish(*prepared, *decided, replyId);
}

ModerationResult<std::vector<ModerationQueue::BulkResult>>
ModerationQueue::actMany(const std::vector<std::int64_t>& ids, const ActionRequest& common) {
    if (ids.empty()) {
        return refuse(Code::BadRequest, "ids is empty: give the items to act on");
    }
    if (ids.size() > options_.maxBulkItems) {
        return refuse(Code::BadRequest, "at most " + std::to_string(options_.maxBulkItems) +
                                            " items per bulk action, got " +
                                            std::to_string(ids.size()));
    }
    if (common.action == OperatorAction::Reply) {
        return refuse(Code::BadRequest, "reply is not a bulk action: reply to one item at a time");
    }
    struct Pending {
        std::int64_t id;
        ModerationResult<Prepared> prepared;
        std::optional<std::future<base::Result<std::int64_t>>> future;
    };
    std::vector<Pending> pending;
    pending.reserve(ids.size());
    for (auto id : ids) {
        ActionRequest request = common;
        request.itemId = id;
        request.seen.reset(); // per item: its current state
        pending.push_back({id, prepare(request), std::nullopt});
    }
    // Queue every decision before waiting for any: they share one synced commit.
    for (auto& p : pending) {
        if (p.prepared) {
            p.future = store_.submit(p.prepared->op, Durability::Synced);
        }
    }
    std::vector<BulkResult> results;
    results.reserve(pending.size());
    for (auto& p : pending) {
        if (!p.prepared) {
            results.push_back({p.id, tl::unexpected<ModerationError>(p.prepared.error())});
            continue;
        }
        auto decided = ItemStore::wait(std::move(*p.future));
        if (!decided) {
            results.push_back({p.id, tl::unexpected<ModerationError>(decided.error())});
            continue;
        }
        results.push_back({p.id, finish(*p.prepared, *decided, std::nullopt)});
    }
    return results;
}

ModerationResult<ModerationQueue::UpvoteOutcome>
ModerationQueue::upvote(const std::string& stream, std::int64_t itemId, const std::string& voter,
                        const std::string& address) {
    if (voter.empty() || voter.size() > 160) {
        return refuse(Code::BadRequest, "viewer_id must be 1..128 bytes");
    }
    {
        std::lock_guard lock(mutex_);
        if (auto wait = upvoteLimiter_.take("addr:" + address, clocks_.steady())) {
            return refuse(Code::RateLimited, "too many upvotes from this address; try again in " +
                                                 std::to_string((wait->count() + 999) / 1000) +
                                                 " s");
        }
    }
    auto found = store_.find(itemId);
    if (!found) {
        return tl::unexpected<ModerationError>(found.error());
    }
    const std::string itemText = "item " + std::to_string(itemId);
    if (!*found || (*found)->stream != stream || !isPublic(**found)) {
        return refuse(Code::NotFound, "no published " + itemText + " on " + stream);
    }
    if ((*found)->kind != ItemKind::Question) {
        return refuse(Code::Conflict, itemText + " is not a question; only questions take upvotes");
    }
    auto at = store::toStoreTime(clocks_.wall());
    auto counted = std::make_shared<bool>(false);
    auto upvotes = ItemStore::wait(store_.submit(
        [itemId, voter, at, counted](store::WriteContext& context) -> base::Result<std::int64_t> {
            auto outcome = store::Moderation::upvoteOnce(context, itemId, voter, at);
            if (!outcome) {
                return base::fail(outcome.error());
            }
            *counted = outcome->counted;
            return outcome->upvotes;
        },
        Durability::Committed));
    if (!upvotes) {
        return tl::unexpected<ModerationError>(upvotes.error());
    }
    UpvoteOutcome outcome{**found, *counted};
    outcome.item.upvotes = *upvotes;
    if (outcome.counted) {
        notify({ItemEvent::Change::Upvoted, outcome.item, "viewer", "", true, true});
    }
    return outcome;
}

ModerationResult<store::ModerationItem>
ModerationQueue::raiseDetectorItem(const std::string& stream,
                                   std::optional<std::chrono::milliseconds> mediaTime,
                                   DetectorKind kind, const std::string& detail) {
    store::NewModerationItem item;
    item.kind = kind == DetectorKind::UnauthorisedPublish ? ItemKind::Auth : ItemKind::Detector;
    item.stream = stream;
    item.author = std::string("detector:") + toString(kind);
    item.text = sanitizeUtf8(detail);
    item.mediaTs = mediaTime;
    item.state = ItemState::Pending;
    item.createdAt = store::toStoreTime(clocks_.wall());
    item.labelsJson = nlohmann::json::array({std::string("detector:") + toString(kind)}).dump();
    auto stored = store_.create(item, std::nullopt, Durability::Committed);
    if (stored) {
        notify({ItemEvent::Change::Created, *stored, item.author, "", false, false});
    }
    return stored;
}

ModerationResult<store::ModerationItem>
ModerationQueue::flag(const std::string& stream, std::optional<std::chrono::milliseconds> mediaTime,
                      const std::string& note, const std::string& moderator) {
    auto name = boundedText("moderator", moderator, options_.maxModeratorChars);
    if (!name) {
        return tl::unexpected<ModerationError>(name.error());
    }
    if (name->empty()) {
        return refuse(Code::BadRequest, "moderator is required: the name stored with the flag");
    }
    auto text = boundedText("note", note, options_.maxReasonChars);
    if (!text) {
        return tl::unexpected<ModerationError>(text.error());
    }
    store::NewModerationItem item;
    item.kind = ItemKind::Manual;
    item.stream = stream;
    item.author = *name;
    item.text = *text;
    item.mediaTs = mediaTime;
    item.state = ItemState::Pending;
    item.createdAt = store::toStoreTime(clocks_.wall());
    item.labelsJson = R"(["manual"])";
    const std::string actor = "operator:" + *name;
    auto id = ItemStore::wait(store_.submit(
        [item, actor](store::WriteContext& context) -> base::Result<std::int64_t> {
            auto inserted = store::Moderation::insert(context, item);
            if (!inserted) {
                return inserted;
            }
            nlohmann::json details = {{"stream", item.stream}};
            if (item.mediaTs) {
                details["media_ts_ms"] = item.mediaTs->count();
            }
            auto audited = store::Audit::append(
                context, {item.createdAt, actor, "moderation.flag",
                          "moderation_item:" + std::to_string(*inserted), details.dump()});
            if (!audited) {
                return base::fail(audited.error());
            }
            return inserted;
        },
        Durability::Synced));
    if (!id) {
        return tl::unexpected<ModerationError>(id.error());
    }
    auto stored = storedItem(item, *id, ItemState::Pending);
    notify({ItemEvent::Change::Created, stored, actor, "", false, false});
    return stored;
}

} // namespace stagecast::moderation
