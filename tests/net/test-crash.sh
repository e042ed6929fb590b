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
# every wait loop has a deadline, and the whole script stays well under
# 60 s. The trap kills only the processes this script started (by pid)
# and removes its scratch directory, on success and on failure.
#
# Environment (set by `make check`): GRIDLINE, the built binary; GL_DATA,
# the shipped data directory.
set -euo pipefail

: "${GRIDLINE:?GRIDLINE must name the gridline binary}"
: "${GL_DATA:?GL_DATA must name the shipped data directory}"
LC_ALL=C
export LC_ALL
GRIDLINE_DATA=$GL_DATA
export GRIDLINE_DATA
unset GRIDLINE_RUN_DIR GRIDLINE_DB

command -v nanocat >/dev/null || {
	echo "SKIP: nanocat (nanomsg-utils) is not installed" >&2
	exit 77
}

K=4				# feeders
GRID=330203003001001
CATS=(1103 1105 1302)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gridline-crash.XXXXXX")
RUN=$tmp/run
DB=$tmp/db
server=
feeders=()

cleanup() {
	local p
	touch "$tmp/stop" 2>/dev/null || true
	for p in "${feeders[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${feeders[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	if [ -n "$server" ]; then
		kill -9 "$server" 2>/dev/null || true
		wait "$server" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	if [ -f "$tmp/log" ]; then
		echo "--- server log (last 20 lines):" >&2
		tail -n 20 "$tmp/log" >&2
	fi
	exit 1
}

ctl() {
	timeout 15 "$GRIDLINE" ctl --no-start --run-dir "$RUN" "$@"
}

# start_server: in the background on $RUN/$DB; waits until status answers.
start_server() {
	local i
	"$GRIDLINE" serve --run-dir "$RUN" --db "$DB" --log "$tmp/log" &
	server=$!
	for i in $(seq 1 100); do
		if ! kill -0 "$server" 2>/dev/null; then
			wait "$server" || true
			server=
			fail "the server exited while starting"
		fi
		if [ -S "$RUN/control.sock" ] &&
		    ctl status >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.05
	done
	fail "the server did not answer within 5 s"
}

# feeder N: sends until $tmp/stop exists; ids in $tmp/sent.N and, once
# acknowledged, in $tmp/acked.N.
feeder() {
	local n=$1 i=0 id at reply cat msg
	: >"$tmp/sent.$n"
	: >"$tmp/acked.$n"
	while [ ! -e "$tmp/stop" ]; do
		i=$((i + 1))
		id=$(printf 'cf%d-%06d' "$n" "$i")
		cat=${CATS[$((i % 3))]}
		# a day back, a minute apart: few duplicate flags, all past
		at=$(date -d "@$(($(date +%s) - 86400 - i * 60))" \
		    +%Y-%m-%dT%H:%M:%S%:z)
		echo "$id" >>"$tmp/sent.$n"
		msg="{\"id\":\"$id\",\"grid\":\"$GRID\",\"category\":\"$cat\","
		msg+="\"reported_at\":\"$at\",\"source\":\"sensor\","
		msg+="\"summary\":\"crash feed $id end\"}"
		reply=$(timeout 4 nanocat --req \
		    --connect "ipc://$RUN/ingest.sock" --recv-timeout 2 \
		    --send-timeout 2 -A --data "$msg" 2>/dev/null) || true
		case $reply in
		'{"ok":true,'*) echo "$id" >>"$tmp/acked.$n" ;;
		'') ;;		# no answer: the server is gone
		*) echo "feeder $n: unexpected reply for $id: $reply" \
		    >"$tmp/bad.$n" ;;
		esac
	done
}

start=$SECONDS
start_server
for n in $(seq 1 $K); do
	feeder "$n" &
	feeders+=($!)
done

# Kill at a random moment 1.000-2.999 s in.
delay=$((1000 + RANDOM % 2000))
sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
kill -9 "$server"
wait "$server" 2>/dev/null || true
server=
touch "$tmp/stop"
for p in "${feeders[@]}"; do
	wait "$p" || true
done
feeders=()
for n in $(seq 1 $K); do
	if [ -s "$tmp/bad.$n" ]; then
		fail "$(cat "$tmp/bad.$n")"
	fi
done

cat "$tmp"/sent.* | sort -u >"$tmp/sent"
cat "$tmp"/acked.* | sort >"$tmp/acked"
sent=$(wc -l <"$tmp/sent")
acked=$(wc -l <"$tmp/acked")
[ "$acked" -gt 0 ] || fail "no incident was acknowledged in ${delay} ms"
[ "$(sort -u "$tmp/acked" | wc -l)" -eq "$acked" ] ||
	fail "an id was acknowledged twice"

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
# (paged: a snapshot page holds at most 2000 cases)
: >"$tmp/snap"
after=0
while :; do
	ctl snapshot all:=true limit=2000 "after=$after" >"$tmp/page" ||
		fail "snapshot failed"
	grep -o '"summary": "[^"]*"' "$tmp/page" >>"$tmp/snap" || true
	next=$(sed -n 's/^  "next": \([0-9]*\).*/\1/p' "$tmp/page")
	[ -n "$next" ] || break
	after=$next
done
grep -o 'cf[0-9]-[0-9]\{6\} end' "$tmp/snap" | sed 's/ end$//' | sort \
    >"$tmp/stored"
stored=$(wc -l <"$tmp/stored")
distinct=$(sort -u "$tmp/stored" | wc -l)
cases=$(ctl status | sed -n 's/^ *"cases": *\([0-9]*\).*/\1/p')
unknown=$(comm -13 "$tmp/sent" <(sort -u "$tmp/stored") | wc -l)
lost=$(comm -23 "$tmp/acked" <(sort -u "$tmp/stored") | wc -l)

echo "killed after ${delay} ms: sent $sent, acknowledged $acked," \
    "stored $stored ($distinct distinct), status.cases $cases," \
    "lost $lost, searched-missing $missing, $((SECONDS - start)) s"

[ "$lost" -eq 0 ] || fail "$lost acknowledged incidents are not stored"
[ "$missing" -eq 0 ] || fail "$missing acknowledged ids not found once"
[ "$stored" -eq "$distinct" ] || fail "an id is stored twice"
[ "$cases" = "$distinct" ] ||
	fail "status.cases $cases, but $distinct distinct ids stored"
if [ "$distinct" -lt "$acked" ] || [ "$distinct" -gt "$sent" ]; then
	fail "stored $distinct, outside [$acked acknowledged, $sent sent]"
fi
[ "$unknown" -eq 0 ] || fail "$unknown stored ids were never sent"

# A clean stop of the restarted server.
kill -TERM "$server"
for i in $(seq 1 100); do
	kill -0 "$server" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$server" 2>/dev/null &&
	fail "the restarted server did not stop within 10 s of SIGTERM"
rc=0
wait "$server" || rc=$?
server=
[ "$rc" -eq 0 ] || fail "the restarted server exited $rc on SIGTERM"
echo "PASS"
