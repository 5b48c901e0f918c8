# cwb_test_paths(VAR): the environment entries that tell a test where the checkout, the shared
# data and `cwb` are (tests/common/TestPaths.h). They are not compiled in, so that no test's
# object file holds a path of the checkout and clones share ccache hits (decision 47).
function(cwb_test_paths var)
    set(${var} "CWB_SOURCE_DIR=${CMAKE_SOURCE_DIR}" "CWB_SHARED_DIR=${CWB_SHARED_DIR}"
               "CWB_CLI_PATH=$<TARGET_FILE:cwb>" PARENT_SCOPE)
endfunction()

# cwb_add_test(NAME name SOURCES a.cpp ... [LIBS libs...] [GUI] [TIMEOUT s] [LABELS l...])
# One Qt Test executable registered with CTest. GUI tests run on the offscreen platform.
function(cwb_add_test)
    cmake_parse_arguments(T "GUI" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    add_executable(${T_NAME} ${T_SOURCES})
    target_link_libraries(${T_NAME} PRIVATE Qt6::Test ${T_LIBS})
    add_test(NAME ${T_NAME} COMMAND ${T_NAME})
    # XDG_STATE_HOME keeps the JSON logs of test runs out of the user's home.
    cwb_test_paths(env)
    list(APPEND env "CWB_TEST_TMP=${CMAKE_CURRENT_BINARY_DIR}/tmp_${T_NAME}"
                    "XDG_STATE_HOME=${CMAKE_CURRENT_BINARY_DIR}/state")
    if(T_GUI)
        list(APPEND env "QT_QPA_PLATFORM=offscreen")
    endif()
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 300)
    endif()
    set_tests_properties(${T_NAME} PROPERTIES ENVIRONMENT "${env}" TIMEOUT ${T_TIMEOUT}
                         LABELS "${T_LABELS}")
endfunction()
