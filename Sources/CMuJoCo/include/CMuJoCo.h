#ifndef TAU_CMUJOCO_H
#define TAU_CMUJOCO_H
// The MuJoCo C API of the pinned wheel (include/mujoco links to .mujoco/include).
#include "mujoco/mujoco.h"

/// mjVERSION_HEADER of the headers this package was built against.
int tau_mujoco_header_version(void);
#endif
