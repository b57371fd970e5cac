/* Wayland idle: ext-idle-notify-v1 (KWin, wlroots 0.16+: sway 1.8+,
 * Hyprland, labwc, river, niri), else org_kde_kwin_idle (older KWin,
 * wlroots 0.15: Debian 12's sway 1.7). The compositor sends "idle" after
 * the timeout without input and "resumed" at the next input; nothing polls.
 *
 * libwayland-client is dlopen()ed. The protocol interfaces are written out
 * here (what wayland-scanner would generate from the XML); their
 * references to wl_seat_interface are filled in after loading. */
#include "cdesktop.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wl_interface;
struct wl_message {
        const char *name;
        const char *signature;
        const struct wl_interface **types;
};
struct wl_interface {
        const char *name;
        int version;
        int method_count;
        const struct wl_message *methods;
        int event_count;
        const struct wl_message *events;
};
struct wl_proxy;
struct wl_display;

struct wl {
        void *lib;
        struct wl_display *(*connect)(const char *);
        void (*disconnect)(struct wl_display *);
        int (*get_fd)(struct wl_display *);
        int (*roundtrip)(struct wl_display *);
        int (*prepare_read)(struct wl_display *);
        int (*read_events)(struct wl_display *);
        int (*dispatch_pending)(struct wl_display *);
        int (*flush)(struct wl_display *);
        int (*get_error)(struct wl_display *);
        int (*add_listener)(struct wl_proxy *, void (**)(void), void *);
        struct wl_proxy *(*marshal_flags)(struct wl_proxy *, uint32_t, const struct wl_interface *, uint32_t, uint32_t, ...);
        uint32_t (*get_version)(struct wl_proxy *);
        void (*destroy)(struct wl_proxy *);
        const struct wl_interface *registry_interface, *seat_interface;
};

/* The protocols' interfaces. */
static const struct wl_interface *no_types[] = {NULL, NULL, NULL};

static const struct wl_message kde_timeout_requests[] = {{"release", "", no_types}, {"simulate_user_activity", "", no_types}};
static const struct wl_message kde_timeout_events[] = {{"idle", "", no_types}, {"resumed", "", no_types}};
static const struct wl_interface kde_timeout_interface = {"org_kde_kwin_idle_timeout", 1, 2, kde_timeout_requests, 2, kde_timeout_events};
static const struct wl_interface *kde_get_types[3];
static const struct wl_message kde_idle_requests[] = {{"get_idle_timeout", "nou", kde_get_types}};
static const struct wl_interface kde_idle_interface = {"org_kde_kwin_idle", 1, 1, kde_idle_requests, 0, NULL};

static const struct wl_message ext_notification_requests[] = {{"destroy", "", no_types}};
static const struct wl_message ext_notification_events[] = {{"idled", "", no_types}, {"resumed", "", no_types}};
static const struct wl_interface ext_notification_interface = {"ext_idle_notification_v1", 1, 1, ext_notification_requests, 2,
                                                               ext_notification_events};
static const struct wl_interface *ext_get_types[3];
static const struct wl_message ext_notifier_requests[] = {{"destroy", "", no_types}, {"get_idle_notification", "nuo", ext_get_types}};
static const struct wl_interface ext_notifier_interface = {"ext_idle_notifier_v1", 1, 2, ext_notifier_requests, 0, NULL};

struct limber_wl_idle {
        struct wl w;
        struct wl_display *d;
        struct wl_proxy *registry, *seat, *kde_idle, *ext_notifier, *notification;
        uint32_t seat_name;
        int is_ext;
        int pending;
};

static int load(struct wl *w, char *err, size_t errlen) {
        w->lib = dlopen("libwayland-client.so.0", RTLD_NOW | RTLD_LOCAL);
        if (!w->lib) {
                snprintf(err, errlen, "libwayland-client.so.0 is not installed (Debian: libwayland-client0): %s", dlerror());
                return -1;
        }
#define SYM(field, name)                                                               \
        do {                                                                           \
                *(void **) &w->field = dlsym(w->lib, name);                            \
                if (!w->field) {                                                       \
                        snprintf(err, errlen, "libwayland-client lacks %s (1.20 or later needed)", name); \
                        return -1;                                                     \
                }                                                                      \
        } while (0)
        SYM(connect, "wl_display_connect");
        SYM(disconnect, "wl_display_disconnect");
        SYM(get_fd, "wl_display_get_fd");
        SYM(roundtrip, "wl_display_roundtrip");
        SYM(prepare_read, "wl_display_prepare_read");
        SYM(read_events, "wl_display_read_events");
        SYM(dispatch_pending, "wl_display_dispatch_pending");
        SYM(flush, "wl_display_flush");
        SYM(get_error, "wl_display_get_error");
        SYM(add_listener, "wl_proxy_add_listener");
        SYM(marshal_flags, "wl_proxy_marshal_flags");
        SYM(get_version, "wl_proxy_get_version");
        SYM(destroy, "wl_proxy_destroy");
        SYM(registry_interface, "wl_registry_interface");
        SYM(seat_interface, "wl_seat_interface");
#undef SYM
        kde_get_types[0] = &kde_timeout_interface;
        kde_get_types[1] = w->seat_interface;
        kde_get_types[2] = NULL;
        ext_get_types[0] = &ext_notification_interface;
        ext_get_types[1] = NULL;
        ext_get_types[2] = w->seat_interface;
        return 0;
}

static struct wl_proxy *bind_global(limber_wl_idle *s, uint32_t name, const struct wl_interface *iface, uint32_t version) {
        /* wl_registry.bind(name, interface name, version, new_id): opcode 0, signature "usun". */
        return s->w.marshal_flags(s->registry, 0, iface, version, 0, name, iface->name, version, NULL);
}

static void global(void *data, struct wl_proxy *registry, uint32_t name, const char *interface, uint32_t version) {
        (void) registry;
        (void) version;
        limber_wl_idle *s = data;
        if (!s->seat && strcmp(interface, "wl_seat") == 0) {
                s->seat = bind_global(s, name, s->w.seat_interface, 1);
                s->seat_name = name;
        } else if (!s->ext_notifier && strcmp(interface, ext_notifier_interface.name) == 0) {
                s->ext_notifier = bind_global(s, name, &ext_notifier_interface, 1);
        } else if (!s->kde_idle && strcmp(interface, kde_idle_interface.name) == 0) {
                s->kde_idle = bind_global(s, name, &kde_idle_interface, 1);
        }
}

static void global_remove(void *data, struct wl_proxy *registry, uint32_t name) {
        (void) registry;
        limber_wl_idle *s = data;
        if (s->seat && name == s->seat_name)
                s->pending |= LIMBER_IDLE_CLOSED; /* the seat went: nothing to watch */
}

static void (*registry_listener[])(void) = {(void (*)(void)) global, (void (*)(void)) global_remove};

static void on_idle(void *data, struct wl_proxy *p) {
        (void) p;
        limber_wl_idle *s = data;
        s->pending = (s->pending & ~LIMBER_IDLE_BECAME_ACTIVE) | LIMBER_IDLE_BECAME_IDLE;
}

static void on_resumed(void *data, struct wl_proxy *p) {
        (void) p;
        limber_wl_idle *s = data;
        s->pending = (s->pending & ~LIMBER_IDLE_BECAME_IDLE) | LIMBER_IDLE_BECAME_ACTIVE;
}

static void (*notification_listener[])(void) = {(void (*)(void)) on_idle, (void (*)(void)) on_resumed};

void limber_wl_idle_close(limber_wl_idle *s) {
        if (!s)
                return;
        if (s->d) {
                if (s->notification) /* release / destroy: opcode 0, a destructor */
                        s->w.marshal_flags(s->notification, 0, NULL, s->w.get_version(s->notification), 1);
                if (s->ext_notifier)
                        s->w.marshal_flags(s->ext_notifier, 0, NULL, s->w.get_version(s->ext_notifier), 1);
                if (s->kde_idle)
                        s->w.destroy(s->kde_idle);
                if (s->seat)
                        s->w.destroy(s->seat);
                if (s->registry)
                        s->w.destroy(s->registry);
                s->w.flush(s->d);
                s->w.disconnect(s->d);
        }
        free(s);
}

limber_wl_idle *limber_wl_idle_open(const char *display, uint32_t timeout_ms, const char **protocol, char *err, size_t errlen) {
        limber_wl_idle *s = calloc(1, sizeof *s);
        if (!s) {
                snprintf(err, errlen, "out of memory");
                return NULL;
        }
        if (load(&s->w, err, errlen) < 0) {
                free(s);
                return NULL;
        }
        s->d = s->w.connect(display);
        if (!s->d) {
                snprintf(err, errlen, "cannot connect to the Wayland display %s: %s", display ? display : "(WAYLAND_DISPLAY)",
                         strerror(errno));
                free(s);
                return NULL;
        }
        struct wl_proxy *d = (struct wl_proxy *) s->d;
        /* wl_display.get_registry: opcode 1. */
        s->registry = s->w.marshal_flags(d, 1, s->w.registry_interface, s->w.get_version(d), 0, NULL);
        s->w.add_listener(s->registry, registry_listener, s);
        if (s->w.roundtrip(s->d) < 0) {
                snprintf(err, errlen, "the Wayland compositor did not answer");
                limber_wl_idle_close(s);
                return NULL;
        }
        if (!s->seat) {
                snprintf(err, errlen, "the Wayland compositor offers no seat");
                limber_wl_idle_close(s);
                return NULL;
        }
        if (s->ext_notifier) {
                s->is_ext = 1;
                *protocol = "ext-idle-notify-v1";
                s->notification = s->w.marshal_flags(s->ext_notifier, 1, &ext_notification_interface,
                                                     s->w.get_version(s->ext_notifier), 0, NULL, timeout_ms, s->seat);
        } else if (s->kde_idle) {
                *protocol = "org_kde_kwin_idle";
                s->notification = s->w.marshal_flags(s->kde_idle, 0, &kde_timeout_interface, s->w.get_version(s->kde_idle), 0,
                                                     NULL, s->seat, timeout_ms);
        } else {
                snprintf(err, errlen, "the Wayland compositor offers neither ext-idle-notify-v1 nor org_kde_kwin_idle");
                limber_wl_idle_close(s);
                return NULL;
        }
        s->w.add_listener(s->notification, notification_listener, s);
        if (s->w.flush(s->d) < 0 && errno != EAGAIN) {
                snprintf(err, errlen, "the Wayland connection failed: %s", strerror(errno));
                limber_wl_idle_close(s);
                return NULL;
        }
        return s;
}

int limber_wl_idle_fd(const limber_wl_idle *s) { return s->w.get_fd(s->d); }

int limber_wl_idle_dispatch(limber_wl_idle *s) {
        if (s->w.prepare_read(s->d) == 0) {
                if (s->w.read_events(s->d) < 0)
                        s->pending |= LIMBER_IDLE_CLOSED;
        }
        if (s->w.dispatch_pending(s->d) < 0 || s->w.get_error(s->d))
                s->pending |= LIMBER_IDLE_CLOSED;
        s->w.flush(s->d);
        int out = s->pending;
        s->pending = 0;
        return out;
}
