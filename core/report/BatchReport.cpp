#include "report/BatchReport.h"

#include <QDateTime>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

#include "common/Hash.h"
#include "pipeline/EvaluatePipeline.h"
#include "pipeline/ReferenceScores.h"
#include "report/ValidationReport.h"
#include "scoring/Scorer.h"

namespace cwb {

namespace {
constexpr int kBins = 20;

std::string fileName(const std::string& path) {
    return QFileInfo(QString::fromStdString(path)).fileName().toStdString();
}
}  // namespace

Result<BatchReport> buildBatchReport(std::shared_ptr<const ModelBundle> bundle,
                                     const std::string& bundlePath, const std::string& dataPath,
                                     ProgressToken* progress) {
    const ModelBundle& b = *bundle;
    BatchReport r;
    r.bundle = bundle;
    r.generatedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString();
    r.bundlePath = bundlePath;
    r.dataPath = dataPath;
    if (!bundlePath.empty()) {
        auto sha = sha256OfFile(bundlePath);
        if (!sha) return sha.error();
        r.bundleSha256 = *sha;
    }
    auto dataSha = sha256OfFile(dataPath);
    if (!dataSha) return dataSha.error();
    r.dataSha256 = *dataSha;

    ScoreFileOptions options;
    options.requireTarget = false;
    auto scored = scoreFile(b, dataPath, "", "", options, progress);
    if (!scored) return scored.error();
    const EncodedData& data = scored->data;
    r.rowsRead = scored->rowsRead;
    r.rowsScored = data.rows;
    r.rowsRejected = data.rejects.size();

    const Scorer scorer(bundle);
    std::vector<double> points(data.rows);
    std::map<std::string, BatchReasonCount> reasons;
    for (std::size_t i = 0; i < data.rows; ++i) {
        if (progress && progress->isCanceled()) return Error::failure("cancelled");
        const ScoreResult s = scorer.fromMargin(scored->margins[i]);
        points[i] = s.points;
        r.meanScore += static_cast<double>(s.score);
        if (s.decision == Decision::Approve)
            ++r.approved;
        else if (s.decision == Decision::Refer)
            ++r.referred;
        else {
            ++r.declined;
            const ScoreResult e = scorer.explain(data.row(i), 4);
            for (std::size_t k = 0; k < e.reasons.size(); ++k) {
                auto& c = reasons[e.reasons[k].feature];
                c.feature = e.reasons[k].feature;
                c.text = e.reasons[k].text;
                ++c.listed;
                if (k == 0) ++c.asFirst;
            }
        }
    }
    if (data.rows > 0) r.meanScore /= static_cast<double>(data.rows);
    for (auto& [feature, c] : reasons)
        r.declineReasons.push_back(std::move(c));
    std::stable_sort(r.declineReasons.begin(), r.declineReasons.end(),
                     [](const auto& x, const auto& y) {
                         return std::tie(x.listed, x.asFirst) > std::tie(y.listed, y.asFirst);
                     });

    // Histogram of rounded scores over equal-width bins on whole points.
    if (!points.empty()) {
        const auto [lo, hi] = std::minmax_element(points.begin(), points.end());
        // Whole-point bins so that the bands read as plain score ranges.
        const double low = std::floor(*lo / 10.0) * 10.0;
        const double width = std::max(1.0, std::ceil((std::round(*hi) + 1.0 - low) / kBins));
        for (int k = 0; k <= kBins; ++k)
            r.binEdges.push_back(low + width * k);
        r.binCounts.assign(kBins, 0);
        for (double p : points) {
            const auto k = static_cast<int>((std::round(p) - low) / width);
            ++r.binCounts[static_cast<std::size_t>(std::clamp(k, 0, kBins - 1))];
        }
    }

    r.scorePsi = b.metrics.contains("reference_scores")
                     ? scorePsi(b.metrics["reference_scores"], points)
                     : std::numeric_limits<double>::quiet_NaN();
    const DriftSpec drift = DriftSpec::fromBundle(b);
    if (drift.featureCount() > 0) {
        DriftCounts counts = drift.makeCounts();
        for (std::size_t i = 0; i < data.rows; ++i)
            drift.count(counts, data.row(i), points[i]);
        r.characteristicPsi = drift.featurePsi(counts);
        std::stable_sort(r.characteristicPsi.begin(), r.characteristicPsi.end(),
                         [](const auto& x, const auto& y) { return x.psi > y.psi; });
    }
    std::map<std::string, std::size_t> rejects;
    for (const auto& reject : data.rejects)
        ++rejects[reject.column.empty() ? reject.reason : reject.column + ": " + reject.reason];
    r.rejectReasons.assign(rejects.begin(), rejects.end());
    std::stable_sort(r.rejectReasons.begin(), r.rejectReasons.end(),
                     [](const auto& x, const auto& y) { return x.second > y.second; });
    if (progress) progress->report(1.0, "done", true);
    return r;
}

ReportDocument batchDocument(const BatchReport& r) {
    using Cell = ReportCell;
    const ModelBundle& b = *r.bundle;
    ReportDocument d;
    d.title = "Batch scoring report";
    d.subject = b.name + " version " + b.version;
    d.date = r.generatedAt.substr(0, 10);
    d.subtitle =
        fileName(r.dataPath) + " scored with model " + b.name + " (" + b.model->algorithm() + ")";
    d.heading("Run");
    d.keyValues({{"Model", b.name + " version " + b.version},
                 {"Bundle SHA-256", r.bundleSha256},
                 {"Scored file", fileName(r.dataPath)},
                 {"File SHA-256", r.dataSha256},
                 {"Rows read / scored / rejected", std::to_string(r.rowsRead) + " / " +
                                                       std::to_string(r.rowsScored) + " / " +
                                                       std::to_string(r.rowsRejected)},
                 {"Decision policy", "approve from " + formatNumber(b.policy.approveFrom, 0) +
                                         " points, decline below " +
                                         formatNumber(b.policy.declineBelow, 0)},
                 {"Report generated", r.generatedAt + " by Credit Workbench " CWB_VERSION}});

    d.heading("Decisions");
    ReportTable dec;
    dec.title = "Applicants by decision";
    dec.sheetName = "Decisions";
    dec.header = {"Decision", "Applicants", "Share"};
    const double n = std::max<double>(1.0, static_cast<double>(r.rowsScored));
    for (const auto& [name, count] : std::vector<std::pair<std::string, std::size_t>>{
             {"approve", r.approved}, {"refer", r.referred}, {"decline", r.declined}})
        dec.rows.push_back({Cell::textCell(name), Cell::integer(static_cast<std::int64_t>(count)),
                            Cell::percent(static_cast<double>(count) / n)});
    dec.rows.push_back({Cell::textCell("total scored"),
                        Cell::integer(static_cast<std::int64_t>(r.rowsScored)),
                        Cell::percent(r.rowsScored == 0 ? 0.0 : 1.0)});
    d.table(std::move(dec));

    d.heading("Score distribution");
    ReportChart hist;
    hist.title = "Applicants by score";
    hist.xLabel = "Score (points)";
    hist.yLabel = "Share of applicants";
    std::vector<CurvePoint> steps;
    double top = 0.0;
    for (std::size_t k = 0; k < r.binCounts.size(); ++k) {
        const double share = static_cast<double>(r.binCounts[k]) / n;
        steps.push_back({r.binEdges[k], share});
        steps.push_back({r.binEdges[k + 1], share});
        top = std::max(top, share);
    }
    if (!r.binEdges.empty()) {
        hist.xMin = r.binEdges.front();
        hist.xMax = r.binEdges.back();
    }
    hist.yMax = std::max(0.05, std::ceil(top * 20.0) / 20.0);
    hist.series = {{"Applicants", steps}};
    hist.note = "Mean score " + formatNumber(r.meanScore, 1) + " points";
    d.charts({hist});
    ReportTable bands;
    bands.title = "Score bands";
    bands.sheetName = "Score distribution";
    bands.header = {"From (points)", "To (points)", "Applicants", "Share"};
    for (std::size_t k = 0; k < r.binCounts.size(); ++k)
        bands.rows.push_back({Cell::number(r.binEdges[k], 0),
                              Cell::number(r.binEdges[k + 1] - 1.0, 0),
                              Cell::integer(static_cast<std::int64_t>(r.binCounts[k])),
                              Cell::percent(static_cast<double>(r.binCounts[k]) / n)});
    d.table(std::move(bands));

    d.heading("Reasons among declines");
    ReportTable reasons;
    reasons.title = "Most frequent reasons among " + std::to_string(r.declined) + " declines";
    reasons.sheetName = "Decline reasons";
    reasons.header = {"Characteristic", "Reason text", "Principal reason", "Among reasons",
                      "Share of declines"};
    reasons.columnWeights = {1.6, 3.4, 1.0, 1.0, 1.0};
    for (const auto& c : r.declineReasons) {
        const ColumnSpec* spec = b.schema.find(c.feature);
        reasons.rows.push_back(
            {Cell::textCell(spec ? spec->displayName() : c.feature), Cell::textCell(c.text),
             Cell::integer(static_cast<std::int64_t>(c.asFirst)),
             Cell::integer(static_cast<std::int64_t>(c.listed)),
             Cell::percent(r.declined == 0
                               ? 0.0
                               : static_cast<double>(c.listed) / static_cast<double>(r.declined))});
    }
    d.table(std::move(reasons));

    d.heading("Stability against the development sample");
    ReportTable st;
    st.title = "Population and characteristic stability";
    st.sheetName = "Stability";
    st.header = {"Measure", "Index", "Assessment"};
    st.columnWeights = {3, 1, 2};
    const auto assess = [](double v) {
        return std::isnan(v)          ? std::string("not available")
               : v >= kPsiSignificant ? std::string("significant shift")
               : v >= kPsiModerate    ? std::string("moderate shift")
                                      : std::string("stable");
    };
    st.rows.push_back({Cell::textCell("Score (PSI)"), Cell::number(r.scorePsi, 4),
                       Cell::textCell(assess(r.scorePsi), r.scorePsi >= kPsiSignificant)});
    for (const auto& c : r.characteristicPsi) {
        const ColumnSpec* spec = b.schema.find(c.feature);
        st.rows.push_back({Cell::textCell(spec ? spec->displayName() : c.feature),
                           Cell::number(c.psi, 4),
                           Cell::textCell(assess(c.psi), c.psi >= kPsiSignificant)});
    }
    if (r.characteristicPsi.empty())
        st.note =
            "CSI needs each characteristic's development bins, which only scorecard "
            "bundles store.";
    d.table(std::move(st));

    d.heading("Rows not scored");
    if (r.rejectReasons.empty()) {
        d.paragraph("Every row of the file was scored.");
    } else {
        ReportTable rej;
        rej.title = "Rows not scored, by reason";
        rej.sheetName = "Rejects";
        rej.header = {"Reason", "Rows"};
        rej.columnWeights = {5, 1};
        for (std::size_t k = 0; k < r.rejectReasons.size() && k < 20; ++k)
            rej.rows.push_back(
                {Cell::textCell(r.rejectReasons[k].first),
                 Cell::integer(static_cast<std::int64_t>(r.rejectReasons[k].second))});
        if (r.rejectReasons.size() > 20)
            rej.note = std::to_string(r.rejectReasons.size() - 20) + " further reasons not shown.";
        d.table(std::move(rej));
    }
    return d;
}

}  // namespace cwb
