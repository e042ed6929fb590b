#!/usr/bin/env bash
# test-flood.sh: a flood of control requests is served a few at a time,
# beside the incidents (issue 11, finding 1: "one raw REQ socket sending
# 3,000 {"op":"snapshot","limit":2000,"all":true} without reading the
# replies took RSS to 8.3 GB ... and delayed incident acknowledgements by
# up to 29 s").
#
# What is checked:
#   1. On a database of 5,000 cases (filled through ingest, arrays of
#      500), 25 nanocat REQ clients in parallel each ask for a snapshot of
#      2,000 cases with all:true (about 2.3 MB a reply) every 50 ms for
#      1 s, each new request abandoning the one before, as the finding's
#      client did not read its replies (nanocat could not take them
#      anyway: it refuses a message over 1 MB). The server has received
#      the abandoned requests and answers them all: a few hundred
#      snapshots queued at once. A REQ socket has one request in flight,
#      so the flood needs many sockets.
#   2. Meanwhile 300 incidents are sent at 100/s on one REQ socket
#      (tests/net/paced.c, as a feeder sends): every one is acknowledged
#      within 5 s; the 99th percentile of their round trips, rounded up
#      to the millisecond, is within FLOOD_P99_MS (default 50 ms, the
#      issue's bound) of the p99 of 200 paced incidents sent just before
#      without the flood (on a quiet machine 1-3 ms: the bound is on what
#      the flood adds, not on what other work on the machine costs at the
#      moment), and the slowest within FLOOD_MAX_MS (default
#      200 ms); under AddressSanitizer, about three times slower, 150 and
#      1,000 ms. (Until 2026-11-29 one nanocat a send: its process start,
#      several ms and most of the jitter on a loaded machine, was counted
#      as the server's.)
#   3. The server's RSS, sampled from /proc/PID/status every 50 ms during
#      the flood and until its queue drained, stays under 256 MB (not
#      checked under AddressSanitizer, whose quarantine keeps freed
#      memory).
#   4. After the flood the server answers `ctl status` within 5 s, and
#      `ctl snapshot` of 2,000 cases; status counts requests dropped as
#      abandoned (too_many: more than 8 of one connection waiting), and
#      some were.
#
# Measured on the project's 2-core machine: on 9dfc4d7 (a batch took up
# to 512 control jobs and held every reply) RSS reached 660 MB, one
# incident was not acknowledged within 5 s and the slowest ack took
# 5,020 ms (p99 16 ms: the stalls were few but long); with the bounds
# (16 control jobs, 32 MiB of replies and 20 ms of control work a batch)
# RSS stayed at 34 MB, p99 84 ms, max 92 ms; with the snapshots on a read
# connection of their own (reader.c) and the per-connection bound, RSS
# 39-41 MB, p99 25 ms, max 27-29 ms (nanocat's start included); measured
# on one socket (paced.c), p99 11-15 ms, max 12-75 ms.
#
# Bounded: every nanocat runs under timeout; the flood lasts 1 s, the
# paced run 3 s, the drain at most 30 s; the script takes about 10 s.
# Needs nanocat (skipped without it).
#
# Environment (set by `make check`): GRIDLINE, the built binary; GL_DATA,
# the shipped data directory; GL_SRCDIR, the source tree (for tests/lib.sh).
set -euo pipefail

. "$GL_SRCDIR/tests/lib.sh"
setup flood
need nanocat "nanocat (nanomsg-utils) is not installed"

if under_asan; then
	asan=1		# three times slower: correctness, not speed
	P99_MS=${FLOOD_P99_MS:-150}
	MAX_MS=${FLOOD_MAX_MS:-1000}
else
	asan=0
	P99_MS=${FLOOD_P99_MS:-50}
	MAX_MS=${FLOOD_MAX_MS:-200}
fi
RSS_KB=$((256 * 1024))
CLIENTS=${FLOOD_CLIENTS:-25}
PACED=300

# incident ID: one valid incident, reported a day ago, with a summary of
# about 300 characters, so that a snapshot of 2,000 cases is about 2 MB.
at=$(TZ=UTC0 date -d @$(($(date +%s) - 86400)) +%Y-%m-%dT%H:%M:%SZ)
pad=$(printf "%0${FLOOD_PAD:-250}d" 0 | tr 0 x)
incident() {
	printf '{"id":"%s","grid":"330203003001001","category":"1103",' "$1"
	printf '"reported_at":"%s","source":"sensor","summary":"%s 井盖 %s"}' \
	    "$at" "$1" "$pad"
}

# rss: the server's resident set, in kB.
rss() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$spid/status" 2>/dev/null ||
		echo 0
}

start_daemon || die "the server did not start"
spid=$(lock_pid "$RUN") || die "no server pid"

# --- the database: 5,000 cases through ingest -------------------------------
for a in 0 1 2 3 4 5 6 7 8 9; do
	{
		printf '['
		for i in $(seq 1 500); do
			[ "$i" -eq 1 ] || printf ','
			incident "fill-$a-$i"
		done
		printf ']'
	} >"$tmp/array.json"
	reply=$(timeout 22 nanocat --req --connect "ipc://$RUN/ingest.sock" \
	    --recv-timeout 20 --send-timeout 20 -A -F "$tmp/array.json" \
	    2>/dev/null || true)
	case $reply in
	'{"ok":true,'*) ;;
	*) die "array $a: $(printf '%s' "$reply" | head -c 300)" ;;
	esac
done
n=$(status_cases)
[ "$n" -ge 5000 ] || die "the database has $n cases, not 5000"
rss0=$(rss)

# --- the flood ---------------------------------------------------------------
# flooder: a snapshot request every FLOOD_EVERY s (0.05) for FLOOD_FOR s
# (1), on one REQ socket: each new request abandons the one before, which
# the server has received and still answers.
flooder() {
	timeout "${FLOOD_FOR:-1}" nanocat --req \
	    --connect "ipc://$RUN/control.sock" -i "${FLOOD_EVERY:-0.05}" \
	    --recv-timeout "${FLOOD_EVERY:-0.05}" -A \
	    --data '{"op":"snapshot","limit":2000,"all":true}' \
	    >/dev/null 2>&1 || true
}

# the RSS sampler: the highest value seen, until $tmp/stop exists
sampler() {
	local max=0 kb
	while [ ! -e "$tmp/stop" ]; do
		kb=$(rss)
		[ "$kb" -le "$max" ] || max=$kb
		echo "$max" >"$tmp/rss.max"
		sleep 0.05
	done
}

# p99 (ms, rounded up) of the latencies in microseconds of file $1
p99_of() {
	awk '$1 >= 0 { printf "%d\n", ($1 + 999) / 1000 }' "$1" | sort -n |
	    awk '{ v[NR] = $1 } END { i = int(NR * 0.99);
		if (i < NR * 0.99) i++; print (NR ? v[i] : 0) }'
}

# the same paced incidents without a flood first: what this machine does
# at the moment, so that the bound is on what the flood adds
incident "@ID@" >"$tmp/paced.json"
timeout 30 "$GL_PACED" "ipc://$RUN/ingest.sock" 200 100 calm \
    <"$tmp/paced.json" >"$tmp/calm.us" || true
calm=$(p99_of "$tmp/calm.us")

echo 0 >"$tmp/rss.max"
sampler &
sampler_pid=$!
flooders=()
for k in $(seq 1 "$CLIENTS"); do
	flooder &
	flooders+=($!)
done
sleep 0.3				# the flood is under way

timeout 30 "$GL_PACED" "ipc://$RUN/ingest.sock" "$PACED" 100 paced \
    <"$tmp/paced.json" >"$tmp/lat.us" || true
missed=$(grep -c '^-1$' "$tmp/lat.us" || true)
missed=$((missed + PACED - $(wc -l <"$tmp/lat.us")))
awk '$1 >= 0 { printf "%d\n", ($1 + 999) / 1000 }' "$tmp/lat.us" >"$tmp/lat"
for p in "${flooders[@]}"; do
	wait "$p" || true
done
t_end=$(($(now_ms) + 30000))	# the queue drains; RSS still sampled
while :; do
	t0=$(now_ms)
	timeout 7 "$GRIDLINE" ctl --run-dir "$RUN" status >"$tmp/status" \
	    2>&1 && [ $(($(now_ms) - t0)) -le 5000 ] && break
	[ "$(now_ms)" -lt "$t_end" ] || break
done
status_ms=$(($(now_ms) - t0))
dropped=$(sed -n 's/.*"too_many": *\([0-9]*\).*/\1/p' "$tmp/status")
snap=$(timeout 12 "$GRIDLINE" ctl --run-dir "$RUN" snapshot all:=true \
    limit=2000 2>/dev/null | grep -c '"no":' || true)
touch "$tmp/stop"
wait "$sampler_pid" || true
rss1=$(cat "$tmp/rss.max")

p99=$(sort -n "$tmp/lat" | awk '{ v[NR] = $1 } END {
	i = int(NR * 0.99); if (i < NR * 0.99) i++; print v[i] }')
max=$(sort -n "$tmp/lat" | tail -n 1)
echo "# paced incidents: $PACED, not acknowledged $missed, p99 $p99 ms" \
    "(without the flood $calm ms), max $max ms; RSS $rss0 kB before, at most $rss1 kB during the flood;" \
    "status after the flood in $status_ms ms, snapshot of $snap cases;" \
    "${dropped:-no} abandoned requests dropped (too_many)"

if [ "$missed" -eq 0 ]; then
	ok "every paced incident acknowledged during the flood"
else
	notok "$missed of $PACED paced incidents not acknowledged"
fi
if [ "$p99" -le $((calm + P99_MS)) ]; then
	ok "paced incidents: p99 $p99 ms <= $calm + $P99_MS ms"
else
	notok "paced incidents: p99 $p99 ms > $calm + $P99_MS ms (the" \
	    "flood adds more than $P99_MS ms)"
fi
if [ "$max" -le "$MAX_MS" ]; then
	ok "paced incidents: slowest $max ms <= $MAX_MS ms"
else
	notok "paced incidents: slowest $max ms > $MAX_MS ms"
fi
if [ "${dropped:-0}" -gt 0 ]; then
	ok "requests abandoned by their clients dropped unbuilt: $dropped"
else
	notok "no abandoned request dropped (status: $(head -c 300 \
	    "$tmp/status"))"
fi
if [ "$asan" -eq 1 ]; then
	echo "# RSS not bounded under AddressSanitizer"
elif [ "$rss1" -lt "$RSS_KB" ]; then
	ok "RSS during the flood $rss1 kB < $RSS_KB kB"
else
	notok "RSS during the flood $rss1 kB >= $RSS_KB kB"
fi
if [ "$status_ms" -le 5000 ] && [ "$snap" -eq 2000 ]; then
	ok "status and a snapshot answered after the flood"
else
	notok "after the flood: status in $status_ms ms, snapshot of $snap cases"
fi
stop_daemon || fail "the server did not stop"
finish
