# mynacard-pkcs11.so through pcscd and the virtual readers: a black-box API
# suite (GoogleTest, dlopen) and real clients (pkcs11-tool, openssl, p11tool).
# Included by CMakeLists.txt in this directory, after its fixture and _env.
if(TARGET mynacard_pkcs11)
  # These clients log in to the signature token unattended: the holder's
  # consent to release the signature certificate (decision 11) is given by
  # configuration, as on a headless machine. pkcs11_consent tests the rule.
  set(_p11_env "${_env};MYNACARD_CONSENT=allow")
  pkg_check_modules(NSS_PKCS11_HEADERS_TEST REQUIRED nss)  # PKCS#11 3.0 headers only
  # A GoogleTest suite that dlopen()s the module (fixture: pkcs11_fixture.h).
  function(mynacard_pkcs11_suite name source env)
    add_executable(${name}_test ${source})
    target_include_directories(${name}_test SYSTEM PRIVATE ${NSS_PKCS11_HEADERS_TEST_INCLUDE_DIRS})
    target_link_libraries(${name}_test PRIVATE mynacard::pcsc mynacard::x509 mynacard::core
                          mynacard::test_support
                          nlohmann_json::nlohmann_json GTest::gtest_main ${CMAKE_DL_LIBS})
    mynacard_warnings(${name}_test)
    add_dependencies(${name}_test mynacard_pkcs11 ${ARGN})
    add_test(NAME integration.${name} COMMAND ${name}_test)
    set_tests_properties(integration.${name} PROPERTIES
      ENVIRONMENT "${env}" LABELS integration TIMEOUT 300
      FIXTURES_REQUIRED virtual_pcscd RESOURCE_LOCK pcscd)
  endfunction()
  mynacard_pkcs11_suite(pkcs11_api pkcs11_api_test.cpp "${_p11_env}")

  # A raw PC/SC client for the "no verified state left behind" test.
  add_executable(pkcs11_raw_sign pkcs11_raw_sign.cpp)
  target_link_libraries(pkcs11_raw_sign PRIVATE PkgConfig::PCSCLITE)
  mynacard_warnings(pkcs11_raw_sign)

  # Decision 5 (the module never spends a try on its own) and the lock and
  # lifetime rules around dialogs, C_Finalize and fork().
  mynacard_pkcs11_suite(pkcs11_pin_safety pkcs11_pin_safety_test.cpp
    "${_p11_env};PKCS11_RAW_SIGN=$<TARGET_FILE:pkcs11_raw_sign>" pkcs11_raw_sign pcsc_probe mynacard)

  foreach(t pkcs11_tools pkcs11_pin pkcs11_pinpad pkcs11_openssl pkcs11_nss pkcs11_ssh pkcs11_security
            pkcs11_p11kit pkcs11_pdf)
    add_test(NAME integration.${t} COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/${t}.sh)
    set_tests_properties(integration.${t} PROPERTIES
      ENVIRONMENT "${_p11_env};MYNACARD_PKCS11=$<TARGET_FILE:mynacard_pkcs11>;PKCS11_RAW_SIGN=$<TARGET_FILE:pkcs11_raw_sign>" LABELS integration TIMEOUT 300
      SKIP_RETURN_CODE 77 FIXTURES_REQUIRED virtual_pcscd RESOURCE_LOCK pcscd)
  endforeach()

  add_test(NAME integration.pkcs11_consent COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/pkcs11_consent.sh)
  set_tests_properties(integration.pkcs11_consent PROPERTIES
    ENVIRONMENT "${_env};MYNACARD_PKCS11=$<TARGET_FILE:mynacard_pkcs11>" LABELS integration TIMEOUT 120
    SKIP_RETURN_CODE 77 FIXTURES_REQUIRED virtual_pcscd RESOURCE_LOCK pcscd)

  # Firefox ESR (headless, a fresh profile, the module added by policies.json
  # and by modutil) lists both certificates; driven through Marionette by
  # pkcs11_browser.py.
  add_test(NAME integration.pkcs11_browser COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/pkcs11_browser.sh)
  set_tests_properties(integration.pkcs11_browser PROPERTIES
    ENVIRONMENT "${_p11_env};MYNACARD_PKCS11=$<TARGET_FILE:mynacard_pkcs11>" LABELS integration TIMEOUT 120
    SKIP_RETURN_CODE 77 FIXTURES_REQUIRED virtual_pcscd RESOURCE_LOCK pcscd)

  # A browser logs in to a web site with the card (TLS 1.2 client
  # authentication, the PIN typed into the module's dialog on Xvfb) and a
  # TLS 1.3 site refuses it cleanly: one entry per browser, so a failure
  # names the browser. MYNACARD_PKCS11 may name an installed module instead.
  foreach(b firefox chromium)
    add_test(NAME integration.browser_login_${b}
             COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/browser_login.sh ${b})
    set_tests_properties(integration.browser_login_${b} PROPERTIES
      ENVIRONMENT "${_env};MYNACARD_PKCS11=$<TARGET_FILE:mynacard_pkcs11>" LABELS integration TIMEOUT 150
      SKIP_RETURN_CODE 77 FIXTURES_REQUIRED virtual_pcscd RESOURCE_LOCK pcscd)
  endforeach()
endif()
