// Fairness analysis: a hand-computed case checks every figure, age is banded with groups too
// small to judge kept and marked, and `cwb fairness` on the shipped model agrees with the
// decisions `cwb score` writes for the same file.

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <map>

#include "CliRunner.h"
#include "data/Table.h"
#include "report/Fairness.h"

using namespace cwb;
using namespace cwb::test;

class FairnessTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    const QString m_model = QString::fromStdString(sourcePath("models/german_credit.cwbm"));
    const QString m_data = QString::fromStdString(sourcePath("sample_data/german_credit.csv"));

private slots:
    void handComputedCase() {
        // Policy: approve from 540, decline below 500 (refer in between is not approved).
        // Group A scores 560, 545, 530, 480 -> 2 of 4 approved; group B 600, 550, 541, 539.6
        // (rounds to 540) -> 4 of 4. B is the reference; A's ratio is 0.5, below four-fifths.
        FairnessInput in;
        in.points = {560, 545, 530, 480, 600, 550, 541, 539.6};
        for (double p : in.points)
            in.margins.push_back(-p / 100.0);
        in.pd = {0.1, 0.2, 0.3, 0.4, 0.05, 0.1, 0.15, 0.2};
        in.bad = {0, 0, 1, 1, 0, 1, 0, 0};
        in.attributes.push_back({"group", {"A", "A", "A", "A", "B", "B", "B", "B"}});
        FairnessOptions options;
        options.minGroupSize = 3;
        DecisionPolicy policy;
        policy.approveFrom = 540;
        policy.declineBelow = 500;
        const FairnessReport r = computeFairness(in, policy, options);
        QCOMPARE(r.attributes.size(), std::size_t(1));
        const FairnessAttribute& a = r.attributes[0];
        QVERIFY(!a.banded);
        QCOMPARE(a.referenceGroup, std::string("B"));
        QCOMPARE(a.groups.size(), std::size_t(2));
        const FairnessGroup& ga = a.groups[0];
        const FairnessGroup& gb = a.groups[1];
        QCOMPARE(ga.group, std::string("A"));
        QCOMPARE(ga.approved, std::size_t(2));
        QCOMPARE(gb.approved, std::size_t(4));
        QCOMPARE(ga.approvalRate, 0.5);
        QCOMPARE(ga.adverseImpactRatio, 0.5);
        QCOMPARE(gb.adverseImpactRatio, 1.0);
        QVERIFY(ga.belowFourFifths);
        QVERIFY(!gb.belowFourFifths);
        QCOMPARE(ga.badRate, 0.5);
        QCOMPARE(gb.badRate, 0.25);
        QVERIFY(std::abs(ga.meanPd - 0.25) < 1e-12);
        QVERIFY(std::abs(gb.meanPd - 0.125) < 1e-12);
        // A: both bads score below both goods -> AUC 1. B: the bad (550) is riskier than one
        // of three goods (600) -> 1/3.
        QCOMPARE(ga.auc, 1.0);
        QVERIFY(std::abs(gb.auc - 1.0 / 3.0) < 1e-12);
        // Means 528.75 and 557.65, sample variances 1206.25 and 818.3567, pooled SD 31.8167.
        QVERIFY(std::abs(ga.standardisedMeanDifference - (-0.9083276)) < 1e-6);
        QCOMPARE(gb.standardisedMeanDifference, 0.0);
        QVERIFY(!ga.tooSmall);
    }

    void agesAreBandedAndSmallGroupsMarked() {
        FairnessInput in;
        const std::vector<std::string> ages = {"24", "25", "39", "40", "59", "60", "NA", "70"};
        in.points = {560, 560, 560, 560, 560, 480, 560, 560};
        in.pd.assign(ages.size(), 0.1);
        in.attributes.push_back({"age", ages});
        const FairnessReport r = computeFairness(in, DecisionPolicy{});
        QVERIFY(!r.labelled);
        const FairnessAttribute& a = r.attributes[0];
        QVERIFY(a.banded);
        std::vector<std::string> names;
        std::map<std::string, std::size_t> counts;
        for (const auto& g : a.groups) {
            names.push_back(g.group);
            counts[g.group] = g.count;
            QVERIFY(g.tooSmall);  // all below the default 30, and still shown
            QVERIFY(std::isnan(g.auc));
        }
        const std::vector<std::string> expected = {"under 25", "25\u201339", "40\u201359",
                                                   "60 and over", "missing"};
        QCOMPARE(names, expected);
        QCOMPARE(counts["25\u201339"], std::size_t(2));
        QCOMPARE(counts["60 and over"], std::size_t(2));
        QCOMPARE(counts["missing"], std::size_t(1));
        for (const auto& g : a.groups)
            if (g.group == "60 and over") QCOMPARE(g.adverseImpactRatio, 0.5);
        // Custom edges that are not whole numbers name their bands in words.
        FairnessOptions options;
        options.bandEdges = {30.5};
        const FairnessReport custom = computeFairness(in, DecisionPolicy{}, options);
        QCOMPARE(custom.attributes[0].groups[0].group, std::string("under 30.5"));
    }

    void cliAgreesWithScoreDecisions() {
        const QString scored = m_dir.filePath("scored.csv");
        const CliRun score = runCli(
            {"score", "--model", m_model, "--in", m_data, "--out", scored, "--quiet", "--json"});
        QVERIFY2(score.exitCode == 0, score.err.constData());
        const CliRun run = runCli({"fairness", "--model", m_model, "--data", m_data, "--protected",
                                   "personal_status_sex", "--protected", "age_years", "--json"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const auto j = run.json();
        QVERIFY(j["labelled"].get<bool>());
        QCOMPARE(j["rows"].get<int>(), 1000);

        // Approvals per personal_status_sex group, counted from cwb score's own output.
        auto input = readTable(m_data.toStdString());
        auto output = readTable(scored.toStdString());
        QVERIFY(input.ok() && output.ok());
        const auto& groups = input->columns[input->columnIndex("personal_status_sex")];
        const auto& decisions = output->columns[output->columnIndex("decision")];
        QCOMPARE(decisions.size(), groups.size());
        std::map<std::string, int> approved, count;
        for (std::size_t i = 0; i < groups.size(); ++i) {
            ++count[groups[i]];
            if (decisions[i] == "approve") ++approved[groups[i]];
        }
        const auto& attribute = j["attributes"][0];
        QCOMPARE(attribute["column"].get<std::string>(), std::string("personal_status_sex"));
        double best = 0.0;
        for (const auto& g : attribute["groups"]) {
            const std::string name = g["group"].get<std::string>();
            QCOMPARE(g["count"].get<int>(), count[name]);
            QCOMPARE(g["approved"].get<int>(), approved[name]);
            best = std::max(best, g["approval_rate"].get<double>());
            QCOMPARE(g["too_small"].get<bool>(), count[name] < 30);
        }
        for (const auto& g : attribute["groups"])
            if (!g["too_small"].get<bool>())
                QVERIFY(std::abs(g["adverse_impact_ratio"].get<double>() -
                                 g["approval_rate"].get<double>() / best) < 1e-12);
        const auto& age = j["attributes"][1];
        QVERIFY(age["banded"].get<bool>());
        int total = 0;
        for (const auto& g : age["groups"])
            total += g["count"].get<int>();
        QCOMPARE(total, 1000);
    }

    void refusesAMissingColumnAndBadBands() {
        const CliRun run = runCli(
            {"fairness", "--model", m_model, "--data", m_data, "--protected", "no_such_column"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("no_such_column"));
        const CliRun bands =
            runCli({"fairness", "--model", m_model, "--data", m_data, "--bands", "40,25"});
        QCOMPARE(bands.exitCode, 2);
        QVERIFY(bands.err.contains("ascending"));
    }

    // The band edges a user types (the Fairness tab): numbers in any locale, separated by
    // commas or spaces; the same rules as --bands.
    void bandEdgesFromText() {
        auto edges = parseBandEdges("25, 40 ,60");
        QVERIFY(edges.ok());
        QCOMPARE(*edges, (std::vector<double>{25.0, 40.0, 60.0}));
        edges = parseBandEdges("30.5 50");
        QVERIFY(edges.ok());
        QCOMPARE(*edges, (std::vector<double>{30.5, 50.0}));
        QVERIFY(parseBandEdges("").ok() && parseBandEdges("")->empty());
        auto bad = parseBandEdges("25, forty");
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message.find("'forty'") != std::string::npos);
        QVERIFY(!parseBandEdges("40, 25").ok());
        QVERIFY(!parseBandEdges("25, 25").ok());
        QVERIFY(!parseBandEdges("25,nan").ok());
        QVERIFY(!parseBandEdges("25,inf").ok());
        std::string many;
        for (int k = 0; k < 51; ++k)
            many += std::to_string(k) + ",";
        QVERIFY(!parseBandEdges(many).ok());
        QVERIFY(!parseBandEdges(std::string(2000, '1')).ok());
    }
};

QTEST_GUILESS_MAIN(FairnessTest)
#include "tst_fairness.moc"
