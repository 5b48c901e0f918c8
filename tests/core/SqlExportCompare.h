#pragma once
// Comparing the SQL export with the engine, row by row: the engine's `cwb score` output and
// rejects file against the rows the generated statement returns (from SQLite or PostgreSQL).
// Shared by tst_sql_export_sqlite and tst_sql_export_postgres.

#include <QTest>

#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "data/CsvReader.h"

namespace cwb::test {

// One row of the statement's result; nullopt = SQL NULL.
struct SqlRow {
    std::optional<double> pd;
    std::optional<std::int64_t> score;
    std::optional<std::string> decision;
    std::vector<std::optional<std::string>> reasons;
    std::optional<std::string> rejectColumn;
    std::optional<std::string> rejectReason;
};

struct EngineRow {
    double pd = 0.0;
    std::int64_t score = 0;
    std::string decision;
    std::vector<std::string> reasons;  // "" where cwb score leaves the column empty
};

struct EngineReject {
    std::string column;
    std::string reason;
};

struct EngineOutput {
    std::map<std::string, EngineRow> scored;       // by id
    std::map<std::int64_t, EngineReject> rejects;  // by input line
};

// Reads a whole CSV file as rows of text fields by header name; an empty map on failure.
inline std::vector<std::map<std::string, std::string>> readCsvRows(const std::string& path) {
    std::vector<std::map<std::string, std::string>> rows;
    auto reader = CsvReader::open(path, CsvDialect{});
    if (!reader) return rows;
    CsvRecord record;
    while (true) {
        auto more = (*reader)->next(record);
        if (!more || !*more) break;
        std::map<std::string, std::string> row;
        for (std::size_t c = 0; c < record.fields.size() && c < (*reader)->header().size(); ++c)
            row[(*reader)->header()[c]] = std::string(record.fields[c]);
        rows.push_back(std::move(row));
    }
    return rows;
}

// cwb score's output (id column `idColumn`) and its rejects file (may be absent: no rejects).
inline EngineOutput readEngineOutput(const std::string& scoresPath, const std::string& rejectsPath,
                                     const std::string& idColumn, int reasons) {
    EngineOutput out;
    for (auto& row : readCsvRows(scoresPath)) {
        EngineRow e;
        e.pd = std::stod(row.at("pd"));
        e.score = std::stoll(row.at("score"));
        e.decision = row.at("decision");
        for (int k = 1; k <= reasons; ++k)
            e.reasons.push_back(row.at("reason_" + std::to_string(k)));
        out.scored[row.at(idColumn)] = std::move(e);
    }
    if (QFile::exists(QString::fromStdString(rejectsPath))) {
        for (auto& row : readCsvRows(rejectsPath))
            out.rejects[std::stoll(row.at("line"))] = {row.at("column"), row.at("reason")};
    }
    return out;
}

// How the statement's results agree with the engine's.
struct Agreement {
    std::size_t rows = 0;
    std::size_t scored = 0;
    std::size_t rejected = 0;
    double maxPdDifference = 0.0;
    std::size_t exactPd = 0;       // rows whose pd is bit-identical
    std::size_t scoreTies = 0;     // score off by one at a rounding boundary
    std::size_t decisionTies = 0;  // decision differs because of such a score
    std::size_t reasonRowsEqual = 0;

    QString summary() const {
        return QStringLiteral(
                   "%1 rows: %2 scored, %3 rejected; max |pd diff| %4, pd bit-identical on %5; "
                   "score ties %6, decision ties %7; reasons equal on %8 rows")
            .arg(rows)
            .arg(scored)
            .arg(rejected)
            .arg(maxPdDifference, 0, 'g', 3)
            .arg(exactPd)
            .arg(scoreTies)
            .arg(decisionTies)
            .arg(reasonRowsEqual);
    }
};

// Compares every input row (lineToId: the data file's line of each id) and fails the current
// test on the first disagreement: pd within pdTolerance, score and decision equal except where
// the engine's unrounded points lie within tieWidth of a rounding boundary (counted), reasons
// equal when compareReasons, and rejected rows with the engine's column and reason and NULL
// results. `points(pd)` gives the engine's unrounded points back from its pd.
template <class PointsFromPd>
Agreement compareWithEngine(const EngineOutput& engine,
                            const std::map<std::int64_t, std::string>& lineToId,
                            const std::map<std::string, SqlRow>& sql, double pdTolerance,
                            bool compareReasons, PointsFromPd points, double tieWidth = 1e-3) {
    Agreement a;
    a.rows = lineToId.size();
    [&] {
        QCOMPARE(sql.size(), lineToId.size());
        QCOMPARE(engine.scored.size() + engine.rejects.size(), lineToId.size());
        for (const auto& [line, id] : lineToId) {
            const auto found = sql.find(id);
            QVERIFY2(found != sql.end(),
                     qPrintable("no SQL row for id " + QString::fromStdString(id)));
            const SqlRow& s = found->second;
            const auto rejected = engine.rejects.find(line);
            const QString where =
                QStringLiteral("id %1 (line %2)").arg(QString::fromStdString(id)).arg(line);
            if (rejected != engine.rejects.end()) {
                ++a.rejected;
                QVERIFY2(s.rejectReason.has_value(),
                         qPrintable(where + ": SQL scored a row the engine rejects: " +
                                    QString::fromStdString(rejected->second.reason)));
                QCOMPARE(QString::fromStdString(s.rejectColumn.value_or("")),
                         QString::fromStdString(rejected->second.column));
                QCOMPARE(QString::fromStdString(*s.rejectReason),
                         QString::fromStdString(rejected->second.reason));
                QVERIFY2(!s.pd && !s.score && !s.decision,
                         qPrintable(where + ": a rejected row has results"));
                for (const auto& r : s.reasons)
                    QVERIFY2(!r, qPrintable(where + ": a rejected row has reasons"));
                continue;
            }
            ++a.scored;
            const auto e = engine.scored.find(id);
            QVERIFY2(e != engine.scored.end(), qPrintable(where + ": the engine has no result"));
            QVERIFY2(!s.rejectReason,
                     qPrintable(where + ": SQL rejects a row the engine scores: " +
                                QString::fromStdString(s.rejectReason.value_or(""))));
            QVERIFY2(s.pd && s.score && s.decision, qPrintable(where + ": NULL results"));
            const double diff = std::abs(*s.pd - e->second.pd);
            a.maxPdDifference = std::max(a.maxPdDifference, diff);
            a.exactPd += *s.pd == e->second.pd ? 1 : 0;
            QVERIFY2(diff <= pdTolerance, qPrintable(where + QStringLiteral(": pd %1 vs engine %2")
                                                                 .arg(*s.pd, 0, 'g', 17)
                                                                 .arg(e->second.pd, 0, 'g', 17)));
            if (*s.score != e->second.score) {
                const double p = points(e->second.pd);
                const double boundary = std::floor(p) + 0.5;
                QVERIFY2(
                    std::abs(*s.score - e->second.score) == 1 && std::abs(p - boundary) <= tieWidth,
                    qPrintable(where + QStringLiteral(": score %1 vs engine %2 (points %3)")
                                           .arg(*s.score)
                                           .arg(e->second.score)
                                           .arg(p, 0, 'g', 12)));
                ++a.scoreTies;
                if (*s.decision != e->second.decision) ++a.decisionTies;
            } else {
                QCOMPARE(QString::fromStdString(*s.decision),
                         QString::fromStdString(e->second.decision));
            }
            if (compareReasons) {
                QCOMPARE(s.reasons.size(), e->second.reasons.size());
                for (std::size_t k = 0; k < s.reasons.size(); ++k)
                    QCOMPARE(QString::fromStdString(s.reasons[k].value_or("")),
                             QString::fromStdString(e->second.reasons[k]));
                ++a.reasonRowsEqual;
            }
        }
    }();
    return a;
}

}  // namespace cwb::test
