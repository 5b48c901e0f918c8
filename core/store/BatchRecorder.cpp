#include "store/BatchRecorder.h"

#include <sodium.h>
#include <QFileInfo>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/Hash.h"
#include "common/Sqlite.h"
#include "data/CsvParse.h"
#include "store/Pseudonym.h"
#include "store/Store.h"

namespace cwb::store {

namespace {

constexpr std::size_t kMaxQueuedPieces = 4;

// How many fields of each scored line are recorded, given the output's header line: all but
// the trailing reason_K_text columns of `cwb score --reason-text` (decision 50), so the store
// keeps "pseudonym,pd,score,decision,reason_1,...", which `applicant show` reads back. 0 when
// nothing is left out (or the header cannot be read: then every line is kept as written).
std::size_t recordedFieldCount(const std::string& header) {
    std::vector<char> scratch;
    CsvRecord record;
    const csv::Parsed parsed =
        csv::parseRecord(header.data(), header.data() + header.size(), true, ',', scratch, record);
    if (parsed.outcome != csv::Outcome::Complete) return 0;
    std::size_t keep = record.fields.size();
    const auto isText = [](std::string_view field) {
        return field.size() > 12 && field.substr(0, 7) == "reason_" &&
               field.substr(field.size() - 5) == "_text";
    };
    while (keep > 0 && isText(record.fields[keep - 1]))
        --keep;
    return keep == record.fields.size() ? 0 : keep;
}

// Where the field number `index` of the line at [at, end) begins, less its separator: the end
// of the fields before it. end when the line has no such field.
std::size_t endOfFields(const std::string& text, std::size_t at, std::size_t end,
                        std::size_t index) {
    bool quoted = false;
    std::size_t field = 0;
    for (std::size_t i = at; i < end; ++i) {
        const char c = text[i];
        if (c == '"') {
            quoted = !quoted;  // an escaped quote ("") toggles twice
        } else if (c == ',' && !quoted && ++field == index) {
            return i;
        } else if (c == '\n' && !quoted) {
            break;
        }
    }
    return end;
}

// Where the writer thread puts the pieces. SQLite: the C API, one commit per piece, so that a
// run killed half way keeps what it wrote (decision 29). PostgreSQL: QtSql on a connection of
// the writer's own, all pieces in one transaction committed only when the run completes, so a
// lost connection or a cancelled run leaves no half-recorded batch (the server rolls it back).
class PieceSink {
public:
    static Result<std::unique_ptr<PieceSink>> open(const Database& main,
                                                   const std::string& sqlitePath);
    virtual ~PieceSink() = default;
    virtual Result<void> insert(std::int64_t batchId, std::int64_t firstRow, std::int64_t rows,
                                const std::string& lines) = 0;
    // `keep`: the run completed (PostgreSQL commits; otherwise rolls back).
    virtual Result<void> close(bool keep) = 0;
};

class SqlitePieceSink : public PieceSink {
public:
    explicit SqlitePieceSink(SqliteDatabase db) : m_db(std::move(db)) {}
    Result<void> prepare() {
        for (const char* pragma : {"PRAGMA busy_timeout = 10000", "PRAGMA foreign_keys = ON",
                                   "PRAGMA secure_delete = ON", "PRAGMA synchronous = NORMAL"})
            if (auto r = m_db.exec(pragma); !r) return r.error();
        auto insert = m_db.prepare(
            "INSERT INTO batch_results (batch_id, first_row, row_count, lines) VALUES (?, ?, ?, "
            "?)");
        if (!insert) return insert.error();
        m_insert.emplace(std::move(*insert));
        return {};
    }
    Result<void> insert(std::int64_t batchId, std::int64_t firstRow, std::int64_t rows,
                        const std::string& lines) override {
        auto r = m_insert->bind(1, batchId);
        if (r) r = m_insert->bind(2, firstRow);
        if (r) r = m_insert->bind(3, rows);
        if (r) r = m_insert->bind(4, lines);
        if (r) {
            auto stepped = m_insert->step();
            if (!stepped) r = stepped.error();
        }
        if (r) r = m_insert->reset();
        return r;
    }
    Result<void> close(bool) override { return {}; }

private:
    SqliteDatabase m_db;
    std::optional<SqliteStatement> m_insert;
};

class PostgresPieceSink : public PieceSink {
public:
    explicit PostgresPieceSink(std::unique_ptr<Database> db) : m_db(std::move(db)) {}
    Result<void> prepare() {
        // Bulk rows neither read nor extend the audit chain: no store-wide write lock.
        return m_db->begin(false);
    }
    Result<void> insert(std::int64_t batchId, std::int64_t firstRow, std::int64_t rows,
                        const std::string& lines) override {
        auto r = m_db->run(
            "INSERT INTO batch_results (batch_id, first_row, row_count, lines) VALUES (?, ?, ?, "
            "?)",
            {QVariant::fromValue<qlonglong>(batchId), QVariant::fromValue<qlonglong>(firstRow),
             QVariant::fromValue<qlonglong>(rows), QString::fromStdString(lines)});
        if (!r) return r.error();
        return {};
    }
    Result<void> close(bool keep) override {
        if (!keep) {
            m_db->rollback();
            return {};
        }
        return m_db->commit();
    }

private:
    std::unique_ptr<Database> m_db;
};

Result<std::unique_ptr<PieceSink>> PieceSink::open(const Database& main,
                                                   const std::string& sqlitePath) {
    if (main.dialect() == Dialect::Postgres) {
        auto db = main.connectAgain();
        if (!db) return db.error();
        auto sink = std::make_unique<PostgresPieceSink>(std::move(*db));
        if (auto r = sink->prepare(); !r) return r.error();
        return std::unique_ptr<PieceSink>(std::move(sink));
    }
    auto db = SqliteDatabase::open(sqlitePath, SqliteDatabase::Mode::ReadWriteCreate);
    if (!db) return db.error();
    auto sink = std::make_unique<SqlitePieceSink>(std::move(*db));
    if (auto r = sink->prepare(); !r) return r.error();
    return std::unique_ptr<PieceSink>(std::move(sink));
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
    // Its own connection: the QtSql connection belongs to the thread that made it.
    auto sink = PieceSink::open(m_store.database(), m_dbPath);
    if (!sink) return failWith(sink.error().message);
    const Pseudonymizer pseudonym(m_pseudonymKey);
    crypto_generichash_state hash;
    crypto_generichash_init(&hash, nullptr, 0, crypto_generichash_BYTES);
    bool header = true;
    bool hasId = false;
    std::size_t keepFields = 0;  // > 0: record only this many fields of each line
    std::string lines;
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
            keepFields = recordedFieldCount(piece);
            header = false;
            continue;
        }
        // Each line as scored, its first field (the applicant id, quoted when it has to be)
        // replaced by the pseudonym.
        const std::int64_t firstRow = row + 1;
        lines.clear();
        lines.reserve(piece.size() + piece.size() / 4);
        std::size_t at = 0;
        while (at < piece.size()) {
            std::size_t end = piece.find('\n', at);
            end = end == std::string::npos ? piece.size() : end + 1;
            // What is recorded of the line: [at, stop), then a line ending when the reason
            // texts were left out (they were the line's end).
            const std::size_t stop = keepFields > 0 ? endOfFields(piece, at, end, keepFields) : end;
            const bool cut = stop < end;
            if (hasId) {
                std::size_t comma;
                std::string id;
                if (piece[at] == '"') {
                    std::size_t i = at + 1;
                    for (; i < end; ++i) {
                        if (piece[i] != '"') {
                            id.push_back(piece[i]);
                        } else if (i + 1 < end && piece[i + 1] == '"') {
                            id.push_back('"');
                            ++i;
                        } else {
                            break;
                        }
                    }
                    comma = i + 1;
                } else {
                    comma = piece.find(',', at);
                    id.assign(piece, at, comma - at);
                }
                if (comma >= stop || piece[comma] != ',')
                    return failWith("a scored line could not be read back");
                if (!id.empty()) lines += pseudonym(id);
                lines.append(piece, comma, stop - comma);
            } else {
                lines.append(piece, at, stop - at);
            }
            if (cut) lines.push_back('\n');
            ++row;
            at = end;
        }
        crypto_generichash_update(&hash, reinterpret_cast<const unsigned char*>(lines.data()),
                                  lines.size());
        if (auto r = (*sink)->insert(m_batchId, firstRow, row - firstRow + 1, lines); !r)
            return failWith(r.error().message);
        m_rowsRecorded = row;
    }
    bool keep = false;
    {
        std::lock_guard lock(m_mutex);
        keep = m_keepRows;
    }
    if (auto r = (*sink)->close(keep); !r) return failWith(r.error().message);
    unsigned char digest[crypto_generichash_BYTES];
    crypto_generichash_final(&hash, digest, sizeof digest);
    char hex[sizeof digest * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    m_resultsHash = hex;
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
    {
        std::lock_guard lock(m_mutex);
        m_keepRows = true;
    }
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
                              {"results_blake2b", m_resultsHash},
                              {"rows_read", counts.value("rows_read", 0)},
                              {"rows_scored", counts.value("rows_scored", 0)},
                              {"rows_rejected", counts.value("rows_rejected", 0)},
                              {"decisions", counts.value("decisions", nlohmann::json::object())}};
    Transaction tx(db);
    if (auto r = tx.begin(); !r) return r.error();
    auto upd = db.run(
        "UPDATE batch_runs SET status = 'completed', finished_at = ?, input_sha256 = ?, "
        "rows_read = ?, rows_scored = ?, rows_rejected = ?, rows_recorded = ?, decisions = ?, "
        "results_blake2b = ? WHERE id = ?",
        {QString::fromStdString(utcNow()), QString::fromStdString(*inputHash),
         QVariant::fromValue<qlonglong>(summary["rows_read"].get<std::int64_t>()),
         QVariant::fromValue<qlonglong>(summary["rows_scored"].get<std::int64_t>()),
         QVariant::fromValue<qlonglong>(summary["rows_rejected"].get<std::int64_t>()),
         QVariant::fromValue<qlonglong>(m_rowsRecorded),
         QString::fromStdString(summary["decisions"].dump()), QString::fromStdString(m_resultsHash),
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
