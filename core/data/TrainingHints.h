#pragma once
// Suggestions the training view makes from a data file before anything is trained: which
// columns look like protected attributes (by name or by their values), and which target value
// means "bad" when the values say so unambiguously.

#include <string>
#include <vector>

#include "data/Table.h"

namespace cwb {

// Columns whose name has a word such as sex, gender, age, race, religion, marital, nationality
// or foreign (as a whole word: "mortgage" is not "age"), or whose values name a sex or a
// marital status (female, male, married, divorced, widowed). In header order; never `target`.
std::vector<std::string> suggestProtectedColumns(const Table& table, const std::string& target);

struct BadValueGuess {
    std::vector<std::string> values;  // the target's distinct values (at most a few), sorted
    std::string badValue;             // the suggestion; empty when ambiguous
    bool ambiguous = true;            // the analyst must choose
};

// {0, 1} means bad = 1; {good, bad}, {no, yes}, {false, true}, {N, Y} name the bad one. Any
// other pair, such as German's {1, 2} where 2 is bad, is ambiguous and must be chosen.
BadValueGuess guessBadValue(const Table& table, const std::string& target);

}  // namespace cwb
