#include "report/AdverseAction.h"

#include <QDate>

#include <cmath>

#include "data/DataRow.h"
#include "pipeline/EvaluatePipeline.h"
#include "scoring/Scorer.h"

namespace cwb {

namespace {

constexpr int kReasons = 4;

void replaceAll(std::string& s, const std::string& from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
}

std::string csvField(const std::string& v) {
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string out = "\"";
    for (char c : v)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

bool wanted(Decision d, bool includeReferred) {
    return d == Decision::Decline || (includeReferred && d == Decision::Refer);
}

AdverseActionNotice noticeOf(const ScoreResult& s, std::string id, std::int64_t line) {
    AdverseActionNotice n;
    n.applicantId = std::move(id);
    n.line = line;
    n.decision = toString(s.decision);
    n.score = s.score;
    for (const auto& reason : s.reasons)
        n.reasons.push_back(reason.text);
    return n;
}

}  // namespace

std::string fillRightsTemplate(const std::string& text, const LenderDetails& lender,
                               const std::string& applicantId, const std::string& date) {
    std::string out = text;
    replaceAll(out, "{lender_name}", lender.name);
    replaceAll(out, "{lender_address}", lender.address);
    replaceAll(out, "{lender_contact}", lender.contact);
    replaceAll(out, "{applicant_id}", applicantId);
    replaceAll(out, "{date}", date);
    return out;
}

namespace {

// The development sample's typical score range, for the credit score disclosure.
void setTypicalRange(AdverseActionSet& set, const ModelBundle& b) {
    if (!b.metrics.contains("reference_scores")) return;
    const auto& edges = b.metrics["reference_scores"]["edges"];
    if (edges.is_array() && edges.size() >= 2) {
        set.typicalLow = edges.front().get<double>();
        set.typicalHigh = edges.back().get<double>();
        set.hasTypicalRange = true;
    }
}

}  // namespace

Result<AdverseActionSet> adverseActionForApplicant(const std::shared_ptr<const ModelBundle>& bundle,
                                                   const std::map<std::string, std::string>& values,
                                                   const ApplicantRef& applicant) {
    const Scorer scorer(bundle);
    AdverseActionSet set;
    setTypicalRange(set, *bundle);
    std::map<std::string, std::string> features;
    for (const auto& [name, text] : values)
        if (const ColumnSpec* spec = bundle->schema.find(name);
            spec && spec->role == ColumnRole::Feature)
            features[name] = text;
    auto result = scorer.explainRecord(features, kReasons);
    if (!result)
        return Error::badInput(applicant.where + " cannot be scored: " + result.error().message);
    set.rowsRead = set.rowsScored = 1;
    if (!wanted(result->decision, true))
        return Error::badInput(applicant.where + " is approved (score " +
                               std::to_string(result->score) +
                               "): it gets no adverse action notice");
    set.notices.push_back(noticeOf(*result, applicant.id, applicant.line));
    set.notices.back().idIsPersonal = applicant.idIsPersonal;
    return set;
}

Result<AdverseActionSet> buildAdverseActions(const std::shared_ptr<const ModelBundle>& bundle,
                                             const AdverseActionRequest& request,
                                             ProgressToken* progress) {
    const ModelBundle& b = *bundle;
    const Scorer scorer(bundle);
    AdverseActionSet set;
    setTypicalRange(set, b);
    if (request.row > 0) {
        auto row = readDataRow(request.dataPath, request.row);
        if (!row) return row.error();
        ApplicantRef applicant;
        applicant.id = "row " + std::to_string(request.row);
        applicant.line = request.row + 1;
        applicant.where = "row " + std::to_string(request.row) + " of '" + request.dataPath + "'";
        std::map<std::string, std::string> values;
        for (auto& [name, text] : row->values) {
            const ColumnSpec* spec = b.schema.find(name);
            if (spec && spec->role == ColumnRole::Id) {
                applicant.id = text;
                applicant.idIsPersonal = true;
            }
            if (!spec || spec->role != ColumnRole::Feature) continue;
            if (row->decimalSeparator == ',' && spec->type == ColumnType::Numeric)
                for (char& c : text)
                    if (c == ',') c = '.';
            values[name] = text;
        }
        return adverseActionForApplicant(bundle, values, applicant);
    }

    ScoreFileOptions options;
    options.requireTarget = false;
    auto scored = scoreFile(b, request.dataPath, "", "", options, progress);
    if (!scored) return scored.error();
    set.rowsRead = scored->rowsRead;
    set.rowsScored = scored->data.rows;
    set.rowsRejected = scored->data.rejects.size();
    for (std::size_t i = 0; i < scored->data.rows; ++i) {
        if (progress && progress->isCanceled()) return Error::failure("cancelled");
        const ScoreResult quick = scorer.fromMargin(scored->margins[i]);
        if (!wanted(quick.decision, request.includeReferred)) continue;
        const ScoreResult s = scorer.explain(scored->data.row(i), kReasons);
        const std::string id = scored->data.ids.empty()
                                   ? "line " + std::to_string(scored->data.lines[i])
                                   : scored->data.ids[i];
        set.notices.push_back(noticeOf(s, id, scored->data.lines[i]));
        set.notices.back().idIsPersonal = !scored->data.ids.empty();
    }
    return set;
}

ReportDocument adverseActionDocument(const AdverseActionSet& set, const ModelBundle& bundle,
                                     const AdverseActionRequest& request) {
    ReportDocument d;
    const std::string date = request.date.empty()
                                 ? QDate::currentDate().toString(Qt::ISODate).toStdString()
                                 : request.date;
    d.title = "Notice of action taken";
    d.subject = request.lender.name;
    d.date = date;
    d.titleBlock = false;
    bool first = true;
    for (const auto& n : set.notices) {
        if (!first) d.pageBreak();
        first = false;
        // Letterhead, then the notice.
        d.heading(request.lender.name, 2);
        d.paragraph(request.lender.address + "\n" + request.lender.contact);
        d.heading("Notice of action taken on your application", 2);
        d.keyValues({{"Date", date},
                     {"Applicant", n.idIsPersonal && set.idsMasked
                                       ? n.applicantId + " (pseudonym: your role does not show the "
                                                         "applicant's id, which is personal data)"
                                       : n.applicantId},
                     {"Decision", n.decision == "decline"
                                      ? std::string("Your application has been declined.")
                                      : std::string("Your application has not been approved "
                                                    "as submitted; it has been referred for "
                                                    "manual review.")}});
        d.heading("Principal reasons for our decision", 2);
        if (n.reasons.empty())
            d.paragraph(
                "The model named no single characteristic that raised the risk; the "
                "decision reflects the application as a whole.");
        for (std::size_t k = 0; k < n.reasons.size(); ++k)
            d.paragraph(std::to_string(k + 1) + ".  " + n.reasons[k]);
        d.heading("Your credit score", 2);
        std::string disclosure =
            "Your score: " + std::to_string(n.score) + " points. Higher scores mean lower risk.";
        if (set.hasTypicalRange)
            disclosure +=
                " In the sample the model was developed on, 80% of applicants scored "
                "between " +
                formatNumber(set.typicalLow, 0) + " and " + formatNumber(set.typicalHigh, 0) +
                " points.";
        disclosure += " Applications scoring below " + formatNumber(bundle.policy.declineBelow, 0) +
                      " points are declined. The key factors that lowered your score are the "
                      "reasons listed above, strongest first.";
        d.paragraph(disclosure);
        d.heading("Statement of your rights", 2);
        const std::string rights =
            fillRightsTemplate(request.rightsTemplate, request.lender, n.applicantId, date);
        std::size_t start = 0;
        while (start <= rights.size()) {
            const std::size_t end = rights.find("\n\n", start);
            std::string part =
                rights.substr(start, end == std::string::npos ? std::string::npos : end - start);
            while (!part.empty() && (part.back() == '\n' || part.back() == ' '))
                part.pop_back();
            if (!part.empty()) d.paragraph(part);
            if (end == std::string::npos) break;
            start = end + 2;
        }
    }
    if (set.notices.empty()) d.paragraph("No applicant in this file gets a notice.");
    return d;
}

std::string adverseActionIndexCsv(const AdverseActionSet& set) {
    std::string out = "applicant_id,line,decision,score,page\n";
    for (std::size_t k = 0; k < set.notices.size(); ++k) {
        const auto& n = set.notices[k];
        out += csvField(n.applicantId) + "," + std::to_string(n.line) + "," + n.decision + "," +
               std::to_string(n.score) + "," + std::to_string(k + 1) + "\n";
    }
    return out;
}

}  // namespace cwb
