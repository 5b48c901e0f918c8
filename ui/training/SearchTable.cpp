#include "ui/training/SearchTable.h"

#include <QHeaderView>

#include <cmath>

#include "model/AutoSearch.h"

namespace cwb::ui {

namespace {

QTableWidgetItem* aucItem(double value, bool chosen) {
    if (std::isnan(value)) {
        auto* item = new QTableWidgetItem(QObject::tr("refused"));
        item->setToolTip(QObject::tr("the data refused this configuration on an inner fold"));
        return item;
    }
    auto* item = new QTableWidgetItem(QString::number(value, 'f', 4) +
                                      (chosen ? QStringLiteral(" *") : QString()));
    item->setData(Qt::UserRole, value);  // the exact figure, for tests and copying
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    if (chosen) {
        QFont bold = item->font();
        bold.setBold(true);
        item->setFont(bold);
        item->setToolTip(QObject::tr("chosen: the best mean inner AUC of this column"));
    }
    return item;
}

}  // namespace

SearchTable::SearchTable(QWidget* parent) : QTableWidget(parent) {
    setObjectName("searchTable");
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    verticalHeader()->setVisible(false);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    horizontalHeader()->setStretchLastSection(true);
    // Room for the header and two configurations at the least (the rest scroll inside the
    // table; a taller window gives it more), so the Training view still fits a 1280x720 screen
    // after an auto run; never squeezed to its header.
    setMinimumHeight((fontMetrics().height() + 8) * 3 + 4);
    setToolTip(
        tr("Nested search: each configuration is cross-validated on the training rows of "
           "an outer fold only; the chosen one (*) is then measured on that fold's test "
           "rows, which never take part in the choice"));
    hide();
}

void SearchTable::showSearch(const SearchReport* search) {
    clear();
    if (!search) {
        setRowCount(0);
        setColumnCount(0);
        hide();
        return;
    }
    const int folds = static_cast<int>(search->outer.size());
    const int configs = static_cast<int>(search->configs.size());
    setColumnCount(folds + 2);
    QStringList header{tr("Configuration")};
    for (int f = 0; f < folds; ++f)
        header << tr("Fold %1").arg(f + 1);
    header << tr("All rows");
    setHorizontalHeaderLabels(header);
    setRowCount(configs + 2);
    for (int c = 0; c < configs; ++c) {
        const auto index = static_cast<std::size_t>(c);
        auto* name = new QTableWidgetItem(QStringLiteral("%1  %2").arg(c + 1).arg(
            QString::fromStdString(search->configs[index].label())));
        if (index < search->refused.size() && !search->refused[index].empty())
            name->setToolTip(QString::fromStdString(search->refused[index]));
        setItem(c, 0, name);
        for (int f = 0; f < folds; ++f) {
            const SearchScope& scope = search->outer[static_cast<std::size_t>(f)];
            setItem(c, f + 1, aucItem(scope.innerAuc[index], scope.chosen == index));
        }
        setItem(c, folds + 1,
                aucItem(search->final.innerAuc[index], search->final.chosen == index));
    }
    setItem(configs, 0, new QTableWidgetItem(tr("Outer test AUC of the chosen")));
    for (int f = 0; f < folds; ++f) {
        const SearchScope& scope = search->outer[static_cast<std::size_t>(f)];
        for (const AlgorithmTest& t : scope.tests)
            if (t.config == scope.chosen) setItem(configs, f + 1, aucItem(t.auc, false));
    }
    setItem(configs, folds + 1, new QTableWidgetItem(tr("final model")));
    // The derived ratios each scope proposed for its tree configurations (decision 51): their
    // number in the cell, their names in the tooltip.
    auto* ratiosName = new QTableWidgetItem(tr("Derived ratios (trees)"));
    ratiosName->setToolTip(
        tr("Ratios of two numeric characteristics, proposed on each scope's training rows; the "
           "tree configurations were trained with them, the scorecards without"));
    setItem(configs + 1, 0, ratiosName);
    const auto ratiosItem = [&](const SearchScope& scope) {
        QStringList names;
        for (const auto& r : scope.ratios)
            names << QString::fromStdString(ratioName(search->featureNames, r));
        auto* item =
            new QTableWidgetItem(names.isEmpty() ? tr("none") : QString::number(names.size()));
        item->setData(Qt::UserRole, names);
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        if (!names.isEmpty()) item->setToolTip(names.join(QStringLiteral("\n")));
        return item;
    };
    for (int f = 0; f < folds; ++f)
        setItem(configs + 1, f + 1, ratiosItem(search->outer[static_cast<std::size_t>(f)]));
    setItem(configs + 1, folds + 1, ratiosItem(search->final));
    resizeColumnsToContents();
    show();
}

}  // namespace cwb::ui
