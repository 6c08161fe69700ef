// A C target needs one source file; this one also records, at build time,
// the MuJoCo headers' version so the program can compare it with the library
// it loads at run time.
#include "CMuJoCo.h"

int tau_mujoco_header_version(void) { return mjVERSION_HEADER; }

void tau_mujoco_set_handlers(void (*error)(const char *), void (*warning)(const char *)) {
  mju_user_error = error;
  mju_user_warning = warning;
}
