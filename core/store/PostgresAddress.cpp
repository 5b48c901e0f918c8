#include "store/PostgresAddress.h"

#include <QByteArray>
#include <QUrl>
#include <QUrlQuery>

#include <set>

namespace cwb::store {

namespace {

constexpr std::size_t kMaxAddressLength = 2000;

// libpq's connection parameters that concern transport security and timeouts: the ones an
// administrator sets per site. Everything else (host, port, user, database) is the address.
const std::set<std::string>& passedThrough() {
    static const std::set<std::string> names = {"sslmode",
                                                "sslrootcert",
                                                "sslcert",
                                                "sslkey",
                                                "sslcrl",
                                                "sslcompression",
                                                "ssl_min_protocol_version",
                                                "connect_timeout",
                                                "application_name",
                                                "target_session_attrs",
                                                "gssencmode",
                                                "channel_binding",
                                                "keepalives",
                                                "keepalives_idle",
                                                "keepalives_interval",
                                                "keepalives_count",
                                                "tcp_user_timeout"};
    return names;
}

}  // namespace

bool isPostgresAddress(const std::string& location) {
    return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

std::string PostgresAddress::display() const {
    std::string text = "postgresql://";
    if (!user.empty()) text += user + "@";
    text += host.find('/') != std::string::npos
                ? QUrl::toPercentEncoding(QString::fromStdString(host)).toStdString()
                : host;
    text += ":" + std::to_string(port) + "/" + database;
    for (std::size_t i = 0; i < options.size(); ++i)
        text += (i == 0 ? "?" : "&") + options[i].first + "=" + options[i].second;
    return text;
}

Result<PostgresAddress> parsePostgresAddress(const std::string& address) {
    if (address.size() > kMaxAddressLength)
        return Error::badInput("the store address is longer than 2000 characters");
    if (!isPostgresAddress(address))
        return Error::badInput("'" + address + "' is not a postgresql:// address");
    // The part between :// and the next / holds the user, the password and the host.
    const std::size_t authorityStart = address.find("://") + 3;
    const std::size_t authorityEnd = address.find_first_of("/?", authorityStart);
    const std::string authority = address.substr(
        authorityStart,
        authorityEnd == std::string::npos ? std::string::npos : authorityEnd - authorityStart);
    const std::size_t at = authority.rfind('@');
    if (at != std::string::npos && authority.substr(0, at).find(':') != std::string::npos)
        return Error::badInput(
            "the store address holds a password: remove it and give it in PGPASSWORD, "
            "~/.pgpass, or at the prompt (a password on the command line is visible to every "
            "user of the machine)");
    PostgresAddress a;
    const auto decode = [](const std::string& text) {
        return QUrl::fromPercentEncoding(QByteArray::fromStdString(text)).toStdString();
    };
    if (at != std::string::npos) a.user = decode(authority.substr(0, at));
    // HOST, HOST:PORT, [IPv6]:PORT, or a percent-encoded Unix socket folder (%2Frun%2Fpostgresql).
    const std::string hostPort = authority.substr(at == std::string::npos ? 0 : at + 1);
    std::string portText;
    if (!hostPort.empty() && hostPort.front() == '[') {
        const std::size_t close = hostPort.find(']');
        if (close == std::string::npos) return Error::badInput("the store address has a bad host");
        a.host = hostPort.substr(1, close - 1);
        if (close + 1 < hostPort.size()) {
            if (hostPort[close + 1] != ':')
                return Error::badInput("the store address has a bad host");
            portText = hostPort.substr(close + 2);
        }
    } else {
        const std::size_t colon = hostPort.rfind(':');
        a.host = decode(hostPort.substr(0, colon));
        if (colon != std::string::npos) portText = hostPort.substr(colon + 1);
    }
    if (a.host.empty()) return Error::badInput("the store address names no host");
    if (!portText.empty()) {
        bool ok = false;
        a.port = QString::fromStdString(portText).toInt(&ok);
        if (!ok || a.port <= 0 || a.port > 65535)
            return Error::badInput("the store address has a bad port '" + portText + "'");
    }
    const QUrl url(QString::fromStdString("x://h" + (authorityEnd == std::string::npos
                                                         ? std::string()
                                                         : address.substr(authorityEnd))),
                   QUrl::StrictMode);
    if (!url.isValid())
        return Error::badInput("the store address is not valid: " +
                               url.errorString().toStdString());
    QString path = url.path(QUrl::FullyDecoded);
    if (path.startsWith('/')) path.remove(0, 1);
    if (path.isEmpty() || path.contains('/'))
        return Error::badInput(
            "the store address names no database (postgresql://USER@HOST:PORT/DATABASE)");
    a.database = path.toStdString();
    const QUrlQuery query(url);
    for (const auto& [key, value] : query.queryItems(QUrl::FullyDecoded)) {
        const std::string name = key.toStdString();
        if (name == "password")
            return Error::badInput(
                "the store address holds a password: give it in PGPASSWORD, ~/.pgpass or at "
                "the prompt instead");
        if (!passedThrough().count(name))
            return Error::badInput("the store address has the parameter '" + name +
                                   "', which the workbench does not pass on (allowed: sslmode, "
                                   "sslrootcert, sslcert, sslkey, connect_timeout, ...)");
        if (value.contains(' ') || value.contains(';') || value.contains('\''))
            return Error::badInput("the store address parameter '" + name +
                                   "' has a space, quote or semicolon in its value");
        a.options.emplace_back(name, value.toStdString());
    }
    return a;
}

}  // namespace cwb::store
