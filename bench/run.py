#!/usr/bin/env python3
"""limber's benchmark: the running daemon, measured from outside.

Called by scripts/bench (which builds the binaries first). Standard library
only; dbus-daemon, python3-dbusmock, Xvfb and a peer (safeeyes) come from
Debian's packages.

  bench/run.py --limberd BIN [--bench BIN] [--quick] [--peer safeeyes|none]

What it measures (see docs/benchmarks.md):
  idle      RSS, PSS (smaps_rollup), threads, fds after a settle; CPU time
            and context switches over an idle window with the next reminder
            an hour away; with and without the systemd watchdog
  startup   process start to READY=1 on NOTIFY_SOCKET, 2/100/1000 programs
  reload    SIGHUP to READY=1, 100/1000 programs
  core      limber-bench core (time per event, heap, growth)
  notify    limber-bench notify (Notify call to reply, private bus)
  binary    size and linked shared libraries
  peer      the same idle figures for a peer (Safe Eyes under Xvfb)
Results: bench/results/*.json and bench/results/results.md.
"""
import argparse
import datetime
import json
import os
import platform
import queue
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SYS_PYTHON = "/usr/bin/python3"  # python3-dbusmock lives in Debian's python
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def log(msg):
    print(msg, flush=True)


# ---------------------------------------------------------------- /proc


def read(path):
    with open(path) as f:
        return f.read()


def children(pid):
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                out += [int(c) for c in read(f"/proc/{pid}/task/{tid}/children").split()]
            except OSError:
                pass
    except OSError:
        pass
    return out


def tree(pid):
    """pid and all its descendants."""
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.append(p)
        todo += children(p)
    return seen


def proc_snapshot(pid):
    """Memory, threads, fds, CPU and context switches of one process."""
    s = {"pid": pid}
    roll = read(f"/proc/{pid}/smaps_rollup")
    for line in roll.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 2 and parts[0].endswith(":"):
            s[parts[0][:-1]] = int(parts[1])  # kB
    status = read(f"/proc/{pid}/status")
    for line in status.splitlines():
        k, _, v = line.partition(":")
        if k in ("Threads", "VmRSS"):
            s[k] = int(v.split()[0])
    # Context switches are counted per thread: sum over the tasks.
    s["voluntary_ctxt_switches"] = s["nonvoluntary_ctxt_switches"] = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            for line in read(f"/proc/{pid}/task/{tid}/status").splitlines():
                k, _, v = line.partition(":")
                if k in ("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches"):
                    s[k] += int(v.split()[0])
        except OSError:
            pass
    stat = read(f"/proc/{pid}/stat")
    fields = stat[stat.rindex(")") + 2:].split()
    s["cpu_ms"] = (int(fields[11]) + int(fields[12])) * 1000.0 / CLK_TCK  # utime + stime
    s["fds"] = len(os.listdir(f"/proc/{pid}/fd"))
    s["comm"] = read(f"/proc/{pid}/comm").strip()
    return s


def footprint(pids):
    """Summed over a process tree: the issue's figures."""
    snaps = []
    for p in pids:
        try:
            snaps.append(proc_snapshot(p))
        except OSError:
            pass
    tot = lambda k: sum(s.get(k, 0) for s in snaps)
    return {
        "processes": len(snaps),
        "names": sorted({s["comm"] for s in snaps}),
        "rss_kb": tot("Rss"),
        "pss_kb": tot("Pss"),
        # Anonymous: the process's own memory (heap, stacks, written data),
        # what the kernel can only reclaim by swapping; the rest of RSS is
        # file pages that stay in the page cache whoever maps them.
        "anon_kb": tot("Anonymous"),
        "pss_anon_kb": tot("Pss_Anon"),
        "pss_file_kb": tot("Pss_File"),
        "threads": tot("Threads"),
        "fds": tot("fds"),
        "cpu_ms": tot("cpu_ms"),
        "ctxt_switches": tot("voluntary_ctxt_switches") + tot("nonvoluntary_ctxt_switches"),
        "pids": [s["pid"] for s in snaps],
    }


def mapped_files(pid):
    """Rss and Pss per mapped file (kB), largest first."""
    per = {}
    cur = None
    for line in read(f"/proc/{pid}/smaps").splitlines():
        parts = line.split()
        if not parts:
            continue
        if "-" in parts[0] and len(parts) >= 5 and not parts[0].endswith(":"):
            cur = parts[5] if len(parts) >= 6 else "[anon]"
            per.setdefault(cur, {"rss_kb": 0, "pss_kb": 0})
        elif parts[0] == "Rss:" and cur:
            per[cur]["rss_kb"] += int(parts[1])
        elif parts[0] == "Pss:" and cur:
            per[cur]["pss_kb"] += int(parts[1])
    return sorted(([k, v["rss_kb"], v["pss_kb"]] for k, v in per.items()), key=lambda r: -r[1])


# ---------------------------------------------------------------- sd_notify


class NotifySocket:
    """An AF_UNIX datagram socket like systemd's NOTIFY_SOCKET; every
    datagram is queued with its arrival time (CLOCK_MONOTONIC ns)."""

    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.q = queue.Queue()
        self.all = []
        t = threading.Thread(target=self._loop, daemon=True)
        t.start()

    def _loop(self):
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                return
            now = time.monotonic_ns()
            fields = dict(l.split("=", 1) for l in data.decode(errors="replace").splitlines() if "=" in l)
            self.all.append((now, fields))
            self.q.put((now, fields))

    def wait_for(self, key, value="1", timeout=30.0, proc=None):
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {key}={value} within {timeout} s")
            try:
                t, fields = self.q.get(timeout=min(left, 0.2))
            except queue.Empty:
                if proc is not None and proc.poll() is not None:
                    raise RuntimeError(f"limberd exited ({proc.returncode}) before {key}={value}")
                continue
            if fields.get(key) == value:
                return t, fields

    def drain(self):
        while not self.q.empty():
            self.q.get_nowait()

    def close(self):
        self.sock.close()


# ---------------------------------------------------------------- environment


class Env:
    """Private session and system buses with python3-dbusmock's
    notification server and logind, as on a desktop."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.procs = []
        self.session = self._bus("session")
        self.system = self._bus("system")
        self.notes = []
        self.mocks = {}
        if os.path.exists(SYS_PYTHON) and subprocess.run([SYS_PYTHON, "-c", "import dbusmock"],
                                                         capture_output=True).returncode == 0:
            self.mocks["notifications"] = self._mock(["--template", "notification_daemon"], self.session,
                                                     "org.freedesktop.Notifications")
            self.mocks["logind"] = self._mock(["--system", "--template", "logind"], self.system,
                                              "org.freedesktop.login1", system=True)
            # A session for the user, as a desktop login makes.
            subprocess.run(["dbus-send", f"--bus={self.system}", "--print-reply", "--dest=org.freedesktop.login1",
                            "/org/freedesktop/login1", "org.freedesktop.DBus.Mock.AddSession",
                            "string:c1", "string:seat0", f"uint32:{os.getuid()}", "string:bench", "boolean:true"],
                           capture_output=True)
        else:
            self.notes.append("python3-dbusmock not found: no notification server or logind on the private buses")

    def _bus(self, name):
        addr_path = os.path.join(self.tmp, f"{name}_bus")
        p = subprocess.Popen(["dbus-daemon", "--session", f"--address=unix:path={addr_path}", "--nofork",
                              "--print-address=1"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.procs.append(p)
        addr = p.stdout.readline().strip()
        return addr

    def _mock(self, args, bus, name, system=False):
        env = dict(os.environ)
        env["DBUS_SESSION_BUS_ADDRESS"] = self.session
        env["DBUS_SYSTEM_BUS_ADDRESS"] = self.system
        p = subprocess.Popen([SYS_PYTHON, "-m", "dbusmock"] + args, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.procs.append(p)
        for _ in range(100):
            r = subprocess.run(["dbus-send", f"--bus={bus}", "--print-reply", "--dest=org.freedesktop.DBus",
                                "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", f"string:{name}"],
                               capture_output=True, text=True)
            if "true" in r.stdout:
                return p
            time.sleep(0.1)
        self.notes.append(f"{name} mock did not appear")
        return p

    def child_env(self, config_home, state_home, notify_path, watchdog_usec=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NOTIFY_SOCKET", "WATCHDOG_", "LISTEN_"))}
        env.update({
            "DBUS_SESSION_BUS_ADDRESS": self.session,
            "DBUS_SYSTEM_BUS_ADDRESS": self.system,
            "XDG_CONFIG_HOME": config_home,
            "XDG_CONFIG_DIRS": os.path.join(self.tmp, "no-etc-xdg"),
            "XDG_STATE_HOME": state_home,
            "NOTIFY_SOCKET": notify_path,
            "HOME": os.path.join(self.tmp, "home"),
        })
        if watchdog_usec:
            env["WATCHDOG_USEC"] = str(watchdog_usec)
        return env

    def close(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    p.kill()


# ---------------------------------------------------------------- limberd runs


SHIPPED = ["sciatica-relief", "desk-basics"]


def stage_install(tmp, limberd, name="prefix"):
    """An installed layout: PREFIX/bin/limberd and PREFIX/share/limber. Each
    daemon measured at the same time gets its own copy (its own inode), so
    that two of them never share pages and halve each other's PSS."""
    prefix = os.path.join(tmp, name)
    os.makedirs(os.path.join(prefix, "bin"), exist_ok=True)
    dst = os.path.join(prefix, "bin", "limberd")
    shutil.copy2(limberd, dst)
    share = os.path.join(prefix, "share", "limber")
    if os.path.exists(share):
        shutil.rmtree(share)
    shutil.copytree(os.path.join(ROOT, "config"), share)
    return dst


def quiet_hours_now(minutes=70):
    """A quiet-hours window from a minute ago to `minutes` from now: nothing
    is shown and the next reminder is at least an hour away."""
    now = datetime.datetime.now()
    a = now - datetime.timedelta(minutes=1)
    b = now + datetime.timedelta(minutes=minutes)
    return f"{a:%H:%M}-{b:%H:%M}"


def make_config(tmp, name, programs, generated=0, quiet=None):
    """XDG_CONFIG_HOME with limber.toml enabling `programs` plus `generated`
    generated program files (copies of desk-basics under new ids)."""
    home = os.path.join(tmp, "cfg-" + name)
    d = os.path.join(home, "limber")
    pdir = os.path.join(d, "programs")
    os.makedirs(pdir, exist_ok=True)
    ids = list(programs)
    if generated:
        template = read(os.path.join(ROOT, "config", "programs", "desk-basics.toml"))
        for i in range(generated):
            pid = f"gen-{i:04d}"
            text = template.replace('id = "desk-basics"', f'id = "{pid}"').replace(
                'name = "Desk basics"', f'name = "Generated {i}"')
            with open(os.path.join(pdir, pid + ".toml"), "w") as f:
                f.write(text)
            ids.append(pid)
    toml = "programs = [" + ", ".join(f'"{i}"' for i in ids) + "]\n"
    if quiet:
        toml += f'quiet_hours = ["{quiet}"]\n'
    with open(os.path.join(d, "limber.toml"), "w") as f:
        f.write(toml)
    state = os.path.join(tmp, "state-" + name)
    os.makedirs(state, exist_ok=True)
    return home, state


class Limberd:
    def __init__(self, env, binary, tmp, name, config_home, state_home, watchdog_usec=None, args=()):
        self.sock_path = os.path.join(tmp, f"notify-{name}.sock")
        if os.path.exists(self.sock_path):
            os.unlink(self.sock_path)
        self.notify = NotifySocket(self.sock_path)
        self.errlog = open(os.path.join(tmp, f"limberd-{name}.log"), "w")
        e = env.child_env(config_home, state_home, self.sock_path, watchdog_usec)
        # The staged PREFIX/share/limber (limberd never looks beside its
        # binary: the data dir is fixed at build time, or this variable).
        e["LIMBER_DATA_DIR"] = os.path.join(os.path.dirname(os.path.dirname(binary)), "share", "limber")
        self.t0 = time.monotonic_ns()
        self.proc = subprocess.Popen([binary, *args], env=e, stdin=subprocess.DEVNULL,
                                     stdout=self.errlog, stderr=self.errlog)

    def ready(self, timeout=60):
        t, fields = self.notify.wait_for("READY", timeout=timeout, proc=self.proc)
        return (t - self.t0) / 1e6, fields

    def reload(self, timeout=60):
        self.notify.drain()
        t0 = time.monotonic_ns()
        self.proc.send_signal(signal.SIGHUP)
        t, fields = self.notify.wait_for("READY", timeout=timeout, proc=self.proc)
        return (t - t0) / 1e6, fields

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.notify.close()
        self.errlog.close()
        return self.proc.returncode


def summarize(xs):
    xs = sorted(xs)
    return {"runs": len(xs), "median_ms": round(statistics.median(xs), 2), "min_ms": round(xs[0], 2),
            "max_ms": round(xs[-1], 2)}


def bench_startup(env, binary, tmp, sizes, runs):
    out = {}
    for n in sizes:
        if n <= len(SHIPPED):
            home, state = make_config(tmp, f"start{n}", SHIPPED[:n])
        else:
            home, state = make_config(tmp, f"start{n}", [], generated=n)
        times = []
        for _ in range(runs):
            shutil.rmtree(state, ignore_errors=True)
            os.makedirs(state)
            d = Limberd(env, binary, tmp, f"start{n}", home, state)
            try:
                ms, fields = d.ready()
                times.append(ms)
            finally:
                d.stop()
        out[str(n)] = summarize(times) | {"status": fields.get("STATUS", "")}
        log(f"  startup, {n:>4} programs: median {out[str(n)]['median_ms']:.1f} ms "
            f"(min {out[str(n)]['min_ms']:.1f}, max {out[str(n)]['max_ms']:.1f}, {runs} runs)")
    return out


def bench_reload(env, binary, tmp, sizes, runs):
    out = {}
    for n in sizes:
        home, state = make_config(tmp, f"reload{n}", [], generated=n)
        d = Limberd(env, binary, tmp, f"reload{n}", home, state)
        try:
            d.ready()
            times = []
            for _ in range(runs):
                ms, fields = d.reload()
                times.append(ms)
            rss = proc_snapshot(d.proc.pid)
        finally:
            d.stop()
        out[str(n)] = summarize(times) | {"rss_kb_after": rss.get("Rss"), "pss_kb_after": rss.get("Pss")}
        log(f"  reload, {n:>4} programs: median {out[str(n)]['median_ms']:.1f} ms "
            f"(min {out[str(n)]['min_ms']:.1f}, max {out[str(n)]['max_ms']:.1f}, {runs} runs); "
            f"RSS after {rss.get('Rss', 0) / 1024:.1f} MB")
    return out


# ---------------------------------------------------------------- the peer


def start_peer(name, tmp, system_bus=None):
    """A peer break reminder under Xvfb with its own session bus."""
    exe = shutil.which(name)
    if not exe:
        return None, f"{name} is not installed (apt-get install {name})"
    if not shutil.which("Xvfb"):
        return None, "Xvfb is not installed (apt-get install xvfb)"
    disp = None
    procs = []
    for n in range(90, 120):
        if not os.path.exists(f"/tmp/.X11-unix/X{n}") and not os.path.exists(f"/tmp/.X{n}-lock"):
            disp = f":{n}"
            break
    x = subprocess.Popen(["Xvfb", disp, "-nolisten", "tcp", "-screen", "0", "1280x800x24"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs.append(x)
    for _ in range(50):
        if os.path.exists(f"/tmp/.X11-unix/X{disp[1:]}"):
            break
        time.sleep(0.1)
    home = os.path.join(tmp, f"peer-home-{name}")
    os.makedirs(home, exist_ok=True)
    bus_path = os.path.join(tmp, f"peer_bus_{name}")
    b = subprocess.Popen(["dbus-daemon", "--session", f"--address=unix:path={bus_path}", "--nofork",
                          "--print-address=1"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    procs.append(b)
    addr = b.stdout.readline().strip()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NOTIFY_SOCKET", "WATCHDOG_"))}
    env.update({"DISPLAY": disp, "DBUS_SESSION_BUS_ADDRESS": addr, "HOME": home,
                "XDG_CONFIG_HOME": os.path.join(home, ".config"), "XDG_DATA_HOME": os.path.join(home, ".local/share"),
                "XDG_CACHE_HOME": os.path.join(home, ".cache"), "XDG_RUNTIME_DIR": tmp, "NO_AT_BRIDGE": "1"})
    if system_bus:
        env["DBUS_SYSTEM_BUS_ADDRESS"] = system_bus  # the private one, with the logind mock
    plog = open(os.path.join(tmp, f"peer-{name}.log"), "w")
    # Debian's python for the peer: its modules are installed there.
    cmd = [exe]
    p = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=plog, stderr=plog, start_new_session=True)
    procs.append(p)
    version = ""
    try:
        version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", name], capture_output=True, text=True).stdout
    except OSError:
        pass
    return {"name": name, "version": version, "proc": p, "procs": procs, "log": plog}, None


def stop_peer(peer):
    if not peer:
        return
    p = peer["proc"]
    for pid in reversed(tree(p.pid)):
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass
    for q in reversed(peer["procs"]):
        if q.poll() is None:
            q.terminate()
        try:
            q.wait(5)
        except subprocess.TimeoutExpired:
            q.kill()
            q.wait()
    peer["log"].close()


# ---------------------------------------------------------------- idle


# What each memory figure keeps (kB): RSS, PSS, anonymous and its PSS share, file PSS.
MEM_KEYS = ("rss_kb", "pss_kb", "anon_kb", "pss_anon_kb", "pss_file_kb")
# limberd trims 10 s after READY=1; the "before the trim" snapshot is taken at 5 s.
PRE_TRIM_S = 5


def bench_idle(env, limberd, tmp, settle, window, peer_name):
    quiet = quiet_hours_now(70)
    home, state = make_config(tmp, "idle", SHIPPED, quiet=quiet)
    home_wd, state_wd = make_config(tmp, "idle-wd", SHIPPED, quiet=quiet)
    runs = {
        "limberd": Limberd(env, stage_install(tmp, limberd, "prefix-idle"), tmp, "idle", home, state),
        # As under systemd with WatchdogSec=60s: WATCHDOG=1 every 30 s.
        "limberd_watchdog": Limberd(env, stage_install(tmp, limberd, "prefix-idle-wd"), tmp, "idle-wd", home_wd, state_wd,
                                    watchdog_usec=60_000_000),
    }
    # Peers measured in the same window (a comma list: safeeyes,workrave,rsibreak).
    names = [] if peer_name == "none" else [n for n in peer_name.split(",") if n]
    peers, skipped = {}, {}
    for name in names:
        peer, why = start_peer(name, tmp, env.system)
        if peer:
            peers[name] = peer
        else:
            skipped[name] = why
            log(f"  peer: {why}")
    started = list(peers.values())
    result = {"settle_s": settle, "window_s": window, "quiet_hours": quiet}
    try:
        for name, d in runs.items():
            ms, fields = d.ready()
            result.setdefault("status", fields.get("STATUS", ""))
        ready_at = time.monotonic()
        log(f"  idle: settling {settle} s, then a {window} s window ({result['status']})")
        # Once before limberd's self-trim (10 s after READY=1) too: what the
        # trim saves, and what it does not.
        time.sleep(max(0.0, ready_at + PRE_TRIM_S - time.monotonic()))
        early = {n: footprint([d.proc.pid]) for n, d in runs.items()}
        time.sleep(max(0.0, ready_at + settle - time.monotonic()))
        before = {n: footprint([d.proc.pid]) for n, d in runs.items()}
        for name, peer in list(peers.items()):
            if peer["proc"].poll() is not None:
                skipped[name] = f"{name} exited with {peer['proc'].returncode} (see its log)"
                del peers[name]
            else:
                before["peer:" + name] = footprint(tree(peer["proc"].pid))
        for d in runs.values():
            d.notify.drain()
        time.sleep(window)
        for n, d in runs.items():
            after = footprint([d.proc.pid])
            b = before[n]
            wd = sum(1 for _, f in d.notify.all if f.get("WATCHDOG") == "1")
            result[n] = {k: b[k] for k in MEM_KEYS + ("threads", "fds")} | {
                "before_trim": {k: early[n][k] for k in MEM_KEYS},
                "after_s": settle, "before_trim_after_s": PRE_TRIM_S,
                "cpu_ms_window": round(after["cpu_ms"] - b["cpu_ms"], 1),
                "ctxt_switches_window": after["ctxt_switches"] - b["ctxt_switches"],
                "watchdog_pings_window": sum(1 for t, f in d.notify.all if f.get("WATCHDOG") == "1"),
                "rss_kb_end": after["rss_kb"],
                "pss_kb_end": after["pss_kb"],
                "anon_kb_end": after["anon_kb"],
            }
        result["limberd_maps"] = mapped_files(runs["limberd"].proc.pid)[:25]
        result["peers"] = []
        for name, peer in peers.items():
            b = before["peer:" + name]
            after = footprint(tree(peer["proc"].pid))
            result["peers"].append({k: b[k] for k in MEM_KEYS + ("threads", "fds", "processes", "names")} | {
                "name": peer["name"], "version": peer["version"],
                "cpu_ms_window": round(after["cpu_ms"] - b["cpu_ms"], 1),
                "ctxt_switches_window": after["ctxt_switches"] - b["ctxt_switches"],
            })
        result["peers"] += [{"name": n, "skipped": why} for n, why in skipped.items()]
    finally:
        for d in runs.values():
            d.stop()
        for peer in started:
            stop_peer(peer)
    return result


def bench_reminder(env, limberd, limberctl, tmp, settle, trimmed=15):
    """The reminder path: limberd waiting (after the start-up trim), then a
    reminder on screen (limberctl trigger; the notification mock keeps it
    up), then answered (limberctl done). Memory a few seconds after each
    step, and again once the trim 10 s after the status change has run."""
    if not limberctl or "notifications" not in env.mocks:
        return {"skipped": "no limberctl or no notification mock"}
    home, state = make_config(tmp, "reminder", SHIPPED)
    d = Limberd(env, stage_install(tmp, limberd, "prefix-reminder"), tmp, "reminder", home, state)
    e = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=env.session, DBUS_SYSTEM_BUS_ADDRESS=env.system)

    def ctl(*args):
        return subprocess.run([limberctl, *args], env=e, capture_output=True, text=True, timeout=30)

    def showing():
        r = ctl("status", "--json")
        try:
            return json.loads(r.stdout).get("showing") is not None
        except ValueError:
            return False

    def at(moment, t0, seconds):
        time.sleep(max(0.0, t0 + seconds - time.monotonic()))
        f = footprint([d.proc.pid])
        out["moments"].append({"moment": moment, "after_s": seconds} | {k: f[k] for k in MEM_KEYS})
        log(f"  {moment} (+{seconds} s): RSS {mb(f['rss_kb'])} MB, PSS {mb(f['pss_kb'])} MB, "
            f"anonymous {mb(f['anon_kb'])} MB")

    out = {"moments": []}
    try:
        d.ready()
        at("waiting, after the start-up trim", time.monotonic(), settle)
        rows = json.loads(ctl("next", "--json").stdout).get("reminders", [])
        rule = next((r["rule"] for r in rows if r.get("kind") == "sit-break"), rows[0]["rule"] if rows else None)
        if not rule:
            return out | {"skipped": "no reminder rule to trigger"}
        out["rule"] = rule
        r = ctl("trigger", rule)
        if r.returncode != 0:
            raise RuntimeError(f"limberctl trigger {rule}: {r.stderr.strip()}")
        end = time.monotonic() + 30
        while not showing():
            if time.monotonic() > end:
                raise TimeoutError(f"{rule} was not on screen within 30 s")
            time.sleep(0.5)
        t0 = time.monotonic()
        at("a reminder on screen", t0, 3)
        at("a reminder on screen, after the trim", t0, trimmed)
        r = ctl("done")
        if r.returncode != 0:
            raise RuntimeError(f"limberctl done: {r.stderr.strip()}")
        t0 = time.monotonic()
        at("answered (Done)", t0, 3)
        at("answered, after the trim", t0, trimmed)
    finally:
        d.stop()
    return out


# ---------------------------------------------------------------- binary


def bench_binary(binaries):
    out = {}
    for name, path in binaries.items():
        if not path or not os.path.exists(path):
            continue
        needed = []
        r = subprocess.run(["readelf", "-d", path], capture_output=True, text=True)
        for line in r.stdout.splitlines():
            if "(NEEDED)" in line:
                needed.append(line.split("[", 1)[1].rstrip("]"))
        r = subprocess.run(["ldd", path], capture_output=True, text=True)
        resolved = [l.strip().split(" ")[0] for l in r.stdout.splitlines() if l.strip()]
        installed = None
        if shutil.which("strip"):  # as scripts/install installs it
            with tempfile.NamedTemporaryFile() as t:
                if subprocess.run(["strip", "--strip-debug", "-o", t.name, path]).returncode == 0:
                    installed = os.path.getsize(t.name)
        sections = {}
        r = subprocess.run(["size", "-A", path], capture_output=True, text=True)
        for line in r.stdout.splitlines():
            p = line.split()
            if len(p) >= 2 and p[0] in (".text", ".rodata", ".data", ".data.rel.ro", ".bss", ".eh_frame"):
                sections[p[0]] = int(p[1])
        out[name] = {"bytes": os.path.getsize(path), "installed_bytes": installed, "sections": sections,
                     "needed": needed, "ldd": resolved}
        log(f"  {name}: {os.path.getsize(path) / 1e6:.1f} MB built, {(installed or 0) / 1e6:.1f} MB installed "
            f"(.text {sections.get('.text', 0) / 1e6:.1f} MB, .rodata {sections.get('.rodata', 0) / 1e6:.1f} MB); "
            f"needs {', '.join(needed)}")
    return out


# ---------------------------------------------------------------- report


def mb(kb):
    return f"{kb / 1024:.1f}"


def markdown(res):
    L = []
    m = res["machine"]
    L.append(f"Run {m['date']} on {m['cpus']} CPUs ({m['cpu']}), {m['kernel']}, {m['swift']}; "
             f"command `{res['command']}`{' (quick pass)' if res['quick'] else ''}.")
    L.append("")
    idle = res.get("idle")
    if idle:
        L.append(f"Idle footprint after a {idle['settle_s']} s settle; CPU and context switches over the next "
                 f"{idle['window_s']} s, next reminder an hour away.")
        L.append("")
        L.append("| program | anonymous MB | PSS MB | RSS MB | threads | fds | CPU ms in window | context switches | watchdog pings |")
        L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for key, label in (("limberd", "limberd (no watchdog)"), ("limberd_watchdog", "limberd (WatchdogSec=60s)")):
            r = idle.get(key)
            if r:
                L.append(f"| {label} | {mb(r.get('anon_kb', 0))} | {mb(r['pss_kb'])} | {mb(r['rss_kb'])} | {r['threads']} | "
                         f"{r['fds']} | {r['cpu_ms_window']:.0f} | {r['ctxt_switches_window']} | {r['watchdog_pings_window']} |")
        r = idle.get("limberd", {}).get("before_trim")
        if r:
            L.append(f"| limberd {idle['limberd']['before_trim_after_s']} s after READY=1 (before its trim) | "
                     f"{mb(r['anon_kb'])} | {mb(r['pss_kb'])} | {mb(r['rss_kb'])} | | | | | |")
        r = idle["limberd"]
        for p in idle.get("peers", []):
            if "skipped" in p:
                continue
            L.append(f"| {p['name']} {p['version']} ({p['processes']} processes) | {mb(p.get('anon_kb', 0))} | "
                     f"{mb(p['pss_kb'])} | {mb(p['rss_kb'])} | "
                     f"{p['threads']} | {p['fds']} | {p['cpu_ms_window']:.0f} | {p['ctxt_switches_window']} | - |")
        for p in idle.get("peers", []):
            L.append("")
            if "skipped" in p:
                L.append(f"Peer not measured: {p['skipped']}.")
            else:
                L.append(f"limberd / {p['name']}: anonymous {r.get('anon_kb', 0) / max(1, p.get('anon_kb', 0)):.3f}, "
                         f"PSS {r['pss_kb'] / max(1, p['pss_kb']):.3f}, RSS {r['rss_kb'] / max(1, p['rss_kb']):.3f}.")
        L.append("")
    rem = res.get("reminder")
    if rem and rem.get("moments"):
        L.append(f"The reminder path (`{rem.get('rule', '')}` triggered, then answered Done), one limberd:")
        L.append("")
        L.append("| moment | anonymous MB | PSS MB | RSS MB |")
        L.append("| --- | ---: | ---: | ---: |")
        for m in rem["moments"]:
            L.append(f"| {m['moment']} (+{m['after_s']} s) | {mb(m['anon_kb'])} | {mb(m['pss_kb'])} | {mb(m['rss_kb'])} |")
        L.append("")
    if res.get("startup"):
        L.append("| start to READY=1 | median ms | min | max | runs |")
        L.append("| --- | ---: | ---: | ---: | ---: |")
        for n, r in res["startup"].items():
            L.append(f"| {n} programs | {r['median_ms']:.1f} | {r['min_ms']:.1f} | {r['max_ms']:.1f} | {r['runs']} |")
        L.append("")
    if res.get("reload"):
        L.append("| SIGHUP to READY=1 | median ms | min | max | runs |")
        L.append("| --- | ---: | ---: | ---: | ---: |")
        for n, r in res["reload"].items():
            L.append(f"| {n} programs | {r['median_ms']:.1f} | {r['min_ms']:.1f} | {r['max_ms']:.1f} | {r['runs']} |")
        L.append("")
    core = res.get("core")
    if core and core.get("sizes"):
        L.append(f"Core (time zone {core.get('time_zone')}): µs per event, heap per reminder.")
        L.append("")
        L.append("| reminders | init ms | heap MB | B/reminder | timer p50 | timer p99 | answer p50 | answer p99 | status p50 | idle wake p50 |")
        L.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for s in core["sizes"]:
            L.append(f"| {s['reminders']} | {s['init_ms']:.1f} | {s['heap_bytes'] / 1048576:.2f} | "
                     f"{s['heap_bytes'] / s['reminders']:.0f} | {s['timer']['p50_us']:.1f} | {s['timer']['p99_us']:.1f} | "
                     f"{s['answer']['p50_us']:.1f} | {s['answer']['p99_us']:.1f} | {s['status']['p50_us']:.1f} | "
                     f"{s['idle_wake']['p50_us']:.1f} |")
        g = core.get("growth_exponent", {})
        L.append("")
        L.append(f"Growth exponent k (time ∝ N^k, N ≥ 1000): timer {g.get('timer')}, answer {g.get('answer')}, "
                 f"heap {g.get('heap')} (n log n over 1,000–100,000 fits k ≈ 1.2).")
        L.append("")
    n = res.get("notify")
    if n and n.get("notify"):
        s = n["notify"]
        L.append(f"Notify call to reply ({s['count']} calls, python3-dbusmock server on a private bus): "
                 f"p50 {s['p50_us']:.0f} µs, p90 {s['p90_us']:.0f} µs, p99 {s['p99_us']:.0f} µs.")
        L.append("")
    b = res.get("binary")
    if b:
        L.append("| binary | built MB | installed MB | .text MB | .rodata MB | linked shared libraries |")
        L.append("| --- | ---: | ---: | ---: | ---: | --- |")
        for name, r in b.items():
            sec = r.get("sections", {})
            L.append(f"| {name} | {r['bytes'] / 1e6:.1f} | {(r.get('installed_bytes') or 0) / 1e6:.1f} | "
                     f"{sec.get('.text', 0) / 1e6:.1f} | {sec.get('.rodata', 0) / 1e6:.1f} | {', '.join(r['needed'])} |")
        L.append("")
    import desktop
    L += desktop.markdown(res)
    return "\n".join(L)


def machine(command, quick):
    cpu = ""
    for line in read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    swift = ""
    try:
        swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        pass
    return {"date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M %Z").strip(), "cpus": os.cpu_count(), "cpu": cpu,
            "kernel": f"Linux {platform.release()}", "swift": swift,
            "mem_total_kb": int(read("/proc/meminfo").split()[1])}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--limberd", required=True)
    ap.add_argument("--limberctl")
    ap.add_argument("--bench", help="limber-bench binary (core, notify)")
    ap.add_argument("--quick", action="store_true", help="a short smoke pass (CI)")
    # Pass it as --peer=NAME: Safe Eyes takes any process with a lone
    # "safeeyes" argument for a running copy of itself and exits.
    ap.add_argument("--peer", default="safeeyes", help="safeeyes, workrave, rsibreak, a comma list of them, or none")
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    ap.add_argument("--only", default="", help="comma list: binary,startup,reload,core,notify,idle,reminder,desktop")
    ap.add_argument("--command", default="scripts/bench")
    ap.add_argument("--settle", type=int, help="idle settle seconds (default 60, quick 15: both after the 10 s self-trim)")
    ap.add_argument("--window", type=int, help="idle window seconds (default 300, quick 10)")
    a = ap.parse_args()
    only = set(filter(None, a.only.split(",")))
    want = lambda k: not only or k in only
    q = a.quick
    os.makedirs(a.out, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="limber-bench-")
    os.makedirs(os.path.join(tmp, "home"), exist_ok=True)
    res = {"machine": machine(a.command, q), "command": a.command, "quick": q}
    env = Env(tmp)
    failed = []
    try:
        binary = stage_install(tmp, a.limberd)
        if env.notes:
            res["notes"] = env.notes
            for n in env.notes:
                log(f"note: {n}")

        def step(name, fn):
            if not want(name):
                return
            log(f"{name}:")
            try:
                res[name] = fn()
            except Exception as e:  # report and go on: one broken part must not hide the others
                log(f"  {name} failed: {e!r}")
                res[name] = {"error": repr(e)}
                failed.append(name)

        step("binary", lambda: bench_binary({"limberd": a.limberd, "limberctl": a.limberctl}))
        step("startup", lambda: bench_startup(env, binary, tmp, [2, 100] if q else [2, 100, 1000], 2 if q else 7))
        step("reload", lambda: bench_reload(env, binary, tmp, [100] if q else [100, 1000], 2 if q else 5))

        def core():
            if not a.bench:
                return {"skipped": "no limber-bench binary"}
            path = os.path.join(a.out, "core.json")
            args = ["core", "--json", path] + (["--sizes", "10,1000", "--events", "50"] if q else [])
            subprocess.run([a.bench] + args, check=True)
            return json.loads(read(path))
        step("core", core)

        def notify():
            if not a.bench or "notifications" not in env.mocks:
                return {"skipped": "no limber-bench binary or no notification mock"}
            path = os.path.join(a.out, "notify.json")
            e = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=env.session)
            subprocess.run([a.bench, "notify", "--count", "50" if q else "500", "--json", path], env=e, check=True)
            return json.loads(read(path))
        step("notify", notify)

        # Both passes measure the same moment: after limberd's self-trim, 10 s
        # after start-up (docs/benchmarks.md), not before it.
        settle = a.settle if a.settle is not None else (15 if q else 60)
        window = a.window if a.window is not None else (10 if q else 300)
        step("idle", lambda: bench_idle(env, a.limberd, tmp, settle, window,
                                        "none" if q and a.peer == "safeeyes" else a.peer))
        step("reminder", lambda: bench_reminder(env, a.limberd, a.limberctl, tmp, 12 if q else 30, 12 if q else 15))
        import desktop  # the idle sources (bench/desktop.py)
        step("desktop", lambda: desktop.bench_desktop(env, a.limberd, tmp,
                                                              a.settle if a.settle is not None else (5 if q else 70), window))
        idle = res.get("idle", {})
        for key, r in [(k, idle.get(k)) for k in ("limberd", "limberd_watchdog")] + [
                (p["name"], p) for p in idle.get("peers", [])]:
            if r and "cpu_ms_window" in r:
                log(f"  {key}: RSS {mb(r['rss_kb'])} MB, PSS {mb(r['pss_kb'])} MB, {r['threads']} threads, "
                    f"{r['fds']} fds; {r['cpu_ms_window']:.0f} ms CPU, {r['ctxt_switches_window']} context switches "
                    f"in {idle['window_s']} s")
    finally:
        env.close()
        if os.environ.get("LIMBER_BENCH_KEEP"):
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    name = "quick" if q else "full"
    with open(os.path.join(a.out, f"results-{name}.json"), "w") as f:
        json.dump(res, f, indent=2)
    md = markdown(res)
    with open(os.path.join(a.out, f"results-{name}.md"), "w") as f:
        f.write(md + "\n")
    log("")
    log(md)
    if failed:
        log(f"failed: {', '.join(failed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
