#include "ui/shell/HelpDialogs.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QGuiApplication>
#include <QScreen>
#include <QTabWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace cwb::ui {

QString shippedGuide(const QString& name) {
    QFile file(QStringLiteral(":/guides/") + name);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(file.readAll());
}

QString keyboardShortcutsMarkdown() {
    const QString guide = shippedGuide(QStringLiteral("gui.md"));
    const qsizetype start = guide.indexOf(QStringLiteral("\n## Keyboard"));
    if (start < 0) return {};
    const qsizetype end = guide.indexOf(QStringLiteral("\n## "), start + 1);
    return guide.mid(start + 1, end < 0 ? -1 : end - start - 1).trimmed();
}

GuideDialog::GuideDialog(Page page, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Credit Workbench help"));
    setObjectName("guideDialog");
    auto* layout = new QVBoxLayout(this);
    m_tabs = new QTabWidget(this);
    const QString texts[3] = {shippedGuide(QStringLiteral("gui.md")),
                              shippedGuide(QStringLiteral("user-guide.md")),
                              keyboardShortcutsMarkdown()};
    const QString titles[3] = {tr("&Workbench"), tr("&Command line and scores"),
                               tr("&Keyboard shortcuts")};
    const char* names[3] = {"guideWorkbench", "guideCommandLine", "guideShortcuts"};
    for (int i = 0; i < 3; ++i) {
        m_pages[i] = new QTextBrowser(m_tabs);
        m_pages[i]->setObjectName(QLatin1String(names[i]));
        m_pages[i]->setOpenLinks(false);  // local text only; nothing leaves the machine
        if (texts[i].isEmpty())
            m_pages[i]->setPlainText(tr("This guide is not part of this build."));
        else
            m_pages[i]->setMarkdown(texts[i]);
        m_tabs->addTab(m_pages[i], titles[i]);
    }
    layout->addWidget(m_tabs, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    // As large as is comfortable to read, never larger than the screen (1280x720 included).
    QSize size(900, 700);
    if (const QScreen* screen = QGuiApplication::primaryScreen())
        size = size.boundedTo(screen->availableGeometry().size() * 0.9);
    resize(size);
    showPage(page);
}

QTextBrowser* GuideDialog::browser(Page page) const {
    return m_pages[static_cast<int>(page)];
}

GuideDialog::Page GuideDialog::currentPage() const {
    return static_cast<Page>(m_tabs->currentIndex());
}

void GuideDialog::showPage(Page page) {
    m_tabs->setCurrentIndex(static_cast<int>(page));
}

}  // namespace cwb::ui
