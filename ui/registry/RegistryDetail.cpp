#include "ui/registry/RegistryDetail.h"

#include <QBrush>
#include <QColor>
#include <QHeaderView>
#include <QTableWidget>

namespace cwb::ui {

namespace {

QString text(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                            : QString();
}

}  // namespace

SignatureState signatureState(const nlohmann::json& shown) {
    const auto approval = shown.find("approval");
    if (approval != shown.end() && approval->value("approved", false)) return SignatureState::Valid;
    const auto approvals = shown.find("approvals");
    return approvals != shown.end() && approvals->is_array() && !approvals->empty()
               ? SignatureState::Invalid
               : SignatureState::None;
}

QString signatureWord(SignatureState state) {
    switch (state) {
        case SignatureState::Valid:
            return QObject::tr("valid");
        case SignatureState::Invalid:
            return QObject::tr("invalid");
        case SignatureState::None:
            break;
    }
    return QObject::tr("none");
}

QString signatureText(const nlohmann::json& shown) {
    const nlohmann::json approval = shown.value("approval", nlohmann::json::object());
    switch (signatureState(shown)) {
        case SignatureState::Valid:
            return QObject::tr("Approval signature: valid, signed by %1 at %2")
                .arg(text(approval, "approver"), text(approval, "approved_at"));
        case SignatureState::Invalid:
            return QObject::tr("Approval signature: INVALID (%1)").arg(text(approval, "reason"));
        case SignatureState::None:
            break;
    }
    return QObject::tr("Approval signature: none (not approved yet)");
}

QString validationSummary(const nlohmann::json& shown) {
    const auto v = shown.find("validation");
    if (v == shown.end() || v->is_null())
        return QObject::tr("Not validated yet: Validate runs the gate on a labelled file.");
    const auto& checks = (*v)["checks"];
    return QObject::tr(
               "Validation %1 on %2 (%3 rows, target %4, bad %5) by %6 at %7: %8 of %9 "
               "checks failed")
        .arg(v->value("id", 0))
        .arg(text(*v, "data"))
        .arg(v->value("rows", 0))
        .arg(text(*v, "target"), text(*v, "bad_value"), text(*v, "user"), text(*v, "at"))
        .arg(v->value("failed", 0))
        .arg(checks.is_array() ? checks.size() : 0);
}

QStringList checkHeaders() {
    return {QObject::tr("Check"),     QObject::tr("Subject"), QObject::tr("Figure"),
            QObject::tr("Threshold"), QObject::tr("Verdict"), QObject::tr("Justification")};
}

QString figureText(const nlohmann::json& figure) {
    if (!figure.is_number()) return QStringLiteral("n/a");
    return QString::number(figure.get<double>(), 'g', 4);
}

void fillChecks(QTableWidget* table, const nlohmann::json& shown) {
    table->clearContents();
    table->setRowCount(0);
    const auto v = shown.find("validation");
    if (v == shown.end() || v->is_null() || !(*v)["checks"].is_array()) return;
    const auto& checks = (*v)["checks"];
    table->setRowCount(static_cast<int>(checks.size()));
    int row = 0;
    for (const auto& c : checks) {
        const QString verdict = text(c, "verdict");
        const QString cells[] = {
            text(c, "check"), text(c, "subject"), figureText(c["figure"]),
            text(c, "comparison") + QLatin1Char(' ') + figureText(c["threshold"]), verdict,
            // Beside a failed figure only: that is what the justification answers for.
            verdict == QLatin1String("fail") ? text(c, "justification") : QString()};
        for (int col = 0; col < 6; ++col) {
            auto* item = new QTableWidgetItem(cells[col]);
            item->setFlags(item->flags() & ~Qt::ItemIsEditable);
            if (col == 4 && verdict == QLatin1String("fail"))
                item->setForeground(QBrush(QColor(0xb0, 0x00, 0x20)));
            if (col == 4 && verdict == QLatin1String("pass"))
                item->setForeground(QBrush(QColor(0x1b, 0x5e, 0x20)));
            table->setItem(row, col, item);
        }
        ++row;
    }
    table->resizeColumnsToContents();
}

}  // namespace cwb::ui
