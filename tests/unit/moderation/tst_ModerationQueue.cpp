// Moderator decisions through the real store: who/when/why stored with an audit entry,
// the state rules, stale decisions refused, replies, bulk actions, one upvote per viewer,
// detector items and manual flags with their media timestamps, and the CSV export.

#include <QtTest>

#include <sstream>

#include "ModerationTestSupport.h"
#include "moderation/ChatIntake.h"
#include "moderation/ModerationQueue.h"
#include "store/Audit.h"
#include "store/StoreReader.h"

using namespace stagecast::moderation;
using namespace stagecast;
using namespace std::chrono_literals;
using store::ItemKind;
using store::ItemState;
using Code = ModerationError::Code;

class tst_ModerationQueue : public QObject {
    Q_OBJECT

    struct Fixture {
        modtest::TestStore store;
        modtest::FakeClocks clocks;
        std::vector<ItemEvent> events;
        std::unique_ptr<ChatIntake> intake;
        std::unique_ptr<ModerationQueue> queue;

        explicit Fixture(bool preModeration = true) {
            IntakeOptions options;
            options.defaults.preModeration = preModeration;
            options.rateLimit = {1000, 1s};
            auto built = TextRules::build({});
            intake = std::make_unique<ChatIntake>(
                store.items(), std::make_shared<const TextRules>(std::move(built.rules)), options,
                clocks.clocks());
            queue =
                std::make_unique<ModerationQueue>(store.items(), QueueOptions{}, clocks.clocks());
            queue->setListener([this](const ItemEvent& e) { events.push_back(e); });
        }

        store::ModerationItem post(const std::string& text, ItemKind kind = ItemKind::Question,
                                   const std::string& stream = "live/demo") {
            PostRequest r;
            r.stream = stream;
            r.kind = kind;
            r.text = text;
            r.name = "viewer";
            r.viewerId = text; // a viewer per message: no repeat or rate rule in the way
            r.address = "10.0.0.1";
            auto out = intake->post(r);
            if (!out || !out->item) {
                qFatal("post failed");
            }
            return *out->item;
        }

        ModerationResult<ActionOutcome> act(std::int64_t id, OperatorAction action,
                                            std::string moderator = "alice",
                                            std::string reason = "", std::string reply = "") {
            return queue->act({id, action, std::move(moderator), std::move(reason),
                               std::move(reply), std::nullopt});
        }

        store::ModerationItem reload(std::int64_t id) {
            auto found = store.items().find(id);
            if (!found || !*found) {
                qFatal("item %lld missing", static_cast<long long>(id));
            }
            return **found;
        }
    };

private slots:
    void approveStoresModeratorTimeAndAudit() {
        Fixture f;
        auto item = f.post("When is the break?");
        QVERIFY(item.state == ItemState::Pending);
        f.clocks.advance(90s);
        auto out = f.act(item.id, OperatorAction::Approve, "alice", "on topic");
        MOD_VERIFY(out);
        QVERIFY(out->item.state == ItemState::Approved);
        QVERIFY(f.reload(item.id).state == ItemState::Approved);
        auto d = f.store.items().decisions(item.id);
        MOD_VERIFY(d);
        QCOMPARE(d->size(), std::size_t(1));
        QCOMPARE(d->at(0).actor, std::string("operator:alice"));
        QCOMPARE(d->at(0).reason, std::string("on topic"));
        QVERIFY(d->at(0).from == ItemState::Pending);
        QCOMPARE(store::toUnixMs(d->at(0).at), std::int64_t(1'767'225'600'000 + 90'000));
        auto reader = store::StoreReader::open(f.store.writer().path());
        QVERIFY(reader);
        auto audit = store::Audit::list(*reader, {});
        QVERIFY(audit);
        QCOMPARE(audit->size(), std::size_t(1));
        QCOMPARE(audit->at(0).entry.actor, std::string("operator:alice"));
        QCOMPARE(audit->at(0).entry.target, "moderation_item:" + std::to_string(item.id));
        // The durable path was used.
        QVERIFY(f.store.writer().counters().durableCommits >= 1);
        QCOMPARE(f.events.size(), std::size_t(1));
        QVERIFY(f.events[0].isPublic && !f.events[0].wasPublic);
    }

    void answerDismissFollowUpHold() {
        Fixture f;
        auto q = f.post("What about pricing?");
        MOD_VERIFY(f.act(q.id, OperatorAction::Approve));
        MOD_VERIFY(f.act(q.id, OperatorAction::Answer, "bob"));
        QVERIFY(f.reload(q.id).state == ItemState::Answered);
        MOD_VERIFY(f.act(q.id, OperatorAction::FollowUp, "bob"));
        QVERIFY(f.reload(q.id).state == ItemState::Escalated);
        MOD_VERIFY(f.act(q.id, OperatorAction::Dismiss, "bob"));
        QVERIFY(f.reload(q.id).state == ItemState::Dismissed);
        MOD_VERIFY(f.act(q.id, OperatorAction::Hold, "bob"));
        QVERIFY(f.reload(q.id).state == ItemState::Pending);
        auto d = f.store.items().decisions(q.id);
        QCOMPARE(d->size(), std::size_t(5));
    }

    void refusedTransitions() {
        Fixture f;
        auto chat = f.post("just chatting", ItemKind::Chat);
        auto answer = f.act(chat.id, OperatorAction::Answer);
        QVERIFY(!answer);
        QVERIFY(answer.error().code == Code::Conflict);
        QCOMPARE(answer.error().message, "cannot answer moderation item " +
                                             std::to_string(chat.id) +
                                             ": it is a chat, and only questions are answered");
        MOD_VERIFY(f.act(chat.id, OperatorAction::Approve));
        auto again = f.act(chat.id, OperatorAction::Approve);
        QVERIFY(!again);
        QVERIFY(again.error().code == Code::Conflict);
        QCOMPARE(again.error().message,
                 "cannot approve moderation item " + std::to_string(chat.id) +
                     ": it is approved; approve applies to items that are pending, escalated, "
                     "rejected or dismissed");
        auto missing = f.act(9999, OperatorAction::Approve);
        QVERIFY(!missing);
        QVERIFY(missing.error().code == Code::NotFound);
        auto anonymous = f.act(chat.id, OperatorAction::Dismiss, "  ");
        QVERIFY(!anonymous);
        QVERIFY(anonymous.error().code == Code::BadRequest);
        QCOMPARE(anonymous.error().message,
                 std::string("moderator is required: the name stored with the decision"));
    }

    void staleDecisionIsRefused() {
        Fixture f;
        auto q = f.post("Is this recorded?");
        MOD_VERIFY(f.act(q.id, OperatorAction::Dismiss, "carol"));
        // Dave still sees it as pending.
        auto late =
            f.queue->act({q.id, OperatorAction::Approve, "dave", "", "", ItemState::Pending});
        QVERIFY(!late);
        QVERIFY(late.error().code == Code::Conflict);
        QVERIFY(late.error().message.find("decided meanwhile") != std::string::npos);
        QVERIFY(f.reload(q.id).state == ItemState::Dismissed);
    }

    void replyPublishesALinkedItem() {
        Fixture f;
        auto q = f.post("Where are the slides?");
        auto early = f.act(q.id, OperatorAction::Reply, "alice", "", "On the intranet");
        QVERIFY(!early);
        QVERIFY(early.error().code == Code::Conflict); // publish it first
        MOD_VERIFY(f.act(q.id, OperatorAction::Approve));
        auto out = f.act(q.id, OperatorAction::Reply, "alice", "", "On the intranet");
        MOD_VERIFY(out);
        QVERIFY(out->reply.has_value());
        QVERIFY(out->item.state == ItemState::Approved); // kept
        auto reply = f.reload(out->reply->id);
        QVERIFY(reply.state == ItemState::Approved);
        QCOMPARE(reply.text, std::string("On the intranet"));
        QCOMPARE(reply.author, std::string("alice"));
        QCOMPARE(reply.labelsJson, "[\"reply\",\"reply-to:" + std::to_string(q.id) + "\"]");
        auto d = f.store.items().decisions(q.id);
        QCOMPARE(d->back().reason, std::string("reply: On the intranet"));
        QVERIFY(d->back().from == ItemState::Approved && d->back().to == ItemState::Approved);
        auto noText = f.act(q.id, OperatorAction::Reply, "alice");
        QVERIFY(!noText);
        QVERIFY(noText.error().code == Code::BadRequest);
    }

    void bulkActsOnEachItemAlone() {
        Fixture f;
        auto a = f.post("one");
        auto b = f.post("two");
        auto c = f.post("three");
        MOD_VERIFY(f.act(c.id, OperatorAction::Reject));
        auto durableBefore = f.store.writer().counters().durableCommits;
        auto results = f.queue->actMany({a.id, b.id, c.id, 4242},
                                        {0, OperatorAction::Dismiss, "erin", "off topic", "", {}});
        MOD_VERIFY(results);
        QCOMPARE(results->size(), std::size_t(4));
        QVERIFY(results->at(0).outcome && results->at(1).outcome);
        QVERIFY(!results->at(2).outcome); // rejected stays rejected: dismiss does not apply
        QVERIFY(results->at(2).outcome.error().code == Code::Conflict);
        QVERIFY(!results->at(3).outcome);
        QVERIFY(results->at(3).outcome.error().code == Code::NotFound);
        QVERIFY(f.reload(a.id).state == ItemState::Dismissed);
        QVERIFY(f.reload(b.id).state == ItemState::Dismissed);
        // Two decisions queued together: at most one synced commit each (usually one for both).
        QVERIFY(f.store.writer().counters().durableCommits - durableBefore <= 2);
        auto none = f.queue->actMany({}, {0, OperatorAction::Dismiss, "erin", "", "", {}});
        QVERIFY(!none);
        auto reply = f.queue->actMany({a.id}, {0, OperatorAction::Reply, "erin", "", "x", {}});
        QVERIFY(!reply);
    }

    void oneUpvotePerViewer() {
        Fixture f(false); // published at once
        auto q = f.post("Will there be a recording?");
        QVERIFY(q.state == ItemState::Approved);
        auto first = f.queue->upvote("live/demo", q.id, "viewer-1", "10.0.0.1");
        MOD_VERIFY(first);
        QVERIFY(first->counted);
        QCOMPARE(first->item.upvotes, std::int64_t(1));
        auto twice = f.queue->upvote("live/demo", q.id, "viewer-1", "10.0.0.1");
        MOD_VERIFY(twice);
        QVERIFY(!twice->counted);
        QCOMPARE(twice->item.upvotes, std::int64_t(1));
        auto other = f.queue->upvote("live/demo", q.id, "viewer-2", "10.0.0.2");
        QCOMPARE(other->item.upvotes, std::int64_t(2));
        QCOMPARE(f.reload(q.id).upvotes, std::int64_t(2));

        auto wrongStream = f.queue->upvote("live/other", q.id, "viewer-3", "10.0.0.3");
        QVERIFY(!wrongStream);
        QVERIFY(wrongStream.error().code == Code::NotFound);
        auto chat = f.post("a chat line", ItemKind::Chat);
        auto notQuestion = f.queue->upvote("live/demo", chat.id, "viewer-1", "10.0.0.1");
        QVERIFY(!notQuestion);
        QVERIFY(notQuestion.error().code == Code::Conflict);
        MOD_VERIFY(f.act(q.id, OperatorAction::Dismiss));
        auto hidden = f.queue->upvote("live/demo", q.id, "viewer-4", "10.0.0.4");
        QVERIFY(!hidden);
        QVERIFY(hidden.error().code == Code::NotFound);
    }

    void detectorAndFlagItemsKeepTheMediaTime() {
        Fixture f;
        auto black = f.queue->raiseDetectorItem("live/demo", 754'200ms, DetectorKind::Black,
                                                "black frames for 12 s");
        MOD_VERIFY(black);
        auto stored = f.reload(black->id);
        QVERIFY(stored.kind == ItemKind::Detector);
        QVERIFY(stored.state == ItemState::Pending);
        QVERIFY(stored.mediaTs == 754'200ms);
        QCOMPARE(stored.author, std::string("detector:black"));
        QCOMPARE(stored.labelsJson, std::string("[\"detector:black\"]"));
        auto auth =
            f.queue->raiseDetectorItem("live/demo", std::nullopt, DetectorKind::UnauthorisedPublish,
                                       "publish refused from 203.0.113.9: bad signature");
        QVERIFY(f.reload(auth->id).kind == ItemKind::Auth);

        auto flag = f.queue->flag("live/demo", 60'000ms, "logo covers the slide", "frank");
        MOD_VERIFY(flag);
        auto flagged = f.reload(flag->id);
        QVERIFY(flagged.kind == ItemKind::Manual);
        QVERIFY(flagged.mediaTs == 60'000ms);
        QCOMPARE(flagged.author, std::string("frank"));
        auto reader = store::StoreReader::open(f.store.writer().path());
        auto audit = store::Audit::list(*reader, {});
        QCOMPARE(audit->size(), std::size_t(1));
        QCOMPARE(audit->at(0).entry.action, std::string("moderation.flag"));
        QCOMPARE(audit->at(0).entry.details,
                 std::string("{\"media_ts_ms\":60000,\"stream\":\"live/demo\"}"));
        QVERIFY(!f.queue->flag("live/demo", std::nullopt, "x", ""));
    }

    void csvExportHasTheDecisions() {
        Fixture f;
        auto q = f.post("坏天气怎么办？");
        MOD_VERIFY(f.act(q.id, OperatorAction::Approve, "李娜"));
        MOD_VERIFY(f.act(q.id, OperatorAction::Answer, "李娜", "answered on stage"));
        std::ostringstream csv;
        auto records = f.store.items().exportCsv({}, csv);
        MOD_VERIFY(records);
        QCOMPARE(*records, std::size_t(2));
        auto text = csv.str();
        QVERIFY(text.find("operator:李娜") != std::string::npos);
        QVERIFY(text.find("answered on stage") != std::string::npos);
        QVERIFY(text.find("坏天气怎么办？") != std::string::npos);
    }

    void actionNames() {
        QVERIFY(parseOperatorAction("approve") == OperatorAction::Approve);
        QVERIFY(parseOperatorAction("follow_up") == OperatorAction::FollowUp);
        QVERIFY(parseOperatorAction("followup") == OperatorAction::FollowUp);
        QVERIFY(!parseOperatorAction("delete"));
        QVERIFY(parseDetectorKind("loudness") == DetectorKind::Loudness);
        QVERIFY(!parseDetectorKind("nudity"));
    }
};

QTEST_APPLESS_MAIN(tst_ModerationQueue)
#include "tst_ModerationQueue.moc"
