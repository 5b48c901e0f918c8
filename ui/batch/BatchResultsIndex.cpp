#include "ui/batch/BatchResultsIndex.h"

#include <QFile>
#include <QHash>
#include <QSaveFile>

#include <algorithm>
#include <charconv>
#include <numeric>

namespace cwb::ui {

namespace {

// Field boundaries of one record inside a mapped file; quoted fields keep their quotes and are
// unquoted only when their text is needed.
void splitFields(const char* begin, const char* end, std::vector<std::string_view>& fields) {
    fields.clear();
    const char* start = begin;
    bool quoted = false;
    for (const char* p = begin; p < end; ++p) {
        if (*p == '"')
            quoted = !quoted;
        else if (*p == ',' && !quoted) {
            fields.emplace_back(start, static_cast<std::size_t>(p - start));
            start = p + 1;
        }
    }
    fields.emplace_back(start, static_cast<std::size_t>(end - start));
}

QByteArray unquote(std::string_view field) {
    if (field.size() < 2 || field.front() != '"' || field.back() != '"')
        return QByteArray(field.data(), static_cast<qsizetype>(field.size()));
    QByteArray out;
    out.reserve(static_cast<qsizetype>(field.size()));
    for (std::size_t i = 1; i + 1 < field.size(); ++i) {
        out.append(field[i]);
        if (field[i] == '"' && i + 2 < field.size() && field[i + 1] == '"') ++i;
    }
    return out;
}

// End of the record starting at p: the first line break outside quotes (or end).
const char* recordEnd(const char* p, const char* end) {
    bool quoted = false;
    for (; p < end; ++p) {
        if (*p == '"')
            quoted = !quoted;
        else if (*p == '\n' && !quoted)
            return p;
    }
    return end;
}

const char* trimLineEnd(const char* begin, const char* end) {
    while (end > begin && (end[-1] == '\r' || end[-1] == '\n'))
        --end;
    return end;
}

int decisionCode(std::string_view text) {
    if (text == "approve") return static_cast<int>(Decision::Approve);
    if (text == "refer") return static_cast<int>(Decision::Refer);
    if (text == "decline") return static_cast<int>(Decision::Decline);
    return -1;
}

}  // namespace

QStringList splitCsvRecord(const QByteArray& record) {
    std::vector<std::string_view> fields;
    splitFields(record.constData(), record.constData() + record.size(), fields);
    QStringList out;
    out.reserve(static_cast<qsizetype>(fields.size()));
    for (std::string_view f : fields)
        out << QString::fromUtf8(unquote(f));
    return out;
}

Result<BatchResultsIndex> indexResultsFile(const QString& path, ProgressToken* progress) {
    const std::string name = path.toStdString();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return Error::badInput("cannot read '" + name + "'");
    if (file.size() == 0) return Error::badInput("'" + name + "' is empty");
    // Mapping lets one pass find row starts without copying; the OS pages the file in.
    const uchar* mapped = file.map(0, file.size());
    if (!mapped) return Error::failure("cannot map '" + name + "' into memory");
    const char* const base = reinterpret_cast<const char*>(mapped);
    const char* const end = base + file.size();

    BatchResultsIndex index;
    index.path = path;
    const char* headerEnd = recordEnd(base, end);
    index.header = splitCsvRecord(QByteArray(base, trimLineEnd(base, headerEnd) - base));
    // reason_K_text columns, by K; matched to reason_K below.
    QHash<QString, int> reasonTextColumn;
    for (int c = 0; c < index.header.size(); ++c) {
        const QString& h = index.header[c];
        if (h == "pd")
            index.pdColumn = c;
        else if (h == "score")
            index.scoreColumn = c;
        else if (h == "decision")
            index.decisionColumn = c;
        else if (h.startsWith("reason_") && h.endsWith("_text"))
            reasonTextColumn.insert(h.chopped(5), c);
        else if (h.startsWith("reason_"))
            index.reasonColumns.push_back(c);
        else if (c == 0)
            index.idColumn = 0;  // the scorer writes the id column first
    }
    for (int c : index.reasonColumns)
        index.reasonTextColumns.push_back(reasonTextColumn.value(index.header[c], -1));
    if (index.pdColumn < 0 || index.scoreColumn < 0 || index.decisionColumn < 0)
        return Error::badInput("'" + name +
                               "' is not a score output file: it needs pd, score and decision "
                               "columns");
    index.reasonCodes.resize(index.reasonColumns.size());
    index.idStart.push_back(0);
    QHash<QByteArray, std::uint16_t> reasonCode;
    std::vector<std::string_view> fields;
    const int expected = static_cast<int>(index.header.size());
    std::int64_t line = 1;
    for (const char* p = headerEnd < end ? headerEnd + 1 : end; p < end;) {
        const char* recEnd = recordEnd(p, end);
        const char* contentEnd = trimLineEnd(p, recEnd);
        ++line;
        if (contentEnd > p) {
            splitFields(p, contentEnd, fields);
            if (static_cast<int>(fields.size()) != expected)
                return Error::badInput(name + " line " + std::to_string(line) + ": expected " +
                                       std::to_string(expected) + " fields, found " +
                                       std::to_string(fields.size()));
            float pd = 0;
            std::int32_t score = 0;
            const auto pdField = fields[static_cast<std::size_t>(index.pdColumn)];
            const auto scoreField = fields[static_cast<std::size_t>(index.scoreColumn)];
            const int decision =
                decisionCode(fields[static_cast<std::size_t>(index.decisionColumn)]);
            if (std::from_chars(pdField.data(), pdField.data() + pdField.size(), pd).ec !=
                    std::errc() ||
                std::from_chars(scoreField.data(), scoreField.data() + scoreField.size(), score)
                        .ec != std::errc() ||
                decision < 0)
                return Error::badInput(name + " line " + std::to_string(line) +
                                       ": pd, score or decision is not readable");
            index.offsets.push_back(p - base);
            index.pd.push_back(pd);
            index.score.push_back(score);
            index.decision.push_back(static_cast<std::uint8_t>(decision));
            if (index.idColumn >= 0) index.ids.append(unquote(fields[0]));
            index.idStart.push_back(static_cast<std::uint32_t>(index.ids.size()));
            for (std::size_t k = 0; k < index.reasonColumns.size(); ++k) {
                const QByteArray text =
                    unquote(fields[static_cast<std::size_t>(index.reasonColumns[k])]);
                auto it = reasonCode.find(text);
                if (it == reasonCode.end()) {
                    it = reasonCode.insert(text, static_cast<std::uint16_t>(reasonCode.size()));
                    index.reasonDictionary << QString::fromUtf8(text);
                }
                index.reasonCodes[k].push_back(it.value());
            }
            if (progress && index.pd.size() % 65536 == 0) {
                if (progress->isCanceled()) return Error::failure("cancelled");
                progress->report(static_cast<double>(p - base) / static_cast<double>(end - base),
                                 std::to_string(index.pd.size()) + " rows indexed");
            }
        }
        p = recEnd < end ? recEnd + 1 : end;
    }
    index.offsets.push_back(end - base);
    return index;
}

std::vector<std::uint32_t> computeViewOrder(const BatchResultsIndex& index,
                                            const ResultsViewSpec& spec) {
    std::vector<std::uint32_t> order;
    order.reserve(index.rows());
    for (std::uint32_t r = 0; r < index.rows(); ++r)
        if (spec.accepts(index.score[r], index.decision[r])) order.push_back(r);

    const int c = spec.sortColumn;
    auto sortBy = [&](auto key) {
        if (spec.descending)
            std::stable_sort(order.begin(), order.end(),
                             [&](std::uint32_t a, std::uint32_t b) { return key(b) < key(a); });
        else
            std::stable_sort(order.begin(), order.end(),
                             [&](std::uint32_t a, std::uint32_t b) { return key(a) < key(b); });
    };
    if (c < 0) {
        if (spec.descending) std::reverse(order.begin(), order.end());
    } else if (c == index.pdColumn) {
        sortBy([&](std::uint32_t r) { return index.pd[r]; });
    } else if (c == index.scoreColumn) {
        sortBy([&](std::uint32_t r) { return index.score[r]; });
    } else if (c == index.decisionColumn) {
        sortBy([&](std::uint32_t r) { return index.decision[r]; });
    } else if (c == index.idColumn) {
        sortBy([&](std::uint32_t r) {
            return std::string_view(index.ids.constData() + index.idStart[r],
                                    index.idStart[r + 1] - index.idStart[r]);
        });
    } else {
        const auto k = std::find(index.reasonColumns.begin(), index.reasonColumns.end(), c);
        if (k == index.reasonColumns.end()) return order;
        // Rank the distinct reason texts once, then sort rows by rank.
        std::vector<std::uint16_t> byText(static_cast<std::size_t>(index.reasonDictionary.size()));
        std::iota(byText.begin(), byText.end(), std::uint16_t{0});
        std::sort(byText.begin(), byText.end(), [&](std::uint16_t a, std::uint16_t b) {
            return index.reasonDictionary[a] < index.reasonDictionary[b];
        });
        std::vector<std::uint16_t> rank(byText.size());
        for (std::size_t i = 0; i < byText.size(); ++i)
            rank[byText[i]] = static_cast<std::uint16_t>(i);
        const auto& codes =
            index.reasonCodes[static_cast<std::size_t>(k - index.reasonColumns.begin())];
        sortBy([&](std::uint32_t r) { return rank[codes[r]]; });
    }
    return order;
}

Result<void> exportRows(const BatchResultsIndex& index, const std::vector<std::uint32_t>& rows,
                        const QString& path, ProgressToken* progress) {
    const std::string name = path.toStdString();
    QFile source(index.path);
    if (!source.open(QIODevice::ReadOnly))
        return Error::badInput("cannot read '" + index.path.toStdString() + "'");
    const uchar* mapped = source.size() > 0 ? source.map(0, source.size()) : nullptr;
    if (!mapped) return Error::failure("cannot map '" + index.path.toStdString() + "'");
    const char* base = reinterpret_cast<const char*>(mapped);
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly)) return Error::badInput("cannot write '" + name + "'");
    const char* headerEnd = recordEnd(base, base + source.size());
    out.write(base, trimLineEnd(base, headerEnd) - base);
    out.write("\n", 1);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::uint32_t r = rows[i];
        const char* begin = base + index.offsets[r];
        const char* finish = trimLineEnd(begin, base + index.offsets[r + 1]);
        out.write(begin, finish - begin);
        out.write("\n", 1);
        if (progress && i % 65536 == 0) {
            if (progress->isCanceled()) {
                out.cancelWriting();
                return Error::failure("cancelled");
            }
            progress->report(static_cast<double>(i) / static_cast<double>(rows.size()),
                             std::to_string(i) + " rows written");
        }
    }
    if (!out.commit()) return Error::failure("cannot write '" + name + "' (disk full?)");
    return {};
}

}  // namespace cwb::ui
