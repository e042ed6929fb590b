#!/usr/bin/env bash
# test-protocol.sh: the examples of docs/PROTOCOL.md work with stock nanocat.
#
# Every indented `nanocat --req ...` line of the document is run as written
# (with $RUN set to a scratch run directory) against a real server, and its
# reply must say "ok":true; the `nanocat --sub` example must receive the
# event of an incident sent meanwhile. A change of the protocol that the
# document does not follow fails here.
#
# Environment (set by `make check`): GRIDLINE, the built binary; GL_DATA,
# the shipped data directory; GL_SRCDIR, the source tree (the document and
# tests/lib.sh).
set -euo pipefail

. "$GL_SRCDIR/tests/lib.sh"
setup protocol
need nanocat "nanocat (nanomsg-utils) is not installed"
doc=$GL_SRCDIR/docs/PROTOCOL.md

start_daemon || die "the server did not start"

# Join continued lines (trailing backslash), keep the nanocat requests.
mapfile -t reqs < <(awk '/^    nanocat/ || cont {
	line = line (cont ? " " : "") $0
	cont = /\\$/
	if (!cont) { print line; line = "" } }' "$doc" |
    sed 's/\\ *    / /g; s/^ *//' | grep -- '--req')
[ ${#reqs[@]} -ge 2 ] || die "no nanocat examples found in $doc"

# The subscriber first, so it sees the ingest examples' events.
sub=$(awk '/^    nanocat --sub/ { sub(/^ */, ""); print; exit }' "$doc")
eval "timeout 5 $sub" >"$tmp/sub.out" 2>&1 &
subpid=$!
sleep 0.5

for r in "${reqs[@]}"; do
	out=$(eval "timeout 5 $r" 2>&1 || true)
	if grep -q '"category":"9999"' <<<"$r"; then
		# the documented mixed array: good items stored, the bad one named
		if ! grep -q '"ok":false' <<<"$out" ||
		    ! grep -q '"code":"unknown_category"' <<<"$out" ||
		    [ "$(grep -o '"ok":true' <<<"$out" | wc -l)" != 2 ]; then
			fail "$r" "-> $out"
		fi
	elif ! grep -q '"ok":true' <<<"$out"; then
		fail "$r" "-> $out"
	fi
done
wait "$subpid" || true
grep -q '"type":"case.created"' "$tmp/sub.out" ||
	fail "the --sub example received no case.created event:" \
	    "$(cat "$tmp/sub.out")"
finish "${#reqs[@]} request examples run"
