# stagecast_test_moc(target): moc for the QObject classes a test defines in its own .cpp files,
# which end with #include "NAME.moc" (the QTEST_MAIN style). One direct moc run per such file
# instead of AUTOMOC, whose autogen step (a CMake process per target that scans its sources and
# runs moc with every include folder) cost about 2 s per test binary: some 300 s of job time on
# every build, cached or not, for about 150 tests.
# Also: Qt6::Test defines QT_TESTCASE_BUILDDIR as the target's absolute build folder, unless
# the target says otherwise, and QTEST_MAIN expands it into every test file, so in a clone at
# another path (CI's fresh clone) no test file hit ccache. Only QFINDTESTDATA needs the real
# folder, and no test uses it.
function(stagecast_test_moc target)
    set_target_properties(${target} PROPERTIES QT_TESTCASE_BUILDDIR ".")
    get_target_property(sources ${target} SOURCES)
    set(dir ${CMAKE_CURRENT_BINARY_DIR}/${target}_moc)
    foreach(src IN LISTS sources)
        get_filename_component(path ${src} ABSOLUTE)
        if(NOT path MATCHES "\\.cpp$")
            continue()
        endif()
        file(STRINGS ${path} qobject REGEX "Q_OBJECT")
        if(NOT qobject)
            continue()
        endif()
        get_filename_component(base ${src} NAME_WE)
        set(out ${dir}/${base}.moc)
        add_custom_command(OUTPUT ${out}
            COMMAND Qt6::moc ${path} -o ${out}
            DEPENDS ${path} Qt6::moc
            COMMENT "moc ${base}.moc" VERBATIM)
        target_sources(${target} PRIVATE ${out})
        set_source_files_properties(${out} PROPERTIES HEADER_FILE_ONLY ON)
    endforeach()
    target_include_directories(${target} PRIVATE ${dir})
endfunction()

# stagecast_add_test(NAME tst_Foo SOURCES ... LIBS ... [LABELS ...])
# One Qt Test binary per class, registered with CTest.
function(stagecast_add_test)
    cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    add_executable(${T_NAME} ${T_SOURCES})
    stagecast_test_moc(${T_NAME})
    target_link_libraries(${T_NAME} PRIVATE Qt6::Test stagecast_flags ${T_LIBS})
    add_test(NAME ${T_NAME} COMMAND ${T_NAME})
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 300)
    endif()
    set_tests_properties(${T_NAME} PROPERTIES TIMEOUT ${T_TIMEOUT})
    if(T_LABELS)
        set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}")
    endif()
endfunction()
