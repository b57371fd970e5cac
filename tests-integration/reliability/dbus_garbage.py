#!/usr/bin/python3
"""Throws bad calls at limberd's control API (org.limber.Limber1) and checks
that it answers each with an error, never hangs, never dies, and that no
bad call changes its state.

  dbus_garbage.py [--calls N] [--seed N] [--pid PID]

Calls (seeded, random): every method with wrong signatures (none, extra,
each argument of another type); the right signature with bad values: empty,
huge (up to 4 MiB) and odd strings, unknown reminder ids (0, 2^64-1, random),
negative, overflowing and malformed durations and times, unknown or
ill-formed program ids and rules, pain levels out of range; property Get/Set
on unknown or read-only properties; unknown methods, interfaces and paths.
Read-only methods (Status, ListPrograms, DescribeProgram, Stats, ...) may
succeed; a call that could change state must fail. Reload (the same valid
configuration) and Resume (nothing paused) are mixed in: they must leave the
state as it was. Prints one JSON line; exit 1 on problems.
"""
import argparse, json, os, random, sys, time
import dbus

p = argparse.ArgumentParser()
p.add_argument('--calls', type=int, default=2000)
p.add_argument('--seed', type=int, default=1)
p.add_argument('--pid', type=int)
a = p.parse_args()
rng = random.Random(a.seed)
bus = dbus.bus.BusConnection(os.environ['DBUS_SESSION_BUS_ADDRESS'])
NAME, PATH, IFACE = 'org.limber.Limber1', '/org/limber/Limber1', 'org.limber.Limber1'
PROPS = 'org.freedesktop.DBus.Properties'

def raw_call(path, iface, method, sig, args, timeout=10):
    msg = dbus.lowlevel.MethodCallMessage(NAME, path, iface, method)
    if sig:
        msg.append(signature=sig, *args)
    return bus.send_message_with_reply_and_block(msg, timeout)

def snapshot():
    reply = raw_call(PATH, PROPS, 'GetAll', 's', [IFACE])
    props = dict(reply.get_args_list()[0])
    props.pop('StatusLine', None)          # says "in 6 h 50 min": time moves
    reminders = raw_call(PATH, IFACE, 'ListReminders', '', []).get_args_list()[0]
    return json.dumps({'props': {k: repr(v) for k, v in sorted(props.items())},
                       'reminders': repr(reminders)}, sort_keys=True)

def odd_string():
    kind = rng.randrange(9)
    if kind == 0: return ''
    if kind == 1: return 'x' * rng.choice([1 << 10, 1 << 16, 1 << 20, 4 << 20])
    if kind == 2: return ''.join(chr(rng.choice([0x1, 0x7, 0x1b, 0x7f, 0xe9, 0x2028, 0xfeff, 0x1f600, 0x10ffff]))
                                 for _ in range(rng.randrange(1, 40)))
    if kind == 3: return rng.choice(['../../../etc/passwd', '/', '.', '..', '%s%n%x', '${HOME}', '$(reboot)',
                                     "'; DROP TABLE outcome; --", '\n', '\t', ' ', 'null', 'NaN', '-', '#'])
    if kind == 4: return '!' + ''.join(chr(rng.randrange(0x21, 0x7f)) for _ in range(rng.randrange(0, 30)))
    return rng.choice(BAD_DURATIONS + BAD_TIMES)

BAD_DURATIONS = ['-5m', '-1s', '-0.5h', '99999999999999999999h', '9223372036854775807s', '9223372036854775808ms',
                 '1e309s', '1e18h', 'inf', '-inf', 'nan', '5', 'm', '5x', '5m5', '1h-30m', '0x10m', '٥m',
                 '５m', '1.5.5h', '', ' ', '+-1m', '100000000d', '1w', '2562047788015216h']
BAD_TIMES = ['25:00', '24:01', '12:60', '-1:00', '2026-13-01T10:00', '2026-02-30 10:00', '99999-01-01T00:00',
             '12', ':', 'tomorrow', 'T', '0000-00-00T00:00', '1e309', '-9223372036854775808', '23:59:60:00']
BAD_IDS = ['', 'Desk-Basics', 'desk basics', 'no-such-program', '../desk-basics', 'desk-basics/', '/desk-basics',
           'a' * 4096, 'desk_basics\u0301', 'sciatica-relief/', 'ÄÖ']
BAD_RULES = ['', 'desk-basics', 'desk-basics/', '/sit-break', 'desk-basics/no-such', 'no/such', 'a/b/c',
             'desk-basics/sit-break/x', ' desk-basics/sit-break', 'x' * 100000]
U64 = [0, 1, 2, 12345, 2**63, 2**64 - 1]

# method -> (signature, may succeed with bad values, value generator)
def v_id(): return dbus.UInt64(rng.choice(U64 + [rng.randrange(2**64)]))
METHODS = {
    'Status': ('', True, lambda: []),
    'ListPrograms': ('', True, lambda: []),
    'ListReminders': ('', True, lambda: []),
    'ListPlugins': ('', True, lambda: []),
    'DescribeProgram': ('s', True, lambda: [rng.choice(BAD_IDS + [odd_string()])]),
    'Stats': ('s', True, lambda: [odd_string()]),
    'EnableProgram': ('s', False, lambda: [rng.choice(BAD_IDS + [odd_string()])]),
    'DisableProgram': ('s', False, lambda: [rng.choice(BAD_IDS + [odd_string()])]),
    'Done': ('t', False, lambda: [v_id()]),
    'Skip': ('t', False, lambda: [v_id()]),
    'Snooze': ('ts', False, lambda: [v_id(), rng.choice(BAD_DURATIONS + ['10m', '1h'])]),
    'TriggerNow': ('s', False, lambda: [rng.choice(BAD_RULES + [odd_string()])]),
    'Pause': ('s', False, lambda: [rng.choice([d for d in BAD_DURATIONS if d.strip()])]),  # "" pauses until Resume
    'PauseUntil': ('s', False, lambda: [rng.choice(BAD_TIMES + BAD_DURATIONS)]),
    'CheckIn': ('ysass', False, lambda: [dbus.Byte(rng.randrange(11, 256)), odd_string(),
                                         [odd_string() for _ in range(rng.randrange(0, 5))], odd_string()]),
    'Reload': ('', True, lambda: []),
    'Resume': ('', True, lambda: []),
    'ForgetHistory': ('', False, None),   # only ever with a wrong signature
}
SIGS = {'': [], 's': ['x'], 't': [dbus.UInt64(1)], 'i': [dbus.Int32(-1)], 'u': [dbus.UInt32(7)],
        'y': [dbus.Byte(3)], 'b': [True], 'd': [dbus.Double(float('nan'))], 'x': [dbus.Int64(-2**63)],
        'as': [['a', 'b']], 'a{sv}': [{'k': dbus.String('v', variant_level=1)}], 'ss': ['a', 'b'],
        'ts': [dbus.UInt64(1), '10m'], 'st': ['10m', dbus.UInt64(1)], 'yssas': [dbus.Byte(1), 'a', 'b', []],
        'ysas': [dbus.Byte(1), 'a', []], 'o': [dbus.ObjectPath('/x')], 'g': [dbus.Signature('s')],
        'v': [dbus.String('x', variant_level=1)], 'ysass': [dbus.Byte(1), 'back', [], 'x'], 'tt': [dbus.UInt64(1)] * 2}

counts = {'calls': 0, 'errors': {}, 'ok': {}, 'problems': []}
def problem(s):
    if len(counts['problems']) < 20:
        counts['problems'].append(s)

def alive():
    if a.pid and not os.path.exists(f'/proc/{a.pid}'):
        return False
    try:
        raw_call(PATH, 'org.freedesktop.DBus.Peer', 'Ping', '', [], timeout=5)
        return True
    except dbus.DBusException:
        return False

before = snapshot()
t0 = time.time()
for n in range(a.calls):
    choice = rng.randrange(10)
    path, iface = PATH, IFACE
    if choice < 3:           # wrong signature
        method = rng.choice(sorted(METHODS))
        right = METHODS[method][0]
        sig = rng.choice([s for s in SIGS if s != right])
        args, must_fail = SIGS[sig], True
    elif choice < 8:         # right signature, bad values
        method = rng.choice([m for m in sorted(METHODS) if METHODS[m][2] is not None])
        sig, may_succeed, gen = METHODS[method]
        args, must_fail = gen(), not may_succeed
    elif choice == 8:        # properties
        iface = PROPS
        method, sig = rng.choice([('Get', 'ss'), ('Set', 'ssv'), ('GetAll', 's')])
        pname = rng.choice(['Version', 'State', 'Paused', 'PausedUntil', 'Showing', 'NoSuch', '', odd_string()])
        ifname = rng.choice([IFACE, IFACE, 'org.nope', ''])
        if method == 'Get': args = [ifname, pname]
        elif method == 'Set': args = [ifname, pname, dbus.Boolean(True, variant_level=1)]
        else: args = [ifname]
        must_fail = method == 'Set' or pname not in ('Version', 'State', 'Paused', 'PausedUntil', 'Showing') or ifname != IFACE
        if method == 'GetAll': must_fail = False   # an unknown interface answers {} (no properties)
    else:                    # unknown method, interface or path
        method = rng.choice(['NoSuchMethod', 'done', 'STATUS', 'Status2', ''.join(rng.choice('abcXYZ') for _ in range(8))])
        iface = rng.choice([IFACE, 'org.limber.Limber2', 'org.freedesktop.DBus.Nope'])
        path = rng.choice([PATH, '/org/limber/Limber1/x', '/org/limber', '/'])
        sig, args, must_fail = '', [], True
        if not method[0].isalpha():
            continue
    counts['calls'] += 1
    try:
        raw_call(path, iface, method, sig, args)
        counts['ok'][method] = counts['ok'].get(method, 0) + 1
        if must_fail:
            problem(f'{iface}.{method}({sig}) with {repr(args)[:120]} succeeded')
    except dbus.DBusException as e:
        name = e.get_dbus_name() or 'unknown'
        counts['errors'][name] = counts['errors'].get(name, 0) + 1
        if name in ('org.freedesktop.DBus.Error.NoReply', 'org.freedesktop.DBus.Error.ServiceUnknown',
                    'org.freedesktop.DBus.Error.NameHasNoOwner', 'org.freedesktop.DBus.Error.Disconnected'):
            problem(f'{iface}.{method}({sig}) with {repr(args)[:120]}: {name} (hung or gone)')
            if not alive():
                problem('limberd is gone')
                break
    except (TypeError, ValueError) as e:   # could not even be built by dbus-python
        counts['calls'] -= 1
    if n % 200 == 199 and not alive():
        problem(f'limberd is gone after {n + 1} calls')
        break
counts['seconds'] = round(time.time() - t0, 1)
if alive():
    after = snapshot()
    if after != before:
        problem(f'state changed: {before} -> {after}')
else:
    problem('limberd is gone at the end')
counts['ok_total'] = sum(counts['ok'].values())
print(json.dumps(counts, sort_keys=True))
sys.exit(1 if counts['problems'] else 0)
