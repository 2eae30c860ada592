// Tests for IpAcl: deny wins, a non-empty allow list is exclusive, IPv4-mapped peers match
// IPv4 rules, refusals name the rule, and bad rules are refused when the ACL is made.

#include <QtTest>

#include <string>
#include <vector>

#include "server/auth/IpAcl.h"

using stagecast::server::auth::IpAcl;

namespace {

std::vector<std::string> toStd(const QStringList& list) {
    std::vector<std::string> out;
    for (const auto& item : list) {
        out.push_back(item.toStdString());
    }
    return out;
}

} // namespace

class tst_IpAcl : public QObject {
    Q_OBJECT

private slots:
    void check_data();
    void check();
    void emptyAcceptsEverything();
    void badRules_data();
    void badRules();
};

void tst_IpAcl::check_data() {
    QTest::addColumn<QStringList>("allow");
    QTest::addColumn<QStringList>("deny");
    QTest::addColumn<QString>("address");
    QTest::addColumn<QString>("error"); // empty = accepted

    const QStringList lan = {"10.0.0.0/8", "192.168.1.7", "fe80::/10"};
    QTest::newRow("allow v4 block") << lan << QStringList() << "10.20.30.40"
                                    << "";
    QTest::newRow("allow single host") << lan << QStringList() << "192.168.1.7"
                                       << "";
    QTest::newRow("allow neighbour of single host refused")
        << lan << QStringList() << "192.168.1.8"
        << "address 192.168.1.8 not in allow list";
    QTest::newRow("allow v6 link-local") << lan << QStringList() << "fe80::1234"
                                         << "";
    QTest::newRow("allow v4-mapped peer") << lan << QStringList() << "::ffff:10.1.2.3"
                                          << "";
    QTest::newRow("allow v4-mapped outsider refused") << lan << QStringList() << "::ffff:8.8.8.8"
                                                      << "address ::ffff:8.8.8.8 not in allow list";
    QTest::newRow("allow v6 outsider refused") << lan << QStringList() << "2001:db8::1"
                                               << "address 2001:db8::1 not in allow list";
    QTest::newRow("deny only, outsider accepted")
        << QStringList() << QStringList{"203.0.113.0/24"} << "198.51.100.1"
        << "";
    QTest::newRow("deny only, match refused")
        << QStringList() << QStringList{"203.0.113.0/24"} << "203.0.113.9"
        << "address 203.0.113.9 refused by deny rule '203.0.113.0/24'";
    QTest::newRow("deny wins over allow")
        << QStringList{"10.0.0.0/8"} << QStringList{"10.66.0.0/16"} << "10.66.1.1"
        << "address 10.66.1.1 refused by deny rule '10.66.0.0/16'";
    QTest::newRow("deny names the first matching rule")
        << QStringList() << QStringList{"10.0.0.0/8", "10.66.0.0/16"} << "10.66.1.1"
        << "address 10.66.1.1 refused by deny rule '10.0.0.0/8'";
    QTest::newRow("deny v4 rule hits v4-mapped peer")
        << QStringList() << QStringList{"127.0.0.1"} << "::ffff:127.0.0.1"
        << "address ::ffff:127.0.0.1 refused by deny rule '127.0.0.1'";
    QTest::newRow("deny v6 loopback, v4 loopback accepted")
        << QStringList() << QStringList{"::1/128"} << "127.0.0.1"
        << "";
    QTest::newRow("deny v6 loopback") << QStringList() << QStringList{"::1/128"} << "::1"
                                      << "address ::1 refused by deny rule '::1/128'";
    QTest::newRow("allow outside deny accepted")
        << QStringList{"10.0.0.0/8"} << QStringList{"10.66.0.0/16"} << "10.67.0.1"
        << "";
    QTest::newRow("v6 peer with zone")
        << QStringList{"fe80::/10"} << QStringList() << "fe80::1%eth0"
        << "";
    QTest::newRow("unparsable address refused")
        << QStringList{"10.0.0.0/8"} << QStringList() << "not-an-ip"
        << "address refused: 'not-an-ip' is not an IPv4 or IPv6 address";
    QTest::newRow("allow everything v4 and v6")
        << QStringList{"0.0.0.0/0", "::/0"} << QStringList() << "2001:db8::5"
        << "";
}

void tst_IpAcl::check() {
    QFETCH(QStringList, allow);
    QFETCH(QStringList, deny);
    QFETCH(QString, address);
    QFETCH(QString, error);

    const auto acl = IpAcl::make(toStd(allow), toStd(deny));
    QVERIFY2(acl.has_value(), acl ? "" : acl.error().message().c_str());
    QVERIFY(!acl->empty());
    const auto result = acl->check(address.toStdString());
    QCOMPARE(result ? QString() : QString::fromStdString(result.error().message()), error);
}

void tst_IpAcl::emptyAcceptsEverything() {
    const auto acl = IpAcl::make({}, {});
    QVERIFY(acl.has_value());
    QVERIFY(acl->empty());
    QVERIFY(acl->check("203.0.113.9").has_value());
    QVERIFY(acl->check("::1").has_value());
    QVERIFY(IpAcl().empty());
}

void tst_IpAcl::badRules_data() {
    QTest::addColumn<QStringList>("allow");
    QTest::addColumn<QStringList>("deny");
    QTest::addColumn<QString>("error");

    QTest::newRow("allow prefix too long")
        << QStringList{"10.0.0.0/33"} << QStringList()
        << "invalid CIDR '10.0.0.0/33': prefix length must be 0..32";
    QTest::newRow("deny v6 prefix too long")
        << QStringList() << QStringList{"::/200"}
        << "invalid CIDR '::/200': prefix length must be 0..128";
    QTest::newRow("second allow entry bad")
        << QStringList{"10.0.0.0/8", "host.example"} << QStringList()
        << "invalid CIDR 'host.example': 'host.example' is not an IPv4 or IPv6 address";
    QTest::newRow("deny host bits")
        << QStringList() << QStringList{"192.168.1.1/24"}
        << "invalid CIDR '192.168.1.1/24': address has bits set beyond the prefix (did you mean "
           "'192.168.1.0/24'?)";
}

void tst_IpAcl::badRules() {
    QFETCH(QStringList, allow);
    QFETCH(QStringList, deny);
    QFETCH(QString, error);
    const auto acl = IpAcl::make(toStd(allow), toStd(deny));
    QVERIFY(!acl.has_value());
    QCOMPARE(QString::fromStdString(acl.error().message()), error);
}

QTEST_APPLESS_MAIN(tst_IpAcl)
#include "tst_IpAcl.moc"
