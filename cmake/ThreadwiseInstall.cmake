# Installation layout, CMake package and Debian package (docs/usage.md, "Install").
#   bin/threadwise                       the command (a dispatcher without LLVM)
#   libexec/threadwise/threadwise-<cmd>  check, profile, report: what it execs
#   lib/threadwise-plugin.so             clang++ -fplugin=...
#   lib/libthreadwise-preload.so         `threadwise profile` looks for <exe>/../lib/
#   lib/cmake/threadwise/                find_package(threadwise)
#   share/threadwise/rules/              RuleSet::loadDefault: <exe>/../share/threadwise/rules
#   share/doc/threadwise/, share/man/man1/threadwise.1,
#   share/bash-completion/completions/threadwise
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The installed command finds everything relative to itself, so fixed
# subdirectories (not the multiarch CMAKE_INSTALL_LIBDIR) are used.
install(TARGETS threadwise RUNTIME DESTINATION bin)
install(TARGETS threadwise-plugin LIBRARY DESTINATION lib)
if(TARGET threadwise-preload)
  install(TARGETS threadwise-preload LIBRARY DESTINATION lib)
endif()
foreach(extra threadwise-clangd threadwise-tidy-module)
  if(TARGET ${extra})
    get_target_property(kind ${extra} TYPE)
    if(kind STREQUAL "EXECUTABLE")
      install(TARGETS ${extra} RUNTIME DESTINATION bin)
    else()
      install(TARGETS ${extra} LIBRARY DESTINATION lib)
    endif()
  endif()
endforeach()
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} OPTIONAL)
install(FILES tools/threadwise/share/threadwise.bash-completion
        DESTINATION share/bash-completion/completions RENAME threadwise)

# The man page is `threadwise check --help`, turned into troff at build time.
find_program(THREADWISE_SYSTEM_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
set(THREADWISE_MANPAGE ${CMAKE_BINARY_DIR}/share/man/man1/threadwise.1)
add_custom_command(OUTPUT ${THREADWISE_MANPAGE}
  COMMAND ${THREADWISE_SYSTEM_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/scripts/make-manpage.py
          $<TARGET_FILE:threadwise> ${PROJECT_VERSION} ${THREADWISE_MANPAGE}
  DEPENDS threadwise ${CMAKE_CURRENT_SOURCE_DIR}/scripts/make-manpage.py
  COMMENT "Generating threadwise.1 from --help")
add_custom_target(threadwise-manpage ALL DEPENDS ${THREADWISE_MANPAGE})
install(FILES ${THREADWISE_MANPAGE} DESTINATION share/man/man1)

math(EXPR LLVM_VERSION_MAJOR_NEXT "${LLVM_VERSION_MAJOR} + 1")
# find_package(threadwise): threadwise::threadwise, threadwise::plugin, threadwise_enable().
configure_package_config_file(cmake/threadwiseConfig.cmake.in
  ${CMAKE_BINARY_DIR}/cmake/threadwiseConfig.cmake
  INSTALL_DESTINATION lib/cmake/threadwise)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/cmake/threadwiseConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/cmake/threadwiseConfig.cmake
              ${CMAKE_BINARY_DIR}/cmake/threadwiseConfigVersion.cmake
        DESTINATION lib/cmake/threadwise)

# cpack -G DEB: the command needs the LLVM 19 runtime libraries it links, and
# Clang's builtin headers (stddef.h, omp.h) from libclang-common-19-dev.
set(CPACK_PACKAGE_NAME threadwise)
set(CPACK_PACKAGE_VENDOR "threadwise")
set(CPACK_PACKAGE_CONTACT "threadwise maintainers <threadwise@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "Finds data races and CPU work serialized on threads (Clang 19 analysis and profiler)")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE amd64)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "libclang-cpp19, libllvm19, libclang-common-19-dev, libpfm4, libc6, libstdc++6")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
include(CPack)
