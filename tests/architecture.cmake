# The dependency rules, on the built targets and on the sources:
# - cardpoll_core links nothing of OpenCV or SDL, and nothing of PostgreSQL (core stays embedded
#   and offline; the school server lives in school/, which may use core).
# - no file of core/ includes libpqxx or libpq, or anything of school/.
foreach(bad opencv SDL2 sdl2 cardpoll_opencv cardpoll_scanner cardpoll_display pqxx PQXX libpq PostgreSQL cardpoll_school)
  string(FIND "${LINKS}" "${bad}" pos)
  if(NOT pos EQUAL -1)
    message(FATAL_ERROR "cardpoll_core links ${bad}: core may use only the standard library and SQLite (${LINKS})")
  endif()
endforeach()
message(STATUS "cardpoll_core links: ${LINKS}")
if(SOURCE_DIR)
  file(GLOB core_files ${SOURCE_DIR}/core/*.cpp ${SOURCE_DIR}/core/*.h)
  if(NOT core_files)
    message(FATAL_ERROR "no core sources found under ${SOURCE_DIR}/core")
  endif()
  foreach(f ${core_files})
    file(STRINGS ${f} includes REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](pqxx|libpq-fe|postgresql/|school/)")
    if(includes)
      message(FATAL_ERROR "${f} includes ${includes}: core must not use the school server (school/ uses core, never the other way)")
    endif()
  endforeach()
endif()
