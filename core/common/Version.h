#pragma once
// Versions of the program and of the libraries it runs on (About dialog, cwb --version, logs).

#include <string>
#include <utility>
#include <vector>

namespace cwb {

const char* version();
// {"Qt", "6.4.2"}, {"XGBoost", "1.7.4"}, {"SQLite", "3.40.1"}, ... as loaded at run time.
std::vector<std::pair<std::string, std::string>> libraryVersions();

}  // namespace cwb
