# What `cmake --install` (and so every CPack package) puts where, besides the two executables
# (app/CMakeLists.txt installs those). Included by Packaging.cmake.
#
# Every destination is relative to the install prefix and uses only BINDIR, DATADIR, MANDIR and
# DOCDIR-like folders under share/, none of which depends on the prefix: the tree configured with
# the default /usr/local prefix therefore packages for /usr unchanged (installer/test-package.sh
# checks that the package holds nothing outside usr/bin and usr/share). A library or a file
# under /etc would need the /usr prefix at configure time (GNUInstallDirs picks the multiarch
# libdir and /etc only then).

include_guard(GLOBAL)

set(CWB_INSTALLER_DIR "${CMAKE_CURRENT_LIST_DIR}")
set(CWB_APPSTREAM_ID "io.github.creditworkbench.CreditWorkbench")
set(CWB_DOC_INSTALL_DIR "${CMAKE_INSTALL_DATADIR}/doc/credit-workbench")
set(CWB_GENERATED_DIR "${CMAKE_BINARY_DIR}/installer")

# --- the version is written in three places besides project(); they must agree ----------------
# Debian's changelog and AppStream's release list carry a text for each version, so they are
# edited by hand; a bump that forgets one stops here instead of shipping a wrong package.
file(STRINGS "${CWB_INSTALLER_DIR}/changelog" cwb_changelog_top LIMIT_COUNT 1)
if(NOT cwb_changelog_top MATCHES "^credit-workbench \\(${PROJECT_VERSION}\\) ")
    message(FATAL_ERROR "installer/changelog starts with '${cwb_changelog_top}', but the project "
                        "version is ${PROJECT_VERSION}: add an entry for ${PROJECT_VERSION} on top")
endif()
file(READ "${CWB_INSTALLER_DIR}/${CWB_APPSTREAM_ID}.metainfo.xml" cwb_metainfo)
string(REGEX MATCH "<release version=\"([^\"]+)\"" cwb_newest_release "${cwb_metainfo}")
if(NOT CMAKE_MATCH_1 STREQUAL PROJECT_VERSION)
    message(FATAL_ERROR "the newest <release> in installer/${CWB_APPSTREAM_ID}.metainfo.xml is "
                        "'${CMAKE_MATCH_1}', but the project version is ${PROJECT_VERSION}")
endif()

# --- files compressed as Debian policy asks (man pages, changelog) ---------------------------
# gzip -n leaves out name and time stamp, so the package is reproducible.
find_program(CWB_GZIP gzip REQUIRED)
# `copy` is a file configure_file() made (it is rewritten when its source changes).
function(cwb_install_gzipped copy destination)
    set(packed "${copy}.gz")
    add_custom_command(OUTPUT "${packed}"
        COMMAND "${CWB_GZIP}" -9 -n -c "${copy}" > "${packed}"
        DEPENDS "${copy}"
        COMMENT "Compressing ${copy}")
    get_filename_component(name "${copy}" NAME)
    string(MAKE_C_IDENTIFIER "cwb_gzip_${name}" target)
    add_custom_target(${target} ALL DEPENDS "${packed}")
    install(FILES "${packed}" DESTINATION "${destination}")
endfunction()

# Man pages carry the project version (@PROJECT_VERSION@ in the source).
function(cwb_install_man_page page)
    set(copy "${CWB_GENERATED_DIR}/man/${page}")
    configure_file("${CWB_INSTALLER_DIR}/${page}" "${copy}" @ONLY)
    cwb_install_gzipped("${copy}" "${CMAKE_INSTALL_MANDIR}/man1")
endfunction()

cwb_install_man_page(cwb.1)

# A native Debian package's changelog is /usr/share/doc/<package>/changelog.gz.
configure_file("${CWB_INSTALLER_DIR}/changelog" "${CWB_GENERATED_DIR}/changelog" COPYONLY)
cwb_install_gzipped("${CWB_GENERATED_DIR}/changelog" "${CWB_DOC_INSTALL_DIR}")
install(FILES "${CWB_INSTALLER_DIR}/copyright" DESTINATION "${CWB_DOC_INSTALL_DIR}")

# --- desktop integration (the headless preset builds no GUI) ---------------------------------
set(CWB_ICON_SIZES 16 22 24 32 48 64 128 256 512)
if(CWB_BUILD_GUI)
    cwb_install_man_page(credit-workbench.1)
    install(FILES "${CWB_INSTALLER_DIR}/credit-workbench.desktop"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
    install(FILES "${CWB_INSTALLER_DIR}/${CWB_APPSTREAM_ID}.metainfo.xml"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")
    install(FILES "${CWB_INSTALLER_DIR}/credit-workbench.svg"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps")

    # The hicolor PNG sizes are rendered from the one SVG at build time, so they never drift
    # from it. rsvg-convert is Debian's librsvg2-bin (in ./dev's package list).
    find_program(CWB_RSVG_CONVERT rsvg-convert)
    if(NOT CWB_RSVG_CONVERT)
        message(FATAL_ERROR "rsvg-convert not found: install the Debian package librsvg2-bin "
                            "(./dev deps does); it renders the PNG icons from "
                            "installer/credit-workbench.svg")
    endif()
    set(icons)
    foreach(size ${CWB_ICON_SIZES})
        set(png "${CWB_GENERATED_DIR}/icons/${size}x${size}/credit-workbench.png")
        add_custom_command(OUTPUT "${png}"
            COMMAND "${CMAKE_COMMAND}" -E make_directory "${CWB_GENERATED_DIR}/icons/${size}x${size}"
            COMMAND "${CWB_RSVG_CONVERT}" --width ${size} --height ${size} --format png
                    --output "${png}" "${CWB_INSTALLER_DIR}/credit-workbench.svg"
            DEPENDS "${CWB_INSTALLER_DIR}/credit-workbench.svg"
            COMMENT "Rendering the ${size}x${size} icon"
            VERBATIM)
        list(APPEND icons "${png}")
        install(FILES "${png}"
                DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps")
    endforeach()
    add_custom_target(cwb_icons ALL DEPENDS ${icons})
endif()

# --- shipped data --------------------------------------------------------------------------
# The model bundles only: recipes and scratch files stay in the tree.
install(DIRECTORY "${CMAKE_SOURCE_DIR}/models/"
        DESTINATION "${CWB_DATA_INSTALL_DIR}/models"
        FILES_MATCHING PATTERN "*.cwbm")
# The sample files and their description; the generator script stays in the source tree.
install(DIRECTORY "${CMAKE_SOURCE_DIR}/sample_data/"
        DESTINATION "${CWB_DATA_INSTALL_DIR}/sample_data"
        FILES_MATCHING PATTERN "*.csv" PATTERN "README.md")

# --- documentation -------------------------------------------------------------------------
# The guides an installed copy needs, and the monitoring configuration to copy from (Prometheus
# scrape and alert rules, their unit tests, the Grafana dashboard): examples, not live config.
install(FILES "${CMAKE_SOURCE_DIR}/docs/user-guide.md" "${CMAKE_SOURCE_DIR}/docs/monitoring.md"
              "${CMAKE_SOURCE_DIR}/docs/file-formats.md"
        DESTINATION "${CWB_DOC_INSTALL_DIR}")
install(DIRECTORY "${CMAKE_SOURCE_DIR}/resources/monitoring/"
        DESTINATION "${CWB_DOC_INSTALL_DIR}/monitoring")
