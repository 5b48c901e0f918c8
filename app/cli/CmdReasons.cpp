// cwb reasons: list a bundle's plain-language reason texts, or edit them (--set FEATURE=TEXT),
// e.g. after compliance review of the adverse action wording. The bundle is rewritten atomically.

#include "CliCommon.h"

#include <iostream>

namespace cwb::cli {

Runner addReasonsCommand(CLI::App& app) {
    struct Options {
        std::string model;
        std::vector<std::string> set;
        bool json = false;
    };
    auto o = std::make_shared<Options>();
    app.add_option("model", o->model, "Model bundle (.cwbm)")->required();
    app.add_option("--set", o->set,
                   "Set a characteristic's reason text: FEATURE=TEXT (repeatable)");
    app.add_flag("--json", o->json, "Print the reason texts as one JSON object");
    return [o]() -> int {
        auto loaded = loadBundle(o->model);
        if (!loaded) return fail(loaded.error());
        ModelBundle& bundle = *loaded;
        for (const std::string& item : o->set) {
            const std::size_t eq = item.find('=');
            if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
                return fail(Error::badInput("--set needs FEATURE=TEXT, got '" + item + "'"));
            const std::string feature = item.substr(0, eq);
            const ColumnSpec* spec = bundle.schema.find(feature);
            if (!spec || spec->role != ColumnRole::Feature)
                return fail(
                    Error::badInput("'" + feature + "' is not a characteristic of " + o->model));
            bundle.reasonTexts[feature] = item.substr(eq + 1);
        }
        if (!o->set.empty()) {
            if (auto saved = saveBundle(bundle, o->model); !saved) return fail(saved.error());
            note("updated " + std::to_string(o->set.size()) + " reason text(s) in " + o->model);
        }
        nlohmann::json texts = nlohmann::json::object();
        for (const ColumnSpec* spec : bundle.schema.features())
            texts[spec->name] = bundle.reasonText(spec->name);
        if (o->json)
            printJson(texts);
        else
            for (const auto& [feature, text] : texts.items())
                std::cout << feature << ": " << text.get<std::string>() << "\n";
        return kExitOk;
    };
}

}  // namespace cwb::cli
