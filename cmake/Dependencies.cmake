# Third-party dependencies, all from Debian 12 packages (see docs/building.md).

find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(SQLite3 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)

# Debian's xgboost CMake config references /usr/bin/xgboost (package "xgboost"); finding the
# header and library directly works with libxgboost-dev alone.
find_path(XGBOOST_INCLUDE_DIR xgboost/c_api.h REQUIRED)
find_library(XGBOOST_LIBRARY NAMES xgboost REQUIRED)
add_library(cwb_xgboost INTERFACE IMPORTED)
target_include_directories(cwb_xgboost INTERFACE ${XGBOOST_INCLUDE_DIR})
target_link_libraries(cwb_xgboost INTERFACE ${XGBOOST_LIBRARY})

# fast_float is header-only (libfast-float-dev).
find_path(FAST_FLOAT_INCLUDE_DIR fast_float/fast_float.h REQUIRED)
add_library(cwb_fast_float INTERFACE IMPORTED)
target_include_directories(cwb_fast_float INTERFACE ${FAST_FLOAT_INCLUDE_DIR})

# Monitoring (docs/monitoring.md): prometheus-cpp for the registry, metric types and text
# format; libcurl directly for pushing with a deadline. Debian installs no version file for
# prometheus-cpp, so no version may be requested here.
find_package(prometheus-cpp CONFIG REQUIRED)
find_package(CURL REQUIRED)

# cwb serve's HTTP server (docs/serve.md): cpp-httplib from libcpp-httplib-dev, a compiled
# library whose pkg-config file carries the feature macros its header must be included with.
find_package(PkgConfig REQUIRED)
pkg_check_modules(CPPHTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
# The store's password hashing (Argon2id, crypto_pwhash): libsodium-dev, found with pkg-config.
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
