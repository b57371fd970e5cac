// glibc's message catalogs (gettext) and locale queries, for LimberL10n.
// All of it is in libc: nothing to link.
#include <libintl.h>
#include <locale.h>
#include <langinfo.h>
#include <time.h>
