# Extracts the marked strings of src/app and src/core into OUTPUT (a .pot) with xgettext. With PO,
# MSGCMP and MSGFMT also checks that PO translates every one of them (msgcmp: a missing, untranslated
# or fuzzy entry fails) and that its format strings match (msgfmt --check).
file(GLOB sources RELATIVE ${SOURCE_DIR}
  ${SOURCE_DIR}/src/app/*.cpp ${SOURCE_DIR}/src/app/*.hpp ${SOURCE_DIR}/src/core/*.cpp ${SOURCE_DIR}/src/core/*.hpp)
list(SORT sources)
get_filename_component(out_dir ${OUTPUT} DIRECTORY)
file(MAKE_DIRECTORY ${out_dir})
string(REPLACE "|" ";" ARGS "${ARGS}")
execute_process(COMMAND ${XGETTEXT} ${ARGS} -o ${OUTPUT} ${sources}
  WORKING_DIRECTORY ${SOURCE_DIR} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "xgettext failed (${rc})")
endif()
if(PO)
  execute_process(COMMAND ${MSGCMP} ${PO} ${OUTPUT} RESULT_VARIABLE rc ERROR_VARIABLE missing)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${PO} lacks English for strings marked in the sources "
                        "(run the qingling-po-update target and translate them):\n${missing}")
  endif()
  execute_process(COMMAND ${MSGFMT} --check --statistics -o /dev/null ${PO} RESULT_VARIABLE rc ERROR_VARIABLE stats)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${PO} does not compile:\n${stats}")
  endif()
  message(STATUS "${stats}")
endif()
