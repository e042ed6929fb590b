#!/usr/bin/env bash
# test-powercut.sh: `gridline serve` keeps what it acknowledged across a
# simulated power cut, i.e. it syncs before it replies.
#
# test-crash.sh kills the server with SIGKILL, but the kernel's page cache
# survives a process kill, so a server that replied before its data was
# synced would pass it. Here the server runs with tests/net/powercut.so
# preloaded ($GL_POWERCUT): the shim keeps an undo log of every write to
# the database and its WAL since their last fsync/fdatasync, and on SIGUSR2
# puts the old bytes back and ends the server with status 99, as if the
# machine had lost power (see powercut.c for the model and its limits).
# The database is named gridline.db, since the shim tracks only files
# ending in ".db" and ".db-wal".
#
# Three rounds, each on a fresh database: K feeders send incidents with
# unique ids with the stock nanocat, each writing down every id whose
# reply says "ok":true; at a random moment 1-3 s in the server gets
# SIGUSR2 and must exit 99. It is restarted without the shim on the same
# database and run directory, and then, as in test-crash.sh, every
# acknowledged id is stored exactly once in the full snapshot, the newest
# acknowledged ids of each feeder are found once by `ctl search`, the
# distinct stored ids number status.cases, lie between the acknowledged
# and the sent count and were all sent. A round whose cut undid nothing
# fails too: then it would prove no more than test-crash.sh.
#
# Sanitizer builds: a shim preloaded into an ASan binary comes before the
# ASan runtime, which ASan refuses unless verify_asan_link_order=0; with
# that it works (the shim is not instrumented, its calls go through ASan's
# interceptors). A probe run checks it; if the shim cannot be loaded into
# a sanitized binary the test is skipped (77) with the reason.
#
# Bounded: each nanocat call has a 2 s receive timeout under `timeout 4`,
# ctl runs under `timeout 15`, every wait loop has a deadline; the script
# takes some 15 s. The trap kills only the processes this script started
# (by pid) and removes its scratch directory, on success and on failure.
#
# Environment (set by `make check`): GRIDLINE, the built binary; GL_DATA,
# the shipped data directory; GL_POWERCUT, the built shim.
set -euo pipefail

: "${GRIDLINE:?GRIDLINE must name the gridline binary}"
: "${GL_DATA:?GL_DATA must name the shipped data directory}"
: "${GL_POWERCUT:?GL_POWERCUT must name the built powercut.so}"
LC_ALL=C
export LC_ALL
GRIDLINE_DATA=$GL_DATA
export GRIDLINE_DATA
unset GRIDLINE_RUN_DIR GRIDLINE_DB

command -v nanocat >/dev/null || {
	echo "SKIP: nanocat (nanomsg-utils) is not installed" >&2
	exit 77
}
[ -f "$GL_POWERCUT" ] || {
	echo "FAIL: $GL_POWERCUT is not built" >&2
	exit 1
}

K=4				# feeders
ROUNDS=3
SEARCHED=10			# ids of each feeder checked by search
GRID=330203003001001
CATS=(1103 1105 1302)

# The preload for the cut server, after any the caller has (an ASan
# runtime must stay first).
PRELOAD=${LD_PRELOAD:+$LD_PRELOAD:}$GL_POWERCUT
CUT_ASAN=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
if ! probe=$(LD_PRELOAD=$PRELOAD ASAN_OPTIONS=$CUT_ASAN \
    timeout 10 "$GRIDLINE" --version 2>&1); then
	if grep -aq __asan_init "$GRIDLINE"; then
		echo "SKIP: the shim cannot be preloaded into this ASan" \
		    "binary: $probe" >&2
		exit 77
	fi
	echo "FAIL: $GRIDLINE with $GL_POWERCUT preloaded: $probe" >&2
	exit 1
fi
case $probe in
*"cannot be preloaded"*)	# ld.so only warns
	echo "FAIL: $probe" >&2
	exit 1 ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gridline-powercut.XXXXXX")
server=
feeders=()

cleanup() {
	local p
	[ -z "${dir:-}" ] || touch "$dir/stop" 2>/dev/null || true
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
	echo "FAIL: round ${round:-?}: $*" >&2
	if [ -f "$dir/log" ]; then
		echo "--- server log (last 20 lines):" >&2
		tail -n 20 "$dir/log" >&2
	fi
	exit 1
}

ctl() {
	timeout 15 "$GRIDLINE" ctl --no-start --run-dir "$RUN" "$@"
}

# start_server [cut]: in the background on $RUN/$DB, with the shim if
# asked; its stderr (the shim's summary) goes to the log too. Waits until
# status answers.
start_server() {
	local i
	if [ "${1:-}" = cut ]; then
		LD_PRELOAD=$PRELOAD ASAN_OPTIONS=$CUT_ASAN "$GRIDLINE" serve \
		    --run-dir "$RUN" --db "$DB" --log "$dir/log" \
		    2>>"$dir/log" &
	else
		"$GRIDLINE" serve --run-dir "$RUN" --db "$DB" \
		    --log "$dir/log" 2>>"$dir/log" &
	fi
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

# stop_server SIGNAL STATUS: sends SIGNAL, requires exit STATUS within 10 s.
stop_server() {
	local i rc=0
	kill "-$1" "$server"
	for i in $(seq 1 100); do
		kill -0 "$server" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$server" 2>/dev/null &&
		fail "the server did not exit within 10 s of SIG$1"
	wait "$server" || rc=$?
	server=
	[ "$rc" -eq "$2" ] || fail "the server exited $rc on SIG$1, not $2"
}

# feeder N: sends until $dir/stop exists; ids in $dir/sent.N and, once
# acknowledged, in $dir/acked.N. Ids are pc<round><N>-<6 digits>.
feeder() {
	local n=$1 i=0 id at reply cat msg
	: >"$dir/sent.$n"
	: >"$dir/acked.$n"
	while [ ! -e "$dir/stop" ]; do
		i=$((i + 1))
		id=$(printf 'pc%d%d-%06d' "$round" "$n" "$i")
		cat=${CATS[$((i % 3))]}
		# a day back, a minute apart: few duplicate flags, all past
		at=$(date -d "@$(($(date +%s) - 86400 - i * 60))" \
		    +%Y-%m-%dT%H:%M:%S%:z)
		echo "$id" >>"$dir/sent.$n"
		msg="{\"id\":\"$id\",\"grid\":\"$GRID\",\"category\":\"$cat\","
		msg+="\"reported_at\":\"$at\",\"source\":\"sensor\","
		msg+="\"summary\":\"powercut feed $id end\"}"
		reply=$(timeout 4 nanocat --req \
		    --connect "ipc://$RUN/ingest.sock" --recv-timeout 2 \
		    --send-timeout 2 -A --data "$msg" 2>/dev/null) || true
		case $reply in
		'{"ok":true,'*) echo "$id" >>"$dir/acked.$n" ;;
		'') ;;		# no answer: the server is gone
		*) echo "feeder $n: unexpected reply for $id: $reply" \
		    >"$dir/bad.$n" ;;
		esac
	done
}

# check_stored: every acknowledged id stored exactly once (see the top).
check_stored() {
	local id hits after next sent acked stored distinct cases unknown
	local lost missing=0

	cat "$dir"/sent.* | sort -u >"$dir/sent"
	cat "$dir"/acked.* | sort >"$dir/acked"
	sent=$(wc -l <"$dir/sent")
	acked=$(wc -l <"$dir/acked")
	[ "$acked" -gt 0 ] || fail "no incident was acknowledged in $delay ms"
	[ "$(sort -u "$dir/acked" | wc -l)" -eq "$acked" ] ||
		fail "an id was acknowledged twice"

	# search: the newest ids of each feeder, the ones nearest the cut
	# (one ctl run per id; all of them would take a minute under ASan)
	for n in $(seq 1 $K); do
		tail -n "$SEARCHED" "$dir/acked.$n"
	done >"$dir/search"
	while read -r id; do
		hits=$(ctl --tsv search "q=$id" limit=10 |
		    grep -c -- "$id end" || true)
		if [ "$hits" -ne 1 ]; then
			[ "$missing" -ge 5 ] ||
				echo "acknowledged $id: $hits cases by search" >&2
			missing=$((missing + 1))
		fi
	done <"$dir/search"

	# (paged: a snapshot page holds at most 2000 cases)
	: >"$dir/snap"
	after=0
	while :; do
		ctl snapshot all:=true limit=2000 "after=$after" \
		    >"$dir/page" || fail "snapshot failed"
		grep -o '"summary": "[^"]*"' "$dir/page" >>"$dir/snap" || true
		next=$(sed -n 's/^  "next": \([0-9]*\).*/\1/p' "$dir/page")
		[ -n "$next" ] || break
		after=$next
	done
	grep -o 'pc[0-9][0-9]-[0-9]\{6\} end' "$dir/snap" |
	    sed 's/ end$//' | sort >"$dir/stored" || true
	stored=$(wc -l <"$dir/stored")
	distinct=$(sort -u "$dir/stored" | wc -l)
	cases=$(ctl status | sed -n 's/^ *"cases": *\([0-9]*\).*/\1/p')
	unknown=$(comm -13 "$dir/sent" <(sort -u "$dir/stored") | wc -l)
	lost=$(comm -23 "$dir/acked" <(sort -u "$dir/stored") | wc -l)

	echo "round $round: cut after $delay ms, $undone; sent $sent," \
	    "acknowledged $acked, stored $stored ($distinct distinct)," \
	    "status.cases $cases, lost $lost, searched-missing $missing"

	[ "$lost" -eq 0 ] || fail "$lost acknowledged incidents are not stored"
	[ "$missing" -eq 0 ] || fail "$missing acknowledged ids not found once"
	[ "$stored" -eq "$distinct" ] || fail "an id is stored twice"
	[ "$cases" = "$distinct" ] ||
		fail "status.cases $cases, but $distinct distinct ids stored"
	if [ "$distinct" -lt "$acked" ] || [ "$distinct" -gt "$sent" ]; then
		fail "stored $distinct, outside [$acked acknowledged, $sent sent]"
	fi
	[ "$unknown" -eq 0 ] || fail "$unknown stored ids were never sent"
}

start=$SECONDS
for round in $(seq 1 $ROUNDS); do
	dir=$tmp/$round
	RUN=$dir/run
	DB=$dir/gridline.db
	mkdir "$dir"
	start_server cut
	for n in $(seq 1 $K); do
		feeder "$n" &
		feeders+=($!)
	done

	# Cut at a random moment 1.000-2.999 s in.
	delay=$((1000 + RANDOM % 2000))
	sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
	stop_server USR2 99
	touch "$dir/stop"
	for p in "${feeders[@]}"; do
		wait "$p" || true
	done
	feeders=()
	for n in $(seq 1 $K); do
		if [ -s "$dir/bad.$n" ]; then
			fail "$(cat "$dir/bad.$n")"
		fi
	done
	undone=$(sed -n 's/^powercut: \(undid [0-9]* changes\).*/\1/p' \
	    "$dir/log")
	[ -n "$undone" ] || fail "the shim wrote no summary"
	[ "$undone" != "undid 0 changes" ] ||
		fail "the cut undid no write: it proves nothing"
	grep '^powercut: ' "$dir/log"

	start_server
	check_stored
	stop_server TERM 0
done
echo "PASS: $ROUNDS cuts in $((SECONDS - start)) s"
