// cwb info: what a model bundle holds.

#include "CliCommon.h"

#include <cstdio>
#include <iostream>

namespace cwb::cli {

Runner addInfoCommand(CLI::App& app) {
    struct Options {
        std::string model;
        bool json = false;
    };
    auto o = std::make_shared<Options>();
    app.add_option("model", o->model, "Model bundle (.cwbm)")->required();
    app.add_flag("--json", o->json, "Print the description as one JSON object");
    return [o]() -> int {
        auto bundle = loadModel(o->model);
        if (!bundle) return fail(bundle.error());
        const nlohmann::json info = bundleInfo(**bundle);
        if (o->json) {
            printJson(info);
            return kExitOk;
        }
        const ModelBundle& b = **bundle;
        std::cout << "model:      " << b.name << " (version " << b.version << ")\n"
                  << "algorithm:  " << b.model->algorithm() << "\n"
                  << "sha256:     " << b.sha256 << " (bundle manifest)\n"
                  << "target:     " << b.schema.target << " (bad = " << b.schema.badValue << ")\n"
                  << "scaling:    " << b.scaling.basePoints << " points at " << b.scaling.baseOdds
                  << ":1, PDO " << b.scaling.pdo << "\n"
                  << "decisions:  approve from " << b.policy.approveFrom << ", decline below "
                  << b.policy.declineBelow << "\n";
        if (b.metrics.contains("cross_validation"))
            for (const auto& c : b.metrics["cross_validation"])
                std::cout << "cv:         " << c.value("algorithm", "") << " AUC "
                          << c.value("cv_auc", 0.0) << "\n";
        std::cout << "features (" << b.schema.features().size() << "):\n";
        for (const ColumnSpec* spec : b.schema.features())
            std::cout << "  " << spec->name << " [" << toString(spec->type) << "] "
                      << spec->displayName() << "\n";
        if (info.contains("ratios")) {
            std::string names;
            for (const auto& r : info["ratios"])
                names += (names.empty() ? "" : ", ") + r.get<std::string>();
            std::cout << "derived:    " << info["ratios"].size() << " ratios of inputs (" << names
                      << "); each one's contribution is split between its two inputs\n";
        }
        if (info.contains("explanation")) {
            const auto& e = info["explanation"];
            if (e["method"] == "treeshap") {
                const std::size_t tables = e["table_trees"], walked = e["walked_trees"];
                char megabytes[32];
                std::snprintf(megabytes, sizeof megabytes, "%.1f",
                              e["table_bytes"].get<double>() / 1048576.0);
                std::cout << "explaining: TreeSHAP, lookup tables for " << tables << " of "
                          << tables + walked << " trees (" << megabytes << " MB)"
                          << (walked > 0 ? ", the quadrature walk for the rest" : "") << "\n";
            } else {
                std::cout << "explaining: XGBoost's TreeSHAP (pred_contribs)\n";
            }
        }
        if (b.training.contains("data_sha256"))
            std::cout << "trained on: " << b.training.value("data_file", "") << " sha256 "
                      << b.training.value("data_sha256", "") << "\n";
        return kExitOk;
    };
}

}  // namespace cwb::cli
