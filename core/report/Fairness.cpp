#include "report/Fairness.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <stdexcept>

#include "eval/Metrics.h"

namespace cwb {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const char* const kMissing = "missing";

bool isMissingText(const std::string& v) {
    return v.empty() || v == "NA" || v == "N/A" || v == "?" || v == "null";
}

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

bool parseNumber(const std::string& text, double& out) {
    if (text.empty()) return false;
    char* end = nullptr;
    out = std::strtod(text.c_str(), &end);
    return end == text.c_str() + text.size() && std::isfinite(out);
}

// Group name of every row: bands for an attribute whose present values are all numbers.
std::vector<std::string> groupsOf(const std::vector<std::string>& values,
                                  const FairnessOptions& options, bool& banded,
                                  std::vector<std::string>& order) {
    std::vector<double> parsed(values.size(), kNaN);
    bool numeric = !options.bandEdges.empty();
    bool whole = true;
    bool anyPresent = false;
    for (std::size_t i = 0; i < values.size() && numeric; ++i) {
        if (isMissingText(values[i])) continue;
        anyPresent = true;
        if (!parseNumber(values[i], parsed[i]))
            numeric = false;
        else if (parsed[i] != std::floor(parsed[i]))
            whole = false;
    }
    banded = numeric && anyPresent;
    std::vector<std::string> groups(values.size());
    if (banded) {
        for (double e : options.bandEdges)
            if (e != std::floor(e)) whole = false;
        order = bandLabels(options.bandEdges, whole);
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (std::isnan(parsed[i])) {
                groups[i] = kMissing;
                continue;
            }
            const auto band =
                std::upper_bound(options.bandEdges.begin(), options.bandEdges.end(), parsed[i]) -
                options.bandEdges.begin();
            groups[i] = order[static_cast<std::size_t>(band)];
        }
        order.push_back(kMissing);
        return groups;
    }
    for (std::size_t i = 0; i < values.size(); ++i)
        groups[i] = isMissingText(values[i]) ? std::string(kMissing) : values[i];
    order = groups;
    std::sort(order.begin(), order.end());
    order.erase(std::unique(order.begin(), order.end()), order.end());
    // "missing" goes last, after the named groups.
    const auto m = std::find(order.begin(), order.end(), kMissing);
    if (m != order.end()) std::rotate(m, m + 1, order.end());
    return groups;
}

struct Moments {
    double mean = 0.0, variance = 0.0;  // sample variance
};
Moments momentsOf(const std::vector<double>& v) {
    Moments m;
    if (v.empty()) return m;
    for (double x : v)
        m.mean += x;
    m.mean /= static_cast<double>(v.size());
    if (v.size() > 1) {
        for (double x : v)
            m.variance += (x - m.mean) * (x - m.mean);
        m.variance /= static_cast<double>(v.size() - 1);
    }
    return m;
}

}  // namespace

Result<void> checkBandEdges(const std::vector<double>& edges) {
    if (edges.size() > 50) return Error::badInput("band edges: at most 50");
    for (std::size_t k = 0; k < edges.size(); ++k) {
        if (!std::isfinite(edges[k])) return Error::badInput("band edges must be finite numbers");
        if (k > 0 && !(edges[k - 1] < edges[k]))
            return Error::badInput("band edges must be strictly ascending numbers");
    }
    return {};
}

Result<std::vector<double>> parseBandEdges(const std::string& text) {
    constexpr std::size_t kMaxText = 1000;
    if (text.size() > kMaxText) return Error::badInput("band edges: the text is too long");
    std::vector<double> edges;
    std::string piece;
    const auto flush = [&]() -> Result<void> {
        if (piece.empty()) return {};
        // from_chars: the same in every locale (a German desktop still writes 25.5).
        double v = 0.0;
        const auto [end, ec] = std::from_chars(piece.data(), piece.data() + piece.size(), v);
        if (ec != std::errc() || end != piece.data() + piece.size())
            return Error::badInput("band edges: '" + piece + "' is not a number");
        edges.push_back(v);
        piece.clear();
        return {};
    };
    for (char c : text) {
        if (c == ',' || c == ' ' || c == '\t' || c == ';') {
            if (auto r = flush(); !r) return r.error();
        } else {
            piece += c;
        }
    }
    if (auto r = flush(); !r) return r.error();
    if (auto r = checkBandEdges(edges); !r) return r.error();
    return edges;
}

std::vector<std::string> bandLabels(const std::vector<double>& edges, bool wholeNumbers) {
    std::vector<std::string> out;
    if (edges.empty()) return out;
    out.push_back("under " + number(edges.front()));
    for (std::size_t k = 0; k + 1 < edges.size(); ++k)
        out.push_back(wholeNumbers ? number(edges[k]) + "\u2013" + number(edges[k + 1] - 1)
                                   : number(edges[k]) + " to under " + number(edges[k + 1]));
    out.push_back(number(edges.back()) + " and over");
    return out;
}

FairnessReport computeFairness(const FairnessInput& input, const DecisionPolicy& policy,
                               const FairnessOptions& options) {
    const std::size_t n = input.points.size();
    const bool labelled = !input.bad.empty();
    if (input.pd.size() != n || (labelled && input.bad.size() != n) ||
        (labelled && input.margins.size() != n))
        throw std::invalid_argument("computeFairness: per-row inputs of different lengths");
    if (!std::is_sorted(options.bandEdges.begin(), options.bandEdges.end()))
        throw std::invalid_argument("computeFairness: band edges must be ascending");

    FairnessReport report;
    report.rows = n;
    report.labelled = labelled;
    report.options = options;
    std::vector<bool> approved(n);
    for (std::size_t i = 0; i < n; ++i)
        approved[i] =
            policy.decide(static_cast<double>(std::lround(input.points[i]))) == Decision::Approve;

    for (const auto& [column, values] : input.attributes) {
        if (values.size() != n)
            throw std::invalid_argument("computeFairness: attribute '" + column +
                                        "' has a different number of rows");
        FairnessAttribute attribute;
        attribute.column = column;
        const auto label = input.labels.find(column);
        attribute.label = label == input.labels.end() ? column : label->second;
        std::vector<std::string> order;
        const std::vector<std::string> groups = groupsOf(values, options, attribute.banded, order);

        // Rows of each group, in row order, so the per-group metrics see the file's order.
        std::map<std::string, std::vector<std::size_t>> members;
        for (std::size_t i = 0; i < n; ++i)
            members[groups[i]].push_back(i);
        std::map<std::string, std::vector<double>> scoresOf;
        for (const auto& name : order) {
            const auto it = members.find(name);
            if (it == members.end()) continue;  // an empty band is not a group
            const auto& rows = it->second;
            FairnessGroup g;
            g.group = name;
            g.count = rows.size();
            g.tooSmall = g.count < options.minGroupSize;
            std::vector<double> scores, margins, pds;
            std::vector<float> bads;
            for (std::size_t i : rows) {
                if (approved[i]) ++g.approved;
                scores.push_back(input.points[i]);
                pds.push_back(input.pd[i]);
                if (labelled) {
                    margins.push_back(input.margins[i]);
                    bads.push_back(input.bad[i]);
                    if (input.bad[i] > 0.5f) ++g.bads;
                }
            }
            g.approvalRate = static_cast<double>(g.approved) / static_cast<double>(g.count);
            g.meanScore = momentsOf(scores).mean;
            g.meanPd = momentsOf(pds).mean;
            if (labelled) {
                g.badRate = static_cast<double>(g.bads) / static_cast<double>(g.count);
                g.auc = auc(margins, bads);
            } else {
                g.badRate = g.auc = kNaN;
            }
            scoresOf[name] = std::move(scores);
            attribute.groups.push_back(std::move(g));
        }

        // The most favoured group among those large enough to judge (all when none is); the
        // first in display order wins a tie.
        const FairnessGroup* reference = nullptr;
        for (bool judgeableOnly : {true, false}) {
            for (const auto& g : attribute.groups)
                if ((!judgeableOnly || !g.tooSmall) &&
                    (!reference || g.approvalRate > reference->approvalRate))
                    reference = &g;
            if (reference) break;
        }
        if (!reference) {
            report.attributes.push_back(std::move(attribute));
            continue;
        }
        attribute.referenceGroup = reference->group;
        const double referenceRate = reference->approvalRate;
        const Moments ref = momentsOf(scoresOf[reference->group]);
        const std::size_t refCount = reference->count;
        for (auto& g : attribute.groups) {
            g.adverseImpactRatio = referenceRate == 0.0 ? 1.0 : g.approvalRate / referenceRate;
            g.belowFourFifths = g.adverseImpactRatio < options.fourFifths;
            // Pooled standard deviation of the group's and the reference group's scores;
            // negative = the group scores lower (riskier) than the reference.
            const Moments m = momentsOf(scoresOf[g.group]);
            const double dof = static_cast<double>(g.count + refCount) - 2.0;
            const double pooled =
                dof <= 0.0 ? 0.0
                           : std::sqrt((static_cast<double>(g.count - 1) * m.variance +
                                        static_cast<double>(refCount - 1) * ref.variance) /
                                       dof);
            g.standardisedMeanDifference = pooled > 0.0 ? (m.mean - ref.mean) / pooled : 0.0;
        }
        report.attributes.push_back(std::move(attribute));
    }
    return report;
}

nlohmann::json FairnessReport::toJson() const {
    // NaN (a group with one class has no AUC) is written as null, which JSON can hold.
    const auto value = [](double v) -> nlohmann::json {
        return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v);
    };
    nlohmann::json attributesJson = nlohmann::json::array();
    for (const auto& a : attributes) {
        nlohmann::json groupsJson = nlohmann::json::array();
        for (const auto& g : a.groups) {
            nlohmann::json j = {{"group", g.group},
                                {"count", g.count},
                                {"approved", g.approved},
                                {"approval_rate", g.approvalRate},
                                {"adverse_impact_ratio", g.adverseImpactRatio},
                                {"below_four_fifths", g.belowFourFifths},
                                {"too_small", g.tooSmall},
                                {"mean_score", g.meanScore},
                                {"mean_pd", g.meanPd},
                                {"standardised_mean_difference", g.standardisedMeanDifference}};
            if (labelled) {
                j["bads"] = g.bads;
                j["bad_rate"] = value(g.badRate);
                j["auc"] = value(g.auc);
            }
            groupsJson.push_back(std::move(j));
        }
        attributesJson.push_back({{"column", a.column},
                                  {"label", a.label},
                                  {"banded", a.banded},
                                  {"reference_group", a.referenceGroup},
                                  {"groups", groupsJson}});
    }
    return {{"rows", rows},
            {"labelled", labelled},
            {"min_group_size", options.minGroupSize},
            {"four_fifths", options.fourFifths},
            {"band_edges", options.bandEdges},
            {"attributes", attributesJson}};
}

}  // namespace cwb
