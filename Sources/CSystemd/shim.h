#ifndef LIMBER_CSYSTEMD_SHIM_H
#define LIMBER_CSYSTEMD_SHIM_H
/* The C edge of limber: libsystemd headers plus the few static inline helpers
 * that Swift cannot express directly (timerfd flags, epoll constants, signal
 * numbers OR'ed with sd-event flags). Nothing here allocates or keeps state. */
#include <errno.h>
#include <malloc.h>
#include <sys/mman.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

/* Gives free heap back to the system (glibc's malloc_trim). */
static inline int limber_malloc_trim(void) { return malloc_trim(0); }

static inline uint32_t limber_epoll_in(void) { return EPOLLIN; }
static inline uint32_t limber_epoll_out(void) { return EPOLLOUT; }
static inline uint32_t limber_epoll_hup(void) { return EPOLLHUP; }
static inline uint32_t limber_epoll_err(void) { return EPOLLERR; }

/* sd_event_add_signal: the signal number with SD_EVENT_SIGNAL_PROCMASK set, so
 * sd-event blocks the signal in the calling thread itself (systemd >= 252). */
static inline int limber_signal_procmask(int sig) { return sig | SD_EVENT_SIGNAL_PROCMASK; }

/* Blocks `sig` in the calling thread (threads created later inherit the
 * mask). Returns 0 or -errno. */
static inline int limber_block_signal(int sig) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, sig);
        int r = pthread_sigmask(SIG_BLOCK, &set, NULL);
        return r == 0 ? 0 : -r;
}

/* A CLOCK_REALTIME timerfd armed at the far future with
 * TFD_TIMER_ABSTIME|TFD_TIMER_CANCEL_ON_SET: read() fails with ECANCELED when
 * the wall clock is set (the way systemd notices clock jumps).
 * Returns the fd or -errno. */
static inline int limber_clock_jump_fd_open(void) {
        int fd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC | TFD_NONBLOCK);
        return fd < 0 ? -errno : fd;
}

/* (Re-)arm the timerfd; returns 0 or -errno. */
static inline int limber_clock_jump_fd_arm(int fd) {
        /* time_t is 64-bit here: a date ~35,000 years away never expires. */
        struct itimerspec its = { .it_value = { .tv_sec = (time_t) 1 << 40, .tv_nsec = 0 } };
        if (timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL) < 0)
                return -errno;
        return 0;
}

/* Drain the timerfd. Returns 1 when the wall clock was set (ECANCELED),
 * 0 when nothing happened (EAGAIN or an expiry), -errno on other errors. */
static inline int limber_clock_jump_fd_drain(int fd) {
        uint64_t expirations;
        ssize_t n = read(fd, &expirations, sizeof(expirations));
        if (n >= 0)
                return 0;
        if (errno == ECANCELED)
                return 1;
        if (errno == EAGAIN || errno == EINTR)
                return 0;
        return -errno;
}

/* An eventfd to wake the loop from other threads. Returns the fd or -errno. */
static inline int limber_eventfd_open(void) {
        int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        return fd < 0 ? -errno : fd;
}

/* Adds 1 to the eventfd counter (thread-safe). Returns 0 or -errno. */
static inline int limber_eventfd_signal(int fd) {
        uint64_t one = 1;
        for (;;) {
                if (write(fd, &one, sizeof(one)) >= 0)
                        return 0;
                if (errno == EINTR)
                        continue;
                return errno == EAGAIN ? 0 : -errno;  /* EAGAIN: counter full, a wake-up is pending anyway */
        }
}

/* Resets the eventfd counter. */
static inline void limber_eventfd_drain(int fd) {
        uint64_t value;
        (void) read(fd, &value, sizeof(value));
}

/* Microseconds on a clock, or 0 when the clock cannot be read. */
static inline uint64_t limber_clock_usec(clockid_t clock) {
        struct timespec ts;
        if (clock_gettime(clock, &ts) < 0)
                return 0;
        return (uint64_t) ts.tv_sec * UINT64_C(1000000) + (uint64_t) ts.tv_nsec / UINT64_C(1000);
}

/* ---- Child processes (plugins): spawn without a shell, watch with a pidfd. ---- */
#include <fcntl.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/* Declared here: glibc has them (>= 2.29 / 2.9) but only under _GNU_SOURCE. */
extern int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *, const char *);
extern int pipe2(int pipefd[2], int flags);

/* A pipe with O_CLOEXEC on both ends (no fd leaks into other children). 0 or -errno. */
static inline int limber_pipe_cloexec(int fds[2]) {
        return pipe2(fds, O_CLOEXEC) < 0 ? -errno : 0;
}

/* A pidfd for pid (Linux >= 5.3): readable when the process exits. fd or -errno. */
static inline int limber_pidfd_open(pid_t pid) {
#ifdef SYS_pidfd_open
        long fd = syscall(SYS_pidfd_open, pid, 0);
#else
        long fd = syscall(434, pid, 0);
#endif
        return fd < 0 ? -errno : (int) fd;
}

/* Spawns `path` with argv and envp (no shell, no PATH search), in `cwd` (or
 * not changing directory when NULL), with stdin/stdout/stderr from the given
 * fds, in a new process group, with an empty signal mask and every signal at
 * its default disposition (the loop thread blocks some; the daemon ignores
 * SIGPIPE). Returns the pid or -errno. */
static inline int limber_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd,
                               int in_fd, int out_fd, int err_fd) {
        posix_spawn_file_actions_t fa;
        posix_spawnattr_t attr;
        sigset_t none, defaults;
        pid_t pid = 0;
        int r;
        if ((r = posix_spawn_file_actions_init(&fa)) != 0)
                return -r;
        if ((r = posix_spawnattr_init(&attr)) != 0) {
                posix_spawn_file_actions_destroy(&fa);
                return -r;
        }
        sigemptyset(&none);
        sigfillset(&defaults);
        sigdelset(&defaults, SIGKILL);
        sigdelset(&defaults, SIGSTOP);
        if (cwd && (r = posix_spawn_file_actions_addchdir_np(&fa, cwd)) != 0) goto out;
        if ((r = posix_spawn_file_actions_adddup2(&fa, in_fd, 0)) != 0) goto out;
        if ((r = posix_spawn_file_actions_adddup2(&fa, out_fd, 1)) != 0) goto out;
        if ((r = posix_spawn_file_actions_adddup2(&fa, err_fd, 2)) != 0) goto out;
        if ((r = posix_spawnattr_setsigmask(&attr, &none)) != 0) goto out;
        if ((r = posix_spawnattr_setsigdefault(&attr, &defaults)) != 0) goto out;
        if ((r = posix_spawnattr_setpgroup(&attr, 0)) != 0) goto out;
        if ((r = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP)) != 0) goto out;
        r = posix_spawn(&pid, path, &fa, &attr, argv, envp);
out:
        posix_spawnattr_destroy(&attr);
        posix_spawn_file_actions_destroy(&fa);
        return r != 0 ? -r : (int) pid;
}

/* Reaps pid if it has exited. Returns 1 and sets *code/*signal (one of them
 * meaningful, the other -1), 0 if still running, -errno on error. */
static inline int limber_reap(pid_t pid, int *code, int *sig) {
        int status = 0;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r < 0)
                return -errno;
        if (r == 0)
                return 0;
        *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        *sig = WIFSIGNALED(status) ? WTERMSIG(status) : -1;
        return 1;
}

#endif
