# Fails when cardpoll_core links anything of OpenCV or SDL (the dependency rule).
foreach(bad opencv SDL2 sdl2 cardpoll_opencv cardpoll_scanner cardpoll_display)
  string(FIND "${LINKS}" "${bad}" pos)
  if(NOT pos EQUAL -1)
    message(FATAL_ERROR "cardpoll_core links ${bad}: core may use only the standard library and SQLite (${LINKS})")
  endif()
endforeach()
message(STATUS "cardpoll_core links: ${LINKS}")
