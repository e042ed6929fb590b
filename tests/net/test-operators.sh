#!/usr/bin/env bash
# test-operators.sh: operators, keys and signed requests from the command
# line, through a real server (issue 12).
#
# What is checked:
#   1. A fresh database serves unsigned requests until its first operator;
#      `gridline operator add NAME --role admin --key-out FILE` with no key
#      of the caller's registers it, signed by the new key itself (the key
#      file 0600, with the name in it); from then on an unsigned request is
#      refused unauthenticated.
#   2. The admin adds a dispatcher and an agency; a bad agency code is
#      refused naming the field; `operator list` and `operator roles`.
#   3. `ctl --dry-run` prints a signed request; sent once with nanocat it
#      is answered, sent again it is refused as a replay, and with one byte
#      changed as not the operator's.
#   4. Each role acts through `ctl --key`: the dispatcher registers and
#      dispatches, is refused the agency's acknowledge (forbidden, rule
#      role); the agency acknowledges; the history's actors are the
#      signers, whatever --operator said.
#   5. `operator disable` takes effect at once; a key file others may read
#      is refused with the chmod to fix it.
#
# Bounded: every call runs under timeout; about 5 s.
set -euo pipefail

. "$GL_SRCDIR/tests/lib.sh"
setup operators
need jq "jq not installed (Debian package jq)"
need nanocat "nanocat (nanomsg-utils) is not installed"

# a Tuesday morning: set ack-timeout counts working time (4d)
start_daemon --clock 2026-12-01T09:00+08:00 || die "the server did not start"

# --- 1. the first admin ------------------------------------------------------
ctl_ok status || fail "a fresh database refused an unsigned status"
run operator --run-dir "$RUN" add 张管理 --role admin --key-out "$tmp/admin.key"
expect_rc 0 "the first admin"
mode=$(stat -c %a "$tmp/admin.key" 2>/dev/null || echo none)
[ "$mode" = 600 ] || fail "the admin's key file has mode $mode, not 600"
grep -q '^name: 张管理$' "$tmp/admin.key" || fail "no name in the key file"
if ctl status >"$tmp/unsigned" 2>&1; then
	fail "an unsigned status was served after the first operator"
fi
grep -q '"unauthenticated"' "$tmp/unsigned" ||
    fail "unsigned status: $(head -c 300 "$tmp/unsigned")"

# --- 2. more operators -------------------------------------------------------
export GRIDLINE_KEY=$tmp/admin.key
run operator --run-dir "$RUN" add 王调度 --role dispatcher \
    --key-out "$tmp/disp.key"
expect_rc 0 "a dispatcher"
run operator --run-dir "$RUN" add 区执法局 --role agency --agency 330203.ZF \
    --key-out "$tmp/zf.key"
expect_rc 0 "an agency"
run operator --run-dir "$RUN" add 无此单位 --role agency --agency 999 \
    --key-out "$tmp/bad.key"
expect_rc 1 "an agency of no agencies.tsv row"
grep -q 'unknown_agency' "$tmp/err" || { fail "bad agency: no reason"; show; }
run operator --run-dir "$RUN" list
expect_rc 0 "operator list"
[ "$(wc -l <"$tmp/out")" -eq 3 ] || { fail "list: not 3 operators"; show; }
grep -q $'^区执法局\tagency\t330203.ZF\tenabled$' "$tmp/out" ||
    { fail "list: the agency's row"; show; }
run operator roles
expect_rc 0 "operator roles"
grep -q '^viewer' "$tmp/out" || { fail "roles: no viewer"; show; }

# --- 3. dry run, replay, a changed byte --------------------------------------
unset GRIDLINE_KEY
"$GRIDLINE" ctl --key "$tmp/disp.key" --dry-run status >"$tmp/env" ||
    fail "dry run"
head -c 5 "$tmp/env" | grep -q '^GLS1 ' || fail "dry run: no envelope"
# the request is the file less the newline ctl printed after it
head -c -1 "$tmp/env" >"$tmp/env.req"
nc_file() {
	timeout 5 nanocat --req --connect "ipc://$RUN/control.sock" \
	    --recv-timeout 3 --send-timeout 3 -A -F "$1" 2>/dev/null || true
}
r1=$(nc_file "$tmp/env.req")
r2=$(nc_file "$tmp/env.req")
case $r1 in '{"ok":true,'*) ;; *) fail "the dry run's request: $r1" ;; esac
case $r2 in *unauthenticated*replay*) ;; *) fail "a replay: $r2" ;; esac
"$GRIDLINE" ctl --key "$tmp/disp.key" --dry-run status | head -c -1 |
    sed 's/"op":"status"/"op":"statuS"/' >"$tmp/env.bad"
r3=$(nc_file "$tmp/env.bad")
case $r3 in *unauthenticated*) ;; *) fail "a changed byte: $r3" ;; esac

# --- 4. roles through ctl ----------------------------------------------------
reply=$(send '{"id":"op-1","grid":"330203003001001","category":"1103",'\
'"reported_at":"'"$(TZ=UTC0 date -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)"'",'\
'"summary":"签名测试：井盖缺失"}')
no=$(printf '%s' "$reply" | sed -n 's/.*"case":"\([^"]*\)".*/\1/p')
[ -n "$no" ] || die "no case: $reply"
ctl --key "$tmp/disp.key" --operator 冒名者 register case="$no" version=1 \
    >/dev/null || fail "the dispatcher's register"
ctl --key "$tmp/disp.key" dispatch case="$no" version=2 agency=330203.ZF \
    >/dev/null || fail "the dispatcher's dispatch"
if ctl --key "$tmp/disp.key" acknowledge case="$no" version=3 \
    >"$tmp/ack" 2>&1; then
	fail "a dispatcher acknowledged for the agency"
fi
grep -q '"forbidden"' "$tmp/ack" && grep -q '"rule": "role"' "$tmp/ack" ||
    fail "the dispatcher's acknowledge: $(head -c 300 "$tmp/ack")"
ctl --key "$tmp/zf.key" acknowledge case="$no" version=3 >/dev/null ||
    fail "the agency's acknowledge"
ctl --key "$tmp/zf.key" case case="$no" >"$tmp/case" || fail "case"
actors=$(grep -o '"actor": "[^"]*"' "$tmp/case" | sed 's/.*: //' | tr '\n' ' ')
case $actors in
*'"王调度" "王调度" "区执法局"'*) ;;
*) fail "the actors: $actors" ;;
esac
grep -q 冒名者 "$tmp/case" && fail "a typed --operator reached the log"

# --- 4b. the console signs: its top bar names the operator and role, it
# shows the agency's own cases only, and a refusal by role is worded as such
reply=$(send '{"id":"op-2","grid":"330203003001001","category":"1103",'\
'"reported_at":"'"$(TZ=UTC0 date -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)"'",'\
'"summary":"第二件：别家的案件"}')
no2=$(printf '%s' "$reply" | sed -n 's/.*"case":"\([^"]*\)".*/\1/p')
ctl --key "$tmp/disp.key" register case="$no2" version=1 >/dev/null &&
    ctl --key "$tmp/disp.key" dispatch case="$no2" version=2 \
    agency=330203.SJ reason=市场监管 >/dev/null ||
    fail "the second case to another agency"
if command -v tmux >/dev/null 2>&1; then
	tm_console z "$tmp/zf.key"
	wait_screen z '区执法局·agency online' 5000 ||
	    { fail "console: no operator and role in the top bar"; dump z; }
	wait_screen z '签名测试' 5000 || { fail "console: no case"; dump z; }
	if screen_has z '别家的案件' || ! screen_has z 'open 1 '; then
		fail "console: another agency's case in sight"
		dump z
	fi
	# the inbox's columns: how long the agency has had it, then what is left
	screen_has z 'state +since +left +matter' ||
	    { fail "console: the inbox's columns"; dump z; }
	# press (督办) is the desk's, allowed in the case's state: the server
	# refuses it by role
	tm send-keys -t z : p r e s s Enter
	wait_screen z 'not yours to do \(agency\): the role does not' 5000 ||
	    { fail "console: the refusal by role"; dump z; }
	tm send-keys -t z q y
else
	echo "# tmux missing: the console part skipped"
fi

# --- 4c. a township's console: its township's cases only, and its dispatch
# picker offers the agencies it commands -----------------------------------
GRIDLINE_KEY=$tmp/admin.key run operator --run-dir "$RUN" add 西门指挥 \
    --role township --township 330203003 --key-out "$tmp/town.key"
expect_rc 0 "a township operator"
reply=$(send '{"id":"op-3","grid":"330203001001001","category":"1103",'\
'"reported_at":"'"$(TZ=UTC0 date -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)"'",'\
'"summary":"南门的案件"}')
case $reply in '{"ok":true,'*) ;; *) fail "a case of 南门: $reply" ;; esac
reply=$(send '{"id":"op-4","grid":"330203003001001","category":"1103",'\
'"reported_at":"'"$(TZ=UTC0 date -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)"'",'\
'"summary":"西门的新案件"}')
no4=$(printf '%s' "$reply" | sed -n 's/.*"case":"\([^"]*\)".*/\1/p')
[ -n "$no4" ] || fail "a case of 西门: $reply"
if command -v tmux >/dev/null 2>&1; then
	tm_console t "$tmp/town.key"
	wait_screen t '西门指挥·township command online' 5000 ||
	    { fail "township console: the top bar"; dump t; }
	wait_screen t '西门的新案件' 5000 ||
	    { fail "township console: its case"; dump t; }
	if screen_has t '南门的案件'; then
		fail "township console: another township's case in sight"
		dump t
	fi
	# its new case: opened by number, registered, then D
	tm send-keys -t t ":case $no4" Enter
	wait_screen t 'registered|reported' 3000 || true
	tm send-keys -t t ":register" Enter
	wait_screen t 'register.*(done|registered)' 3000 || true
	tm send-keys -t t D
	wait_screen t '西门街道综合行政执法中队' 5000 ||
	    { fail "township picker: its stationed unit"; dump t; }
	if screen_has t '海曙区综合行政执法局'; then
		fail "township picker: a district bureau offered"
		dump t
	fi
	tm send-keys -t t Escape q y
fi

# --- 4e. the server reads within the operator's reach, whatever client
# asks: an agency's snapshot, search, events and case pages hold its own
# cases only, a township's its township's --------------------------------
ctl --key "$tmp/zf.key" snapshot all=true >"$tmp/r.snap" || fail "snapshot"
ctl --key "$tmp/zf.key" search q=案件 >"$tmp/r.search" || fail "search"
ctl --key "$tmp/zf.key" events since=0 >"$tmp/r.events" || fail "events"
grep -q 签名测试 "$tmp/r.snap" || fail "agency snapshot: its own case"
grep -q 签名测试 "$tmp/r.events" || fail "agency events: its own case"
for f in snap search events; do
	grep -q '别家的案件\|南门的案件\|西门的新案件' "$tmp/r.$f" &&
	    fail "agency $f: another's case: $(head -c 300 "$tmp/r.$f")"
done
grep -q '"last": [1-9]' "$tmp/r.events" ||
    fail "agency events: no last seq read: $(head -c 300 "$tmp/r.events")"
ctl --key "$tmp/zf.key" case case="$no2" >"$tmp/r.case" &&
    fail "agency: another agency's case page served"
grep -q '"rule": "agency_scope"' "$tmp/r.case" ||
    fail "agency case page: $(head -c 300 "$tmp/r.case")"
ctl --key "$tmp/town.key" snapshot all=true >"$tmp/r.tsnap" ||
    fail "township snapshot"
grep -q 西门的新案件 "$tmp/r.tsnap" && ! grep -q 南门的案件 "$tmp/r.tsnap" ||
    fail "township snapshot: $(head -c 300 "$tmp/r.tsnap")"
ctl --key "$tmp/disp.key" snapshot all=true >"$tmp/r.dsnap" ||
    fail "dispatcher snapshot"
grep -q 西门的新案件 "$tmp/r.dsnap" && grep -q 南门的案件 "$tmp/r.dsnap" ||
    fail "dispatcher snapshot: not every case"
# the report op likewise: an agency's figures are its own group only
# (and its total that group's), other groupings are refused
ctl --key "$tmp/disp.key" report by=agency >"$tmp/r.drep" ||
    fail "dispatcher report: $(head -c 300 "$tmp/r.drep")"
jq -e '[.groups[].key] | length >= 2 and index("330203.ZF") != null' \
    "$tmp/r.drep" >/dev/null || fail "dispatcher report: $(head -c 400 "$tmp/r.drep")"
ctl --key "$tmp/zf.key" report by=agency >"$tmp/r.rep" ||
    fail "agency report: $(head -c 300 "$tmp/r.rep")"
jq -e '[.groups[].key] == ["330203.ZF"] and
    .total.dispatched == .groups[0].dispatched' "$tmp/r.rep" >/dev/null ||
    fail "agency report: not its own group only: $(head -c 400 "$tmp/r.rep")"
ctl --key "$tmp/zf.key" report by=district >"$tmp/r.rep" &&
    fail "agency report by district served"
grep -q '"rule": "agency_scope"' "$tmp/r.rep" ||
    fail "agency report by district: $(head -c 300 "$tmp/r.rep")"
ctl --key "$tmp/town.key" report by=township >"$tmp/r.rep" ||
    fail "township report: $(head -c 300 "$tmp/r.rep")"
jq -e '(.groups | length) <= 1 and all(.groups[]; .key == "330203003")' \
    "$tmp/r.rep" >/dev/null || fail "township report: $(head -c 400 "$tmp/r.rep")"

# --- 4d. the dispatcher's queue marks what an agency has left waiting past
# set ack-timeout, and the agency board counts it ---------------------------
if command -v tmux >/dev/null 2>&1; then
	printf 'set ack-timeout 1s\n' >"$tmp/ack.conf"
	sleep 1.1		# the second case was dispatched before this
	tm new-session -d -s d -x 110 -y 24 "exec env LC_ALL=C.UTF-8 \
LANG=C.UTF-8 XDG_CONFIG_HOME='$XDG_CONFIG_HOME' GRIDLINE_DATA='$GL_DATA' \
GRIDLINE_CONFIG='$tmp/ack.conf' '$GRIDLINE' --no-start --run-dir '$RUN' \
--key '$tmp/disp.key'"
	wait_screen d '^\?.*dispatched.*别家的案件' 5000 ||
	    { fail "dispatcher's queue: no ? on the unacknowledged case"; dump d; }
	if screen_has d '^\?.*签名测试'; then
		fail "dispatcher's queue: ? on an acknowledged case"
		dump d
	fi
	# the top bar shows the server's clock, not this machine's
	screen_has d '12-01 09:0' ||
	    { fail "dispatcher's top bar: not the server's clock"; dump d; }
	tm send-keys -t d b
	wait_screen d '1 \(1\?\)' 5000 ||
	    { fail "agency board: no late count"; dump d; }
	tm send-keys -t d q q y
fi

# --- 5. disabled at once; a key others may read -----------------------------
GRIDLINE_KEY=$tmp/admin.key run operator --run-dir "$RUN" disable 王调度
expect_rc 0 "disable"
if ctl --key "$tmp/disp.key" status >"$tmp/off" 2>&1; then
	fail "a disabled operator was served"
fi
grep -q 'disabled' "$tmp/off" || fail "disabled: $(head -c 300 "$tmp/off")"
chmod 644 "$tmp/zf.key"
run ctl --no-start --run-dir "$RUN" --key "$tmp/zf.key" status
expect_rc 1 "a key file others may read"
grep -q 'chmod 600' "$tmp/err" || { fail "no chmod hint"; show; }

stop_daemon || fail "the server did not stop"

# --- 6. a console that starts its own server on a fresh database makes its
# user the first operators: NAME-admin and NAME as supervisor, keys 0600 ----
if command -v tmux >/dev/null 2>&1; then
	RUN2=$tmp/run2
	watch_run "$RUN2"
	me=$(id -un)
	tm new-session -d -s b -x 100 -y 24 "exec env LC_ALL=C.UTF-8 \
LANG=C.UTF-8 XDG_CONFIG_HOME='$XDG_CONFIG_HOME' \
XDG_DATA_HOME='$XDG_DATA_HOME' GRIDLINE_DATA='$GL_DATA' USER='$me' \
'$GRIDLINE' --run-dir '$RUN2'"
	wait_screen b "$me·supervisor online" 8000 ||
	    { fail "auto-start: not signed in as supervisor"; dump b; }
	for f in key admin.key; do
		m=$(stat -c %a "$XDG_CONFIG_HOME/gridline/$f" 2>/dev/null ||
		    echo none)
		[ "$m" = 600 ] || fail "auto-start: $f has mode $m"
	done
	run operator --run-dir "$RUN2" list
	expect_rc 0 "operator list with the admin's key by default"
	grep -q $'^'"$me"$'-admin\tadmin' "$tmp/out" &&
	    grep -q $'^'"$me"$'\tsupervisor' "$tmp/out" ||
	    { fail "auto-start: the two operators"; show; }
	[ -e "$XDG_DATA_HOME/gridline/gridline.db" ] ||
	    fail "auto-start: the database is not in the scratch dir"
	tm send-keys -t b q y
	wait_cmd 5000 sh -c "! tmux -L '$gl_tmux' has-session -t b 2>/dev/null" ||
	    true
fi
finish
