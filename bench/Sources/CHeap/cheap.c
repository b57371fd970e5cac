#include <malloc.h>
#include "cheap.h"

size_t cheap_heap_in_use(void) {
    struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
}
