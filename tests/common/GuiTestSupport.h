#pragma once
// Helpers shared by the GUI tests (tests/gui): reading files the views or `cwb` wrote, the
// scores of the real `cwb score` to hold a view's figures to, and the mnemonic letter of a
// widget's text for the keyboard checks.

#include <QChar>
#include <QFile>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <map>

#include "../core/CliRunner.h"

namespace cwb::test {

// The non-empty lines of a text file (LF or CRLF); empty when it cannot be read.
inline QStringList readLines(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(f.readAll()).split(QRegularExpression("\r?\n"), Qt::SkipEmptyParts);
}

// applicant_id -> rounded score, from the real `cwb score` of data written to out: the id is
// the first field and the score the third, neither ever quoted. Empty when cwb fails.
inline std::map<QString, int> cliScores(const QString& model, const QString& data,
                                        const QString& out) {
    const auto run = runCli({"score", "--model", model, "--in", data, "--out", out});
    std::map<QString, int> scores;
    if (run.exitCode != 0) return scores;
    const QStringList lines = readLines(out);
    for (int i = 1; i < lines.size(); ++i)
        scores[lines[i].section(',', 0, 0)] = lines[i].section(',', 2, 2).toInt();
    return scores;
}

// The mnemonic letter of a text ("&Run" -> 'r'), or 0 without one ("&&" is a literal &).
inline QChar mnemonicOf(const QString& text) {
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != '&') continue;
        if (text[i + 1] == '&') {
            ++i;
            continue;
        }
        return text[i + 1].toLower();
    }
    return {};
}

}  // namespace cwb::test
