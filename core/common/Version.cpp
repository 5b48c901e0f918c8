#include "common/Version.h"

#include <QtGlobal>

#include <sqlite3.h>
#include <xgboost/c_api.h>

#include <Eigen/Core>

namespace cwb {

const char* version() {
    return CWB_VERSION;
}

std::vector<std::pair<std::string, std::string>> libraryVersions() {
    int major = 0, minor = 0, patch = 0;
    XGBoostVersion(&major, &minor, &patch);
    return {
        {"Qt", qVersion()},
        {"XGBoost",
         std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch)},
        {"SQLite", sqlite3_libversion()},
        {"Eigen", std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) +
                      "." + std::to_string(EIGEN_MINOR_VERSION)},
    };
}

}  // namespace cwb
