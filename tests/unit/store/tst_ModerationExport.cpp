// CSV export of moderation items with their decisions: one record per decision, quoting of
// commas, quotes, newlines, Chinese text, the formula guard, and the filter.

#include <QtTest>

#include <sstream>

#include "StoreTestSupport.h"
#include "store/Moderation.h"
#include "store/ModerationExport.h"
#include "store/WriteContext.h"

using namespace stagecast::store;
using storetest::why;

namespace {

const char* kHeader = "item_id,kind,stream,author,text,media_ts_ms,state,created_at,updated_at,"
                      "upvotes,labels,decision_id,from_state,to_state,actor,reason,decided_at\r\n";

} // namespace

class tst_ModerationExport : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    std::optional<Database> db_;

private slots:
    void initTestCase() {
        auto db = storetest::openDb(storetest::dbPath(dir_));
        STORE_VERIFY(db);
        db_.emplace(std::move(*db));
        WriteContext c(db_->connection());
        // 1: commas, quotes and a newline, two decisions.
        NewModerationItem a;
        a.kind = ItemKind::Chat;
        a.stream = "live/a";
        a.author = "Smith, John";
        a.text = "He said \"hi\",\nthen left";
        a.createdAt = storetest::at(0);
        STORE_VERIFY(Moderation::insert(c, a));
        STORE_VERIFY(Moderation::transition(c, {1, ItemState::Pending, ItemState::Escalated,
                                                "mod:amy", "check, please", storetest::at(1)}));
        STORE_VERIFY(Moderation::transition(c, {1, ItemState::Escalated, ItemState::Rejected,
                                                "lead:bo", "spam", storetest::at(2)}));
        // 2: Chinese text, a media timestamp and labels, no decision.
        NewModerationItem b;
        b.kind = ItemKind::Question;
        b.stream = "live/b";
        b.author = "张伟";
        b.text = "请问，直播什么时候结束？";
        b.mediaTs = std::chrono::milliseconds{61'500};
        b.labelsJson = "[\"q&a\",\"中文\"]";
        b.createdAt = storetest::at(3);
        STORE_VERIFY(Moderation::insert(c, b));
        // 3: a formula typed into chat.
        NewModerationItem f;
        f.kind = ItemKind::Chat;
        f.stream = "live/a";
        f.author = "=cmd|' /C calc'!A0";
        f.text = "-1+1";
        f.createdAt = storetest::at(4);
        STORE_VERIFY(Moderation::insert(c, f));
    }

    void exportsItemsWithDecisions() {
        auto reader = db_->openReader();
        STORE_VERIFY(reader);
        ModerationFilter filter;
        filter.order = SortOrder::OldestFirst;
        filter.limit = 1; // ignored: exports are complete
        std::ostringstream out;
        auto records = ModerationExport::writeCsv(*reader, filter, out);
        STORE_VERIFY(records);
        QCOMPARE(*records, std::size_t{4});
        std::string expected =
            std::string("\xEF\xBB\xBF") + kHeader +
            "1,chat,live/a,\"Smith, John\",\"He said \"\"hi\"\",\nthen left\",,rejected,"
            "2026-01-01T00:00:00.000Z,2026-01-01T00:00:02.000Z,0,[],1,pending,escalated,mod:amy,"
            "\"check, please\",2026-01-01T00:00:01.000Z\r\n"
            "1,chat,live/a,\"Smith, John\",\"He said \"\"hi\"\",\nthen left\",,rejected,"
            "2026-01-01T00:00:00.000Z,2026-01-01T00:00:02.000Z,0,[],2,escalated,rejected,lead:bo,"
            "spam,2026-01-01T00:00:02.000Z\r\n"
            "2,question,live/b,张伟,请问，直播什么时候结束？,61500,pending,"
            "2026-01-01T00:00:03.000Z,2026-01-01T00:00:03.000Z,0,\"[\"\"q&a\"\",\"\"中文\"\"]\","
            ",,,,,\r\n"
            "3,chat,live/a,\"'=cmd|' /C calc'!A0\",\"'-1+1\",,pending,2026-01-01T00:00:04.000Z,"
            "2026-01-01T00:00:04.000Z,0,[],,,,,,\r\n";
        QCOMPARE(QByteArray::fromStdString(out.str()), QByteArray::fromStdString(expected));
    }

    void exportFollowsTheFilter() {
        auto reader = db_->openReader();
        STORE_VERIFY(reader);
        ModerationFilter filter;
        filter.stream = "live/b";
        std::ostringstream out;
        auto records = ModerationExport::writeCsv(*reader, filter, out, {false});
        STORE_VERIFY(records);
        QCOMPARE(*records, std::size_t{1});
        std::string text = out.str();
        QVERIFY(text.rfind(kHeader, 0) == 0); // no byte order mark
        QVERIFY(text.find("张伟") != std::string::npos);
        QVERIFY(text.find("Smith") == std::string::npos);
    }

    void emptyExportHasOnlyTheHeader() {
        auto reader = db_->openReader();
        STORE_VERIFY(reader);
        ModerationFilter filter;
        filter.text = "no such text";
        std::ostringstream out;
        auto records = ModerationExport::writeCsv(*reader, filter, out, {false});
        STORE_VERIFY(records);
        QCOMPARE(*records, std::size_t{0});
        QCOMPARE(out.str(), std::string(kHeader));
    }
};

QTEST_APPLESS_MAIN(tst_ModerationExport)
#include "tst_ModerationExport.moc"
