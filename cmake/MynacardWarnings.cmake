# Project-wide warnings, applied per target with mynacard_warnings(target).
function(mynacard_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
    -Wnull-dereference -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
  if(MYNACARD_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
