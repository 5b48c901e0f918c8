#pragma once
// The series of an explanation waterfall, computed from a score result: from the model's base
// value, one step per characteristic (largest first), to the final score. Kept apart from the
// chart code so the chart layer only draws what it is given.

#include <QString>

#include <map>
#include <string>
#include <vector>

#include "scoring/Scorer.h"

namespace cwb::ui {

enum class WaterfallUnit { Points, LogOdds };

struct WaterfallBar {
    enum Kind { Total, RaisesRisk, LowersRisk };
    QString label;  // the whole label, plain text: plainWaterfallLabel(name, effect)
    double from = 0.0;
    double to = 0.0;
    Kind kind = Total;
    // The label in two plain parts, so the chart can shorten the name and keep the effect:
    // "Checking account status = < 0 DM" and "raises risk 18.9" (effect empty for the totals).
    QString name;
    QString effect;
};

// A decision boundary drawn across the chart: approve from, decline below.
struct WaterfallCutoff {
    QString label;
    double at = 0.0;  // in the chart's unit
    bool approve = false;
};

struct WaterfallData {
    QString title;
    QString axisTitle;
    // What the base bar means and how to read the steps, shown with the chart.
    QString baseNote;
    std::vector<WaterfallCutoff> cutoffs;  // approve and decline boundaries
    std::vector<WaterfallBar> bars;        // top to bottom: base, steps, final
    double axisMin = 0.0;
    double axisMax = 1.0;
};

// A bar's whole label in plain text: "NAME  (EFFECT)", or NAME alone for a total.
QString plainWaterfallLabel(const QString& name, const QString& effect);

// values: the applicant's characteristic values, shown in the step labels (may be empty).
// At most maxSteps characteristics get a step of their own; the smaller rest is one "other"
// step, so the chart stays readable for wide models.
WaterfallData buildWaterfall(const ScoreResult& result, const ModelBundle& bundle,
                             const std::map<std::string, std::string>& values, WaterfallUnit unit,
                             std::size_t maxSteps = 10);

}  // namespace cwb::ui
