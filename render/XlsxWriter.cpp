#include "render/XlsxWriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <memory>

#include <xlsxwriter.h>

namespace cwb::render {

namespace {

struct WorkbookCloser {
    void operator()(lxw_workbook* wb) const {
        if (wb) workbook_close(wb);
    }
};

// Excel number format for a cell: fixed decimals, percent with decimals, integers.
std::string numberFormat(const ReportCell& c) {
    const std::string decimals = c.decimals > 0 ? "." + std::string(c.decimals, '0') : "";
    switch (c.kind) {
        case ReportCell::Kind::Percent:
            return "0" + decimals + "%";
        case ReportCell::Kind::Number:
            return "0" + decimals;
        case ReportCell::Kind::Integer:
            return "#,##0";
        case ReportCell::Kind::Text:
            break;
    }
    return "@";
}

class Formats {
public:
    explicit Formats(lxw_workbook* wb) : m_wb(wb) {
        title = workbook_add_format(wb);
        format_set_bold(title);
        format_set_font_size(title, 12);
        header = workbook_add_format(wb);
        format_set_bold(header);
        format_set_font_color(header, LXW_COLOR_WHITE);
        format_set_bg_color(header, 0x1F3A5F);
        format_set_text_wrap(header);
        format_set_align(header, LXW_ALIGN_VERTICAL_TOP);
        text = workbook_add_format(wb);
        emphasis = workbook_add_format(wb);
        format_set_bold(emphasis);
        format_set_font_color(emphasis, 0xA03000);
        note = workbook_add_format(wb);
        format_set_italic(note);
    }
    lxw_format* number(const ReportCell& c) {
        const std::string key = numberFormat(c) + (c.emphasis ? "!" : "");
        auto& f = m_numbers[key];
        if (!f) {
            f = workbook_add_format(m_wb);
            format_set_num_format(f, numberFormat(c).c_str());
            if (c.emphasis) format_set_bold(f);
        }
        return f;
    }
    lxw_format *title, *header, *text, *emphasis, *note;

private:
    lxw_workbook* m_wb;
    std::map<std::string, lxw_format*> m_numbers;  // owned by the workbook
};

}  // namespace

std::string sheetName(const std::string& wanted, const std::vector<std::string>& taken) {
    std::string base;
    for (char c : wanted)
        base += std::string("[]:*?/\\").find(c) == std::string::npos ? c : '_';
    if (base.empty()) base = "Sheet";
    // Sheet names compare case-insensitively in Excel.
    const auto isTaken = [&](const std::string& name) {
        const QString q = QString::fromStdString(name);
        return std::any_of(taken.begin(), taken.end(), [&](const std::string& t) {
            return QString::fromStdString(t).compare(q, Qt::CaseInsensitive) == 0;
        });
    };
    // 31 characters at most; cut on a UTF-8 boundary.
    const auto cut = [](std::string s, std::size_t n) {
        if (s.size() <= n) return s;
        s.resize(n);
        while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80)
            s.pop_back();
        if (!s.empty() && (static_cast<unsigned char>(s.back()) & 0x80)) s.pop_back();
        return s;
    };
    std::string name = cut(base, 31);
    for (int k = 2; isTaken(name); ++k) {
        const std::string suffix = " (" + std::to_string(k) + ")";
        name = cut(base, 31 - suffix.size()) + suffix;
    }
    return name;
}

Result<int> writeXlsx(const ReportDocument& document, const std::string& path) {
    const QFileInfo info(QString::fromStdString(path));
    const std::string temporary =
        info.dir().filePath("." + info.fileName() + ".partial").toStdString();
    int sheets = 0;
    {
        lxw_workbook_options options{};
        options.constant_memory = LXW_FALSE;
        std::unique_ptr<lxw_workbook, WorkbookCloser> wb(
            workbook_new_opt(temporary.c_str(), &options));
        if (!wb) return Error::failure("cannot write '" + path + "'");
        Formats f(wb.get());
        std::vector<std::string> taken;

        // The cover sheet: what this workbook is, and the key-value blocks of the report.
        lxw_worksheet* cover = workbook_add_worksheet(wb.get(), "Report");
        taken.push_back("Report");
        ++sheets;
        worksheet_write_string(cover, 0, 0, document.title.c_str(), f.title);
        worksheet_write_string(cover, 1, 0, document.subject.c_str(), nullptr);
        worksheet_write_string(cover, 2, 0, document.date.c_str(), nullptr);
        lxw_row_t row = 4;
        for (const auto& block : document.blocks)
            if (const auto* kv = std::get_if<ReportKeyValues>(&block)) {
                for (const auto& [key, value] : kv->items) {
                    worksheet_write_string(cover, row, 0, key.c_str(), f.emphasis);
                    worksheet_write_string(cover, row, 1, value.c_str(), nullptr);
                    ++row;
                }
                ++row;
            }
        worksheet_set_column(cover, 0, 0, 32, nullptr);
        worksheet_set_column(cover, 1, 1, 70, nullptr);

        for (const ReportTable* t : document.tables()) {
            const std::string name =
                sheetName(t->sheetName.empty() ? t->title : t->sheetName, taken);
            taken.push_back(name);
            lxw_worksheet* ws = workbook_add_worksheet(wb.get(), name.c_str());
            if (!ws) return Error::failure("cannot add sheet '" + name + "' to '" + path + "'");
            ++sheets;
            worksheet_write_string(ws, 0, 0, t->title.c_str(), f.title);
            std::vector<double> widths(t->header.size(), 8.0);
            for (std::size_t c = 0; c < t->header.size(); ++c) {
                worksheet_write_string(ws, 1, static_cast<lxw_col_t>(c), t->header[c].c_str(),
                                       f.header);
                widths[c] = std::max(widths[c], std::min(30.0, t->header[c].size() + 2.0));
            }
            for (std::size_t r = 0; r < t->rows.size(); ++r) {
                const auto row = static_cast<lxw_row_t>(r + 2);
                for (std::size_t c = 0; c < t->rows[r].size() && c < t->header.size(); ++c) {
                    const ReportCell& cell = t->rows[r][c];
                    const auto col = static_cast<lxw_col_t>(c);
                    if (cell.isNumeric() && std::isfinite(cell.value)) {
                        worksheet_write_number(ws, row, col, cell.value, f.number(cell));
                        widths[c] = std::max(widths[c], cell.display().size() + 2.0);
                    } else {
                        const std::string text = cell.display();
                        worksheet_write_string(ws, row, col, text.c_str(),
                                               cell.emphasis ? f.emphasis : f.text);
                        widths[c] = std::max(widths[c], std::min(60.0, text.size() + 2.0));
                    }
                }
            }
            if (!t->note.empty())
                worksheet_write_string(ws, static_cast<lxw_row_t>(t->rows.size() + 3), 0,
                                       t->note.c_str(), f.note);
            for (std::size_t c = 0; c < widths.size(); ++c)
                worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                                     widths[c], nullptr);
            worksheet_freeze_panes(ws, 2, 0);  // the title and header rows stay in view
        }
        const lxw_error error = workbook_close(wb.release());
        if (error != LXW_NO_ERROR) {
            QFile::remove(QString::fromStdString(temporary));
            return Error::failure("cannot write '" + path + "': " + lxw_strerror(error));
        }
    }
    QFile::remove(QString::fromStdString(path));
    if (!QFile::rename(QString::fromStdString(temporary), QString::fromStdString(path))) {
        QFile::remove(QString::fromStdString(temporary));
        return Error::failure("cannot write '" + path + "'");
    }
    return sheets;
}

}  // namespace cwb::render
