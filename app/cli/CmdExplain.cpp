// cwb explain: one applicant's pd, score, decision, contributions and reasons.

#include "CliCommon.h"
#include "CliStore.h"
#include "common/Hash.h"
#include "data/DataRow.h"
#include "data/RecordJson.h"
#include "scoring/Scorer.h"
#include "store/RecordScore.h"

#include <cstdio>
#include <optional>

namespace cwb::cli {

Runner addExplainCommand(CLI::App& app) {
    struct Options {
        std::string model, in, record;
        long row = 0;
        int reasons = 4;
        bool json = false;
        StoreOptions store;  // --store: record the decision (issue 11)
        std::string applicantId;
        bool requireApproved = false;
    };
    auto o = std::make_shared<Options>();
    app.add_option("--model", o->model, "Model bundle (.cwbm)")->required();
    auto* in =
        app.add_option("--in", o->in, "CSV file holding the applicant")->check(CLI::ExistingFile);
    auto* row = app.add_option("--row", o->row, "Data row in --in (1-based, header not counted)")
                    ->check(CLI::PositiveNumber);
    auto* record = app.add_option("--record", o->record, "The applicant as a JSON object");
    in->needs(row);
    row->needs(in);
    record->excludes(in);
    app.add_option("--reasons", o->reasons, "Reason codes (default: 4)")->check(CLI::Range(0, 20));
    app.add_flag("--json", o->json, "Print the result as one JSON object on stdout");
    app.add_option("--store", o->store.store, "Record the decision in this store");
    app.add_option("--user", o->store.user, "Record as this user (default: $CWB_USER, else you)")
        ->envname("CWB_USER");
    app.add_flag("--require-approved", o->requireApproved,
                 "Refuse a model without a valid approval signature in the store (--store, else "
                 "$CWB_STORE, else the default store)");
    app.add_option("--applicant-id", o->applicantId,
                   "The applicant's id when the record has no id column");
    return [o]() -> int {
        const bool recording = !o->store.store.empty();
        if (o->in.empty() && o->record.empty())
            return fail(Error::badInput("explain needs --in FILE --row N or --record JSON"));
        auto bundle = loadModel(o->model);
        if (!bundle) return fail(bundle.error());
        if (o->requireApproved)
            if (auto r = requireApproved(**bundle, o->store.store); !r) return fail(r.error());
        Result<std::map<std::string, std::string>> values = std::map<std::string, std::string>();
        if (o->record.empty()) {
            auto row = readDataRow(o->in, o->row);
            if (!row) return fail(row.error());
            values = std::move(row->values);
            // The scorer reads numbers with a decimal point.
            for (auto& [name, text] : *values) {
                const ColumnSpec* spec = (*bundle)->schema.find(name);
                if (row->decimalSeparator == ',' && spec && spec->type == ColumnType::Numeric)
                    for (char& c : text)
                        if (c == ',') c = '.';
            }
        } else {
            values = parseRecordJson(o->record);
        }
        if (!values) return fail(values.error());
        // Log in before scoring: a refused user learns it before any work is done.
        std::optional<StoreSession> session;
        if (recording) {
            auto opened = openSession(o->store);
            if (!opened) return fail(opened.error());
            if (auto r = store::require(opened->actor, store::Action::RecordDecision); !r)
                return fail(r.error());
            session = std::move(*opened);
        }
        const std::map<std::string, std::string> allValues = *values;
        // Columns the model does not use (id, target, extra) are ignored when reading a file row.
        if (!o->in.empty())
            for (auto it = values->begin(); it != values->end();) {
                const ColumnSpec* spec = (*bundle)->schema.find(it->first);
                it = spec && spec->role == ColumnRole::Feature ? std::next(it) : values->erase(it);
            }
        const Scorer scorer(*bundle);
        auto result = scorer.explainRecord(*values, o->reasons);
        if (!result) return fail(result.error());
        char line[200];
        std::snprintf(line, sizeof line, "PD %.4f  score %ld  decision %s", result->pd,
                      result->score, toString(result->decision).c_str());
        note(line);
        for (const auto& r : result->reasons) {
            std::snprintf(line, sizeof line, "  %+.4f  %s: %s", r.contribution, r.feature.c_str(),
                          r.text.c_str());
            note(line);
        }
        nlohmann::json out = result->toJson(scorer.featureNames());
        out["bundle_sha256"] = (*bundle)->sha256;  // as in cwb score's summary: which model
        if (session) {
            auto sha = sha256OfFile(o->model);
            if (!sha) return fail(sha.error());
            auto input = store::makeDecisionInput(**bundle, *sha, allValues, *result,
                                                  o->applicantId, "explain");
            if (!input) return fail(input.error());
            auto id = session->store->decisions().record(session->actor, *input);
            if (!id) return fail(id.error());
            out["decision_id"] = *id;
            note("recorded as decision " + std::to_string(*id) + " in " + session->store->path());
        }
        if (o->json) printJson(out);
        return kExitOk;
    };
}

}  // namespace cwb::cli
