#pragma once
// The engine compares float(x) with a threshold (tree splits: float(x) < t; scorecard bins:
// double(float(x)) >= edge), where x is the double read from the data. Databases hold x as a
// double and have no portable float rounding, so the exporter turns each such comparison into
// an exact comparison of x itself: rounding to float is monotone, so {x : float(x) >= t} is
// always "x >= m" or "x > m" for one double m (m is the midpoint between the smallest float
// that passes and the float below it; which of the two depends on how the tie rounds). The
// generated SQL then compares doubles only, and agrees with the engine for every x.

namespace cwb {

struct FloatCut {
    enum class Kind {
        All,      // every x in float range passes
        None,     // no x passes
        AtLeast,  // x >= bound
        Above,    // x > bound
    };
    Kind kind = Kind::None;
    double bound = 0.0;  // exactly representable in SQL (at most 25 significant bits)
};

// {x : double(float(x)) >= t} over finite doubles x with |x| <= FLT_MAX (the values the engine
// accepts; larger ones are rejected before any comparison). t may be any double; NaN gives None.
FloatCut floatAtLeast(double t);

// Whether x passes the cut (for tests: must equal double(float(x)) >= t).
bool passes(const FloatCut& cut, double x);

}  // namespace cwb
