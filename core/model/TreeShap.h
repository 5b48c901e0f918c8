#pragma once
// Exact path-dependent TreeSHAP for a TreeEnsemble: the same values as XGBoost's pred_contribs
// (Lundberg et al. 2018, Algorithm 2), computed in time linear in the number of tree nodes.
//
// Why it is exact and fast: for a leaf l with value v whose path has the unique features U, let
// z_j be the product of the cover shares of the path's splits on feature j and o_j be 1 when the
// row follows all of them (else 0). Its Shapley share for a feature i in U is
//     v * (o_i - z_i) * Integral_0^1 prod_{j in U, j != i} (o_j * t + (1 - t) * z_j) dt,
// because the Shapley weight |S|! (d-|S|-1)! / d! is the Beta integral of t^|S| (1-t)^(d-|S|-1).
// The integrand is a polynomial of degree |U| - 1, so a Gauss-Legendre rule with ceil(D/2)
// points (D = the largest |U| in the tree) integrates it exactly. Each tree is walked twice per
// row: down, multiplying the path products at every quadrature point (ratios precomputed per
// node at load time, also for repeated features), and up, summing the leaves' products per
// subtree and crediting each split's feature. That is O(nodes * D/2) per tree and row against
// O(leaves * D^2) for the classic recursion, with no dynamic memory beyond per-call scratch.
//
// Shallow trees (the usual credit model) go faster still by table lookup: the same integrals,
// computed per tree at load time for every pattern of decisions (model/ShapPathTables.h).

#include <cstddef>
#include <memory>

#include "model/TreeEnsemble.h"

namespace cwb {

// Which kernels contributions() may use. The default takes the fastest exact one per tree:
// table lookup (model/ShapPathTables.h) for the trees that have tables, the quadrature walk
// described above for the rest. Tests and benchmarks pin one down.
struct ShapOptions {
    bool quadratureOnly = false;  // every tree through the quadrature walk (the kernel before
                                  // the tables came)
    bool portable = false;        // the kernels CPUs without AVX2 run
};

// TreeSHAP contributions of rows of X (row-major, cols values per row, NaN = missing; cols must
// be at least model.featureCount()). out receives rows x cols contributions in margin space
// (column j is feature j; columns beyond featureCount() are 0) and bias[r] the expected margin,
// so that bias[r] + sum_j out[r * cols + j] equals the row's margin (to rounding).
// Matches XGBoost's pred_contribs (bias = its last column) to float rounding. Thread-safe;
// allocates its scratch once per call. A row's values do not depend on the other rows given.
void contributions(const TreeEnsemble& model, const float* X, std::size_t rows, std::size_t cols,
                   double* out, double* bias, ShapOptions options = {});

// What the lookup tables cover and cost, for logs, `cwb info` and benchmarks.
struct ShapTableReport {
    std::size_t treesWithTables = 0;
    std::size_t treesWithout = 0;  // explained by the quadrature walk
    std::size_t tableBytes = 0;
};
ShapTableReport shapTableReport(const TreeEnsemble& model);

namespace detail {
struct PathTables;
// Builds the per-node tables contributions() reads; TreeEnsemble calls it on the first
// explanation (decision 46).
std::shared_ptr<const ShapTables> buildShapTables(const TreeEnsemble& model);
// contributions() with other lookup tables than the model's own (benchmarks compare block
// sizes); trees the tables do not cover take the quadrature walk.
void contributionsWith(const TreeEnsemble& model, const PathTables& tables, const float* X,
                       std::size_t rows, std::size_t cols, double* out, double* bias,
                       bool portable);
}  // namespace detail

}  // namespace cwb
