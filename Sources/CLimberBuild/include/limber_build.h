// Settings fixed when limber is built. scripts/install (and so `make
// install` and the Debian package) sets them for its prefix:
//   swift build -c release -Xcc -DLIMBER_DATA_DIR='"/usr/share/limber"'
// docs/install.md says more.
#ifndef LIMBER_BUILD_H
#define LIMBER_BUILD_H

/// The installed data directory (shipped limber.toml, programs, plugins).
const char *limber_build_data_dir(void);

#endif
