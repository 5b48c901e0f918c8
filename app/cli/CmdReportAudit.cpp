// cwb report audit: the audit extract as PDF (and Excel) from the store, with the chain's
// verification result in it. Reading the trail needs compliance or admin (checked in the store's
// engine, store/AuditReport.h); the export itself is recorded in the trail.

#include "CliStore.h"
#include "render/PdfRenderer.h"
#include "render/RenderSession.h"
#include "render/XlsxWriter.h"
#include "store/AuditReport.h"

namespace cwb::cli {

Runner addAuditReportCommand(CLI::App& app) {
    struct Options {
        StoreOptions store;
        store::AuditReportRequest request;
        std::string out, xlsx;
    };
    auto o = std::make_shared<Options>();
    addStoreOptions(app, o->store);
    app.add_option("--out", o->out, "Report to write (PDF)")->required();
    app.add_option("--xlsx", o->xlsx, "Also write the entries as an Excel workbook");
    app.add_option("--from", o->request.filter.from,
                   "Entries from this UTC date or time (ISO 8601), inclusive");
    app.add_option("--to", o->request.filter.to,
                   "Entries before this UTC date or time (ISO 8601), exclusive");
    app.add_option("--filter-user", o->request.filter.user, "Only this user's entries");
    app.add_option("--event,--action", o->request.filter.event,
                   "Only entries of this event (such as decision_overridden)");
    app.add_option("--head", o->request.keptHead,
                   "A head hash kept earlier (cwb audit head): also detects a rewritten chain");
    return [o]() -> int {
        const std::string& head = o->request.keptHead;
        if (!head.empty() &&
            (head.size() != 64 || head.find_first_not_of("0123456789abcdef") != std::string::npos))
            return fail(Error::badInput(
                "--head must be a SHA-256 in hex (64 characters, as printed by cwb audit head)"));
        for (const auto* time : {&o->request.filter.from, &o->request.filter.to})
            if (auto r = store::checkAuditTime(*time,
                                               time == &o->request.filter.from ? "--from" : "--to");
                !r)
                return fail(r.error());
        auto session = openSession(o->store);
        if (!session) return fail(session.error());
        auto report = store::buildAuditReport(*session->store, session->actor, o->request);
        if (!report) return fail(report.error());
        const ReportDocument document = store::auditDocument(*report);
        render::RenderSession rendering;
        auto pdf = render::writePdf(document, o->out);
        if (!pdf) return fail(pdf.error());
        int sheets = 0;
        if (!o->xlsx.empty()) {
            auto written = render::writeXlsx(document, o->xlsx);
            if (!written) return fail(written.error());
            sheets = *written;
        }
        auto logged = session->store->audit().append(session->actor.name, "report_exported",
                                                     {{"report", "audit"},
                                                      {"entries", report->entries.size()},
                                                      {"chain_intact", report->chain.intact},
                                                      {"xlsx", !o->xlsx.empty()}});
        if (!logged) return fail(logged.error());
        note("audit extract: " + std::to_string(report->entries.size()) + " entries, chain " +
             (report->chain.intact ? "intact" : "BROKEN") + ", " + std::to_string(pdf->pages) +
             " pages -> " + o->out);
        if (o->store.json) {
            nlohmann::json j = {{"entries", report->entries.size()},
                                {"pages", pdf->pages},
                                {"sheets", sheets},
                                {"out", o->out},
                                {"chain", report->chain.toJson()}};
            printJson(j);
        }
        // The report is written either way (it is the evidence); a broken chain still exits 3,
        // as `cwb audit verify` does, so that a script notices.
        return report->chain.intact ? kExitOk : kExitBrokenChain;
    };
}

}  // namespace cwb::cli
