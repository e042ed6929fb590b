#!/usr/bin/env bash
# test-feeders.sh: authenticated feeders on a tcp ingest endpoint, and
# their rate limit, through a real server on the loopback address (issue
# 12).
#
# What is checked:
#   1. `gridline feeder add NAME --key-out FILE` (by the admin) writes the
#      feeder's key 0600 and registers it.
#   2. On tcp a bare body is refused unauthenticated and kept in the
#      rejects with the reason; the body sealed with the feeder's key
#      (`gridline feeder seal`) is acknowledged; one byte changed after
#      sealing is refused; on ipc a bare body is still taken.
#   3. Over --feeder-rate 5 --feeder-burst 5, a quick run of 12 sealed
#      requests has some refused rate_limited and stored nowhere (the
#      case count grows by the accepted ones only).
#   4. `gridline feeder list` counts each outcome; `feeder disable` takes
#      effect at once.
#
# Bounded: every call under timeout; traffic on 127.0.0.1 and ipc only;
# about 5 s. Needs nanocat.
set -euo pipefail

. "$GL_SRCDIR/tests/lib.sh"
setup feeders
need nanocat "nanocat (nanomsg-utils) is not installed"

port=$((20000 + RANDOM % 30000))
TCP=tcp://127.0.0.1:$port
watch_run "$RUN"
"$GRIDLINE" serve --daemon --run-dir "$RUN" --db "$DB" --log "$LOG" \
    --ingest "$TCP" --feeder-rate 5 --feeder-burst 5 >>"$LOG.err" 2>&1 ||
    die "the server did not start: $(cat "$LOG.err")"
wait_cmd 10000 ctl_ok status || die "the server does not answer"

run operator --run-dir "$RUN" add 张管理 --role admin --key-out "$tmp/admin.key"
expect_rc 0 "the first admin"
export GRIDLINE_KEY=$tmp/admin.key

# --- 1. a feeder ---------------------------------------------------------------
run feeder --run-dir "$RUN" add 12345热线 --key-out "$tmp/hl.key"
expect_rc 0 "feeder add"
mode=$(stat -c %a "$tmp/hl.key" 2>/dev/null || echo none)
[ "$mode" = 600 ] || fail "the feeder's key has mode $mode"

at=$(TZ=UTC0 date -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
incident() {
	printf '{"id":"%s","grid":"330203003001001","category":"1103",' "$1"
	printf '"reported_at":"%s","source":"hotline","summary":"%s 井盖"}' \
	    "$at" "$1"
}
tcp_file() {
	timeout 5 nanocat --req --connect "$TCP" --recv-timeout 3 \
	    --send-timeout 3 -A -F "$1" 2>/dev/null || true
}
seal() {	# seal ID: the sealed incident ID in $tmp/ID.env
	incident "$1" | "$GRIDLINE" feeder seal --key "$tmp/hl.key" \
	    >"$tmp/$1.env"
}

# --- 2. bare, sealed, changed; ipc ---------------------------------------------
incident fd-bare >"$tmp/bare.json"
r=$(tcp_file "$tmp/bare.json")
case $r in *'"unauthenticated"'*) ;; *) fail "bare on tcp: $r" ;; esac
ctl --tsv rejects >"$tmp/rejects" || fail "rejects"
grep -q $'\tunauthenticated\t' "$tmp/rejects" ||
    fail "the refused body is not in the rejects: $(cat "$tmp/rejects")"
seal fd-1
r=$(tcp_file "$tmp/fd-1.env")
case $r in '{"ok":true,'*) ;; *) fail "sealed on tcp: $r" ;; esac
seal fd-2
sed 's/fd-2 井盖/fd-2 井蓋/' "$tmp/fd-2.env" >"$tmp/fd-2.bad"
r=$(tcp_file "$tmp/fd-2.bad")
case $r in *'"unauthenticated"'*) ;; *) fail "a changed byte: $r" ;; esac
r=$(send "$(incident fd-ipc)")
case $r in '{"ok":true,'*) ;; *) fail "bare on ipc: $r" ;; esac

# --- 3. the rate ------------------------------------------------------------------
cases0=$(status_cases)
ok_n=0
limited=0
for i in $(seq 1 12); do	# sealed first: a sanitizer's slow starts of
	seal "fd-r$i"		# gridline must not pace the sending
done
sleep 1.2				# the bucket full again
for i in $(seq 1 12); do
	r=$(tcp_file "$tmp/fd-r$i.env")
	case $r in
	'{"ok":true,'*) ok_n=$((ok_n + 1)) ;;
	*'"rate_limited"'*) limited=$((limited + 1)) ;;
	*) fail "request $i: $r" ;;
	esac
done
cases1=$(status_cases)
[ "$limited" -ge 3 ] || fail "12 requests at once, only $limited rate_limited"
[ $((cases1 - cases0)) -eq "$ok_n" ] ||
    fail "$ok_n accepted but $((cases1 - cases0)) new cases"

# --- 4. counts, disable ----------------------------------------------------------
run feeder --run-dir "$RUN" list
expect_rc 0 "feeder list"
want=$(printf '12345热线\tenabled\t%d\t1\t%d' $((ok_n + 1)) "$limited")
grep -qF "$want" "$tmp/out" || { fail "feeder list, want: $want"; show; }
run feeder --run-dir "$RUN" disable 12345热线
expect_rc 0 "feeder disable"
seal fd-3
r=$(tcp_file "$tmp/fd-3.env")
case $r in *'"unauthenticated"'*disabled*) ;; *) fail "disabled: $r" ;; esac

stop_daemon || fail "the server did not stop"
finish
