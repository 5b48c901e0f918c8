#include "scoring/BatchScorer.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <future>
#include <memory>
#include <thread>

#include <nlohmann/json.hpp>

#include "data/AtomicFile.h"
#include "data/CsvReader.h"
#include "data/EncodedData.h"
#include "data/TextUtil.h"
#include "explain/ReasonCodes.h"
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
    }
};

class ChunkProcessor {
public:
    ChunkProcessor(const ModelBundle& bundle, const RowEncoder& encoder, int reasons,
                   const DriftSpec* drift)
        : m_bundle(bundle),
          m_encoder(encoder),
          m_scorer(
              std::shared_ptr<const ModelBundle>(std::shared_ptr<const ModelBundle>(), &bundle)),
          m_reasons(static_cast<std::size_t>(std::max(reasons, 0))),
          m_features(bundle.schema.featureNames()),
          m_drift(drift) {}

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
                        visit(fields,
                              std::string_view(chunk.text.data() + chunk.rawStart[r],
                                               chunk.rawLength[r]),
                              chunk.lines[r], chunk.errors[r]);
                    }
                },
                out);
        });
    }

    // Whole plain lines [text.begin, text.end) of a plain chunk, the first on line firstLine:
    // split here, on the worker, so the reading thread only copies bytes.
    void processPlain(std::string_view text, std::int64_t firstLine, char delimiter,
                      SliceOutput& out) const {
        guarded(out, [&] {
            run(
                [&](auto&& visit) {
                    CsvRecord record;
                    const std::string noError;
                    std::int64_t line = firstLine;
                    while (!text.empty()) {
                        const std::size_t nl = text.find('\n');
                        const std::string_view current =
                            text.substr(0, nl == std::string_view::npos ? text.size() : nl);
                        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
                        if (parsePlainRecord(current, delimiter, record))
                            visit(record.fields, record.raw, line, noError);
                        ++line;
                    }
                },
                out);
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
    // chunk).
    template <class ForEachRecord>
    void run(ForEachRecord&& forEachRecord, SliceOutput& out) const {
        const std::size_t nf = m_encoder.featureCount();
        std::vector<float>& matrix = out.matrix;
        matrix.clear();
        std::vector<std::string_view> ids;
        RejectedRow reject;
        std::size_t accepted = 0;
        forEachRecord([&](const std::vector<std::string_view>& fields, std::string_view raw,
                          std::int64_t line, const std::string& csvError) {
            ++out.recordsRead;
            matrix.resize((accepted + 1) * nf);
            bool ok;
            if (!csvError.empty()) {
                reject.column.clear();
                reject.reason = csvError;
                ok = false;
            } else {
                ok = m_encoder.encode(fields, matrix.data() + accepted * nf, reject);
            }
            if (!ok) {
                appendRejectLine(out.rejected, line, reject.column, reject.reason, raw);
                ++out.rejectedCount;
                return;
            }
            if (m_encoder.hasId()) ids.push_back(m_encoder.id(fields));
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
            }
            out.scored.push_back('\n');
            ++out.scoredCount;
        }
    }

    const ModelBundle& m_bundle;
    const RowEncoder& m_encoder;
    Scorer m_scorer;
    std::size_t m_reasons;
    std::vector<std::string> m_features;
    const DriftSpec* m_drift;  // monitoring (issue #6); nullptr = not counted
};

}  // namespace

namespace {

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
    header.push_back('\n');
    if (auto r = output.write(header); !r) return r.error();
    if (options.scoredSink)
        if (auto r = options.scoredSink(header); !r) return r.error();
    if (auto r = rejects.write("line,column,reason,record\n"); !r) return r.error();

    const unsigned threads = options.threads > 0
                                 ? static_cast<unsigned>(options.threads)
                                 : std::max(1u, std::thread::hardware_concurrency());
    const ChunkProcessor processor(bundle, *encoder, options.reasons, options.drift);

    // Double buffering: the reader fills one chunk while the pool scores the other.
    Chunk chunks[2];
    chunks[0].clear();
    chunks[1].clear();
    // Read by the reading thread for progress while the scoring thread adds to it.
    std::atomic<std::size_t> rowsRead{0};
    const char delimiter = (*reader)->dialect().delimiter;
    std::vector<SliceOutput> outs(threads);  // reused chunk after chunk
    const auto scoreChunk = [&](const Chunk& chunk) -> Result<void> {
        std::size_t slices;
        std::vector<std::function<void(SliceOutput&)>> work;
        if (chunk.plain) {
            // Cut the text at line breaks near equal shares; count lines to number the next.
            const std::string_view text = chunk.plainText;
            slices = std::min<std::size_t>(threads, std::max<std::size_t>(1, text.size() / 16384));
            std::size_t from = 0;
            std::int64_t line = chunk.firstLine;
            for (std::size_t s = 0; s < slices; ++s) {
                std::size_t to = text.size();
                if (s + 1 < slices) {
                    const std::size_t nl =
                        text.find('\n', std::max(from, text.size() * (s + 1) / slices));
                    to = nl == std::string_view::npos ? text.size() : nl + 1;
                }
                const std::string_view piece = text.substr(from, to - from);
                work.emplace_back([&processor, piece, line, delimiter](SliceOutput& out) {
                    processor.processPlain(piece, line, delimiter, out);
                });
                line += std::count(piece.begin(), piece.end(), '\n');
                from = to;
            }
        } else {
            const std::size_t n = chunk.size();
            slices = std::min<std::size_t>(threads, std::max<std::size_t>(1, n / 256));
            for (std::size_t s = 0; s < slices; ++s)
                work.emplace_back([&processor, &chunk, s, n, slices](SliceOutput& out) {
                    processor.process(chunk, n * s / slices, n * (s + 1) / slices, out);
                });
        }
        for (std::size_t s = 0; s < slices; ++s)
            outs[s].reset();
        std::vector<std::jthread> pool;  // joined on every way out, a throwing emplace too
        for (std::size_t s = 1; s < slices; ++s)
            pool.emplace_back([&, s] { work[s](outs[s]); });
        work[0](outs[0]);
        pool.clear();
        for (std::size_t s = 0; s < slices; ++s) {
            const SliceOutput& o = outs[s];
            if (!o.failure.empty()) return Error::failure("scoring failed: " + o.failure);
            if (auto r = output.write(o.scored); !r) return r;
            if (options.scoredSink && !o.scored.empty())
                if (auto r = options.scoredSink(o.scored); !r) return r;
            if (auto r = rejects.write(o.rejected); !r) return r;
            rowsRead += o.recordsRead;
            summary.rowsScored += o.scoredCount;
            summary.rowsRejected += o.rejectedCount;
            summary.decisions["approve"] += o.decisions[0];
            summary.decisions["refer"] += o.decisions[1];
            summary.decisions["decline"] += o.decisions[2];
            summary.drift.merge(o.drift);  // monitoring (issue #6)
        }
        return {};
    };
    // Declared after everything the scoring task uses (chunks, outs, the files, summary), so on
    // every early return its destructor waits for the task before those die.
    std::future<Result<void>> pending;

    // Plain lines (no quotes) go to the workers as text, to be split there; a stretch with
    // quotes is split here record by record, where quoted line breaks can be followed.
    CsvRecord record;
    int current = 0;
    bool more = true;
    while (more) {
        Chunk& chunk = chunks[current];
        chunk.clear();
        auto plain = (*reader)->nextPlainLines(chunk.plainText, chunk.firstLine, options.chunkRows);
        if (!plain) return plain.error();
        if (*plain == CsvReader::PlainLines::Read) {
            chunk.plain = true;
        } else if (*plain == CsvReader::PlainLines::End) {
            more = false;
        } else {
            while (chunk.size() < options.chunkRows && chunk.text.size() < options.chunkBytes) {
                auto next = (*reader)->next(record);
                if (!next) return next.error();
                if (!*next) {
                    more = false;
                    break;
                }
                chunk.add(record);
            }
        }
        if (pending.valid())
            if (auto r = pending.get(); !r) return r.error();
        if (options.rowsDone) options.rowsDone->store(rowsRead.load(), std::memory_order_relaxed);
        if (progress) {
            if (progress->isCanceled()) return Error::failure("cancelled");
            const double size =
                static_cast<double>(std::max<std::uint64_t>(1, (*reader)->fileSize()));
            progress->report(
                std::min(1.0, static_cast<double>((*reader)->bytesConsumed()) / size) * 0.999,
                std::to_string(rowsRead.load()) + " rows read");
        }
        if (chunk.plain || chunk.size() > 0)
            pending =
                std::async(std::launch::async, [&scoreChunk, &chunk] { return scoreChunk(chunk); });
        current ^= 1;
    }
    if (pending.valid())
        if (auto r = pending.get(); !r) return r.error();
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
    // run (workers report theirs through SliceOutput::failure, the scoring task through its
    // future) becomes an error; the temporaries are gone by the time it is returned.
    try {
        return scoreFileOrThrow(bundle, options, progress);
    } catch (const std::bad_alloc&) {
        return Error::failure("scoring '" + options.input + "' ran out of memory");
    } catch (const std::exception& e) {
        return Error::failure("scoring '" + options.input + "' failed: " + e.what());
    }
}

}  // namespace cwb
