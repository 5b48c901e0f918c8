#pragma once
// Help > User guide (F1) and Help > Keyboard shortcuts (Ctrl+/): the guides shipped inside the
// program (docs/gui.md and docs/user-guide.md, compiled in as Qt resources), shown locally in a
// text browser. Nothing is fetched from the network and no browser is started.

#include <QDialog>
#include <QString>

class QTextBrowser;
class QTabWidget;

namespace cwb::ui {

// The Markdown text of a shipped guide (":/guides/gui.md", ":/guides/user-guide.md");
// empty when it is not compiled in.
QString shippedGuide(const QString& name);
// The "## Keyboard" section of the workbench guide: every shortcut, by view.
QString keyboardShortcutsMarkdown();

class GuideDialog : public QDialog {
    Q_OBJECT
public:
    enum class Page { Workbench, CommandLine, Shortcuts };
    explicit GuideDialog(Page page, QWidget* parent = nullptr);
    QTextBrowser* browser(Page page) const;
    Page currentPage() const;
    void showPage(Page page);

private:
    QTabWidget* m_tabs = nullptr;
    QTextBrowser* m_pages[3] = {nullptr, nullptr, nullptr};
};

}  // namespace cwb::ui
