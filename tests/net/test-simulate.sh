#!/usr/bin/env bash
# test-simulate.sh: `gridline feed simulate` (issue 13) into real servers
# and into files.
#
# What is checked:
#   1. --count 300 --rate max into a fresh server stores exactly 300
#      (status cases), exit 0, the summary and the seed on stderr, no
#      progress line when stderr is not a terminal.
#   2. --out twice with --seed 7 --count 500 gives the same bytes; --seed 8
#      other bytes; every line has "at" and "item"; `feed send` of the file
#      into a fresh server stores 500.
#   3. --scenario typhoon: the matters sim's weights mark as the typhoon's
#      surge (typhoon weight >= 5 x (normal + 1), as sim_urgent says:
#      flooding, fallen trees, power cuts, loose signs) are most of it: a
#      bound (over half), not the exact share (about 0.65 by the weights).
#   4. a server on `serve --clock 2026-12-01T08:30+08:00,x60`: the
#      incidents are reported that morning, whatever the wall clock says.
#   5. bad options exit 2 naming the option; an unknown scenario lists the
#      valid ones; --count with --duration is refused.
#
# Bounded: every call under timeout; ipc in the scratch run dirs; about
# 3 s.
set -euo pipefail

. "$GL_SRCDIR/tests/lib.sh"
setup simulate
need jq "jq not installed"

sim() {		# sim ARGS...: gridline feed simulate, rc in $rc
	rc=0
	timeout 20 "$GRIDLINE" feed simulate "$@" >"$tmp/out" 2>"$tmp/err" ||
	    rc=$?
}

# --- 1. live, as fast as acknowledged ----------------------------------------
start_daemon || die "the server did not start"
sim --run-dir "$RUN" --count 300 --rate max
[ "$rc" -eq 0 ] && ok "300 at max rate exits 0" ||
    notok "300 at max rate exits 0" "exit $rc" "$(cat "$tmp/err")"
grep -q '^feed simulate: sent 300, acknowledged 300 (0 replayed), rejected 0, lost 0' \
    "$tmp/err" && ok "the summary" || notok "the summary" "$(cat "$tmp/err")"
grep -q '^feed simulate: seed [0-9]* (--seed [0-9]* repeats this run)' \
    "$tmp/err" && ok "the seed is printed" ||
    notok "the seed is printed" "$(cat "$tmp/err")"
if grep -q $'\r\|\033' "$tmp/err"; then
	notok "no progress line when stderr is not a terminal" \
	    "$(cat -v "$tmp/err")"
else
	ok "no progress line when stderr is not a terminal"
fi
n=$(status_cases)
[ "$n" = 300 ] && ok "exactly 300 stored" || notok "exactly 300 stored" "$n"
stop_daemon || fail "the first server did not stop"

# --- 2. the same seed, the same bytes ------------------------------------------
sim --out "$tmp/a.jsonl" --seed 7 --count 500
expect_rc 0 "--out --seed 7"
sim --out "$tmp/b.jsonl" --seed 7 --count 500
expect_rc 0 "--out --seed 7 again"
sim --out "$tmp/c.jsonl" --seed 8 --count 500
expect_rc 0 "--out --seed 8"
cmp -s "$tmp/a.jsonl" "$tmp/b.jsonl" && ok "seed 7 twice: identical files" ||
    notok "seed 7 twice: identical files" "$(cmp "$tmp/a.jsonl" "$tmp/b.jsonl")"
cmp -s "$tmp/a.jsonl" "$tmp/c.jsonl" && notok "seed 8 differs" ||
    ok "seed 8 differs"
n=$(jq -c 'select((.at | type) == "string" and (.item | type) == "object")' \
    "$tmp/a.jsonl" | wc -l)
[ "$n" = 500 ] && [ "$(wc -l <"$tmp/a.jsonl")" = 500 ] &&
    ok "500 lines, each with at and item" ||
    notok "500 lines, each with at and item" "$n of $(wc -l <"$tmp/a.jsonl")"
first=$(head -n 1 "$tmp/a.jsonl" | jq -r .at)
last=$(tail -n 1 "$tmp/a.jsonl" | jq -r .at)
[ "$first" = 2026-12-01T08:30:00+08:00 ] &&
    [ "$last" = 2026-12-01T08:30:49+08:00 ] &&
    ok "arrivals from 08:30 at 10/s" || notok "arrivals from 08:30 at 10/s" \
    "first $first, last $last"

# the file is dated that morning: a server on the wall clock would refuse
# its reported_at as in the future
RUN=$tmp/run2 DB=$tmp/db2 LOG=$tmp/log2
start_daemon --clock 2026-12-01T08:31+08:00 ||
    die "the second server did not start"
rc=0
timeout 20 "$GRIDLINE" feed send "$tmp/a.jsonl" --run-dir "$RUN" \
    >"$tmp/out" 2>"$tmp/err" || rc=$?
expect_rc 0 "feed send of the simulated file"
n=$(status_cases)
[ "$n" = 500 ] && ok "the file sent stores 500" ||
    notok "the file sent stores 500" "$n" "$(head -n 5 "$tmp/err")"
stop_daemon || fail "the second server did not stop"

# --- 3. a typhoon --------------------------------------------------------------
sim --out "$tmp/t.jsonl" --scenario typhoon --count 1000
expect_rc 0 "--scenario typhoon"
surge=$(awk -F'\t' '!/^#/ && $1 != "category" && $4 >= 5 * ($2 + 1) {
    printf "%s%s", sep, $1; sep = "|" }' "$GL_DATA/sim/weights.tsv")
[ -n "$surge" ] || die "no surge categories in weights.tsv"
share=$(jq -r .item.category "$tmp/t.jsonl" | awk -v re="^($surge)\$" '
    $0 ~ re { s++ } END { printf "%.2f", NR ? s / NR : 0 }')
awk -v s="$share" 'BEGIN { exit !(s > 0.5) }' &&
    ok "typhoon: flooding, trees and power are most of it ($share)" ||
    notok "typhoon: flooding, trees and power are most of it" "share $share"
sim --out "$tmp/n.jsonl" --count 1000
share=$(jq -r .item.category "$tmp/n.jsonl" | awk -v re="^($surge)\$" '
    $0 ~ re { s++ } END { printf "%.2f", NR ? s / NR : 0 }')
awk -v s="$share" 'BEGIN { exit !(s < 0.2) }' &&
    ok "normal: they are not ($share)" ||
    notok "normal: they are not" "share $share"

# --- 4. the server's clock -------------------------------------------------------
RUN=$tmp/run3 DB=$tmp/db3 LOG=$tmp/log3
start_daemon --clock 2026-12-01T08:30+08:00,x60 ||
    die "the server on a set clock did not start"
sim --run-dir "$RUN" --count 20 --rate 40/s
expect_rc 0 "simulate into a server on a set clock"
ctl snapshot all:=true limit=100 >"$tmp/snap" || fail "snapshot"
jq -r '.. | objects | .reported_at? // empty' "$tmp/snap" | sort -u \
    >"$tmp/at"
n=$(wc -l <"$tmp/at")
if [ "$n" -ge 1 ] && ! grep -qv '^2026-12-01T0[89]:' "$tmp/at"; then
	ok "reported on the server's morning ($(head -n 1 "$tmp/at"))"
else
	notok "reported on the server's morning" "$(head -n 5 "$tmp/at")"
fi
stop_daemon || fail "the third server did not stop"

# --- 5. bad options ----------------------------------------------------------------
for row in "--rate:fast" "--rate:0/s" "--count:0" "--count:x" \
    "--duration:-1" "--start:yesterday" "--seed:-4" "--batch:0"; do
	opt=${row%%:*}
	sim "$opt" "${row#*:}" --out "$tmp/bad.jsonl"
	[ "$rc" -eq 2 ] && grep -q -- "$opt" "$tmp/err" &&
	    ok "$opt ${row#*:}: exit 2 naming $opt" ||
	    notok "$opt ${row#*:}: exit 2 naming $opt" "exit $rc" \
	    "$(cat "$tmp/err")"
done
sim --scenario storm --out "$tmp/bad.jsonl"
[ "$rc" -eq 2 ] && grep -q 'normal, rush-hour, typhoon, night' "$tmp/err" &&
    ok "an unknown scenario lists the valid ones" ||
    notok "an unknown scenario lists the valid ones" "exit $rc" \
    "$(cat "$tmp/err")"
sim --count 5 --duration 5 --out "$tmp/bad.jsonl"
[ "$rc" -eq 2 ] && ok "--count with --duration: exit 2" ||
    notok "--count with --duration: exit 2" "exit $rc"

finish
