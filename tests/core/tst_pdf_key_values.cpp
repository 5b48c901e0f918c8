// The PDF renderer's key-value rows: a value wraps at word boundaries, and only a token longer
// than the line (a SHA-256) is broken inside. With Qt::TextWrapAnywhere a notice once read
// "your role does no" / "t show" for some pseudonyms (tst_cli_store_reports failed on it about
// one run in ten): the hex digits' widths move the margin through the sentence, so 60 random
// pseudonyms give many break positions, read back with pdftotext.

#include <QGuiApplication>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <random>

#include "render/PdfRenderer.h"
#include "report/ReportDocument.h"

using namespace cwb;

class PdfKeyValuesTest : public QObject {
    Q_OBJECT

private slots:
    void wordsAreNeverBrokenLongTokensAre() {
        ReportDocument doc;
        doc.title = "Key values";
        doc.subject = "test";
        doc.date = "2026-12-07";
        const std::string sentence =
            " (pseudonym: your role does not show the applicant's id, which is personal data)";
        std::mt19937 rng(7);
        const char* hex = "0123456789abcdef";
        std::vector<std::string> pseudonyms;
        for (int k = 0; k < 60; ++k) {
            std::string p = "p-";
            for (int i = 0; i < 32; ++i)
                p += hex[rng() % 16];
            pseudonyms.push_back(p);
            doc.keyValues({{"Applicant", p + sentence}});
        }
        const std::string sha(64 * 3, 'a');  // one token three lines long
        doc.keyValues({{"Bundle SHA-256", sha}});
        QTemporaryDir dir;
        const QString pdf = dir.filePath("kv.pdf");
        auto written = render::writePdf(doc, pdf.toStdString());
        QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());

        QProcess p;
        p.start("pdftotext", {"-layout", pdf, "-"});
        QVERIFY(p.waitForFinished(60000));
        const QString text = QString::fromUtf8(p.readAllStandardOutput()).simplified();
        QCOMPARE(text.count("your role does not show the applicant's id, which is personal data"),
                 60);
        for (const auto& pseudonym : pseudonyms)
            QVERIFY2(text.contains(QString::fromStdString(pseudonym)), pseudonym.c_str());
        // The long token is broken into lines (none runs off the page) and comes back whole
        // once the line breaks are taken out.
        QString compact = text;
        compact.remove(' ');
        QVERIFY(compact.contains(QString::fromStdString(sha)));
    }
};

// Fonts need a QGuiApplication; offscreen, as `cwb report` runs.
int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    PdfKeyValuesTest test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_pdf_key_values.moc"
