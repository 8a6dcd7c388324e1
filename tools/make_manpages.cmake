# Writes one man page per cardpoll command from its own --help text, so the pages can never
# disagree with the program: cardpoll.1 from `cardpoll --help`, cardpoll-NAME.1 from
# `cardpoll NAME --help`.
#   cmake -DEXE=path/to/cardpoll -DOUT=dir -DVERSION=x.y.z -P make_manpages.cmake
if(NOT EXE OR NOT OUT)
  message(FATAL_ERROR "make_manpages: EXE and OUT are required")
endif()
file(MAKE_DIRECTORY "${OUT}")
string(TIMESTAMP _date "%Y-%m-%d" UTC)

# Escapes text for roff and keeps it verbatim (.nf): backslashes, and lines that start with
# a control character.
function(_roff_page file title section summary text)
  string(REPLACE "\\" "\\e" _t "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" _t "${_t}")
  string(TOUPPER "${title}" _up)
  file(WRITE "${file}"
    ".TH ${_up} ${section} \"${_date}\" \"cardpoll ${VERSION}\" \"cardpoll manual\"\n"
    ".SH NAME\n${title} \\- ${summary}\n"
    ".SH DESCRIPTION\n.nf\n${_t}\n.fi\n"
    ".SH SEE ALSO\ncardpoll(1)\n")
endfunction()

execute_process(COMMAND "${EXE}" --help OUTPUT_VARIABLE _main RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "make_manpages: ${EXE} --help failed (${_rc})")
endif()
_roff_page("${OUT}/cardpoll.1" "cardpoll" 1 "read students' answer cards from a webcam, offline" "${_main}")

# The command list: the indented lines under "Commands:" up to the next blank line.
string(REGEX MATCH "Commands:\n(( +[^\n]*\n)+)" _block "${_main}")
# (Summaries may hold ';', CMake's list separator: kept aside while the lines are split.)
string(REPLACE ";" "<semicolon>" _block "${CMAKE_MATCH_1}")
string(REPLACE "\n" ";" _lines "${_block}")
set(_count 0)
foreach(_line IN LISTS _lines)
  if(_line MATCHES "^ +([a-z][a-z0-9-]*) +(.*)$")
    set(_name "${CMAKE_MATCH_1}")
    string(REPLACE "<semicolon>" ";" _summary "${CMAKE_MATCH_2}")
    execute_process(COMMAND "${EXE}" "${_name}" --help OUTPUT_VARIABLE _help RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
      message(FATAL_ERROR "make_manpages: ${EXE} ${_name} --help failed (${_rc})")
    endif()
    _roff_page("${OUT}/cardpoll-${_name}.1" "cardpoll-${_name}" 1 "${_summary}" "${_help}")
    math(EXPR _count "${_count} + 1")
  endif()
endforeach()
if(_count EQUAL 0)
  message(FATAL_ERROR "make_manpages: no commands found in `${EXE} --help`")
endif()
