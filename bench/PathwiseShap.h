#pragma once
// A benchmark candidate, not used by the engine: TreeSHAP in the path-wise formulation behind
// GPUTreeShap (Mitchell, Frank and Holmes 2022, arXiv:2010.13972), written for the CPU. Each
// root-to-leaf path is laid out once with its distinct features merged (their cover products
// z and the edges that decide o); a row then explains every path independently, with the
// EXTEND and UNWIND steps of Lundberg et al.'s Algorithm 2 over that one path: O(D^2) per
// path, so O(L D^2) per tree. On a GPU one warp takes a path; here four rows share each step in
// SIMD lanes (AVX2 where the CPU has it), so the comparison with the engine's kernels is fair.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/TreeEnsemble.h"

namespace bench {

class PathwiseShap {
public:
    explicit PathwiseShap(const cwb::TreeEnsemble& model) : m_model(model) {
        const auto nodes = model.nodes();
        const auto shares = model.coverShares();
        for (const auto& tree : model.trees()) {
            std::vector<std::int32_t> parent(tree.nodeCount, -1);
            for (std::uint32_t k = 0; k < tree.nodeCount; ++k) {
                const auto& node = nodes[tree.firstNode + k];
                if (node.isLeaf()) continue;
                parent[k + 1] = static_cast<std::int32_t>(k);
                parent[static_cast<std::uint32_t>(node.right) - tree.firstNode] =
                    static_cast<std::int32_t>(k);
            }
            for (std::uint32_t k = 0; k < tree.nodeCount; ++k) {
                const auto& leaf = nodes[tree.firstNode + k];
                if (!leaf.isLeaf() || k == 0) continue;
                Path path;
                path.value = leaf.value;
                path.firstElement = static_cast<std::uint32_t>(m_elements.size());
                // Edges grouped by feature: each element's edges are contiguous.
                std::vector<std::pair<std::int32_t, Edge>> edges;
                for (std::uint32_t child = k; parent[child] >= 0;) {
                    const auto up = static_cast<std::uint32_t>(parent[child]);
                    edges.push_back(
                        {nodes[tree.firstNode + up].feature,
                         {tree.firstNode + up, child == up + 1, shares[tree.firstNode + child]}});
                    child = up;
                }
                std::stable_sort(edges.begin(), edges.end(),
                                 [](const auto& a, const auto& b) { return a.first < b.first; });
                for (std::size_t e = 0; e < edges.size(); ++e) {
                    if (e == 0 || edges[e].first != edges[e - 1].first) {
                        m_elements.push_back(
                            {edges[e].first, 1.0, static_cast<std::uint32_t>(m_edges.size()), 0});
                    }
                    Element& element = m_elements.back();
                    element.zero *= edges[e].second.share;
                    ++element.edgeCount;
                    m_edges.push_back(edges[e].second);
                }
                path.elementCount =
                    static_cast<std::uint32_t>(m_elements.size()) - path.firstElement;
                m_longest = std::max(m_longest, path.elementCount);
                m_paths.push_back(path);
            }
        }
    }

    void explain(const float* X, std::size_t rows, std::size_t cols, double* phi,
                 double* bias) const {
        std::fill(phi, phi + rows * cols, 0.0);
        std::fill(bias, bias + rows, m_model.expectedMargin());
        if (__builtin_cpu_supports("avx2")) {
            explainAvx2(X, rows, cols, phi);
        } else {
            explainLanes(X, rows, cols, phi);
        }
    }

private:
    struct Edge {
        std::uint32_t node;  // global split node
        bool left;
        double share;
    };
    struct Element {
        std::int32_t feature;
        double zero;
        std::uint32_t firstEdge, edgeCount;
    };
    struct Path {
        double value = 0.0;
        std::uint32_t firstElement = 0, elementCount = 0;
    };

    static constexpr std::size_t kLanes = 4;
    typedef double Lanes __attribute__((vector_size(kLanes * sizeof(double))));
    // Storage for one Lanes value: std::vector of a vector type does not keep its alignment.
    struct alignas(32) Slot {
        double lane[kLanes];
    };

    __attribute__((target("arch=x86-64-v3"))) void explainAvx2(const float* X, std::size_t rows,
                                                               std::size_t cols,
                                                               double* phi) const {
        explainLanes(X, rows, cols, phi);
    }

    [[gnu::always_inline]] inline void explainLanes(const float* X, std::size_t rows,
                                                    std::size_t cols, double* phi) const {
        const auto nodes = m_model.nodes();
        std::vector<Slot> weightSlots(m_longest + 2), oneSlots(m_longest + 1);
        Lanes* weight = reinterpret_cast<Lanes*>(weightSlots.data());
        Lanes* one = reinterpret_cast<Lanes*>(oneSlots.data());
        for (std::size_t r = 0; r < rows; r += kLanes) {
            const std::size_t lanes = std::min(kLanes, rows - r);
            const float* row[kLanes];
            for (std::size_t l = 0; l < kLanes; ++l)
                row[l] = X + (r + std::min(l, lanes - 1)) * cols;
            for (const Path& path : m_paths) {
                const Element* elements = m_elements.data() + path.firstElement;
                const std::size_t d = path.elementCount;
                // o per element and lane: the row agrees with every edge on that feature.
                for (std::size_t e = 0; e < d; ++e) {
                    for (std::size_t l = 0; l < kLanes; ++l) {
                        bool agrees = true;
                        for (std::uint32_t k = 0; k < elements[e].edgeCount; ++k) {
                            const Edge& edge = m_edges[elements[e].firstEdge + k];
                            agrees &= m_model.goesLeft(nodes[edge.node], row[l]) == edge.left;
                        }
                        one[e][l] = agrees ? 1.0 : 0.0;
                    }
                }
                // EXTEND: the dummy root element, then each feature.
                weight[0] = Lanes{1.0, 1.0, 1.0, 1.0};
                for (std::size_t e = 0; e < d; ++e) {
                    const std::size_t depth = e + 1;
                    const double z = elements[e].zero;
                    weight[depth] = Lanes{0.0, 0.0, 0.0, 0.0};
                    for (std::size_t i = depth; i-- > 0;) {
                        weight[i + 1] += one[e] * weight[i] * (double(i + 1) / double(depth + 1));
                        weight[i] = z * weight[i] * (double(depth - i) / double(depth + 1));
                    }
                }
                // UNWIND each feature back out; its share is the remaining total weight.
                for (std::size_t e = 0; e < d; ++e) {
                    const double z = elements[e].zero;
                    const double safeZero = z != 0.0 ? z : 1.0;  // (o - z) = 0 there anyway
                    const Lanes o = one[e];
                    Lanes next = weight[d], total = {0.0, 0.0, 0.0, 0.0};
                    for (std::size_t i = d; i-- > 0;) {
                        const Lanes hot = next * (double(d + 1) / double(i + 1));
                        const Lanes cold = weight[i] * (double(d + 1) / (safeZero * double(d - i)));
                        for (std::size_t l = 0; l < kLanes; ++l)
                            total[l] += o[l] != 0.0 ? hot[l] : cold[l];
                        next = weight[i] - hot * (z * double(d - i) / double(d + 1));
                    }
                    const Lanes share = total * (o - z) * path.value;
                    const auto f = static_cast<std::size_t>(elements[e].feature);
                    for (std::size_t l = 0; l < lanes; ++l)
                        phi[(r + l) * cols + f] += share[l];
                }
            }
        }
    }

    const cwb::TreeEnsemble& m_model;
    std::vector<Path> m_paths;
    std::vector<Element> m_elements;
    std::vector<Edge> m_edges;
    std::uint32_t m_longest = 0;
};

}  // namespace bench
