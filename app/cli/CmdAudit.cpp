// cwb audit verify|head|export: check the hash chain (exit 3 when broken), print the latest
// hash for keeping elsewhere, export entries as CSV or JSON lines.

#include <QSaveFile>

#include <fstream>
#include <iostream>
#include <sstream>

#include "CliStore.h"

namespace cwb::cli {

Runner addAuditCommand(CLI::App& app) {
    struct Options {
        StoreOptions store;
        std::string head;
        std::string format = "csv";
        std::string out;
        store::AuditFilter filter;
    };
    auto o = std::make_shared<Options>();
    app.require_subcommand(1);
    CLI::App* verify = app.add_subcommand(
        "verify", "Check the audit chain: exit 0 when intact, 3 when broken (names the entry)");
    verify->add_option("--head", o->head,
                       "A head hash kept earlier (cwb audit head): also detects a rewritten chain");
    CLI::App* head = app.add_subcommand("head", "Print the latest entry's hash");
    CLI::App* exportCmd = app.add_subcommand("export", "Write the audit entries");
    exportCmd->add_option("--format", o->format, "csv (default) or jsonl")
        ->check(CLI::IsMember({"csv", "jsonl"}));
    exportCmd->add_option("--out", o->out, "Output file (default: standard output)");
    exportCmd->add_option("--filter-user", o->filter.user, "Only this user's entries");
    exportCmd->add_option("--event", o->filter.event, "Only this event");
    exportCmd->add_option("--from", o->filter.from, "From this UTC time (ISO 8601), inclusive");
    exportCmd->add_option("--to", o->filter.to, "Up to this UTC time (ISO 8601), exclusive");
    for (CLI::App* sub : {verify, head, exportCmd})
        addStoreOptions(*sub, o->store);

    return [=]() -> int {
        if (!o->head.empty() &&
            (o->head.size() != 64 ||
             o->head.find_first_not_of("0123456789abcdef") != std::string::npos))
            return fail(
                Error::badInput("--head must be a SHA-256 in hex (64 characters, as "
                                "printed by cwb audit head)"));
        auto session = openSession(o->store);
        if (!session) return fail(session.error());
        if (auto r = store::require(session->actor, store::Action::ReadAudit); !r)
            return fail(r.error());
        store::AuditLog& audit = session->store->audit();
        if (verify->parsed()) {
            auto check = audit.verify(o->head);
            if (!check) return fail(check.error());
            if (o->store.json) printJson(check->toJson());
            if (!check->intact) {
                std::cerr << "cwb: the audit chain is broken"
                          << (check->firstBroken > 0
                                  ? " at entry " + std::to_string(check->firstBroken)
                                  : std::string())
                          << ": " << check->problem << std::endl;
                return kExitBrokenChain;
            }
            if (!o->store.json)
                note("audit chain intact: " + std::to_string(check->entries) + " entries, head " +
                     check->head);
            return kExitOk;
        }
        if (head->parsed()) {
            auto h = audit.head();
            if (!h) return fail(h.error());
            if (o->store.json)
                printJson({{"head", *h}});
            else
                std::cout << *h << "\n";
            return kExitOk;
        }
        const auto format = o->format == "jsonl" ? store::AuditLog::Format::JsonLines
                                                 : store::AuditLog::Format::Csv;
        std::ostringstream text;
        auto written = audit.exportTo(text, format, o->filter);
        if (!written) return fail(written.error());
        if (o->out.empty()) {
            std::cout << text.str();
        } else {
            QSaveFile file(QString::fromStdString(o->out));
            const std::string data = text.str();
            if (!file.open(QIODevice::WriteOnly) ||
                file.write(data.data(), static_cast<qint64>(data.size())) !=
                    static_cast<qint64>(data.size()) ||
                !file.commit())
                return fail(Error::failure("cannot write '" + o->out + "'"));
        }
        auto logged = audit.append(session->actor.name, "audit_exported",
                                   {{"entries", *written}, {"format", o->format}});
        if (!logged) return fail(logged.error());
        if (o->store.json && !o->out.empty()) printJson({{"entries", *written}, {"out", o->out}});
        return kExitOk;
    };
}

}  // namespace cwb::cli
