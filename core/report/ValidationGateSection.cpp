#include "report/ValidationGateSection.h"

#include <algorithm>
#include <cstdint>
#include <string>

namespace cwb {

namespace {

using Cell = ReportCell;

std::string text(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return {};
    return it->is_string() ? it->get<std::string>() : it->dump();
}

Cell figureCell(const nlohmann::json& figure) {
    if (!figure.is_number()) return Cell::textCell("n/a");
    return Cell::number(figure.get<double>(), 4);
}

std::string approvalLine(const nlohmann::json& shown) {
    const std::string where = "registry: " + text(shown, "name") + " version " +
                              text(shown, "version") + " (" + text(shown, "stage") + ")";
    const nlohmann::json approval = shown.value("approval", nlohmann::json::object());
    if (approval.value("approved", false))
        return where + "; valid approval signature by " + text(approval, "approver") + " at " +
               text(approval, "approved_at") + "; see section \"Validation gate\"";
    const auto approvals = shown.find("approvals");
    const bool any = approvals != shown.end() && approvals->is_array() && !approvals->empty();
    return where +
           (any ? "; approval signature INVALID (" + text(approval, "reason") + ")"
                : "; not approved") +
           "; see section \"Validation gate\"";
}

ReportTable checksTable(const nlohmann::json& checks) {
    ReportTable t;
    t.title = "Checks of the latest validation";
    t.sheetName = "Validation gate";
    t.header = {"Check", "Subject", "Figure", "Threshold", "Verdict", "Justification"};
    t.columnWeights = {1.3, 2.4, 0.8, 1.2, 0.8, 3.2};
    for (const auto& c : checks) {
        const std::string verdict = text(c, "verdict");
        const bool failed = verdict == "fail";
        std::string justification;
        if (failed)
            justification = c.contains("justification") ? text(c, "justification")
                                                        : "none recorded: approval is blocked";
        t.rows.push_back({Cell::textCell(text(c, "check")), Cell::textCell(text(c, "subject")),
                          figureCell(c["figure"]),
                          Cell::textCell(text(c, "comparison") + " " +
                                         (c["threshold"].is_number()
                                              ? formatNumber(c["threshold"].get<double>(), 4)
                                              : std::string("n/a"))),
                          Cell::textCell(verdict, failed),
                          Cell::textCell(justification, failed && !c.contains("justification"))});
    }
    return t;
}

}  // namespace

void insertValidationGateSection(ReportDocument& d, const nlohmann::json& shown,
                                 const std::string& reportDataSha256) {
    for (auto& block : d.blocks)
        if (auto* kv = std::get_if<ReportKeyValues>(&block))
            for (auto& [key, value] : kv->items)
                if (key == "Approvals") value = approvalLine(shown);
    ReportDocument section;
    section.heading("Validation gate");
    const auto v = shown.find("validation");
    if (v == shown.end() || v->is_null()) {
        section.paragraph("Version " + text(shown, "version") + " of '" + text(shown, "name") +
                              "' has no validation in the registry: it cannot be approved.",
                          true);
    } else {
        const nlohmann::json& checks = (*v)["checks"];
        const auto failed = std::count_if(checks.begin(), checks.end(), [](const auto& c) {
            return c.value("verdict", std::string()) == "fail";
        });
        section.paragraph(
            "The registry's validation " + text(*v, "id") + " of " + text(shown, "name") +
            " version " + text(shown, "version") + " ran on " + text(*v, "data") + " (" +
            text(*v, "rows") + " rows, target " + text(*v, "target") + ", bad value " +
            text(*v, "bad_value") + ") by " + text(*v, "user") + " at " + text(*v, "at") + ": " +
            std::to_string(failed) + " of " + std::to_string(checks.size()) +
            " checks failed. Each figure is shown against its threshold as stored; a failed "
            "figure needs the approver's written justification, shown beside it.");
        if (!reportDataSha256.empty() && text(*v, "data_sha256") != reportDataSha256)
            section.paragraph("The stored validation ran on another file (SHA-256 " +
                                  text(*v, "data_sha256") + ") than the rest of this report.",
                              true);
        section.table(checksTable(checks));
    }
    // Before the closing approval block: the reviewers sign with the gate in front of them.
    const auto approval = std::find_if(d.blocks.begin(), d.blocks.end(), [](const auto& b) {
        const auto* h = std::get_if<ReportHeading>(&b);
        return h && h->level == 1 && h->text == "Approval";
    });
    d.blocks.insert(approval, section.blocks.begin(), section.blocks.end());
}

}  // namespace cwb
