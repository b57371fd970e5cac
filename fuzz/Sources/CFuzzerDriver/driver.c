// Declarations only (include/CFuzzerDriver.h); libFuzzer, linked through
// -sanitize=fuzzer, defines LLVMFuzzerRunDriver.
#include "CFuzzerDriver.h"
