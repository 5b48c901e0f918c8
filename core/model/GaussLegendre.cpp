#include "model/GaussLegendre.h"

#include <cmath>
#include <numbers>

namespace cwb::detail {

QuadratureRule gaussLegendre(std::uint32_t n) {
    QuadratureRule rule;
    rule.t.resize(n);
    rule.w.resize(n);
    for (std::uint32_t k = 0; k < n; ++k) {
        double x = std::cos(std::numbers::pi * (k + 0.75) / (n + 0.5));
        double derivative = 1.0;
        for (int iteration = 0; iteration < 100; ++iteration) {
            double p0 = 1.0, p1 = x;
            for (std::uint32_t j = 2; j <= n; ++j) {
                const double p2 = ((2.0 * j - 1.0) * x * p1 - (j - 1.0) * p0) / j;
                p0 = p1;
                p1 = p2;
            }
            derivative = n * (x * p1 - p0) / (x * x - 1.0);
            const double step = p1 / derivative;
            x -= step;
            if (std::abs(step) < 1e-16) break;
        }
        rule.t[k] = 0.5 * (x + 1.0);
        rule.w[k] = 1.0 / ((1.0 - x * x) * derivative * derivative);  // 2/(...) halved for [0,1]
    }
    return rule;
}

}  // namespace cwb::detail
