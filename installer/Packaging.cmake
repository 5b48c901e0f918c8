# Install rules for the desktop integration, documentation and data, and the CPack DEB
# configuration. Included from the root CMakeLists.txt after the targets are defined:
#
#   include(installer/Packaging.cmake)
#
# Build a package (configure with the /usr prefix so GNUInstallDirs picks Debian's layout):
#
#   cmake -S . -B build/deb -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr
#   cmake --build build/deb && cpack --config build/deb/CPackConfig.cmake -B dist
#
# The executables install themselves (app/CMakeLists.txt). SHLIBDEPS needs dpkg-dev and file;
# without dpkg-shlibdeps CPack silently ships a package without library dependencies.

include_guard(GLOBAL)
include(GNUInstallDirs)

set(CWB_INSTALLER_DIR "${CMAKE_CURRENT_LIST_DIR}")
set(CWB_APPSTREAM_ID "io.github.creditworkbench.CreditWorkbench")
set(CWB_DATA_INSTALL_DIR "${CMAKE_INSTALL_DATADIR}/credit-workbench")
set(CWB_DOC_INSTALL_DIR "${CMAKE_INSTALL_DATADIR}/doc/credit-workbench")

# Man pages go in compressed, as Debian policy asks. -n leaves out name and time stamp, so the
# package is reproducible.
find_program(CWB_GZIP gzip)
function(cwb_install_man_page page)
    set(source "${CWB_INSTALLER_DIR}/${page}")
    if(CWB_GZIP)
        set(copy "${CMAKE_CURRENT_BINARY_DIR}/man/${page}")
        set(packed "${copy}.gz")
        add_custom_command(OUTPUT "${packed}"
            COMMAND "${CMAKE_COMMAND}" -E copy "${source}" "${copy}"
            COMMAND "${CWB_GZIP}" -9 -n -f "${copy}"
            DEPENDS "${source}"
            COMMENT "Compressing man page ${page}"
            VERBATIM)
        string(MAKE_C_IDENTIFIER "cwb_man_${page}" target)
        add_custom_target(${target} ALL DEPENDS "${packed}")
        install(FILES "${packed}" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
    else()
        install(FILES "${source}" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
    endif()
endfunction()

cwb_install_man_page(cwb.1)

# The desktop integration only makes sense when the GUI is built (the headless preset skips it).
if(NOT DEFINED CWB_BUILD_GUI OR CWB_BUILD_GUI)
    cwb_install_man_page(credit-workbench.1)
    install(FILES "${CWB_INSTALLER_DIR}/credit-workbench.desktop"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
    install(FILES "${CWB_INSTALLER_DIR}/credit-workbench.svg"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps")
    install(FILES "${CWB_INSTALLER_DIR}/${CWB_APPSTREAM_ID}.metainfo.xml"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")
endif()

install(FILES "${CWB_INSTALLER_DIR}/copyright" DESTINATION "${CWB_DOC_INSTALL_DIR}")

# The shipped model bundles (only the bundles: recipes and scratch files stay in the tree).
install(DIRECTORY "${CMAKE_SOURCE_DIR}/models/"
        DESTINATION "${CWB_DATA_INSTALL_DIR}/models"
        FILES_MATCHING PATTERN "*.cwbm")

# The sample files and their description; the generator script stays in the source tree.
install(DIRECTORY "${CMAKE_SOURCE_DIR}/sample_data/"
        DESTINATION "${CWB_DATA_INSTALL_DIR}/sample_data"
        FILES_MATCHING PATTERN "*.csv" PATTERN "README.md")

# --- CPack: Debian package ------------------------------------------------------------------
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "credit-workbench")
set(CPACK_PACKAGE_VENDOR "Credit Workbench developers")
set(CPACK_PACKAGE_CONTACT "Credit Workbench developers <team@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Credit scoring workbench (Qt 6)")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://github.com/creditworkbench/credit-workbench")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "credit-workbench")
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # credit-workbench_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
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
# The Qt SQLite driver is a plugin loaded with dlopen(): dpkg-shlibdeps cannot see it.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "prometheus-pushgateway")

include(CPack)
