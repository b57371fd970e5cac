#include "limber_build.h"

// The default suits `make install` as root (PREFIX=/usr/local); every
// other prefix passes its own when it builds.
#ifndef LIMBER_DATA_DIR
#define LIMBER_DATA_DIR "/usr/local/share/limber"
#endif

const char *limber_build_data_dir(void) { return LIMBER_DATA_DIR; }
