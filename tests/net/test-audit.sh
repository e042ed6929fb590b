#!/usr/bin/env bash
# test-audit.sh: the event log's hash chain and signatures, checked by
# `gridline audit` without the server (issue 12).
#
# What is checked:
#   1. After incidents and signed actions, `audit verify` counts every
#      event, the signed ones among them, and prints the head of the chain;
#      `audit export` writes every row with its hash and signature, then
#      the operators' public keys and the same head.
#   2. Tampering, each on a copy of the database whose append-only
#      triggers were removed with sqlite3, is found with its seq (exit 1):
#      a reason changed; a row deleted; a row put in by hand; a signed
#      request's text changed (its hash recomputed over the change is not
#      what the chain of the rows after it holds, and the signature fails
#      anyway).
#
# Bounded: every call under timeout; about 3 s.
set -euo pipefail

. "$GL_SRCDIR/tests/lib.sh"
setup audit
need sqlite3 "sqlite3 is not installed"

start_daemon || die "the server did not start"
run operator --run-dir "$RUN" add 张管理 --role admin --key-out "$tmp/admin.key"
expect_rc 0 "the first admin"
GRIDLINE_KEY=$tmp/admin.key run operator --run-dir "$RUN" add 王调度 \
    --role dispatcher --key-out "$tmp/disp.key"
expect_rc 0 "a dispatcher"

at=$(TZ=UTC0 date -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
nos=()
for i in 1 2 3; do
	r=$(send '{"id":"au-'"$i"'","grid":"330203003001001","category":"1103",'\
'"reported_at":"'"$at"'","summary":"审计测试 '"$i"'"}')
	no=$(printf '%s' "$r" | sed -n 's/.*"case":"\([^"]*\)".*/\1/p')
	[ -n "$no" ] || die "incident $i: $r"
	nos+=("$no")
done
for no in "${nos[@]}"; do
	ctl --key "$tmp/disp.key" register case="$no" version=1 >/dev/null ||
	    fail "register $no"
done
ctl --key "$tmp/disp.key" dispatch case="${nos[0]}" version=2 \
    agency=330203.ZF >/dev/null || fail "dispatch"
stop_daemon || fail "the server did not stop"

# --- 1. a clean log ---------------------------------------------------------------
run audit --db "$DB" verify
expect_rc 0 "audit verify on a clean log"
grep -q '^7 events verified (4 of them signed), 0 from before' "$tmp/out" ||
    { fail "verify's count"; show; }
head=$(sed -n 's/.*the head of the chain: \([0-9a-f]*\)$/\1/p' "$tmp/out")
[ ${#head} -eq 64 ] || fail "no head: $(cat "$tmp/out")"
run audit --db "$DB" export
expect_rc 0 "audit export"
[ "$(grep -c '"hash":"' "$tmp/out")" -eq 7 ] || { fail "export rows"; show; }
[ "$(grep -c '"sig":"' "$tmp/out")" -eq 4 ] || fail "export: signatures"
tail -n 1 "$tmp/out" | grep -q '"head":"'"$head"'"' ||
    fail "export's head is not verify's"
tail -n 1 "$tmp/out" | grep -qi '"name":"\\u738b\\u8c03\\u5ea6"' ||
    fail "export: no operator key"

# --- 2. tampered copies ----------------------------------------------------------
tamper() {	# tamper NAME SQL: a copy of the database with SQL applied
	cp "$DB" "$tmp/$1.db"
	sqlite3 "$tmp/$1.db" "DROP TRIGGER events_no_update;
DROP TRIGGER events_no_delete; $2" || die "tamper $1"
}
expect_broken() {	# expect_broken NAME SEQ
	run audit --db "$tmp/$1.db" verify
	expect_rc 1 "verify on $1"
	grep -q "seq $2:" "$tmp/err" || { fail "$1: not seq $2"; show; }
}
tamper changed "UPDATE events SET reason = '改过' WHERE seq = 3"
expect_broken changed 3
tamper deleted "DELETE FROM events WHERE seq = 2"
expect_broken deleted 3
tamper inserted "INSERT INTO events (seq, case_id, version, at, actor, action,
from_state, to_state) SELECT 100, case_id, 9, at, '王调度', 'close',
'dispatched', 'closed' FROM events WHERE seq = 7"
expect_broken inserted 100
tamper request "UPDATE events SET request = replace(request,
'330203.ZF', '330203.SJ') WHERE action = 'dispatch'"
expect_broken request 7
finish
