# Debian package of the plugin: `cpack -G DEB` (or just `cpack`) in a build dir.
#
# The package installs tlsdiag.so where the Wireshark it was built against
# looks for system plugins (install() in CMakeLists.txt), the docs into
# /usr/share/doc/tlsdiag and, when the repository has profiles/, the
# configuration profiles into Wireshark's global profiles folder. It depends
# on the packages holding the libraries the build linked, found with dpkg -S.

# Docs: relative, so under the packaging prefix (/usr).
install(FILES "${PROJECT_SOURCE_DIR}/README.md" DESTINATION share/doc/tlsdiag)
if(IS_DIRECTORY "${PROJECT_SOURCE_DIR}/docs")
  install(DIRECTORY "${PROJECT_SOURCE_DIR}/docs/" DESTINATION share/doc/tlsdiag)
endif()
# Profiles: each folder of profiles/ into Wireshark's own data folder, like
# the plugin (absolute); loose files there (README.md) are docs, not profiles.
file(GLOB _tlsdiag_profiles LIST_DIRECTORIES true CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/profiles/*")
foreach(_p IN LISTS _tlsdiag_profiles)
  if(IS_DIRECTORY "${_p}")
    install(DIRECTORY "${_p}" DESTINATION "${Wireshark_INSTALL_PREFIX}/share/wireshark/profiles")
  elseif(_p MATCHES "/README.md$")
    install(FILES "${_p}" DESTINATION share/doc/tlsdiag RENAME profiles.md)
  endif()
endforeach()

# tlsdiag_debian_package(VAR FILE): the package owning FILE (symlinks
# resolved), or empty when dpkg does not know it.
function(tlsdiag_debian_package var file)
  file(REAL_PATH "${file}" real)
  execute_process(COMMAND dpkg-query -S "${real}" OUTPUT_VARIABLE out
                  RESULT_VARIABLE rc ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
  # "libwireshark16:amd64: /usr/lib/.../libwireshark.so.16.0.17"
  if(rc EQUAL 0 AND out MATCHES "^([^:, ]+)")
    set(${var} "${CMAKE_MATCH_1}" PARENT_SCOPE)
  else()
    set(${var} "" PARENT_SCOPE)
  endif()
endfunction()

# The library behind the imported epan target (one configuration is enough).
get_target_property(_tlsdiag_epan_configs epan IMPORTED_CONFIGURATIONS)
list(GET _tlsdiag_epan_configs 0 _tlsdiag_epan_config)
get_target_property(_tlsdiag_epan_lib epan IMPORTED_LOCATION_${_tlsdiag_epan_config})
tlsdiag_debian_package(_tlsdiag_ws_pkg "${_tlsdiag_epan_lib}")
# GLib: the plugin links it directly.
find_library(_tlsdiag_glib_lib NAMES glib-2.0 HINTS ${GLIB_LIBRARY_DIRS} NO_CACHE)
tlsdiag_debian_package(_tlsdiag_glib_pkg "${_tlsdiag_glib_lib}")

set(_tlsdiag_depends "")
if(_tlsdiag_ws_pkg)
  # The plugin only loads into the same major.minor, which the package name
  # (the soname) already pins; the version states it for humans.
  list(APPEND _tlsdiag_depends
       "${_tlsdiag_ws_pkg} (>= ${Wireshark_MAJOR_VERSION}.${Wireshark_MINOR_VERSION})")
else()
  message(WARNING "packaging: no Debian package owns ${_tlsdiag_epan_lib}; the .deb will not depend on libwireshark")
endif()
if(_tlsdiag_glib_pkg)
  list(APPEND _tlsdiag_depends "${_tlsdiag_glib_pkg}")
endif()
list(JOIN _tlsdiag_depends ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
message(STATUS "packaging: Depends: ${CPACK_DEBIAN_PACKAGE_DEPENDS}")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tlsdiag)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Wireshark plugin naming why a TLS handshake failed")
set(CPACK_PACKAGE_DESCRIPTION
    "A post-dissector that follows every TLS handshake in a capture and, where one fails, adds an expert-info entry naming the cause, with the evidence and a remedy, and tlsdiag.* fields for filters.")
if(NOT CPACK_PACKAGE_CONTACT)
  set(CPACK_PACKAGE_CONTACT "tlsdiag maintainers <root@localhost>")
endif()
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_ENHANCES "wireshark, tshark")
# A build for Wireshark 4.0 and one for 4.4 are different packages: say which in the file name.
set(CPACK_DEBIAN_PACKAGE_RELEASE "1+ws${Wireshark_MAJOR_VERSION}.${Wireshark_MINOR_VERSION}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)   # a RelWithDebInfo plugin is mostly debug info
include(CPack)
