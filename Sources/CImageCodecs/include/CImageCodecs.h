#ifndef TAU_CIMAGECODECS_H
#define TAU_CIMAGECODECS_H

// JPEG (libturbojpeg) and PNG (libpng) for packed RGB8 images.
// Encoders take `bottom_up` because MuJoCo's mjr_readPixels returns rows
// bottom first; flipping happens inside the encoder, with no extra copy.
// Every buffer returned here is released with tau_image_free.

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Encodes RGB8 as JPEG at quality 1...100. 0 on success; else -1 and a message.
int tau_jpeg_encode(const unsigned char* rgb, int width, int height, int quality, int bottom_up,
                    unsigned char** out, size_t* out_size, char* error, int error_size);

/// Encodes RGB8 as PNG. 0 on success; else -1 and a message.
int tau_png_encode(const unsigned char* rgb, int width, int height, int bottom_up,
                   unsigned char** out, size_t* out_size, char* error, int error_size);

/// Encodes 8-bit pixels of 1 (grey), 2 (grey, alpha), 3 (RGB) or 4 (RGBA) channels as PNG,
/// rows top first (textures as MuJoCo stores them). 0 on success; else -1 and a message.
int tau_png_encode_channels(const unsigned char* pixels, int width, int height, int channels,
                            unsigned char** out, size_t* out_size, char* error, int error_size);

/// Decodes a JPEG to RGB8, rows top first. 0 on success.
int tau_jpeg_decode(const unsigned char* data, size_t size, unsigned char** rgb, int* width,
                    int* height, char* error, int error_size);

/// Decodes a PNG to RGB8, rows top first. 0 on success.
int tau_png_decode(const unsigned char* data, size_t size, unsigned char** rgb, int* width,
                   int* height, char* error, int error_size);

void tau_image_free(void* buffer);

#ifdef __cplusplus
}
#endif

#endif
