# The Debian package and the tarball, made by CPack from a built tree. Included from the root
# CMakeLists.txt after the targets are defined:
#
#   include(installer/Packaging.cmake)
#
# Package the release build as it is (no second compile; docs/building.md):
#
#   cmake --preset release && cmake --build --preset release
#   cpack --config build/release/CPackConfig.cmake -B dist        # .deb and .tar.gz
#
# The .deb installs under /usr whatever CMAKE_INSTALL_PREFIX the tree has (CPack's DEB generator
# sets CPACK_PACKAGING_INSTALL_PREFIX to /usr, see InstallRules.cmake for why that is safe).
# The tarball holds bin/ and share/ under one top folder and runs from wherever it is unpacked.
# SHLIBDEPS needs dpkg-dev and file; without dpkg-shlibdeps CPack silently ships a package
# without library dependencies (installer/test-package.sh checks the Depends line).

include_guard(GLOBAL)
include(GNUInstallDirs)
include("${CMAKE_CURRENT_LIST_DIR}/InstallRules.cmake")

set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_PACKAGE_NAME "credit-workbench")
set(CPACK_PACKAGE_VENDOR "Credit Workbench developers")
set(CPACK_PACKAGE_CONTACT "Credit Workbench developers <team@example.invalid>"
    CACHE STRING "Maintainer of the Debian package (name <address>)")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Credit scoring workbench (Qt 6)")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://github.com/creditworkbench/credit-workbench")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "credit-workbench")
set(CPACK_PACKAGE_FILE_NAME "credit-workbench-${PROJECT_VERSION}-linux-${CMAKE_SYSTEM_PROCESSOR}")
set(CPACK_PACKAGE_CHECKSUM SHA256)  # a .sha256 file beside each package, for the administrator
set(CPACK_STRIP_FILES ON)
set(CPACK_THREADS 0)  # compress with every core

# --- Debian package ------------------------------------------------------------------------
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # credit-workbench_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_COMPRESSION_TYPE "xz")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The extended description; CPack puts the summary above it and formats the control field.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Credit Workbench scores applicants one at a time or in large batch files,
explains each score with per-characteristic contributions and plain-language
reason codes, and reports AUC, Gini, KS, calibration, population stability
and adverse impact. It trains XGBoost gradient-boosted trees, random forests
and weight-of-evidence scorecards, and imports XGBoost models trained in
Python. Models are self-contained, checksummed bundle files.

The package contains the desktop application (credit-workbench), its
command-line twin (cwb), the shipped model bundles and sample data.")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# dpkg-shlibdeps sees only the libraries the executables link. Qt loads its SQL drivers as
# plugins with dlopen(): the store (core/store) uses QtSql's SQLite driver, and a team store on
# PostgreSQL its PostgreSQL driver (docs/team-store.md). PDF reports
# (`cwb report`, the report preview) draw their text with fonts that fontconfig must find, and
# nothing the executables link pulls a font in: DejaVu, as the build and tests use. The platform plugins (xcb, offscreen, wayland through XWayland) and
# the SVG icon plugin come with libqt6gui6 and libqt6svg6, which shlibdeps finds;
# qt6-qpa-plugins only adds vnc and tuiotouch and is not needed.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, libqt6sql6-psql, fonts-dejavu-core")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "prometheus-pushgateway")
# The monitoring examples in /usr/share/doc/credit-workbench/monitoring are Prometheus files.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "prometheus")

include(CPack)
