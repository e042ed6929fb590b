#!/usr/bin/env bash
# test-files.sh: the server's files and locks (issue 11, finding 8: "with
# --db outside the run dir the database and log are created 0644; two
# servers on one database with different run dirs both start, and then
# half their batches fail with 'database is locked'; a world-writable run
# dir is silently changed to 0700").
#
# What is checked (each failed on the code of ff0544e):
#   1. File modes. Under umask 022, a server with --db and --log in a
#      directory of their own (not the run dir) stores one incident; while
#      it runs, the database, its -wal and -shm, the log and the database
#      lock are all 0600. SQLite gives -wal and -shm the mode of the
#      database file, so a 0600 database is what keeps the WAL private.
#   2. Two servers, one database. A second server on the same --db with
#      another run dir, in the foreground and with --daemon, exits 1
#      within seconds saying the database is in use and naming it and the
#      first server's pid; the first one goes on acknowledging incidents.
#   3. The run dir. An existing run dir writable by others (0777) or by
#      its group (0770) makes `serve` exit 1, in the foreground and with
#      --daemon, with a message naming the directory and what is wrong;
#      its mode is the same afterwards and no lock or socket was made in
#      it. As root, a 0700 run dir owned by another user is refused too.
#      A run dir the server makes itself is 0700 (test-ctl.sh checks it).
#
# Bounded: every serve expected to fail runs under `timeout 10` (today's
# code served instead: 124 is reported as "it started"), the servers that
# might start anyway are killed by the trap through their run dir's lock,
# every wait has a deadline (tests/lib.sh). The script takes about 2 s.
#
# Environment (set by `make check`): GRIDLINE, the built binary; GL_DATA,
# the shipped data directory; GL_SRCDIR, the source tree (for tests/lib.sh).
set -euo pipefail

. "$GL_SRCDIR/tests/lib.sh"
setup files
need nanocat "nanocat (nanomsg-utils) is not installed"
umask 022

# incident ID: one valid incident, reported a day ago.
incident() {
	local at
	TZ=UTC0 printf -v at '%(%Y-%m-%dT%H:%M:%SZ)T' "$(($(date +%s) - 86400))"
	printf '{"id":"%s","grid":"330203003001001","category":"1103",' "$1"
	printf '"reported_at":"%s","source":"sensor","summary":"%s end"}' \
	    "$at" "$1"
}

# acked ID: send incident ID to the server on $RUN; 0 if acknowledged.
acked() {
	local reply
	reply=$(send "$(incident "$1")")
	case $reply in
	'{"ok":true,'*) return 0 ;;
	esac
	echo "# $1: reply '$reply'" >&2
	return 1
}

# says WHAT ERE: the last serve_fails output matches ERE.
says() {
	if grep -Eq -- "$2" "$tmp/out"; then
		ok "$1"
	else
		notok "$1" "output: $(cat "$tmp/out")" "expected: $2"
	fi
}

# --- 1. file modes -----------------------------------------------------------
data=$tmp/data
mkdir "$data"
chmod 0755 "$data"
DB=$data/gridline.db
LOG=$data/server.log
start_server
acked files-00001 || die "the first incident was not acknowledged"
modes=
for f in "$DB" "$DB-wal" "$DB-shm" "$LOG" "$DB.lock"; do
	if [ ! -e "$f" ]; then
		modes+=" ${f#"$data"/}:missing"
	elif [ "$(stat -c %a "$f")" != 600 ]; then
		modes+=" ${f#"$data"/}:$(stat -c %a "$f")"
	fi
done
if [ -z "$modes" ]; then
	ok "database, -wal, -shm, log and lock outside the run dir are 0600"
else
	notok "files outside the run dir are 0600" "not so:$modes"
fi

# --- 2. two servers, one database --------------------------------------------
first=$server
watch_run "$tmp/run2"
watch_run "$tmp/run3"
if serve_fails "second server on the same database" --run-dir "$tmp/run2" \
    --db "$DB" --log "$tmp/log2"; then
	says "second server: names the database and the first one's pid" \
	    "database $DB is in use by another server \\(pid $first[,)]"
fi
if serve_fails "second server on the same database, --daemon" --daemon \
    --run-dir "$tmp/run3" --db "$DB" --log "$tmp/log3"; then
	says "second server, --daemon: names the database and the pid" \
	    "database $DB is in use by another server \\(pid $first[,)]"
fi
n=0
for i in 2 3 4 5 6; do
	acked "files-0000$i" && n=$((n + 1))
done
if [ "$n" -eq 5 ] && [ "$(status_cases)" -eq 6 ]; then
	ok "the first server goes on acknowledging"
else
	notok "the first server goes on acknowledging" \
	    "$n of 5 acknowledged; status.cases $(status_cases), not 6"
fi
stop_server

# --- 3. the run dir ----------------------------------------------------------
# refused MODE WHAT ERE [--daemon]: a run dir of mode MODE is refused with
# a message matching ERE and left as it was.
refused() {
	local d=$tmp/open-$1${4:+-daemon} how=${4:-}
	mkdir "$d"
	chmod "$1" "$d"
	watch_run "$d"
	if serve_fails "run dir $1${how:+ $how}" ${4:+"$how"} --run-dir "$d" \
	    --db "$tmp/db-$1$how" --log "$tmp/log-$1$how"; then
		says "run dir $1${how:+ $how}: the message says why" "run directory $d $3"
	fi
	if [ "$(stat -c %a "$d")" = "${1#0}" ] &&
	    [ -z "$(ls -A "$d")" ]; then
		ok "run dir $1${how:+ $how}: left as it was"
	else
		notok "run dir $1${how:+ $how}: left as it was" \
		    "mode $(stat -c %a "$d"), holds: $(ls -A "$d" | tr '\n' ' ')"
	fi
}
refused 0777 "writable by others" "is writable by others \\(mode 0777\\)"
refused 0770 "writable by its group" \
    "is writable by its group \\(mode 0770\\)"
refused 1777 "like /tmp" "is writable by others \\(mode 1777\\)" --daemon
refused 0777 "writable by others" "is writable by others" --daemon
if [ "$(id -u)" -eq 0 ]; then
	d=$tmp/foreign
	mkdir "$d"
	chown 65534 "$d"
	chmod 0700 "$d"
	watch_run "$d"
	if serve_fails "run dir of another user" --run-dir "$d" \
	    --db "$tmp/db-foreign" --log "$tmp/log-foreign"; then
		says "run dir of another user: the message says why" \
		    "run directory $d belongs to another user"
	fi
fi
# a fresh one, made by the server, is 0700 and serves
mkdir "$tmp/fresh"
RUN=$tmp/fresh/run
DB=$tmp/fresh/db
LOG=$tmp/fresh/log
start_server
if [ "$(stat -c %a "$RUN")" = 700 ]; then
	ok "a run dir the server makes is 0700"
else
	notok "a run dir the server makes is 0700" "$(stat -c %a "$RUN")"
fi
stop_server

finish
