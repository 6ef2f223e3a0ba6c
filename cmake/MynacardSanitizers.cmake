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

# MYNACARD_TSAN=ON (clang only): ThreadSanitizer for the threaded tests
# (scripts/test, build-tsan; docs/reliability.md "Sanitizers"). Its own
# build: TSan cannot share a process with ASan. The runtime is the static
# one, linked into each program: clang 14's shared TSan runtime crashes at
# start on current kernels (a program of one empty main() segfaults). The
# static runtime exports its entry points from the program, so the PKCS#11
# module dlopen()ed by our test host finds them (the module is linked
# without -z defs in this build, pkcs11/CMakeLists.txt). Only our programs
# carry TSan: pcscd runs the IFD handler of an uninstrumented build
# (MYNACARD_IFD_DRIVER, scripts/virtual-pcscd), since TSan must be in a
# process from its start.
if(MYNACARD_TSAN)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "MYNACARD_TSAN needs clang (scripts/lib/common.sh: configure_tsan_build)")
  endif()
  if(MYNACARD_SANITIZE OR MYNACARD_FUZZ)
    message(FATAL_ERROR "MYNACARD_TSAN cannot be combined with MYNACARD_SANITIZE or MYNACARD_FUZZ")
  endif()
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer -O1 -gline-tables-only)
  add_link_options(-fsanitize=thread)
endif()

# MYNACARD_FUZZ=ON (clang only): the libraries the fuzz targets run get
# libFuzzer's coverage instrumentation, and tests/fuzz builds one libFuzzer
# program per target. Without it in those libraries a target would only see
# coverage of its own file and fuzz blind. Only there: the instrumentation
# costs 10-40 % of compile time per file (docs/performance.md, "CI
# budget"), and the unit tests, programs and the GUI of the same build do
# not need it. tests/fuzz marks the libraries (mynacard_fuzz_coverage).
if(MYNACARD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "MYNACARD_FUZZ needs clang (libFuzzer); gcc builds run the seeds "
                        "through fuzz_seeds_test instead")
  endif()
  add_compile_options(
    "$<$<BOOL:$<TARGET_PROPERTY:MYNACARD_FUZZ_COVERAGE>>:-fsanitize=fuzzer-no-link>")
endif()

# mynacard_fuzz_coverage(<targets...>): marks each of our library targets
# and every library target it links, transitively, for coverage
# instrumentation (MYNACARD_FUZZ). Properties are read when the build is
# generated, so marking after the library is defined is enough.
function(mynacard_fuzz_coverage)
  foreach(t ${ARGN})
    if(NOT TARGET ${t})
      continue()
    endif()
    get_target_property(_real ${t} ALIASED_TARGET)
    if(_real)
      set(t ${_real})
    endif()
    get_target_property(_imported ${t} IMPORTED)
    get_target_property(_type ${t} TYPE)
    get_target_property(_done ${t} MYNACARD_FUZZ_COVERAGE)
    if(_imported OR _done OR _type STREQUAL "INTERFACE_LIBRARY")
      continue()
    endif()
    set_target_properties(${t} PROPERTIES MYNACARD_FUZZ_COVERAGE ON)
    get_target_property(_links ${t} LINK_LIBRARIES)
    if(_links)
      mynacard_fuzz_coverage(${_links})
    endif()
  endforeach()
endfunction()
