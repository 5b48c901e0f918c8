#include "report/ReportDocument.h"

#include <cmath>
#include <cstdio>

namespace cwb {

std::string formatNumber(double v, int decimals) {
    if (std::isnan(v)) return "n/a";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    // "-0.0000" reads as a sign error in a table of differences.
    std::string s = buf;
    if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
    return s;
}

std::string formatPercent(double share, int decimals) {
    if (std::isnan(share)) return "n/a";
    return formatNumber(100.0 * share, decimals) + "%";
}

ReportCell ReportCell::textCell(std::string t, bool emphasis) {
    ReportCell c;
    c.text = std::move(t);
    c.emphasis = emphasis;
    return c;
}
ReportCell ReportCell::number(double v, int decimals) {
    ReportCell c;
    c.kind = Kind::Number;
    c.value = v;
    c.decimals = decimals;
    return c;
}
ReportCell ReportCell::percent(double share, int decimals) {
    ReportCell c;
    c.kind = Kind::Percent;
    c.value = share;
    c.decimals = decimals;
    return c;
}
ReportCell ReportCell::integer(std::int64_t v) {
    ReportCell c;
    c.kind = Kind::Integer;
    c.value = static_cast<double>(v);
    return c;
}

std::string ReportCell::display() const {
    switch (kind) {
        case Kind::Text:
            return text;
        case Kind::Number:
            return formatNumber(value, decimals);
        case Kind::Percent:
            return formatPercent(value, decimals);
        case Kind::Integer:
            return formatNumber(value, 0);
    }
    return text;
}

std::vector<const ReportTable*> ReportDocument::tables() const {
    std::vector<const ReportTable*> out;
    for (const auto& block : blocks)
        if (const auto* t = std::get_if<ReportTable>(&block)) out.push_back(t);
    return out;
}

std::vector<CurvePoint> thinnedForDrawing(const std::vector<CurvePoint>& points,
                                          std::size_t limit) {
    if (points.size() <= limit || limit < 2) return points;
    std::vector<CurvePoint> out;
    const double step = static_cast<double>(points.size() - 1) / static_cast<double>(limit - 1);
    for (std::size_t k = 0; k < limit; ++k)
        out.push_back(points[static_cast<std::size_t>(std::lround(step * static_cast<double>(k)))]);
    return out;
}

}  // namespace cwb
