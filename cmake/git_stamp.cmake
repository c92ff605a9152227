# Writes the version header (sim/core/version.hpp.in -> OUTPUT) with the commit of the source tree,
# marked "-dirty" when a tracked file differs from it or an unignored file is new: a result file
# then says that the program was not built from the commit alone.
#   cmake -DSOURCE_DIR=... -DOUTPUT=... -DPROJECT_VERSION=... -P cmake/git_stamp.cmake
# The build runs it every time (target anjian_version), not only at configure time, so that an edit
# made after configuring is marked; configure_file rewrites the header only when the stamp changes,
# so nothing recompiles otherwise. It asks git rather than reading .git/, so it also works in a git
# worktree, where .git is a file, and gives "unknown" outside a repository.
execute_process(COMMAND git rev-parse --short=12 HEAD
                WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE ANJIAN_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE
                ERROR_QUIET RESULT_VARIABLE git_result)
if(NOT git_result EQUAL 0 OR ANJIAN_GIT_COMMIT STREQUAL "")
  set(ANJIAN_GIT_COMMIT "unknown")
else()
  execute_process(COMMAND git status --porcelain
                  WORKING_DIRECTORY ${SOURCE_DIR}
                  OUTPUT_VARIABLE git_changes ERROR_QUIET)
  if(NOT git_changes STREQUAL "")
    string(APPEND ANJIAN_GIT_COMMIT "-dirty")
  endif()
endif()
configure_file(${SOURCE_DIR}/sim/core/version.hpp.in ${OUTPUT} @ONLY)
