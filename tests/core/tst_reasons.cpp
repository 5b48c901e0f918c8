// Reason codes: the up to K characteristics that raised the risk the most, strongest first.

#include <QTest>

#include <vector>

#include "explain/ReasonCodes.h"

using namespace cwb;

Q_DECLARE_METATYPE(std::vector<double>)
Q_DECLARE_METATYPE(std::vector<std::size_t>)

class ReasonsTest : public QObject {
    Q_OBJECT

private slots:
    void topReasons_data() {
        QTest::addColumn<std::vector<double>>("contributions");
        QTest::addColumn<int>("k");
        QTest::addColumn<std::vector<std::size_t>>("expected");
        QTest::newRow("ordered by size") << std::vector<double>{0.1, 0.5, -0.2, 0.3, 0.05} << 4
                                         << std::vector<std::size_t>{1, 3, 0, 4};
        QTest::newRow("only the k largest")
            << std::vector<double>{0.1, 0.5, 0.2, 0.3, 0.4} << 2 << std::vector<std::size_t>{1, 4};
        QTest::newRow("negatives are no reasons")
            << std::vector<double>{-0.1, 0.2, -0.3} << 4 << std::vector<std::size_t>{1};
        QTest::newRow("zero is no reason")
            << std::vector<double>{0.0, 0.0} << 4 << std::vector<std::size_t>{};
        QTest::newRow("ties keep schema order")
            << std::vector<double>{0.2, 0.3, 0.2, 0.2} << 3 << std::vector<std::size_t>{1, 0, 2};
        QTest::newRow("k zero") << std::vector<double>{0.2} << 0 << std::vector<std::size_t>{};
        QTest::newRow("largest last") << std::vector<double>{0.1, 0.2, 0.3, 0.4, 0.9} << 4
                                      << std::vector<std::size_t>{4, 3, 2, 1};
    }
    void topReasons() {
        QFETCH(std::vector<double>, contributions);
        QFETCH(int, k);
        QFETCH(std::vector<std::size_t>, expected);
        std::vector<std::size_t> out(static_cast<std::size_t>(k) + 1, 999);
        const std::size_t n = topReasonIndices(contributions.data(), contributions.size(),
                                               static_cast<std::size_t>(k), out.data());
        out.resize(n);
        QCOMPARE(out, expected);
    }
};

QTEST_GUILESS_MAIN(ReasonsTest)
#include "tst_reasons.moc"
