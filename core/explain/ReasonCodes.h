#pragma once
// Reason codes: up to K characteristics that pushed the risk up the most (largest positive
// contributions in log-odds), strongest first. Ties keep schema order so output is stable.

#include <cstddef>
#include <string>
#include <vector>

namespace cwb {

struct Reason {
    std::string feature;
    std::string text;           // plain-language text for an adverse action notice
    double contribution = 0.0;  // log-odds towards bad
};

// Indices of the up to k largest positive contributions, largest first. out must hold k entries;
// returns how many were written.
std::size_t topReasonIndices(const double* contributions, std::size_t count, std::size_t k,
                             std::size_t* out);

}  // namespace cwb
