#include "data/TrainingHints.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "data/Schema.h"

namespace cwb {

namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// Words of a name or value: split at non-letters and at lower-to-upper case changes
// ("foreignWorker", "age_years", "SEX").
std::vector<std::string> words(const std::string& text) {
    std::vector<std::string> out;
    std::string word;
    char previous = 0;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        const bool letter = std::isalpha(u) != 0;
        const bool boundary =
            !letter || (std::isupper(u) && std::islower(static_cast<unsigned char>(previous)));
        if (boundary && !word.empty()) {
            out.push_back(lower(word));
            word.clear();
        }
        if (letter) word += c;
        previous = c;
    }
    if (!word.empty()) out.push_back(lower(word));
    return out;
}

bool namesProtected(const std::string& name) {
    static const std::set<std::string> kWords = {
        "sex",       "gender",      "age",       "race",       "ethnic",
        "ethnicity", "religion",    "religious", "marital",    "nationality",
        "citizen",   "citizenship", "foreign",   "disability", "disabled",
        "pregnancy", "pregnant",    "birth",     "dob"};
    for (const std::string& w : words(name))
        if (kWords.count(w)) return true;
    return false;
}

bool valuesProtected(const std::vector<std::string>& column) {
    static const std::set<std::string> kWords = {"female",  "male",     "woman",   "man",
                                                 "women",   "men",      "married", "divorced",
                                                 "widowed", "separated"};
    // A few hundred rows tell; categorical levels repeat.
    const std::size_t n = std::min<std::size_t>(column.size(), 500);
    for (std::size_t r = 0; r < n; ++r)
        for (const std::string& w : words(column[r]))
            if (kWords.count(w)) return true;
    return false;
}

}  // namespace

std::vector<std::string> suggestProtectedColumns(const Table& table, const std::string& target) {
    std::vector<std::string> out;
    for (std::size_t c = 0; c < table.header.size() && c < table.columns.size(); ++c) {
        const std::string& name = table.header[c];
        if (name == target) continue;
        if (namesProtected(name) || valuesProtected(table.columns[c])) out.push_back(name);
    }
    return out;
}

BadValueGuess guessBadValue(const Table& table, const std::string& target) {
    BadValueGuess guess;
    const int c = table.columnIndex(target);
    if (c < 0) return guess;
    std::set<std::string> distinct;
    for (const std::string& raw : table.columns[static_cast<std::size_t>(c)]) {
        if (isMissingToken(raw)) continue;
        distinct.insert(raw);
        if (distinct.size() > 8) break;  // not a binary target: nothing to suggest
    }
    guess.values.assign(distinct.begin(), distinct.end());
    if (distinct.size() != 2) return guess;
    const std::string a = lower(guess.values[0]), b = lower(guess.values[1]);
    // Pairs whose meaning is plain: the second names the bad outcome.
    static const std::pair<const char*, const char*> kPairs[] = {{"0", "1"},
                                                                 {"good", "bad"},
                                                                 {"no", "yes"},
                                                                 {"false", "true"},
                                                                 {"n", "y"},
                                                                 {"0.0", "1.0"},
                                                                 {"non-default", "default"},
                                                                 {"nondefault", "default"}};
    for (const auto& [good, bad] : kPairs) {
        if (a == good && b == bad) guess.badValue = guess.values[1];
        if (b == good && a == bad) guess.badValue = guess.values[0];
    }
    guess.ambiguous = guess.badValue.empty();
    return guess;
}

}  // namespace cwb
