#include "CGLPlatform.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// The few constants and signatures we need, written out so this file builds
// without the OSMesa or EGL development headers.
typedef unsigned int GLenum;
typedef int GLint;
typedef int GLsizei;
typedef unsigned char GLboolean;
typedef unsigned char GLubyte;
#define GL_RGBA 0x1908
#define GL_UNSIGNED_BYTE 0x1401

typedef void* OSMesaContext;
typedef OSMesaContext (*OSMesaCreateContextExt_fn)(GLenum, GLint, GLint, GLint, OSMesaContext);
typedef GLboolean (*OSMesaMakeCurrent_fn)(OSMesaContext, void*, GLenum, GLsizei, GLsizei);
typedef void (*OSMesaDestroyContext_fn)(OSMesaContext);
typedef void* (*GetProcAddress_fn)(const char*);

typedef void* EGLDisplay;
typedef void* EGLConfig;
typedef void* EGLContext;
typedef void* EGLSurface;
typedef void* EGLDeviceEXT;
typedef int EGLint;
typedef unsigned int EGLBoolean;
typedef unsigned int EGLenum;
#define EGL_NONE 0x3038
#define EGL_RED_SIZE 0x3024
#define EGL_GREEN_SIZE 0x3023
#define EGL_BLUE_SIZE 0x3022
#define EGL_ALPHA_SIZE 0x3021
#define EGL_DEPTH_SIZE 0x3025
#define EGL_STENCIL_SIZE 0x3026
#define EGL_SURFACE_TYPE 0x3033
#define EGL_PBUFFER_BIT 0x0001
#define EGL_RENDERABLE_TYPE 0x3040
#define EGL_OPENGL_BIT 0x0008
#define EGL_OPENGL_API 0x30A2
#define EGL_PLATFORM_SURFACELESS_MESA 0x31DD
#define EGL_PLATFORM_DEVICE_EXT 0x313F

typedef EGLDisplay (*eglGetPlatformDisplayEXT_fn)(EGLenum, void*, const EGLint*);
typedef EGLBoolean (*eglQueryDevicesEXT_fn)(EGLint, EGLDeviceEXT*, EGLint*);
typedef EGLBoolean (*eglInitialize_fn)(EGLDisplay, EGLint*, EGLint*);
typedef EGLBoolean (*eglChooseConfig_fn)(EGLDisplay, const EGLint*, EGLConfig*, EGLint, EGLint*);
typedef EGLBoolean (*eglBindAPI_fn)(EGLenum);
typedef EGLContext (*eglCreateContext_fn)(EGLDisplay, EGLConfig, EGLContext, const EGLint*);
typedef EGLBoolean (*eglMakeCurrent_fn)(EGLDisplay, EGLSurface, EGLSurface, EGLContext);
typedef EGLBoolean (*eglDestroyContext_fn)(EGLDisplay, EGLContext);
typedef EGLint (*eglGetError_fn)(void);
typedef const GLubyte* (*glGetString_fn)(GLenum);

// OSMesa renders into this buffer only when nothing else is bound; MuJoCo
// draws into its own offscreen framebuffer, so it can stay small.
#define OSMESA_BUFFER_SIDE 64

struct tau_gl_context {
  tau_gl_platform platform;
  void* osmesa;
  unsigned char* osmesa_buffer;
  EGLDisplay egl_display;
  EGLContext egl_context;
};

static tau_gl_platform loaded_platform = 0;
static void* library = NULL;

static void fail(char* error, int size, const char* format, ...) {
  if (!error || size <= 0) return;
  va_list args;
  va_start(args, format);
  vsnprintf(error, (size_t)size, format, args);
  va_end(args);
}

static void* symbol(const char* name) { return library ? dlsym(library, name) : NULL; }

static int load_library(tau_gl_platform platform, char* error, int size) {
  if (loaded_platform == platform) return 0;
  if (loaded_platform != 0) {
    fail(error, size, "this process already uses %s; one GL platform per process",
         loaded_platform == TAU_GL_EGL ? "EGL" : "OSMesa");
    return -1;
  }
  const char* names_osmesa[] = {"libOSMesa.so.8", "libOSMesa.so.6", "libOSMesa.so", NULL};
  const char* names_egl[] = {"libEGL.so.1", "libEGL.so", NULL};
  const char** names = platform == TAU_GL_EGL ? names_egl : names_osmesa;
  for (int i = 0; names[i] && !library; i++) {
    library = dlopen(names[i], RTLD_NOW | RTLD_GLOBAL);
  }
  if (!library) {
    fail(error, size, "cannot load %s (%s); run `make setup` to install it",
         platform == TAU_GL_EGL ? "libEGL.so.1" : "libOSMesa.so.8", dlerror());
    return -1;
  }
  loaded_platform = platform;
  return 0;
}

static tau_gl_context* create_osmesa(char* error, int size) {
  OSMesaCreateContextExt_fn create = (OSMesaCreateContextExt_fn)symbol("OSMesaCreateContextExt");
  OSMesaMakeCurrent_fn make_current = (OSMesaMakeCurrent_fn)symbol("OSMesaMakeCurrent");
  if (!create || !make_current) {
    fail(error, size, "libOSMesa lacks OSMesaCreateContextExt/OSMesaMakeCurrent");
    return NULL;
  }
  OSMesaContext osmesa = create(GL_RGBA, 24, 8, 0, NULL);
  if (!osmesa) {
    fail(error, size, "OSMesaCreateContextExt failed");
    return NULL;
  }
  tau_gl_context* context = calloc(1, sizeof(tau_gl_context));
  context->platform = TAU_GL_OSMESA;
  context->osmesa = osmesa;
  context->osmesa_buffer = calloc(OSMESA_BUFFER_SIDE * OSMESA_BUFFER_SIDE, 4);
  if (tau_gl_make_current(context) != 0) {
    fail(error, size, "OSMesaMakeCurrent failed");
    tau_gl_destroy(context);
    return NULL;
  }
  return context;
}

static EGLDisplay egl_display(eglGetPlatformDisplayEXT_fn get_display) {
  // A GPU exposed as an EGL device first; else Mesa's surfaceless platform
  // (llvmpipe on a machine without a GPU).
  eglQueryDevicesEXT_fn query_devices =
      (eglQueryDevicesEXT_fn)((GetProcAddress_fn)symbol("eglGetProcAddress"))("eglQueryDevicesEXT");
  eglInitialize_fn initialize = (eglInitialize_fn)symbol("eglInitialize");
  EGLint major = 0, minor = 0;
  if (getenv("TAU_EGL_SURFACELESS") == NULL && query_devices) {
    EGLDeviceEXT devices[8];
    EGLint count = 0;
    if (query_devices(8, devices, &count) && count > 0) {
      for (EGLint i = 0; i < count; i++) {
        EGLDisplay display = get_display(EGL_PLATFORM_DEVICE_EXT, devices[i], NULL);
        if (display && initialize(display, &major, &minor)) return display;
      }
    }
  }
  EGLDisplay display = get_display(EGL_PLATFORM_SURFACELESS_MESA, NULL, NULL);
  if (display && initialize(display, &major, &minor)) return display;
  return NULL;
}

static tau_gl_context* create_egl(char* error, int size) {
  GetProcAddress_fn get_proc = (GetProcAddress_fn)symbol("eglGetProcAddress");
  eglChooseConfig_fn choose = (eglChooseConfig_fn)symbol("eglChooseConfig");
  eglBindAPI_fn bind_api = (eglBindAPI_fn)symbol("eglBindAPI");
  eglCreateContext_fn create = (eglCreateContext_fn)symbol("eglCreateContext");
  eglGetError_fn get_error = (eglGetError_fn)symbol("eglGetError");
  if (!get_proc || !choose || !bind_api || !create || !get_error) {
    fail(error, size, "libEGL lacks core EGL 1.4 functions");
    return NULL;
  }
  eglGetPlatformDisplayEXT_fn get_display =
      (eglGetPlatformDisplayEXT_fn)get_proc("eglGetPlatformDisplayEXT");
  if (!get_display) {
    fail(error, size, "EGL has no eglGetPlatformDisplayEXT (EGL_EXT_platform_base)");
    return NULL;
  }
  EGLDisplay display = egl_display(get_display);
  if (!display) {
    fail(error, size, "no EGL display: neither a GPU device nor the surfaceless platform "
                      "initialised (EGL error 0x%x)", get_error());
    return NULL;
  }
  EGLint surface_types[] = {EGL_PBUFFER_BIT, 0};
  EGLConfig config = NULL;
  EGLint count = 0;
  for (int i = 0; i < 2 && count == 0; i++) {
    EGLint attributes[] = {EGL_RED_SIZE, 8, EGL_GREEN_SIZE, 8, EGL_BLUE_SIZE, 8,
                           EGL_ALPHA_SIZE, 8, EGL_DEPTH_SIZE, 24, EGL_STENCIL_SIZE, 8,
                           EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT,
                           EGL_SURFACE_TYPE, surface_types[i], EGL_NONE};
    if (!choose(display, attributes, &config, 1, &count)) count = 0;
  }
  if (count == 0) {
    fail(error, size, "EGL offers no RGBA8/depth24/stencil8 OpenGL config (EGL error 0x%x)",
         get_error());
    return NULL;
  }
  if (!bind_api(EGL_OPENGL_API)) {
    fail(error, size, "eglBindAPI(EGL_OPENGL_API) failed (EGL error 0x%x)", get_error());
    return NULL;
  }
  EGLContext egl = create(display, config, NULL, NULL);
  if (!egl) {
    fail(error, size, "eglCreateContext failed (EGL error 0x%x)", get_error());
    return NULL;
  }
  tau_gl_context* context = calloc(1, sizeof(tau_gl_context));
  context->platform = TAU_GL_EGL;
  context->egl_display = display;
  context->egl_context = egl;
  if (tau_gl_make_current(context) != 0) {
    fail(error, size, "eglMakeCurrent without a surface failed (EGL error 0x%x)", get_error());
    tau_gl_destroy(context);
    return NULL;
  }
  return context;
}

tau_gl_context* tau_gl_create(tau_gl_platform platform, char* error, int error_size) {
  if (platform != TAU_GL_OSMESA && platform != TAU_GL_EGL) {
    fail(error, error_size, "unknown GL platform %d", (int)platform);
    return NULL;
  }
  if (load_library(platform, error, error_size) != 0) return NULL;
  return platform == TAU_GL_EGL ? create_egl(error, error_size) : create_osmesa(error, error_size);
}

int tau_gl_make_current(tau_gl_context* context) {
  if (!context) return -1;
  if (context->platform == TAU_GL_OSMESA) {
    OSMesaMakeCurrent_fn make_current = (OSMesaMakeCurrent_fn)symbol("OSMesaMakeCurrent");
    return make_current(context->osmesa, context->osmesa_buffer, GL_UNSIGNED_BYTE,
                        OSMESA_BUFFER_SIDE, OSMESA_BUFFER_SIDE) ? 0 : -1;
  }
  eglMakeCurrent_fn make_current = (eglMakeCurrent_fn)symbol("eglMakeCurrent");
  return make_current(context->egl_display, NULL, NULL, context->egl_context) ? 0 : -1;
}

const char* tau_gl_string(tau_gl_context* context, unsigned int name) {
  if (!context) return "";
  GetProcAddress_fn get_proc = (GetProcAddress_fn)symbol(
      context->platform == TAU_GL_EGL ? "eglGetProcAddress" : "OSMesaGetProcAddress");
  glGetString_fn get_string = get_proc ? (glGetString_fn)get_proc("glGetString") : NULL;
  const GLubyte* text = get_string ? get_string(name) : NULL;
  return text ? (const char*)text : "";
}

void tau_gl_destroy(tau_gl_context* context) {
  if (!context) return;
  if (context->platform == TAU_GL_OSMESA) {
    OSMesaDestroyContext_fn destroy = (OSMesaDestroyContext_fn)symbol("OSMesaDestroyContext");
    if (destroy && context->osmesa) destroy(context->osmesa);
    free(context->osmesa_buffer);
  } else {
    eglMakeCurrent_fn make_current = (eglMakeCurrent_fn)symbol("eglMakeCurrent");
    eglDestroyContext_fn destroy = (eglDestroyContext_fn)symbol("eglDestroyContext");
    if (make_current) make_current(context->egl_display, NULL, NULL, NULL);
    if (destroy && context->egl_context) destroy(context->egl_display, context->egl_context);
  }
  free(context);
}
