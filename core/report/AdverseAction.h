#pragma once
// Adverse action notices: for each declined (optionally also referred) applicant, the decision,
// the principal reasons (at most four) in the model's plain-language reason texts, the score
// with a credit score disclosure (the range most applicants score in and the key factors), the
// lender's details and a statement of the applicant's rights from an editable template.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/Progress.h"
#include "common/Result.h"
#include "report/ReportDocument.h"
#include "scoring/ModelBundle.h"

namespace cwb {

struct LenderDetails {
    std::string name = "[Lender name]";
    std::string address = "[Lender address]";
    std::string contact = "[Telephone, e-mail]";
};

struct AdverseActionRequest {
    std::string dataPath;
    long row = 0;                  // 1-based data row (line - 1 for a file with a header); 0 = all
    bool includeReferred = false;  // with row == 0: referred applicants get notices too
    LenderDetails lender;
    std::string rightsTemplate;  // text with {lender_name}, {lender_address}, {lender_contact},
                                 // {applicant_id}, {date} placeholders
    std::string date;            // ISO date of the notices (default: today)
};

struct AdverseActionNotice {
    std::string applicantId;    // the id column's value, else "row N" / "line N"
    bool idIsPersonal = false;  // taken from the id column (personal data), not a line number
    std::int64_t line = 0;
    std::string decision;  // "decline" or "refer"
    long score = 0;
    std::vector<std::string> reasons;  // plain-language texts, strongest first, at most four
};

struct AdverseActionSet {
    std::vector<AdverseActionNotice> notices;
    std::size_t rowsRead = 0, rowsScored = 0, rowsRejected = 0;
    double typicalLow = 0.0, typicalHigh = 0.0;  // 10th and 90th percentile of development scores
    bool hasTypicalRange = false;
    // The applicant ids were replaced by the store's pseudonyms because the user's role may not
    // see personal data (store/ReportMasking.h); the notices say so.
    bool idsMasked = false;
};

// Scores the file and keeps the applicants that get a notice. With request.row set, that row
// must exist, be scorable and be declined (or referred with includeReferred) - else BadInput
// saying why.
Result<AdverseActionSet> buildAdverseActions(const std::shared_ptr<const ModelBundle>& bundle,
                                             const AdverseActionRequest& request,
                                             ProgressToken* progress);

// Names one applicant held in memory (the GUI's Explanation view) or read from a file row.
struct ApplicantRef {
    std::string id = "applicant";         // the id column's value, else a description
    bool idIsPersonal = false;            // id taken from the id column (maskable personal data)
    std::int64_t line = 0;                // line in its file (0: not from a file)
    std::string where = "the applicant";  // for messages: "row 3 of 'x.csv'"
};

// The notice of one applicant from its values (column -> text; other than feature columns
// ignored): what `--row N` makes for the same values. Declined or referred, else BadInput.
Result<AdverseActionSet> adverseActionForApplicant(const std::shared_ptr<const ModelBundle>& bundle,
                                                   const std::map<std::string, std::string>& values,
                                                   const ApplicantRef& applicant);

// One page per notice.
ReportDocument adverseActionDocument(const AdverseActionSet& set, const ModelBundle& bundle,
                                     const AdverseActionRequest& request);

// The index of a notice document: applicant_id,line,decision,score,page (RFC 4180 quoting).
std::string adverseActionIndexCsv(const AdverseActionSet& set);

// The shipped neutral template (the caller reads it from the data folder); fills placeholders.
std::string fillRightsTemplate(const std::string& text, const LenderDetails& lender,
                               const std::string& applicantId, const std::string& date);

}  // namespace cwb
