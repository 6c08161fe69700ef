#ifndef TAU_CGLPLATFORM_H
#define TAU_CGLPLATFORM_H

// An offscreen OpenGL context from OSMesa or EGL, loaded with dlopen.
//
// Why dlopen: MuJoCo finds GL entry points through whatever platform library
// is already loaded in the process, and tries EGL before OSMesa. A process
// that linked both would render with the wrong one. So each process loads
// exactly one platform, chosen at run time, with RTLD_GLOBAL so MuJoCo's
// loader sees it.

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  TAU_GL_OSMESA = 1,
  TAU_GL_EGL = 2,
} tau_gl_platform;

typedef struct tau_gl_context tau_gl_context;

/// Loads the platform library and makes a context current on this thread.
/// Returns NULL and writes a message into `error` on failure. A process may
/// create contexts of one platform only; asking for another one fails.
tau_gl_context* tau_gl_create(tau_gl_platform platform, char* error, int error_size);

/// Makes the context current on the calling thread again; 0 on success.
int tau_gl_make_current(tau_gl_context* context);

/// GL_VENDOR, GL_RENDERER or GL_VERSION of the current context ("" if unknown).
const char* tau_gl_string(tau_gl_context* context, unsigned int name);

/// Releases the context (the library stays loaded for the process).
void tau_gl_destroy(tau_gl_context* context);

#ifdef __cplusplus
}
#endif

#endif
