#include "ui/applicant/RecordFile.h"

#include "data/DataRow.h"

namespace cwb::ui {

Result<FileApplicant> readApplicantRow(const std::string& path, long row, const Schema& schema) {
    auto read = readDataRow(path, row);
    if (!read) return read.error();
    const char decimal = read->decimalSeparator;
    const auto* all = &read->values;
    FileApplicant out;
    for (const ColumnSpec* spec : schema.features()) {
        auto it = all->find(spec->name);
        if (it == all->end()) continue;
        std::string v = it->second;
        if (spec->type == ColumnType::Numeric && decimal == ',')
            for (char& c : v)
                if (c == ',') c = '.';
        out.values[spec->name] = std::move(v);
    }
    if (out.values.empty())
        return Error::badInput("'" + path + "' has none of the model's characteristics");
    if (const ColumnSpec* id = schema.idColumn())
        if (auto it = all->find(id->name); it != all->end()) out.id = it->second;
    return out;
}

}  // namespace cwb::ui
