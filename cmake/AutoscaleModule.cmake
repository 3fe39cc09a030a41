# autoscale_module(): one library per folder under src/, with the modules it
# may use. The build checks every include of the folder's files (tests too)
# against that list, so a wrong dependency fails the build, not a review.
#
#   autoscale_module(NAME stats_core DIR src/stats/core PREFIX stats/core/
#                    USES common                # modules whose headers it includes
#                    PUBLIC_LIBS nlohmann_json::nlohmann_json
#                    PRIVATE_LIBS yaml-cpp
#                    DENY opencv2/ yaml-cpp/     # system headers it must not include
#                    RECURSE                     # subfolders belong to it too
#                    INCLUDE_ROOT apps           # besides src/, where its headers are found
#                    EXCLUDE "/main\\.cc$"        # sources that are not part of the library
#                    TEST_USES pipeline          # modules its unit tests may use too
#                    TEST_LIBS ...)              # extra libraries of its unit tests
#
# The library is autoscale_<NAME>; its unit tests (DIR/*_test.cc) build into
# <NAME>_tests, registered with ctest as "<NAME>: <test name>".
set(AUTOSCALE_DENY_ALL opencv2/ yaml-cpp/ CLI/ onnx/ google/protobuf/)

function(autoscale_module)
  cmake_parse_arguments(M "RECURSE" "NAME;DIR;PREFIX;INCLUDE_ROOT;EXCLUDE" "USES;PUBLIC_LIBS;PRIVATE_LIBS;DENY;TEST_USES;TEST_LIBS" ${ARGN})
  set(target autoscale_${M_NAME})
  set(glob GLOB)
  if(M_RECURSE)
    set(glob GLOB_RECURSE)  # subfolders are parts of the module (report/svg)
  endif()
  file(${glob} sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/${M_DIR}/*.cc)
  file(${glob} headers CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/${M_DIR}/*.h)
  set(tests ${sources})
  list(FILTER sources EXCLUDE REGEX "_test\\.cc$")
  if(M_EXCLUDE)
    list(FILTER sources EXCLUDE REGEX "${M_EXCLUDE}")
  endif()
  if(NOT M_INCLUDE_ROOT)
    set(M_INCLUDE_ROOT src)
  endif()
  list(FILTER tests INCLUDE REGEX "_test\\.cc$")

  set(allowed ${M_PREFIX})
  set(links "")
  foreach(used IN LISTS M_USES)
    get_property(prefix GLOBAL PROPERTY autoscale_prefix_${used})
    if(NOT prefix)
      message(FATAL_ERROR "autoscale_module(${M_NAME}): unknown module '${used}' (define it first)")
    endif()
    list(APPEND allowed ${prefix})
    list(APPEND links autoscale_${used})
  endforeach()
  set_property(GLOBAL PROPERTY autoscale_prefix_${M_NAME} ${M_PREFIX})
  set(test_allowed ${allowed} support/)
  set(test_links "")
  foreach(used IN LISTS M_TEST_USES)
    get_property(prefix GLOBAL PROPERTY autoscale_prefix_${used})
    list(APPEND test_allowed ${prefix})
    list(APPEND test_links autoscale_${used})
  endforeach()

  # The include check, rerun whenever one of the folder's files changes.
  set(stamp ${CMAKE_BINARY_DIR}/layering/${M_NAME}.ok)
  add_custom_command(OUTPUT ${stamp}
    COMMAND ${CMAKE_COMMAND} "-DMODULE=${M_NAME}" "-DALLOWED=${allowed}"
            "-DSYSTEM_DENIED=${M_DENY}" "-DFILES=${sources};${headers}"
            "-DSTAMP=${stamp}" -P ${CMAKE_SOURCE_DIR}/cmake/check_includes.cmake
    COMMAND ${CMAKE_COMMAND} "-DMODULE=${M_NAME} (tests)" "-DALLOWED=${test_allowed}"
            "-DFILES=${tests}" "-DSTAMP=${stamp}"
            -P ${CMAKE_SOURCE_DIR}/cmake/check_includes.cmake
    DEPENDS ${sources} ${headers} ${tests} ${CMAKE_SOURCE_DIR}/cmake/check_includes.cmake
    COMMENT "Checking the includes of module ${M_NAME}" VERBATIM)
  add_custom_target(${target}_layering DEPENDS ${stamp})

  if(sources)
    add_library(${target} STATIC ${sources})
    set(scope PUBLIC)
  else()
    add_library(${target} INTERFACE)
    set(scope INTERFACE)
  endif()
  add_dependencies(${target} ${target}_layering)
  target_include_directories(${target} ${scope} ${CMAKE_SOURCE_DIR}/src ${CMAKE_SOURCE_DIR}/${M_INCLUDE_ROOT})
  target_link_libraries(${target} ${scope} ${links} ${M_PUBLIC_LIBS})
  if(M_PRIVATE_LIBS)
    target_link_libraries(${target} PRIVATE ${M_PRIVATE_LIBS})
  endif()

  if(tests AND AUTOSCALE_TESTS)
    add_executable(${M_NAME}_tests ${tests})
    target_link_libraries(${M_NAME}_tests PRIVATE ${target} ${test_links} ${M_PRIVATE_LIBS} ${M_TEST_LIBS}
                          autoscale_test_main)
    # --warn NoTests: a name ctest mangles matches nothing and fails, not passes.
    catch_discover_tests(${M_NAME}_tests TEST_PREFIX "${M_NAME}: " EXTRA_ARGS --warn NoTests
                         PROPERTIES TIMEOUT 300)
  endif()
endfunction()

# The include check alone, for a library defined by hand (src/runtime):
#   autoscale_check_includes(NAME "allowed;prefixes" "denied;system;prefixes" FILES...)
# Checks FILES and the headers beside them; builds target autoscale_<NAME>_layering.
function(autoscale_check_includes name allowed denied)
  set(files ${ARGN})
  foreach(f IN LISTS ARGN)
    get_filename_component(dir ${f} DIRECTORY)
    file(GLOB more ${dir}/*.h ${dir}/*_test.cc)
    list(APPEND files ${more})
  endforeach()
  list(REMOVE_DUPLICATES files)
  set(stamp ${CMAKE_BINARY_DIR}/layering/${name}.ok)
  add_custom_command(OUTPUT ${stamp}
    COMMAND ${CMAKE_COMMAND} "-DMODULE=${name}" "-DALLOWED=${allowed}"
            "-DSYSTEM_DENIED=${denied}" "-DFILES=${files}" "-DSTAMP=${stamp}"
            -P ${CMAKE_SOURCE_DIR}/cmake/check_includes.cmake
    DEPENDS ${files} ${CMAKE_SOURCE_DIR}/cmake/check_includes.cmake
    COMMENT "Checking the includes of module ${name}" VERBATIM)
  add_custom_target(autoscale_${name}_layering DEPENDS ${stamp})
endfunction()
