#!/usr/bin/env bash
# test-feed.sh: `gridline feed send|record|replay` through real servers
# (issue 13).
#
# What is checked:
#   1. send: 200 incidents with Chinese text and 2 bad lines (one not
#      JSON, one on an unknown grid) store exactly 200; each error names
#      FILE:LINE; the exit status is 1 (something was rejected); stderr,
#      not a terminal here, has the summary and no progress line.
#   2. record, started before the send, holds those 200 incidents; replayed
#      (--speed max) into a fresh server, it gives the same incidents (ids,
#      grids, summaries, sorted).
#   3. replaying again stores nothing: the case count stays, every item is
#      answered `replayed`, exit 0.
#   4. --speed 10 of a recording whose 21 lines are 1 s apart takes 2 s,
#      within 10%.
#   5. a recorder stopped (SIGSTOP) while 1500 incidents arrive loses PUB
#      messages; continued, it closes the gap with `events` requests and
#      misses nothing.
#   6. on tcp, with operators: send with --feeder-key is taken, without it
#      every item is refused (exit 1); record signs its control requests
#      with --key.
#
# Bounded: every call under timeout; ipc in the scratch run dirs, tcp on
# 127.0.0.1 only; about 10 s.
set -euo pipefail

. "$GL_SRCDIR/tests/lib.sh"
setup feed
need jq "jq is not installed"

at=$(TZ=Asia/Shanghai date -d '-1 day' +%Y-%m-%dT%H:%M:%S+08:00)
grids=(330203003001001 330212001001001 330205001001001)
cats=(1103 1105 1302)

# item ID I: one incident, Chinese summary naming its id and grid.
item() {
	local g=${grids[$(($2 % 3))]}
	printf '{"id":"%s","grid":"%s","category":"%s","reported_at":"%s",' \
	    "$1" "$g" "${cats[$(($2 % 3))]}" "$at"
	printf '"summary":"%s 望京路井盖缺失 %s","source":"grid-app"}\n' "$1" "$g"
}

# incidents PREFIX N FILE: N good item lines.
incidents() {
	local i id
	for ((i = 1; i <= $2; i++)); do
		printf -v id '%s-%05d' "$1" "$i"
		item "$id" "$i"
	done >"$3"
}

# cases OUT: "id|grid|summary" of every case of the server on $RUN, sorted.
cases() {
	ctl snapshot all:=true limit=2000 >"$tmp/page" || die "snapshot failed"
	jq -r '.cases[] | "\(.id)|\(.grid)|\(.summary)"' "$tmp/page" |
	    sort >"$1"
}

# expected FILE OUT: "id|grid|summary" of the good item lines of FILE.
expected() {
	grep '"grid":"[0-9]\{15\}"' "$1" | grep -v 330203003001999 |
	    sed 's/.*"id":"\([^"]*\)","grid":"\([^"]*\)".*"summary":"\([^"]*\)".*/\1|\2|\3/' |
	    sort >"$2"
}

feed() {	# feed ARGS...: gridline feed under a timeout, rc in $rc
	rc=0
	timeout 30 "$GRIDLINE" feed "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
}

start_daemon || die "the first server did not start"
RUN1=$RUN

# --- 1. send, with a recorder ----------------------------------------------
incidents fs 200 "$tmp/in.jsonl"
sed -i '50a not json {"id":' "$tmp/in.jsonl"
sed -i "120a $(item fs-bad 3 | sed 's/330203003001001/330203003001999/g')" \
    "$tmp/in.jsonl"
timeout 20 "$GRIDLINE" feed record --run-dir "$RUN" --count 200 \
    --out "$tmp/rec.jsonl" 2>"$tmp/rec.err" &
recorder=$!
sleep 0.5
feed send "$tmp/in.jsonl" --run-dir "$RUN" --batch 30
[ "$rc" -eq 1 ] && ok "send with rejected items exits 1" ||
    notok "send with rejected items exits 1" "exit $rc" "$(cat "$tmp/err")"
grep -q "^$tmp/in.jsonl:51: not JSON: " "$tmp/err" &&
    grep -q "^$tmp/in.jsonl:121: id fs-bad: unknown_grid (grid): " \
    "$tmp/err" && ok "errors name FILE:LINE" ||
    notok "errors name FILE:LINE" "$(cat "$tmp/err")"
grep -q '^feed send: sent 201, acknowledged 200 (0 replayed), rejected 2' \
    "$tmp/err" && ok "the summary" || notok "the summary" "$(cat "$tmp/err")"
if grep -q $'\r\|\033' "$tmp/err"; then
	notok "no progress line when stderr is not a terminal" "$(cat -v "$tmp/err")"
else
	ok "no progress line when stderr is not a terminal"
fi
n=$(status_cases)
[ "$n" = 200 ] && ok "200 stored of 202 lines" || notok "200 stored" "$n"

rc=0
wait "$recorder" || rc=$?
[ "$rc" -eq 0 ] && [ "$(wc -l <"$tmp/rec.jsonl")" -eq 200 ] &&
    ok "the recorder has 200 lines" ||
    notok "the recorder has 200 lines" "exit $rc, $(wc -l <"$tmp/rec.jsonl") lines" \
    "$(cat "$tmp/rec.err")"
grep -q '^{"at":"[0-9T:+-]*","item":{"id":"fs-' "$tmp/rec.jsonl" ||
    fail "a recording line: $(head -n 1 "$tmp/rec.jsonl")"

# --- 2. replay into a fresh server --------------------------------------------
RUN=$tmp/run2 DB=$tmp/db2 LOG=$tmp/log2
start_daemon || die "the second server did not start"
feed replay "$tmp/rec.jsonl" --run-dir "$RUN" --speed max
[ "$rc" -eq 0 ] || notok "replay into a fresh server" "exit $rc" "$(cat "$tmp/err")"
expected "$tmp/in.jsonl" "$tmp/want"
cases "$tmp/got"
if [ "$(wc -l <"$tmp/want")" -eq 200 ] && cmp -s "$tmp/want" "$tmp/got"; then
	ok "the replayed server has the same 200 incidents"
else
	notok "the replayed server has the same 200 incidents" \
	    "$(diff "$tmp/want" "$tmp/got" | head -n 10)"
fi

# --- 3. twice ---------------------------------------------------------------------
feed replay "$tmp/rec.jsonl" --run-dir "$RUN" --speed max
n=$(status_cases)
if [ "$rc" -eq 0 ] && [ "$n" = 200 ] &&
    grep -q 'acknowledged 200 (200 replayed)' "$tmp/err"; then
	ok "a second replay stores nothing, all replayed"
else
	notok "a second replay stores nothing" "exit $rc, $n cases" \
	    "$(cat "$tmp/err")"
fi

# --- 4. spacing ---------------------------------------------------------------------
t0=$(date -d '-2 hours' +%s)
for ((i = 0; i <= 20; i++)); do
	printf '{"at":"%s","item":%s}\n' \
	    "$(TZ=Asia/Shanghai date -d "@$((t0 + i))" +%Y-%m-%dT%H:%M:%S+08:00)" \
	    "$(item "sp-$i" "$i")"
done >"$tmp/spaced.jsonl"
start=$(now_ms)
feed replay "$tmp/spaced.jsonl" --run-dir "$RUN" --speed 10
took=$(($(now_ms) - start))
if [ "$rc" -eq 0 ] && [ "$took" -ge 1800 ] && [ "$took" -le 2200 ]; then
	ok "--speed 10 keeps the spacing (${took} ms for 2 s)"
else
	notok "--speed 10 keeps the spacing" "exit $rc, $took ms, not 2000 +- 10%" \
	    "$(cat "$tmp/err")"
fi
feed replay "$tmp/spaced.jsonl" --run-dir "$RUN" --speed max \
    --from "$(TZ=Asia/Shanghai date -d "@$((t0 + 15))" +%Y-%m-%dT%H:%M:%S+08:00)"
grep -q 'sent 6, acknowledged 6 (6 replayed)' "$tmp/err" &&
    ok "--from skips the lines before it" ||
    notok "--from skips the lines before it" "$(cat "$tmp/err")"

# --- 5. a gap -------------------------------------------------------------------------
RUN=$RUN1
incidents gap 1500 "$tmp/gap.jsonl"
timeout 30 "$GRIDLINE" feed record --run-dir "$RUN" --count 1501 \
    --out "$tmp/rec3.jsonl" 2>"$tmp/rec3.err" &
recorder=$!
sleep 0.5
# the recorder itself, not the timeout running it
rpid=$(pgrep -P "$recorder") || die "no recorder under timeout $recorder"
kill -STOP "$rpid"
on_cleanup "kill -CONT $rpid"
feed send "$tmp/gap.jsonl" --run-dir "$RUN" --batch 100
[ "$rc" -eq 0 ] || fail "sending 1500: exit $rc: $(cat "$tmp/err")"
kill -CONT "$rpid"
item gap-last 1 >"$tmp/last.jsonl"
feed send "$tmp/last.jsonl" --run-dir "$RUN"
rc=0
wait "$recorder" || rc=$?
got=$(grep -o '"id":"gap-[^"]*"' "$tmp/rec3.jsonl" | sort -u | wc -l)
if [ "$rc" -eq 0 ] && [ "$got" -eq 1501 ]; then
	ok "a stopped recorder misses nothing ($(grep -o 'gaps.*: [0-9]*' \
	    "$tmp/rec3.err" || echo 'no gap'))"
else
	notok "a stopped recorder misses nothing" "exit $rc, $got of 1501" \
	    "$(cat "$tmp/rec3.err")"
fi
grep -q 'gaps in the event stream' "$tmp/rec3.err" ||
    fail "the recorder saw no gap: the test did not test it"

# --- 6. tcp, operators, keys ------------------------------------------------------------
RUN=$tmp/run3 DB=$tmp/db3 LOG=$tmp/log3
port=$((20000 + RANDOM % 30000))
TCP=tcp://127.0.0.1:$port
start_daemon --ingest "$TCP" || die "the tcp server did not start"
run operator --run-dir "$RUN" add 张管理 --role admin --key-out "$tmp/admin.key"
expect_rc 0 "the first admin"
run feeder --run-dir "$RUN" --key "$tmp/admin.key" add 12345热线 \
    --key-out "$tmp/hl.key"
expect_rc 0 "feeder add"
incidents tcp 5 "$tmp/tcp.jsonl"
timeout 20 "$GRIDLINE" feed record --run-dir "$RUN" --key "$tmp/admin.key" \
    --count 5 --out "$tmp/rec4.jsonl" 2>"$tmp/rec4.err" &
recorder=$!
sleep 0.5
feed send "$tmp/tcp.jsonl" --to "$TCP"
[ "$rc" -eq 1 ] && grep -q 'tcp.jsonl:1: unauthenticated' "$tmp/err" &&
    ok "tcp without --feeder-key: refused, exit 1" ||
    notok "tcp without --feeder-key: refused" "exit $rc" "$(cat "$tmp/err")"
feed send "$tmp/tcp.jsonl" --to "$TCP" --feeder-key "$tmp/hl.key"
[ "$rc" -eq 0 ] && ok "tcp with --feeder-key: taken" ||
    notok "tcp with --feeder-key: taken" "exit $rc" "$(cat "$tmp/err")"
rc=0
wait "$recorder" || rc=$?
[ "$rc" -eq 0 ] && [ "$(wc -l <"$tmp/rec4.jsonl")" -eq 5 ] &&
    ok "record signs with --key" ||
    notok "record signs with --key" "exit $rc" "$(cat "$tmp/rec4.err")"

finish
