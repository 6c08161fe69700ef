#include "CImageCodecs.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// libpng's simplified API (png_image_*) needs no setjmp handling.

int tau_png_encode(const unsigned char* rgb, int width, int height, int bottom_up,
                   unsigned char** out, size_t* out_size, char* error, int error_size) {
  png_image image;
  memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = (png_uint_32)width;
  image.height = (png_uint_32)height;
  image.format = PNG_FORMAT_RGB;
  // A negative stride walks the rows bottom to top.
  png_int_32 stride = bottom_up ? -(png_int_32)(width * 3) : (png_int_32)(width * 3);
  png_alloc_size_t size = 0;
  if (!png_image_write_to_memory(&image, NULL, &size, 0, rgb, stride, NULL)) {
    if (error) snprintf(error, (size_t)error_size, "PNG encoding failed: %s", image.message);
    return -1;
  }
  *out = malloc(size);
  if (!png_image_write_to_memory(&image, *out, &size, 0, rgb, stride, NULL)) {
    if (error) snprintf(error, (size_t)error_size, "PNG encoding failed: %s", image.message);
    free(*out);
    *out = NULL;
    return -1;
  }
  *out_size = size;
  return 0;
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
