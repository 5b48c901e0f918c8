#include "store/Settings.h"

#include <QString>

#include <algorithm>

namespace cwb::store {

namespace {

const nlohmann::json& defaults() {
    static const nlohmann::json d = {
        {kSettingOverrideReasons,
         {"additional_information", "verified_income", "policy_exception", "relationship",
          "data_error", "fraud_suspected"}},
        {kSettingRetentionDays, 0},
        {kSettingLenderName, ""},
        {kSettingLenderAddress, ""},
        {kSettingLenderContact, ""},
        {kSettingRequireApproved, false}};
    return d;
}

bool isCode(const std::string& code) {
    return !code.empty() && code.size() <= 64 && std::all_of(code.begin(), code.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

Result<nlohmann::json> parseValue(const std::string& key, const std::string& value) {
    if (value.size() > 4096) return Error::badInput("setting '" + key + "': value too long");
    if (key == kSettingOverrideReasons) {
        auto list = nlohmann::json::parse(value, nullptr, false);
        if (list.is_discarded() || !list.is_array() || list.empty() || list.size() > 50)
            return Error::badInput("setting '" + key +
                                   "' must be a JSON list of 1 to 50 codes, such as "
                                   "[\"verified_income\",\"data_error\"]");
        for (const auto& c : list)
            if (!c.is_string() || !isCode(c.get<std::string>()))
                return Error::badInput("setting '" + key + "': a code is 1 to 64 of a-z, 0-9, _");
        return nlohmann::json(list);
    }
    if (key == kSettingRetentionDays) {
        std::size_t used = 0;
        int days = -1;
        try {
            days = std::stoi(value, &used);
        } catch (const std::exception&) {
        }
        if (used != value.size() || days < 0 || days > 36500)
            return Error::badInput("setting '" + key +
                                   "' must be a number of days, 0 to 36500 "
                                   "(0 = keep forever)");
        return nlohmann::json(days);
    }
    if (key == kSettingLenderName || key == kSettingLenderAddress || key == kSettingLenderContact) {
        constexpr std::size_t kMaxChars = 300;
        const QString text = QString::fromUtf8(value.data(), static_cast<qsizetype>(value.size()));
        const bool multiline = key == kSettingLenderAddress;
        if (text.toUtf8().toStdString() != value || text.size() > static_cast<int>(kMaxChars))
            return Error::badInput("setting '" + key +
                                   "' must be UTF-8 text of at most 300 "
                                   "characters");
        for (QChar c : text)
            if (c.category() == QChar::Other_Control && !(multiline && c == QChar('\n')))
                return Error::badInput("setting '" + key + "' must not hold control characters" +
                                       (multiline ? " (a line break is allowed)" : ""));
        return nlohmann::json(text.trimmed().toStdString());
    }
    if (key == kSettingRequireApproved) {
        if (value != "true" && value != "false")
            return Error::badInput("setting '" + key + "' must be true or false");
        return nlohmann::json(value == "true");
    }
    return Error::badInput("unknown setting '" + key + "': " + kSettingOverrideReasons + ", " +
                           kSettingRetentionDays + ", " + kSettingLenderName + ", " +
                           kSettingLenderAddress + ", " + kSettingLenderContact + " or " +
                           kSettingRequireApproved);
}

}  // namespace

Result<std::string> Settings::raw(const std::string& key) {
    auto v = m_db.scalar("SELECT value FROM settings WHERE key = ?", {QString::fromStdString(key)});
    if (!v) return v.error();
    return v->isNull() ? defaults().at(key).dump() : v->toString().toStdString();
}

Result<nlohmann::json> Settings::all() {
    nlohmann::json result = nlohmann::json::object();
    for (const auto& [key, value] : defaults().items()) {
        auto text = raw(key);
        if (!text) return text.error();
        auto parsed = nlohmann::json::parse(*text, nullptr, false);
        result[key] = parsed.is_discarded() ? value : parsed;
    }
    return result;
}

Result<std::vector<std::string>> Settings::overrideReasons() {
    auto all_ = all();
    if (!all_) return all_.error();
    return (*all_)[kSettingOverrideReasons].get<std::vector<std::string>>();
}

Result<int> Settings::retentionDays() {
    auto all_ = all();
    if (!all_) return all_.error();
    return (*all_)[kSettingRetentionDays].get<int>();
}

Result<LenderSettings> Settings::lender() {
    auto all_ = all();
    if (!all_) return all_.error();
    const auto text = [&](const char* key) {
        const auto& v = (*all_)[key];
        return v.is_string() ? v.get<std::string>() : std::string();
    };
    return LenderSettings{text(kSettingLenderName), text(kSettingLenderAddress),
                          text(kSettingLenderContact)};
}

Result<bool> Settings::requireApproved() {
    auto all_ = all();
    if (!all_) return all_.error();
    const auto& v = (*all_)[kSettingRequireApproved];
    return v.is_boolean() && v.get<bool>();
}

Result<void> Settings::set(const Actor& by, const std::string& key, const std::string& value) {
    if (auto r = require(by, Action::ChangeSettings); !r) return r.error();
    auto parsed = parseValue(key, value);
    if (!parsed) return parsed.error();
    auto previous = all();
    if (!previous) return previous.error();
    Transaction tx(m_db);
    if (auto r = tx.begin(); !r) return r.error();
    auto del = m_db.run("DELETE FROM settings WHERE key = ?", {QString::fromStdString(key)});
    if (!del) return del.error();
    auto ins = m_db.run("INSERT INTO settings (key, value) VALUES (?, ?)",
                        {QString::fromStdString(key), QString::fromStdString(parsed->dump())});
    if (!ins) return ins.error();
    if (auto a =
            m_audit.append(by.name, "setting_changed",
                           {{"setting", key}, {"value", *parsed}, {"previous", (*previous)[key]}});
        !a)
        return a.error();
    return tx.commit();
}

}  // namespace cwb::store
