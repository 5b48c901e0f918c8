#include "store/BatchRecorder.h"

#include <QCryptographicHash>
#include <QFileInfo>

#include <charconv>
#include <vector>

#include "common/Hash.h"
#include "common/Sqlite.h"
#include "data/CsvParse.h"
#include "store/Pseudonym.h"
#include "store/Store.h"

namespace cwb::store {

namespace {

constexpr std::size_t kMaxQueuedPieces = 4;

void appendJsonString(std::string& out, std::string_view text) {
    out.push_back('"');
    for (char c : text) {
        if (c == '"' || c == '\\') out.push_back('\\');
        if (static_cast<unsigned char>(c) < 0x20) continue;  // never in a feature name
        out.push_back(c);
    }
    out.push_back('"');
}

}  // namespace

BatchRecorder::BatchRecorder(Store& store, Actor by, std::int64_t batchId, std::string dbPath,
                             std::string pseudonymKey)
    : m_store(store),
      m_by(std::move(by)),
      m_batchId(batchId),
      m_dbPath(std::move(dbPath)),
      m_pseudonymKey(std::move(pseudonymKey)) {}

Result<std::unique_ptr<BatchRecorder>> BatchRecorder::start(Store& store, const Actor& by,
                                                            const BatchInfo& info) {
    if (auto r = require(by, Action::RecordDecision); !r) return r.error();
    if (store.database().dialect() != Dialect::Sqlite)
        return Error::failure("recording batch rows is implemented for SQLite stores only");
    auto key = store.pseudonymKey();
    if (!key) return key.error();
    Database& db = store.database();
    // Only the file's name: a folder path can say more about a person than needed.
    const std::string inputName =
        QFileInfo(QString::fromStdString(info.inputPath)).fileName().toStdString();
    Transaction tx(db);
    if (auto r = tx.begin(); !r) return r.error();
    auto ins = db.run(
        "INSERT INTO batch_runs (started_at, user_name, status, input_name, model_name, "
        "model_version, bundle_sha256) VALUES (?, ?, 'running', ?, ?, ?, ?) RETURNING id",
        {QString::fromStdString(utcNow()), QString::fromStdString(by.name),
         QString::fromStdString(inputName), QString::fromStdString(info.modelName),
         QString::fromStdString(info.modelVersion), QString::fromStdString(info.bundleSha256)});
    if (!ins) return ins.error();
    if (!ins->next()) return Error::failure("store: registering the batch run returned no id");
    const std::int64_t id = ins->value(0).toLongLong();
    ins->finish();
    if (auto a = store.audit().append(by.name, "batch_started",
                                      {{"batch_id", id},
                                       {"input", inputName},
                                       {"model", info.modelName},
                                       {"model_version", info.modelVersion},
                                       {"bundle_sha256", info.bundleSha256}});
        !a)
        return a.error();
    if (auto r = tx.commit(); !r) return r.error();
    std::unique_ptr<BatchRecorder> recorder(
        new BatchRecorder(store, by, id, store.path(), std::move(*key)));
    const std::string input = info.inputPath;
    recorder->m_inputHash = std::async(std::launch::async, [input] { return sha256OfFile(input); });
    recorder->m_writer = std::thread([r = recorder.get()] { r->writerLoop(); });
    return recorder;
}

BatchRecorder::~BatchRecorder() {
    if (!m_done) fail("the run ended without completing");
    if (m_writer.joinable()) (void)stopWriter();
}

Result<void> BatchRecorder::add(std::string_view text) {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock,
                   [&] { return m_queue.size() < kMaxQueuedPieces || !m_writerError.empty(); });
    if (!m_writerError.empty())
        return Error::failure("recording the batch failed: " + m_writerError);
    m_queue.emplace_back(text);
    m_changed.notify_all();
    return {};
}

void BatchRecorder::writerLoop() {
    const auto failWith = [&](const std::string& message) {
        std::lock_guard lock(m_mutex);
        m_writerError = message;
        m_queue.clear();
        m_changed.notify_all();
    };
    // Its own connection (C API): the QtSql connection belongs to the thread that made it.
    auto db = SqliteDatabase::open(m_dbPath, SqliteDatabase::Mode::ReadWriteCreate);
    if (!db) return failWith(db.error().message);
    for (const char* pragma : {"PRAGMA busy_timeout = 10000", "PRAGMA foreign_keys = ON",
                               "PRAGMA secure_delete = ON", "PRAGMA synchronous = NORMAL"})
        if (auto r = db->exec(pragma); !r) return failWith(r.error().message);
    auto insert = db->prepare(
        "INSERT INTO batch_decisions (batch_id, row_number, pseudonym, pd, score, decision, "
        "reasons) VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!insert) return failWith(insert.error().message);
    const Pseudonymizer pseudonym(m_pseudonymKey);
    QCryptographicHash rowsHash(QCryptographicHash::Sha256);
    bool header = true;
    bool hasId = false;
    std::vector<char> scratch;
    CsvRecord record;
    std::string reasons;
    std::int64_t row = 0;
    for (;;) {
        std::string piece;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [&] { return !m_queue.empty() || m_closing; });
            if (m_queue.empty()) break;
            piece = std::move(m_queue.front());
            m_queue.pop_front();
            m_changed.notify_all();
        }
        if (header) {
            hasId = piece.rfind("pd,", 0) != 0;
            header = false;
            continue;
        }
        rowsHash.addData(QByteArrayView(piece.data(), static_cast<qsizetype>(piece.size())));
        if (auto r = db->exec("BEGIN IMMEDIATE"); !r) return failWith(r.error().message);
        std::string error;
        const std::size_t first = hasId ? 1 : 0;
        // The batch scorer's own CSV rules (core/data/CsvParse.h) read its output back.
        const char* at = piece.data();
        const char* const end = piece.data() + piece.size();
        while (at < end && error.empty()) {
            const csv::Parsed parsed = csv::parseRecord(at, end, true, ',', scratch, record);
            at += parsed.consumed;
            if (parsed.consumed == 0 || parsed.outcome != csv::Outcome::Complete) {
                error = "a scored line could not be read back";
                break;
            }
            const auto& f = record.fields;
            if (f.size() < first + 3) {
                error = "a scored line has " + std::to_string(f.size()) + " fields";
                break;
            }
            double pd = 0.0;
            std::int64_t score = 0;
            std::from_chars(f[first].data(), f[first].data() + f[first].size(), pd);
            std::from_chars(f[first + 1].data(), f[first + 1].data() + f[first + 1].size(), score);
            reasons = "[";
            for (std::size_t k = first + 3; k < f.size(); ++k)
                if (!f[k].empty()) {
                    if (reasons.size() > 1) reasons.push_back(',');
                    appendJsonString(reasons, f[k]);
                }
            reasons.push_back(']');
            ++row;
            const std::string id = hasId && !f[0].empty() ? pseudonym(f[0]) : std::string();
            auto r = insert->bind(1, m_batchId);
            if (r) r = insert->bind(2, row);
            if (r) r = id.empty() ? insert->bindNull(3) : insert->bind(3, id);
            if (r) r = insert->bind(4, pd);
            if (r) r = insert->bind(5, score);
            if (r) r = insert->bind(6, f[first + 2]);
            if (r) r = insert->bind(7, reasons);
            if (r) {
                auto stepped = insert->step();
                if (!stepped) r = stepped.error();
            }
            if (r) r = insert->reset();
            if (!r) error = r.error().message;
        }
        if (!error.empty()) {
            (void)db->exec("ROLLBACK");
            return failWith(error);
        }
        if (auto r = db->exec("COMMIT"); !r) return failWith(r.error().message);
        m_rowsRecorded = row;
    }
    m_rowsSha256 = rowsHash.result().toHex().toStdString();
}

Result<void> BatchRecorder::stopWriter() {
    {
        std::lock_guard lock(m_mutex);
        m_closing = true;
        m_changed.notify_all();
    }
    if (m_writer.joinable()) m_writer.join();
    if (!m_writerError.empty())
        return Error::failure("recording the batch failed: " + m_writerError);
    return {};
}

Result<nlohmann::json> BatchRecorder::finish(const nlohmann::json& counts) {
    if (auto r = stopWriter(); !r) {
        fail(r.error().message);
        return r.error();
    }
    auto inputHash = m_inputHash.valid() ? m_inputHash.get() : Result<std::string>(std::string());
    if (!inputHash) {
        fail(inputHash.error().message);
        return inputHash.error();
    }
    Database& db = m_store.database();
    nlohmann::json summary = {{"batch_id", m_batchId},
                              {"input_sha256", *inputHash},
                              {"rows_recorded", m_rowsRecorded},
                              {"rows_sha256", m_rowsSha256},
                              {"rows_read", counts.value("rows_read", 0)},
                              {"rows_scored", counts.value("rows_scored", 0)},
                              {"rows_rejected", counts.value("rows_rejected", 0)},
                              {"decisions", counts.value("decisions", nlohmann::json::object())}};
    Transaction tx(db);
    if (auto r = tx.begin(); !r) return r.error();
    auto upd = db.run(
        "UPDATE batch_runs SET status = 'completed', finished_at = ?, input_sha256 = ?, "
        "rows_read = ?, rows_scored = ?, rows_rejected = ?, rows_recorded = ?, decisions = ?, "
        "rows_sha256 = ? WHERE id = ?",
        {QString::fromStdString(utcNow()), QString::fromStdString(*inputHash),
         QVariant::fromValue<qlonglong>(summary["rows_read"].get<std::int64_t>()),
         QVariant::fromValue<qlonglong>(summary["rows_scored"].get<std::int64_t>()),
         QVariant::fromValue<qlonglong>(summary["rows_rejected"].get<std::int64_t>()),
         QVariant::fromValue<qlonglong>(m_rowsRecorded),
         QString::fromStdString(summary["decisions"].dump()), QString::fromStdString(m_rowsSha256),
         QVariant::fromValue<qlonglong>(m_batchId)});
    if (!upd) return upd.error();
    if (auto a = m_store.audit().append(m_by.name, "batch_recorded", summary); !a) return a.error();
    if (auto r = tx.commit(); !r) return r.error();
    m_done = true;
    return summary;
}

void BatchRecorder::fail(const std::string& why) {
    if (m_done) return;
    m_done = true;
    (void)stopWriter();
    if (m_inputHash.valid()) (void)m_inputHash.get();
    Database& db = m_store.database();
    Transaction tx(db);
    if (!tx.begin()) return;
    auto upd = db.run(
        "UPDATE batch_runs SET status = 'failed', finished_at = ?, rows_recorded = ? WHERE id = ?",
        {QString::fromStdString(utcNow()), QVariant::fromValue<qlonglong>(m_rowsRecorded),
         QVariant::fromValue<qlonglong>(m_batchId)});
    if (!upd) return;
    if (!m_store.audit().append(m_by.name, "batch_failed",
                                {{"batch_id", m_batchId},
                                 {"rows_recorded", m_rowsRecorded},
                                 {"reason", why.substr(0, 200)}}))
        return;
    (void)tx.commit();
}

}  // namespace cwb::store
