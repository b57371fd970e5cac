// libFuzzer's entry for programs that have a main of their own (SwiftPM
// names an executable's main <Module>_main on Linux and aliases main to it,
// so libFuzzer's own main cannot be used): run the fuzzer from main.
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
