#!/usr/bin/env bash
# test-disk.sh: `gridline serve` when the store cannot write (issue:
# "a full disk, a read-only file, a locked database: the affected requests
# get an error reply, the server keeps running and logs it, nothing
# acknowledged is lost"). A locked database is test-server.c's
# test_locked_db.
#
# 1. A full disk. Filling a real disk in a test is slow, needs a mount and
#    hurts whoever shares it, so the server runs under RLIMIT_FSIZE
#    (`ulimit -f`): each of its files may grow to N blocks, enough for the
#    schema and a few hundred incidents, after which the WAL cannot grow.
#    The kernel says EFBIG where a full disk says ENOSPC; SQLite reports the
#    first as an I/O error and the second as "database or disk is full",
#    so the condition in the reply is io or full. Without SIGXFSZ ignored
#    (cli/sub-serve.c) the kernel kills the server instead. Requests with
#    unique ids, single and arrays, go in until replies fail; then:
#      - every failed reply is an error reply, all its codes store_failed;
#      - the server is alive, `ctl status` answers ok with as many cases
#        as were acknowledged (a failed request stored nothing) and the
#        full snapshot holds exactly the acknowledged ids;
#      - the log has an error line for the batch not stored.
#    Restarted without the limit on the same database, every acknowledged
#    id is stored exactly once (full snapshot and search), nothing else is
#    stored, and the failed requests, sent again, are accepted as new.
# 2. A read-only database. After a normal run stored a few incidents, the
#    file is made readable but not writable for the server's user. As
#    root chmod stops nothing, so the server then runs as nobody (setpriv,
#    util-linux; without it this part is skipped).
#    a. Its directory not writable either (no -wal/-shm can be made): the
#       server refuses to start, exit 1 within seconds, one error line in
#       its log saying readonly and naming the database file, and the same
#       line on stderr (the log is a file: the terminal must be told).
#    b. Its directory writable: the server starts; every ingest gets
#       store_failed (readonly), reads (status, snapshot) still answer ok,
#       and afterwards, writable again, the database holds exactly what
#       it held.
#
# Bounded: each nanocat call has a 2 s receive timeout under `timeout 4`,
# ctl runs under `timeout 15`, every wait has a deadline (tests/lib.sh);
# the script takes some 3 s. The trap kills only the servers this script
# started (by pid) and removes its scratch directory.
#
# Environment (set by `make check`): GRIDLINE, the built binary; GL_DATA,
# the shipped data directory; GL_SRCDIR, the source tree (for tests/lib.sh).
set -euo pipefail

. "$GL_SRCDIR/tests/lib.sh"
setup disk
need nanocat "nanocat (nanomsg-utils) is not installed"

FSIZE=1024			# bash's ulimit -f, 1024-byte blocks: 1 MiB a file
ARRAY=20			# incidents in an array request
GRID=330203003001001
CATS=(1103 1105 1302)

# on RUNDIR DB LOG: the server to start or talk to next.
on() {
	RUN=$1 DB=$2 LOG=$3
}

# item ID N: one incident as JSON; the id is also a token of the summary
# (fixed width, so no id is a substring of another).
item() {
	local at
	TZ=UTC0 printf -v at '%(%Y-%m-%dT%H:%M:%SZ)T' \
	    "$((now - 86400 - $2 * 60))"
	printf '{"id":"%s","grid":"%s","category":"%s","reported_at":"%s",%s' \
	    "$1" "$GRID" "${CATS[$(($2 % 3))]}" "$at" \
	    "\"source\":\"sensor\",\"summary\":\"井盖缺失 $1 end\"}"
}

# stored PATTERN: the ids matching PATTERN in the full snapshot, one a
# line, sorted.
stored() {
	summaries "$tmp/snap"
	grep -o "$1 end" "$tmp/snap" | sed 's/ end$//' | sort || true
}

now=$(date +%s)
start=$SECONDS

# --- 1. a full disk, as a file size limit -----------------------------------

on "$tmp/run" "$tmp/db" "$tmp/log"
# shellcheck disable=SC2016 # $0 and $@ are the inner bash's
start_server bash -c 'ulimit -f "$0" && exec "$@"' "$FSIZE"

# Requests: every third a single incident, the others arrays. After the
# first failed reply, up to 8 more (a small one may still fit where a big
# one did not), until 4 have failed.
: >"$tmp/sent"
: >"$tmp/acked"
: >"$tmp/failed"
n=0 r=0 failed=0 after_first=0
while [ "$r" -lt 400 ] && [ "$failed" -lt 4 ] && [ "$after_first" -lt 8 ]; do
	r=$((r + 1))
	k=$((r % 3 == 0 ? 1 : ARRAY))
	msg=
	for i in $(seq 1 $k); do
		n=$((n + 1))
		id=$(printf 'dk-%05d' "$n")
		echo "$id" >>"$tmp/sent"
		msg+=${msg:+,}$(item "$id" "$n")
	done
	[ "$k" -eq 1 ] || msg="[$msg]"
	reply=$(send "$msg")
	[ -n "$reply" ] || {
		kill -0 "$server" 2>/dev/null || {
			rc=0
			wait "$server" 2>/dev/null || rc=$?
			server=
			die "the server died at request $r (ulimit -f" \
			    "$FSIZE), status $rc (SIGXFSZ is $((128 + 25)))"
		}
		die "no reply to request $r"
	}
	[ "$failed" -eq 0 ] || after_first=$((after_first + 1))
	case $reply in
	'{"ok":true,'*)
		grep -o '"id":"dk-[0-9]*"' <<<"$reply" | cut -d'"' -f4 \
		    >>"$tmp/acked"
		continue ;;
	esac
	failed=$((failed + 1))
	printf '%s\n' "$msg" >"$tmp/failed.$failed"
	echo "$reply" >>"$tmp/failed"
	grep -o '"id":"dk-[0-9]*","ok":true' <<<"$reply" | cut -d'"' -f4 \
	    >>"$tmp/acked" || true
	codes=$(grep -o '"code":"[a-z_]*"' <<<"$reply" | sort -u)
	[ "$codes" = '"code":"store_failed"' ] ||
		die "request $r: not a store_failed reply: $reply"
	grep -Eq '"message":"nothing of this request was stored \((io|full)\): ' \
	    <<<"$reply" || grep -q '"results":' <<<"$reply" ||
		die "request $r: the message does not say why: $reply"
done
sort -o "$tmp/acked" "$tmp/acked"
sort -o "$tmp/sent" "$tmp/sent"
acked=$(wc -l <"$tmp/acked")
[ "$failed" -gt 0 ] ||
	die "$r requests ($n incidents) all stored under ulimit -f $FSIZE"
[ "$acked" -ge 100 ] ||
	die "only $acked incidents stored before the limit: raise FSIZE"
[ "$(sort -u "$tmp/acked" | wc -l)" -eq "$acked" ] ||
	die "an id was acknowledged twice"

kill -0 "$server" 2>/dev/null || die "the server died after the failures"
ctl status >"$tmp/status" ||
	die "status failed at the limit: $(cat "$tmp/status")"
c=$(sed -n 's/^ *"cases": *\([0-9]*\).*/\1/p' "$tmp/status")
[ "$c" = "$acked" ] ||
	die "status.cases $c at the limit, but $acked acknowledged"
grep -Eq '^[^ ]+ error batch of [0-9]+ requests \([0-9]+ incidents\) not stored: ' \
    "$tmp/log" || die "no error line in the log for the batch not stored"
stored 'dk-[0-9]\{5\}' >"$tmp/stored"
cmp -s "$tmp/stored" "$tmp/acked" ||
	die "at the limit, the snapshot does not hold the acknowledged ids"
full_reply=$(head -n 1 "$tmp/failed")
stop_server

# Without the limit, on the same database and run directory.
start_server
stored 'dk-[0-9]\{5\}' >"$tmp/stored"
distinct=$(sort -u "$tmp/stored" | wc -l)
[ "$(wc -l <"$tmp/stored")" -eq "$distinct" ] || die "an id is stored twice"
lost=$(comm -23 "$tmp/acked" <(sort -u "$tmp/stored") | wc -l)
extra=$(comm -13 "$tmp/acked" <(sort -u "$tmp/stored") | wc -l)
[ "$lost" -eq 0 ] || die "$lost acknowledged incidents are not stored"
[ "$extra" -eq 0 ] || die "$extra incidents stored that were not acknowledged"
c=$(status_cases)
[ "$c" = "$acked" ] || die "status.cases $c after restart, $acked acknowledged"
# search: every tenth acknowledged id, and the last
missing=0
while read -r id; do
	hits=$(ctl --tsv search "q=$id" limit=10 |
	    grep -c -- "$id end" || true)
	[ "$hits" -eq 1 ] || {
		echo "acknowledged $id: $hits cases by search" >&2
		missing=$((missing + 1))
	}
done < <(awk 'NR % 10 == 1' "$tmp/acked"; tail -n 1 "$tmp/acked")
[ "$missing" -eq 0 ] || die "$missing acknowledged ids not found once"

# The failed requests, sent again, are stored now, and are new.
resent=0
for i in $(seq 1 "$failed"); do
	reply=$(send "$(cat "$tmp/failed.$i")")
	case $reply in
	'{"ok":true,'*) ;;
	*) die "failed request $i, sent again: $reply" ;;
	esac
	# an item that was acknowledged the first time is replayed
	new=$(grep -o '"replayed":false' <<<"$reply" | wc -l)
	resent=$((resent + new))
done
c=$(status_cases)
[ "$c" -eq $((acked + resent)) ] ||
	die "status.cases $c, expected $acked + $resent sent again"
[ "$resent" -gt 0 ] || die "nothing new in the failed requests"
stop_server
echo "full disk (ulimit -f $FSIZE): $r requests, $n incidents, $acked" \
    "acknowledged and stored, $failed failed, e.g. $full_reply;" \
    "$resent stored when sent again"

# --- 2. a read-only database ------------------------------------------------

readonly_part() {
	local ro=$tmp/ro nrun=$tmp/nrun before rc i reply c

	# A normal run stores a few incidents.
	mkdir "$ro"
	on "$tmp/run2" "$ro/db" "$tmp/log2"
	start_server
	reply=$(send "[$(item ro-00001 1),$(item ro-00002 2)]")
	case $reply in
	'{"ok":true,'*) ;;
	*) die "the first run did not store: $reply" ;;
	esac
	stop_server
	[ ! -e "$ro/db-wal" ] || die "a clean stop left $ro/db-wal"
	before=$(cksum <"$ro/db")

	# Readable, not writable, for the server's user; dir likewise.
	mkdir "$nrun"
	chmod 0444 "$ro/db"
	chmod 0555 "$ro"
	if [ "$(id -u)" -eq 0 ]; then
		chmod 0755 "$tmp"
		chown 65534 "$nrun"
		AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
		"${AS[@]}" test -x "$GRIDLINE" -a -r "$GL_DATA" \
		    -a -r "$ro/db" -a -w "$nrun" || {
			echo "SKIP read-only part: user nobody cannot run" \
			    "$GRIDLINE, read $GL_DATA or reach $tmp" >&2
			AS=()
			return 0
		}
	fi
	chmod 0700 "$nrun"

	# a. The directory is not writable: no start.
	on "$nrun" "$ro/db" "$nrun/log"
	rc=0
	timeout 10 "${AS[@]}" "$GRIDLINE" serve --run-dir "$nrun" \
	    --db "$ro/db" --log "$nrun/log" >"$tmp/out" 2>&1 || rc=$?
	[ "$rc" -ne 124 ] || die "read-only database: serve hangs"
	[ "$rc" -eq 1 ] || die "read-only database: serve exited $rc, not 1"
	[ "$(grep -c ' error ' "$nrun/log")" -eq 1 ] ||
		die "read-only database: not one error line in the log"
	grep -Eiq ' error .*(readonly|read-only)' "$nrun/log" ||
		die "read-only database: the log does not say read-only"
	[ ! -S "$nrun/control.sock" ] || ! ctl status >/dev/null 2>&1 ||
		die "read-only database: a server answers anyway"
	[ ! -e "$ro/db-wal" ] && [ ! -e "$ro/db-shm" ] ||
		die "read-only database: -wal or -shm made in a read-only dir"
	echo "read-only database and directory: exit 1," \
	    "log: $(grep ' error ' "$nrun/log" | cut -d' ' -f2-)," \
	    "stdout and stderr: '$(cat "$tmp/out")'"
	grep -q " error $ro/db: " "$nrun/log" ||
		die "read-only database: the error does not name the file"
	grep -q "^gridline serve: $ro/db: " "$tmp/out" ||
		die "read-only database: nothing said on the terminal" 

	# b. The directory is writable: it starts, every ingest fails.
	if [ "$(id -u)" -eq 0 ]; then
		chown 65534 "$ro"
	fi
	chmod 0755 "$ro"
	start_server
	for i in 1 2 3; do
		reply=$(send "[$(item rx-0000$i 1),$(item rx-1000$i 2)]")
		[ -n "$reply" ] || die "read-only database: no ingest reply"
		[ "$(grep -o '"code":"[a-z_]*"' <<<"$reply" | sort -u)" = \
		    '"code":"store_failed"' ] &&
		    grep -q '"message":"[^"]*(readonly)' <<<"$reply" ||
			die "read-only database: ingest replied $reply"
	done
	kill -0 "$server" 2>/dev/null || die "read-only database: server died"
	for op in status snapshot; do
		ctl "$op" >"$tmp/status" 2>&1 || true
		grep -q '"ok": true' "$tmp/status" ||
			die "read-only database: $op (a read) replied" \
			    "$(cat "$tmp/status")"
	done
	grep -q ' error batch of .* not stored: ' "$nrun/log" ||
		die "read-only database: no error line in the log"
	stop_server
	echo "read-only database, writable directory: ingest replied $reply"

	# Writable again: exactly the first run's two cases.
	AS=()
	if [ "$(id -u)" -eq 0 ]; then
		chown 0 "$ro"
	fi
	chmod 0755 "$ro"
	# SQLite made -wal and -shm with the database file's mode
	chmod 0644 "$ro"/db*
	[ "$(cksum <"$ro/db")" = "$before" ] ||
		die "read-only database: the file changed"
	on "$tmp/run2" "$ro/db" "$tmp/log2"
	start_server
	c=$(status_cases)
	[ "$c" = 2 ] || die "read-only database: $c cases after, not 2"
	stop_server
}

if [ "$(id -u)" -eq 0 ] && ! command -v setpriv >/dev/null; then
	echo "SKIP read-only part: running as root, and setpriv" \
	    "(util-linux) is missing to run as nobody" >&2
else
	readonly_part
fi

finish "$((SECONDS - start)) s"
