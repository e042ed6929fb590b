#!/usr/bin/env bash
# test-escapes.sh: text from outside never controls the terminal (issue
# 12, "Text from outside never controls the terminal").
#
# One incident whose summary holds an OSC title sequence, a clear-screen
# sequence, a C1 CSI (U+009B), a right-to-left override (U+202E) and a
# tab, whose address holds colour sequences and an isolate pair (U+2066,
# U+2069) and whose reporter a NEL (U+0085) and a DEL, goes in over the
# ingest socket with the stock nanocat; then every output that shows it
# is read back (the scheme is core/vis.h's):
#   1  the incident is acknowledged and stored exact: sqlite3 reads the
#      summary, address and reporter back byte for byte;
#   2  `ctl case` prints JSON with no raw ESC, C1 or bidi control (jansson
#      passes C1 and bidi through; ctl escapes them) and still the exact
#      text: the \u escapes of all three;
#   3  `ctl --tsv snapshot`: the row has its 8 fields (the tab in the
#      summary shown as U+2409), the summary in its visible form, no ESC,
#      C1 or bidi control;
#   4  the console (80x24, tmux): the queue row shows the visible forms,
#      starting under the "summary" header and cut at 80 columns; the top
#      bar and header are still there (no clear screen got through); the
#      pane title is what it was (no OSC got through); capture-pane -e
#      shows no escape sequence but the console's own SGR, and no C1 or
#      bidi control;
#   5  the case view shows summary, address and reporter in full in their
#      visible forms, no line wider than 80;
#   6  the server log: an id_conflict line that quotes an id with a C1 CSI
#      and U+202E shows them as <U+009B><U+202E>, raw bytes nowhere;
#   7  `ctl --tsv rejects`: a rejected incident's message quoting its bad
#      category (an OSC sequence) has no ESC;
#   8  `catalog` of a data copy whose township name holds an ESC sequence
#      and U+202E, and CLI errors that echo an argument (catalog, ctl):
#      no ESC, no bidi control.
#
# Bounded: every wait is a poll with a deadline; nanocat and ctl run under
# timeout (tests/lib.sh). Exit: 0 passed, 1 failed, 77 skipped (no tmux,
# nanocat, sqlite3 or UTF-8 locale). Environment (set by `make check`):
# GRIDLINE, GL_DATA, GL_SRCDIR.
set -euo pipefail

. "$GL_SRCDIR/tests/lib.sh"
setup escapes
need tmux "tmux is not installed"
need nanocat "nanocat (nanomsg-utils) is not installed"
need sqlite3 "sqlite3 is not installed"
[ "$(printf '中…a' | LC_ALL=C.UTF-8 wc -L 2>/dev/null)" = 4 ] ||
	skip "no C.UTF-8 locale (wc -L cannot measure display width)"
LC_ALL=C.UTF-8
export LC_ALL

# The visible forms (core/vis.h): Control Pictures for C0 and DEL.
P_ESC=$'\xe2\x90\x9b'	# U+241B
P_BEL=$'\xe2\x90\x87'	# U+2407
P_HT=$'\xe2\x90\x89'	# U+2409
P_DEL=$'\xe2\x90\xa1'	# U+2421

# the text as JSON sends it, and the bytes it stands for
J_SUM='\u001b]0;PWNED\u0007井盖\u001b[2J缺失\u009b2J\u202e倒序\t制表 end'
J_ADDR='望京路\u001b[31m红\u001b[0m\u2066x\u2069 3号'
J_REP='张\u0085三\u007f'
R_SUM=$'\e]0;PWNED\a井盖\e[2J缺失\xc2\x9b2J\xe2\x80\xae倒序\t制表 end'
R_ADDR=$'望京路\e[31m红\e[0m\xe2\x81\xa6x\xe2\x81\xa9 3号'
R_REP=$'张\xc2\x85三\x7f'
# what a terminal is shown
V_SUM="${P_ESC}]0;PWNED${P_BEL}井盖${P_ESC}[2J缺失<U+009B>2J<U+202E>倒序${P_HT}制表 end"
V_ADDR="望京路${P_ESC}[31m红${P_ESC}[0m<U+2066>x<U+2069> 3号"
V_REP="张<U+0085>三${P_DEL}"

# foreign FILE: the lines of FILE holding ESC, a C1 control or a bidi
# control (as UTF-8: C2 80-9F, E2 80 AA-AE, E2 81 A6-A9), printed.
foreign() {
	LC_ALL=C grep -naP \
	    '\x1b|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' \
	    "$1" || true
}

# width_of TEXT: display columns.
width_of() {
	printf '%s' "$1" | wc -L
}

hex() {		# hex TEXT: its bytes in upper-case hex, as sqlite3's hex()
	printf '%s' "$1" | od -An -tx1 -v | tr -d ' \n' | tr a-f A-F
}

start_daemon || die "the server did not start"

# --- 1: acknowledged, stored exact --------------------------------------------
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
msg='{"id":"esc-1","grid":"330203003001001","category":"1103",'
msg+="\"reported_at\":\"$now\",\"summary\":\"$J_SUM\","
msg+="\"address\":\"$J_ADDR\",\"reporter\":\"$J_REP\"}"
rep=$(send "$msg" 5)
X=$(printf '%s\n' "$rep" | grep -o '"case":"[^"]*"' | cut -d'"' -f4) || X=
[ -n "$X" ] || die "incident not acknowledged: $rep"
got=$(sqlite3 "$DB" "SELECT hex(summary) || ' ' || hex(address) || ' ' ||
    hex(reporter) FROM cases WHERE no = '$X'")
want="$(hex "$R_SUM") $(hex "$R_ADDR") $(hex "$R_REP")"
if [ "$got" = "$want" ]; then
	ok "stored exact: summary, address and reporter byte for byte"
else
	notok "stored text differs" "got  $got" "want $want"
fi

# --- 2: ctl case: JSON, escaped, exact ----------------------------------------
ctl case case="$X" >"$tmp/case.json" 2>&1 || true
bad=$(foreign "$tmp/case.json")
missing=()
for j in '"summary": "\u001B]0;PWNED\u0007井盖\u001B[2J缺失\u009b2J\u202e倒序\t制表 end"' \
    '"address": "望京路\u001B[31m红\u001B[0m\u2066x\u2069 3号"' \
    '"reporter": "张\u0085三\u007f"'; do
	grep -qF -- "$j" "$tmp/case.json" || missing+=("$j")
done
if [ -z "$bad" ] && [ ${#missing[@]} -eq 0 ]; then
	ok "ctl case: JSON with C1, DEL and bidi as \\u escapes, nothing raw"
else
	notok "ctl case output" "raw: $bad" "missing: ${missing[*]}" \
	    "$(head -n 12 "$tmp/case.json")"
fi

# --- 3: ctl --tsv ----------------------------------------------------------
ctl --tsv snapshot >"$tmp/snap.tsv" 2>&1 || true
row=$(grep -F "$X" "$tmp/snap.tsv") || row=
bad=$(foreign "$tmp/snap.tsv")
nf=$(printf '%s\n' "$row" | awk -F '\t' '{ print NF }')
if [ -z "$bad" ] && [ "$nf" = 8 ] && [ "${row##*$'\t'}" = "$V_SUM" ]; then
	ok "ctl --tsv: 8 fields, the summary in its visible form"
else
	notok "ctl --tsv row" "raw: $bad" "fields: $nf" "row: $row"
fi

# --- 4: the console's queue ---------------------------------------------------
tm new-session -d -s a -x 80 -y 24 "exec env LC_ALL=C.UTF-8 LANG=C.UTF-8 GRIDLINE_DATA='$GL_DATA' '$GRIDLINE' --no-start --run-dir '$RUN' --operator esc"
title0=$(tm display -p -t a '#{pane_title}')
wait_screen a 'open cases loaded' 5000 || { dump a; die "no console"; }
wait_screen a "PWNED" 3000 || { dump a; die "the case is not shown"; }
problems=()
head=$(cap a | grep -E '^number +prio +state') || head=
line=$(cap a | grep -F "PWNED") || line=
[ -n "$head" ] || problems+=("the queue header is gone")
cap a | head -n 1 | grep -q 'open 1' || problems+=("the top bar is gone")
case $line in
*"${P_ESC}]0;PWNED${P_BEL}井盖"*) ;;
*) problems+=("no visible form in the row: $line") ;;
esac
pre=${line%%"${P_ESC}]0;"*}
hpre=${head%%summary*}
[ "$(width_of "$pre")" = "$(width_of "$hpre")" ] ||
	problems+=("the summary starts at column $(width_of "$pre"), its header at $(width_of "$hpre")")
[ "$(width_of "$line")" = 80 ] ||
	problems+=("the row is $(width_of "$line") columns, not cut at 80")
title=$(tm display -p -t a '#{pane_title}')
[ "$title" = "$title0" ] && [ "${title#*PWNED}" = "$title" ] ||
	problems+=("the pane title changed: '$title0' -> '$title'")
tm capture-pane -p -e -t a >"$tmp/screen.e"
# everything but the console's own colour and attribute changes (SGR)
LC_ALL=C sed 's/\x1b\[[0-9;:]*m//g' "$tmp/screen.e" >"$tmp/screen.rest"
bad=$(foreign "$tmp/screen.rest")
[ -z "$bad" ] || problems+=("a foreign sequence or control on screen: $bad")
if [ ${#problems[@]} -eq 0 ]; then
	ok "console queue: visible forms under their header, cut at 80, no title, no clear"
else
	notok "console queue" "${problems[@]}" "$(dump a)"
fi

# --- 5: the case view ---------------------------------------------------------
tm send-keys -t a Enter
problems=()
wait_screen a '^Summary: ' 3000 || problems+=("no case view")
for want in "Summary: $V_SUM" "Address: $V_ADDR" "Reporter: $V_REP"; do
	cap a | grep -qxF -- "$want" || problems+=("no line '$want'")
done
[ "$(cap a | wc -L)" -le 80 ] || problems+=("a line wider than 80")
tm capture-pane -p -e -t a >"$tmp/view.e"
LC_ALL=C sed 's/\x1b\[[0-9;:]*m//g' "$tmp/view.e" >"$tmp/view.rest"
bad=$(foreign "$tmp/view.rest")
[ -z "$bad" ] || problems+=("a foreign sequence or control on screen: $bad")
title=$(tm display -p -t a '#{pane_title}')
[ "$title" = "$title0" ] || problems+=("the pane title changed: '$title'")
if [ ${#problems[@]} -eq 0 ]; then
	ok "case view: summary, address, reporter in their visible forms"
else
	notok "case view" "${problems[@]}" "$(dump a)"
fi

# --- 6: the server log ----------------------------------------------------------
inc() {		# inc ID SUMMARY: an incident from source web
	printf '{"id":"%s","grid":"330203003001001","category":"1103","reported_at":"%s","source":"web","summary":"%s"}' \
	    "$1" "$now" "$2"
}
send "$(inc 'dup\u009b\u202e\u001b]0;LOG\u0007' first)" 5 >/dev/null
send "$(inc 'dup\u009b\u202e\u001b]0;LOG\u0007' second)" 5 >/dev/null
logged() {
	grep -q 'id_conflict' "$LOG"
}
if ! wait_cmd 3000 logged; then
	notok "no id_conflict in the log" "$(tail -n 5 "$LOG")"
else
	bad=$(foreign "$LOG")
	if [ -z "$bad" ] && grep 'id_conflict' "$LOG" |
	    grep -qF 'dup<U+009B><U+202E>'; then
		ok "server log: C1 and bidi in a quoted id shown, not sent"
	else
		notok "server log" "raw: $bad" "$(grep id_conflict "$LOG")"
	fi
fi

# --- 7: ctl --tsv rejects ---------------------------------------------------------
send '{"id":"rej-1","grid":"330203003001001","category":"\u001b]0;REJ\u0007\u202e","reported_at":"'"$now"'","summary":"x"}' 5 >/dev/null
ctl --tsv rejects >"$tmp/rejects.tsv" 2>&1 || true
bad=$(foreign "$tmp/rejects.tsv")
if [ -z "$bad" ] && [ -s "$tmp/rejects.tsv" ]; then
	ok "ctl --tsv rejects: nothing raw"
else
	notok "ctl --tsv rejects" "raw: $bad" "$(cat "$tmp/rejects.tsv")"
fi

# --- 8: catalog and CLI errors ------------------------------------------------------
cp -r "$GL_DATA" "$tmp/data"
chmod -R u+w "$tmp/data"
t=$(awk -F '\t' 'NR == 2 { print $1 }' "$tmp/data/townships.tsv")
awk -F '\t' -v OFS='\t' -v t="$t" \
    '$1 == t { $2 = $2 "\033]0;CAT\007\342\200\256" } { print }' \
    "$tmp/data/townships.tsv" >"$tmp/t.tsv"
mv "$tmp/t.tsv" "$tmp/data/townships.tsv"
problems=()
GRIDLINE_DATA=$tmp/data run catalog townships
bad=$(foreign "$tmp/out")
[ -z "$bad" ] || problems+=("catalog: $bad")
grep -qF "${P_ESC}]0;CAT${P_BEL}<U+202E>" "$tmp/out" ||
	problems+=("catalog: no visible form: $(grep -F "$t" "$tmp/out")")
run catalog $'\e]0;ARG\a\xe2\x80\xae'
bad=$(foreign "$tmp/err")
[ "$rc" = 2 ] && [ -z "$bad" ] || problems+=("catalog error: $rc $bad")
ctl status $'bad\e[2J\xc2\x9b' >"$tmp/out" 2>"$tmp/err" || true
bad=$(foreign "$tmp/err")
[ -z "$bad" ] && grep -qF "bad${P_ESC}[2J<U+009B>" "$tmp/err" ||
	problems+=("ctl error: $(cat "$tmp/err")")
if [ ${#problems[@]} -eq 0 ]; then
	ok "catalog and CLI errors: visible forms, nothing raw"
else
	notok "catalog and CLI errors" "${problems[@]}"
fi

finish
