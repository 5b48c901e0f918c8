#include "pipeline/ReferenceScores.h"

#include <algorithm>
#include <cmath>

#include "eval/Metrics.h"
#include "scoring/Scorer.h"

namespace cwb {

nlohmann::json developmentMetrics(const std::vector<double>& margins,
                                  const std::vector<float>& bad) {
    std::vector<double> pd(margins.size());
    std::transform(margins.begin(), margins.end(), pd.begin(), pdFromMargin);
    double bads = 0.0;
    for (float y : bad)
        bads += y;
    const double a = auc(margins, bad);
    return {{"auc", a},
            {"gini", giniFromAuc(a)},
            {"ks", ks(margins, bad)},
            {"brier", brier(pd, bad)},
            {"log_loss", logLoss(pd, bad)},
            {"rows", margins.size()},
            {"bad_rate", margins.empty() ? 0.0 : bads / static_cast<double>(margins.size())}};
}

nlohmann::json referenceScoreDistribution(const std::vector<double>& margins,
                                          const ScoreScaling& scaling) {
    std::vector<double> points(margins.size());
    std::transform(margins.begin(), margins.end(), points.begin(),
                   [&](double m) { return scaling.pointsFromMargin(m); });
    std::sort(points.begin(), points.end());
    std::vector<double> edges;
    for (int q = 1; q < 10 && !points.empty(); ++q) {
        const double e = points[points.size() * static_cast<std::size_t>(q) / 10];
        if (edges.empty() || e > edges.back()) edges.push_back(e);
    }
    std::vector<double> shares(edges.size() + 1, 0.0);
    for (double p : points)
        shares[static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), p) -
                                        edges.begin())] += 1.0;
    for (double& s : shares)
        s /= std::max<double>(1.0, static_cast<double>(points.size()));
    return {{"edges", edges}, {"shares", shares}};
}

double scorePsi(const nlohmann::json& reference, const std::vector<double>& points) {
    const auto edges = reference.at("edges").get<std::vector<double>>();
    const auto expected = reference.at("shares").get<std::vector<double>>();
    std::vector<double> actual(edges.size() + 1, 0.0);
    for (double p : points)
        actual[static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), p) -
                                        edges.begin())] += 1.0;
    for (double& s : actual)
        s /= std::max<double>(1.0, static_cast<double>(points.size()));
    return psiFromShares(expected, actual);
}

}  // namespace cwb
