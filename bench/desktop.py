"""The `desktop` part of scripts/bench: limberd's idle footprint with each
idle/lock source (none, x11-idle on Xvfb, wayland-idle on a headless sway,
screensaver on a dbusmock org.freedesktop.ScreenSaver) and with the tray
(a dbusmock StatusNotifierWatcher), all at once, each
from its own copy of the binary. After the settle (longer than idle_after,
so each display source has reported idle once) RSS and PSS; over the window
CPU time and context switches: with no input, a source that waits on its
server's events costs no wakeup. Also which display libraries are mapped.
"""
import os
import pwd
import shutil
import subprocess
import time

from run import Env, Limberd, footprint, log, make_config, mapped_files, quiet_hours_now, stage_install, SHIPPED, SYS_PYTHON, ROOT


def start_xvfb():
    if not shutil.which("Xvfb"):
        return None, "Xvfb not installed"
    p = subprocess.Popen(["Xvfb", "-displayfd", "1", "-nolisten", "tcp", "-screen", "0", "640x480x24"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    n = p.stdout.readline().strip()
    return (p, ":" + n) if n else (None, "Xvfb did not start")


def start_sway(tmp):
    """sway 1.7 headless as a throwaway user (it refuses root); root only."""
    if os.getuid() != 0 or not shutil.which("sway"):
        return None, "needs root and sway"
    user = f"limberbench{os.getpid()}"
    run = f"/tmp/lbs-{os.getpid()}"
    subprocess.run(["useradd", "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", user], check=True)
    os.makedirs(run, mode=0o700, exist_ok=True)
    ready = os.path.join(run, "ready")
    os.mkfifo(ready, 0o600)
    with open(os.path.join(run, "config"), "w") as f:
        f.write(f"exec sh -c 'echo \"$WAYLAND_DISPLAY\" > {ready}'\n")
    pw = pwd.getpwnam(user)
    for path in (run, ready, os.path.join(run, "config")):
        os.chown(path, pw.pw_uid, pw.pw_gid)
    p = subprocess.Popen(["setpriv", "--reuid", user, "--regid", user, "--clear-groups", "--", "env", "-i",
                          f"XDG_RUNTIME_DIR={run}", f"HOME={run}", "WLR_BACKENDS=headless", "WLR_LIBINPUT_NO_DEVICES=1",
                          "WLR_RENDERER=pixman", "PATH=/usr/bin:/bin", "sway", "-c", os.path.join(run, "config")],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(ready) as f:  # blocks until sway runs its exec line
        name = f.readline().strip()
    return {"proc": p, "user": user, "dir": run}, os.path.join(run, name)


def stop_sway(s):
    if not s:
        return
    s["proc"].kill()
    s["proc"].wait()
    subprocess.run(["userdel", s["user"]], capture_output=True)
    shutil.rmtree(s["dir"], ignore_errors=True)


class WithVars:
    """An Env whose children also get `vars_` (DISPLAY, WAYLAND_DISPLAY)."""

    def __init__(self, env, vars_):
        self.env, self.vars = env, vars_

    def child_env(self, *a, **k):
        c = self.env.child_env(*a, **k)
        c.update(self.vars)
        return c


def bench_desktop(env, limberd, tmp, settle, window):
    quiet = quiet_hours_now(70)
    extra = {}
    notes = []
    xvfb, display = start_xvfb()
    if xvfb:
        extra["x11"] = {"DISPLAY": display}
    else:
        notes.append(f"x11: {display}")
    sway, wl = (None, None)
    try:
        sway, wl = start_sway(tmp)
    except Exception as e:  # report and go on
        wl = repr(e)
    if sway:
        extra["wayland"] = {"WAYLAND_DISPLAY": wl}
    else:
        notes.append(f"wayland: {wl}")
    # The screensaver source on a session bus of its own (the others must not see it).
    ss_tmp = os.path.join(tmp, "ss")
    os.makedirs(ss_tmp, exist_ok=True)
    ss_env = Env(ss_tmp)
    ss_env.mocks["screensaver"] = ss_env._mock(
        ["--template", os.path.join(ROOT, "Tests", "LimberPluginsTests", "Mocks", "screensaver.py")],
        ss_env.session, "org.freedesktop.ScreenSaver")
    # The tray: a StatusNotifierWatcher (as a panel offers it) on its own bus.
    tray_tmp = os.path.join(tmp, "tray")
    os.makedirs(tray_tmp, exist_ok=True)
    tray_env = Env(tray_tmp)
    tray_env.mocks["watcher"] = tray_env._mock(
        ["--template", os.path.join(ROOT, "Tests", "LimberPluginsTests", "Mocks", "sni_watcher.py")],
        tray_env.session, "org.kde.StatusNotifierWatcher")
    runs = {}
    result = {"settle_s": settle, "window_s": window, "notes": notes}
    try:
        for name in ["none", "x11", "wayland", "screensaver", "tray"]:
            if name in ("x11", "wayland") and name not in extra:
                continue
            base = {"screensaver": ss_env, "tray": tray_env}.get(name, env)
            e = WithVars(base, extra.get(name, {}))
            home, state = make_config(tmp, "desk-" + name, SHIPPED, quiet=quiet)
            runs[name] = Limberd(e, stage_install(tmp, limberd, "prefix-desk-" + name), tmp, "desk-" + name, home, state)
        for d in runs.values():
            d.ready()
        log(f"  desktop: {', '.join(runs)}; settling {settle} s (past idle_after), then a {window} s window")
        time.sleep(settle)
        before = {n: footprint([d.proc.pid]) for n, d in runs.items()}
        time.sleep(window)
        for n, d in runs.items():
            after = footprint([d.proc.pid])
            b = before[n]
            libs = sorted({os.path.basename(f) for f, _, _ in mapped_files(d.proc.pid)
                           if "libxcb" in f or "libwayland" in f})
            result[n] = {k: b[k] for k in ("rss_kb", "pss_kb", "anon_kb", "threads", "fds")} | {
                "cpu_ms_window": round(after["cpu_ms"] - b["cpu_ms"], 1),
                "ctxt_switches_window": after["ctxt_switches"] - b["ctxt_switches"],
                "display_libraries": libs,
                "rss_kb_end": after["rss_kb"], "pss_kb_end": after["pss_kb"], "anon_kb_end": after["anon_kb"],
            }
    finally:
        for d in runs.values():
            d.stop()
        ss_env.close()
        tray_env.close()
        if xvfb:
            xvfb.kill()
            xvfb.wait()
        stop_sway(sway)
    return result


def markdown(res):
    d = res.get("desktop")
    if not d or "error" in d:
        return []
    L = ["", f"Idle sources after a {d['settle_s']} s settle (past `idle_after`); CPU and context switches over the next "
              f"{d['window_s']} s, no input, next reminder an hour away.", "",
         "| source | anonymous MB | PSS MB | RSS MB | threads | fds | CPU ms in window | context switches | anonymous / PSS / RSS MB at the end | display libraries mapped |",
         "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for key in ("none", "x11", "wayland", "screensaver", "tray"):
        r = d.get(key)
        if r:
            L.append(f"| {key} | {r.get('anon_kb', 0) / 1024:.1f} | {r['pss_kb'] / 1024:.1f} | {r['rss_kb'] / 1024:.1f} | "
                     f"{r['threads']} | {r['fds']} | {r['cpu_ms_window']:.0f} | {r['ctxt_switches_window']} | "
                     f"{r.get('anon_kb_end', 0) / 1024:.1f} / {r['pss_kb_end'] / 1024:.1f} / {r['rss_kb_end'] / 1024:.1f} | "
                     f"{', '.join(r['display_libraries']) or '-'} |")
    for n in d.get("notes", []):
        L.append(f"\nnot measured: {n}")
    return L
