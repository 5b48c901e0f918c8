#include "render/PdfRenderer.h"

#include <QFile>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTemporaryFile>
#include <QTextLayout>
#include <QTextOption>

#include <functional>
#include <numeric>

#include "render/ChartPainter.h"

namespace cwb::render {

namespace {

constexpr int kDpi = 300;
constexpr double kUnit = kDpi / 72.0;  // one point in device pixels
constexpr double kMarginMm = 18.0;

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

QFont font(double points, bool bold = false, bool italic = false) {
    QFont f("DejaVu Sans", 1);
    f.setPointSizeF(points);
    f.setBold(bold);
    f.setItalic(italic);
    // No ligatures: a reader who copies a hash, a pseudonym or an id out of the PDF must get
    // the letters ("ff", "fi"), not one ligature glyph that no search or comparison matches.
    f.setStyleStrategy(QFont::PreferNoShaping);
    return f;
}

// Lays blocks out top to bottom into pages of drawing operations; painting happens once the
// page count is known, so every footer can say "Page i of n".
// Lays out text at width w, wrapped at words, and breaking only a token that does not fit on a
// line by itself; returns the height. Qt::TextWrapAnywhere would break any word at the margin
// ("does no" / "t show" in a notice).
double layOutWordsOrAnywhere(QTextLayout& layout, double w) {
    QTextOption option(Qt::AlignLeft);
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    layout.setTextOption(option);
    layout.beginLayout();
    double y = 0.0;
    for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
        line.setLineWidth(w);
        line.setPosition(QPointF(0.0, y));
        y += line.height();
    }
    layout.endLayout();
    return y;
}

class Layout {
public:
    using Op = std::function<void(QPainter&)>;

    Layout(QPaintDevice* device, QRectF body) : m_device(device), m_body(body) {
        m_pages.emplace_back();
        m_y = body.top();
    }

    double width() const { return m_body.width(); }
    double left() const { return m_body.left(); }
    double y() const { return m_y; }
    double remaining() const { return m_body.bottom() - m_y; }
    void advance(double dy) { m_y += dy; }
    void newPage() {
        m_pages.emplace_back();
        m_y = m_body.top();
    }
    // Starts a new page unless `height` still fits (and the page is not empty anyway).
    void ensure(double height) {
        if (height > remaining() && m_y > m_body.top() + 1.0) newPage();
    }
    void add(Op op) { m_pages.back().push_back(std::move(op)); }

    // Height of text wrapped to w (at words, or anywhere when flags ask for it).
    double textHeight(const QString& text, const QFont& f, double w, int flags) const {
        const QFontMetricsF fm(f, m_device);
        if (!(flags & Qt::TextWrapAnywhere)) flags |= Qt::TextWordWrap;
        return fm.boundingRect(QRectF(0, 0, w, 1e6), flags, text).height();
    }
    // Height of text wrapped at words, where a token longer than the line (a SHA-256) is broken
    // where it must and a word that fits never is (draw(ReportKeyValues) lays it out the same way).
    double keyValueHeight(const QString& text, const QFont& f, double w) const {
        QTextLayout layout(text, f, m_device);
        return layOutWordsOrAnywhere(layout, w);
    }
    // A block of wrapped text at the current position.
    double text(const QString& t, const QFont& f, double x, double w, int flags,
                QColor colour = Qt::black) {
        const double h = textHeight(t, f, w, flags | Qt::TextWordWrap);
        const QRectF r(x, m_y, w, h);
        add([=](QPainter& p) {
            p.setFont(f);
            p.setPen(colour);
            p.drawText(r, flags | Qt::TextWordWrap, t);
        });
        return h;
    }

    std::vector<std::vector<Op>>& pages() { return m_pages; }

private:
    QPaintDevice* m_device;
    QRectF m_body;
    double m_y = 0;
    std::vector<std::vector<Op>> m_pages;
};

const QColor kHeaderFill(0x1f, 0x3a, 0x5f);
const QColor kStripe(0xf1, 0xf4, 0xf8);
const QColor kRule(0x9a, 0xa8, 0xb8);
const QColor kWarnFill(0xfd, 0xf3, 0xe0);
const QColor kWarnBar(0xd9, 0x8a, 0x00);

class Renderer {
public:
    Renderer(QPaintDevice* device, QRectF body, const ReportDocument& doc)
        : m_layout(device, body), m_doc(doc), m_top(body.top()) {}

    std::vector<std::vector<Layout::Op>>& run() {
        titleBlock();
        for (const auto& block : m_doc.blocks)
            std::visit([this](const auto& b) { draw(b); }, block);
        return m_layout.pages();
    }

private:
    void titleBlock() {
        if (!m_doc.titleBlock) return;
        auto& L = m_layout;
        L.advance(L.text(qs(m_doc.title), font(20, true), L.left(), L.width(), Qt::AlignLeft,
                         kHeaderFill));
        L.advance(2 * kUnit);
        L.advance(L.text(qs(m_doc.subtitle), font(11), L.left(), L.width(), Qt::AlignLeft));
        L.advance(4 * kUnit);
        const double y = L.y();
        const double x0 = L.left(), x1 = L.left() + L.width();
        L.add([=](QPainter& p) {
            p.setPen(QPen(kHeaderFill, 1.2 * kUnit));
            p.drawLine(QPointF(x0, y), QPointF(x1, y));
        });
        L.advance(10 * kUnit);
    }

    void draw(const ReportHeading& h) {
        auto& L = m_layout;
        const QString text =
            h.level == 1 ? QString::number(++m_section) + "   " + qs(h.text) : qs(h.text);
        const QFont f = font(h.level == 1 ? 13 : 11, true);
        // Keep a heading with at least a few lines of what follows it.
        L.ensure(L.textHeight(text, f, L.width(), Qt::AlignLeft) + 70 * kUnit);
        if (L.y() > 0 && h.level == 1) L.advance(6 * kUnit);
        L.advance(L.text(text, f, L.left(), L.width(), Qt::AlignLeft, kHeaderFill));
        if (h.level == 1) {
            const double y = L.y() + 2 * kUnit;
            const double x0 = L.left(), x1 = L.left() + L.width();
            L.add([=](QPainter& p) {
                p.setPen(QPen(kRule, 0.6 * kUnit));
                p.drawLine(QPointF(x0, y), QPointF(x1, y));
            });
        }
        L.advance(7 * kUnit);
    }

    void draw(const ReportParagraph& para) {
        auto& L = m_layout;
        const QFont f = font(9.5);
        const double pad = para.warning ? 5 * kUnit : 0;
        const double w = L.width() - 2 * pad - (para.warning ? 3 * kUnit : 0);
        const double h = L.textHeight(qs(para.text), f, w, Qt::AlignLeft | Qt::TextWordWrap);
        L.ensure(h + 2 * pad);
        if (para.warning) {
            const QRectF box(L.left(), L.y(), L.width(), h + 2 * pad);
            L.add([=](QPainter& p) {
                p.setPen(Qt::NoPen);
                p.setBrush(kWarnFill);
                p.drawRect(box);
                p.setBrush(kWarnBar);
                p.drawRect(QRectF(box.left(), box.top(), 3 * kUnit, box.height()));
            });
            L.advance(pad);
        }
        L.text(qs(para.text), f, L.left() + pad + (para.warning ? 3 * kUnit : 0), w, Qt::AlignLeft);
        L.advance(h + pad + 6 * kUnit);
    }

    void draw(const ReportKeyValues& kv) {
        auto& L = m_layout;
        const QFont keyFont = font(9, true);
        const QFont valueFont = font(9);
        const double keyWidth = 0.3 * L.width();
        const double valueWidth = L.width() - keyWidth - 6 * kUnit;
        for (const auto& [key, value] : kv.items) {
            const double h = std::max(L.textHeight(qs(key), keyFont, keyWidth, Qt::AlignLeft),
                                      L.keyValueHeight(qs(value), valueFont, valueWidth));
            L.ensure(h + 3 * kUnit);
            L.text(qs(key), keyFont, L.left(), keyWidth, Qt::AlignLeft, QColor(0x33, 0x33, 0x33));
            const QRectF r(L.left() + keyWidth + 6 * kUnit, L.y(), valueWidth, h);
            const QString v = qs(value);
            L.add([=](QPainter& p) {
                p.setPen(Qt::black);
                // Long tokens (SHA-256) wrap anywhere rather than running off the page; words
                // wrap at their boundaries.
                QTextLayout layout(v, valueFont, p.device());
                layOutWordsOrAnywhere(layout, r.width());
                layout.draw(&p, r.topLeft());
            });
            L.advance(h + 3 * kUnit);
        }
        L.advance(5 * kUnit);
    }

    void draw(const ReportTable& t) {
        auto& L = m_layout;
        const QFont caption = font(9.5, true);
        const QFont headFont = font(8, true);
        const QFont cellFont = font(8);
        const QFont boldCell = font(8, true);
        const double pad = 3 * kUnit;
        std::vector<double> weights = t.columnWeights;
        if (weights.size() != t.header.size()) weights.assign(t.header.size(), 1.0);
        const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
        std::vector<double> widths, xs;
        double x = L.left();
        for (double w : weights) {
            xs.push_back(x);
            widths.push_back(L.width() * w / total);
            x += widths.back();
        }
        const auto alignOf = [](bool numeric) {
            return (numeric ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter;
        };
        // Header alignment follows the column's first row (numbers right-aligned).
        std::vector<bool> numericColumn(t.header.size(), false);
        if (!t.rows.empty())
            for (std::size_t c = 0; c < t.header.size() && c < t.rows[0].size(); ++c)
                numericColumn[c] = t.rows[0][c].isNumeric();

        const auto headerHeight = [&] {
            double h = 0;
            for (std::size_t c = 0; c < t.header.size(); ++c)
                h = std::max(h, L.textHeight(qs(t.header[c]), headFont, widths[c] - 2 * pad,
                                             Qt::AlignLeft | Qt::TextWordWrap));
            return h + 2 * pad;
        };
        const auto drawHeader = [&](bool continued) {
            const QString title = qs(t.title) + (continued ? "  (continued)" : "");
            L.advance(L.text(title, caption, L.left(), L.width(), Qt::AlignLeft) + 3 * kUnit);
            const double h = headerHeight();
            const QRectF band(L.left(), L.y(), L.width(), h);
            L.add([=](QPainter& p) {
                p.setPen(Qt::NoPen);
                p.setBrush(kHeaderFill);
                p.drawRect(band);
            });
            for (std::size_t c = 0; c < t.header.size(); ++c) {
                const QRectF r(xs[c] + pad, L.y() + pad, widths[c] - 2 * pad, h - 2 * pad);
                const QString text = qs(t.header[c]);
                const int flags = alignOf(numericColumn[c]) | Qt::TextWordWrap;
                L.add([=](QPainter& p) {
                    p.setFont(headFont);
                    p.setPen(Qt::white);
                    p.drawText(r, flags, text);
                });
            }
            L.advance(h);
        };
        const auto rowHeight = [&](const std::vector<ReportCell>& row) {
            double h = 0;
            for (std::size_t c = 0; c < row.size() && c < widths.size(); ++c)
                h = std::max(
                    h, L.textHeight(qs(row[c].display()), row[c].emphasis ? boldCell : cellFont,
                                    widths[c] - 2 * pad, Qt::AlignLeft | Qt::TextWordWrap));
            return h + 2 * pad;
        };

        // A short table (a dozen rows) is kept on one page; a longer one starts where at
        // least three rows fit and continues with its header repeated, so a heading is not
        // left alone above a blank half page.
        const double captionHeight = L.textHeight(qs(t.title), caption, L.width(), Qt::AlignLeft);
        double whole = captionHeight + headerHeight() + 6 * kUnit;
        for (const auto& row : t.rows)
            whole += rowHeight(row);
        if (!t.note.empty())
            whole += L.textHeight(qs(t.note), font(8, false, true), L.width(), Qt::AlignLeft);
        const double fullPage = L.remaining() + (L.y() - m_top);
        const bool keepTogether = t.rows.size() <= 12 && whole <= fullPage;
        L.ensure(keepTogether
                     ? whole
                     : captionHeight + headerHeight() +
                           (t.rows.empty() ? 0.0 : 3.0 * rowHeight(t.rows[0])) + 6 * kUnit);
        drawHeader(false);
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
            const auto& row = t.rows[r];
            const double h = rowHeight(row);
            if (h > L.remaining()) {
                L.newPage();
                drawHeader(true);
            }
            const QRectF band(L.left(), L.y(), L.width(), h);
            const bool stripe = r % 2 == 1;
            L.add([=](QPainter& p) {
                if (stripe) {
                    p.setPen(Qt::NoPen);
                    p.setBrush(kStripe);
                    p.drawRect(band);
                }
                p.setPen(QPen(QColor(0xd8, 0xdd, 0xe4), 0.4 * kUnit));
                p.drawLine(band.bottomLeft(), band.bottomRight());
            });
            for (std::size_t c = 0; c < row.size() && c < widths.size(); ++c) {
                const QRectF cell(xs[c] + pad, L.y() + pad, widths[c] - 2 * pad, h - 2 * pad);
                const QString text = qs(row[c].display());
                const QFont f = row[c].emphasis ? boldCell : cellFont;
                const QColor colour = row[c].emphasis ? QColor(0xa0, 0x30, 0x00) : Qt::black;
                const int flags = alignOf(row[c].isNumeric()) | Qt::TextWordWrap;
                L.add([=](QPainter& p) {
                    p.setFont(f);
                    p.setPen(colour);
                    p.drawText(cell, flags, text);
                });
            }
            L.advance(h);
        }
        if (t.rows.empty())
            L.advance(L.text("(no rows)", cellFont, L.left() + pad, L.width(), Qt::AlignLeft));
        if (!t.note.empty()) {
            L.advance(2 * kUnit);
            const double h = L.textHeight(qs(t.note), font(8, false, true), L.width(),
                                          Qt::AlignLeft | Qt::TextWordWrap);
            L.ensure(h);
            L.advance(L.text(qs(t.note), font(8, false, true), L.left(), L.width(), Qt::AlignLeft,
                             QColor(0x44, 0x44, 0x44)));
        }
        L.advance(10 * kUnit);
    }

    void draw(const ReportChartRow& row) {
        auto& L = m_layout;
        if (row.charts.empty()) return;
        const double gap = 6 * kUnit;
        const double n = static_cast<double>(row.charts.size());
        const double w = (L.width() - gap * (n - 1)) / n;
        const double h = std::min(w * 1.05, 200 * kUnit);
        L.ensure(h + 8 * kUnit);
        for (std::size_t k = 0; k < row.charts.size(); ++k) {
            const QRectF r(L.left() + static_cast<double>(k) * (w + gap), L.y(), w, h);
            const ReportChart chart = row.charts[k];
            L.add([=](QPainter& p) { paintChart(p, r, chart, kUnit); });
        }
        L.advance(h + 10 * kUnit);
    }

    void draw(const ReportSignatures& s) {
        auto& L = m_layout;
        const double boxHeight = 62 * kUnit;
        L.ensure(boxHeight * static_cast<double>(s.roles.size()));
        for (const auto& role : s.roles) {
            const QRectF box(L.left(), L.y(), L.width(), boxHeight - 6 * kUnit);
            const QString r = qs(role);
            L.add([=](QPainter& p) {
                p.setPen(QPen(kRule, 0.6 * kUnit));
                p.setBrush(Qt::NoBrush);
                p.drawRect(box);
                p.setFont(font(9, true));
                p.setPen(Qt::black);
                p.drawText(box.adjusted(5 * kUnit, 4 * kUnit, 0, 0), Qt::AlignLeft | Qt::AlignTop,
                           r);
                p.setFont(font(8));
                const double y = box.bottom() - 14 * kUnit;
                const double third = (box.width() - 20 * kUnit) / 3.0;
                const char* labels[] = {"Name", "Signature", "Date"};
                for (int k = 0; k < 3; ++k) {
                    const double x = box.left() + 5 * kUnit + k * (third + 5 * kUnit);
                    p.setPen(QPen(QColor(0x70, 0x70, 0x70), 0.5 * kUnit));
                    p.drawLine(QPointF(x, y), QPointF(x + third, y));
                    p.setPen(QColor(0x55, 0x55, 0x55));
                    p.drawText(QRectF(x, y + 1 * kUnit, third, 8 * kUnit),
                               Qt::AlignLeft | Qt::AlignTop, labels[k]);
                }
            });
            L.advance(boxHeight);
        }
    }

    void draw(const ReportPageBreak&) { m_layout.newPage(); }

    Layout m_layout;
    const ReportDocument& m_doc;
    double m_top = 0.0;  // the body's top edge on every page
    int m_section = 0;
};

}  // namespace

Result<PdfInfo> writePdf(const ReportDocument& document, const std::string& path,
                         ProgressToken* progress) {
    const QString target = QString::fromStdString(path);
    // QSaveFile writes to a temporary file and renames it on commit(): no half-written report.
    QSaveFile file(target);
    if (!file.open(QIODevice::WriteOnly))
        return Error::failure("cannot write '" + path + "': " + file.errorString().toStdString());
    PdfInfo info;
    {
        QPdfWriter pdf(&file);
        pdf.setPageSize(QPageSize(QPageSize::A4));
        pdf.setResolution(kDpi);
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setTitle(qs(document.title + ": " + document.subject));
        pdf.setCreator("Credit Workbench " CWB_VERSION);
        const double pageW = pdf.width(), pageH = pdf.height();
        const double margin = kMarginMm / 25.4 * kDpi;
        const double headerH = 14 * kUnit;
        const QRectF body(margin, margin + headerH, pageW - 2 * margin,
                          pageH - 2 * margin - 2 * headerH);
        Renderer renderer(&pdf, body, document);
        auto& pages = renderer.run();
        info.pages = static_cast<int>(pages.size());
        QPainter p;
        if (!p.begin(&pdf)) return Error::failure("cannot start a PDF in '" + path + "'");
        p.setRenderHint(QPainter::Antialiasing);
        for (std::size_t i = 0; i < pages.size(); ++i) {
            if (progress && progress->isCanceled()) {
                p.end();
                file.cancelWriting();
                return Error::failure("cancelled");
            }
            if (i > 0) pdf.newPage();
            // Running header and footer.
            p.setFont(font(7.5));
            p.setPen(QColor(0x55, 0x55, 0x55));
            const QRectF head(margin, margin, pageW - 2 * margin, headerH - 4 * kUnit);
            p.drawText(head, Qt::AlignLeft | Qt::AlignBottom,
                       qs(document.title + " \u2014 " + document.subject));
            p.drawText(head, Qt::AlignRight | Qt::AlignBottom, qs(document.date));
            p.setPen(QPen(kRule, 0.5 * kUnit));
            p.drawLine(QPointF(margin, margin + headerH - 2 * kUnit),
                       QPointF(pageW - margin, margin + headerH - 2 * kUnit));
            const QRectF foot(margin, pageH - margin - headerH + 4 * kUnit, pageW - 2 * margin,
                              headerH - 4 * kUnit);
            p.drawLine(foot.topLeft(), foot.topRight());
            p.setPen(QColor(0x55, 0x55, 0x55));
            p.drawText(foot, Qt::AlignLeft | Qt::AlignVCenter, "Credit Workbench " CWB_VERSION);
            p.drawText(foot, Qt::AlignRight | Qt::AlignVCenter,
                       QString("Page %1 of %2").arg(i + 1).arg(pages.size()));
            for (const auto& op : pages[i])
                op(p);
            if (progress)
                progress->report(static_cast<double>(i + 1) / static_cast<double>(pages.size()),
                                 "writing the PDF");
        }
        p.end();
    }
    if (!file.commit())
        return Error::failure("cannot write '" + path + "': " + file.errorString().toStdString());
    return info;
}

}  // namespace cwb::render
