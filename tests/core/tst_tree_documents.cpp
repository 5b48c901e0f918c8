// TreeEnsemble refuses XGBoost documents it cannot score safely, in JSON and in UBJSON: the
// structure checks that keep broken trees away from XGBoost (several were SIGSEGVs there, found
// by fuzzing: tests/fuzz/regressions/tree_model/).

#include <QString>
#include <QtTest>

#include <cstdint>
#include <string>

#include "model/TreeEnsemble.h"

using namespace cwb;

class TestTreeDocuments : public QObject {
    Q_OBJECT
private slots:
    void badDocumentsAreRefused_data();
    void badDocumentsAreRefused();
};

void TestTreeDocuments::badDocumentsAreRefused_data() {
    QTest::addColumn<QString>("document");
    QTest::addColumn<QString>("message");
    const QString tree =
        R"({"tree_param": {"num_nodes": "3"}, "left_children": [1, -1, -1],
            "right_children": [2, -1, -1], "split_indices": [%1, 0, 0],
            "split_conditions": [0.5, -1.0, 1.0], "default_left": [0, 0, 0],
            "sum_hessian": [2.0, 1.0, 1.0], "split_type": [0, 0, 0]})";
    const auto model = [&](const QString& booster, const QString& objective, const QString& trees,
                           const QString& classes = "0") {
        return QString(R"({"learner": {"learner_model_param": {"base_score": "5E-1",
            "num_feature": "2", "num_class": "%4"}, "objective": {"name": "%2"},
            "gradient_booster": {"name": "%1", "model": {"gbtree_model_param": {"num_trees":
            "%5"}, "trees": [%3]}}}})")
            .arg(booster, objective, trees, classes)
            .arg(trees.isEmpty() ? 0 : trees.count("tree_param"));
    };
    QTest::newRow("empty") << ""
                           << "not an XGBoost JSON model";
    QTest::newRow("not json") << "PK\x03\x04 zip"
                              << "not an XGBoost JSON model";
    QTest::newRow("truncated") << model("gbtree", "binary:logistic", tree.arg(1)).left(150)
                               << "not an XGBoost JSON model";
    QTest::newRow("empty object") << "{}"
                                  << "has no \"learner\"";
    QTest::newRow("dart") << model("dart", "binary:logistic", tree.arg(1)) << "gbtree";
    QTest::newRow("multi-class") << model("gbtree", "multi:softprob", tree.arg(1), "3")
                                 << "multi-class";
    QTest::newRow("objective") << model("gbtree", "count:poisson", tree.arg(1)) << "count:poisson";
    QTest::newRow("feature out of range")
        << model("gbtree", "binary:logistic", tree.arg(5)) << "beyond num_feature";
    QTest::newRow("child is the root")
        << model("gbtree", "binary:logistic",
                 QString(tree.arg(0)).replace("[1, -1, -1]", "[1, 0, -1]"))
        << "out of range";
    QTest::newRow("shared child") << model(
                                         "gbtree", "binary:logistic",
                                         QString(tree.arg(0)).replace("[2, -1, -1]", "[1, -1, -1]"))
                                  << "out of range";
    QTest::newRow("short array") << model("gbtree", "binary:logistic",
                                          QString(tree.arg(0)).replace("[2.0, 1.0, 1.0]", "[2.0]"))
                                 << "one entry per node";
    // XGBoost sizes its tree list from num_trees and predicted past it when the key was
    // misspelt (a SIGSEGV found by fuzzing: tests/fuzz/regressions/tree_model).
    QTest::newRow("num_trees misspelt")
        << model("gbtree", "binary:logistic", tree.arg(0)).replace("\"num_trees\"", "\"nun_trees\"")
        << "num_trees does not match";
    QTest::newRow("num_trees too many")
        << model("gbtree", "binary:logistic", tree.arg(0))
               .replace("\"num_trees\":\n            \"1\"", "\"num_trees\": \"2\"")
        << "num_trees does not match";
    QTest::newRow("rounds do not divide")
        << model("gbtree", "binary:logistic", tree.arg(0) + "," + tree.arg(1))
               .replace("{\"num_trees\"", "{\"num_parallel_tree\": \"3\", \"num_trees\"")
        << "num_parallel_tree";
    // XGBoost puts each tree where its id says: a repeated id left a slot empty (SIGSEGV).
    QTest::newRow("repeated tree id")
        << model("gbtree", "binary:logistic",
                 QString(tree.arg(0)).replace("{\"tree_param\"", "{\"id\": 0, \"tree_param\"") +
                     "," +
                     QString(tree.arg(1)).replace("{\"tree_param\"", "{\"id\": 0, \"tree_param\""))
        << "has the id 0";
}

void TestTreeDocuments::badDocumentsAreRefused() {
    QFETCH(QString, document);
    QFETCH(QString, message);
    const std::string text = document.toStdString();
    const auto result = TreeEnsemble::fromXgboostJson(text);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, ErrorKind::BadInput);
    QVERIFY2(result.error().message.find(message.toStdString()) != std::string::npos,
             result.error().message.c_str());
    const auto ubj = TreeEnsemble::fromXgboostUbjson(
        {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
    QVERIFY(!ubj.ok());
}

QTEST_GUILESS_MAIN(TestTreeDocuments)
#include "tst_tree_documents.moc"
