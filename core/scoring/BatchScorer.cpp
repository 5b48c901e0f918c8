#include "scoring/BatchScorer.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>

#include "data/AtomicFile.h"
#include "data/CsvReader.h"
#include "data/EncodedData.h"
#include "data/TextUtil.h"
#include "explain/ReasonCodes.h"
#include "explain/ReasonTexts.h"
#include "scoring/CsvWriting.h"
#include "scoring/Scorer.h"

namespace cwb {

nlohmann::json BatchSummary::toJson() const {
    return {{"rows_read", rowsRead}, {"rows_scored", rowsScored}, {"rows_rejected", rowsRejected},
            {"seconds", seconds},    {"decisions", decisions},    {"rejects", rejectsPath},
            {"warnings", warnings},  {"encoding", encoding}};
}

namespace {

// Records of one chunk, copied out of the reader's buffer so the reader can go on while the
// chunk is scored.
struct Chunk {
    std::string text;  // field bytes, then raw record bytes
    // 64-bit: a chunk of long quoted records can pass 4 GiB of fields before chunkBytes stops it.
    std::vector<std::uint64_t> fieldStart, fieldLength;
    std::vector<std::uint64_t> firstField;  // per record, index into fieldStart; size n+1
    std::vector<std::uint64_t> rawStart, rawLength;
    std::vector<std::int64_t> lines;
    std::vector<std::string> errors;  // CSV-level error per record (usually empty)
    // Plain mode (CsvReader::nextPlainLines): whole lines without quotes, split into records by
    // the workers; the fields above stay empty.
    bool plain = false;
    std::string plainText;
    std::int64_t firstLine = 0;

    void clear() {
        plain = false;
        plainText.clear();
        text.clear();
        fieldStart.clear();
        fieldLength.clear();
        firstField.assign(1, 0);
        rawStart.clear();
        rawLength.clear();
        lines.clear();
        errors.clear();
    }
    std::size_t size() const { return lines.size(); }
    void add(const CsvRecord& record) {
        for (std::string_view f : record.fields) {
            fieldStart.push_back(text.size());
            fieldLength.push_back(f.size());
            text.append(f);
        }
        firstField.push_back(fieldStart.size());
        rawStart.push_back(text.size());
        rawLength.push_back(record.raw.size());
        text.append(record.raw);
        lines.push_back(record.lineNumber);
        errors.push_back(record.error);
    }
};

struct SliceOutput {
    std::string scored;    // output CSV lines
    std::string rejected;  // rejects CSV lines
    std::size_t scoredCount = 0;
    std::size_t rejectedCount = 0;
    std::size_t recordsRead = 0;  // scored + rejected, blank lines not counted
    std::size_t decisions[3] = {0, 0, 0};
    DriftCounts drift;    // monitoring (issue #6): this slice's score/feature histograms
    std::string failure;  // a broken invariant inside the model (exception message)
    // Plain slices (byte blocks) do not know their first line until the slices before them are
    // written: their rejects wait here with line numbers relative to the slice, their count of
    // physical lines moves the writer's line counter, and invalid UTF-8 is reported by the
    // writer with the absolute line.
    struct LineReject {
        std::int64_t line;
        std::string column, reason, raw;
    };
    bool relativeLines = false;
    std::vector<LineReject> pending;
    std::uint64_t lines = 0;
    std::int64_t badUtf8Line = -1;
    unsigned char badUtf8Byte = 0;
    std::int64_t endLine = -1;  // records chunk's last slice: the reader's line after it
    // The slice's encoded rows. Slice outputs live as long as the run, so chunk after chunk
    // reuses this memory and the strings' instead of asking the system for fresh pages.
    std::vector<float> matrix;

    void reset() {
        scored.clear();
        rejected.clear();
        scoredCount = rejectedCount = recordsRead = 0;
        decisions[0] = decisions[1] = decisions[2] = 0;
        drift = DriftCounts();
        failure.clear();
        relativeLines = false;
        pending.clear();
        lines = 0;
        badUtf8Line = -1;
        badUtf8Byte = 0;
        endLine = -1;
    }
};

class ChunkProcessor {
public:
    ChunkProcessor(const ModelBundle& bundle, const RowEncoder& encoder, int reasons,
                   bool reasonTexts, const DriftSpec* drift)
        : m_bundle(bundle),
          m_encoder(encoder),
          m_scorer(
              std::shared_ptr<const ModelBundle>(std::shared_ptr<const ModelBundle>(), &bundle)),
          m_reasons(static_cast<std::size_t>(std::max(reasons, 0))),
          m_reasonTexts(reasonTexts && m_reasons > 0),
          m_features(bundle.schema.featureNames()),
          m_drift(drift) {
        if (!m_reasonTexts) return;
        // Looked up once per characteristic, so each row costs one valueText call per reason.
        for (const std::string& feature : m_features) {
            FeatureTexts t;
            t.fallback = bundle.reasonText(feature);
            t.spec = bundle.schema.find(feature);
            if (auto it = bundle.reasonValueTexts.find(feature);
                it != bundle.reasonValueTexts.end())
                t.values = &it->second;
            m_texts.push_back(std::move(t));
        }
    }

    // Records begin..end of a chunk the reader split.
    void process(const Chunk& chunk, std::size_t begin, std::size_t end, SliceOutput& out) const {
        guarded(out, [&] {
            run(
                [&](auto&& visit) {
                    std::vector<std::string_view> fields;
                    for (std::size_t r = begin; r < end; ++r) {
                        fields.clear();
                        for (std::uint64_t f = chunk.firstField[r]; f < chunk.firstField[r + 1];
                             ++f)
                            fields.emplace_back(chunk.text.data() + chunk.fieldStart[f],
                                                chunk.fieldLength[f]);
                        visit(&fields,
                              std::string_view(chunk.text.data() + chunk.rawStart[r],
                                               chunk.rawLength[r]),
                              chunk.lines[r], chunk.errors[r]);
                    }
                },
                ',', out);
        });
    }

    // Whole plain lines of a byte block (no quotes), numbered from 0: checked as UTF-8 and split
    // here, on the worker, so the reading thread only copies bytes.
    void processPlain(std::string_view text, char delimiter, bool checkUtf8,
                      SliceOutput& out) const {
        out.relativeLines = true;
        if (checkUtf8) {
            bool invalid = false;
            const std::size_t valid = validUtf8Prefix(text.data(), text.size(), true, invalid);
            if (invalid) {
                out.badUtf8Line = std::count(text.begin(), text.begin() + valid, '\n');
                out.badUtf8Byte = static_cast<unsigned char>(text[valid]);
                return;
            }
        }
        guarded(out, [&] {
            run(
                [&](auto&& visit) {
                    const std::string noError;
                    std::int64_t line = 0;
                    while (!text.empty()) {
                        const std::size_t nl = text.find('\n');
                        const std::string_view current =
                            text.substr(0, nl == std::string_view::npos ? text.size() : nl);
                        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
                        visit(nullptr, current, line, noError);  // split by run() if need be
                        ++line;
                    }
                    out.lines = static_cast<std::uint64_t>(line);
                },
                delimiter, out);
        });
    }

private:
    template <class Work>
    static void guarded(SliceOutput& out, Work&& work) {
        try {
            work();
        } catch (const std::exception& e) {
            out.failure = e.what();
        } catch (...) {
            out.failure = "unknown exception";
        }
    }

    // forEachRecord(visit) calls visit(fields, raw, line, csvError) for each record of the
    // slice, in order; the views must stay valid until the slice is done (they point into the
    // chunk). fields == nullptr: raw is an unquoted line (delimiter between its fields, maybe
    // blank, maybe ending in CR) that run() encodes straight from its bytes where it can
    // (RowEncoder::encodePlainLine) and splits otherwise.
    template <class ForEachRecord>
    void run(ForEachRecord&& forEachRecord, char delimiter, SliceOutput& out) const {
        const std::size_t nf = m_encoder.featureCount();
        std::vector<float>& matrix = out.matrix;
        matrix.clear();
        std::vector<std::string_view> ids;
        RejectedRow reject;
        CsvRecord split;
        std::size_t accepted = 0;
        forEachRecord([&](const std::vector<std::string_view>* fields, std::string_view raw,
                          std::int64_t line, const std::string& csvError) {
            matrix.resize((accepted + 1) * nf);
            float* const row = matrix.data() + accepted * nf;
            if (!fields) {
                std::string_view content = raw;
                if (!content.empty() && content.back() == '\r') content.remove_suffix(1);
                std::string_view id;
                if (m_encoder.encodePlainLine(content, delimiter, row, id)) {
                    ++out.recordsRead;
                    if (m_encoder.hasId()) ids.push_back(id);
                    ++accepted;
                    return;
                }
                if (!parsePlainRecord(raw, delimiter, split)) return;  // a blank line
                fields = &split.fields;
                raw = split.raw;
            }
            ++out.recordsRead;
            bool ok;
            if (!csvError.empty()) {
                reject.column.clear();
                reject.reason = csvError;
                ok = false;
            } else {
                ok = m_encoder.encode(*fields, row, reject);
            }
            if (!ok) {
                if (out.relativeLines)
                    out.pending.push_back({line, reject.column, reject.reason, std::string(raw)});
                else
                    appendRejectLine(out.rejected, line, reject.column, reject.reason, raw);
                ++out.rejectedCount;
                return;
            }
            if (m_encoder.hasId()) ids.push_back(m_encoder.id(*fields));
            ++accepted;
        });
        const std::size_t n = accepted;
        if (n == 0) return;
        if (m_drift) out.drift = m_drift->makeCounts();  // monitoring: once per slice
        std::vector<double> margins(n);
        m_bundle.model->predictMargin(matrix.data(), n, margins.data());
        std::vector<double> contributions;
        std::vector<double> base;
        if (m_reasons > 0) {
            contributions.resize(n * nf);
            base.resize(n);
            m_bundle.model->contributions(matrix.data(), n, contributions.data(), base.data());
        }
        std::vector<std::size_t> top(m_reasons);
        char number[64];
        out.scored.reserve(n * (40 + 16 * m_reasons));
        for (std::size_t i = 0; i < n; ++i) {
            if (m_encoder.hasId()) {
                text::appendCsvTextField(out.scored, ids[i]);
                out.scored.push_back(',');
            }
            const ScoreResult s = m_scorer.fromMargin(margins[i]);
            auto res = std::to_chars(number, number + sizeof number, s.pd);
            out.scored.append(number, res.ptr);
            out.scored.push_back(',');
            res = std::to_chars(number, number + sizeof number, s.score);
            out.scored.append(number, res.ptr);
            out.scored.push_back(',');
            out.scored.append(toString(s.decision));
            ++out.decisions[static_cast<int>(s.decision)];
            if (m_drift) m_drift->count(out.drift, matrix.data() + i * nf, s.points);
            if (m_reasons > 0) {
                const std::size_t found =
                    topReasonIndices(contributions.data() + i * nf, nf, m_reasons, top.data());
                for (std::size_t k = 0; k < m_reasons; ++k) {
                    out.scored.push_back(',');
                    if (k < found) text::appendCsvTextField(out.scored, m_features[top[k]]);
                }
                for (std::size_t k = 0; m_reasonTexts && k < m_reasons; ++k) {
                    out.scored.push_back(',');
                    if (k < found)
                        text::appendCsvTextField(out.scored,
                                                 reasonText(top[k], matrix[i * nf + top[k]]));
                }
            }
            out.scored.push_back('\n');
            ++out.scoredCount;
        }
    }

    // The reason text of characteristic j for the value the model saw (ModelBundle::reasonText).
    const std::string& reasonText(std::size_t j, float encoded) const {
        const FeatureTexts& t = m_texts[j];
        if (t.spec && t.values)
            if (const std::string* text = valueText(*t.spec, *t.values, encoded)) return *text;
        return t.fallback;
    }

    struct FeatureTexts {
        std::string fallback;                // the characteristic's text
        const ColumnSpec* spec = nullptr;    // in the bundle's schema
        const ValueTexts* values = nullptr;  // its level and range texts; nullptr = none
    };

    const ModelBundle& m_bundle;
    const RowEncoder& m_encoder;
    Scorer m_scorer;
    std::size_t m_reasons;
    bool m_reasonTexts;
    std::vector<std::string> m_features;
    std::vector<FeatureTexts> m_texts;  // per feature, when m_reasonTexts
    const DriftSpec* m_drift;           // monitoring (issue #6); nullptr = not counted
};

}  // namespace

namespace {

// The unit the reader hands over: a byte block of plain lines or a chunk of parsed records.
struct Block {
    Chunk chunk;
    std::size_t slicesLeft = 0;  // guarded by the pipeline's mutex
    std::int64_t endLine = -1;   // records chunk: the reader's line after it
};

// Scores blocks on `threads` workers and writes their slices in input order. Whichever worker
// finishes the slice that is next in order writes it and every later one that is ready, so
// writing moves between the workers instead of holding one thread; the reader only copies
// bytes into blocks. Memory is bounded: a fixed number of blocks, and the reader waits while
// too many slices are scored but not yet written.
class Pipeline {
public:
    struct Sinks {
        AtomicFile& output;
        AtomicFile& rejects;
        BatchSummary& summary;
        std::atomic<std::size_t>& rowsRead;
        const std::string& path;
        // BatchOptions::scoredSink: called in order, by one worker at a time.
        const std::function<Result<void>(std::string_view)>& scoredSink;
        // Checked by the workers before each slice, so a cancel (the GUI's button, the command
        // line's signals: any thread) stops the run within a slice, not when the reader looks.
        const ProgressToken* cancel;
    };

    Pipeline(const ChunkProcessor& processor, unsigned threads, char delimiter, bool checkUtf8,
             std::int64_t firstLine, Sinks sinks)
        : m_processor(processor),
          m_threads(threads),
          m_delimiter(delimiter),
          m_checkUtf8(checkUtf8),
          m_line(firstLine),
          m_sinks(sinks) {
        for (int b = 0; b < 3; ++b) {
            m_blocks.push_back(std::make_unique<Block>());
            m_freeBlocks.push_back(m_blocks.back().get());
        }
        try {
            for (unsigned t = 0; t < threads; ++t)
                m_workers.emplace_back([this] { work(); });
        } catch (...) {
            stop();  // the started workers would otherwise wait for work forever
            throw;
        }
    }
    ~Pipeline() { stop(); }
    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    // A free block (cleared), or nullptr once the run has failed.
    Block* acquire() {
        std::unique_lock lock(m_mutex);
        m_space.wait(lock, [&] {
            return m_stop || (!m_freeBlocks.empty() && m_nextSeq - m_turn <= 4 * m_threads);
        });
        if (m_stop) return nullptr;
        Block* block = m_freeBlocks.back();
        m_freeBlocks.pop_back();
        block->chunk.clear();
        block->endLine = -1;
        return block;
    }
    void release(Block* block) {
        std::lock_guard lock(m_mutex);
        m_freeBlocks.push_back(block);
        m_space.notify_all();
    }

    // Queues the block's slices: byte ranges of a plain block (the workers move each cut to
    // the next line start), record ranges of a records chunk.
    void submit(Block* block) {
        const Chunk& chunk = block->chunk;
        const std::uint64_t size = chunk.plain ? chunk.plainText.size() : chunk.size();
        const std::uint64_t grain = chunk.plain ? 16384 : 256;
        const std::uint64_t slices = std::clamp<std::uint64_t>(size / grain, 1, m_threads);
        std::lock_guard lock(m_mutex);
        block->slicesLeft = slices;
        for (std::uint64_t s = 0; s < slices; ++s)
            m_tasks.push_back(
                {block, size * s / slices, size * (s + 1) / slices, m_nextSeq++, s + 1 == slices});
        m_work.notify_all();
    }

    // Waits until everything submitted is written; the first error of the run, if any.
    Result<void> drain() {
        std::unique_lock lock(m_mutex);
        m_space.wait(lock, [&] { return m_stop || m_turn == m_nextSeq; });
        if (m_error) return *m_error;
        if (m_stop) return Error::failure("cancelled");
        return {};
    }
    // The physical line after everything written (exact after drain()).
    std::int64_t line() {
        std::lock_guard lock(m_mutex);
        return m_line;
    }
    std::optional<Error> error() {
        std::lock_guard lock(m_mutex);
        return m_error;
    }
    void stop() {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_work.notify_all();
        m_space.notify_all();
        m_workers.clear();  // joins
    }

private:
    struct Task {
        Block* block;
        std::uint64_t begin, end;
        std::uint64_t seq;
        bool last;
    };

    void fail(Error error) {  // with m_mutex held
        if (!m_error) m_error = std::move(error);
        m_stop = true;
        m_work.notify_all();
        m_space.notify_all();
    }

    // The exception boundary of a worker: bad_alloc outside the slice's own guard (queues,
    // buffers) fails the run instead of terminating the program.
    void work() {
        try {
            workLoop();
        } catch (const std::exception& e) {
            std::lock_guard lock(m_mutex);
            fail(Error::failure("scoring '" + m_sinks.path + "' failed: " + e.what()));
        }
    }

    void workLoop() {
        for (;;) {
            Task task;
            SliceOutput* out;
            {
                std::unique_lock lock(m_mutex);
                m_work.wait(lock, [&] { return m_stop || !m_tasks.empty(); });
                if (m_stop) return;
                if (m_sinks.cancel && m_sinks.cancel->isCanceled()) {
                    fail(Error::failure("cancelled"));
                    return;
                }
                task = m_tasks.front();
                m_tasks.pop_front();
                if (m_freeOuts.empty()) {
                    m_outs.push_back(std::make_unique<SliceOutput>());
                    m_freeOuts.push_back(m_outs.back().get());
                }
                out = m_freeOuts.back();
                m_freeOuts.pop_back();
            }
            out->reset();
            const Chunk& chunk = task.block->chunk;
            if (chunk.plain) {
                const std::string_view text = chunk.plainText;
                // A slice owns the lines that start in [begin, end).
                const auto lineStart = [&](std::uint64_t p) -> std::size_t {
                    if (p == 0 || p >= text.size()) return std::min<std::size_t>(p, text.size());
                    const std::size_t nl = text.find('\n', p - 1);
                    return nl == std::string_view::npos ? text.size() : nl + 1;
                };
                const std::size_t from = lineStart(task.begin), to = lineStart(task.end);
                m_processor.processPlain(text.substr(from, to - from), m_delimiter, m_checkUtf8,
                                         *out);
            } else {
                m_processor.process(chunk, task.begin, task.end, *out);
                if (task.last) out->endLine = task.block->endLine;
            }
            std::unique_lock lock(m_mutex);
            if (--task.block->slicesLeft == 0) {
                m_freeBlocks.push_back(task.block);
                m_space.notify_all();
            }
            m_ready.emplace(task.seq, out);
            if (m_writing) continue;
            m_writing = true;
            for (auto it = m_ready.find(m_turn); !m_stop && it != m_ready.end();
                 it = m_ready.find(m_turn)) {
                SliceOutput* next = it->second;
                m_ready.erase(it);
                lock.unlock();
                Result<void> written = writeGuarded(*next);
                lock.lock();
                ++m_turn;
                m_freeOuts.push_back(next);
                if (!written) fail(written.error());
            }
            m_writing = false;
            m_space.notify_all();
        }
    }

    Result<void> writeGuarded(SliceOutput& o) {
        try {
            return write(o);
        } catch (const std::bad_alloc&) {
            return Error::failure("scoring '" + m_sinks.path + "' ran out of memory");
        } catch (const std::exception& e) {
            return Error::failure(e.what());
        }
    }

    // Runs on one worker at a time (m_writing), in slice order.
    Result<void> write(SliceOutput& o) {
        if (m_sinks.cancel && m_sinks.cancel->isCanceled()) return Error::failure("cancelled");
        if (!o.failure.empty()) return Error::failure("scoring failed: " + o.failure);
        // m_line is read by line() under the mutex; only the writer changes it.
        std::int64_t line;
        {
            std::lock_guard lock(m_mutex);
            line = m_line;
        }
        if (o.badUtf8Line >= 0) {
            char byte[8];
            std::snprintf(byte, sizeof byte, "0x%02X", o.badUtf8Byte);
            return Error::badInput("'" + m_sinks.path + "': line " +
                                   std::to_string(line + o.badUtf8Line) +
                                   " is not valid UTF-8 (byte " + byte +
                                   "); name the file's encoding (windows-1252 or latin-1, "
                                   "--encoding on the command line) or save it as UTF-8");
        }
        if (auto r = m_sinks.output.write(o.scored); !r) return r;
        if (m_sinks.scoredSink && !o.scored.empty())
            if (auto r = m_sinks.scoredSink(o.scored); !r) return r;
        for (const SliceOutput::LineReject& reject : o.pending)
            appendRejectLine(o.rejected, line + reject.line, reject.column, reject.reason,
                             reject.raw);
        if (auto r = m_sinks.rejects.write(o.rejected); !r) return r;
        BatchSummary& summary = m_sinks.summary;
        m_sinks.rowsRead += o.recordsRead;
        summary.rowsScored += o.scoredCount;
        summary.rowsRejected += o.rejectedCount;
        summary.decisions["approve"] += o.decisions[0];
        summary.decisions["refer"] += o.decisions[1];
        summary.decisions["decline"] += o.decisions[2];
        summary.drift.merge(o.drift);  // monitoring (issue #6)
        std::lock_guard lock(m_mutex);
        if (o.relativeLines)
            m_line += static_cast<std::int64_t>(o.lines);
        else if (o.endLine >= 0)
            m_line = o.endLine;
        return {};
    }

    const ChunkProcessor& m_processor;
    const std::uint64_t m_threads;
    const char m_delimiter;
    const bool m_checkUtf8;

    std::mutex m_mutex;
    std::condition_variable m_work;   // tasks queued or stop
    std::condition_variable m_space;  // a block freed, slices written, or stop
    std::deque<Task> m_tasks;
    std::vector<std::unique_ptr<Block>> m_blocks;
    std::vector<Block*> m_freeBlocks;
    std::vector<std::unique_ptr<SliceOutput>> m_outs;  // reused slice after slice
    std::vector<SliceOutput*> m_freeOuts;
    std::map<std::uint64_t, SliceOutput*> m_ready;  // scored, waiting for their turn
    std::uint64_t m_nextSeq = 0;                    // slices submitted
    std::uint64_t m_turn = 0;                       // slices written
    bool m_writing = false;
    bool m_stop = false;
    std::optional<Error> m_error;
    std::int64_t m_line;
    Sinks m_sinks;
    std::vector<std::jthread> m_workers;  // last: joined before the rest goes
};

Result<BatchSummary> scoreFileOrThrow(const ModelBundle& bundle, const BatchOptions& options,
                                      ProgressToken* progress) {
    const auto started = std::chrono::steady_clock::now();
    auto reader = CsvReader::open(options.input, std::nullopt, options.encoding);
    if (!reader) return reader.error();
    auto encoder = RowEncoder::bind(bundle.schema, (*reader)->header(),
                                    (*reader)->dialect().decimalSeparator, false);
    if (!encoder) return Error::badInput(options.input + ": " + encoder.error().message);

    BatchSummary summary;
    summary.encoding = encodingName((*reader)->dialect().encoding);
    summary.encodingDetected = (*reader)->dialect().encodingDetected;
    if (summary.encodingDetected)
        summary.warnings.push_back("the file is not UTF-8; read as " + summary.encoding);
    const ColumnSpec* idSpec = bundle.schema.idColumn();
    if (idSpec && !encoder->hasId())
        summary.warnings.push_back("the file has no '" + idSpec->name +
                                   "' column; output rows follow input order");

    // Neither output may overwrite the input, the model or the other output.
    const std::string rejectsPath =
        options.rejects.empty() ? options.output + ".rejects.csv" : options.rejects;
    std::vector<ProtectedInput> inputs{{options.input, "the input"},
                                       {options.modelPath, "the model"}};
    auto outputTarget = resolveOutputTarget(options.output, inputs);
    if (!outputTarget) return outputTarget.error();
    inputs.push_back({options.output, "the output"});
    auto rejectsTarget = resolveOutputTarget(rejectsPath, inputs);
    if (!rejectsTarget) return rejectsTarget.error();
    if (*rejectsTarget == *outputTarget)
        return Error::badInput("the rejects file '" + rejectsPath + "' is the output file '" +
                               options.output + "'");
    AtomicFile output(*outputTarget, options.output);
    if (auto r = output.open(); !r) return r.error();
    AtomicFile rejects(*rejectsTarget, rejectsPath);
    if (auto r = rejects.open(); !r) return r.error();

    std::string header;
    if (encoder->hasId()) {
        text::appendCsvTextField(header, idSpec->name);
        header.push_back(',');
    }
    header += "pd,score,decision";
    for (int k = 1; k <= options.reasons; ++k)
        header += ",reason_" + std::to_string(k);
    for (int k = 1; options.reasonTexts && k <= options.reasons; ++k)
        header += ",reason_" + std::to_string(k) + "_text";
    header.push_back('\n');
    if (auto r = output.write(header); !r) return r.error();
    if (options.scoredSink)
        if (auto r = options.scoredSink(header); !r) return r.error();
    if (auto r = rejects.write("line,column,reason,record\n"); !r) return r.error();

    const unsigned threads = options.threads > 0
                                 ? static_cast<unsigned>(options.threads)
                                 : std::max(1u, std::thread::hardware_concurrency());
    const ChunkProcessor processor(bundle, *encoder, options.reasons, options.reasonTexts,
                                   options.drift);
    CsvReader& in = **reader;
    // Read by the reading thread for progress while the writing worker adds to it.
    std::atomic<std::size_t> rowsRead{0};
    // Declared after everything its workers use (the files, summary), so on every early
    // return its destructor stops and joins them before those die.
    Pipeline pipeline(
        processor, threads, in.dialect().delimiter, in.dialect().encoding == TextEncoding::Utf8,
        in.nextLine(),
        {output, rejects, summary, rowsRead, options.input, options.scoredSink, progress});
    const auto reportProgress = [&] {
        if (options.rowsDone) options.rowsDone->store(rowsRead.load(), std::memory_order_relaxed);
        if (!progress) return;
        const double size = static_cast<double>(std::max<std::uint64_t>(1, in.fileSize()));
        progress->report(std::min(1.0, static_cast<double>(in.bytesConsumed()) / size) * 0.999,
                         std::to_string(rowsRead.load()) + " rows read");
    };

    // Lines without quotes go to the workers as bytes, to be checked, split and counted there;
    // a stretch with quotes is parsed here record by record, where quoted line breaks can be
    // followed (the line counter is caught up first, from the lines the workers counted).
    CsvRecord record;
    bool uncounted = false;  // plain blocks went out since the reader's line counter was set
    for (bool more = true; more;) {
        if (progress && progress->isCanceled()) return Error::failure("cancelled");
        Block* block = pipeline.acquire();
        if (!block) break;  // failed: the error comes from drain()
        Chunk& chunk = block->chunk;
        auto plain = in.nextPlainBlock(chunk.plainText, options.blockBytes);
        if (!plain) return plain.error();
        if (*plain == CsvReader::PlainLines::Read) {
            chunk.plain = true;
            pipeline.submit(block);
            uncounted = true;
            reportProgress();
            continue;
        }
        if (*plain == CsvReader::PlainLines::End) {
            pipeline.release(block);
            break;
        }
        if (uncounted) {
            if (auto r = pipeline.drain(); !r) return r.error();
            in.setLine(pipeline.line());
            uncounted = false;
        }
        while (chunk.size() < options.chunkRows && chunk.text.size() < options.chunkBytes) {
            auto next = in.next(record);
            if (!next) return next.error();
            if (!*next) {
                more = false;
                break;
            }
            chunk.add(record);
        }
        block->endLine = in.nextLine();
        if (chunk.size() > 0)
            pipeline.submit(block);
        else
            pipeline.release(block);
        reportProgress();
    }
    if (auto r = pipeline.drain(); !r) return r.error();
    pipeline.stop();
    if (progress && progress->isCanceled()) return Error::failure("cancelled");
    summary.rowsRead = rowsRead.load();

    // Rejects first, output last: both are on disk before either is renamed, and the output's
    // presence marks a finished run.
    const bool keepRejects = summary.rowsRejected > 0 || !options.rejects.empty();
    std::vector<AtomicFile*> commit{&output};
    if (keepRejects) commit.insert(commit.begin(), &rejects);
    if (auto r = AtomicFile::commitTogether(commit); !r) return r.error();
    if (keepRejects) summary.rejectsPath = rejectsPath;
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (options.rowsDone) options.rowsDone->store(summary.rowsRead, std::memory_order_relaxed);
    if (progress) progress->report(1.0, "done", true);
    return summary;
}

}  // namespace

Result<BatchSummary> scoreFile(const ModelBundle& bundle, const BatchOptions& options,
                               ProgressToken* progress) {
    // The exception boundary of the batch: a broken invariant or bad_alloc on any thread of the
    // run (slices report theirs through SliceOutput::failure, the workers' own through the
    // pipeline's error) becomes an error; the temporaries are gone by the time it is returned.
    try {
        return scoreFileOrThrow(bundle, options, progress);
    } catch (const std::bad_alloc&) {
        return Error::failure("scoring '" + options.input + "' ran out of memory");
    } catch (const std::exception& e) {
        return Error::failure("scoring '" + options.input + "' failed: " + e.what());
    }
}

}  // namespace cwb
