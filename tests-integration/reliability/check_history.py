#!/usr/bin/python3
"""Checks limber's history after a fault (used by reliability-restarts.sh and
reliability-soak.sh). Prints one JSON object: {"ok": bool, "problems": [...],
"stats": {...}}; exit 1 on problems.

  check_history.py --state DIR [--previous DUMP] [--dump OUT] [--notify-log LOG]
                   [--coalesce-seconds S] [--time-scale N]

- PRAGMA integrity_check is "ok"; no history.sqlite.corrupt-* was set aside.
- Outcome ids run 1..N with no hole; everything in --previous (the dump of
  the last check) is still there, unchanged (nothing recorded is lost).
- Per reminder: at most one 'shown', at most one ending (done, snoozed,
  skipped, dismissed, expired) and only after its 'shown'.
- state.json is never ahead of the history: a reminder it says is showing
  has its 'shown' row.
- With --notify-log: every notification the server was asked to show
  (Notify with replaces_id 0) is accounted for by a 'shown' row (count);
  second notifications for one reminder (after a restart) are counted.
- With --coalesce-seconds: no two reminders were first shown closer than
  the coalescing window, in simulated time.
"""
import argparse, glob, json, os, re, sqlite3, sys
from datetime import datetime, timezone

p = argparse.ArgumentParser()
p.add_argument('--state', required=True)
p.add_argument('--previous')
p.add_argument('--dump')
p.add_argument('--notify-log')
p.add_argument('--coalesce-seconds', type=float)
p.add_argument('--unacknowledged', help='a JSON file of reminder ids seen unacknowledged at an earlier kill (read, then updated)')
a = p.parse_args()
problems = []
stats = {}
db_path = os.path.join(a.state, 'history.sqlite')
aside = glob.glob(db_path + '.corrupt-*')
if aside:
    problems.append(f'history was set aside as corrupt: {aside}')
rows = []
if not os.path.exists(db_path):
    stats['rows'] = 0
else:
    con = sqlite3.connect(db_path, timeout=10)
    check = [r[0] for r in con.execute('PRAGMA integrity_check')]
    if check != ['ok']:
        problems.append(f'integrity_check: {check[:3]}')
    rows = [list(r) for r in con.execute(
        'SELECT id, reminder, program, rule, kind, at, due_at FROM outcome ORDER BY id')]
    con.close()
ids = [r[0] for r in rows]
if ids != list(range(1, len(ids) + 1)):
    holes = sorted(set(range(1, (max(ids) if ids else 0) + 1)) - set(ids))[:5]
    problems.append(f'outcome ids are not 1..{len(ids)} (missing {holes})')
if a.previous and os.path.exists(a.previous):
    prev = json.load(open(a.previous))
    if rows[:len(prev)] != prev:
        lost = [r for r in prev if r not in rows][:3]
        problems.append(f'{len(prev)} earlier outcomes are not all still there unchanged: {lost}')
    stats['new_rows'] = len(rows) - len(prev)
kinds = {}
for r in rows:
    kinds[r[4]] = kinds.get(r[4], 0) + 1
stats['rows'] = len(rows)
stats['kinds'] = kinds
ENDINGS = {'done', 'snoozed', 'skipped', 'dismissed', 'expired'}
by_reminder = {}
for r in rows:
    by_reminder.setdefault((r[1], r[2], r[3]), []).append(r[4])
for key, seq in by_reminder.items():
    shown = seq.count('shown')
    ends = [k for k in seq if k in ENDINGS]
    if shown > 1:
        problems.append(f'reminder {key} shown {shown} times: {seq}')
    if len(ends) > 1:
        problems.append(f'reminder {key} ended {len(ends)} times: {seq}')
    if ends and ('shown' not in seq or seq.index('shown') > seq.index(ends[0])):
        problems.append(f'reminder {key} ended without being shown first: {seq}')
state_path = os.path.join(a.state, 'state.json')
st = {}
if os.path.exists(state_path):
    try:
        st = json.load(open(state_path))
    except ValueError as e:
        problems.append(f'state.json is not JSON: {e}')
        st = {}
    showing = st.get('showing') or None
    if 'ruleIDs' in st:   # parallel arrays (the engine works by index)
        pairs = list(zip(st.get('ruleIDs', []), st.get('ruleStates', [])))
    else:                 # a dictionary, encoded as [key, value, key, value, ...]
        r = st.get('rules', [])
        pairs = list(zip(r[0::2], r[1::2]))
    stuck = [k.get('rule') if isinstance(k, dict) else k for k, v in pairs
             if isinstance(v, dict) and v.get('showing') and not showing]
    if stuck:
        problems.append(f'state.json: rule(s) {stuck} marked as showing, but no reminder is showing '
                        '(they would never fall due again)')
    # A reminder the gates still review (reviewing == its id) is not on
    # screen yet and has no shown row until they let it through.
    under_review = showing is not None and st.get('reviewing') is not None and st.get('reviewing') == showing.get('id')
    if showing and showing.get('items') and not under_review:
        rid = showing.get('id')
        if not any(r[1] == rid and r[4] == 'shown' for r in rows):
            problems.append(f'state.json shows reminder {rid}, which has no shown row (state ahead of history)')
stats['state_tmp_files'] = len(glob.glob(state_path + '.tmp*'))
if a.notify_log:
    # A notification's hints name its reminder (x-limber-reminder): each
    # reminder on a server needs its shown row. The same reminder shown
    # again (on a new server after an outage, or by a restarted limberd)
    # is one reminder, not a lost outcome.
    new = 0
    notified = set()
    untagged = 0
    # One call per entry; a body with newlines spans several lines, so an
    # entry runs to the next line that starts with a timestamp.
    entries = re.split(r'\n(?=\d+\.\d+ )', open(a.notify_log, errors='replace').read())
    for entry in entries:
        if re.match(r'^\S+ Notify "[^"]*" 0 ', entry):
            new += 1
            m = re.search(r'"x-limber-reminder": (\d+)', entry)
            if m:
                notified.add(int(m.group(1)))
            else:
                untagged += 1
    stats['notifications'] = new
    shown_ids = {r[1] for r in rows if r[4] == 'shown'}
    # The history writer commits a step's rows while its Notify is on the
    # way, and state.json is written after them. A SIGKILL in that window
    # leaves a notification whose reminder neither file knows (its id is
    # not below the state's nextReminderID): it was never acknowledged, and
    # the restarted limberd shows that rule again. A reminder the state
    # knows must have its shown row.
    # The same holds for a reminder the state knew only as under review
    # (the review's step saved it, the reveal's step was cut short). Such
    # ids are remembered across kills in --unacknowledged.
    known_below = st.get('nextReminderID', 0) if isinstance(st, dict) else 0
    reviewing = st.get('reviewing') if isinstance(st, dict) else None
    earlier = set()
    if a.unacknowledged and os.path.exists(a.unacknowledged):
        earlier = set(json.load(open(a.unacknowledged)))
    missing = notified - shown_ids
    unack = {i for i in missing if i >= known_below or i == reviewing or i in earlier}
    unrecorded = sorted(missing - unack)
    stats['unacknowledged_notifications'] = len(unack)
    if a.unacknowledged:
        json.dump(sorted(unack | earlier), open(a.unacknowledged, 'w'))
    if unrecorded:
        problems.append(f'reminder(s) {unrecorded[:5]} reached the notification server but have no shown outcome')
    if untagged > kinds.get('shown', 0):
        problems.append(f'{untagged} notifications shown but only {kinds.get("shown", 0)} shown outcomes recorded')
    # Reported, not failed (docs/reliability.md, "Open"): a reminder that was
    # on screen when limberd died gets a second notification when the
    # restarted limberd updates it; the first stays with dead buttons.
    reminders = len({r[1] for r in rows if r[4] == 'shown'})   # items merged into one reminder share its id
    stats['reminders_shown'] = reminders
    stats['second_notifications'] = max(0, new - reminders)
if a.coalesce_seconds:
    def t(s):
        return datetime.fromisoformat(s.replace(" ", "T")).replace(tzinfo=timezone.utc).timestamp()
    first = {}
    for r in rows:
        if r[4] == 'shown' and r[1] not in first:
            first[r[1]] = t(r[5])   # a reminder's first show; later ones are items merged into it
    firsts = sorted(first.values())
    gaps = [b - a_ for a_, b in zip(firsts, firsts[1:])]
    close = [g for g in gaps if g < a.coalesce_seconds - 0.001]
    stats['min_gap_seconds'] = round(min(gaps), 3) if gaps else None
    if close:
        problems.append(f'{len(close)} reminders shown closer than the coalescing window ({a.coalesce_seconds}s): '
                        f'smallest gap {min(close):.1f}s')
if a.dump:
    json.dump(rows, open(a.dump, 'w'))
print(json.dumps({'ok': not problems, 'problems': problems, 'stats': stats}))
sys.exit(1 if problems else 0)
