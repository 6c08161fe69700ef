#ifndef TAU_CMUJOCO_H
#define TAU_CMUJOCO_H
// The MuJoCo C API of the pinned wheel (include/mujoco links to .mujoco/include).
#include "mujoco/mujoco.h"

/// mjVERSION_HEADER of the headers this package was built against.
int tau_mujoco_header_version(void);

/// Sets MuJoCo's error and warning hooks (C globals, which Swift 6 cannot assign safely).
void tau_mujoco_set_handlers(void (*error)(const char *), void (*warning)(const char *));
#endif
