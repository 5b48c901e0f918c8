#include "model/Scorecard.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/JsonLimits.h"

namespace cwb {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr const char* kFormat = "cwb-scorecard";
constexpr int kFormatVersion = 1;

// log(1 + e^x) without overflow for large |x|.
double softplus(double x) {
    return x > 0.0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

double sigmoid(double x) {
    if (x >= 0.0) return 1.0 / (1.0 + std::exp(-x));
    const double e = std::exp(x);
    return e / (1.0 + e);
}

struct Fit {
    Eigen::VectorXd beta;  // beta[0] is the intercept
    int iterations = 0;
    bool converged = false;
};

// Penalised negative log-likelihood; the penalty leaves the intercept (column 0) alone.
double objective(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Eigen::VectorXd& beta,
                 double penalty) {
    const Eigen::VectorXd eta = X * beta;
    double value = 0.0;
    for (Eigen::Index i = 0; i < eta.size(); ++i) {
        value += softplus(eta[i]) - y[i] * eta[i];
    }
    return value + 0.5 * penalty * beta.tail(beta.size() - 1).squaredNorm();
}

// Ridge-regularised Newton (IRLS) with step halving. X holds a leading column of ones.
// Returns an Error only on cancel or a numerically broken system.
Result<Fit> fitLogistic(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, double ridge,
                        int maxIterations, const ProgressRange& progress) {
    const auto n = static_cast<double>(X.rows());
    const double penalty = ridge * n;
    Fit fit;
    fit.beta = Eigen::VectorXd::Zero(X.cols());
    const double badRate = std::clamp(y.mean(), 1e-9, 1.0 - 1e-9);
    fit.beta[0] = std::log(badRate / (1.0 - badRate));  // start at the base rate
    Eigen::VectorXd penaltyDiagonal = Eigen::VectorXd::Constant(X.cols(), penalty);
    penaltyDiagonal[0] = 0.0;

    double current = objective(X, y, fit.beta, penalty);
    for (int iteration = 1; iteration <= std::max(maxIterations, 1); ++iteration) {
        if (progress.isCanceled()) return Error::failure("cancelled");
        const Eigen::VectorXd eta = X * fit.beta;
        Eigen::VectorXd p(eta.size()), w(eta.size());
        for (Eigen::Index i = 0; i < eta.size(); ++i) {
            p[i] = sigmoid(eta[i]);
            w[i] = p[i] * (1.0 - p[i]);
        }
        Eigen::VectorXd gradient = X.transpose() * (p - y);
        gradient.array() += penaltyDiagonal.array() * fit.beta.array();
        Eigen::MatrixXd hessian = X.transpose() * w.asDiagonal() * X;
        hessian.diagonal() += penaltyDiagonal;
        const Eigen::LDLT<Eigen::MatrixXd> solver(hessian);
        if (solver.info() != Eigen::Success) {
            return Error::failure("the scorecard regression has a singular system");
        }
        const Eigen::VectorXd step = solver.solve(gradient);
        if (!step.allFinite()) {
            return Error::failure("the scorecard regression has a singular system");
        }
        // Newton steps can overshoot far from the optimum; halve until the objective drops.
        double scale = 1.0, next = current;
        Eigen::VectorXd candidate = fit.beta;
        for (int halving = 0; halving < 30; ++halving) {
            candidate = fit.beta - scale * step;
            next = objective(X, y, candidate, penalty);
            if (next <= current) break;
            scale *= 0.5;
        }
        const double change = (candidate - fit.beta).cwiseAbs().maxCoeff();
        const double drop = current - next;
        fit.iterations = iteration;
        if (next <= current) {
            fit.beta = candidate;
            current = next;
        }
        progress.report(static_cast<double>(iteration) / maxIterations);
        if (change < 1e-9 || drop <= 1e-12 * (std::abs(current) + 1.0)) {
            fit.converged = true;
            break;
        }
    }
    return fit;
}

nlohmann::json edgeToJson(double edge) {
    return std::isinf(edge) ? nlohmann::json(nullptr) : nlohmann::json(edge);
}

double edgeFromJson(const nlohmann::json& value, double infinity) {
    return value.is_null() ? infinity : value.get<double>();
}

nlohmann::json settingsToJson(const ScorecardSettings& s) {
    return {{"fine_classes", s.binning.fineClasses},
            {"min_bin_share", s.binning.minBinShare},
            {"max_bins", s.binning.maxBins},
            {"ridge", s.ridge},
            {"min_information_value", s.minInformationValue},
            {"max_iterations", s.maxIterations}};
}

// An int from a model file. nlohmann turns a JSON number into an int with a plain cast, which is
// undefined behaviour for 1e100 (UBSan in tests/fuzz/fuzz_scorecard): out-of-range and
// fractional numbers are refused here instead.
int intFromJson(const nlohmann::json& value, const char* what) {
    if (value.is_number_integer() || value.is_number_unsigned() || value.is_number_float()) {
        const double number = value.get<double>();
        if (number >= std::numeric_limits<int>::min() &&
            number <= std::numeric_limits<int>::max() && number == std::trunc(number))
            return static_cast<int>(number);
    }
    throw std::runtime_error(std::string("\"") + what + "\" is not a whole number in range");
}

int intFromJson(const nlohmann::json& object, const char* key, int fallback) {
    const auto it = object.find(key);
    return it == object.end() ? fallback : intFromJson(*it, key);
}

ScorecardSettings settingsFromJson(const nlohmann::json& j) {
    ScorecardSettings s;
    s.binning.fineClasses = intFromJson(j, "fine_classes", s.binning.fineClasses);
    s.binning.minBinShare = j.value("min_bin_share", s.binning.minBinShare);
    s.binning.maxBins = intFromJson(j, "max_bins", s.binning.maxBins);
    s.ridge = j.value("ridge", s.ridge);
    s.minInformationValue = j.value("min_information_value", s.minInformationValue);
    s.maxIterations = intFromJson(j, "max_iterations", s.maxIterations);
    return s;
}

// Checks that decide whether deserialized bins can score: a damaged file must fail loudly at
// load time, not produce quietly wrong scores later.
void validate(const CharacteristicBins& c) {
    for (std::size_t b = 0; b < c.bins.size(); ++b) {
        const Bin& bin = c.bins[b];
        if (!std::isfinite(bin.woe)) throw std::runtime_error("a WoE value is not finite");
        if (bin.missing && b + 1 != c.bins.size()) {
            throw std::runtime_error("the missing bin of '" + c.feature + "' is not last");
        }
        if (!c.categorical && !bin.missing && !(bin.lower < bin.upper)) {
            throw std::runtime_error("a bin of '" + c.feature + "' has lower >= upper");
        }
    }
}

// A leading column of ones, then the WoE of each selected characteristic per row.
Eigen::MatrixXd designMatrix(const std::vector<CharacteristicBins>& allBins,
                             const std::vector<std::size_t>& selected, const EncodedData& data) {
    const auto n = static_cast<Eigen::Index>(data.rows);
    Eigen::MatrixXd X(n, static_cast<Eigen::Index>(selected.size()) + 1);
    X.col(0).setOnes();
    for (std::size_t k = 0; k < selected.size(); ++k) {
        const auto& bins = allBins[selected[k]];
        for (std::size_t r = 0; r < data.rows; ++r) {
            X(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(k) + 1) =
                bins.woeOf(data.at(r, selected[k]));
        }
    }
    return X;
}

Eigen::VectorXd badIndicator(const EncodedData& data) {
    Eigen::VectorXd y(static_cast<Eigen::Index>(data.rows));
    for (std::size_t r = 0; r < data.rows; ++r) {
        y[static_cast<Eigen::Index>(r)] = data.labels[r] > 0.5f ? 1.0 : 0.0;
    }
    return y;
}

}  // namespace

ScorecardModel::ScorecardModel(std::vector<CharacteristicBins> bins,
                               std::vector<double> coefficients, double intercept)
    : m_bins(std::move(bins)), m_coefficients(std::move(coefficients)), m_intercept(intercept) {
    if (m_bins.size() != m_coefficients.size()) {
        throw std::invalid_argument("ScorecardModel: one coefficient per characteristic needed");
    }
}

void ScorecardModel::predictMargin(const float* X, std::size_t rows, double* margins) const {
    const std::size_t p = m_bins.size();
    for (std::size_t r = 0; r < rows; ++r) {
        // Same terms in the same order as contributions(), so the two add up exactly.
        double margin = m_intercept;
        for (std::size_t j = 0; j < p; ++j) {
            if (m_coefficients[j] != 0.0) {
                margin += m_coefficients[j] * m_bins[j].woeOf(X[r * p + j]);
            }
        }
        margins[r] = margin;
    }
}

void ScorecardModel::contributions(const float* X, std::size_t rows, double* out,
                                   double* base) const {
    const std::size_t p = m_bins.size();
    for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t j = 0; j < p; ++j) {
            out[r * p + j] =
                m_coefficients[j] != 0.0 ? m_coefficients[j] * m_bins[j].woeOf(X[r * p + j]) : 0.0;
        }
        base[r] = m_intercept;
    }
}

std::vector<std::vector<double>> ScorecardModel::binPoints(double offset, double factor) const {
    const auto used = std::count_if(m_coefficients.begin(), m_coefficients.end(),
                                    [](double b) { return b != 0.0; });
    const double share =
        used > 0 ? (offset - factor * m_intercept) / static_cast<double>(used) : 0.0;
    std::vector<std::vector<double>> points(m_bins.size());
    for (std::size_t j = 0; j < m_bins.size(); ++j) {
        for (const auto& bin : m_bins[j].bins) {
            points[j].push_back(
                m_coefficients[j] == 0.0 ? 0.0 : share - factor * m_coefficients[j] * bin.woe);
        }
    }
    return points;
}

std::vector<std::uint8_t> ScorecardModel::serialize() const {
    nlohmann::json characteristics = nlohmann::json::array();
    for (std::size_t j = 0; j < m_bins.size(); ++j) {
        const auto& c = m_bins[j];
        nlohmann::json bins = nlohmann::json::array();
        for (const auto& bin : c.bins) {
            bins.push_back({{"lower", edgeToJson(bin.lower)},
                            {"upper", edgeToJson(bin.upper)},
                            {"levels", bin.levels},
                            {"missing", bin.missing},
                            {"goods", bin.goods},
                            {"bads", bin.bads},
                            {"woe", bin.woe},
                            {"iv", bin.iv},
                            {"label", bin.label}});
        }
        characteristics.push_back({{"feature", c.feature},
                                   {"categorical", c.categorical},
                                   {"trend", c.trend},
                                   {"information_value", c.informationValue},
                                   {"coefficient", m_coefficients[j]},
                                   {"bins", std::move(bins)}});
    }
    const nlohmann::json doc = {{"format", kFormat},
                                {"version", kFormatVersion},
                                {"intercept", m_intercept},
                                {"settings", settingsToJson(m_settings)},
                                {"fit",
                                 {{"iterations", m_fitInfo.iterations},
                                  {"converged", m_fitInfo.converged},
                                  {"left_out_low_iv", m_fitInfo.leftOutLowIv},
                                  {"left_out_wrong_sign", m_fitInfo.leftOutWrongSign}}},
                                {"characteristics", std::move(characteristics)}};
    // nlohmann writes doubles with 17 significant digits, so WoE values read back bit-exact.
    const std::string text = doc.dump();
    return {text.begin(), text.end()};
}

std::string ScorecardModel::parametersJson() const {
    return settingsToJson(m_settings).dump();
}

namespace {
constexpr double kMaxScorecardMargin = 1e12;
}  // namespace

Result<std::unique_ptr<ScorecardModel>> ScorecardModel::deserialize(
    const std::vector<std::uint8_t>& bytes) {
    if (auto deep = checkJsonTextDepth(bytes); !deep)
        return Error::badInput("the scorecard model data is damaged: " + deep.error().message);
    try {
        const auto doc = nlohmann::json::parse(bytes.begin(), bytes.end());
        if (!doc.is_object() || doc.value("format", std::string()) != kFormat) {
            return Error::badInput("the data is not a Credit Workbench scorecard model");
        }
        const int version = intFromJson(doc.at("version"), "version");
        if (version > kFormatVersion) {
            return Error::badInput("the scorecard model has format version " +
                                   std::to_string(version) + ", newer than this program reads (" +
                                   std::to_string(kFormatVersion) + ")");
        }
        std::vector<CharacteristicBins> allBins;
        std::vector<double> coefficients;
        for (const auto& jc : doc.at("characteristics")) {
            CharacteristicBins c;
            c.feature = jc.at("feature").get<std::string>();
            c.categorical = jc.at("categorical").get<bool>();
            c.trend = intFromJson(jc, "trend", 0);
            c.informationValue = jc.value("information_value", 0.0);
            for (const auto& jb : jc.at("bins")) {
                Bin bin;
                bin.lower = edgeFromJson(jb.at("lower"), -kInf);
                bin.upper = edgeFromJson(jb.at("upper"), kInf);
                if (const auto levels = jb.find("levels"); levels != jb.end())
                    for (const auto& level : levels->get_ref<const nlohmann::json::array_t&>())
                        bin.levels.push_back(intFromJson(level, "levels"));
                bin.missing = jb.value("missing", false);
                bin.goods = jb.value("goods", 0.0);
                bin.bads = jb.value("bads", 0.0);
                bin.woe = jb.at("woe").get<double>();
                bin.iv = jb.value("iv", 0.0);
                bin.label = jb.value("label", std::string());
                c.bins.push_back(std::move(bin));
            }
            validate(c);
            const double coefficient = jc.at("coefficient").get<double>();
            if (!std::isfinite(coefficient)) {
                throw std::runtime_error("a coefficient is not finite");
            }
            coefficients.push_back(coefficient);
            allBins.push_back(std::move(c));
        }
        const double intercept = doc.at("intercept").get<double>();
        if (!std::isfinite(intercept)) throw std::runtime_error("the intercept is not finite");
        // The largest margin the model can give, so that scores stay far inside the 64-bit
        // range for any sane scaling (ScoreScaling's bounds) by construction.
        double largestMargin = std::fabs(intercept);
        for (std::size_t k = 0; k < allBins.size(); ++k) {
            double largestWoe = 0.0;
            for (const Bin& bin : allBins[k].bins)
                largestWoe = std::max(largestWoe, std::fabs(bin.woe));
            largestMargin += std::fabs(coefficients[k]) * largestWoe;
        }
        if (!(largestMargin <= kMaxScorecardMargin))
            throw std::runtime_error("coefficients and WoE values of absurd size");
        auto model = std::make_unique<ScorecardModel>(std::move(allBins), std::move(coefficients),
                                                      intercept);
        if (doc.contains("settings")) model->setSettings(settingsFromJson(doc.at("settings")));
        if (doc.contains("fit")) {
            const auto& jf = doc.at("fit");
            ScorecardFitInfo info;
            info.iterations = intFromJson(jf, "iterations", 0);
            info.converged = jf.value("converged", false);
            info.leftOutLowIv = jf.value("left_out_low_iv", std::vector<std::string>());
            info.leftOutWrongSign = jf.value("left_out_wrong_sign", std::vector<std::string>());
            model->setFitInfo(std::move(info));
        }
        return model;
    } catch (const std::exception& e) {
        // nlohmann's parse and type errors and the validation above all mean damaged data.
        return Error::badInput(std::string("the scorecard model data is damaged: ") + e.what());
    }
}

Result<std::unique_ptr<Model>> trainScorecard(const EncodedData& data,
                                              const ScorecardSettings& settings,
                                              ProgressRange progress) {
    if (data.rows == 0 || data.cols == 0) {
        return Error::badInput("there are no rows or no characteristics to train a scorecard on");
    }
    if (data.labels.size() != data.rows) {
        return Error::badInput("the training data has no target values");
    }
    const auto bads = std::count_if(data.labels.begin(), data.labels.end(),
                                    [](float label) { return label > 0.5f; });
    if (bads == 0 || static_cast<std::size_t>(bads) == data.rows) {
        return Error::badInput(bads == 0 ? "the training data has no bad rows"
                                         : "the training data has no good rows");
    }

    const ProgressRange binningProgress = progress.sub(0.0, 0.5);
    std::vector<CharacteristicBins> allBins;
    ScorecardFitInfo info;
    std::vector<std::size_t> selected;
    for (std::size_t j = 0; j < data.cols; ++j) {
        if (progress.isCanceled()) return Error::failure("cancelled");
        auto bins = binCharacteristic(data, j, settings.binning);
        if (j < settings.levelNames.size()) labelBins(bins, settings.levelNames[j]);
        if (bins.informationValue >= settings.minInformationValue) {
            selected.push_back(j);
        } else {
            info.leftOutLowIv.push_back(bins.feature);
        }
        allBins.push_back(std::move(bins));
        binningProgress.report(static_cast<double>(j + 1) / static_cast<double>(data.cols),
                               "binning characteristics");
    }
    if (selected.empty()) {
        return Error::badInput("no characteristic has an information value of at least " +
                               std::to_string(settings.minInformationValue) +
                               ": the scorecard would have nothing to score with");
    }

    const Eigen::VectorXd y = badIndicator(data);
    // Each refit drops one wrong-signed characteristic, so at most selected.size() fits run.
    Fit fit;
    const std::size_t maxFits = selected.size();
    for (std::size_t round = 0; round < maxFits; ++round) {
        const Eigen::MatrixXd X = designMatrix(allBins, selected, data);
        const double begin = 0.5 + 0.5 * static_cast<double>(round) / static_cast<double>(maxFits);
        const double end =
            0.5 + 0.5 * static_cast<double>(round + 1) / static_cast<double>(maxFits);
        auto result =
            fitLogistic(X, y, settings.ridge, settings.maxIterations, progress.sub(begin, end));
        if (!result) return result.error();
        fit = std::move(result.value());

        // WoE = ln(good/bad) and the model predicts the log-odds of bad, so a sensible
        // coefficient is negative; a positive one would give more points to riskier bins.
        std::size_t worst = selected.size();
        double worstValue = 0.0;
        for (std::size_t k = 0; k < selected.size(); ++k) {
            const double b = fit.beta[static_cast<Eigen::Index>(k) + 1];
            if (b > worstValue) {
                worstValue = b;
                worst = k;
            }
        }
        if (worst == selected.size()) break;
        info.leftOutWrongSign.push_back(allBins[selected[worst]].feature);
        selected.erase(selected.begin() + static_cast<std::ptrdiff_t>(worst));
        if (selected.empty()) break;  // the intercept-only fit below still describes the data
    }
    if (selected.empty()) {
        Eigen::MatrixXd X = Eigen::MatrixXd::Ones(static_cast<Eigen::Index>(data.rows), 1);
        auto result = fitLogistic(X, y, settings.ridge, settings.maxIterations, progress);
        if (!result) return result.error();
        fit = std::move(result.value());
    }

    std::vector<double> coefficients(data.cols, 0.0);
    for (std::size_t k = 0; k < selected.size(); ++k) {
        coefficients[selected[k]] = fit.beta[static_cast<Eigen::Index>(k) + 1];
    }
    info.iterations = fit.iterations;
    info.converged = fit.converged;
    auto model =
        std::make_unique<ScorecardModel>(std::move(allBins), std::move(coefficients), fit.beta[0]);
    ScorecardSettings kept = settings;
    kept.levelNames.clear();
    model->setSettings(std::move(kept));
    model->setFitInfo(std::move(info));
    progress.report(1.0, "scorecard fitted");
    return std::unique_ptr<Model>(std::move(model));
}

Result<std::unique_ptr<ScorecardModel>> refitScorecard(std::vector<CharacteristicBins> bins,
                                                       const std::vector<bool>& included,
                                                       const EncodedData& data,
                                                       const ScorecardSettings& settings,
                                                       ProgressRange progress) {
    if (data.rows == 0 || data.labels.size() != data.rows) {
        return Error::badInput("the development data has no rows with a target value");
    }
    if (bins.size() != data.cols || included.size() != data.cols) {
        return Error::badInput("the development data does not have the scorecard's " +
                               std::to_string(bins.size()) + " characteristics");
    }
    std::vector<std::size_t> selected;
    for (std::size_t j = 0; j < data.cols; ++j) {
        if (included[j]) selected.push_back(j);
    }
    auto result = fitLogistic(designMatrix(bins, selected, data), badIndicator(data),
                              settings.ridge, settings.maxIterations, progress);
    if (!result) return result.error();
    const Fit& fit = result.value();
    std::vector<double> coefficients(data.cols, 0.0);
    for (std::size_t k = 0; k < selected.size(); ++k) {
        coefficients[selected[k]] = fit.beta[static_cast<Eigen::Index>(k) + 1];
    }
    auto model =
        std::make_unique<ScorecardModel>(std::move(bins), std::move(coefficients), fit.beta[0]);
    ScorecardSettings kept = settings;
    kept.levelNames.clear();
    model->setSettings(std::move(kept));
    ScorecardFitInfo info;
    info.iterations = fit.iterations;
    info.converged = fit.converged;
    model->setFitInfo(std::move(info));
    return model;
}

}  // namespace cwb
