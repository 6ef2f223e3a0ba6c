# The dependency direction (architecture: "a target includes only what it
# links"; middleware/README.md). Checked when the build is configured, so CI
# and every developer build fail on an edge the design does not allow —
# the include roots (MynacardIncludeRoot.cmake) make every include an edge.
#
# One entry per product target: the mynacard targets it may link directly.
# A product target missing here is an error too: a new folder states its
# place first.
set(_mynacard_allowed
  "mynacard_core="
  "mynacard_apdu=core"
  "mynacard_quirks="
  "mynacard_pcsc=core apdu quirks"
  "mynacard_card=core apdu"
  "mynacard_x509=core apdu"
  "mynacard_audit=core"
  "mynacard_pinhelper=core card"
  "mynacard_consent=core x509 pinhelper audit"
  "mynacard_session=core apdu card audit x509"
  # オンライン資格確認: the XmlMsg model and the terminal folders (decision 10).
  "mynacard_qualification=core"
  # Backend (b): the reference service's client and the service itself.
  "mynacard_qualification_client=core qualification x509"
  "mynacard_qualification_service=core qualification qualification_client x509"
  "mynacard-qualification-server=qualification_service"
  # The pcscd source: linked by composition roots only.
  "mynacard_session_pcsc=session pcsc"
  "mynacard_cli=core apdu card x509 audit pinhelper consent session session_pcsc qualification qualification_client"
  "mynacard=cli"
  # libmynacard.so.1: the folders' objects, no link to their targets.
  "mynacard_library="
  "mynacard_pkcs11_core=core apdu card x509 audit pinhelper consent session"
  "mynacard_pkcs11=core session pkcs11_core session_pcsc"
  "mynacard_gui_parsers=core"
  "mynacard_gui=core apdu card x509 audit pinhelper consent session session_pcsc gui_parsers qualification qualification_client"
  "mynacard-helper=gui"
  # reader-drivers: what stands in for hardware. The software card is an
  # independent implementation of the card: never the product's card layer.
  "mynacard_softcard=core apdu"
  "mynacard_virtual_core=core apdu softcard"
  "ifd_mynacard_virtual=virtual_core"
  "mynacard_sim_client=core"
  "mynacard_sim=core softcard sim_client"
)
# Outside libraries only these targets may link (decision 3: Botan only in
# the software card; the module and the CLI never link Qt).
set(_mynacard_external_only
  "PkgConfig::BOTAN2=mynacard_softcard"
  "Qt6::Widgets=mynacard_gui mynacard-helper"
  "Qt6::Core=mynacard_gui mynacard-helper"
  "Qt6::Gui=mynacard_gui_parsers"
)

function(_mynacard_targets_in dir out)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub IN LISTS subdirs)
    _mynacard_targets_in(${sub} more)
    list(APPEND targets ${more})
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

function(mynacard_check_dependencies)
  _mynacard_targets_in(${PROJECT_SOURCE_DIR} all)
  set(errors "")
  foreach(target IN LISTS all)
    get_target_property(dir ${target} SOURCE_DIR)
    file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR} ${dir})
    # Product folders only; tests link whatever they test.
    if(NOT rel MATCHES "^(middleware|pkcs11|gui|reader-drivers)(/|$)")
      continue()
    endif()
    get_target_property(type ${target} TYPE)
    # Custom targets and Qt's generated resource objects link nothing.
    if(type STREQUAL "UTILITY" OR target MATCHES "_resources_[0-9]+$")
      continue()
    endif()
    set(allowed "")
    set(listed FALSE)
    foreach(entry IN LISTS _mynacard_allowed)
      string(FIND "${entry}" "=" eq)
      string(SUBSTRING "${entry}" 0 ${eq} name)
      if(name STREQUAL target)
        math(EXPR start "${eq} + 1")
        string(SUBSTRING "${entry}" ${start} -1 deps)
        string(REPLACE " " ";" allowed "${deps}")
        set(listed TRUE)
      endif()
    endforeach()
    if(NOT listed)
      string(APPEND errors "  ${target} (${rel}) has no entry in cmake/MynacardDependencies.cmake\n")
      continue()
    endif()
    get_target_property(links ${target} LINK_LIBRARIES)
    if(NOT links)
      set(links "")
    endif()
    foreach(item IN LISTS links)
      if(NOT TARGET ${item})
        continue()
      endif()
      get_target_property(real ${item} ALIASED_TARGET)
      if(NOT real)
        set(real ${item})
      endif()
      foreach(rule IN LISTS _mynacard_external_only)
        string(FIND "${rule}" "=" eq)
        string(SUBSTRING "${rule}" 0 ${eq} lib)
        math(EXPR start "${eq} + 1")
        string(SUBSTRING "${rule}" ${start} -1 users)
        string(REPLACE " " ";" users "${users}")
        if(item STREQUAL lib AND NOT target IN_LIST users)
          string(APPEND errors "  ${target} links ${lib}, which only ${users} may link\n")
        endif()
      endforeach()
      if(NOT real MATCHES "^(ifd_)?mynacard")
        continue()
      endif()
      string(REGEX REPLACE "^mynacard_" "" short ${real})
      if(NOT short IN_LIST allowed)
        string(APPEND errors "  ${target} links ${real}: not in its list (${allowed})\n")
      endif()
    endforeach()
  endforeach()
  if(errors)
    message(FATAL_ERROR "Dependency direction broken (see cmake/MynacardDependencies.cmake):\n${errors}")
  endif()
endfunction()
