# mynacard_include_root(<target> <name> [PRIVATE])
#
# The target's headers are included as "<name>/file.h" — by the target
# itself and by what links it, and by nothing else. Each folder gets its own
# include root in the build tree, holding one link named <name> to the
# folder: a target sees exactly the folders of the targets it links, so a
# missing link edge is a compile error ("core/error.h: No such file"), not a
# hidden dependency. (A root of middleware/ would expose every folder.)
# PRIVATE: for executables and modules, whose headers nobody else includes.
function(mynacard_include_root target name)
  set(root ${CMAKE_BINARY_DIR}/include-roots/${name})
  if(NOT IS_SYMLINK ${root}/${name})
    file(MAKE_DIRECTORY ${root})
    file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR} ${root}/${name} SYMBOLIC)
  endif()
  get_target_property(type ${target} TYPE)
  if(ARGV2 STREQUAL "PRIVATE")
    target_include_directories(${target} PRIVATE ${root})
  elseif(type STREQUAL "INTERFACE_LIBRARY")
    target_include_directories(${target} INTERFACE $<BUILD_INTERFACE:${root}>)
  else()
    target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${root}>)
  endif()
endfunction()
