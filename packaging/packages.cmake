# CPack: one DEB (and RPM) package per install component, Debian names and
# Debian 12 dependencies. `scripts/package` runs cpack; README.md lists what
# each package holds and why each remaining lintian warning stays.

set(CPACK_PACKAGE_NAME mynacard)
set(CPACK_PACKAGE_VENDOR "mynacard")
set(CPACK_PACKAGE_CONTACT "mynacard maintainers <maintainers@mynacard.example.org>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# Each package has its own synopsis (the first line of its description
# below). CPack DEB puts CPACK_PACKAGE_DESCRIPTION_SUMMARY before it unless
# the summary is CPack's default, so it is set to exactly that default.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/packages)
# Lintian: no unstripped binaries in a package (debug information stays in
# the build tree).
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL ${_components})
if(NOT MYNACARD_BUILD_GUI)
  list(REMOVE_ITEM CPACK_COMPONENTS_ALL helper)
endif()
if(NOT MYNACARD_BUILD_PKCS11)
  list(REMOVE_ITEM CPACK_COMPONENTS_ALL pkcs11)
endif()
# /etc and the systemd unit directory are outside the /usr prefix on purpose.
set(CPACK_WARN_ON_ABSOLUTE_INSTALL_DESTINATION OFF)

# --- DEB ------------------------------------------------------------------
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# dpkg-shlibdeps writes the Depends on shared libraries (libc6, libssl3,
# libqt6widgets6 …) from the binaries themselves; what is not a shared
# library is listed by hand below.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# xz, as dpkg-deb's default; data.tar is sorted and its mtimes are
# SOURCE_DATE_EPOCH (scripts/package sets it), so the .deb is reproducible.
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

set(_deb ${CMAKE_CURRENT_SOURCE_DIR}/debian)
set(_desc_lib "My Number Card middleware - shared library
libmynacard reads Japan's My Number Card (マイナンバーカード) through
pcsc-lite: its JPKI certificates, signatures with the card's keys, PIN
states and card data, with a hash-chained audit log of each use.

This package holds the shared library libmynacard.so.1.")
set(_desc_dev "My Number Card middleware - development files
libmynacard reads Japan's My Number Card (マイナンバーカード) through
pcsc-lite.

This package holds the C++20 headers, the CMake package
(find_package(mynacard)) and the pkg-config file.")
set(_desc_pkcs11 "My Number Card PKCS#11 module
A PKCS#11 3.0 module for Japan's My Number Card: two tokens (user
authentication and digital signature) with their certificates and keys,
for Firefox, Chromium, OpenSSH, GnuTLS and OpenSSL through p11-kit.

PINs are asked by mynacard-helper's dialog, never by the application.")
set(_desc_tools "My Number Card command-line tool
mynacard lists readers, shows the card's certificates, PIN states and card
data, signs and verifies files, changes PINs, reads the audit log and runs
the clinic front desk's qualification check.")
set(_desc_helper "My Number Card desktop helper (Qt 6)
mynacard-helper is the card view for the desktop and the trusted PIN and
consent dialogs the PKCS#11 module and the command-line tool open; it also
runs the unattended application-support kiosk.")
set(_desc_qualification_server "reference online qualification service for My Number Card
mynacard-qualification-server plays the national side of the online
qualification confirmation for demonstrations, staff training and tests:
it checks a card's signed challenge over HTTPS and answers with the
enrolled insurance record. It is never the real system.

The systemd unit is installed but not enabled.")
set(_desc_virtual_reader "virtual PC/SC reader with software My Number Cards
A pcsc-lite reader driver that serves software My Number Cards, the
mynacard-sim tool that inserts, removes and faults them, and test card
profiles signed by a test PKI: for training and development without a card.

Installing it adds two virtual readers to pcscd.")
foreach(comp IN LISTS _components)
  string(TOUPPER ${comp} COMP)
  set(CPACK_DEBIAN_${COMP}_PACKAGE_NAME ${_pkg_${comp}})
  # First line: the synopsis; the rest: the extended description (CPack
  # indents it and writes an empty line as " .").
  set(CPACK_DEBIAN_${COMP}_DESCRIPTION "${_desc_${comp}}")
  string(FIND "${_desc_${comp}}" "\n" _eol)
  string(SUBSTRING "${_desc_${comp}}" 0 ${_eol} _synopsis)
  math(EXPR _eol "${_eol} + 1")
  string(SUBSTRING "${_desc_${comp}}" ${_eol} -1 _body)
  set(CPACK_RPM_${COMP}_PACKAGE_SUMMARY "${_synopsis}")
  set(CPACK_RPM_${COMP}_PACKAGE_DESCRIPTION "${_body}")
  set(CPACK_DEBIAN_${COMP}_PACKAGE_CONTROL_STRICT_PERMISSION ON)
endforeach()

set(_version ${CPACK_PACKAGE_VERSION})
set(CPACK_DEBIAN_LIB_PACKAGE_SECTION libs)
# libmynacard1: a shlibs file, and an ldconfig trigger instead of calling
# ldconfig from maintainer scripts (lintian: package-must-activate-ldconfig-trigger).
# (CPack's shlibs switch is global; only libmynacard1 has a library with a
# SONAME, the modules have none and get no shlibs line.)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
set(CPACK_DEBIAN_LIB_PACKAGE_CONTROL_EXTRA
    "${_deb}/libmynacard1/triggers;${_deb}/libmynacard1/postinst;${_deb}/libmynacard1/postrm")
set(CPACK_DEBIAN_LIB_PACKAGE_MULTIARCH same)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "libmynacard1 (= ${_version})")
# The module opens mynacard-helper for every PIN (decision 9) and reaches
# readers through pcscd; p11-kit-modules gives the proxy browsers load.
# The audit log copies each entry to the journal through libsystemd, opened
# at the first entry (dlopen: no load cost when unused), so shlibdeps does
# not see it; without it the log file alone is kept (docs/audit.md).
set(CPACK_DEBIAN_LIB_PACKAGE_RECOMMENDS "libsystemd0")
set(CPACK_DEBIAN_PKCS11_PACKAGE_RECOMMENDS "pcscd, mynacard-helper, p11-kit-modules, libsystemd0")
set(CPACK_DEBIAN_TOOLS_PACKAGE_RECOMMENDS "pcscd, libsystemd0")
set(CPACK_DEBIAN_TOOLS_PACKAGE_SUGGESTS "mynacard-helper")
set(CPACK_DEBIAN_HELPER_PACKAGE_SECTION x11)
set(CPACK_DEBIAN_HELPER_PACKAGE_RECOMMENDS "pcscd, libsystemd0")
set(CPACK_DEBIAN_QUALIFICATION_SERVER_PACKAGE_SECTION net)
set(CPACK_DEBIAN_QUALIFICATION_SERVER_PACKAGE_CONTROL_EXTRA
    "${_deb}/mynacard-qualification-server/conffiles;${_deb}/mynacard-qualification-server/prerm;${_deb}/mynacard-qualification-server/postrm")
# A reader driver: pcscd loads it. Its maintainer scripts restart pcscd once
# (only if it runs) so the readers appear or go.
set(CPACK_DEBIAN_VIRTUAL_READER_PACKAGE_DEPENDS "pcscd")
set(CPACK_DEBIAN_VIRTUAL_READER_PACKAGE_CONTROL_EXTRA
    "${_deb}/mynacard-virtual-reader/conffiles;${_deb}/mynacard-virtual-reader/postinst;${_deb}/mynacard-virtual-reader/postrm")

# --- RPM ------------------------------------------------------------------
set(CPACK_RPM_COMPONENT_INSTALL ON)
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_LICENSE "see /usr/share/doc/<package>/copyright")
set(CPACK_RPM_PACKAGE_GROUP "Applications/System")
foreach(comp IN LISTS _components)
  string(TOUPPER ${comp} COMP)
  set(CPACK_RPM_${COMP}_PACKAGE_NAME ${_pkg_${comp}})
endforeach()
set(CPACK_RPM_DEV_PACKAGE_REQUIRES "libmynacard1 = ${_version}")
set(CPACK_RPM_VIRTUAL_READER_PACKAGE_REQUIRES "pcsc-lite")
set(CPACK_RPM_PKCS11_PACKAGE_SUGGESTS "pcsc-lite")
# Directories the system owns: not claimed by our packages.
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
  /etc/reader.conf.d /lib /lib/systemd /lib/systemd/system /usr/share/p11-kit
  /usr/share/p11-kit/modules /usr/lib/pcsc /usr/lib/pcsc/drivers
  /usr/share/bash-completion /usr/share/bash-completion/completions /usr/share/metainfo
  /usr/share/icons /usr/share/icons/hicolor /usr/share/icons/hicolor/scalable
  /usr/share/icons/hicolor/scalable/apps /usr/share/man/ja /usr/share/man/ja/man1
  /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE} /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/pkcs11
  /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/cmake /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/pkgconfig)

include(CPack)
