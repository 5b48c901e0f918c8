// The Registry view's long jobs: the validation gate and the swap set read whole data files and
// score every row, so they run on a worker (ui/common/JobRunner) with progress and Cancel. The
// store is read before the job and written after it, on the GUI thread; the worker holds only
// the bundle bytes, the thresholds and the file name.

#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>

#include <cmath>
#include <memory>

#include "report/ValidationGate.h"
#include "ui/common/JobRunner.h"
#include "ui/registry/RegistryView.h"
#include "ui/store/StoreSession.h"

namespace cwb::ui {

namespace {

QString words(const Error& error) {
    return QString::fromStdString(error.message);
}

Result<std::shared_ptr<const ModelBundle>> bundleFrom(const std::vector<std::uint8_t>& bytes,
                                                      const std::string& name) {
    auto bundle = loadBundleFromBytes(bytes, name);
    if (!bundle) return bundle.error();
    return std::shared_ptr<const ModelBundle>(std::make_shared<ModelBundle>(std::move(*bundle)));
}

}  // namespace

bool RegistryView::isBusy() const {
    return m_job->isRunning();
}

void RegistryView::cancelJob() {
    m_job->cancel();
}

void RegistryView::startJob(const QString& what) {
    m_progress->setValue(0);
    m_progress->setFormat(what + QStringLiteral("  %p%"));
    m_progress->show();
    m_cancel->show();
    showNote(what);
    updateButtons();
}

void RegistryView::endJob() {
    m_progress->hide();
    m_cancel->hide();
    updateButtons();
}

bool RegistryView::startValidation(const QString& dataPath, const QString& target,
                                   const QString& badValue, const QStringList& protectedColumns) {
    const auto v = selected();
    if (!v) {
        showProblem(tr("Select a version to validate."));
        return false;
    }
    auto actor = actorFor(store::Action::ValidateModel);
    if (!actor) {
        showProblem(words(actor.error()));
        return false;
    }
    store::Registry& registry = m_session->store()->registry();
    auto bytes = registry.bundleBytes(v->name, v->version);
    auto limits = registry.thresholds();
    if (!bytes || !limits) {
        showProblem(words(bytes ? limits.error() : bytes.error()));
        return false;
    }
    GateRequest request;
    request.dataPath = dataPath.toStdString();
    request.target = target.toStdString();
    request.badValue = badValue.toStdString();
    for (const QString& c : protectedColumns)
        request.extraProtected.push_back(c.toStdString());
    const std::string label = v->name + " version " + std::to_string(v->version);
    const auto work = [bytes = std::move(*bytes), request, limits = *limits, label](
                          ProgressToken& token, std::optional<GateResult>& out) -> QString {
        auto bundle = bundleFrom(bytes, label);
        if (!bundle) return words(bundle.error());
        auto gate = runValidationGate(*bundle, request, limits, &token);
        if (!gate) return words(gate.error());
        out = std::move(*gate);
        return {};
    };
    const auto done = [this, version = *v, who = *actor, request](
                          bool canceled, const QString& error,
                          std::shared_ptr<std::optional<GateResult>> gate) {
        endJob();
        QString message;
        if (canceled) {
            message = tr("Validation canceled; nothing was recorded.");
        } else if (!error.isEmpty()) {
            message = error;
        } else if (!m_session || !m_session->signedIn() || m_session->actor()->name != who.name) {
            // Recorded in the name of whoever started it, and only while they are still here.
            message = tr("%1 signed out during the validation; nothing was recorded.")
                          .arg(QString::fromStdString(who.name));
        } else {
            const GateResult& result = **gate;
            store::ValidationInfo info{request.dataPath, result.report.dataSha256,
                                       result.report.performance.target,
                                       result.report.performance.badValue};
            auto id = m_session->store()->registry().recordValidation(
                who, version.name, version.version, result, info);
            if (!id) {
                message = words(id.error());
            } else {
                (void)refresh();
                selectVersion(QString::fromStdString(version.name), version.version);
                const QString text =
                    tr("Validation %1: %2 of %3 checks failed%4")
                        .arg(*id)
                        .arg(result.failed())
                        .arg(result.checks.size())
                        .arg(result.failed() ? tr("; approval needs a justification for them")
                                             : QString());
                showNote(text);
                emit statusMessage(text);
                emit validationFinished(true, text);
                return;
            }
        }
        showProblem(message);
        emit validationFinished(false, message);
    };
    if (!startForResult<GateResult>(m_job, this, work, done)) {
        showProblem(tr("Another job is running."));
        return false;
    }
    startJob(tr("Validating %1 version %2 on %3")
                 .arg(QString::fromStdString(v->name))
                 .arg(v->version)
                 .arg(dataPath));
    return true;
}

bool RegistryView::startSwapSet(const QString& dataPath, const QString& target,
                                const QString& badValue) {
    const auto v = selected();
    if (!v || !m_session || !m_session->signedIn()) {
        showProblem(tr("Sign in and select a version of the model first."));
        return false;
    }
    store::Registry& registry = m_session->store()->registry();
    auto champion = registry.inStage(v->name, "champion");
    auto challenger = registry.inStage(v->name, "challenger");
    if (!champion || !challenger) {
        showProblem(words(champion ? challenger.error() : champion.error()));
        return false;
    }
    if (!*champion || !*challenger) {
        showProblem(tr("Model '%1' needs a champion and a challenger (Promote).")
                        .arg(QString::fromStdString(v->name)));
        return false;
    }
    auto a = registry.bundleBytes(v->name, (*champion)->version);
    auto b = registry.bundleBytes(v->name, (*challenger)->version);
    if (!a || !b) {
        showProblem(words(a ? b.error() : a.error()));
        return false;
    }
    const auto work = [a = std::move(*a), b = std::move(*b), name = v->name,
                       path = dataPath.toStdString(), target = target.toStdString(),
                       bad = badValue.toStdString()](
                          ProgressToken& token, std::optional<ChampionSwapSet>& out) -> QString {
        auto first = bundleFrom(a, name + " champion");
        if (!first) return words(first.error());
        auto second = bundleFrom(b, name + " challenger");
        if (!second) return words(second.error());
        auto set = computeSwapSet(**first, **second, path, target, bad, &token);
        if (!set) return words(set.error());
        out = std::move(*set);
        return {};
    };
    const QString title = tr("Champion version %1 against challenger version %2 on %3")
                              .arg((*champion)->version)
                              .arg((*challenger)->version)
                              .arg(dataPath);
    const auto done = [this, title](bool canceled, const QString& error,
                                    std::shared_ptr<std::optional<ChampionSwapSet>> set) {
        endJob();
        if (canceled || !error.isEmpty()) {
            const QString message = canceled ? tr("Swap set canceled.") : error;
            showProblem(message);
            emit swapSetFinished(false, message);
            return;
        }
        m_swap = std::move(**set);
        m_swapTitle->setText(title);
        showSwapSet();
        const QString text = tr("Swap set: %1 swap-ins, %2 swap-outs of %3 rows")
                                 .arg(m_swap->swapIn.count)
                                 .arg(m_swap->swapOut.count)
                                 .arg(m_swap->rows);
        showNote(text);
        emit statusMessage(text);
        emit swapSetFinished(true, text);
    };
    if (!startForResult<ChampionSwapSet>(m_job, this, work, done)) {
        showProblem(tr("Another job is running."));
        return false;
    }
    startJob(tr("Scoring %1 with the champion and the challenger").arg(dataPath));
    return true;
}

void RegistryView::showSwapSet() {
    if (!m_swap) return;
    const ChampionSwapSet& s = *m_swap;
    const std::pair<QString, const SwapGroup*> groups[] = {
        {tr("Swap-ins (challenger approves, champion does not)"), &s.swapIn},
        {tr("Swap-outs (champion approves, challenger does not)"), &s.swapOut},
        {tr("Approved by both"), &s.approvedByBoth},
        {tr("Approved by neither"), &s.approvedByNeither}};
    m_swapTable->setRowCount(4);
    int row = 0;
    for (const auto& [label, g] : groups) {
        const bool rated = s.labelled && !std::isnan(g->badRate);
        const QString cells[] = {
            label, QString::number(g->count),
            s.labelled ? QString::number(g->bads) : tr("no labels"),
            rated ? QString::number(100.0 * g->badRate, 'f', 1) + "%" : QStringLiteral("n/a")};
        for (int col = 0; col < 4; ++col)
            m_swapTable->setItem(row, col, new QTableWidgetItem(cells[col]));
        ++row;
    }
    m_swapTable->resizeColumnsToContents();
    m_swapTitle->show();
    m_swapTable->show();
}

}  // namespace cwb::ui
