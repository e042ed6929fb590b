#!/usr/bin/env bash
# test-protocol.sh: the examples of docs/PROTOCOL.md work with stock nanocat.
#
# Every indented `nanocat --req ...` line of the document is run as written
# (with $RUN set to a scratch run directory) against a real server, and its
# reply must say "ok":true; the `nanocat --sub` example must receive the
# event of an incident sent meanwhile. A change of the protocol that the
# document does not follow fails here.
set -euo pipefail
: "${GRIDLINE:?}" "${GL_SRCDIR:?}"
command -v nanocat >/dev/null || { echo "nanocat missing: skipped"; exit 77; }

T=$(mktemp -d)
RUN=$T/run
cleanup() {
  [ -f "$RUN/lock" ] && kill "$(cat "$RUN/lock")" 2>/dev/null || true
  for _ in $(seq 50); do [ -S "$RUN/control.sock" ] || break; sleep 0.1; done
  rm -rf "$T"
}
trap cleanup EXIT

"$GRIDLINE" serve --daemon --run-dir "$RUN" --db "$T/db" --log "$T/log"
doc="$GL_SRCDIR/docs/PROTOCOL.md"
fail=0

# Join continued lines (trailing backslash), keep the nanocat requests.
mapfile -t reqs < <(awk '/^    nanocat/ || cont { line = line (cont ? " " : "") $0;
  cont = /\\$/; if (!cont) { print line; line = "" } }' "$doc" |
  sed 's/\\ *    / /g; s/^ *//' | grep -- '--req')
[ ${#reqs[@]} -ge 2 ] || { echo "FAIL: no nanocat examples found in $doc"; exit 1; }

# The subscriber first, so it sees the ingest examples' events.
sub=$(awk '/^    nanocat --sub/ { sub(/^ */, ""); print; exit }' "$doc")
eval "timeout 5 $sub" > "$T/sub.out" 2>&1 &
subpid=$!
sleep 0.5

for r in "${reqs[@]}"; do
  out=$(eval "timeout 5 $r" 2>&1 || true)
  if grep -q '"category":"9999"' <<<"$r"; then
    # the documented mixed array: good items stored, the bad one named
    if ! grep -q '"ok":false' <<<"$out" ||
       ! grep -q '"code":"unknown_category"' <<<"$out" ||
       [ "$(grep -o '"ok":true' <<<"$out" | wc -l)" != 2 ]; then
      echo "FAIL: $r"; echo "  -> $out"; fail=1
    fi
  elif ! grep -q '"ok":true' <<<"$out"; then
    echo "FAIL: $r"; echo "  -> $out"; fail=1
  fi
done
wait "$subpid" || true
if ! grep -q '"type":"case.created"' "$T/sub.out"; then
  echo "FAIL: the --sub example received no case.created event:"
  cat "$T/sub.out"; fail=1
fi
echo "${#reqs[@]} request examples run"
exit $fail
