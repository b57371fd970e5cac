/* X11 idle through the SYNC extension's IDLETIME system counter, the way
 * KDE's KIdleTime does it on X11: one alarm fires when IDLETIME reaches the
 * timeout (positive comparison), and while idle a second one fires when it
 * drops below what it was (negative comparison: any input resets it). The
 * server sends AlarmNotify events; nothing polls.
 *
 * libxcb and libxcb-sync are dlopen()ed: the few types used are declared
 * here as the X protocol lays them out (stable wire and ABI since libxcb
 * 1.0), so building needs no -dev package either. */
#include "cdesktop.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct xcb_connection_t xcb_connection_t;
typedef struct { unsigned int sequence; } xcb_cookie_t;
typedef struct { const char *name; int global_id; } xcb_extension_t;
typedef struct {
        uint8_t response_type, pad0;
        uint16_t sequence;
        uint32_t length;
        uint8_t present, major_opcode, first_event, first_error;
} xcb_query_extension_reply_t;
typedef struct { uint8_t response_type, error_code; uint16_t sequence; uint32_t pad[7]; } xcb_generic_error_t;
typedef struct { uint8_t response_type, pad0; uint16_t sequence; uint32_t pad[7]; uint32_t full_sequence; } xcb_generic_event_t;
typedef struct { int32_t hi; uint32_t lo; } xcb_sync_int64_t;
typedef struct {
        uint8_t response_type, pad0;
        uint16_t sequence;
        uint32_t length;
        uint32_t counters_len;
        uint8_t pad1[20];
} xcb_sync_list_system_counters_reply_t;
typedef struct {
        uint8_t response_type, pad0;
        uint16_t sequence;
        uint32_t length;
        xcb_sync_int64_t counter_value;
} xcb_sync_query_counter_reply_t;
typedef struct {
        uint8_t response_type, kind;
        uint16_t sequence;
        uint32_t alarm;
        xcb_sync_int64_t counter_value, alarm_value;
        uint32_t timestamp;
        uint8_t state, pad0[3];
} xcb_sync_alarm_notify_event_t;

enum { SYNC_ALARM_NOTIFY = 1 };
enum { CA_COUNTER = 1, CA_VALUE_TYPE = 2, CA_VALUE = 4, CA_TEST_TYPE = 8, CA_DELTA = 16, CA_EVENTS = 32 };
enum { VALUETYPE_ABSOLUTE = 0 };
enum { TEST_POSITIVE_COMPARISON = 2, TEST_NEGATIVE_COMPARISON = 3 };
enum { ALARMSTATE_DESTROYED = 2 };

struct xcb {
        void *lib, *sync_lib;
        xcb_connection_t *(*connect)(const char *, int *);
        void (*disconnect)(xcb_connection_t *);
        int (*has_error)(xcb_connection_t *);
        int (*get_fd)(xcb_connection_t *);
        int (*flush)(xcb_connection_t *);
        uint32_t (*generate_id)(xcb_connection_t *);
        xcb_generic_event_t *(*poll_for_event)(xcb_connection_t *);
        const xcb_query_extension_reply_t *(*get_extension_data)(xcb_connection_t *, xcb_extension_t *);
        xcb_extension_t *sync_id;
        xcb_cookie_t (*sync_initialize)(xcb_connection_t *, uint8_t, uint8_t);
        void *(*sync_initialize_reply)(xcb_connection_t *, xcb_cookie_t, xcb_generic_error_t **);
        xcb_cookie_t (*sync_list_system_counters)(xcb_connection_t *);
        xcb_sync_list_system_counters_reply_t *(*sync_list_system_counters_reply)(xcb_connection_t *, xcb_cookie_t,
                                                                                  xcb_generic_error_t **);
        xcb_cookie_t (*sync_create_alarm)(xcb_connection_t *, uint32_t, uint32_t, const void *);
        xcb_cookie_t (*sync_change_alarm)(xcb_connection_t *, uint32_t, uint32_t, const void *);
        xcb_cookie_t (*sync_destroy_alarm)(xcb_connection_t *, uint32_t);
};

struct limber_x11_idle {
        struct xcb x;
        xcb_connection_t *c;
        uint8_t first_event;
        uint32_t counter, idle_alarm, reset_alarm;
        uint32_t timeout_ms;
        int idle;
};

static int load(struct xcb *x, char *err, size_t errlen) {
        x->lib = dlopen("libxcb.so.1", RTLD_NOW | RTLD_LOCAL);
        if (!x->lib) {
                snprintf(err, errlen, "libxcb.so.1 is not installed (Debian: libxcb1): %s", dlerror());
                return -1;
        }
        x->sync_lib = dlopen("libxcb-sync.so.1", RTLD_NOW | RTLD_LOCAL);
        if (!x->sync_lib) {
                snprintf(err, errlen, "libxcb-sync.so.1 is not installed (Debian: libxcb-sync1): %s", dlerror());
                return -1;
        }
#define SYM(lib, field, name)                                                        \
        do {                                                                           \
                *(void **) &x->field = dlsym(x->lib, name);                            \
                if (!x->field) {                                                       \
                        snprintf(err, errlen, "%s lacks %s", #lib, name);              \
                        return -1;                                                     \
                }                                                                      \
        } while (0)
        SYM(lib, connect, "xcb_connect");
        SYM(lib, disconnect, "xcb_disconnect");
        SYM(lib, has_error, "xcb_connection_has_error");
        SYM(lib, get_fd, "xcb_get_file_descriptor");
        SYM(lib, flush, "xcb_flush");
        SYM(lib, generate_id, "xcb_generate_id");
        SYM(lib, poll_for_event, "xcb_poll_for_event");
        SYM(lib, get_extension_data, "xcb_get_extension_data");
        SYM(sync_lib, sync_id, "xcb_sync_id");
        SYM(sync_lib, sync_initialize, "xcb_sync_initialize");
        SYM(sync_lib, sync_initialize_reply, "xcb_sync_initialize_reply");
        SYM(sync_lib, sync_list_system_counters, "xcb_sync_list_system_counters");
        SYM(sync_lib, sync_list_system_counters_reply, "xcb_sync_list_system_counters_reply");
        SYM(sync_lib, sync_create_alarm, "xcb_sync_create_alarm");
        SYM(sync_lib, sync_change_alarm, "xcb_sync_change_alarm");
        SYM(sync_lib, sync_destroy_alarm, "xcb_sync_destroy_alarm");
#undef SYM
        return 0;
}

/* An alarm's attributes in wire order: counter, value type, value (hi, lo),
 * test type, delta (hi, lo), events. Delta 0 with a comparison test makes
 * the alarm fire once and go inactive until it is changed again. */
static void alarm_values(uint32_t v[8], uint32_t counter, int64_t value, uint32_t test) {
        v[0] = counter;
        v[1] = VALUETYPE_ABSOLUTE;
        v[2] = (uint32_t) (value >> 32);
        v[3] = (uint32_t) value;
        v[4] = test;
        v[5] = 0;
        v[6] = 0;
        v[7] = 1;
}

static const uint32_t ALL = CA_COUNTER | CA_VALUE_TYPE | CA_VALUE | CA_TEST_TYPE | CA_DELTA | CA_EVENTS;

static void arm_idle(limber_x11_idle *s) {
        uint32_t v[8];
        alarm_values(v, s->counter, s->timeout_ms, TEST_POSITIVE_COMPARISON);
        s->x.sync_change_alarm(s->c, s->idle_alarm, ALL, v);
        s->x.flush(s->c);
}

static void arm_reset(limber_x11_idle *s, int64_t idle_now) {
        uint32_t v[8];
        alarm_values(v, s->counter, idle_now > 0 ? idle_now - 1 : 0, TEST_NEGATIVE_COMPARISON);
        s->x.sync_change_alarm(s->c, s->reset_alarm, ALL, v);
        s->x.flush(s->c);
}

void limber_x11_idle_close(limber_x11_idle *s) {
        if (!s)
                return;
        if (s->c) {
                if (!s->x.has_error(s->c)) {
                        if (s->idle_alarm)
                                s->x.sync_destroy_alarm(s->c, s->idle_alarm);
                        if (s->reset_alarm)
                                s->x.sync_destroy_alarm(s->c, s->reset_alarm);
                        s->x.flush(s->c);
                }
                s->x.disconnect(s->c);
        }
        /* The libraries stay loaded: libxcb registers atexit-free state and
         * unloading it under a live process buys nothing. */
        free(s);
}

limber_x11_idle *limber_x11_idle_open(const char *display, uint32_t timeout_ms, char *err, size_t errlen) {
        limber_x11_idle *s = calloc(1, sizeof *s);
        if (!s) {
                snprintf(err, errlen, "out of memory");
                return NULL;
        }
        s->timeout_ms = timeout_ms;
        if (load(&s->x, err, errlen) < 0) {
                free(s);
                return NULL;
        }
        s->c = s->x.connect(display, NULL);
        if (!s->c || s->x.has_error(s->c)) {
                snprintf(err, errlen, "cannot connect to the X display %s", display ? display : "(DISPLAY)");
                limber_x11_idle_close(s);
                return NULL;
        }
        const xcb_query_extension_reply_t *ext = s->x.get_extension_data(s->c, s->x.sync_id);
        if (!ext || !ext->present) {
                snprintf(err, errlen, "the X server has no SYNC extension");
                limber_x11_idle_close(s);
                return NULL;
        }
        s->first_event = ext->first_event;
        xcb_generic_error_t *e = NULL;
        void *init = s->x.sync_initialize_reply(s->c, s->x.sync_initialize(s->c, 3, 1), &e);
        free(init);
        if (e || !init) {
                free(e);
                snprintf(err, errlen, "SYNC extension initialization failed");
                limber_x11_idle_close(s);
                return NULL;
        }
        xcb_sync_list_system_counters_reply_t *list =
                s->x.sync_list_system_counters_reply(s->c, s->x.sync_list_system_counters(s->c), &e);
        if (!list) {
                free(e);
                snprintf(err, errlen, "cannot list the SYNC system counters");
                limber_x11_idle_close(s);
                return NULL;
        }
        /* The counters as the wire lays them out: counter (4), resolution (8),
         * name length (2), the name, padding to 4. Parsed here: libxcb's
         * name accessor has been off by the struct's padding. */
        const uint8_t *p = (const uint8_t *) list + 32, *end = p + (size_t) list->length * 4;
        for (uint32_t i = 0; i < list->counters_len && p + 14 <= end; i++) {
                uint32_t id;
                uint16_t len;
                memcpy(&id, p, 4);
                memcpy(&len, p + 12, 2);
                if (p + 14 + len > end)
                        break;
                if (len == 8 && memcmp(p + 14, "IDLETIME", 8) == 0) {
                        s->counter = id;
                        break;
                }
                p += (14 + (size_t) len + 3) & ~(size_t) 3;
        }
        free(list);
        if (!s->counter) {
                snprintf(err, errlen, "the X server has no IDLETIME counter");
                limber_x11_idle_close(s);
                return NULL;
        }
        uint32_t v[8];
        s->idle_alarm = s->x.generate_id(s->c);
        alarm_values(v, s->counter, timeout_ms, TEST_POSITIVE_COMPARISON);
        s->x.sync_create_alarm(s->c, s->idle_alarm, ALL, v);
        /* The reset alarm starts inactive: its test can never hold yet. */
        s->reset_alarm = s->x.generate_id(s->c);
        alarm_values(v, s->counter, -1, TEST_NEGATIVE_COMPARISON);
        s->x.sync_create_alarm(s->c, s->reset_alarm, ALL, v);
        s->x.flush(s->c);
        if (s->x.has_error(s->c)) {
                snprintf(err, errlen, "the X connection failed while creating alarms");
                limber_x11_idle_close(s);
                return NULL;
        }
        return s;
}

int limber_x11_idle_fd(const limber_x11_idle *s) { return s->x.get_fd(s->c); }

int limber_x11_idle_dispatch(limber_x11_idle *s, uint64_t *idle_ms) {
        int out = 0;
        xcb_generic_event_t *ev;
        while ((ev = s->x.poll_for_event(s->c))) {
                if ((ev->response_type & 0x7f) == s->first_event + SYNC_ALARM_NOTIFY) {
                        const xcb_sync_alarm_notify_event_t *a = (const void *) ev;
                        int64_t value = ((int64_t) a->counter_value.hi << 32) | a->counter_value.lo;
                        if (a->state != ALARMSTATE_DESTROYED) {
                                if (a->alarm == s->idle_alarm && !s->idle) {
                                        s->idle = 1;
                                        *idle_ms = value > 0 ? (uint64_t) value : 0;
                                        out = (out & ~LIMBER_IDLE_BECAME_ACTIVE) | LIMBER_IDLE_BECAME_IDLE;
                                        arm_reset(s, value);
                                } else if (a->alarm == s->reset_alarm && s->idle) {
                                        s->idle = 0;
                                        out = (out & ~LIMBER_IDLE_BECAME_IDLE) | LIMBER_IDLE_BECAME_ACTIVE;
                                        arm_idle(s);
                                }
                        }
                }
                free(ev);
        }
        if (s->x.has_error(s->c))
                out |= LIMBER_IDLE_CLOSED;
        return out;
}
