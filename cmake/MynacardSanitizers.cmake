# MYNACARD_SANITIZE=ON builds everything with ASan + UBSan; CI runs the unit
# tests and a subset of the integration tests in such a build with clang
# (scripts/test, docs/reliability.md "Sanitizers").
#
# The build is made for running tests, not for shipping: -O1 keeps ASan's
# reports exact and compiles about three times faster than -O2 -g
# (docs/performance.md, "CI budget"); line tables are all a stack trace
# needs. Later options win, so these override the build type's -O2 -g.
if(MYNACARD_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined -O1)
  add_link_options(-fsanitize=address,undefined)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    add_compile_options(-gline-tables-only)
    # The ASan runtime as a shared library, found through the rpath: the
    # PKCS#11 module and the IFD handler run inside programs we do not
    # build (pkcs11-tool, pcscd), which get the same runtime by LD_PRELOAD
    # (docs/reliability.md, "Sanitizers"); one runtime per process.
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libclang_rt.asan-x86_64.so
                    OUTPUT_VARIABLE MYNACARD_ASAN_RUNTIME OUTPUT_STRIP_TRAILING_WHITESPACE)
    set(MYNACARD_ASAN_RUNTIME ${MYNACARD_ASAN_RUNTIME} CACHE INTERNAL "")
    get_filename_component(_asan_dir ${MYNACARD_ASAN_RUNTIME} DIRECTORY)
    add_link_options(-shared-libasan -Wl,-rpath,${_asan_dir})
  else()
    add_compile_options(-g1)
  endif()
endif()

# MYNACARD_FUZZ=ON (clang only): every library gets libFuzzer's coverage
# instrumentation, and tests/fuzz builds one libFuzzer program per target.
# Without the instrumentation in the libraries a target would only see
# coverage of its own file and fuzz blind.
if(MYNACARD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "MYNACARD_FUZZ needs clang (libFuzzer); gcc builds run the seeds "
                        "through fuzz_seeds_test instead")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
