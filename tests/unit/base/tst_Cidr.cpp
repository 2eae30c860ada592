// Tests for base::IpAddress and base::Cidr: parsing, canonical text, host-bit and prefix
// errors, and membership including IPv4-mapped IPv6 addresses.

#include <QtTest>

#include <string>

#include "base/Cidr.h"

using stagecast::base::Cidr;
using stagecast::base::IpAddress;

class tst_Cidr : public QObject {
    Q_OBJECT

private slots:
    void parsesAddress_data();
    void parsesAddress();
    void rejectsAddress_data();
    void rejectsAddress();
    void addressBytesAreNetworkOrder();
    void parsesCidr_data();
    void parsesCidr();
    void rejectsCidr_data();
    void rejectsCidr();
    void contains_data();
    void contains();
};

void tst_Cidr::parsesAddress_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("v4");
    QTest::addColumn<QString>("canonical");

    QTest::newRow("v4 plain") << "192.168.1.7" << true << "192.168.1.7";
    QTest::newRow("v4 zero") << "0.0.0.0" << true << "0.0.0.0";
    QTest::newRow("v4 broadcast") << "255.255.255.255" << true << "255.255.255.255";
    QTest::newRow("v6 loopback") << "::1" << false << "::1";
    QTest::newRow("v6 any") << "::" << false << "::";
    QTest::newRow("v6 full form compresses")
        << "2001:0db8:0000:0000:0000:0000:0000:0001" << false << "2001:db8::1";
    QTest::newRow("v6 uppercase") << "FE80::ABCD" << false << "fe80::abcd";
    QTest::newRow("v4-mapped becomes v4") << "::ffff:10.1.2.3" << true << "10.1.2.3";
    QTest::newRow("v4-mapped hex form") << "::ffff:a01:203" << true << "10.1.2.3";
    QTest::newRow("v6 zone dropped") << "fe80::1%eth0" << false << "fe80::1";
    QTest::newRow("v6 numeric zone dropped") << "fe80::1%2" << false << "fe80::1";
    // ::a.b.c.d (IPv4-compatible, deprecated by RFC 4291) is not mapped: it stays IPv6.
    QTest::newRow("v4-compatible stays v6") << "::1.2.3.4" << false << "::1.2.3.4";
}

void tst_Cidr::parsesAddress() {
    QFETCH(QString, text);
    QFETCH(bool, v4);
    QFETCH(QString, canonical);

    const auto address = IpAddress::parse(text.toStdString());
    QVERIFY2(address.has_value(), address ? "" : address.error().message().c_str());
    QCOMPARE(address->isV4(), v4);
    QCOMPARE(address->bitLength(), v4 ? 32 : 128);
    QCOMPARE(QString::fromStdString(address->toString()), canonical);
}

void tst_Cidr::rejectsAddress_data() {
    QTest::addColumn<QString>("text");

    QTest::newRow("empty") << "";
    QTest::newRow("host name") << "localhost";
    QTest::newRow("three octets") << "10.0.0";
    QTest::newRow("octet too big") << "10.0.0.256";
    QTest::newRow("leading zero octet") << "10.0.0.01";
    QTest::newRow("leading space") << " 10.0.0.1";
    QTest::newRow("trailing space") << "10.0.0.1 ";
    QTest::newRow("two double colons") << "1::2::3";
    QTest::newRow("v6 group too long") << "12345::1";
    QTest::newRow("zone on v4") << "10.0.0.1%eth0";
    QTest::newRow("empty zone") << "fe80::1%";
    QTest::newRow("zone only") << "%eth0";
    QTest::newRow("with prefix") << "10.0.0.0/8";
    QTest::newRow("bracketed v6") << "[::1]";
    QTest::newRow("very long") << QString(200, QLatin1Char('1'));
}

void tst_Cidr::rejectsAddress() {
    QFETCH(QString, text);
    const auto address = IpAddress::parse(text.toStdString());
    QVERIFY(!address.has_value());
    QCOMPARE(QString::fromStdString(address.error().message()),
             "'" + text + "' is not an IPv4 or IPv6 address");
}

void tst_Cidr::addressBytesAreNetworkOrder() {
    const auto v4 = IpAddress::parse("192.168.1.7");
    QVERIFY(v4.has_value());
    // c0 a8 01 07: 192.168.1.7 most significant octet first, the other 12 bytes zero
    const std::array<std::uint8_t, 16> v4Bytes = {0xc0, 0xa8, 0x01, 0x07, 0, 0, 0, 0,
                                                  0,    0,    0,    0,    0, 0, 0, 0};
    QVERIFY(v4->bytes() == v4Bytes);

    const auto v6 = IpAddress::parse("2001:db8::ff00:42:8329");
    QVERIFY(v6.has_value());
    const std::array<std::uint8_t, 16> v6Bytes = {
        0x20, 0x01, 0x0d, 0xb8, // 2001:db8
        0x00, 0x00, 0x00, 0x00, // :: (two zero groups)
        0x00, 0x00, 0xff, 0x00, // zero group, ff00
        0x00, 0x42, 0x83, 0x29, // 42:8329
    };
    QVERIFY(v6->bytes() == v6Bytes);

    // The same address through the mapped form compares equal to the plain IPv4 one.
    const auto mapped = IpAddress::parse("::ffff:192.168.1.7");
    QVERIFY(mapped.has_value());
    QVERIFY(*mapped == *v4);
}

void tst_Cidr::parsesCidr_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("v4");
    QTest::addColumn<int>("prefix");
    QTest::addColumn<QString>("canonical");

    QTest::newRow("v4 /8") << "10.0.0.0/8" << true << 8 << "10.0.0.0/8";
    QTest::newRow("v4 bare address is /32") << "192.168.1.7" << true << 32 << "192.168.1.7/32";
    QTest::newRow("v4 /0") << "0.0.0.0/0" << true << 0 << "0.0.0.0/0";
    QTest::newRow("v4 /32 explicit") << "192.168.1.7/32" << true << 32 << "192.168.1.7/32";
    QTest::newRow("v4 /20 partial byte") << "172.16.16.0/20" << true << 20 << "172.16.16.0/20";
    QTest::newRow("v6 loopback /128") << "::1/128" << false << 128 << "::1/128";
    QTest::newRow("v6 link-local /10") << "fe80::/10" << false << 10 << "fe80::/10";
    QTest::newRow("v6 /0") << "::/0" << false << 0 << "::/0";
    QTest::newRow("v6 bare is /128") << "2001:db8::1" << false << 128 << "2001:db8::1/128";
    QTest::newRow("v6 /33 partial byte")
        << "2001:db8:8000::/33" << false << 33 << "2001:db8:8000::/33";
    QTest::newRow("v4-mapped /104 is v4 /8") << "::ffff:10.0.0.0/104" << true << 8 << "10.0.0.0/8";
    QTest::newRow("v4-mapped bare is v4 /32") << "::ffff:1.2.3.4" << true << 32 << "1.2.3.4/32";
    QTest::newRow("v4-mapped /96 is v4 /0") << "::ffff:0.0.0.0/96" << true << 0 << "0.0.0.0/0";
}

void tst_Cidr::parsesCidr() {
    QFETCH(QString, text);
    QFETCH(bool, v4);
    QFETCH(int, prefix);
    QFETCH(QString, canonical);

    const auto cidr = Cidr::parse(text.toStdString());
    QVERIFY2(cidr.has_value(), cidr ? "" : cidr.error().message().c_str());
    QCOMPARE(cidr->network().isV4(), v4);
    QCOMPARE(cidr->prefixLength(), prefix);
    QCOMPARE(QString::fromStdString(cidr->toString()), canonical);
}

void tst_Cidr::rejectsCidr_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");

    QTest::newRow("v4 prefix 33") << "10.0.0.0/33"
                                  << "invalid CIDR '10.0.0.0/33': prefix length must be 0..32";
    QTest::newRow("v6 prefix 129") << "::/129"
                                   << "invalid CIDR '::/129': prefix length must be 0..128";
    QTest::newRow("v4 empty prefix") << "10.0.0.0/"
                                     << "invalid CIDR '10.0.0.0/': prefix length must be 0..32";
    QTest::newRow("v4 negative prefix")
        << "10.0.0.0/-1"
        << "invalid CIDR '10.0.0.0/-1': prefix length must be 0..32";
    QTest::newRow("v4 prefix with plus")
        << "10.0.0.0/+8"
        << "invalid CIDR '10.0.0.0/+8': prefix length must be 0..32";
    QTest::newRow("v4 prefix huge") << "10.0.0.0/99999999999"
                                    << "invalid CIDR '10.0.0.0/99999999999': prefix length must "
                                       "be 0..32";
    QTest::newRow("v4 netmask form")
        << "10.0.0.0/255.0.0.0"
        << "invalid CIDR '10.0.0.0/255.0.0.0': prefix length must be 0..32";
    QTest::newRow("two slashes") << "10.0.0.0/8/8"
                                 << "invalid CIDR '10.0.0.0/8/8': prefix length must be 0..32";
    QTest::newRow("empty") << ""
                           << "invalid CIDR '': expected ADDRESS or ADDRESS/PREFIX";
    QTest::newRow("host name") << "example.com/24"
                               << "invalid CIDR 'example.com/24': 'example.com' is not an IPv4 "
                                  "or IPv6 address";
    QTest::newRow("zone in rule") << "fe80::%eth0/10"
                                  << "invalid CIDR 'fe80::%eth0/10': 'fe80::%eth0' is not an IPv4 "
                                     "or IPv6 address";
    QTest::newRow("v4 host bits set")
        << "10.0.0.1/8"
        << "invalid CIDR '10.0.0.1/8': address has bits set beyond the prefix (did you mean "
           "'10.0.0.0/8'?)";
    QTest::newRow("v4 host bits in partial byte")
        << "172.16.17.0/20"
        << "invalid CIDR '172.16.17.0/20': address has bits set beyond the prefix (did you mean "
           "'172.16.16.0/20'?)";
    QTest::newRow("v6 host bits set")
        << "fe80::1/10"
        << "invalid CIDR 'fe80::1/10': address has bits set beyond the prefix (did you mean "
           "'fe80::/10'?)";
    QTest::newRow("v4-mapped prefix below 96")
        << "::ffff:0.0.0.0/80"
        << "invalid CIDR '::ffff:0.0.0.0/80': address has bits set beyond the prefix; a prefix "
           "on an IPv4-mapped address must be 96..128";
}

void tst_Cidr::rejectsCidr() {
    QFETCH(QString, text);
    QFETCH(QString, error);
    const auto cidr = Cidr::parse(text.toStdString());
    QVERIFY(!cidr.has_value());
    QCOMPARE(QString::fromStdString(cidr.error().message()), error);
}

void tst_Cidr::contains_data() {
    QTest::addColumn<QString>("cidr");
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("inside");

    QTest::newRow("v4 /8 inside") << "10.0.0.0/8"
                                  << "10.255.1.2" << true;
    QTest::newRow("v4 /8 outside") << "10.0.0.0/8"
                                   << "11.0.0.0" << false;
    QTest::newRow("v4 /8 mapped inside") << "10.0.0.0/8"
                                         << "::ffff:10.9.8.7" << true;
    QTest::newRow("v4 /8 mapped outside") << "10.0.0.0/8"
                                          << "::ffff:192.168.0.1" << false;
    QTest::newRow("v4 /32 exact") << "192.168.1.7"
                                  << "192.168.1.7" << true;
    QTest::newRow("v4 /32 neighbour") << "192.168.1.7"
                                      << "192.168.1.8" << false;
    QTest::newRow("v4 /20 last inside") << "172.16.16.0/20"
                                        << "172.16.31.255" << true;
    QTest::newRow("v4 /20 first outside") << "172.16.16.0/20"
                                          << "172.16.32.0" << false;
    QTest::newRow("v4 /20 just below") << "172.16.16.0/20"
                                       << "172.16.15.255" << false;
    QTest::newRow("v4 /0 everything v4") << "0.0.0.0/0"
                                         << "203.0.113.9" << true;
    QTest::newRow("v4 /0 not v6") << "0.0.0.0/0"
                                  << "2001:db8::1" << false;
    QTest::newRow("v6 /0 not v4") << "::/0"
                                  << "10.0.0.1" << false;
    QTest::newRow("v6 /0 not mapped v4") << "::/0"
                                         << "::ffff:10.0.0.1" << false;
    QTest::newRow("v6 /0 everything v6") << "::/0"
                                         << "2001:db8::1" << true;
    QTest::newRow("v6 loopback") << "::1/128"
                                 << "::1" << true;
    QTest::newRow("v6 loopback not v4 loopback") << "::1/128"
                                                 << "127.0.0.1" << false;
    QTest::newRow("v6 fe80::/10 inside") << "fe80::/10"
                                         << "febf:ffff::1" << true;
    QTest::newRow("v6 fe80::/10 outside") << "fe80::/10"
                                          << "fec0::1" << false;
    QTest::newRow("v6 fe80::/10 zone") << "fe80::/10"
                                       << "fe80::1%eth0" << true;
    QTest::newRow("mapped rule matches v4") << "::ffff:10.0.0.0/104"
                                            << "10.1.1.1" << true;
    QTest::newRow("v6 /33 inside") << "2001:db8:8000::/33"
                                   << "2001:db8:ffff::1" << true;
    QTest::newRow("v6 /33 outside") << "2001:db8:8000::/33"
                                    << "2001:db8:7fff::1" << false;
}

void tst_Cidr::contains() {
    QFETCH(QString, cidr);
    QFETCH(QString, address);
    QFETCH(bool, inside);

    const auto block = Cidr::parse(cidr.toStdString());
    QVERIFY(block.has_value());
    const auto ip = IpAddress::parse(address.toStdString());
    QVERIFY(ip.has_value());
    QCOMPARE(block->contains(*ip), inside);
}

QTEST_APPLESS_MAIN(tst_Cidr)
#include "tst_Cidr.moc"
