#include "ui/explanation/WaterfallData.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace cwb::ui {

namespace {
QString tr(const char* text) {
    return QCoreApplication::translate("Waterfall", text);
}
}  // namespace

QString plainWaterfallLabel(const QString& name, const QString& effect) {
    return effect.isEmpty() ? name : name + QStringLiteral("  (") + effect + QLatin1Char(')');
}

WaterfallData buildWaterfall(const ScoreResult& result, const ModelBundle& bundle,
                             const std::map<std::string, std::string>& values, WaterfallUnit unit,
                             std::size_t maxSteps) {
    const bool points = unit == WaterfallUnit::Points;
    const ScoreScaling& s = bundle.scaling;
    const auto convert = [&](double logOdds) {
        return points ? s.pointsFromContribution(logOdds) : logOdds;
    };
    WaterfallData data;
    data.title = points ? tr("From the base score to this applicant's score")
                        : tr("From the base log-odds of default to this applicant's");
    data.axisTitle = points ? tr("Points") : tr("Log-odds of default");
    const double base = points ? s.pointsFromMargin(result.baseValue) : result.baseValue;
    const double final = points ? result.points : result.margin;
    const int decimals = points ? 1 : 3;

    const auto features = bundle.schema.featureNames();
    std::vector<std::size_t> order(std::min(features.size(), result.contributions.size()));
    std::iota(order.begin(), order.end(), std::size_t{0});
    // Largest effects first: the top of the chart is what matters most for this applicant.
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return std::abs(result.contributions[a]) > std::abs(result.contributions[b]);
    });
    // Labels are shown as rich text by Qt Charts: level names such as "< 0 DM" are escaped.
    // The same words in both units: a step reads "raises risk" or "lowers risk" with its size,
    // whichever way the axis runs (points fall as risk rises, log-odds of default climb).
    const auto effectOf = [&](double delta, bool raises) {
        return QStringLiteral("%1 %2")
            .arg(raises ? tr("raises risk") : tr("lowers risk"))
            .arg(std::abs(delta), 0, 'f', decimals);
    };
    const auto step = [&](const QString& name, double from, double delta, bool raises) {
        const QString effect = effectOf(delta, raises);
        return WaterfallBar{plainWaterfallLabel(name, effect),
                            from,
                            from + delta,
                            raises ? WaterfallBar::RaisesRisk : WaterfallBar::LowersRisk,
                            name,
                            effect};
    };
    const auto total = [&](const QString& name, double to) {
        return WaterfallBar{plainWaterfallLabel(name, {}), 0.0, to, WaterfallBar::Total, name, {}};
    };
    data.bars.push_back(total(tr("Base %1").arg(base, 0, 'f', decimals), base));
    double at = base;
    double rest = 0.0;
    for (std::size_t i = 0; i < order.size(); ++i) {
        const std::size_t j = order[i];
        const double c = result.contributions[j];
        if (order.size() > maxSteps + 1 && i >= maxSteps) {
            rest += c;
            continue;
        }
        const double delta = convert(c);
        const ColumnSpec* spec = bundle.schema.find(features[j]);
        QString name = QString::fromStdString(spec ? spec->displayName() : features[j]);
        if (auto v = values.find(features[j]); v != values.end())
            name += QStringLiteral(" = ") +
                    (v->second.empty() ? tr("missing") : QString::fromStdString(v->second));
        data.bars.push_back(step(name, at, delta, c > 0));
        at += delta;
    }
    if (order.size() > maxSteps + 1) {
        const double delta = convert(rest);
        data.bars.push_back(
            step(tr("%1 other characteristics").arg(order.size() - maxSteps), at, delta, rest > 0));
        at += delta;
    }
    data.bars.push_back(total(
        points
            ? tr("Score %1").arg(result.score)
            : tr("Log-odds %1 (PD %2 %)").arg(final, 0, 'f', 3).arg(result.pd * 100.0, 0, 'f', 2),
        final));

    data.baseNote =
        points ? tr("Base %1 points: the score of an average applicant of the development sample, "
                    "before any of this applicant's values count. Each bar adds what one "
                    "characteristic changes: red raises the risk (fewer points), green lowers it. "
                    "The dashed lines are the decline (below %2) and approve (from %3) cutoffs.")
                     .arg(base, 0, 'f', 1)
                     .arg(bundle.policy.declineBelow)
                     .arg(bundle.policy.approveFrom)
               : tr("Base %1: the log-odds of default of an average applicant of the development "
                    "sample, before any of this applicant's values count. Each bar adds what one "
                    "characteristic changes: red raises the risk (higher log-odds), green lowers "
                    "it. The dashed lines are the decline and approve cutoffs in log-odds.")
                     .arg(base, 0, 'f', 3);
    const double declineAt =
        points ? bundle.policy.declineBelow : s.marginFromPoints(bundle.policy.declineBelow);
    const double approveAt =
        points ? bundle.policy.approveFrom : s.marginFromPoints(bundle.policy.approveFrom);
    data.cutoffs.push_back({tr("Decline below"), declineAt, false});
    data.cutoffs.push_back({tr("Approve from"), approveAt, true});

    // Points: the axis spans the steps (totals run off its left edge; starting at 0 would
    // squash the steps). Log-odds: 0 is the natural origin and is kept in view.
    double lo = points ? std::min(base, final) : 0.0;
    double hi = points ? std::max(base, final) : 0.0;
    for (const WaterfallBar& b : data.bars) {
        if (b.kind == WaterfallBar::Total) {
            lo = std::min(lo, b.to);
            hi = std::max(hi, b.to);
        } else {
            lo = std::min({lo, b.from, b.to});
            hi = std::max({hi, b.from, b.to});
        }
    }
    for (const WaterfallCutoff& c : data.cutoffs) {
        lo = std::min(lo, c.at);
        hi = std::max(hi, c.at);
    }
    const double pad = std::max((hi - lo) * 0.08, points ? 2.0 : 0.05);
    data.axisMin = lo - pad;
    data.axisMax = hi + pad;
    return data;
}

}  // namespace cwb::ui
