#pragma once
// The service's Prometheus metrics, scraped at GET /metrics (text exposition format). A service
// is scraped, not pushed; the pushgateway stays for the desktop and batch jobs. Names start with
// cwb_serve_ and are listed in docs/serve.md. Labels hold fixed routes, status codes, decisions
// and the model's name and version only: never applicant data. Thread-safe.

#include <cstddef>
#include <map>
#include <memory>
#include <string>

namespace cwb::serve {

class ServeMetrics {
public:
    ServeMetrics();
    ~ServeMetrics();
    ServeMetrics(const ServeMetrics&) = delete;
    ServeMetrics& operator=(const ServeMetrics&) = delete;

    // route is one of the service's fixed paths or "other".
    void recordRequest(const std::string& route, int status, double seconds);
    void recordDecisions(const std::string& model,
                         const std::map<std::string, std::size_t>& counts);
    void recordRefused(const std::string& model, std::size_t applicants);
    void recordReload(bool ok);
    void setModel(const std::string& name, const std::string& version, const std::string& sha256);
    void setReady(bool ready);
    void addInFlight(int delta);

    std::string serialize() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

}  // namespace cwb::serve
