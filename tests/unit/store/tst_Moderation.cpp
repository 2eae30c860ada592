// The moderation repository: transitions written atomically (decision + audit + state),
// stale decisions refused, and the queue's filters, text search and paging.

#include <QtTest>

#include "StoreTestSupport.h"
#include "store/Audit.h"
#include "store/Moderation.h"
#include "store/StoreWriter.h"
#include "store/WriteContext.h"

using namespace stagecast::store;
using storetest::why;

Q_DECLARE_METATYPE(stagecast::store::ModerationFilter)

namespace {

struct Seed {
    ItemKind kind;
    const char* stream;
    const char* author;
    const char* text;
    ItemState state;
};

// Item n (1-based) is created at second 10 * n, so newest first means descending ids.
const Seed kSeeds[] = {
    {ItemKind::Chat, "live/a", "alice", "Hello everyone", ItemState::Pending},                 // 1
    {ItemKind::Question, "live/a", "bob", "When is the Q&A?", ItemState::Pending},             // 2
    {ItemKind::Chat, "live/b", "carol", "BUY CHEAP WATCHES http://spam", ItemState::Rejected}, // 3
    {ItemKind::Detector, "live/a", "system", "loudness above -9 LUFS", ItemState::Escalated},  // 4
    {ItemKind::Chat, "live/b", "张伟", "大家好，欢迎来到直播", ItemState::Pending},            // 5
    {ItemKind::Question, "live/b", "李娜", "这个问题怎么解决？", ItemState::Approved},         // 6
    {ItemKind::Chat, "live/a", "dave", "100% agree_with that", ItemState::Pending},            // 7
    {ItemKind::Manual, "", "operator", "Reported: \"quoted\" text", ItemState::Pending},       // 8
    {ItemKind::Auth, "live/a", "", "publish refused: bad signature", ItemState::Pending},      // 9
    {ItemKind::Question, "live/a", "erin", "hello again", ItemState::Answered},                // 10
    {ItemKind::Chat, "live/b", "alice", "Hello from B", ItemState::Pending},                   // 11
    {ItemKind::Chat, "live/a", "frank", "直播很好", ItemState::Pending},                       // 12
};

NewModerationItem item(ItemKind kind, std::string stream, std::string text, std::int64_t second,
                       ItemState state = ItemState::Pending, std::string author = "viewer") {
    NewModerationItem i;
    i.kind = kind;
    i.stream = std::move(stream);
    i.author = std::move(author);
    i.text = std::move(text);
    i.state = state;
    i.createdAt = storetest::at(second);
    return i;
}

QList<qint64> ids(const std::vector<ModerationItem>& items) {
    QList<qint64> out;
    for (const auto& i : items) {
        out.append(i.id);
    }
    return out;
}

} // namespace

class tst_Moderation : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    int counter_ = 0;
    std::optional<Database> seeded_;

    Database freshDb() {
        auto db = storetest::openDb(
            storetest::dbPath(dir_, ("mod" + std::to_string(++counter_) + ".db").c_str()));
        if (!db) {
            qFatal("open: %s", db.error().message().c_str());
        }
        return std::move(*db);
    }

    std::int64_t count(Database& db, const char* table) {
        return db.connection()
            .queryInt64(std::string("SELECT count(*) FROM ") + table)
            .value_or(-1);
    }

private slots:
    void initTestCase() {
        seeded_.emplace(freshDb());
        WriteContext context(seeded_->connection());
        std::int64_t n = 0;
        for (const Seed& s : kSeeds) {
            ++n;
            auto id = Moderation::insert(context,
                                         item(s.kind, s.stream, s.text, 10 * n, s.state, s.author));
            QVERIFY2(id && *id == n, why(id).c_str());
        }
    }

    void transitionWritesStateDecisionAndAudit() {
        Database db = freshDb();
        WriteContext context(db.connection());
        auto id = Moderation::insert(context, item(ItemKind::Chat, "live/a", "hi", 1));
        STORE_VERIFY(id);
        auto decision =
            Moderation::transition(context, {*id, ItemState::Pending, ItemState::Rejected,
                                             "mod:amy", "rude", storetest::at(5)});
        STORE_VERIFY(decision);

        auto reader = db.openReader();
        STORE_VERIFY(reader);
        auto found = Moderation::find(*reader, *id);
        STORE_VERIFY(found);
        QVERIFY(found->has_value());
        QCOMPARE((*found)->state, ItemState::Rejected);
        QCOMPARE((*found)->updatedAt, storetest::at(5));
        QCOMPARE((*found)->createdAt, storetest::at(1));

        auto decisions = Moderation::decisions(*reader, *id);
        STORE_VERIFY(decisions);
        QCOMPARE(decisions->size(), std::size_t{1});
        const ModerationDecision& d = decisions->front();
        QCOMPARE(d.id, *decision);
        QCOMPARE(d.from, ItemState::Pending);
        QCOMPARE(d.to, ItemState::Rejected);
        QCOMPARE(d.actor, std::string("mod:amy"));
        QCOMPARE(d.reason, std::string("rude"));
        QCOMPARE(d.at, storetest::at(5));

        auto audit = Audit::list(*reader, {});
        STORE_VERIFY(audit);
        QCOMPARE(audit->size(), std::size_t{1});
        const AuditEntry& e = audit->front().entry;
        QCOMPARE(e.actor, std::string("mod:amy"));
        QCOMPARE(e.action, std::string("moderation.decide"));
        QCOMPARE(e.target, "moderation_item:" + std::to_string(*id));
        QCOMPARE(e.details, "{\"decision\":" + std::to_string(*decision) +
                                ",\"from\":\"pending\",\"to\":\"rejected\",\"reason\":\"rude\"}");
        QCOMPARE(e.at, storetest::at(5));
    }

    void failureMidTransitionWritesNothing_data() {
        QTest::addColumn<QString>("trigger");
        QTest::newRow("state update fails")
            << "CREATE TEMP TRIGGER boom BEFORE UPDATE ON main.moderation_items BEGIN "
               "SELECT RAISE(ABORT, 'simulated failure'); END";
        QTest::newRow("decision insert fails")
            << "CREATE TEMP TRIGGER boom BEFORE INSERT ON main.moderation_decisions BEGIN "
               "SELECT RAISE(ABORT, 'simulated failure'); END";
        QTest::newRow("audit insert fails (last step)")
            << "CREATE TEMP TRIGGER boom BEFORE INSERT ON main.audit_log BEGIN "
               "SELECT RAISE(ABORT, 'simulated failure'); END";
    }

    void failureMidTransitionWritesNothing() {
        QFETCH(QString, trigger);
        Database db = freshDb();
        WriteContext context(db.connection());
        auto id = Moderation::insert(context, item(ItemKind::Question, "live/a", "why?", 1));
        STORE_VERIFY(id);
        STORE_VERIFY(db.connection().exec(trigger.toStdString()));
        auto decision = Moderation::transition(
            context, {*id, ItemState::Pending, ItemState::Approved, "mod", "", storetest::at(2)});
        QVERIFY(!decision);
        QVERIFY2(decision.error().message().find("simulated failure") != std::string::npos,
                 decision.error().message().c_str());
        QVERIFY(!db.connection().inTransaction());
        QCOMPARE(db.connection()
                     .queryText("SELECT state || ',' || updated_at FROM moderation_items")
                     .value_or("?"),
                 "pending," + std::to_string(toUnixMs(storetest::at(1))));
        QCOMPARE(count(db, "moderation_decisions"), std::int64_t{0});
        QCOMPARE(count(db, "audit_log"), std::int64_t{0});

        // Without the fault the same transition goes through.
        STORE_VERIFY(db.connection().exec("DROP TRIGGER temp.boom"));
        STORE_VERIFY(Moderation::transition(
            context, {*id, ItemState::Pending, ItemState::Approved, "mod", "", storetest::at(3)}));
        QCOMPARE(count(db, "moderation_decisions"), std::int64_t{1});
        QCOMPARE(count(db, "audit_log"), std::int64_t{1});
    }

    void failureThroughTheWriterLeavesTheBatchIntact() {
        auto path = storetest::dbPath(dir_, "writer-fault.db");
        auto db = storetest::openDb(path);
        STORE_VERIFY(db);
        StoreWriter writer(std::move(*db));
        auto id = writer
                      .submit([](WriteContext& c) {
                          return Moderation::insert(c, item(ItemKind::Chat, "live/a", "hi", 1));
                      })
                      .get();
        STORE_VERIFY(id);
        STORE_VERIFY(writer
                         .submit([](WriteContext& c) -> stagecast::base::Result<std::int64_t> {
                             auto made = c.connection().exec(
                                 "CREATE TEMP TRIGGER boom BEFORE INSERT ON main.audit_log BEGIN "
                                 "SELECT RAISE(ABORT, 'simulated failure'); END");
                             if (!made) {
                                 return stagecast::base::fail(made.error());
                             }
                             return 0;
                         })
                         .get());
        writer.enqueueSample({"live/a", storetest::at(1), 1.0, {}, {}, {}, {}, {}, ""});
        auto decision =
            writer
                .submitDurable([&](WriteContext& c) {
                    return Moderation::transition(c, {*id, ItemState::Pending, ItemState::Approved,
                                                      "mod", "", storetest::at(2)});
                })
                .get();
        QVERIFY(!decision);
        QVERIFY2(decision.error().message().find("simulated failure") != std::string::npos,
                 decision.error().message().c_str());
        auto reader = writer.openReader();
        STORE_VERIFY(reader);
        Connection& r = reader->connection();
        QCOMPARE(r.queryText("SELECT state FROM moderation_items").value_or("?"),
                 std::string("pending"));
        QCOMPARE(r.queryInt64("SELECT count(*) FROM moderation_decisions").value_or(-1),
                 std::int64_t{0});
        QCOMPARE(r.queryInt64("SELECT count(*) FROM audit_log").value_or(-1), std::int64_t{0});
        // The sample queued before the failed decision is committed regardless.
        QCOMPARE(r.queryInt64("SELECT count(*) FROM health_samples").value_or(-1), std::int64_t{1});
    }

    void staleDecisionIsRefused() {
        Database db = freshDb();
        WriteContext context(db.connection());
        auto id = Moderation::insert(context, item(ItemKind::Chat, "live/a", "hi", 1));
        STORE_VERIFY(id);
        STORE_VERIFY(Moderation::transition(
            context, {*id, ItemState::Pending, ItemState::Approved, "amy", "", storetest::at(2)}));
        // A second moderator still sees it pending.
        auto late = Moderation::transition(
            context, {*id, ItemState::Pending, ItemState::Rejected, "ben", "", storetest::at(3)});
        QVERIFY(!late);
        QCOMPARE(late.error().message(),
                 "moderation item " + std::to_string(*id) +
                     " is approved, not pending: it was decided meanwhile; reload and decide "
                     "again");
        QCOMPARE(count(db, "moderation_decisions"), std::int64_t{1});
        QCOMPARE(count(db, "audit_log"), std::int64_t{1});
    }

    void missingItemIsRefused() {
        Database db = freshDb();
        WriteContext context(db.connection());
        auto result = Moderation::transition(
            context, {404, ItemState::Pending, ItemState::Approved, "amy", "", storetest::at(2)});
        QVERIFY(!result);
        QCOMPARE(result.error().message(), std::string("moderation item 404 does not exist"));
        QVERIFY(!db.connection().inTransaction());
    }

    void invalidLabelsAreRefused() {
        Database db = freshDb();
        WriteContext context(db.connection());
        auto i = item(ItemKind::Detector, "live/a", "flag", 1);
        i.labelsJson = "[\"nudity\", 0.93]";
        STORE_VERIFY(Moderation::insert(context, i));
        i.labelsJson = "not json";
        auto bad = Moderation::insert(context, i);
        QVERIFY(!bad);
        QVERIFY2(bad.error().message().find("CHECK constraint failed") != std::string::npos,
                 bad.error().message().c_str());
    }

    void upvotesAccumulate() {
        Database db = freshDb();
        WriteContext context(db.connection());
        auto id = Moderation::insert(context, item(ItemKind::Question, "live/a", "q", 1));
        STORE_VERIFY(id);
        QCOMPARE(Moderation::addUpvotes(context, *id, 1).value_or(-1), std::int64_t{1});
        QCOMPARE(Moderation::addUpvotes(context, *id, 4).value_or(-1), std::int64_t{5});
        QVERIFY(!Moderation::addUpvotes(context, 999, 1));
    }

    void upvoteOncePerVoter() {
        Database db = freshDb();
        WriteContext context(db.connection());
        auto id = Moderation::insert(context, item(ItemKind::Question, "live/a", "q", 1));
        STORE_VERIFY(id);
        auto first = Moderation::upvoteOnce(context, *id, "viewer-1", storetest::at(2));
        STORE_VERIFY(first);
        QVERIFY(first->counted);
        QCOMPARE(first->upvotes, std::int64_t{1});
        auto again = Moderation::upvoteOnce(context, *id, "viewer-1", storetest::at(3));
        STORE_VERIFY(again);
        QVERIFY(!again->counted);
        QCOMPARE(again->upvotes, std::int64_t{1});
        auto other = Moderation::upvoteOnce(context, *id, "viewer-2", storetest::at(4));
        QCOMPARE(other.value_or(Moderation::UpvoteOutcome{}).upvotes, std::int64_t{2});
        QCOMPARE(count(db, "moderation_upvotes"), std::int64_t{2});
        auto missing = Moderation::upvoteOnce(context, 999, "viewer-1", storetest::at(5));
        QVERIFY(!missing);
        QCOMPARE(count(db, "moderation_upvotes"), std::int64_t{2});
    }

    void dismissedRoundTrips() {
        Database db = freshDb();
        WriteContext context(db.connection());
        auto id = Moderation::insert(context, item(ItemKind::Question, "live/a", "q", 1));
        STORE_VERIFY(id);
        STORE_VERIFY(Moderation::transition(context, {*id, ItemState::Pending, ItemState::Dismissed,
                                                      "mod", "off topic", storetest::at(2)}));
        auto reader = db.openReader();
        STORE_VERIFY(reader);
        auto found = Moderation::find(*reader, *id);
        STORE_VERIFY(found);
        QCOMPARE((*found)->state, ItemState::Dismissed);
        QCOMPARE(std::string(toString(ItemState::Dismissed)), std::string("dismissed"));
        QCOMPARE(parseItemState("dismissed"), std::optional<ItemState>(ItemState::Dismissed));
    }

    void roundTripsEveryField() {
        Database db = freshDb();
        WriteContext context(db.connection());
        auto i = item(ItemKind::Detector, "live/cam 1", "frame flagged", 7, ItemState::Escalated,
                      "detector:nsfw");
        i.mediaTs = std::chrono::milliseconds{123'456};
        i.labelsJson = "[\"nudity\"]";
        auto id = Moderation::insert(context, i);
        STORE_VERIFY(id);
        auto reader = db.openReader();
        STORE_VERIFY(reader);
        auto found = Moderation::find(*reader, *id);
        STORE_VERIFY(found);
        QVERIFY(found->has_value());
        const ModerationItem& m = **found;
        QCOMPARE(m.kind, ItemKind::Detector);
        QCOMPARE(m.stream, std::string("live/cam 1"));
        QCOMPARE(m.author, std::string("detector:nsfw"));
        QCOMPARE(m.text, std::string("frame flagged"));
        QCOMPARE(m.mediaTs, std::optional<std::chrono::milliseconds>(123'456));
        QCOMPARE(m.state, ItemState::Escalated);
        QCOMPARE(m.labelsJson, std::string("[\"nudity\"]"));
        QCOMPARE(m.upvotes, std::int64_t{0});
        auto missing = Moderation::find(*reader, 999);
        STORE_VERIFY(missing);
        QVERIFY(!missing->has_value());
    }

    void filters_data() {
        QTest::addColumn<ModerationFilter>("filter");
        QTest::addColumn<QList<qint64>>("expected");
        auto f = [] { return ModerationFilter{}; };

        QTest::newRow("no filter, newest first")
            << f() << QList<qint64>{12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
        auto pending = f();
        pending.states = {ItemState::Pending};
        QTest::newRow("state pending") << pending << QList<qint64>{12, 11, 9, 8, 7, 5, 2, 1};
        auto two = f();
        two.states = {ItemState::Pending, ItemState::Escalated};
        QTest::newRow("pending or escalated") << two << QList<qint64>{12, 11, 9, 8, 7, 5, 4, 2, 1};
        auto questions = f();
        questions.kinds = {ItemKind::Question};
        QTest::newRow("kind question") << questions << QList<qint64>{10, 6, 2};
        auto streamB = f();
        streamB.stream = "live/b";
        QTest::newRow("stream live/b") << streamB << QList<qint64>{11, 6, 5, 3};
        auto unknown = f();
        unknown.stream = "live/never";
        QTest::newRow("stream never seen") << unknown << QList<qint64>{};
        auto range = f();
        range.from = storetest::at(30);
        range.to = storetest::at(70);
        QTest::newRow("created in [30 s, 70 s)") << range << QList<qint64>{6, 5, 4, 3};
        auto hello = f();
        hello.text = "hello";
        QTest::newRow("text hello (trigram, any case)") << hello << QList<qint64>{11, 10, 1};
        auto upper = f();
        upper.text = "HELLO";
        QTest::newRow("text HELLO") << upper << QList<qint64>{11, 10, 1};
        auto chinese3 = f();
        chinese3.text = "欢迎来";
        QTest::newRow("text 3 Chinese characters") << chinese3 << QList<qint64>{5};
        auto chinese2 = f();
        chinese2.text = "直播";
        QTest::newRow("text 2 Chinese characters (LIKE)") << chinese2 << QList<qint64>{12, 5};
        auto percent = f();
        percent.text = "%";
        QTest::newRow("text '%' is literal") << percent << QList<qint64>{7};
        auto lone = f();
        lone.text = "_";
        QTest::newRow("text '_' is literal (LIKE)") << lone << QList<qint64>{7};
        auto underscore = f();
        underscore.text = "e_w";
        QTest::newRow("text 'e_w' is literal") << underscore << QList<qint64>{7};
        auto quoted = f();
        quoted.text = "\"quoted\"";
        QTest::newRow("text with quotes") << quoted << QList<qint64>{8};
        auto ftsSyntax = f();
        ftsSyntax.text = "http://spam";
        QTest::newRow("text with FTS5 syntax characters") << ftsSyntax << QList<qint64>{3};
        auto none = f();
        none.text = "zzz";
        QTest::newRow("text without match") << none << QList<qint64>{};
        auto author = f();
        author.author = "alice";
        QTest::newRow("author alice") << author << QList<qint64>{11, 1};
        auto combined = f();
        combined.states = {ItemState::Pending};
        combined.kinds = {ItemKind::Chat};
        combined.stream = "live/a";
        combined.text = "e";
        QTest::newRow("pending chat on live/a with an e") << combined << QList<qint64>{7, 1};
        auto oldest = pending;
        oldest.order = SortOrder::OldestFirst;
        QTest::newRow("pending, oldest first") << oldest << QList<qint64>{1, 2, 5, 7, 8, 9, 11, 12};
        auto page = f();
        page.limit = 3;
        page.offset = 3;
        QTest::newRow("second page of three") << page << QList<qint64>{9, 8, 7};
        auto past = f();
        past.offset = 50;
        QTest::newRow("page past the end") << past << QList<qint64>{};
        auto after = f();
        after.limit = 3;
        after.afterId = 9;
        QTest::newRow("cursor: three after id 9, newest first") << after << QList<qint64>{8, 7, 6};
        auto afterOldest = pending;
        afterOldest.order = SortOrder::OldestFirst;
        afterOldest.afterId = 5;
        QTest::newRow("cursor: pending after id 5, oldest first")
            << afterOldest << QList<qint64>{7, 8, 9, 11, 12};
        auto afterTwo = two;
        afterTwo.afterId = 8;
        QTest::newRow("cursor: pending or escalated after id 8")
            << afterTwo << QList<qint64>{7, 5, 4, 2, 1};
    }

    void filters() {
        QFETCH(ModerationFilter, filter);
        QFETCH(QList<qint64>, expected);
        auto reader = seeded_->openReader();
        STORE_VERIFY(reader);
        auto items = Moderation::list(*reader, filter);
        STORE_VERIFY(items);
        QCOMPARE(ids(*items), expected);
        if (filter.offset == 0 && filter.limit >= 50) {
            QCOMPARE(Moderation::count(*reader, filter).value_or(-1),
                     static_cast<std::int64_t>(expected.size()));
        }
    }

    void listReturnsStreamKeys() {
        auto reader = seeded_->openReader();
        STORE_VERIFY(reader);
        ModerationFilter filter;
        filter.kinds = {ItemKind::Manual, ItemKind::Auth};
        auto items = Moderation::list(*reader, filter);
        STORE_VERIFY(items);
        QCOMPARE(items->size(), std::size_t{2});
        QCOMPARE((*items)[0].stream, std::string("live/a")); // item 9
        QCOMPARE((*items)[1].stream, std::string());         // item 8: no stream
        QCOMPARE((*items)[1].text, std::string("Reported: \"quoted\" text"));
    }

    void searchFollowsTextEdits() {
        Database db = freshDb();
        WriteContext context(db.connection());
        auto id = Moderation::insert(context, item(ItemKind::Chat, "live/a", "original words", 1));
        STORE_VERIFY(id);
        auto stmt = db.connection().prepare("UPDATE moderation_items SET text = ?2 WHERE id = ?1");
        STORE_VERIFY(stmt);
        stmt->bindAll(*id, "edited phrase");
        STORE_VERIFY(stmt->run());
        auto reader = db.openReader();
        STORE_VERIFY(reader);
        ModerationFilter f;
        f.text = "original";
        QCOMPARE(Moderation::list(*reader, f).value_or(std::vector<ModerationItem>{}).size(),
                 std::size_t{0});
        f.text = "edited";
        QCOMPARE(Moderation::list(*reader, f).value_or(std::vector<ModerationItem>{}).size(),
                 std::size_t{1});
    }
};

QTEST_APPLESS_MAIN(tst_Moderation)
#include "tst_Moderation.moc"
