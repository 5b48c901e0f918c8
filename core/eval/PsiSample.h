#pragma once
// How many rows a PSI needs before it can be judged.

#include <cstddef>

namespace cwb {

// The fewest rows of a sample for which a PSI over `bins` bins can be read against the usual
// thresholds (0.1 stable, 0.25 major shift). Drawn from the very population it is compared
// with, a sample of n rows still shows a PSI of about (bins - 1) / n from sampling noise alone
// (plus far more when bins stay empty); below these rows that noise is above 0.04 (much of the
// 0.1 "stable" limit) and the figure cannot tell a shift from chance. 225 rows for 10 bins.
std::size_t minimumPsiRows(std::size_t bins);

}  // namespace cwb
