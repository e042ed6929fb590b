#!/bin/sh
# verify.sh: check the training scenarios against the reference data.
#
#   data/scenarios/verify.sh [SCENARIO_DIR...]
#
# Uses `gridline route` (GRIDLINE, else build/gridline, else gridline on
# PATH) with GRIDLINE_DATA set to this tree's data/, jq for the JSON and
# python3 for the rest. Checks, per scenario directory:
#  - exactly the files scenario.tsv, incidents.jsonl, expected.tsv,
#    model.script;
#  - scenario.tsv: header `key<TAB>value`, the five keys once each, clock
#    RFC 3339 with an offset, register_within/dispatch_within positive
#    integers, register_within <= dispatch_within;
#  - incidents.jsonl: every line valid JSON (jq), {"at","item"}; item has
#    id, grid, category, reported_at, summary, source (grid-app, hotline,
#    sensor, web); id unique with the scenario's prefix (qm-, rh-, ty-);
#    grid in data/grids.tsv, category in data/categories.tsv; location, if
#    any, two numbers inside Ningbo (lat 28.8..30.5, lon 120.8..122.3);
#    `at` strictly increasing and after clock; reported_at <= at and at
#    most 10 minutes before it; at, reported_at and clock in one offset;
#  - expected.tsv: header `id handling agency of note`, one row per
#    incident in the same order; dispatch: agency is exactly the lead
#    `gridline route CATEGORY GRID` prints; merge: `of` an earlier
#    incident of the same category, agency empty; void: agency and of
#    empty; escalate: the agency is the lead one level up (the district's
#    duty.tsv row for the category, else the city's), is a known agency
#    and differs from the route's lead; every row has a note;
#  - model.script: exactly the model blocks, in arrival order:
#    `wait ID`, `:case {ID}`, then per handling :register/:dispatch CODE,
#    :merge {OF}, :void REASON, :register/:escalate REASON/:dispatch CODE,
#    then `:back`; and `quit` at the end.
# Exit 0 when every scenario passes, 1 otherwise.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
GRIDLINE=${GRIDLINE:-}
if [ -z "$GRIDLINE" ]; then
	if [ -x "$top/build/gridline" ]; then GRIDLINE=$top/build/gridline
	else GRIDLINE=$(command -v gridline) || { echo "verify.sh: no gridline" >&2; exit 2; }
	fi
fi
command -v jq >/dev/null || { echo "verify.sh: jq is needed" >&2; exit 2; }
command -v python3 >/dev/null || { echo "verify.sh: python3 is needed" >&2; exit 2; }
GRIDLINE_DATA=$top/data
export GRIDLINE GRIDLINE_DATA
[ $# -gt 0 ] || set -- "$here"/*/
rc=0
for d in "$@"; do
	d=${d%/}
	# JSON validity, line by line, with jq
	n=0
	while IFS= read -r line; do
		n=$((n + 1))
		if ! printf '%s\n' "$line" | jq -e 'has("at") and has("item")' \
		    >/dev/null 2>&1; then
			echo "$d/incidents.jsonl:$n: not a JSON {at, item} line"
			rc=1
		fi
	done < "$d/incidents.jsonl"
	python3 - "$d" <<'EOF' || rc=1
import datetime, json, os, re, subprocess, sys
d = sys.argv[1]; name = os.path.basename(d)
data = os.environ['GRIDLINE_DATA']; gl = os.environ['GRIDLINE']
errs = []
def err(m): errs.append('%s: %s' % (name, m))
def tsv(p, comments=True):
    out = []
    for l in open(p, encoding='utf-8'):
        l = l.rstrip('\n')
        if comments and (not l or l.startswith('#')): continue
        out.append(l.split('\t'))
    return out
grids = {r[0] for r in tsv(data + '/grids.tsv')[1:]}
cats = {r[0] for r in tsv(data + '/categories.tsv')[1:]}
agencies = {r[0] for r in tsv(data + '/agencies.tsv')[1:]}
duty = {}
for r in tsv(data + '/duty.tsv')[1:]:
    duty[(r[0], r[1])] = r[2]
files = sorted(os.listdir(d))
want = ['expected.tsv', 'incidents.jsonl', 'model.script', 'scenario.tsv']
if files != want: err('files %s, want %s' % (files, want))
prefix = {'quiet-morning': 'qm-', 'rush-hour': 'rh-', 'typhoon-night': 'ty-'}.get(name, '')
def ts(s, what):
    if not re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)', s or ''):
        err('%s: not RFC 3339 with an offset: %r' % (what, s)); return None
    return datetime.datetime.fromisoformat(s.replace('Z', '+00:00'))
# scenario.tsv
sc = tsv(d + '/scenario.tsv', comments=False)
if not sc or sc[0] != ['key', 'value']: err('scenario.tsv: header')
keys = [r[0] for r in sc[1:]]
meta = {r[0]: r[1] if len(r) > 1 else '' for r in sc[1:]}
for k in ('title', 'description', 'clock', 'register_within', 'dispatch_within'):
    if keys.count(k) != 1: err('scenario.tsv: key %s %d times' % (k, keys.count(k)))
for k in keys:
    if k not in ('title', 'description', 'clock', 'register_within', 'dispatch_within'):
        err('scenario.tsv: unknown key %s' % k)
clock = ts(meta.get('clock'), 'clock')
for k in ('register_within', 'dispatch_within'):
    if not re.fullmatch(r'[1-9]\d*', meta.get(k, '')): err('scenario.tsv: %s' % k)
if meta.get('register_within', '').isdigit() and meta.get('dispatch_within', '').isdigit() \
   and int(meta['register_within']) > int(meta['dispatch_within']):
    err('scenario.tsv: register_within > dispatch_within')
# incidents.jsonl
inc = []; last = clock
for n, l in enumerate(open(d + '/incidents.jsonl', encoding='utf-8'), 1):
    try: o = json.loads(l)
    except ValueError as e: err('incidents.jsonl:%d: %s' % (n, e)); continue
    it = o.get('item') or {}; at = ts(o.get('at'), 'line %d at' % n)
    iid = it.get('id', '')
    for f in ('id', 'grid', 'category', 'reported_at', 'summary', 'source'):
        if not isinstance(it.get(f), str) or not it.get(f): err('%s: no %s' % (iid or n, f))
    if not iid.startswith(prefix): err('%s: id without prefix %s' % (iid, prefix))
    if iid in [x['id'] for x in inc]: err('%s: id repeated' % iid)
    if it.get('grid') not in grids: err('%s: unknown grid %s' % (iid, it.get('grid')))
    if it.get('category') not in cats: err('%s: unknown category %s' % (iid, it.get('category')))
    if it.get('source') not in ('grid-app', 'hotline', 'sensor', 'web'): err('%s: source' % iid)
    loc = it.get('location')
    if loc is not None:
        la, lo = loc.get('lat'), loc.get('lon')
        if not all(isinstance(x, (int, float)) for x in (la, lo)) or \
           not (28.8 <= la <= 30.5 and 120.8 <= lo <= 122.3):
            err('%s: location %r' % (iid, loc))
    rep = ts(it.get('reported_at'), iid + ' reported_at')
    if at and last and not at > last: err('%s: at %s not after %s' % (iid, o['at'], last.isoformat()))
    if at and rep:
        if rep > at: err('%s: reported_at after at' % iid)
        if at - rep > datetime.timedelta(minutes=10): err('%s: reported_at more than 10 min before at' % iid)
        if at.utcoffset() != rep.utcoffset() or (clock and at.utcoffset() != clock.utcoffset()):
            err('%s: offsets differ' % iid)
    last = at or last
    inc.append(it)
# expected.tsv
ex = tsv(d + '/expected.tsv', comments=False)
if not ex or ex[0] != ['id', 'handling', 'agency', 'of', 'note']: err('expected.tsv: header')
ex = ex[1:]
if [r[0] for r in ex] != [it.get('id') for it in inc]: err('expected.tsv: ids differ from incidents.jsonl, or their order')
byid = {it.get('id'): it for it in inc}
def route(cat, grid):
    p = subprocess.run([gl, 'route', cat, grid], capture_output=True, text=True)
    return p.stdout.split('\t')[0] if p.returncode == 0 else None
blocks = []; seen = set(); counts = {}
for r in ex:
    if len(r) != 5: err('expected.tsv: %s: %d fields' % (r[0], len(r))); continue
    iid, h, ag, of, note = r; it = byid.get(iid, {})
    counts[h] = counts.get(h, 0) + 1
    if not note.strip(): err('%s: no note' % iid)
    b = ['wait ' + iid, ':case {%s}' % iid]
    if h == 'dispatch':
        lead = route(it.get('category', ''), it.get('grid', ''))
        if ag != lead or of: err('%s: dispatch %r, route says %r' % (iid, ag, lead))
        b += [':register', ':dispatch ' + ag]
    elif h == 'merge':
        o = byid.get(of)
        if ag or of not in seen or o is None: err('%s: merge of %r (not an earlier incident)' % (iid, of))
        elif o.get('category') != it.get('category'): err('%s: merge into another category' % iid)
        b += [':merge {%s}' % of]
    elif h == 'void':
        if ag or of: err('%s: void with agency or of' % iid)
        b += [':void']
    elif h == 'escalate':
        c, g = it.get('category', ''), it.get('grid', '')
        up = duty.get((c, g[:6])) or duty.get((c, '330200'))
        if ag != up or ag not in agencies or of: err('%s: escalate to %r, one level up is %r' % (iid, ag, up))
        if ag == route(c, g): err('%s: escalation changes nothing (same lead)' % iid)
        b += [':register', ':escalate', ':dispatch ' + ag]
    else:
        err('%s: handling %r' % (iid, h))
    b.append(':back')
    blocks += b; seen.add(iid)
# model.script
ms = [l.strip() for l in open(d + '/model.script', encoding='utf-8')]
ms = [l for l in ms if l and not l.startswith('#')]
want = blocks + ['quit']
if len(ms) != len(want): err('model.script: %d lines, want %d' % (len(ms), len(want)))
for i, (got, w) in enumerate(zip(ms, want)):
    ok = got == w or (w in (':void', ':escalate') and got.startswith(w + ' ') and got[len(w)+1:].strip())
    if not ok: err('model.script: line %d %r, want %r' % (i + 1, got, w)); break
for e in errs: print(e)
print('%s: %s: %d incidents (%s)' % (name, 'FAIL' if errs else 'ok', len(inc),
      ', '.join('%s %d' % kv for kv in sorted(counts.items()))))
sys.exit(1 if errs else 0)
EOF
done
exit $rc
