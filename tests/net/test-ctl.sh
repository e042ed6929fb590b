#!/usr/bin/env bash
# test-ctl.sh: `gridline ctl`, the command-line face of the control socket
# (issue 4: "gridline ctl starts a server in the background when none
# answers on the run dir, as tmux does"; cli/sub-ctl.c for the contract).
#
# What is checked:
#   - on an empty run dir (GRIDLINE_RUN_DIR, GRIDLINE_DB in a scratch
#     directory) `ctl status` starts a detached server, prints the ok reply
#     and exits 0; the lock holds the server's pid, which --daemon also
#     wrote to server.pid; the database is created where GRIDLINE_DB says;
#   - a second ctl talks to that server and starts no other;
#   - `ctl --no-start` on another empty dir exits 1 with "no server runs"
#     and starts nothing;
#   - --tsv prints rows: snapshot (8 columns), events, rejects;
#   - KEY=VALUE and KEY:=JSON become request fields, --operator names the
#     actor, --json sends a request as is;
#   - a reply with ok false exits 1, bad usage exits 2 with "usage:";
#   - after a SIGKILL of the server (stale lock file and sockets left) the
#     next ctl starts a fresh one;
#   - six clients racing on one empty run dir all get an answer, one
#     server runs, and a client that succeeded prints no error (failed on
#     the product when written: client.c spawns without taking the lock
#     first, so the losers' `serve --daemon` prints "already runs" on the
#     client's stderr; the race is hit in most runs, not all);
#   - at the end the server stops on SIGTERM (kill $(cat RUN/lock)).
#
# Every server this script starts is found through its run dir's lock file
# and killed by pid in the trap; every wait is bounded (tests/lib.sh).
#
# Environment (set by `make check`): GRIDLINE, the built binary; GL_DATA,
# the shipped data directory; GL_SRCDIR, the source tree (for tests/lib.sh).
set -euo pipefail

. "$GL_SRCDIR/tests/lib.sh"
setup ctl
GRIDLINE_RUN_DIR=$RUN
GRIDLINE_DB=$tmp/data/gridline.db
export GRIDLINE_RUN_DIR GRIDLINE_DB
race=$tmp/race
# the servers ctl starts on its own: killed on exit by their lock
watch_run "$RUN"
watch_run "$tmp/other"
watch_run "$race"

# --- autostart ----------------------------------------------------------------
run ctl status
expect_rc 0 "ctl status on an empty run dir"
grep -q '"ok": true' "$tmp/out" || { fail "ctl status: no ok reply"; show; }
grep -q '"cases": 0' "$tmp/out" || { fail "ctl status: not a new db"; show; }
[ -f "$RUN/lock" ] || die "no lock file in $RUN"
pid=$(lock_pid "$RUN")
alive "$pid" || fail "the autostarted server ($pid) is not running"
[ "$(tr -dc '0-9' <"$RUN/server.pid" 2>/dev/null)" = "$pid" ] ||
	fail "server.pid does not match the lock ($pid)"
[ -f "$GRIDLINE_DB" ] || fail "the database is not at GRIDLINE_DB"
[ "$(stat -c %a "$RUN")" = 700 ] || fail "run dir mode is $(stat -c %a "$RUN")"

run ctl status
expect_rc 0 "ctl status with a server running"
[ "$(lock_pid "$RUN")" = "$pid" ] || fail "a second server was started"

# --- --no-start ---------------------------------------------------------------
run ctl --no-start --run-dir "$tmp/other" status
expect_rc 1 "ctl --no-start on an empty run dir"
grep -q "no server runs" "$tmp/err" || { fail "--no-start: no message"; show; }
if [ -f "$tmp/other/lock" ] && ! flock -n "$tmp/other/lock" true; then
	fail "--no-start started a server"
fi

# --- rows ---------------------------------------------------------------------
need nanocat "no nanocat"
at=$(date -d "@$(($(date +%s) - 86400))" +%Y-%m-%dT%H:%M:%S%:z)
msg='{"id":"ctl-1","grid":"330203003001001","category":"1103",'
msg+='"reported_at":"'$at'","summary":"ctl test manhole"}'
reply=$(send "$msg" 5)
case $reply in
'{"ok":true,'*) ;;
*) fail "ingest: $reply" ;;
esac
no=$(printf '%s\n' "$reply" | sed -n 's/.*"case":"\([0-9-]*\)".*/\1/p')

run ctl --tsv snapshot
expect_rc 0 "ctl --tsv snapshot"
if ! awk -F '\t' -v no="$no" 'NF != 8 { bad = 1 }
    $1 == no && $2 == "reported" && $4 == "1103" && $5 == "330203003" &&
    $8 == "ctl test manhole" { n++ }
    END { exit !(n == 1 && !bad && NR == 1) }' "$tmp/out"; then
	fail "snapshot rows (case $no)"
	show
fi

run ctl --tsv events since=0
expect_rc 0 "ctl --tsv events"
printf '1\tcase.created\t%s\n' "$no" | cmp -s - "$tmp/out" ||
	{ fail "events rows"; show; }

send 'not json' 5 >/dev/null
run ctl --tsv rejects limit=5
expect_rc 0 "ctl --tsv rejects"
awk -F '\t' 'NR == 1 && NF == 5 && $3 == "invalid_json" { ok = 1 }
    END { exit !ok }' "$tmp/out" || { fail "rejects rows"; show; }

# --- fields, operator, --json -------------------------------------------------
run ctl --operator 值班员甲 register "case=$no" version=1
expect_rc 0 "ctl register"
grep -q '"version": 2' "$tmp/out" || { fail "register: not version 2"; show; }
run ctl case "case=$no"
expect_rc 0 "ctl case"
grep -q '"actor": "值班员甲"' "$tmp/out" ||
	{ fail "--operator not recorded"; show; }

run ctl dispatch "case=$no" version=2 agency=330203.SL \
    'support:=["330203.ZJ"]' reason=test operator=调度乙
expect_rc 0 "ctl dispatch with KEY:=JSON"
grep -q '"support": "330203.ZJ"' "$tmp/out" || { fail "support not set"; show; }
grep -q '"agency": "330203.SL"' "$tmp/out" || { fail "agency not set"; show; }

run ctl dispatch "case=$no" version=2 agency=330203.ZF
expect_rc 1 "ctl dispatch on a stale version"
grep -q '"code": "conflict"' "$tmp/out" || { fail "no conflict"; show; }

run ctl --json '{"op":"case","case":"'"$no"'"}'
expect_rc 0 "ctl --json"
grep -q '"version": 3' "$tmp/out" || { fail "--json case"; show; }

run ctl frobnicate
expect_rc 1 "ctl with an unknown op"
grep -q '"code": "unknown_op"' "$tmp/out" || { fail "unknown op"; show; }

# --- usage --------------------------------------------------------------------
for args in "" "status notkeyvalue" "status =x" "--bogus status" \
    "--json {bad" "--json {} status" "status support:=[1,"; do
	# shellcheck disable=SC2086
	run ctl $args
	expect_rc 2 "ctl $args"
	grep -q "usage:\|not KEY=VALUE\|bad JSON" "$tmp/err" ||
		{ fail "ctl $args: no usage message"; show; }
done

# --- a crashed server is replaced ---------------------------------------------
kill -9 "$pid"
wait_gone "$pid" || fail "SIGKILL did not end $pid"
[ -S "$RUN/control.sock" ] || fail "no stale socket left to clean up"
run ctl status
expect_rc 0 "ctl status after the server was killed"
pid2=$(lock_pid "$RUN")
[ "$pid2" != "$pid" ] || fail "no new server after SIGKILL"
grep -q '"cases": 1' "$tmp/out" ||
	{ fail "the new server lost the case"; show; }

# --- racing autostarts --------------------------------------------------------
# Six clients on one empty run dir at once: all get an answer, one server
# runs. STYLE.md ("take the run-dir lock, retry once, only then start the
# server") means the losers of the race start nothing, so a client that got
# its answer prints no error. They name a database of their own: the
# server on $RUN holds GRIDLINE_DB, and a second server on one database
# is refused (test-files.sh).
for i in 1 2 3 4 5 6; do
	( rc=0
	  GRIDLINE_DB=$tmp/race-data/gridline.db \
	  timeout 20 "$GRIDLINE" ctl --run-dir "$race" status \
	      >"$tmp/race.out.$i" 2>"$tmp/race.err.$i" || rc=$?
	  echo "$rc" >"$tmp/race.rc.$i" ) &
done
wait
for i in 1 2 3 4 5 6; do
	[ "$(cat "$tmp/race.rc.$i")" = 0 ] ||
		fail "racing ctl $i: exit $(cat "$tmp/race.rc.$i")"
	grep -q '"ok": true' "$tmp/race.out.$i" || fail "racing ctl $i: no ok"
	if [ -s "$tmp/race.err.$i" ]; then
		fail "racing ctl $i succeeded but printed:" \
		    "$(head -n 1 "$tmp/race.err.$i")"
	fi
done
n=0
for p in $(pgrep -f "serve --daemon --run-dir $race\$" || true); do
	n=$((n + 1))
done
[ "$n" -eq 1 ] || fail "racing clients left $n servers on one run dir"
kill "$(lock_pid "$race")" 2>/dev/null || true
wait_gone "$(lock_pid "$race")" || fail "the raced server did not stop"

# --- stop ---------------------------------------------------------------------
kill "$(cat "$RUN/lock")"
wait_gone "$pid2" || fail "the server did not stop within 10 s of SIGTERM"
grep -q "info stopped" "$RUN/server.log" ||
	fail "the server log does not say it stopped cleanly"
run ctl --no-start status
expect_rc 1 "ctl --no-start after the stop"
finish
