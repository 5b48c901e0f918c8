#pragma once
// What the Registry view shows of one version, taken from core's Registry::show(): the state of
// its approval signature in words, and the latest validation's checks as table rows (each
// figure against its threshold, the verdict, the written justification beside a failed one).

#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

class QTableWidget;

namespace cwb::ui {

enum class SignatureState { None, Valid, Invalid };

// Valid: a signature verifies for this bundle by a current compliance user. Invalid: approvals
// exist but none is valid now (the bundle changed after approval, the approver left or lost the
// role, the version was retired). None: never approved.
SignatureState signatureState(const nlohmann::json& shown);
QString signatureText(const nlohmann::json& shown);
QString signatureWord(SignatureState state);

// "Validation 3 on german_credit.csv (1000 rows, target class, bad 2) by dan at ...: 2 of 14
// checks failed", or that there is none yet.
QString validationSummary(const nlohmann::json& shown);
// Columns: Check, Subject, Figure, Threshold, Verdict, Justification.
QStringList checkHeaders();
void fillChecks(QTableWidget* table, const nlohmann::json& shown);
// A figure as the command line prints it (4 significant digits), "n/a" when not computed.
QString figureText(const nlohmann::json& figure);

}  // namespace cwb::ui
