#pragma once
// A report as data: headings, paragraphs, key-value lists, tables of typed cells and charts of
// computed series. Core builds it from its computed figures (ValidationReport, ...) and thin
// renderers draw it: render/PdfRenderer onto pages, render/XlsxWriter as one sheet per table.
// Both read the same cells, so a figure in the PDF and in the workbook cannot differ. No GUI
// types here: core stays free of QtGui.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "eval/Curves.h"

namespace cwb {

struct ReportCell {
    enum class Kind { Text, Number, Percent, Integer };
    Kind kind = Kind::Text;
    std::string text;       // Text only
    double value = 0.0;     // Number (as is), Percent (a share: 0.25 shows as 25.0%), Integer
    int decimals = 0;       // shown decimals (Number, Percent)
    bool emphasis = false;  // drawn in bold / flagged (e.g. a failed four-fifths rule)

    static ReportCell textCell(std::string t, bool emphasis = false);
    static ReportCell number(double v, int decimals);
    static ReportCell percent(double share, int decimals = 1);
    static ReportCell integer(std::int64_t v);
    // The text the PDF shows; NaN shows as "n/a".
    std::string display() const;
    bool isNumeric() const { return kind != Kind::Text; }
};

struct ReportTable {
    std::string title;      // caption above the table; also the workbook sheet's title row
    std::string sheetName;  // workbook sheet (<= 31 characters, unique within a document)
    std::vector<std::string> header;
    std::vector<double> columnWeights;  // relative widths; empty = equal
    std::vector<std::vector<ReportCell>> rows;
    std::string note;  // a line under the table
};

struct ReportSeries {
    std::string name;
    std::vector<CurvePoint> points;
    bool dashed = false;
    bool markers = false;  // points drawn as dots (calibration)
};

struct ReportChart {
    std::string title, xLabel, yLabel;
    double xMin = 0.0, xMax = 1.0, yMin = 0.0, yMax = 1.0;
    std::vector<ReportSeries> series;
    std::string note;  // a line under the chart (e.g. "KS 0.4957 at 512 points")
};

struct ReportHeading {
    std::string text;
    int level = 1;  // 1 numbered section, 2 subsection
};
struct ReportParagraph {
    std::string text;
    bool warning = false;  // shown as a highlighted finding
};
struct ReportKeyValues {
    std::vector<std::pair<std::string, std::string>> items;
};
struct ReportChartRow {
    std::vector<ReportChart> charts;  // side by side (one to three)
};
struct ReportSignatures {
    std::vector<std::string> roles;  // "Prepared by", "Reviewed by", "Approved by"
};
struct ReportPageBreak {};

using ReportBlock = std::variant<ReportHeading, ReportParagraph, ReportKeyValues, ReportTable,
                                 ReportChartRow, ReportSignatures, ReportPageBreak>;

struct ReportDocument {
    std::string title;       // "Model validation report"
    std::string subject;     // the page header's left side: "german_credit version 1"
    std::string date;        // the page header's right side, ISO date
    std::string subtitle;    // under the title on page one
    bool titleBlock = true;  // false: no title on page one (letters carry their own heading)
    std::vector<ReportBlock> blocks;

    void heading(std::string text, int level = 1) {
        blocks.emplace_back(ReportHeading{std::move(text), level});
    }
    void paragraph(std::string text, bool warning = false) {
        blocks.emplace_back(ReportParagraph{std::move(text), warning});
    }
    void keyValues(std::vector<std::pair<std::string, std::string>> items) {
        blocks.emplace_back(ReportKeyValues{std::move(items)});
    }
    void table(ReportTable t) { blocks.emplace_back(std::move(t)); }
    void charts(std::vector<ReportChart> c) { blocks.emplace_back(ReportChartRow{std::move(c)}); }
    void pageBreak() { blocks.emplace_back(ReportPageBreak{}); }
    std::vector<const ReportTable*> tables() const;
};

// At most `limit` points of a curve, evenly spaced, for drawing only (decision 11: thinning
// for drawing, never for figures).
std::vector<CurvePoint> thinnedForDrawing(const std::vector<CurvePoint>& points,
                                          std::size_t limit = 400);

// Fixed-point text with thousands left alone ("0.7830", "12.5%"), NaN as "n/a".
std::string formatNumber(double v, int decimals);
std::string formatPercent(double share, int decimals = 1);

}  // namespace cwb
