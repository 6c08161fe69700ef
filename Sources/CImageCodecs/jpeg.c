#include "CImageCodecs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

static void copy_error(char* error, int size, const char* prefix, tjhandle handle) {
  if (error && size > 0) snprintf(error, (size_t)size, "%s: %s", prefix, tjGetErrorStr2(handle));
}

int tau_jpeg_encode(const unsigned char* rgb, int width, int height, int quality, int bottom_up,
                    unsigned char** out, size_t* out_size, char* error, int error_size) {
  if (quality < 1) quality = 1;
  if (quality > 100) quality = 100;
  tjhandle handle = tjInitCompress();
  if (!handle) {
    if (error) snprintf(error, (size_t)error_size, "tjInitCompress failed");
    return -1;
  }
  unsigned char* buffer = NULL;
  unsigned long size = 0;
  int flags = TJFLAG_FASTDCT | (bottom_up ? TJFLAG_BOTTOMUP : 0);
  int status = tjCompress2(handle, rgb, width, width * 3, height, TJPF_RGB, &buffer, &size,
                           TJSAMP_420, quality, flags);
  if (status != 0) {
    copy_error(error, error_size, "JPEG encoding failed", handle);
    tjFree(buffer);
    tjDestroy(handle);
    return -1;
  }
  // Hand back a malloc'd copy so callers free every codec buffer the same way.
  *out = malloc(size);
  memcpy(*out, buffer, size);
  *out_size = size;
  tjFree(buffer);
  tjDestroy(handle);
  return 0;
}

int tau_jpeg_decode(const unsigned char* data, size_t size, unsigned char** rgb, int* width,
                    int* height, char* error, int error_size) {
  tjhandle handle = tjInitDecompress();
  if (!handle) {
    if (error) snprintf(error, (size_t)error_size, "tjInitDecompress failed");
    return -1;
  }
  int subsampling = 0, colorspace = 0;
  if (tjDecompressHeader3(handle, data, (unsigned long)size, width, height, &subsampling,
                          &colorspace) != 0) {
    copy_error(error, error_size, "not a JPEG", handle);
    tjDestroy(handle);
    return -1;
  }
  *rgb = malloc((size_t)(*width) * (size_t)(*height) * 3);
  if (tjDecompress2(handle, data, (unsigned long)size, *rgb, *width, *width * 3, *height, TJPF_RGB,
                    0) != 0) {
    copy_error(error, error_size, "JPEG decoding failed", handle);
    free(*rgb);
    *rgb = NULL;
    tjDestroy(handle);
    return -1;
  }
  tjDestroy(handle);
  return 0;
}

void tau_image_free(void* buffer) { free(buffer); }
