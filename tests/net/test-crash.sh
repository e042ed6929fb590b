#!/usr/bin/env bash
# test-crash.sh: crash safety of `gridline serve` (issue 4, "Tests").
#
# K feeders send incidents with unique ids over the real ingest socket with
# the stock nanocat, each writing down every id whose reply says
# "ok":true. At a random moment 1-3 s in, the server is killed with
# SIGKILL. It is restarted on the same database (and the same run
# directory, so the stale sockets of the crash must be cleaned up), and
# then every acknowledged id must be stored exactly once:
#   - `ctl search q=ID` finds exactly one case for it (the id is also a
#     token in the summary; ids have a fixed width, so no id is a substring
#     of another);
#   - the full snapshot (closed cases too) holds each id once, the number
#     of distinct stored ids equals status.cases (no id twice), lies
#     between the acknowledged and the sent count, and every stored id is
#     one that was sent.
# Durable before acknowledged means the acknowledged set is a subset of the
# stored one; a request sent but not answered before the kill may or may
# not be stored, and both are fine.
#
# Bounded: each nanocat call has a 2 s receive timeout under `timeout 4`,
# every wait has a deadline (tests/lib.sh), and the whole script stays well
# under 60 s. The trap kills only the processes this script started (by
# pid) and removes its scratch directory, on success and on failure.
#
# Environment (set by `make check`): GRIDLINE, the built binary; GL_DATA,
# the shipped data directory; GL_SRCDIR, the source tree (for tests/lib.sh).
set -euo pipefail

. "$GL_SRCDIR/tests/lib.sh"
setup crash
need nanocat "nanocat (nanomsg-utils) is not installed"
on_cleanup 'touch "$tmp/stop"'

K=4				# feeders

start=$SECONDS
start_server
feeders=()
for n in $(seq 1 $K); do
	feeder "$n" "$tmp" "cf$n" "crash feed" &
	feeders+=($!)
done

# Kill at a random moment 1.000-2.999 s in.
delay=$((1000 + RANDOM % 2000))
sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
stop_server KILL 137
touch "$tmp/stop"
for p in "${feeders[@]}"; do
	wait "$p" || true
done
for n in $(seq 1 $K); do
	if [ -s "$tmp/bad.$n" ]; then
		die "$(cat "$tmp/bad.$n")"
	fi
done

cat "$tmp"/sent.* | sort -u >"$tmp/sent"
cat "$tmp"/acked.* | sort >"$tmp/acked"
sent=$(wc -l <"$tmp/sent")
acked=$(wc -l <"$tmp/acked")
[ "$acked" -gt 0 ] || die "no incident was acknowledged in ${delay} ms"
[ "$(sort -u "$tmp/acked" | wc -l)" -eq "$acked" ] ||
	die "an id was acknowledged twice"

# Restart on the same database and run directory.
start_server

# Every acknowledged id: exactly one case by search.
missing=0
while read -r id; do
	hits=$(ctl --tsv search "q=$id" limit=10 | grep -c -- "$id end" || true)
	if [ "$hits" -ne 1 ]; then
		echo "acknowledged $id: $hits cases by search" >&2
		missing=$((missing + 1))
	fi
done <"$tmp/acked"

# Everything stored: each id once, all of them sent ones.
summaries "$tmp/snap"
grep -o 'cf[0-9]-[0-9]\{6\} end' "$tmp/snap" | sed 's/ end$//' | sort \
    >"$tmp/stored"
stored=$(wc -l <"$tmp/stored")
distinct=$(sort -u "$tmp/stored" | wc -l)
cases=$(status_cases)
unknown=$(comm -13 "$tmp/sent" <(sort -u "$tmp/stored") | wc -l)
lost=$(comm -23 "$tmp/acked" <(sort -u "$tmp/stored") | wc -l)

echo "killed after ${delay} ms: sent $sent, acknowledged $acked," \
    "stored $stored ($distinct distinct), status.cases $cases," \
    "lost $lost, searched-missing $missing, $((SECONDS - start)) s"

[ "$lost" -eq 0 ] || die "$lost acknowledged incidents are not stored"
[ "$missing" -eq 0 ] || die "$missing acknowledged ids not found once"
[ "$stored" -eq "$distinct" ] || die "an id is stored twice"
[ "$cases" = "$distinct" ] ||
	die "status.cases $cases, but $distinct distinct ids stored"
if [ "$distinct" -lt "$acked" ] || [ "$distinct" -gt "$sent" ]; then
	die "stored $distinct, outside [$acked acknowledged, $sent sent]"
fi
[ "$unknown" -eq 0 ] || die "$unknown stored ids were never sent"

# A clean stop of the restarted server: gone within 10 s, exit 0.
stop_server TERM 0
finish
