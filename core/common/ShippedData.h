#pragma once
// Where the files shipped with the program (model bundles, sample data) are found, both in a
// build tree and in an installed copy (the Debian package under /usr, or the tarball unpacked
// anywhere), without any configuration.

#include <QString>
#include <QStringList>

namespace cwb {

struct ShippedDataLocations {
    // The folder of the running executable (QCoreApplication::applicationDirPath()).
    QString applicationDir;
    // The build tree the executable was built in, and the source tree it was built from. A
    // binary that runs from its build tree reads the files next to the sources.
    QString buildDir;
    QString sourceDir;
    // From the executable's folder to the installed data folder, e.g.
    // "../share/credit-workbench" for bin/ and share/ under one prefix.
    QString relativeDataDir;
    // Data folders of the system, searched last for "credit-workbench/<relative>" (the XDG
    // data directories: $XDG_DATA_HOME, then $XDG_DATA_DIRS).
    QStringList systemDataDirs;
};

// The shipped file or folder `relative` ("models/german_credit.cwbm", "sample_data"), looked
// up in this order:
//   1. the source tree, when the executable runs from inside its build tree;
//   2. the data folder installed with the executable (applicationDir/relativeDataDir);
//   3. credit-workbench/ under each of the system data folders.
// An installed executable therefore never reads a checkout that happens to exist on the
// machine it was built on. Returns a clean absolute path, or an empty string when none exists.
QString locateShippedData(const QString& relative, const ShippedDataLocations& where);

}  // namespace cwb
