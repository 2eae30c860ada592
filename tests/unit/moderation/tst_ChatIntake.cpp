// Viewer posts through the real store: published, held (listed word in full-width form,
// personal data, pre-moderation), rejected with the reason kept for moderators only,
// anonymous posting, the per-viewer and per-address rate limits and repeats (fake clock).

#include <QtTest>

#include "ModerationTestSupport.h"
#include "moderation/ChatIntake.h"
#include "store/StoreReader.h"

using namespace stagecast::moderation;
using namespace stagecast;
using namespace std::chrono_literals;
using Status = PostOutcome::Status;

namespace {

std::shared_ptr<const TextRules> rules() {
    RulesSpec spec;
    spec.wordLists = {{"review", Action::Hold, {"bad", "坏话"}},
                      {"banned", Action::Reject, {"idiot"}},
                      {"watch", Action::Label, {"competitor"}}};
    auto built = TextRules::build(spec);
    return std::make_shared<const TextRules>(std::move(built.rules));
}

PostRequest chat(std::string text, std::string viewer = "v1", std::string name = "Ann") {
    PostRequest r;
    r.stream = "live/demo";
    r.kind = store::ItemKind::Chat;
    r.text = std::move(text);
    r.name = std::move(name);
    r.viewerId = std::move(viewer);
    r.address = "10.0.0.7";
    return r;
}

} // namespace

class tst_ChatIntake : public QObject {
    Q_OBJECT

    struct Fixture {
        modtest::TestStore store;
        modtest::FakeClocks clocks;
        std::vector<ItemEvent> events;
        std::unique_ptr<ChatIntake> intake;

        explicit Fixture(IntakeOptions options = {}) {
            intake = std::make_unique<ChatIntake>(store.items(), rules(), options, clocks.clocks());
            intake->setListener([this](const ItemEvent& e) { events.push_back(e); });
        }
        std::vector<store::ModerationDecision> decisions(std::int64_t id) {
            auto d = store.items().decisions(id);
            return d ? *d : std::vector<store::ModerationDecision>{};
        }
        std::int64_t itemCount() { return store.items().count({}).value_or(-1); }
    };

private slots:
    void cleanMessageIsPublished() {
        Fixture f;
        auto out = f.intake->post(chat("hello everyone"));
        MOD_VERIFY(out);
        QVERIFY(out->status == Status::Published);
        QVERIFY(out->item->state == store::ItemState::Approved);
        QCOMPARE(out->item->labelsJson, std::string("[]"));
        auto stored = f.store.items().find(out->item->id);
        MOD_VERIFY(stored);
        QVERIFY(stored->has_value());
        QCOMPARE((*stored)->text, std::string("hello everyone"));
        QCOMPARE((*stored)->author, std::string("Ann"));
        QVERIFY((*stored)->state == store::ItemState::Approved);
        auto d = f.decisions(out->item->id);
        QCOMPARE(d.size(), std::size_t(1));
        QCOMPARE(d[0].actor, std::string("system:rules"));
        QCOMPARE(d[0].reason, std::string("no rule matched; pre-moderation is off"));
        QCOMPARE(f.events.size(), std::size_t(1));
        QVERIFY(f.events[0].isPublic);
        QVERIFY(!f.events[0].wasPublic);
    }

    void fullWidthListedWordIsHeld() {
        Fixture f;
        auto out = f.intake->post(chat("this is ＢＡＤ"));
        MOD_VERIFY(out);
        QVERIFY(out->status == Status::Held);
        QVERIFY(out->item->state == store::ItemState::Pending);
        QCOMPARE(out->item->labelsJson, std::string("[\"word:review\"]"));
        QCOMPARE(out->viewerMessage,
                 std::string("Your message will appear once a moderator has reviewed it."));
        QVERIFY(f.decisions(out->item->id).empty());
        QVERIFY(!f.events.at(0).isPublic);
        // The stored text is what the viewer typed.
        auto stored = f.store.items().find(out->item->id);
        QCOMPARE((*stored)->text, std::string("this is ＢＡＤ"));
    }

    void phoneNumberIsHeldAsPersonalData() {
        Fixture f;
        auto out = f.intake->post(chat("加我 138 1234 5678"));
        MOD_VERIFY(out);
        QVERIFY(out->status == Status::Held);
        QCOMPARE(out->item->labelsJson, std::string("[\"personal-data:phone\"]"));
    }

    void rejectedIsStoredWithReasonButViewerToldInGeneralTerms() {
        Fixture f;
        auto out = f.intake->post(chat("you IDIOT"));
        MOD_VERIFY(out);
        QVERIFY(out->status == Status::Rejected);
        QVERIFY(out->item->state == store::ItemState::Rejected);
        QVERIFY(out->viewerMessage.find("idiot") == std::string::npos);
        auto d = f.decisions(out->item->id);
        QCOMPARE(d.size(), std::size_t(1));
        QVERIFY(d[0].to == store::ItemState::Rejected);
        QCOMPARE(d[0].reason, std::string("word:banned matched 'idiot'"));
    }

    void labelOnlyIsPublishedWithEvidence() {
        Fixture f;
        auto out = f.intake->post(chat("how do you compare to the competitor?"));
        MOD_VERIFY(out);
        QVERIFY(out->status == Status::Published);
        QCOMPARE(out->item->labelsJson, std::string("[\"word:watch\"]"));
    }

    void preModerationHoldsCleanMessages() {
        IntakeOptions options;
        options.events["live/demo"] = {true, true};
        Fixture f(options);
        auto out = f.intake->post(chat("hello"));
        MOD_VERIFY(out);
        QVERIFY(out->status == Status::Held);
        // Another event keeps the default (off), and it can be switched at run time.
        auto other = chat("hello");
        other.stream = "live/other";
        other.viewerId = "v2";
        QVERIFY(f.intake->post(other)->status == Status::Published);
        f.intake->setSettings("live/other", {true, true});
        other.text = "hello again";
        QVERIFY(f.intake->post(other)->status == Status::Held);
        QVERIFY(f.intake->settings("live/other").preModeration);
    }

    void anonymousPosting() {
        IntakeOptions options;
        options.defaults.allowAnonymous = false;
        Fixture f(options);
        auto out = f.intake->post(chat("hi", "v1", "   "));
        QVERIFY(!out);
        QVERIFY(out.error().code == ModerationError::Code::Forbidden);
        QCOMPARE(f.itemCount(), std::int64_t(0));
        MOD_VERIFY(f.intake->post(chat("hi", "v1", "Bo")));
        // Allowed by default: stored with an empty author.
        Fixture open;
        auto anon = open.intake->post(chat("hi", "v1", ""));
        MOD_VERIFY(anon);
        QCOMPARE(anon->item->author, std::string());
    }

    void floodIsRateLimitedAndNotStored() {
        Fixture f; // 5 messages per 30 s
        for (int i = 0; i < 5; ++i) {
            auto out = f.intake->post(chat("message " + std::to_string(i)));
            MOD_VERIFY(out);
            QVERIFY(out->status == Status::Published);
        }
        auto limited = f.intake->post(chat("message 5"));
        MOD_VERIFY(limited);
        QVERIFY(limited->status == Status::RateLimited);
        QVERIFY(!limited->item);
        QCOMPARE(limited->retryAfter.count(), std::int64_t(6000));
        QCOMPARE(f.itemCount(), std::int64_t(5));
        // Another viewer is not affected; the first gets a token back after 6 s.
        QVERIFY(f.intake->post(chat("me too", "v2"))->status == Status::Published);
        f.clocks.advance(6s);
        QVERIFY(f.intake->post(chat("message 6"))->status == Status::Published);
        QCOMPARE(f.intake->counters().rateLimited, std::uint64_t(1));
    }

    void changingViewerIdsDoesNotEscapeTheAddressLimit() {
        IntakeOptions options;
        options.rateLimit = {2, 30s};
        options.addressRateFactor = 2; // 4 per 30 s per address
        Fixture f(options);
        for (int i = 0; i < 4; ++i) {
            QVERIFY(
                f.intake->post(chat("m" + std::to_string(i), "id" + std::to_string(i)))->status ==
                Status::Published);
        }
        QVERIFY(f.intake->post(chat("m4", "id4"))->status == Status::RateLimited);
    }

    void repeatedMessageIsRejected() {
        Fixture f;
        QVERIFY(f.intake->post(chat("Great talk"))->status == Status::Published);
        auto again = f.intake->post(chat("great   TALK"));
        MOD_VERIFY(again);
        QVERIFY(again->status == Status::Rejected);
        QCOMPARE(again->item->labelsJson, std::string("[\"repeat\"]"));
        // Another viewer may say the same; after the window the first may too.
        QVERIFY(f.intake->post(chat("Great talk", "v2"))->status == Status::Published);
        f.clocks.advance(61s);
        QVERIFY(f.intake->post(chat("Great talk"))->status == Status::Published);
    }

    void invalidPosts_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("error");
        QTest::newRow("empty") << "" << int(store::ItemKind::Chat) << "text is empty";
        QTest::newRow("blank") << " \u3000 " << int(store::ItemKind::Chat) << "text is empty";
        QTest::newRow("too long") << QString(501, QChar(0x4F60)) << int(store::ItemKind::Chat)
                                  << "text has 501 characters; at most 500 are allowed";
        QTest::newRow("wrong kind")
            << "hi" << int(store::ItemKind::Detector) << "kind must be chat or question";
    }

    void invalidPosts() {
        QFETCH(QString, text);
        QFETCH(int, kind);
        QFETCH(QString, error);
        Fixture f;
        auto request = chat(text.toStdString());
        request.kind = static_cast<store::ItemKind>(kind);
        auto out = f.intake->post(request);
        QVERIFY(!out);
        QVERIFY(out.error().code == ModerationError::Code::BadRequest);
        QCOMPARE(QString::fromStdString(out.error().message), error);
        QCOMPARE(f.itemCount(), std::int64_t(0));
    }

    void invalidUtf8IsStoredAsReplacementCharacters() {
        Fixture f;
        auto out = f.intake->post(chat(std::string("ok \xFF\xFE then")));
        MOD_VERIFY(out);
        QCOMPARE(out->item->text, std::string("ok \xEF\xBF\xBD\xEF\xBF\xBD then"));
    }
};

QTEST_APPLESS_MAIN(tst_ChatIntake)
#include "tst_ChatIntake.moc"
