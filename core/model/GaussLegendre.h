#pragma once
// Gauss-Legendre quadrature on [0, 1], for the exact TreeSHAP kernels: the Shapley weight
// |S|! (d - |S| - 1)! / d! is the Beta integral of t^|S| (1 - t)^(d - |S| - 1), so a leaf's
// Shapley shares are integrals of polynomials in t, which an n-point rule gives exactly up to
// degree 2n - 1.

#include <cstdint>
#include <vector>

namespace cwb::detail {

struct QuadratureRule {
    std::vector<double> t, w;  // nodes and weights on [0, 1]; the weights sum to 1
};

// The n-point rule (n >= 1), nodes by Newton's method on the Legendre recurrence.
QuadratureRule gaussLegendre(std::uint32_t n);

// Points that integrate a polynomial of the given degree exactly: ceil((degree + 1) / 2), at
// least 1.
inline std::uint32_t pointsForDegree(std::uint32_t degree) {
    return degree / 2 + 1;
}

}  // namespace cwb::detail
