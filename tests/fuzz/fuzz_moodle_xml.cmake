# libFuzzer target for the Moodle XML importer (core only: libxml2 and the question checks).
# Run: bash .ci/fuzz_moodle_xml.sh (FUZZ_SECONDS=N), seeds tests/data/import/samples/questions.
add_executable(fuzz_moodle_xml ${CMAKE_CURRENT_LIST_DIR}/fuzz_moodle_xml.cpp)
target_compile_options(fuzz_moodle_xml PRIVATE -fsanitize=fuzzer,address)
target_link_options(fuzz_moodle_xml PRIVATE -fsanitize=fuzzer,address)
target_link_libraries(fuzz_moodle_xml PRIVATE cardpoll_core cardpoll_warnings)
