# The installed program runs from a clean prefix: `cmake --install` into an empty folder, then
# the installed cardpoll (not the build tree's) finds its demo lesson beside itself and runs it.
#   cmake -DBUILD=build-dir -DWORK=scratch-dir -P check_install.cmake
file(REMOVE_RECURSE "${WORK}")
set(prefix "${WORK}/prefix")
execute_process(COMMAND ${CMAKE_COMMAND} --install "${BUILD}" --prefix "${prefix}"
  RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${rc})")
endif()
foreach(f bin/cardpoll share/cardpoll/demo/class.csv share/cardpoll/demo/demo.mp4
          share/applications/cardpoll.desktop share/icons/hicolor/scalable/apps/cardpoll.svg
          share/man/man1/cardpoll.1 share/man/man1/cardpoll-live.1 share/man/man1/cardpoll-export.1)
  if(NOT EXISTS "${prefix}/${f}")
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()
file(READ "${prefix}/share/man/man1/cardpoll-live.1" man)
if(NOT man MATCHES "\\.TH CARDPOLL-LIVE 1" OR NOT man MATCHES "--quit-after")
  message(FATAL_ERROR "cardpoll-live.1 is not the live command's help as a man page")
endif()

execute_process(COMMAND "${prefix}/bin/cardpoll" --version OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT out MATCHES "^cardpoll [0-9]")
  message(FATAL_ERROR "installed cardpoll --version: ${rc} ${out}")
endif()
# The demo must come from the prefix: an empty CARDPOLL_DEMO_DIR would override the search.
execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=CARDPOLL_DEMO_DIR --unset=DISPLAY
    "${prefix}/bin/cardpoll" --db "${WORK}/lesson.db" live --headless --quit-after 2
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc TIMEOUT 120)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "installed cardpoll live failed (${rc}):\n${out}\n${err}")
endif()
string(FIND "${out}" "${prefix}/share/cardpoll/demo" at)
if(at LESS 0)
  message(FATAL_ERROR "installed cardpoll did not take the demo from its prefix:\n${out}")
endif()
file(REMOVE_RECURSE "${WORK}")
