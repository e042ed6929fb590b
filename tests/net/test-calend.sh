#!/usr/bin/env bash
# test-calend.sh: the holiday table's end through the real server (issue
# 14, "a calendar that never silently runs out"). data/holidays.tsv ends
# with 2026; the server runs on a set clock, Monday 28 December 2026 09:00.
#
# What is checked:
#   1. `ctl status` carries calendar: covered_until 2026, provisional_from
#      2027-01-01 and the warning "... ends with 2026 (in 3 days) ...".
#   2. A matter of 5 working days (0202) dispatched then is due on Monday
#      4 January 2027 at 09:00 (by hand: 28, 29, 30, 31 December and Friday
#      1 January, a weekday without the 2027 table), with due_provisional
#      true in the case and in a queue-shaped snapshot.
#   3. The console (tmux, 100x24) shows "calendar ends 12-31" in its top
#      bar and the case's time left with a trailing "*".
#
# Bounded: every call under timeout; about 3 s.
set -euo pipefail

. "$GL_SRCDIR/tests/lib.sh"
setup calend

start_daemon --clock 2026-12-28T09:00+08:00 || die "the server did not start"

# --- 1. status ------------------------------------------------------------------
ctl status >"$tmp/status" || die "status"
grep -q '"covered_until": 2026' "$tmp/status" ||
    fail "status: no covered_until 2026: $(head -c 600 "$tmp/status")"
grep -q '"provisional_from": "2027-01-01"' "$tmp/status" ||
    fail "status: no provisional_from"
grep -q '"warning": "the holiday table ends with 2026 (in 3 days): add next year' \
    "$tmp/status" || fail "status: no warning: $(grep warning "$tmp/status")"

# --- 2. a deadline beyond the table ---------------------------------------------
reply=$(send '{"id":"cal-1","grid":"330203003001001","category":"0202",'\
'"reported_at":"2026-12-28T08:55:00+08:00","summary":"屋顶违章搭建阳光房"}')
no=$(printf '%s' "$reply" | sed -n 's/.*"case":"\([^"]*\)".*/\1/p')
[ -n "$no" ] || die "the incident: $reply"
ctl case case="$no" >"$tmp/case0" || die "case"
lead=$(sed -n 's/.*"lead": "\([^"]*\)".*/\1/p' "$tmp/case0" | head -1)
[ -n "$lead" ] || die "no lead for 0202 in the case"
ctl register case="$no" version=1 >/dev/null || fail "register"
ctl dispatch case="$no" version=2 agency="$lead" >"$tmp/dispatch" ||
    fail "dispatch: $(head -c 300 "$tmp/dispatch")"
ctl case case="$no" >"$tmp/case" || fail "case"
due=$(sed -n 's/.*"due_at": "\([^"]*\)".*/\1/p' "$tmp/case" | head -1)
case $due in
2027-01-04T09:0[0-1]:[0-5][0-9]+08:00) ;;
*) fail "due at $due, want 2027-01-04 09:00 (and the seconds since 09:00)"
esac
grep -q '"due_provisional": true' "$tmp/case" ||
    fail "case: due_provisional is not true: $(grep due_ "$tmp/case")"
ctl snapshot fields=queue >"$tmp/snap" || fail "snapshot"
grep -q '"due_provisional": true' "$tmp/snap" ||
    fail "queue snapshot: due_provisional is not true"

# --- 3. the console ------------------------------------------------------------
if command -v tmux >/dev/null 2>&1; then
	tm new-session -d -s c -x 100 -y 24 "exec env LC_ALL=C.UTF-8 \
LANG=C.UTF-8 XDG_CONFIG_HOME='$XDG_CONFIG_HOME' GRIDLINE_DATA='$GL_DATA' \
'$GRIDLINE' --no-start --run-dir '$RUN'"
	wait_screen c 'calendar ends 12-31' 5000 ||
	    { fail "console: no calendar warning in the top bar"; dump c; }
	wait_screen c "$(printf '%s' "$no" | sed 's/.*-//').*[0-9]h[0-9]*\*" \
	    5000 || { fail "console: no * on the provisional deadline"; dump c; }
	tm kill-session -t c 2>/dev/null || true
else
	echo "# tmux not installed: the console part is skipped" >&2
fi
stop_daemon || fail "the server did not stop"
finish
