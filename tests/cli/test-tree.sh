#!/usr/bin/env bash
# test-tree.sh: the shape of the tree and of the one binary.
#
# - Layering (Makefile.am, docs): core/ sees only core/ and SQLite; nothing
#   in core/ includes net/, console/, cli/, libuv, nanomsg, curses or
#   jansson. console/ includes no server header (server.h, ops.h, wire.h,
#   publish.h, casejson.h, log.h) and no store header (store.h,
#   store-int.h): it talks to the server. net/client/ and net/proto/
#   include nothing from net/server/. The compiler's -I paths refuse these
#   already; the grep says so even for a file not (yet) in Makefile.am.
# - In console/ only loop.c, frame.c and screen.c call curses: commands,
#   views' keys and the console object never draw (views draw through
#   screen.c's helpers), which is what lets tests drive them headless.
# - The command table: --help lists every subcommand and exits 0, an unknown
#   command exits 2.
# - demo runs the core end to end and prints case numbers
#   DISTRICT-YYYYMMDD-NNNNN.
# - route prints the lead and the responsibility-list row that decided,
#   checked here against duty.tsv itself.
#
# Environment (set by `make check`): GRIDLINE, the built binary; GL_SRCDIR,
# the source tree; GL_DATA, the shipped data directory.
set -euo pipefail

: "${GRIDLINE:?GRIDLINE must name the gridline binary}"
: "${GL_SRCDIR:?GL_SRCDIR must name the source tree}"
: "${GL_DATA:?GL_DATA must name the shipped data directory}"
GRIDLINE_DATA=$GL_DATA
LC_ALL=C
export GRIDLINE_DATA LC_ALL

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gridline-tree.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# run ARGS...: exit code in $rc, output in $tmp/out and $tmp/err.
run() {
	rc=0
	"$GRIDLINE" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
}

# --- layering ----------------------------------------------------------------
if ! ls "$GL_SRCDIR"/core/*.[ch] >/dev/null 2>&1; then
	fail "no sources in $GL_SRCDIR/core"
else
	forbidden='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^>"]*/)?(net/|console/|cli/|uv\.h|uv/|nanomsg/|n?curses|ncursesw/|curses\.h|panel\.h|jansson|cli\.h)'
	if grep -nE "$forbidden" "$GL_SRCDIR"/core/*.[ch] >"$tmp/layer"; then
		fail "core/ reaches outside its layer:"
		sed "s|$GL_SRCDIR/||" "$tmp/layer" >&2
	fi
	# includes of a sibling header must name a core/ header
	grep -hoE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]+"' \
	    "$GL_SRCDIR"/core/*.[ch] | sed 's/.*"\(.*\)"/\1/' | sort -u |
	    while read -r h; do
		[ "$h" = config.h ] && continue
		[ -f "$GL_SRCDIR/core/$h" ] ||
		    echo "core/ includes \"$h\", not a core/ header"
	    done >"$tmp/local"
	if [ -s "$tmp/local" ]; then
		fail "$(cat "$tmp/local")"
	fi
fi

# layer_refuse WHAT FILES...: fail, with file:line, for any #include of a
# header named in the extended regular expression $refused.
layer_refuse() {
	local what=$1
	shift
	if grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]([^>\"]*/)?($refused)[>\"]" \
	    "$@" >"$tmp/layer"; then
		fail "$what:"
		sed "s|$GL_SRCDIR/||" "$tmp/layer" >&2
	fi
}

refused='server\.h|ops\.h|wire\.h|publish\.h|casejson\.h|log\.h|store\.h|store-int\.h'
if ! ls "$GL_SRCDIR"/console/*.[ch] >/dev/null 2>&1; then
	fail "no sources in $GL_SRCDIR/console"
else
	layer_refuse "console/ includes a server or store header" \
	    "$GL_SRCDIR"/console/*.[ch]
fi

# console/: curses is called in loop.c, frame.c and screen.c alone
calls='\b(initscr|endwin|clear|erase|refresh|wrefresh|doupdate|wnoutrefresh|addstr|mvaddstr|mvaddnstr|addnstr|attrset|attron|curs_set|move|beep|getch|get_wch|mousemask|getmouse)[[:space:]]*\('
for f in "$GL_SRCDIR"/console/*.c; do
	case ${f##*/} in loop.c | frame.c | screen.c) continue ;; esac
	{ grep -nE "$calls" "$f" || true; } | sed "s|^|${f#"$GL_SRCDIR"/}:|"
done >"$tmp/curses"
if [ -s "$tmp/curses" ]; then
	fail "console/ calls curses outside loop.c, frame.c and screen.c:"
	cat "$tmp/curses" >&2
fi

# net/client and net/proto: nothing from net/server, by name or by path
refused=$(cd "$GL_SRCDIR/net/server" && ls -- *.h | sed 's/\./\\./g' |
    paste -sd'|')
refused="$refused|net/server/[^>\"]*"
for d in client proto; do
	if ! ls "$GL_SRCDIR/net/$d"/*.[ch] >/dev/null 2>&1; then
		fail "no sources in $GL_SRCDIR/net/$d"
		continue
	fi
	layer_refuse "net/$d/ includes a net/server/ header" \
	    "$GL_SRCDIR/net/$d"/*.[ch]
done

# --- help and unknown commands -------------------------------------------
run --help
if [ "$rc" -ne 0 ]; then
	fail "--help: exit $rc, want 0"
fi
for c in check catalog route demo; do
	if ! grep -qE "^[[:space:]]+$c([[:space:]]|$)" "$tmp/out"; then
		fail "--help does not list $c"
	fi
done
run nosuch
if [ "$rc" -ne 2 ]; then
	fail "gridline nosuch: exit $rc, want 2"
fi
if [ -s "$tmp/out" ]; then
	fail "gridline nosuch: wrote to stdout"
fi
run
if [ "$rc" -ne 2 ]; then
	fail "gridline without a command: exit $rc, want 2"
fi

# --- demo --------------------------------------------------------------------
run demo
if [ "$rc" -ne 0 ]; then
	fail "demo: exit $rc, want 0"
	head -n 10 "$tmp/err" >&2
fi
ncases=$(grep -oE '(^|[^0-9])[0-9]{6}-[0-9]{8}-[0-9]{5}([^0-9]|$)' \
    "$tmp/out" | grep -oE '[0-9]{6}-[0-9]{8}-[0-9]{5}' | sort -u | wc -l)
nlines=$(grep -cE '^[0-9]{6}-[0-9]{8}-[0-9]{5}' "$tmp/out" || true)
if [ "$nlines" -lt 3 ] || [ "$ncases" -lt 3 ]; then
	fail "demo: $nlines lines begin with a case number, $ncases distinct" \
	    "numbers; want at least 3"
fi
# each case number's district is a district of the data, its date real
awk -F'\t' 'NR > 1 && !/^#/ { print $1 }' "$GL_DATA/districts.tsv" \
    >"$tmp/districts"
grep -oE '^[0-9]{6}-[0-9]{8}-[0-9]{5}' "$tmp/out" | sort -u |
    while IFS=- read -r dist day n; do
	grep -qx "$dist" "$tmp/districts" ||
	    echo "demo: case $dist-$day-$n: $dist is not a district"
	date -d "$day" +%Y%m%d >/dev/null 2>&1 ||
	    echo "demo: case $dist-$day-$n: $day is not a date"
done >"$tmp/demo-bad"
if [ -s "$tmp/demo-bad" ]; then
	fail "$(cat "$tmp/demo-bad")"
fi

# --- route -------------------------------------------------------------------
# A grid from the data (its first), routed for 1103; the output names the
# lead and cites duty.tsv:N, and row N of duty.tsv must be a 1103 row whose
# jurisdiction contains the grid (a prefix of its code) with that lead, and
# no row for 1103 nearer to the grid may exist.
grid=$(awk -F'\t' '{ sub(/\r$/, "") }
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == "code") c = i; next }
    !/^#/ && !/^$/ { print $c; exit }' "$GL_DATA/grids.tsv")
run route 1103 "$grid"
if [ "$rc" -ne 0 ]; then
	fail "route 1103 $grid: exit $rc, want 0"
	head -n 5 "$tmp/err" >&2
elif ! grep -qE 'duty\.tsv:[0-9]+' "$tmp/out"; then
	fail "route 1103 $grid: no duty.tsv:N reason in '$(cat "$tmp/out")'"
else
	lead=$(head -n 1 "$tmp/out" | cut -f 1)
	n=$(grep -oE 'duty\.tsv:[0-9]+' "$tmp/out" | head -n 1 | cut -d: -f2)
	verdict=$(awk -F'\t' -v N="$n" -v G="$grid" -v L="$lead" '
	    { sub(/\r$/, "") }
	    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	    /^#/ || /^$/ { next }
	    $c["category"] == "1103" && index(G, $c["jurisdiction"]) == 1 {
		if (length($c["jurisdiction"]) > best) {
			best = length($c["jurisdiction"]); bestline = NR
			bestlead = $c["lead"]
		}
	    }
	    END {
		if (bestline != N) print "the nearest 1103 row is line " \
		    bestline ", not " N
		else if (bestlead != L) print "line " N " has lead " \
		    bestlead ", not " L
		else print "ok"
	    }' "$GL_DATA/duty.tsv")
	if [ "$verdict" != ok ]; then
		fail "route 1103 $grid: $verdict"
	fi
	if ! awk -F'\t' -v L="$lead" '$1 == L { f = 1 } END { exit !f }' \
	    "$GL_DATA/agencies.tsv"; then
		fail "route 1103 $grid: lead $lead is not in agencies.tsv"
	fi
fi
# a community code is not a grid; wrong arity is a usage error
run route 1103 "${grid:0:12}"
if [ "$rc" -ne 1 ]; then
	fail "route 1103 ${grid:0:12} (a community): exit $rc, want 1"
fi
run route 1103
if [ "$rc" -ne 2 ]; then
	fail "route with one argument: exit $rc, want 2"
fi

if [ "$failures" -ne 0 ]; then
	echo "test-tree.sh: $failures failed" >&2
	exit 1
fi
echo "test-tree.sh: all passed"
exit 0
