#include "sqlexport/FloatCut.h"

#include <cmath>
#include <limits>

namespace cwb {

FloatCut floatAtLeast(double t) {
    constexpr float kMax = std::numeric_limits<float>::max();
    if (std::isnan(t)) return {FloatCut::Kind::None, 0.0};
    // Accepted values round to floats within [-FLT_MAX, FLT_MAX].
    if (t <= -static_cast<double>(kMax)) return {FloatCut::Kind::All, 0.0};
    if (t > static_cast<double>(kMax)) return {FloatCut::Kind::None, 0.0};
    // The smallest float f >= t: float(x) >= t exactly when float(x) >= f.
    float f = static_cast<float>(t);
    if (static_cast<double>(f) < t) f = std::nextafter(f, std::numeric_limits<float>::infinity());
    // f > -FLT_MAX here, so the float below it is finite; their midpoint is exact in double
    // (a float has 24 significant bits, the midpoint needs one more).
    const float below = std::nextafter(f, -std::numeric_limits<float>::infinity());
    const double midpoint = (static_cast<double>(below) + static_cast<double>(f)) / 2.0;
    // Above the midpoint x rounds to f or higher, below it to `below` or lower; the midpoint
    // itself goes to the float with the even significand, which the cast decides here exactly
    // as the engine's cast does.
    if (static_cast<float>(midpoint) >= f) return {FloatCut::Kind::AtLeast, midpoint};
    return {FloatCut::Kind::Above, midpoint};
}

bool passes(const FloatCut& cut, double x) {
    switch (cut.kind) {
        case FloatCut::Kind::All:
            return true;
        case FloatCut::Kind::None:
            return false;
        case FloatCut::Kind::AtLeast:
            return x >= cut.bound;
        case FloatCut::Kind::Above:
            return x > cut.bound;
    }
    return false;
}

}  // namespace cwb
