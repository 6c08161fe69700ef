#include "CImageCodecs.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// libpng's simplified API (png_image_*) needs no setjmp handling.

static int encode(const unsigned char* pixels, int width, int height, int channels,
                  png_uint_32 format, int bottom_up, unsigned char** out, size_t* out_size,
                  char* error, int error_size) {
  png_image image;
  memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = (png_uint_32)width;
  image.height = (png_uint_32)height;
  image.format = format;
  // A negative stride walks the rows bottom to top.
  png_int_32 row = (png_int_32)(width * channels);
  png_int_32 stride = bottom_up ? -row : row;
  png_alloc_size_t size = 0;
  if (!png_image_write_to_memory(&image, NULL, &size, 0, pixels, stride, NULL)) {
    if (error) snprintf(error, (size_t)error_size, "PNG encoding failed: %s", image.message);
    return -1;
  }
  *out = malloc(size);
  if (!png_image_write_to_memory(&image, *out, &size, 0, pixels, stride, NULL)) {
    if (error) snprintf(error, (size_t)error_size, "PNG encoding failed: %s", image.message);
    free(*out);
    *out = NULL;
    return -1;
  }
  *out_size = size;
  return 0;
}

int tau_png_encode(const unsigned char* rgb, int width, int height, int bottom_up,
                   unsigned char** out, size_t* out_size, char* error, int error_size) {
  return encode(rgb, width, height, 3, PNG_FORMAT_RGB, bottom_up, out, out_size, error,
                error_size);
}

int tau_png_encode_channels(const unsigned char* pixels, int width, int height, int channels,
                            unsigned char** out, size_t* out_size, char* error, int error_size) {
  static const png_uint_32 formats[] = {PNG_FORMAT_GRAY, PNG_FORMAT_GA, PNG_FORMAT_RGB,
                                        PNG_FORMAT_RGBA};
  if (channels < 1 || channels > 4) {
    if (error) snprintf(error, (size_t)error_size, "PNG encoding: %d channels", channels);
    return -1;
  }
  return encode(pixels, width, height, channels, formats[channels - 1], 0, out, out_size, error,
                error_size);
}

int tau_png_decode(const unsigned char* data, size_t size, unsigned char** rgb, int* width,
                   int* height, char* error, int error_size) {
  png_image image;
  memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, data, size)) {
    if (error) snprintf(error, (size_t)error_size, "not a PNG: %s", image.message);
    return -1;
  }
  image.format = PNG_FORMAT_RGB;
  *width = (int)image.width;
  *height = (int)image.height;
  *rgb = malloc(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, NULL, *rgb, 0, NULL)) {
    if (error) snprintf(error, (size_t)error_size, "PNG decoding failed: %s", image.message);
    free(*rgb);
    *rgb = NULL;
    return -1;
  }
  return 0;
}
