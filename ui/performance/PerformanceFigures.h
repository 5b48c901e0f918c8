#pragma once
// Turns the engine's performance figures into what the chart layer draws and the tables show.
// No figure is computed here: only picking, labelling and formatting (the figures themselves
// come from core/report and are tested there).

#include <QString>

#include <vector>

#include "report/PerformanceReport.h"
#include "ui/widgets/LineChart.h"
#include "ui/widgets/ReportTableModel.h"

namespace cwb::ui {

// One report per model for the overlaid curves (the compare view), with the models' names.
struct NamedReport {
    QString name;
    const PerformanceReport* report = nullptr;
};

LineChartData rocChart(const std::vector<NamedReport>& reports);
LineChartData precisionRecallChart(const std::vector<NamedReport>& reports);
LineChartData ksChart(const PerformanceReport& report, double cutoff);
LineChartData calibrationChart(const PerformanceReport& report);
LineChartData distributionChart(const PerformanceReport& report, double cutoff);
LineChartData gainsChart(const std::vector<NamedReport>& reports);
LineChartData liftChart(const PerformanceReport& report);

// Metric / this file / development / cross-validated. The bundle columns come from its
// metrics.json ("development" and the chosen algorithm's "cross_validation" entry).
void fillMetrics(ReportTableModel& model, const PerformanceReport& report,
                 const ModelBundle& bundle);
// The 2 x 2 confusion matrix at a cutoff (rows: actual, columns: decision) with totals.
void fillConfusion(ReportTableModel& model, const CutoffOutcome& outcome);
void fillGains(ReportTableModel& model, const PerformanceReport& report);
void fillCalibration(ReportTableModel& model, const PerformanceReport& report);
void fillImportance(ReportTableModel& model, const PerformanceReport& report);
void fillInformationValue(ReportTableModel& model, const PerformanceReport& report);

// The usual reading of an information value: not predictive, weak, medium, strong.
QString ivStrength(double iv);

}  // namespace cwb::ui
