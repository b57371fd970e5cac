#ifndef LIMBER_CDESKTOP_H
#define LIMBER_CDESKTOP_H
/* Idle time from the display server, loaded at run time.
 *
 * limberd links neither libxcb nor libwayland-client: these functions
 * dlopen() them the first time a session has a display of that kind, so a
 * session without X11 or Wayland pays nothing (no library mapped, no
 * socket, no wakeup), and the package only Recommends the libraries.
 * Everything is event-driven: the caller watches the returned fd on its
 * event loop and calls the dispatch function when it is readable. */
#include <stddef.h>
#include <stdint.h>

/* What a dispatch reports (bits). */
#define LIMBER_IDLE_BECAME_IDLE 1   /* no input for the timeout; *idle_ms says for how long */
#define LIMBER_IDLE_BECAME_ACTIVE 2 /* input again */
#define LIMBER_IDLE_CLOSED 4        /* the connection is gone (server exited); close the handle */

/* ---- X11: the SYNC extension's IDLETIME counter with two alarms ---- */
typedef struct limber_x11_idle limber_x11_idle;

/* Connects to `display` (NULL: $DISPLAY) and arms an alarm at `timeout_ms`
 * of IDLETIME. On failure returns NULL with a message in `err`. */
limber_x11_idle *limber_x11_idle_open(const char *display, uint32_t timeout_ms, char *err, size_t errlen);
int limber_x11_idle_fd(const limber_x11_idle *x);
/* Reads what is pending; returns LIMBER_IDLE_* bits. `idle_ms` receives the
 * idle time when BECAME_IDLE is set. */
int limber_x11_idle_dispatch(limber_x11_idle *x, uint64_t *idle_ms);
void limber_x11_idle_close(limber_x11_idle *x);

/* ---- Wayland: ext-idle-notify-v1, else org_kde_kwin_idle ---- */
typedef struct limber_wl_idle limber_wl_idle;

/* Connects to `display` (NULL: $WAYLAND_DISPLAY) and asks for an idle
 * notification after `timeout_ms` on the first seat. On failure (no
 * compositor, no idle protocol) returns NULL with a message in `err`.
 * `protocol` receives the protocol's name. */
limber_wl_idle *limber_wl_idle_open(const char *display, uint32_t timeout_ms, const char **protocol, char *err, size_t errlen);
int limber_wl_idle_fd(const limber_wl_idle *w);
int limber_wl_idle_dispatch(limber_wl_idle *w);
void limber_wl_idle_close(limber_wl_idle *w);

#endif
