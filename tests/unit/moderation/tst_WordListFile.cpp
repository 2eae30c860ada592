// The data folder's word-list file: headers, comments, default list, bad headers reported
// with their line and skipped.

#include <QtTest>

#include "moderation/WordListFile.h"

using namespace stagecast::moderation;

class tst_WordListFile : public QObject {
    Q_OBJECT

private slots:
    void parses() {
        const std::string text = "\xEF\xBB\xBF# a comment\n"
                                 "loose word\n"
                                 "\n"
                                 "[banned reject]\r\n"
                                 "坏话\r\n"
                                 "  buy followers  \n"
                                 "[watch  label]\n"
                                 "competitor\n"
                                 "[broken]\n"
                                 "skipped\n"
                                 "[odd yell]\n"
                                 "skipped too\n"
                                 "[late hold]\n"
                                 "last";
        auto parsed = parseWordListFile(text, "words.txt");
        QCOMPARE(parsed.lists.size(), std::size_t(4));
        QCOMPARE(parsed.lists[0].name, std::string("file"));
        QVERIFY(parsed.lists[0].action == Action::Hold);
        QCOMPARE(parsed.lists[0].words, std::vector<std::string>{"loose word"});
        QCOMPARE(parsed.lists[1].name, std::string("banned"));
        QVERIFY(parsed.lists[1].action == Action::Reject);
        QCOMPARE(parsed.lists[1].words, (std::vector<std::string>{"坏话", "buy followers"}));
        QCOMPARE(parsed.lists[2].name, std::string("watch"));
        QVERIFY(parsed.lists[2].action == Action::Label);
        QCOMPARE(parsed.lists[3].words, std::vector<std::string>{"last"});
        QCOMPARE(parsed.problems.size(), std::size_t(2));
        QCOMPARE(parsed.problems[0],
                 std::string("words.txt:9: list header '[broken]' must be [NAME ACTION] (ACTION: "
                             "hold, reject or label); its words are left out"));
        QCOMPARE(parsed.problems[1],
                 std::string("words.txt:11: list header '[odd yell]': 'yell' is not hold, reject "
                             "or label; its words are left out"));
    }

    void emptyFile() {
        auto parsed = parseWordListFile("", "w");
        QVERIFY(parsed.lists.empty());
        QVERIFY(parsed.problems.empty());
    }
};

QTEST_APPLESS_MAIN(tst_WordListFile)
#include "tst_WordListFile.moc"
