// cwb report: compliance reports as PDF (and Excel). Rendering needs QtGui: the renderers live
// in render/ and run on the offscreen platform (render/RenderSession.h); the figures come from
// core/report, the same as `cwb evaluate` and `cwb fairness`.

#include "CliCommon.h"
#include "CliStore.h"
#include "render/PdfRenderer.h"
#include "render/RenderSession.h"
#include "render/Templates.h"
#include "render/XlsxWriter.h"
#include "report/AdverseAction.h"
#include "report/BatchReport.h"
#include "report/ValidationGateSection.h"
#include "report/ValidationReport.h"
#include "store/ReportMasking.h"

#include <QSaveFile>

#include <algorithm>
#include <cstdio>
#include <optional>

namespace cwb::cli {

namespace {

Runner addValidationReport(CLI::App& app) {
    struct Options {
        std::string model, data, target, bad, out, xlsx, name;
        std::int64_t version = 0;
        std::vector<std::string> columns;
        std::vector<double> bands;
        bool json = false, quiet = false;
        StoreOptions store;
    };
    auto o = std::make_shared<Options>();
    CLI::Option* model = app.add_option("--model", o->model, "Model bundle (.cwbm)");
    CLI::Option* name =
        app.add_option("--name", o->name,
                       "A registered model instead of --model: adds the registry's validation "
                       "gate (needs --version)");
    CLI::Option* version =
        app.add_option("--version", o->version, "Its version")->check(CLI::PositiveNumber);
    model->excludes(name);
    name->excludes(model);
    name->needs(version);
    version->needs(name);
    addStoreOptions(app, o->store, false);
    app.add_option("--data", o->data, "Labelled validation data (CSV)")
        ->required()
        ->check(CLI::ExistingFile);
    app.add_option("--target", o->target, "Target column (default: the model's)");
    app.add_option("--bad", o->bad, "Target value that means bad (default: the model's)");
    app.add_option("--protected", o->columns,
                   "Protected column for the fairness section (repeat or comma-separate; "
                   "default: the model's protected columns)")
        ->delimiter(',');
    app.add_option("--bands", o->bands, "Band edges for numeric protected attributes")
        ->delimiter(',');
    app.add_option("--out", o->out, "Report to write (PDF)")->required();
    app.add_option("--xlsx", o->xlsx, "Also write the report's tables as an Excel workbook");
    app.add_flag("--json", o->json, "Print a summary as one JSON object on stdout");
    app.add_flag("--quiet", o->quiet, "No progress on stderr");
    return [o]() -> int {
        if (o->model.empty() && o->name.empty())
            return fail(
                Error::badInput("name the model: --model FILE, or --name N --version V "
                                "for a registered one"));
        // A registered model: its bundle and its stored gate come from the store.
        std::optional<StoreSession> store;
        nlohmann::json shown;
        Result<std::shared_ptr<const ModelBundle>> bundle = Error::badInput("no model");
        if (!o->name.empty()) {
            auto opened = openSession(o->store);
            if (!opened) return fail(opened.error());
            store = std::move(*opened);
            store::Registry& registry = store->store->registry();
            auto found = registry.show(o->name, o->version);
            if (!found) return fail(found.error());
            shown = std::move(*found);
            auto bytes = registry.bundleBytes(o->name, o->version);
            if (!bytes) return fail(bytes.error());
            auto loaded =
                loadBundleFromBytes(*bytes, o->name + " version " + std::to_string(o->version));
            if (!loaded) return fail(loaded.error());
            bundle = std::shared_ptr<const ModelBundle>(
                std::make_shared<ModelBundle>(std::move(*loaded)));
        } else {
            bundle = loadModel(o->model);
        }
        if (!bundle) return fail(bundle.error());
        ValidationRequest request;
        request.bundlePath = o->model;
        request.dataPath = o->data;
        request.target = o->target;
        request.badValue = o->bad;
        request.protectedColumns = o->columns;
        if (!o->bands.empty()) {
            if (auto r = checkBandEdges(o->bands); !r)
                return fail(Error::badInput("--bands: " + r.error().message));
            request.fairness.bandEdges = o->bands;
        }
        auto progress = stderrProgress(o->quiet || o->json);
        auto report = buildValidationReport(*bundle, request, progress.get());
        if (!report) return fail(report.error());
        ReportDocument document = validationDocument(*report);
        if (!shown.is_null()) insertValidationGateSection(document, shown, report->dataSha256);
        render::RenderSession session;
        auto pdf = render::writePdf(document, o->out);
        if (!pdf) return fail(pdf.error());
        int sheets = 0;
        if (!o->xlsx.empty()) {
            auto written = render::writeXlsx(document, o->xlsx);
            if (!written) return fail(written.error());
            sheets = *written;
        }
        const PerformanceReport& p = report->performance;
        char line[256];
        std::snprintf(line, sizeof line,
                      "validation report: %d pages, AUC %.4f, KS %.4f on %zu rows -> %s",
                      pdf->pages, p.auc, p.ks, p.rows, o->out.c_str());
        note(line);
        if (o->json)
            printJson({{"pages", pdf->pages},
                       {"out", o->out},
                       {"xlsx", o->xlsx},
                       {"sheets", sheets},
                       {"auc", p.auc},
                       {"ks", p.ks},
                       {"rows", p.rows},
                       {"warnings", report->warnings}});
        return kExitOk;
    };
}

Result<void> writeText(const std::string& path, const std::string& text) {
    QSaveFile f(QString::fromStdString(path));
    if (!f.open(QIODevice::WriteOnly) ||
        f.write(text.data(), static_cast<qint64>(text.size())) !=
            static_cast<qint64>(text.size()) ||
        !f.commit())
        return Error::failure("cannot write '" + path + "'");
    return {};
}

Runner addAdverseActionReport(CLI::App& app) {
    struct Options {
        std::string model, in, out, index, templatePath, date;
        long row = 0;
        bool declined = false, referred = false, json = false, quiet = false;
        LenderDetails lender;
        StoreOptions store;
    };
    auto o = std::make_shared<Options>();
    app.add_option("--model", o->model, "Model bundle (.cwbm)")->required();
    app.add_option("--in", o->in, "Applicants (CSV)")->required()->check(CLI::ExistingFile);
    auto* row = app.add_option("--row", o->row, "One data row (1-based, header not counted)")
                    ->check(CLI::PositiveNumber);
    auto* declined =
        app.add_flag("--declined", o->declined, "A notice for every declined applicant");
    row->excludes(declined);
    app.add_flag("--include-referred", o->referred, "With --declined: referred applicants too");
    app.add_option("--out", o->out, "Notices to write (PDF, one page per applicant)")->required();
    app.add_option("--index", o->index, "CSV index of the notices (applicant_id,line,...,page)");
    std::vector<CLI::Option*> lenderOptions = {
        app.add_option("--lender-name", o->lender.name,
                       "Lender's name on the notices (without --store)"),
        app.add_option("--lender-address", o->lender.address, "Lender's address (without --store)"),
        app.add_option("--lender-contact", o->lender.contact,
                       "Lender's telephone / e-mail (without --store)")};
    app.add_option("--store", o->store.store,
                   "Use this store: the lender's details from its settings, the applicant's id "
                   "masked unless your role may see personal data, the export audited");
    app.add_option("--user", o->store.user, "Sign in as this user (default: $CWB_USER, else you)")
        ->envname("CWB_USER");
    app.add_option("--template", o->templatePath,
                   "Statement of rights (text; placeholders {lender_name}, {lender_address}, "
                   "{lender_contact}, {applicant_id}, {date}); default: a neutral text")
        ->check(CLI::ExistingFile);
    app.add_option("--date", o->date, "Date on the notices (default: today)");
    app.add_flag("--json", o->json, "Print a summary as one JSON object on stdout");
    app.add_flag("--quiet", o->quiet, "No progress on stderr");
    return [o, lenderOptions]() -> int {
        if ((o->row > 0) == o->declined)
            return fail(Error::badInput("give either --row N or --declined"));
        const bool storeInUse = !o->store.store.empty();
        if (storeInUse)
            for (const CLI::Option* option : lenderOptions)
                if (option->count() > 0)
                    return fail(Error::badInput(
                        option->get_name() +
                        " cannot be used with --store: the lender's details come from the "
                        "store's settings (an admin sets them: cwb store set lender_name ...)"));
        std::optional<StoreSession> session;
        if (storeInUse) {
            auto opened = openSession(o->store);
            if (!opened) return fail(opened.error());
            session = std::move(*opened);
            auto lender = session->store->settings().lender();
            if (!lender) return fail(lender.error());
            if (!lender->name.empty()) o->lender.name = lender->name;
            if (!lender->address.empty()) o->lender.address = lender->address;
            if (!lender->contact.empty()) o->lender.contact = lender->contact;
            if (!lender->complete())
                note(
                    "warning: the store's lender details are incomplete; the notices show "
                    "placeholders (an admin sets lender_name, lender_address and "
                    "lender_contact with cwb store set)");
        }
        auto bundle = loadModel(o->model);
        if (!bundle) return fail(bundle.error());
        AdverseActionRequest request;
        request.dataPath = o->in;
        request.row = o->declined ? 0 : o->row;
        request.includeReferred = o->referred;
        request.lender = o->lender;
        request.date = o->date;
        render::RenderSession rendering;
        if (o->templatePath.empty()) {
            request.rightsTemplate = render::defaultRightsTemplate();
        } else {
            auto text = render::readRightsTemplate(o->templatePath);
            if (!text) return fail(text.error());
            request.rightsTemplate = *text;
        }
        auto progress = stderrProgress(o->quiet || o->json);
        auto set = buildAdverseActions(*bundle, request, progress.get());
        if (!set) return fail(set.error());
        if (session)
            store::maskNoticesForRole(*set, session->actor, session->store->pseudonymizer());
        const ReportDocument document = adverseActionDocument(*set, **bundle, request);
        auto pdf = render::writePdf(document, o->out);
        if (!pdf) return fail(pdf.error());
        if (!o->index.empty())
            if (auto written = writeText(o->index, adverseActionIndexCsv(*set)); !written)
                return fail(written.error());
        if (session) {
            auto logged = session->store->audit().append(session->actor.name, "report_exported",
                                                         {{"report", "adverse-action"},
                                                          {"model", (*bundle)->name},
                                                          {"notices", set->notices.size()},
                                                          {"ids_masked", set->idsMasked}});
            if (!logged) return fail(logged.error());
        }
        note(std::to_string(set->notices.size()) + " notices on " + std::to_string(pdf->pages) +
             " pages -> " + o->out);
        if (o->json)
            printJson({{"notices", set->notices.size()},
                       {"pages", pdf->pages},
                       {"rows_read", set->rowsRead},
                       {"rows_scored", set->rowsScored},
                       {"rows_rejected", set->rowsRejected},
                       {"ids_masked", set->idsMasked}});
        return kExitOk;
    };
}

Runner addBatchReport(CLI::App& app) {
    struct Options {
        std::string model, in, out, xlsx;
        bool json = false, quiet = false;
    };
    auto o = std::make_shared<Options>();
    app.add_option("--model", o->model, "Model bundle (.cwbm)")->required();
    app.add_option("--in", o->in, "Scored batch input (CSV)")->required()->check(CLI::ExistingFile);
    app.add_option("--out", o->out, "Report to write (PDF)")->required();
    app.add_option("--xlsx", o->xlsx, "Also write the report's tables as an Excel workbook");
    app.add_flag("--json", o->json, "Print a summary as one JSON object on stdout");
    app.add_flag("--quiet", o->quiet, "No progress on stderr");
    return [o]() -> int {
        auto bundle = loadModel(o->model);
        if (!bundle) return fail(bundle.error());
        auto progress = stderrProgress(o->quiet || o->json);
        auto report = buildBatchReport(*bundle, o->model, o->in, progress.get());
        if (!report) return fail(report.error());
        const ReportDocument document = batchDocument(*report);
        render::RenderSession session;
        auto pdf = render::writePdf(document, o->out);
        if (!pdf) return fail(pdf.error());
        if (!o->xlsx.empty())
            if (auto written = render::writeXlsx(document, o->xlsx); !written)
                return fail(written.error());
        note("batch report: " + std::to_string(report->rowsScored) + " rows, " +
             std::to_string(pdf->pages) + " pages -> " + o->out);
        if (o->json)
            printJson({{"pages", pdf->pages},
                       {"rows_read", report->rowsRead},
                       {"rows_scored", report->rowsScored},
                       {"rows_rejected", report->rowsRejected},
                       {"approved", report->approved},
                       {"referred", report->referred},
                       {"declined", report->declined},
                       {"score_psi", report->scorePsi}});
        return kExitOk;
    };
}

}  // namespace

Runner addReportCommand(CLI::App& app) {
    app.require_subcommand(1);
    std::vector<std::pair<CLI::App*, Runner>> runners;
    CLI::App* sub = app.add_subcommand(
        "validation", "Model validation report (PDF, optionally Excel) on a labelled file");
    runners.emplace_back(sub, addValidationReport(*sub));
    sub = app.add_subcommand("adverse-action",
                             "Adverse action notices for declined applicants (PDF)");
    runners.emplace_back(sub, addAdverseActionReport(*sub));
    sub = app.add_subcommand("batch", "Batch scoring report (PDF, optionally Excel)");
    runners.emplace_back(sub, addBatchReport(*sub));
    sub = app.add_subcommand("audit",
                             "Audit trail extract from the store with the chain's verification "
                             "(PDF, optionally Excel)");
    runners.emplace_back(sub, addAuditReportCommand(*sub));
    return [runners]() -> int {
        for (const auto& [command, run] : runners)
            if (command->parsed()) return run();
        return kExitBadInput;
    };
}

}  // namespace cwb::cli
