#pragma once
#include <stddef.h>
/// Bytes in use on the malloc heap (glibc mallinfo2: small blocks + mmapped).
size_t cheap_heap_in_use(void);
