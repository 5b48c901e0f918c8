// cwb applicant show|export|erase --id X: what the store holds about one applicant (personal
// data masked for roles without the right to see it), the data subject access copy, erasure.

#include <QSaveFile>

#include <iostream>

#include "CliStore.h"

namespace cwb::cli {

Runner addApplicantCommand(CLI::App& app) {
    struct Options {
        StoreOptions store;
        std::string id;
        std::string out;
    };
    auto o = std::make_shared<Options>();
    app.require_subcommand(1);
    CLI::App* show = app.add_subcommand("show", "Show an applicant's decisions and inputs");
    CLI::App* exportCmd = app.add_subcommand(
        "export", "Write the data subject access copy: everything held about the applicant (JSON)");
    exportCmd->add_option("--out", o->out, "Output file (default: standard output)");
    CLI::App* erase = app.add_subcommand(
        "erase", "Erase the applicant's personal data; pseudonymised decisions are kept");
    for (CLI::App* sub : {show, exportCmd, erase}) {
        sub->add_option("--id", o->id, "The applicant's id")->required();
        addStoreOptions(*sub, o->store);
    }
    return [=]() -> int {
        auto session = openSession(o->store);
        if (!session) return fail(session.error());
        store::Applicants& applicants = session->store->applicants();
        const store::Actor& me = session->actor;
        if (erase->parsed()) {
            auto summary = applicants.erase(me, o->id);
            if (!summary) return fail(summary.error());
            if (o->store.json)
                printJson(*summary);
            else
                note("erased the personal data of applicant " +
                     (*summary)["applicant"].get<std::string>() + ": " +
                     std::to_string((*summary)["inputs_removed"].get<int>()) + " input records, " +
                     std::to_string((*summary)["comments_removed"].get<int>()) +
                     " override comments");
            return kExitOk;
        }
        auto data =
            exportCmd->parsed() ? applicants.exportSubject(me, o->id) : applicants.show(me, o->id);
        if (!data) return fail(data.error());
        const std::string text =
            data->dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
        if (exportCmd->parsed() && !o->out.empty()) {
            QSaveFile file(QString::fromStdString(o->out));
            if (!file.open(QIODevice::WriteOnly) ||
                file.write(text.data(), static_cast<qint64>(text.size())) !=
                    static_cast<qint64>(text.size()) ||
                !file.commit())
                return fail(Error::failure("cannot write '" + o->out + "'"));
            file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
            note("wrote " + o->out);
            return kExitOk;
        }
        std::cout << text;
        return kExitOk;
    };
}

}  // namespace cwb::cli
