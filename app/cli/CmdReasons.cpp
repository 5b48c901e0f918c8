// cwb reasons: list a bundle's plain-language reason texts, or edit them, e.g. after compliance
// review of the adverse action wording. --set FEATURE=TEXT sets a characteristic's text;
// --set 'FEATURE[LEVEL]=TEXT' (or FEATURE[LO..HI] for a numeric one) the more specific text for
// a level or range, which explanations and notices prefer. The bundle is rewritten atomically.

#include "CliCommon.h"

#include <iostream>

namespace cwb::cli {

namespace {

struct Setting {
    std::string feature;
    std::optional<std::string> key;  // level or range; none for the characteristic's own text
    std::string text;                // empty: remove a value text
};

// FEATURE=TEXT or FEATURE[KEY]=TEXT. A level may hold '=' or '[', so KEY ends at the first "]=".
Result<Setting> parseSetting(const std::string& item) {
    const std::size_t eq = item.find('=');
    const std::size_t bracket = item.find('[');
    Setting s;
    if (bracket != std::string::npos && bracket > 0 && (eq == std::string::npos || bracket < eq)) {
        const std::size_t close = item.find("]=", bracket + 1);
        if (close == std::string::npos)
            return Error::badInput("--set needs FEATURE[LEVEL]=TEXT, got '" + item + "'");
        s.feature = item.substr(0, bracket);
        s.key = item.substr(bracket + 1, close - bracket - 1);
        s.text = item.substr(close + 2);
        return s;
    }
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
        return Error::badInput("--set needs FEATURE=TEXT, got '" + item + "'");
    s.feature = item.substr(0, eq);
    s.text = item.substr(eq + 1);
    return s;
}

Result<void> apply(ModelBundle& bundle, const Setting& s, const std::string& model) {
    const ColumnSpec* spec = bundle.schema.find(s.feature);
    if (!spec || spec->role != ColumnRole::Feature)
        return Error::badInput("'" + s.feature + "' is not a characteristic of " + model);
    if (!s.key) {
        if (auto ok = checkReasonText(s.text, "the reason text of " + s.feature); !ok) return ok;
        bundle.reasonTexts[s.feature] = s.text;
        return {};
    }
    ValueTexts texts = bundle.reasonValueTexts[s.feature];
    if (s.text.empty())
        texts.erase(*s.key);
    else
        texts[*s.key] = s.text;
    if (auto ok = checkValueTexts(*spec, texts); !ok) return ok;
    if (texts.empty())
        bundle.reasonValueTexts.erase(s.feature);
    else
        bundle.reasonValueTexts[s.feature] = std::move(texts);
    return {};
}

}  // namespace

Runner addReasonsCommand(CLI::App& app) {
    struct Options {
        std::string model;
        std::vector<std::string> set;
        bool json = false;
        bool values = false;
    };
    auto o = std::make_shared<Options>();
    app.add_option("model", o->model, "Model bundle (.cwbm)")->required();
    app.add_option("--set", o->set,
                   "Set a reason text: FEATURE=TEXT for a characteristic, FEATURE[LEVEL]=TEXT "
                   "or FEATURE[LO..HI]=TEXT for one level or range (empty TEXT removes it); "
                   "repeatable");
    app.add_flag("--json", o->json, "Print the reason texts as one JSON object");
    app.add_flag("--values", o->values,
                 "With --json: per characteristic {\"text\", \"values\"} with the texts per "
                 "level or range");
    return [o]() -> int {
        auto loaded = loadBundle(o->model);
        if (!loaded) return fail(loaded.error());
        ModelBundle& bundle = *loaded;
        for (const std::string& item : o->set) {
            auto setting = parseSetting(item);
            if (!setting) return fail(setting.error());
            if (auto applied = apply(bundle, *setting, o->model); !applied)
                return fail(applied.error());
        }
        if (!o->set.empty()) {
            if (auto saved = saveBundle(bundle, o->model); !saved) return fail(saved.error());
            note("updated " + std::to_string(o->set.size()) + " reason text(s) in " + o->model);
        }
        nlohmann::json texts = nlohmann::json::object();
        for (const ColumnSpec* spec : bundle.schema.features()) {
            const auto values = bundle.reasonValueTexts.find(spec->name);
            if (o->values)
                texts[spec->name] = {{"text", bundle.reasonText(spec->name)},
                                     {"values", values == bundle.reasonValueTexts.end()
                                                    ? nlohmann::json::object()
                                                    : nlohmann::json(values->second)}};
            else
                texts[spec->name] = bundle.reasonText(spec->name);
        }
        if (o->json) {
            printJson(texts);
            return kExitOk;
        }
        for (const ColumnSpec* spec : bundle.schema.features()) {
            std::cout << spec->name << ": " << bundle.reasonText(spec->name) << "\n";
            if (auto it = bundle.reasonValueTexts.find(spec->name);
                it != bundle.reasonValueTexts.end())
                for (const auto& [key, text] : it->second)
                    std::cout << "  " << spec->name << "[" << key << "]: " << text << "\n";
        }
        return kExitOk;
    };
}

}  // namespace cwb::cli
