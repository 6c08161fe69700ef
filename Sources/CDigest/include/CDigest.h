#ifndef TAU_CDIGEST_H
#define TAU_CDIGEST_H

#include <stddef.h>

// SHA-256 (FIPS 180-4), for content hashes such as a compiled model's scene epoch. In C
// because Swift's debug builds hash tens of megabytes too slowly, and the package has no
// crypto library of its own.

typedef struct {
  unsigned int state[8];
  unsigned long long length;  // bytes hashed so far
  unsigned char block[64];
  size_t used;                // bytes waiting in `block`
} tau_sha256_context;

void tau_sha256_init(tau_sha256_context* context);
void tau_sha256_update(tau_sha256_context* context, const void* data, size_t size);
/// Writes the 32-byte digest; the context must be initialised again before reuse.
void tau_sha256_final(tau_sha256_context* context, unsigned char digest[32]);

#endif
