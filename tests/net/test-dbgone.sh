#!/usr/bin/env bash
# test-dbgone.sh: a database removed under the running server (issue 11,
# finding 4: "10 incidents, rm of the database files, 10 more: all 20
# acknowledged; after restart the log says 0 cases and a new empty
# database was created without a word").
#
# What is checked (each failed on the code of acedac6):
#   1. Ten incidents are acknowledged; then the database, its -wal and
#      -shm are removed (the lock beside it stays, as `rm DB DB-wal DB-shm`
#      leaves it). Every later incident is refused, ok false with
#      store_failed and a message saying the database file was removed or
#      replaced; nothing is acknowledged. The server keeps running, its
#      `status` says why (store_error), and its log says why exactly once.
#   2. A restart without --create exits 1, naming the database and
#      saying --create makes a new one; no database file is made.
#   3. With --create it starts on an empty database.
#   4. A brand-new database (no lock beside it) needs no flag; replacing
#      the file by another (mv) is caught as removal is.
#
# Bounded: every serve expected to fail runs under `timeout 10`, every wait
# has a deadline (tests/lib.sh). The script takes about 2 s.
#
# Environment (set by `make check`): GRIDLINE, the built binary; GL_DATA,
# the shipped data directory; GL_SRCDIR, the source tree (for tests/lib.sh).
set -euo pipefail

. "$GL_SRCDIR/tests/lib.sh"
setup dbgone
need nanocat "nanocat (nanomsg-utils) is not installed"

# incident ID: one valid incident, reported a day ago.
incident() {
	local at
	TZ=UTC0 printf -v at '%(%Y-%m-%dT%H:%M:%SZ)T' "$(($(date +%s) - 86400))"
	printf '{"id":"%s","grid":"330203003001001","category":"1103",' "$1"
	printf '"reported_at":"%s","source":"sensor","summary":"%s end"}' \
	    "$at" "$1"
}

# count_acked PREFIX FROM TO: send incidents PREFIX-FROM..TO; $acked is
# how many were acknowledged, the last reply in $tmp/reply.
count_acked() {
	local i reply
	acked=0
	for i in $(seq "$2" "$3"); do
		reply=$(send "$(incident "$1-$i")")
		printf '%s\n' "$reply" >"$tmp/reply"
		case $reply in
		'{"ok":true,'*) acked=$((acked + 1)) ;;
		esac
	done
}

# --- 1. removed under the running server -------------------------------------
watch_run "$RUN"
start_server
count_acked a 1 10
[ "$acked" -eq 10 ] || die "only $acked of the first 10 acknowledged"
rm "$DB" "$DB-wal" "$DB-shm"
count_acked b 1 10
if [ "$acked" -eq 0 ]; then
	ok "after rm, no incident is acknowledged"
else
	notok "after rm, no incident is acknowledged" "$acked of 10 were"
fi
if grep -q '"ok":false' "$tmp/reply" &&
    grep -q '"code":"store_failed"' "$tmp/reply" &&
    grep -q 'removed or replaced' "$tmp/reply"; then
	ok "the reply is store_failed, saying the file was removed or replaced"
else
	notok "the reply says store_failed, removed or replaced" \
	    "reply: $(cat "$tmp/reply")"
fi
if ctl status >"$tmp/status" 2>&1 &&
    grep -q '"store_error": *".*removed or replaced' "$tmp/status"; then
	ok "status says why (store_error)"
else
	notok "status says why (store_error)" "$(cat "$tmp/status")"
fi
n=$(grep -c 'removed or replaced' "$LOG" || true)
if [ "$n" -eq 1 ]; then
	ok "the log says why, once"
else
	notok "the log says why, once" "$n lines: $(cat "$LOG")"
fi
if [ ! -e "$DB" ]; then
	ok "no new database file was made under the running server"
else
	notok "no new database file was made" "$DB exists"
fi
stop_server

# --- 2. a restart without --create --------------------------------------------
if serve_fails "restart without --create" --run-dir "$RUN" --db "$DB" \
    --log "$tmp/log2"; then
	if grep -q "$DB" "$tmp/out" && grep -q -- '--create' "$tmp/out"; then
		ok "the message names the database and --create"
	else
		notok "the message names the database and --create" \
		    "output: $(cat "$tmp/out")"
	fi
fi
if [ ! -e "$DB" ]; then
	ok "no database was made"
else
	notok "no database was made" "$DB exists"
fi
run serve --daemon --run-dir "$RUN" --db "$DB" --log "$tmp/log3"
expect_rc 1 "restart without --create, --daemon"
if grep -q -- '--create' "$tmp/err"; then
	ok "--daemon: the message says --create"
else
	notok "--daemon: the message says --create" "$(cat "$tmp/err")"
fi

# --- 3. --create ----------------------------------------------------------------
"$GRIDLINE" serve --create --run-dir "$RUN" --db "$DB" --log "$LOG" \
    2>>"$LOG.err" &
server=$!
wait_cmd 10000 ctl_ok status && kill -0 "$server" 2>/dev/null ||
    die "serve --create did not start"
if [ "$(status_cases)" -eq 0 ]; then
	ok "--create starts on an empty database"
else
	notok "--create starts on an empty database" "$(status_cases) cases"
fi
count_acked c 1 3
if [ "$acked" -eq 3 ]; then
	ok "the new database acknowledges"
else
	notok "the new database acknowledges" "$acked of 3"
fi
stop_server

# --- 4. a first start; a replaced file ---------------------------------------
DB=$tmp/new/gridline.db
start_server
ok "a first start (no database, no lock) needs no flag"
count_acked d 1 2
cp "$DB" "$tmp/copy.db"
mv "$tmp/copy.db" "$DB"
count_acked e 1 2
if [ "$acked" -eq 0 ] && grep -q 'removed or replaced' "$tmp/reply"; then
	ok "a replaced file is caught too"
else
	notok "a replaced file is caught too" "$acked acknowledged; reply: $(cat "$tmp/reply")"
fi
stop_server

finish
