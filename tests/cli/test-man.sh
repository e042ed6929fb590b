#!/usr/bin/env bash
# test-man.sh: the manual page, docs/gridline.1, says what the code does.
#
# The page is written by hand, so it drifts when a key, a command or a
# subcommand changes and nobody opens it. This test reads the tables the
# page describes straight from the sources and holds the page to them:
#
# - KEY BINDINGS: every default binding of keys_default[] in
#   console/keys.c (its "bind KEY COMMAND" strings) is an entry there with
#   that key and that command; and the other way round, every key the
#   section lists is bound by default, to the command it says, once.
# - COMMANDS: every command of the console's table (the names of the
#   `cmd_*_entry = { "NAME"` definitions in console/cmd-*.c) and every
#   lifecycle action of CASE_ACTION_LIST (core/lifecycle.h; `report` is
#   the server's alone) has an entry, an action with its Chinese name; and
#   every entry there is one of them.
# - SUBCOMMANDS: every subcommand `gridline --help` lists has an entry
#   naming each --option of its usage line; and every entry is one of them.
#
# The page is read as mdoc source, never rendered, so the test needs
# neither man nor groff. The shape it relies on is written at the top of
# docs/gridline.1: in KEY BINDINGS, ".It Cm KEY" then ".Ic COMMAND" on the
# next line; in COMMANDS and SUBCOMMANDS, ".It Ic NAME" / ".It Cm NAME",
# or ".It Xo" with the macro and the name on the next line. \-, \& and
# quotes are undone before comparing.
#
# Environment (set by `make check`): GRIDLINE, the built binary; GL_DATA,
# the shipped data directory; GL_SRCDIR, the source tree: the sources and
# the page are read from there, so pointing it at a scratch copy with a
# changed keys.c shows the test failing.
set -euo pipefail

. "$GL_SRCDIR/tests/lib.sh"
setup man

page=$GL_SRCDIR/docs/gridline.1
src=$GL_SRCDIR
for f in "$page" "$src/console/keys.c" "$src/core/lifecycle.h"; do
	[ -r "$f" ] || die "cannot read $f"
done

# mdoc_section NAME: the source lines of section NAME of the page, each
# with \-, \& and \e undone and quotes dropped.
mdoc_section() {
	awk -v want="$1" '
	/^\.Sh / {
		name = substr($0, 5)
		gsub(/"/, "", name)
		on = (name == want)
		next
	}
	on {
		s = $0
		gsub(/\\&/, "", s)
		gsub(/\\-/, "-", s)
		gsub(/\\e/, "\\", s)
		gsub(/"/, "", s)
		print s
	}' "$page"
}

# has FILE COLUMN VALUE: 0 when a line of the tab-separated FILE has VALUE
# in COLUMN. (Not `cut | grep -q`: under pipefail, grep leaving early can
# fail the pipeline with the writer's SIGPIPE.)
has() {
	awk -F'\t' -v c="$2" -v v="$3" '$c == v { f = 1 } END { exit !f }' "$1"
}

# mdoc_entries MACRO: on stdin a section from mdoc_section; out the name
# of each entry ".It MACRO NAME" or ".It Xo" + ".MACRO NAME", one a line.
mdoc_entries() {
	awk -v m="$1" '
	xo && $1 == "." m { print $2; xo = 0; next }
	{ xo = 0 }
	$1 == ".It" && $2 == m { print $3 }
	$1 == ".It" && $2 == "Xo" { xo = 1 }'
}

# --- key bindings --------------------------------------------------------------
# The defaults: KEY<TAB>COMMAND, the command's trailing blanks dropped
# ("bind f prompt filter " binds `prompt filter `, shown as typed).
awk '/keys_default\[\][[:space:]]*=/ { on = 1 }
    on { print }
    on && /};/ { exit }' "$src/console/keys.c" |
    grep -oE '"bind [^"]*"' |
    sed -E 's/^"bind +([^ ]+) +(.*[^ ]) *"$/\1\t\2/' >"$tmp/keys.code"
if [ ! -s "$tmp/keys.code" ]; then
	fail "no \"bind KEY COMMAND\" strings found in keys_default[] of" \
	    "$src/console/keys.c"
fi
if grep -v $'\t' "$tmp/keys.code" >"$tmp/bad"; then
	fail "keys_default[]: not 'bind KEY COMMAND': $(cat "$tmp/bad")"
fi

# The page: ".It Cm KEY" then ".Ic COMMAND"; an entry without its .Ic
# line comes out with an empty command.
mdoc_section "KEY BINDINGS" | awk '
	function rest(s) {
		sub(/^\.[A-Za-z]+[ \t]+/, "", s)
		sub(/^(Cm|Li|Sy|Ic|Ar)[ \t]+/, "", s)
		gsub(/[ \t]+/, " ", s)
		sub(/ $/, "", s)
		return s
	}
	want && /^\.Ic[ \t]/ { print key "\t" rest($0); want = 0; next }
	want { print key "\t"; want = 0 }
	/^\.It[ \t]/ { key = rest($0); want = 1 }
	END { if (want) print key "\t" }' >"$tmp/keys.page"
if [ ! -s "$tmp/keys.page" ]; then
	fail "the man page has no entries in KEY BINDINGS"
fi
while IFS=$'\t' read -r key cmd; do
	if [ -z "$cmd" ]; then
		fail "KEY BINDINGS: the entry of '$key' has no .Ic COMMAND" \
		    "line after it"
	fi
done <"$tmp/keys.page"
cut -f1 "$tmp/keys.page" | sort | uniq -d >"$tmp/dup"
if [ -s "$tmp/dup" ]; then
	fail "KEY BINDINGS lists these keys more than once:" \
	    "$(tr '\n' ' ' <"$tmp/dup")"
fi

# code -> page
while IFS=$'\t' read -r key cmd; do
	if ! grep -qxF -- "$key"$'\t'"$cmd" "$tmp/keys.page"; then
		said=$(awk -F'\t' -v k="$key" '$1 == k { print $2; exit }' \
		    "$tmp/keys.page")
		if [ -n "$said" ]; then
			fail "KEY BINDINGS: $key runs '$said', but keys.c binds" \
			    "it to '$cmd'"
		else
			fail "KEY BINDINGS: the default binding '$key $cmd'" \
			    "(console/keys.c) is missing"
		fi
	fi
done <"$tmp/keys.code"
# page -> code
while IFS=$'\t' read -r key cmd; do
	[ -n "$cmd" ] || continue
	grep -qxF -- "$key"$'\t'"$cmd" "$tmp/keys.code" && continue
	if ! has "$tmp/keys.code" 1 "$key"; then
		fail "KEY BINDINGS lists '$key $cmd', but $key has no default" \
		    "binding in console/keys.c"
	fi	# else: reported above, as a binding with another command
done <"$tmp/keys.page"

# --- console commands and lifecycle actions -----------------------------------
mdoc_section COMMANDS >"$tmp/commands.sec"
mdoc_entries Ic <"$tmp/commands.sec" | sort -u >"$tmp/commands.page"
if [ ! -s "$tmp/commands.page" ]; then
	fail "the man page has no entries in COMMANDS"
fi

# The table's names; a definition may break its line before the name.
for f in "$src"/console/cmd-*.c; do
	tr '\n' ' ' <"$f" |
	    grep -oE 'cmd_[a-z0-9_]+_entry[[:space:]]*=[[:space:]]*\{[[:space:]]*"[^"]+"' |
	    sed -E 's/.*"([^"]+)"$/\1/' || true
done | sort -u >"$tmp/commands.code"
if [ ! -s "$tmp/commands.code" ]; then
	fail "no cmd_*_entry definitions found in $src/console/cmd-*.c"
fi
while read -r name; do
	grep -qxF -- "$name" "$tmp/commands.page" ||
	    fail "COMMANDS: the console command '$name' has no entry"
done <"$tmp/commands.code"

# X(ENUM, "name", "中文") of CASE_ACTION_LIST
sed -n '/^#define CASE_ACTION_LIST/,/^$/p' "$src/core/lifecycle.h" |
    sed -nE 's/.*X\([A-Z_]+,[[:space:]]*"([^"]+)",[[:space:]]*"([^"]+)"\).*/\1\t\2/p' \
    >"$tmp/actions.code"
if [ ! -s "$tmp/actions.code" ]; then
	fail "no actions found in CASE_ACTION_LIST of $src/core/lifecycle.h"
fi
while IFS=$'\t' read -r name zh; do
	[ "$name" != report ] || continue	# the server's, not an action
	if ! grep -qxF -- "$name" "$tmp/commands.page"; then
		fail "COMMANDS: the lifecycle action '$name' ($zh) has no entry"
	elif ! grep -qF -- "$zh" "$tmp/commands.sec"; then
		fail "COMMANDS: the Chinese name $zh of '$name' is missing"
	fi
done <"$tmp/actions.code"

# page -> code
while read -r name; do
	grep -qxF -- "$name" "$tmp/commands.code" && continue
	[ "$name" != report ] && has "$tmp/actions.code" 1 "$name" && continue
	fail "COMMANDS has an entry '$name', which is neither a console" \
	    "command nor a lifecycle action"
done <"$tmp/commands.page"

# --- subcommands -----------------------------------------------------------------
run --help
if [ "$rc" -ne 0 ]; then
	fail "gridline --help: exit $rc"
	show
fi
sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' "$tmp/out" >"$tmp/subs.code"
if [ ! -s "$tmp/subs.code" ]; then
	fail "no subcommands found in gridline --help:" "$(cat "$tmp/out")"
fi

# Each line of a top-level SUBCOMMANDS entry as NAME<TAB>LINE.
mdoc_section SUBCOMMANDS | awk '
	/^\.Bl/ { depth++ }
	/^\.El/ { depth--; next }
	depth == 1 && $1 == ".It" {
		name = ""
		xo = ($2 == "Xo")
		if ($2 == "Cm")
			name = $3
	}
	xo && $1 == ".Cm" { name = $2; xo = 0 }
	depth >= 1 && name != "" { print name "\t" $0 }' >"$tmp/subs.page"

while read -r sub; do
	if ! has "$tmp/subs.page" 1 "$sub"; then
		fail "SUBCOMMANDS: '$sub' (gridline --help) has no entry"
		continue
	fi
	# its usage line: "           NAME ARGS"
	sed -n "s/^ \{6,\}$sub \(.*\)/\1/p" "$tmp/out" |
	    grep -oE -- '--[a-z][a-z-]*' | sort -u >"$tmp/opts" || true
	while read -r opt; do
		# .Fl \-run\-dir: Fl adds one hyphen to "-run-dir"
		awk -F'\t' -v s="$sub" '$1 == s { print $2 }' \
		    "$tmp/subs.page" >"$tmp/entry"
		if ! grep -qE -- "(^|[^A-Za-z])Fl ${opt#-}([^a-z-]|$)" \
		    "$tmp/entry"; then
			fail "SUBCOMMANDS: the entry of '$sub' does not name" \
			    "its option $opt"
		fi
	done <"$tmp/opts"
done <"$tmp/subs.code"
cut -f1 "$tmp/subs.page" | sort -u | while read -r sub; do
	grep -qxF -- "$sub" "$tmp/subs.code" ||
	    echo "SUBCOMMANDS has an entry '$sub', which gridline --help" \
	    "does not list"
done >"$tmp/extra"
if [ -s "$tmp/extra" ]; then
	fail "$(cat "$tmp/extra")"
fi

finish "$(wc -l <"$tmp/keys.code") bindings, $(wc -l \
    <"$tmp/commands.code") commands, $(($(wc -l <"$tmp/actions.code") - 1)) \
actions, $(wc -l <"$tmp/subs.code") subcommands"
