// Text rules: keyword and phrase lists (Chinese as substrings, English on word boundaries,
// both normalised), regular expressions (bad ones reported by name, the rest loaded; ReDoS
// bounded), the strongest action winning, and every matched label kept as evidence.

#include <QtTest>

#include "moderation/TextRules.h"

using namespace stagecast::moderation;

namespace {

RulesSpec wordsOnly() {
    RulesSpec spec;
    spec.personalData.reset();
    spec.links.reset();
    spec.wordLists.push_back({"banned", Action::Hold, {"bad", "坏话", "buy followers", "C++"}});
    return spec;
}

QStringList labelsOf(const Verdict& v) {
    QStringList out;
    for (const auto& l : v.labels()) {
        out << QString::fromStdString(l);
    }
    return out;
}

} // namespace

class tst_TextRules : public QObject {
    Q_OBJECT

private slots:
    void wordList_data() {
        QTest::addColumn<QString>("message");
        QTest::addColumn<bool>("matches");
        QTest::newRow("plain") << "this is bad" << true;
        QTest::newRow("upper case") << "THIS IS BAD" << true;
        QTest::newRow("mixed case") << "so BaD!" << true;
        QTest::newRow("full-width") << "so ＢＡＤ" << true;
        QTest::newRow("full-width mixed") << "ｂａＤ news" << true;
        QTest::newRow("zero-width space inside") << "b\u200Bad" << true;
        QTest::newRow("at start") << "bad start" << true;
        QTest::newRow("punctuation around") << "(bad)." << true;
        QTest::newRow("between chinese") << "这是bad的" << true;
        QTest::newRow("inside a word: badge") << "nice badge" << false;
        QTest::newRow("inside a word: sinbad") << "sinbad sails" << false;
        QTest::newRow("digits adjacent") << "bad2" << false;
        QTest::newRow("accented is another word") << "bäd" << false;
        QTest::newRow("chinese substring") << "你说坏话了" << true;
        QTest::newRow("chinese full text") << "坏话" << true;
        QTest::newRow("chinese other") << "好话" << false;
        QTest::newRow("phrase") << "want to buy followers now" << true;
        QTest::newRow("phrase with extra spaces") << "buy    followers" << true;
        QTest::newRow("phrase full-width space") << "ＢＵＹ　ＦＯＬＬＯＷＥＲＳ" << true;
        QTest::newRow("phrase split") << "buy more followers" << false;
        QTest::newRow("phrase prefix of word") << "buy followersx" << false;
        QTest::newRow("symbol ending entry") << "I like c++." << true;
        QTest::newRow("clean") << "hello everyone" << false;
    }

    void wordList() {
        QFETCH(QString, message);
        QFETCH(bool, matches);
        auto built = TextRules::build(wordsOnly());
        QVERIFY(built.problems.empty());
        auto verdict = built.rules.check(message.toStdString());
        QCOMPARE(!verdict.clean(), matches);
        if (matches) {
            QCOMPARE(labelsOf(verdict), QStringList{"word:banned"});
            QVERIFY(verdict.action() == Action::Hold);
        } else {
            QVERIFY(!verdict.action().has_value());
        }
    }

    void fullWidthEntryMatchesPlainText() {
        RulesSpec spec = wordsOnly();
        spec.wordLists = {{"fw", Action::Reject, {"ＳＰＡＭ"}}};
        auto built = TextRules::build(spec);
        QVERIFY(built.rules.check("no spam here").action() == Action::Reject);
    }

    void strongestActionWinsAndEveryLabelKept() {
        RulesSpec spec;
        spec.wordLists = {{"watch", Action::Label, {"competitor"}},
                          {"banned", Action::Reject, {"idiot"}},
                          {"review", Action::Hold, {"refund"}}};
        auto built = TextRules::build(spec);
        auto verdict = built.rules.check("competitor refund idiot call 13812345678 see x.com");
        QVERIFY(verdict.action() == Action::Reject);
        QCOMPARE(labelsOf(verdict), (QStringList{"word:watch", "word:banned", "word:review",
                                                 "personal-data:phone", "link"}));
        // The reason names what decided it: the reject-level match only.
        QCOMPARE(QString::fromStdString(verdict.reason()), "word:banned matched 'idiot'");

        auto held = built.rules.check("competitor asks about a refund");
        QVERIFY(held.action() == Action::Hold);
        QCOMPARE(labelsOf(held), (QStringList{"word:watch", "word:review"}));

        auto labelled = built.rules.check("the competitor");
        QVERIFY(labelled.action() == Action::Label);
    }

    void mergeKeepsStrongest() {
        Verdict a;
        a.add({RuleKind::Words, "w", Action::Label, "x"});
        Verdict b;
        b.add({RuleKind::Repeat, "repeat", Action::Hold, ""});
        a.merge(b);
        QVERIFY(a.action() == Action::Hold);
        QCOMPARE(labelsOf(a), (QStringList{"word:w", "repeat"}));
        QCOMPARE(QString::fromStdString(a.reason()), "repeat");
    }

    void patterns() {
        RulesSpec spec;
        spec.personalData.reset();
        spec.links.reset();
        spec.patterns = {{"wechat-id", Action::Hold, "vx[:：]?\\s*\\w{5,}"},
                         {"shouting", Action::Label, "!{3,}"}};
        auto built = TextRules::build(spec);
        QVERIFY(built.problems.empty());
        QCOMPARE(built.rules.patternCount(), std::size_t(2));
        auto v = built.rules.check("加我ＶＸ：ａｂｃｄｅｆ!!!");
        QVERIFY(v.action() == Action::Hold);
        QCOMPARE(labelsOf(v), (QStringList{"pattern:wechat-id", "pattern:shouting"}));
        QVERIFY(built.rules.check("vx ab").clean());
    }

    void badRegexReportedByNameRestLoads() {
        RulesSpec spec;
        spec.patterns = {{"good", Action::Hold, "abc+"},
                         {"broken", Action::Hold, "(unclosed"},
                         {"empty", Action::Hold, ""},
                         {"also-good", Action::Reject, "xyz"}};
        spec.wordLists = {{"nothing", Action::Hold, {"  ", ""}}, {"ok", Action::Hold, {"w"}}};
        auto built = TextRules::build(spec);
        QCOMPARE(built.rules.patternCount(), std::size_t(2));
        QCOMPARE(built.rules.wordListCount(), std::size_t(1));
        QCOMPARE(built.problems.size(), std::size_t(3));
        QVERIFY2(built.problems[0].starts_with("word list 'nothing' has no words: left out"),
                 built.problems[0].c_str());
        QVERIFY2(built.problems[1].starts_with(
                     "pattern 'broken': bad regular expression at offset 9: missing closing "
                     "parenthesis"),
                 built.problems[1].c_str());
        QCOMPARE(built.problems[2], std::string("pattern 'empty': the regular expression is empty: "
                                                "left out"));
        QVERIFY(built.rules.check("abccc").action() == Action::Hold);
        QVERIFY(built.rules.check("xyz").action() == Action::Reject);
    }

    void catastrophicBacktrackingIsBounded() {
        // (a+)+$ against a run of a's that does not end the text backtracks exponentially;
        // the match limit stops it and the message goes to the rule's action, not through.
        RulesSpec spec;
        spec.personalData.reset();
        spec.links.reset();
        spec.patterns = {{"redos", Action::Hold, "(a+)+$"}};
        auto built = TextRules::build(spec);
        QVERIFY(built.problems.empty());
        auto v = built.rules.check(std::string(5000, 'a') + "!");
        QVERIFY(v.action() == Action::Hold);
        QCOMPARE(QString::fromStdString(v.matches().at(0).excerpt), "(match limit reached)");
        QVERIFY(built.rules.check("baaa").action() == Action::Hold);
        QCOMPARE(QString::fromStdString(built.rules.check("baaa").matches().at(0).excerpt), "aaa");
        QVERIFY(built.rules.check("ccc").clean());
    }

    void rulesCanBeTurnedOff() {
        RulesSpec spec;
        spec.personalData.reset();
        spec.links.reset();
        auto built = TextRules::build(spec);
        QVERIFY(built.rules.check("call 13812345678 or see example.com").clean());
        spec.personalData = Action::Reject;
        spec.links = Action::Label;
        auto on = TextRules::build(spec);
        auto v = on.rules.check("call 13812345678 or see example.com");
        QVERIFY(v.action() == Action::Reject);
        QCOMPARE(labelsOf(v), (QStringList{"personal-data:phone", "link"}));
        // Personal data excerpts are masked.
        QCOMPARE(QString::fromStdString(v.matches().at(0).excerpt), "138****5678");
    }

    void actionNames() {
        QVERIFY(parseAction("hold") == Action::Hold);
        QVERIFY(parseAction("reject") == Action::Reject);
        QVERIFY(parseAction("label") == Action::Label);
        QVERIFY(!parseAction("Hold"));
        QVERIFY(!parseAction("off"));
        QCOMPARE(QString(toString(Action::Reject)), "reject");
    }
};

QTEST_APPLESS_MAIN(tst_TextRules)
#include "tst_TextRules.moc"
