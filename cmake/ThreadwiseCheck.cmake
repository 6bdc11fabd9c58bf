# ThreadwiseCheck.cmake: a build target that runs `threadwise check` on the
# sources of some targets, with their flags from compile_commands.json.
#
#   include(ThreadwiseCheck)            # before the targets are defined
#   threadwise_add_check_target(threadwise-check TARGETS app core
#                               [ARGS --baseline=${CMAKE_SOURCE_DIR}/threadwise-baseline.json])
#   cmake --build build --target threadwise-check   # fails on findings (exit 1)
#
# The threadwise executable: THREADWISE_EXECUTABLE, else found on PATH.
# All the listed targets' C and C++ sources are checked in one run, so races
# between them are found.

set(CMAKE_EXPORT_COMPILE_COMMANDS ON)

function(threadwise_add_check_target name)
  cmake_parse_arguments(TW "" "" "TARGETS;ARGS" ${ARGN})
  if(NOT TW_TARGETS)
    message(FATAL_ERROR "threadwise_add_check_target(${name}): no TARGETS given")
  endif()
  if(NOT THREADWISE_EXECUTABLE)
    find_program(THREADWISE_EXECUTABLE threadwise REQUIRED)
  endif()
  set(sources)
  foreach(target IN LISTS TW_TARGETS)
    get_target_property(target_sources ${target} SOURCES)
    get_target_property(target_dir ${target} SOURCE_DIR)
    foreach(src IN LISTS target_sources)
      if(src MATCHES "\\.(c|cc|cpp|cxx|c\\+\\+)$" AND NOT src MATCHES "^\\$<")
        get_filename_component(abs "${src}" ABSOLUTE BASE_DIR "${target_dir}")
        list(APPEND sources "${abs}")
      endif()
    endforeach()
  endforeach()
  list(REMOVE_DUPLICATES sources)
  add_custom_target(${name}
    COMMAND ${THREADWISE_EXECUTABLE} check -p ${CMAKE_BINARY_DIR} ${TW_ARGS} ${sources}
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
    COMMENT "threadwise check: ${TW_TARGETS}"
    VERBATIM)
endfunction()
