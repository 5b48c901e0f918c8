#include "ServeMetrics.h"

#include <array>
#include <iterator>
#include <mutex>
#include <unordered_map>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace cwb::serve {

struct ServeMetrics::Impl {
    std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
    prometheus::Family<prometheus::Counter>& requests =
        prometheus::BuildCounter()
            .Name("cwb_serve_requests_total")
            .Help("HTTP requests answered, by route and status code")
            .Register(*registry);
    prometheus::Family<prometheus::Histogram>& duration =
        prometheus::BuildHistogram()
            .Name("cwb_serve_request_duration_seconds")
            .Help("Time from routing a request to its response, by route")
            .Register(*registry);
    prometheus::Family<prometheus::Counter>& applicants =
        prometheus::BuildCounter()
            .Name("cwb_serve_applicants_total")
            .Help("Applicants scored, by model and decision; refused ones by model")
            .Register(*registry);
    prometheus::Family<prometheus::Counter>& reloads =
        prometheus::BuildCounter()
            .Name("cwb_serve_reloads_total")
            .Help("Model reloads (SIGHUP or POST /v1/admin/reload), by result")
            .Register(*registry);
    prometheus::Family<prometheus::Gauge>& modelInfo = prometheus::BuildGauge()
                                                           .Name("cwb_serve_model_info")
                                                           .Help("The model being served (value 1)")
                                                           .Register(*registry);
    prometheus::Gauge& ready = prometheus::BuildGauge()
                                   .Name("cwb_serve_ready")
                                   .Help("1 while the service accepts traffic (GET /readyz)")
                                   .Register(*registry)
                                   .Add({});
    prometheus::Gauge& inFlight = prometheus::BuildGauge()
                                      .Name("cwb_serve_in_flight_requests")
                                      .Help("Requests being handled")
                                      .Register(*registry)
                                      .Add({});
    prometheus::Gauge* currentModel = nullptr;

    // The routes and usual status codes, made once: the request path looks them up by index,
    // without a lock. Other codes take the cache below.
    static constexpr const char* kRoutes[] = {
        "/v1/score", "/v1/model", "/healthz", "/readyz", "/metrics", "/v1/admin/reload", "other"};
    static constexpr int kCodes[] = {200, 400, 401, 403, 404, 405, 413, 500, 503};
    static constexpr std::size_t kRouteCount = std::size(kRoutes);
    static constexpr std::size_t kCodeCount = std::size(kCodes);
    std::array<std::array<prometheus::Counter*, kCodeCount>, kRouteCount> fixedCounters{};
    std::array<prometheus::Histogram*, kRouteCount> fixedHistograms{};

    // Family::Add looks labels up under the family's lock each time; the service's label sets are
    // few and fixed, so the metrics are cached by key after the first use.
    std::mutex cacheMutex;
    std::unordered_map<std::string, prometheus::Counter*> counters;

    prometheus::Counter& counter(prometheus::Family<prometheus::Counter>& family,
                                 const std::string& key,
                                 const std::map<std::string, std::string>& labels) {
        std::lock_guard lock(cacheMutex);
        auto& slot = counters[key];
        if (!slot) slot = &family.Add(labels);
        return *slot;
    }
};

ServeMetrics::ServeMetrics() : d(std::make_unique<Impl>()) {
    for (std::size_t r = 0; r < Impl::kRouteCount; ++r) {
        for (std::size_t c = 0; c < Impl::kCodeCount; ++c)
            d->fixedCounters[r][c] = &d->requests.Add(
                {{"route", Impl::kRoutes[r]}, {"code", std::to_string(Impl::kCodes[c])}});
        d->fixedHistograms[r] = &d->duration.Add(
            {{"route", Impl::kRoutes[r]}},
            prometheus::Histogram::BucketBoundaries{0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                    0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5});
    }
}
ServeMetrics::~ServeMetrics() = default;

void ServeMetrics::recordRequest(const std::string& route, int status, double seconds) {
    std::size_t r = Impl::kRouteCount - 1;  // "other"
    for (std::size_t i = 0; i < Impl::kRouteCount; ++i)
        if (route == Impl::kRoutes[i]) r = i;
    prometheus::Counter* counter = nullptr;
    for (std::size_t c = 0; c < Impl::kCodeCount; ++c)
        if (status == Impl::kCodes[c]) counter = d->fixedCounters[r][c];
    if (!counter) {
        const std::string code = std::to_string(status);
        counter = &d->counter(d->requests, "r|" + std::string(Impl::kRoutes[r]) + "|" + code,
                              {{"route", Impl::kRoutes[r]}, {"code", code}});
    }
    counter->Increment();
    d->fixedHistograms[r]->Observe(seconds);
}

void ServeMetrics::recordDecisions(const std::string& model,
                                   const std::map<std::string, std::size_t>& counts) {
    for (const auto& [decision, count] : counts)
        d->counter(d->applicants, "a|" + model + "|" + decision,
                   {{"model", model}, {"decision", decision}})
            .Increment(static_cast<double>(count));
}

void ServeMetrics::recordRefused(const std::string& model, std::size_t applicants) {
    d->counter(d->applicants, "a|" + model + "|refused",
               {{"model", model}, {"decision", "refused"}})
        .Increment(static_cast<double>(applicants));
}

void ServeMetrics::recordReload(bool ok) {
    const std::string result = ok ? "ok" : "failed";
    d->counter(d->reloads, "l|" + result, {{"result", result}}).Increment();
}

void ServeMetrics::setModel(const std::string& name, const std::string& version,
                            const std::string& sha256) {
    std::lock_guard lock(d->cacheMutex);
    if (d->currentModel) d->modelInfo.Remove(d->currentModel);
    d->currentModel =
        &d->modelInfo.Add({{"model", name}, {"version", version}, {"sha256", sha256}});
    d->currentModel->Set(1.0);
}

void ServeMetrics::setReady(bool ready) {
    d->ready.Set(ready ? 1.0 : 0.0);
}

void ServeMetrics::addInFlight(int delta) {
    d->inFlight.Increment(delta);
}

std::string ServeMetrics::serialize() const {
    return prometheus::TextSerializer().Serialize(d->registry->Collect());
}

}  // namespace cwb::serve
