#!/usr/bin/python3
"""A user for the reliability tiers: answers limber's notifications at random.

Follows the notification mock's call log (LIMBER_TEST_NOTIFY_LOG, one line
per call), and for each new notification (Notify with replaces_id 0; the
mock hands out ids 1, 2, 3, ...) picks, after a random short delay, Done,
Snooze, Skip, a dismissal (NotificationClosed reason 2) or nothing (it
expires), and injects it through the mock's EmitSignal as a server would.
Writes one line per answer to --answers: "<unix time> <id> <answer>".
Runs until SIGTERM. Usage: answerer.py --answers FILE [--seed N] [--delay-ms MAX]
"""
import argparse, os, random, re, signal, sys, time
import dbus

p = argparse.ArgumentParser()
p.add_argument('--answers', required=True)
p.add_argument('--seed', type=int, default=1)
p.add_argument('--delay-ms', type=int, default=300)
p.add_argument('--poll-ms', type=int, default=10)
a = p.parse_args()
rng = random.Random(a.seed)
stop = False
def on_term(*_):
    global stop
    stop = True
signal.signal(signal.SIGTERM, on_term)
signal.signal(signal.SIGINT, on_term)

bus = dbus.bus.BusConnection(os.environ['DBUS_SESSION_BUS_ADDRESS'])
mock = dbus.Interface(bus.get_object('org.freedesktop.Notifications', '/org/freedesktop/Notifications'),
                      'org.freedesktop.DBus.Mock')
log_path = os.environ['LIMBER_TEST_NOTIFY_LOG']
notify_re = re.compile(r'^\S+ Notify "[^"]*" (\d+) ')
close_re = re.compile(r'^\S+ CloseNotification (\d+)')
next_id = 1
due = {}           # id -> (time to answer, answer)
closed = set()
out = open(a.answers, 'a', buffering=1)
CHOICES = [('done', 40), ('snooze', 25), ('skip', 15), ('dismiss', 10), ('ignore', 10)]
def pick():
    r = rng.uniform(0, 100)
    for name, w in CHOICES:
        if r < w:
            return name
        r -= w
    return 'ignore'

with open(log_path, 'r', errors='replace') as f:
    partial = ''
    while not stop:
        chunk = f.read()
        if chunk:
            partial += chunk
            *lines, partial = partial.split('\n')
            for line in lines:
                m = notify_re.match(line)
                if m:
                    if int(m.group(1)) == 0:
                        nid = next_id
                        next_id += 1
                        due[nid] = (time.time() + rng.uniform(0, a.delay_ms) / 1000.0, pick())
                    continue
                m = close_re.match(line)
                if m:
                    closed.add(int(m.group(1)))
                    due.pop(int(m.group(1)), None)
        now = time.time()
        for nid, (at, answer) in list(due.items()):
            if at > now:
                continue
            del due[nid]
            if answer == 'ignore' or nid in closed:
                continue
            try:
                if answer == 'dismiss':
                    mock.EmitSignal('org.freedesktop.Notifications', 'NotificationClosed', 'uu',
                                    [dbus.UInt32(nid), dbus.UInt32(2)])
                else:
                    mock.EmitSignal('org.freedesktop.Notifications', 'ActionInvoked', 'us',
                                    [dbus.UInt32(nid), answer])
                out.write(f'{time.time():.3f} {nid} {answer}\n')
            except dbus.DBusException as e:
                print(f'answerer: {e}', file=sys.stderr)
        time.sleep(a.poll_ms / 1000.0)
