#!/usr/bin/env bash
# test-clock.sh: `gridline serve --clock` (issue 13): a server on a set
# clock dates arrivals on it and runs deadlines on the business calendar
# from it, and a set speed runs it faster than the wall clock.
#
# What is checked:
#   1. With --clock 2026-09-30T16:30+08:00 (the Wednesday before National
#      Day), status says the clock is set and its time is that afternoon;
#      an incident arrives on it.
#   2. A category of 8 working hours (0303) dispatched then is due on
#      Thursday 8 October at 17:00, worked out by hand: one hour on the
#      30th, 1 to 7 October off (data/holidays.tsv), seven hours on the 8th;
#      the wall clock of whoever runs the test plays no part.
#   3. On the same database again with ,x600: after a real second and a
#      little, the clock has run at least 600 s and less than an hour.
#   4. Bad clocks are refused before anything starts, naming what is
#      wrong; no server is left.
#
# Bounded: every call under timeout; about 4 s.
set -euo pipefail

. "$GL_SRCDIR/tests/lib.sh"
setup clock

# --- 1. the clock's time ------------------------------------------------------
start_daemon --clock 2026-09-30T16:30+08:00 || die "the server did not start"
ctl status >"$tmp/status" || die "status"
grep -q '"kind": "set"' "$tmp/status" || fail "status: no set clock"
grep -q '"now": "2026-09-30T16:3' "$tmp/status" ||
    fail "status: $(grep '"now"' "$tmp/status")"
reply=$(send '{"id":"clk-1","grid":"330203003001001","category":"0303",'\
'"reported_at":"2026-09-30T16:00:00+08:00","summary":"二次供水水压不足"}')
no=$(printf '%s' "$reply" | sed -n 's/.*"case":"\([^"]*\)".*/\1/p')
[ -n "$no" ] || die "the incident: $reply"

# --- 2. the deadline on the calendar -------------------------------------------
ctl register case="$no" version=1 >/dev/null || fail "register"
ctl dispatch case="$no" version=2 agency=330203.ZJ reason=供水 \
    >"$tmp/dispatch" || fail "dispatch: $(head -c 300 "$tmp/dispatch")"
ctl case case="$no" >"$tmp/case" || fail "case"
due=$(sed -n 's/.*"due_at": "\([^"]*\)".*/\1/p' "$tmp/case" | head -1)
case $due in
2026-10-08T16:59:[0-5][0-9]+08:00|2026-10-08T17:00:00+08:00) ;;
*) fail "due at $due, want 2026-10-08 17:00 (less the seconds since 16:30)"
esac
created=$(sed -n 's/.*"created_at": "\([^"]*\)".*/\1/p' "$tmp/case" |
    head -1)
case $created in
2026-09-30T16:3*) ;;
*) fail "created at $created, want on the server's clock" ;;
esac
stop_daemon || fail "the server did not stop"

# --- 3. speed ------------------------------------------------------------------
start_daemon --clock 2026-09-30T16:30+08:00,x600 ||
    die "the fast server did not start"
ctl status >"$tmp/s1" || fail "status"
sleep 1.2
ctl status >"$tmp/s2" || fail "status"
t1=$(sed -n 's/.*"now": "\([^"]*\)".*/\1/p' "$tmp/s1" | head -1)
t2=$(sed -n 's/.*"now": "\([^"]*\)".*/\1/p' "$tmp/s2" | head -1)
d=$(($(date -d "$t2" +%s) - $(date -d "$t1" +%s)))
[ "$d" -ge 600 ] && [ "$d" -lt 3600 ] ||
    fail "x600: the clock ran ${d}s in 1.2 real seconds ($t1, $t2)"
grep -q '"speed": 600' "$tmp/s2" || fail "status: no speed 600"
stop_daemon || fail "the server did not stop"

# --- 4. bad clocks ---------------------------------------------------------------
for bad in 2026-09-30T16:30 2026-13-01T08:00+08:00 2026-09-30T16:30+08:00,60 \
    2026-09-30T16:30+08:00,x0 2026-09-30T16:30+08:00,x1e9 ,x2; do
	run serve --run-dir "$RUN" --db "$DB" --log "$LOG" --clock "$bad"
	expect_rc 2 "--clock $bad"
	grep -q -- '--clock' "$tmp/err" || fail "--clock $bad: $(cat "$tmp/err")"
done
[ ! -S "$RUN/control.sock" ] || ! ctl_ok status ||
    fail "a server runs after the bad clocks"

finish
