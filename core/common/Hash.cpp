#include "common/Hash.h"

#include <QCryptographicHash>
#include <QFile>

namespace cwb {

std::string sha256Hex(const void* data, std::size_t size) {
    const QByteArray digest = QCryptographicHash::hash(
        QByteArrayView(static_cast<const char*>(data), static_cast<qsizetype>(size)),
        QCryptographicHash::Sha256);
    return digest.toHex().toStdString();
}

Result<std::string> sha256OfFile(const std::string& path) {
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        return Error::badInput("cannot read '" + path + "': " + file.errorString().toStdString());
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file)) return Error::failure("cannot read '" + path + "'");
    return hash.result().toHex().toStdString();
}

}  // namespace cwb
