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
# ctl runs under `timeout 15`, every wait has a deadline (tests/lib.sh);
# the script takes some 15 s. The trap kills only the processes this
# script started (by pid) and removes its scratch directory, on success
# and on failure.
#
# Environment (set by `make check`): GRIDLINE, the built binary; GL_DATA,
# the shipped data directory; GL_POWERCUT, the built shim; GL_SRCDIR, the
# source tree (for tests/lib.sh).
set -euo pipefail

. "$GL_SRCDIR/tests/lib.sh"
setup powercut
: "${GL_POWERCUT:?GL_POWERCUT must name the built powercut.so}"
need nanocat "nanocat (nanomsg-utils) is not installed"
[ -f "$GL_POWERCUT" ] || die "$GL_POWERCUT is not built"

K=4				# feeders
ROUNDS=3
SEARCHED=10			# ids of each feeder checked by search

# The preload for the cut server, after any the caller has (an ASan
# runtime must stay first).
PRELOAD=${LD_PRELOAD:+$LD_PRELOAD:}$GL_POWERCUT
CUT_ASAN=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
if ! probe=$(LD_PRELOAD=$PRELOAD ASAN_OPTIONS=$CUT_ASAN \
    timeout 10 "$GRIDLINE" --version 2>&1); then
	if grep -aq __asan_init "$GRIDLINE"; then
		skip "the shim cannot be preloaded into this ASan binary:" \
		    "$probe"
	fi
	die "$GRIDLINE with $GL_POWERCUT preloaded: $probe"
fi
case $probe in
*"cannot be preloaded"*)	# ld.so only warns
	die "$probe" ;;
esac
on_cleanup '[ -z "${dir:-}" ] || touch "$dir/stop"'

# check_stored: every acknowledged id stored exactly once (see the top).
check_stored() {
	local id hits sent acked stored distinct cases unknown lost missing=0

	cat "$dir"/sent.* | sort -u >"$dir/sent"
	cat "$dir"/acked.* | sort >"$dir/acked"
	sent=$(wc -l <"$dir/sent")
	acked=$(wc -l <"$dir/acked")
	[ "$acked" -gt 0 ] || die "no incident was acknowledged in $delay ms"
	[ "$(sort -u "$dir/acked" | wc -l)" -eq "$acked" ] ||
		die "an id was acknowledged twice"

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

	summaries "$dir/snap"
	grep -o 'pc[0-9][0-9]-[0-9]\{6\} end' "$dir/snap" |
	    sed 's/ end$//' | sort >"$dir/stored" || true
	stored=$(wc -l <"$dir/stored")
	distinct=$(sort -u "$dir/stored" | wc -l)
	cases=$(status_cases)
	unknown=$(comm -13 "$dir/sent" <(sort -u "$dir/stored") | wc -l)
	lost=$(comm -23 "$dir/acked" <(sort -u "$dir/stored") | wc -l)

	echo "round $round: cut after $delay ms, $undone; sent $sent," \
	    "acknowledged $acked, stored $stored ($distinct distinct)," \
	    "status.cases $cases, lost $lost, searched-missing $missing"

	[ "$lost" -eq 0 ] || die "$lost acknowledged incidents are not stored"
	[ "$missing" -eq 0 ] || die "$missing acknowledged ids not found once"
	[ "$stored" -eq "$distinct" ] || die "an id is stored twice"
	[ "$cases" = "$distinct" ] ||
		die "status.cases $cases, but $distinct distinct ids stored"
	if [ "$distinct" -lt "$acked" ] || [ "$distinct" -gt "$sent" ]; then
		die "stored $distinct, outside [$acked acknowledged, $sent sent]"
	fi
	[ "$unknown" -eq 0 ] || die "$unknown stored ids were never sent"
}

# Each round on a fresh database named gridline.db (the shim tracks only
# *.db and *.db-wal); the shim's summary goes to the server's stderr, in
# $LOG.err.
start=$SECONDS
for round in $(seq 1 $ROUNDS); do
	step="round $round"
	dir=$tmp/$round
	RUN=$dir/run
	DB=$dir/gridline.db
	LOG=$dir/log
	mkdir "$dir"
	start_server env LD_PRELOAD="$PRELOAD" ASAN_OPTIONS="$CUT_ASAN"
	feeders=()
	for n in $(seq 1 $K); do
		feeder "$n" "$dir" "pc$round$n" "powercut feed" &
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
	for n in $(seq 1 $K); do
		if [ -s "$dir/bad.$n" ]; then
			die "$(cat "$dir/bad.$n")"
		fi
	done
	undone=$(sed -n 's/^powercut: \(undid [0-9]* changes\).*/\1/p' \
	    "$LOG.err")
	[ -n "$undone" ] || die "the shim wrote no summary"
	[ "$undone" != "undid 0 changes" ] ||
		die "the cut undid no write: it proves nothing"
	grep '^powercut: ' "$LOG.err"

	start_server
	check_stored
	stop_server TERM 0
done
step=
finish "$ROUNDS cuts in $((SECONDS - start)) s"
