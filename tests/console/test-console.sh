#!/usr/bin/env bash
# test-console.sh: the dispatch console end to end (issues 5 and 10,
# "Tests").
#
# The real console runs in detached sessions of a private tmux server
# (tmux -L, no config file); keys go in with send-keys and the screen is
# read back with capture-pane, as tmux's own regress/*.sh do. One scratch
# server (serve --daemon on a scratch run dir and database) feeds it;
# incidents go in over the ingest socket with the stock nanocat, the
# server's view is read, and cases are moved along, with `gridline ctl`.
# The helpers (reporting, scratch dir, cleanup, server, tmux) are
# tests/lib.sh's.
#
# Checks (TAP-like lines "ok N - ..." / "not ok N - ..."):
#   1  an incident sent over ingest shows on an open console (80x24)
#      within 2 s, without a keypress, its summary cut to the width;
#   2  with 10 long Chinese summaries, long township and matter names and
#      long operator names, no captured line is wider than the window, at
#      80x24 (console A) and at 200x50 (console B), queue and case view;
#   3  register and dispatch by keys in A's case view of the case (r, then
#      d once the register has landed; the case view keeps its case, where
#      the queue would move on) reach B within 2 s (its queue line says
#      dispatched) and `ctl case` says dispatched, by A's operator;
#   4  a conflict: A and B both show case Y at v1; the server is stopped
#      (SIGSTOP) while `r` is pressed on A and then on B, so both send
#      v1; after SIGCONT one console says done, the other says its
#      register did not change the case, naming the winner's operator;
#      both then show Y as it is (registered v2, queue and case view); the
#      server holds one register;
#   5  resize A to 200x50 and back to 80x24: the top bar spans the width
#      with every count (open, new, to assign, late, in hand; the centre's
#      name too at 200), the key line and the message line sit on the last
#      two rows of the new size, nothing wraps or runs past the edge;
#   6  kill -9 the server: A says OFFLINE within 4 s and keeps its last
#      state; restart the server on the same run dir and database, send
#      one incident: A shows it within 4 s, its queue holds each open case
#      exactly once and its counts (new, to assign) match the server;
#   7  in a console started from an interactive bash, `q` at the queue
#      asks "Leave the console?", another key (n) answers no and the
#      console stays; `q` then `y` leaves: afterwards the alternate screen
#      is left (the shell's earlier output is back, tmux says alternate_on
#      0), the cursor is visible, and `stty -a` shows icanon and echo;
#   8  SIGTERM to a console started the same way restores the terminal
#      the same way;
#   9  the case view beside the queue (200 columns): each line of the view
#      starts at its column (COLS-64) and the column between queue and
#      view is blank, whatever the queue showed there before;
#  10  a case view open on B follows the change A made (check 3): it
#      shows dispatched v3 within 2 s, as the queue line does;
# On a new console C (80x24) and a new set of cases:
#  11  backing out: from the case view, the agency board, the help, a
#      list of search results and the list of finished cases, each of q,
#      Escape, h, Left and Backspace returns to the queue with the same
#      case on the same (highlighted) row;
#  12  close by key: a case moved to verified with ctl (register,
#      dispatch, acknowledge, start, feedback, verify), selected, `c`:
#      `ctl case` says closed;
#  13  the reason picker: `x` on a dispatched case lists the six reason
#      codes; typing `not` leaves not_our_duty alone; Enter returns the
#      case with reason_code not_our_duty in its history;
#  14  void asks: X, a reason, Enter, then `n`: the case is as it was;
#      again with `y`: it is voided, with the reason typed;
#  15  the filter header: `:filter 南门街道` shows "4 of M · filter: 南门街道"
#      (M the open count of the top bar) and the 4 cases; a filter with no
#      match says "no case passes the filter", never "no open cases";
#      Esc at the queue clears it;
#  16  a district name (慈溪市) works as a filter word: its 10 cases;
#  17  the selection after an action: of 4 cases (filtered), the 2nd
#      selected, `r`: once it lands the selected row is the case that was
#      3rd;
#  18  history scrolling at 80x24: a case with 33 events (30 presses,
#      each with its own reason); in its view G shows the last event and
#      "history K-33 of 33"; g the first event and "history 1-";
#  19  `:case 203-MMDD-NNNNN` (the spoken form) opens that case's view,
#      for an open case and for a voided one;
#  20  the finished view (F): the cases closed and voided above, and one
#      voided with ctl, are listed; open cases are not;
#  21  unmerge from the finished view: a case merged with ctl, opened
#      from F, `u` (a question answered y): `ctl case` says it is no
#      longer merged;
#  22  board drill-down: b, Enter on the first row: the queue is filtered
#      to that row's name and holds as many cases as the row's "open";
#  23  English state names under LC_ALL=C.UTF-8: every queue line's state
#      column is (the start of) an English state name, none Chinese;
#  24  Chinese state names under LANGUAGE=zh_CN (as tests/cli/test-i18n.sh
#      gets Chinese): a reported case says 上报, a dispatched one 派遣, no
#      English state name in the queue;
#  25  the mouse (`set mouse on`, the default): a click on a queue row
#      selects that row's case, a click on the selected row opens it, a
#      click on a board row drills in. tmux passes the bytes of a click
#      to the pane as a terminal would (send-keys -H, X10 encoding: the
#      pane's TERM, tmux-256color, has kmous=\E[M).
# Not checked here: the dispatch picker (D), which waits for the server's
# list of agencies.
#
# Display widths come from `wc -L` under C.UTF-8 (2 columns per Chinese
# character); capture-pane -J joins wrapped lines, so a line written past
# the right edge shows up as a line wider than the window. The selected
# row is the one capture-pane -e shows in reverse video.
#
# Bounded: every wait is a poll with a deadline (wait_screen, wait_cmd),
# nanocat and ctl run under timeout (tests/lib.sh); the whole script takes
# some 30 s. The EXIT trap kills the private tmux server and the server
# (by the pid in RUN/lock) and removes the scratch directory.
#
# Exit: 0 all passed, 1 a check failed, 77 skipped (no tmux, nanocat or
# UTF-8 locale). Environment (set by `make check`): GRIDLINE, the built
# binary; GL_DATA, the shipped data directory; GL_SRCDIR, the source tree.
set -euo pipefail

. "$GL_SRCDIR/tests/lib.sh"
setup console
need tmux "tmux is not installed"
need nanocat "nanocat (nanomsg-utils) is not installed"
[ "$(printf '中…a' | LC_ALL=C.UTF-8 wc -L 2>/dev/null)" = 4 ] ||
	skip "no C.UTF-8 locale (wc -L cannot measure display width)"
LC_ALL=C.UTF-8			# untranslated messages, UTF-8 text
export LC_ALL

# --- screens --------------------------------------------------------------

row() {		# row SESSION N: line N (1-based) of the screen
	cap "$1" | sed -n "$2p"
}

maxwidth() {	# maxwidth SESSION: the widest captured line, in columns
	cap "$1" | wc -L
}

lines() {	# lines SESSION: how many lines the capture has
	cap "$1" | wc -l
}

# oneline TEXT: its lines joined by spaces
oneline() {
	printf '%s' "$1" | tr '\n' ' '
}

# width_of TEXT: display columns.
width_of() {
	printf '%s' "$1" | wc -L
}

# pass WORDS...: ok, the words joined (long descriptions over lines)
pass() {
	ok "$*"
}

# problem WORDS...: one problem (problems+=), the words joined
problem() {
	problems+=("$*")
}

# message SESSION: the two bottom lines joined (a long message takes both)
message() {
	cap "$1" | tail -n 2 | tr -d '\n'
}

# selected SESSION: the lines shown in reverse video (the selection), each
# "ROW:TEXT" (ROW 1-based), attributes stripped.
selected() {
	tm capture-pane -p -e -t "$1" 2>/dev/null |
	    grep -anP '^(\e\[[0-9;]*m)*\e\[([0-9]*;)*7(;[0-9]*)*m' |
	    sed 's/\x1b\[[0-9;]*m//g' || true
}

# sel_line SESSION: "ROW NO" of the selected row holding a case number
# (NO as the queue says it at 80 columns), "" when none.
sel_line() {
	local l no
	l=$(selected "$1" | grep -E '^[0-9]+:[ !~+#^]?[0-9]{3}' |
	    head -n 1) || true
	[ -n "$l" ] || return 0
	no=$(printf '%s\n' "${l#*:}" | grep -oE \
	    '[0-9]{6}-[0-9]{8}-[0-9]{5}|[0-9]{3}-[0-9]{4}-[0-9]{5}' |
	    head -n 1) || true
	[ ${#no} -ne 21 ] || no=$(short "$no")
	echo "${l%%:*} $no"
}

# sel_no SESSION: the number on the selected row (short form)
sel_no() {
	local s
	s=$(sel_line "$1")
	echo "${s#* }"
}

sel_row() {	# sel_row SESSION ROW: the selection is on screen row ROW
	local s
	s=$(sel_line "$1")
	[ "${s%% *}" = "$2" ]
}

sel_is() {	# sel_is SESSION NO: the selected row is case NO
	[ "$(sel_no "$1")" = "$(short "$2")" ]
}

# queue_rows SESSION: the queue's lines (80 columns: short numbers)
queue_rows() {
	cap "$1" | grep -E '^[ !~+#^][0-9]{3}-[0-9]{4}-[0-9]{5} ' || true
}

# typecmd SESSION TEXT: `:TEXT` and Enter
typecmd() {
	tm send-keys -t "$1" :
	tm send-keys -t "$1" -l "$2"
	tm send-keys -t "$1" Enter
}

at_queue() {	# at_queue SESSION: the queue's header is on the screen
	screen_has "$1" '^number +prio +state'
}

# --- the console ------------------------------------------------------------

# the console command line for operator $1 (no quotes in the paths); more
# environment (LANGUAGE=zh_CN) in $2
console_cmd() {
	printf "exec env LC_ALL=C.UTF-8 LANG=C.UTF-8 %s GRIDLINE_DATA='%s' '%s' --no-start --run-dir '%s' --operator '%s'" \
	    "${2:-}" "$GL_DATA" "$GRIDLINE" "$RUN" "$1"
}

# start_console SESSION COLS ROWS OPERATOR [ENV]: a console in its own
# session; 0 once it has loaded the open cases.
start_console() {
	tm new-session -d -s "$1" -x "$2" -y "$3" "$(console_cmd "$4" "${5:-}")"
	wait_screen "$1" 'open cases loaded|个未结案件' 5000
}

# open_case SESSION NO: `:case NO` (spoken form); 0 once its view shows.
open_case() {
	typecmd "$1" "case $(short "$2")"
	wait_screen "$1" "$2  [a-z_ ]+  v[0-9]+" 3000
}

# select_case SESSION NO: select NO in the queue (its view opened by
# :case, then closed); 0 once its row is the selected one.
select_case() {
	open_case "$1" "$2" || return 1
	tm send-keys -t "$1" Escape
	wait_cmd 3000 sel_is "$1" "$2"
}

# click SESSION COL ROW: a click of button 1 at COL, ROW (1-based), as a
# terminal in X10 mouse mode sends it: press, then release.
click() {
	local bytes
	read -ra bytes < <(printf '1b 5b 4d %x %x %x 1b 5b 4d %x %x %x\n' \
	    32 $((32 + $2)) $((32 + $3)) 35 $((32 + $2)) $((32 + $3)))
	tm send-keys -t "$1" -H "${bytes[@]}"
}

# --- the server ---------------------------------------------------------------

# flat JSON: no spaces or newlines, to grep field pairs
flat() {
	tr -d ' \n'
}

# ingest JSON: send, print the case numbers of the reply; 1 unless ok.
ingest() {
	local rep
	rep=$(send "$1" 5)
	case $rep in
	'{"ok":true'*) ;;
	*) echo "ingest failed: $rep" >&2; return 1 ;;
	esac
	printf '%s\n' "$rep" | grep -o '"case":"[^"]*"' | cut -d'"' -f4
}

now_rfc() {
	date -u +%Y-%m-%dT%H:%M:%SZ
}

incident() {	# incident ID GRID CATEGORY SUMMARY [REPORTER]
	printf '{"id":"%s","grid":"%s","category":"%s","reported_at":"%s","summary":"%s","reporter":"%s"}' \
	    "$1" "$2" "$3" "$(now_rfc)" "$4" "${5:-}"
}

short() {	# 330203-20261124-00042 -> 203-1124-00042, as the queue says
	if [ ${#1} -eq 21 ]; then
		printf '%s' "${1:3:3}-${1:11:4}-${1:16}"
	else
		printf '%s' "$1"
	fi
}

qre() {		# qre NO: the start of NO's queue line (short or whole number)
	printf '^[ !~+#^](%s|%s) ' "$(short "$1")" "$1"
}

full_re() {	# full_re SHORT: an ERE of the whole number of 203-1124-00042
	printf '[0-9]{3}%s-[0-9]{4}%s-%s' "${1:0:3}" "${1:4:4}" "${1:9}"
}

# field NO NAME: a top-level field of case NO as `ctl case` prints it
field() {
	ctl case case="$1" 2>/dev/null |
	    sed -n "s/^    \"$2\": \"*\([^\",]*\)\"*,*\$/\1/p" | head -n 1 || true
}

# act NO ACTION [KEY=VALUE...]: ACTION on NO with ctl, at its version;
# 1 unless the server says ok.
act() {
	local no=$1 a=$2 out
	shift 2
	out=$(ctl --operator 调度脚本 "$a" case="$no" \
	    version="$(field "$no" version)" "$@" 2>&1) || true
	case $out in
	*'"ok": true'*) return 0 ;;
	esac
	return 1
}

# event NO ACTION: NO's last ACTION event as `ctl case` has it, flattened
event() {
	local h
	h=$(ctl case case="$1" 2>/dev/null | flat) || true
	h=$(printf '%s\n' "$h" | grep -o "\"action\":\"$2\"[^}]*") || true
	printf '%s\n' "$h" | tail -n 1
}

state_is() {	# state_is NO STATE
	[ "$(field "$1" state)" = "$2" ]
}

# --- the run ------------------------------------------------------------------

start_daemon || die "the server did not start"

OP_A=王调度
OP_B=欧阳值班调度员长名字测试
GRID_A=330203003001001		# 西门街道
start_console a 80 24 "$OP_A" || { dump a; die "console A did not load"; }

# --- 1: a new incident shows without a keypress -------------------------------
S1='望京路与中山西路口井盖缺失，有行人绊倒风险'
t0=$(now_ms)
X=$(ingest "$(incident c1 "$GRID_A" 1103 "$S1" 张三)") || X=
if [ -n "$X" ] && wait_screen a "$(qre "$X").*望京路与中山西路" 2000; then
	t1=$(($(now_ms) - t0))
	l=$(cap a | grep -E "$(qre "$X")")
	if [ "$(width_of "$l")" -le 80 ] && printf '%s\n' "$l" | grep -q '…'; then
		ok "incident on an open console after $t1 ms, summary cut"
	else
		notok "the line of $X is not cut to 80 columns with …" "$l"
	fi
else
	notok "incident $X not on console A within 2 s" "$(dump a)"
fi

# --- 2: Chinese text never runs past the right edge ---------------------------
start_console b 200 50 "$OP_B" || { dump b; die "console B did not load"; }
LONG='环杭州湾创新中心第一社区业主反映：小区东门外人行道上的窨井盖缺失已经超过三天，夜间照明不足，老人和孩子经过时多次险些绊倒，请尽快派人修复并设置警示标志，同时排查周边其他井盖是否松动'
items=
for i in 1 2 3 4 5 6 7 8 9 10; do
	g=330282404001001		# 环杭州湾创新中心, 8 characters
	[ $((i % 2)) = 0 ] && g=330282403001001	# 高新技术产业园区
	c=0104				# 业主大会和业主委员会运作, 12
	[ $((i % 3)) = 0 ] && c=1305	# 户外广告牌松动脱落隐患, urgent
	items=$items${items:+,}$(incident "w$i" "$g" "$c" "第${i}号：$LONG" \
	    欧阳某某某某某某某某某某某某某某)
done
ingest "[$items]" >/dev/null || true
shows_long() {	# shows_long SESSION: all 10 long cases are on the screen
	[ "$(cap "$1" | grep -c "号：")" -ge 10 ]
}
problems=()
wait_cmd 3000 shows_long a ||
	problems+=("A does not show the 10 long cases")
wait_cmd 3000 shows_long b ||
	problems+=("B does not show the 10 long cases")
check_width() {	# check_width SESSION COLS ROWS WHAT
	local w l
	w=$(maxwidth "$1")
	l=$(lines "$1")
	[ "$w" -le "$2" ] || problems+=("$4: a line $w columns wide (window $2)")
	[ "$l" -eq "$3" ] || problems+=("$4: $l lines, not $3 (a line wrapped?)")
}
check_width a 80 24 "A queue 80x24"
check_width b 200 50 "B queue 200x50"
# the case view of a long case: full screen at 80, beside the queue at 200
tm send-keys -t a G Enter
wait_screen a '^Summary: 第' 3000 || problems+=("A: no case view")
check_width a 80 24 "A case view 80x24"
# B: the first case (the short one) selected, then in one go the next (a
# long one) and its view; the queue was drawn at full width until then
tm send-keys -t b g
sleep 0.3
tm send-keys -t b j Enter
wait_screen b 'Summary: 第' 3000 || problems+=("B: no case view")
check_width b 200 50 "B case view 200x50"
if [ ${#problems[@]} -eq 0 ]; then
	ok "no line wider than the window at 80x24 and 200x50"
else
	notok "lines too wide or wrapped" "${problems[@]}" "A:" "$(dump a)" \
	    "B:" "$(dump b)"
fi

# --- 9 (run now, while B shows the view beside its queue) ---------------------
# B drew its queue at full width first, then the view opened beside it.
view9=()
bcol=$((200 - 64))
while IFS= read -r l; do
	for lab in 'Matter:' 'Place:' 'Reported:' 'Agency:' 'Suggested lead:' \
	    'Summary:' 'History'; do
		case $l in
		*"$lab"*)
			pre=${l%%"$lab"*}
			w=$(width_of "$pre")
			[ "$w" -eq "$bcol" ] ||
				view9+=("'$lab' at column $w, not $bcol: $l")
			;;
		esac
	done
done < <(cap b)
tm send-keys -t a q		# close the views again
tm send-keys -t b q
wait_cmd 2000 at_queue a || true
wait_cmd 2000 at_queue b || true

# --- 3: a dispatch by keys reaches the second console -------------------------
# Both open X's case view with :case; A registers and dispatches there.
problems=()
view10=()
open_case b "$X" || view10+=("B: :case did not open the view of $X")
wait_screen b "$X  reported  v1" 3000 ||
	view10+=("B: case view of $X at reported v1 missing")
open_case a "$X" || problems+=("A: :case did not open the view of $X")
wait_screen a "^$X  reported  v1" 3000 ||
	problems+=("A: case view of $X at reported v1 missing")
tm send-keys -t a r
wait_screen a "done: register $X, now registered \\(v2\\)" 3000 ||
	problems+=("A: register by key did not land")
t0=$(now_ms)
tm send-keys -t a d
if wait_screen b "$(qre "$X").*dispatc" 2000; then
	t3=$(($(now_ms) - t0))
else
	problems+=("B: no dispatched line for $X within 2 s")
fi
rep=$(ctl case case="$X" | flat) || true
case $rep in
*'"state":"dispatched"'*) ;;
*) problems+=("server: $X is not dispatched") ;;
esac
case $rep in
*"\"actor\":\"$OP_A\",\"action\":\"dispatch\""*) ;;
*) problems+=("server: no dispatch by $OP_A in the history of $X") ;;
esac
# 10: the case view B has open follows (checked after B's queue line)
if [ ${#view10[@]} -eq 0 ] &&
    ! wait_screen b "$X  dispatched  v3" 2000; then
	view10+=("B's open case view of $X does not show dispatched v3" \
	    "$(dump b)")
fi
if [ ${#problems[@]} -eq 0 ]; then
	ok "dispatch by keys on A shows on B after ${t3} ms, server agrees"
else
	notok "dispatch by keys" "${problems[@]}" "A:" "$(dump a)" "B:" \
	    "$(dump b)"
fi
tm send-keys -t a q		# close the case views
tm send-keys -t b q
wait_cmd 2000 at_queue a || true
wait_cmd 2000 at_queue b || true

# --- 4: a conflict between two consoles --------------------------------------
# Both consoles open case Y at v1. The server is stopped (SIGSTOP) for half
# a second; meanwhile `r` is pressed on A, then on B: each console sends
# its register with the version it shows, v1, and neither can hear of the
# other's before the server runs again. On SIGCONT the server takes one
# first (which one is up to nanomsg's fair queueing): that console says
# done, the other that nothing changed, naming the winner, and shows Y as
# it now is; the server holds exactly one register. (The cleanup sends
# SIGCONT too, should the script end while the server is stopped.)
problems=()
Y=$(ingest "$(incident c4 "$GRID_A" 1103 "冲突测试：中山西路人行道护栏倒伏")") || Y=
for s in a b; do
	wait_screen $s "$(qre "$Y")" 2000 || problems+=("$s does not show $Y")
	open_case $s "$Y" || problems+=("$s: :case did not open $Y")
	wait_screen $s "$Y  reported  v1" 3000 ||
		problems+=("$s: case view of $Y at v1 missing")
done
spid=$(lock_pid "$RUN")
kill -STOP "$spid"
tm send-keys -t a r
sleep 0.2
tm send-keys -t b r
sleep 0.3
kill -CONT "$spid"
winner='' loser='' wop=''
for s in a b; do
	wait_screen $s 'done: register|not changed|cannot' 3000 ||
		problems+=("$s: no answer to its register")
done
if screen_has a "done: register $Y, now registered \\(v2\\)"; then
	winner=a loser=b wop=$OP_A
elif screen_has b "done: register $Y, now registered \\(v2\\)"; then
	winner=b loser=a wop=$OP_B
else
	problems+=("neither console registered $Y")
fi
if [ -n "$winner" ]; then
	m=$(message $loser)
	case $m in
	*"$Y"*"not changed"*"$wop"*) ;;
	*) problems+=("the loser ($loser) does not say that $wop was first: $m") ;;
	esac
	for s in a b; do
		wait_screen $s "$Y  registered  v2" 2000 ||
			problems+=("$s: case view does not show $Y at registered v2")
	done
fi
rep=$(ctl case case="$Y" | flat) || true
nreg=$(printf '%s' "$rep" | grep -o '"action":"register"' | wc -l)
[ "$nreg" -eq 1 ] || problems+=("server: $nreg register events for $Y, not 1")
case $rep in
*"\"actor\":\"${wop:-?}\",\"action\":\"register\""*) ;;
*) problems+=("server: the register of $Y is not the winner's (${wop:-?})") ;;
esac
case $rep in
*'"version":2,"state":"registered"'*) ;;
*) problems+=("server: $Y is not registered at v2") ;;
esac
tm send-keys -t a q		# close the views
tm send-keys -t b q
for s in a b; do
	wait_screen $s "$(qre "$Y").*registe" 2000 ||
		problems+=("$s: queue does not show $Y as registered")
done
if [ ${#problems[@]} -eq 0 ]; then
	pass "conflict: $winner registered $Y, $loser said $wop was first," \
	    "server changed once"
else
	notok "conflict between consoles" "${problems[@]}" "A:" "$(dump a)" \
	    "B:" "$(dump b)"
fi

# --- 5: resize and back -------------------------------------------------------
BAR_COUNTS=' open [0-9]+  new [0-9]+  to assign [0-9]+  late [0-9]+  in hand [0-9]+ '
layout_ok() {	# layout_ok SESSION COLS ROWS
	local s bar
	s=$(cap "$1")
	[ "$(printf '%s\n' "$s" | wc -l)" -eq "$3" ] || return 1
	[ "$(printf '%s\n' "$s" | wc -L)" -le "$2" ] || return 1
	# the top bar spans the width, every count in it, and ends with the
	# link state; the centre's name first when there is room
	bar=$(printf '%s\n' "$s" | sed -n 1p)
	printf '%s\n' "$bar" | grep -Eq "$BAR_COUNTS.*online \$" || return 1
	[ "$2" -lt 200 ] || case $bar in ' Ningbo command centre'*) ;;
	*) return 1 ;; esac
	[ "$(width_of "$bar")" -eq "$2" ] || return 1
	# the key line and the message line are the last two rows
	printf '%s\n' "$s" | sed -n "$(($3 - 1))p" | grep -q '^ ?:help' ||
		return 1
	printf '%s\n' "$s" | sed -n "$3p" | grep -q '[^ ]' || return 1
	# the queue still shows its cases
	printf '%s\n' "$s" | grep -Eq "$(qre "$X")" || return 1
}
problems=()
tm resize-window -t a -x 200 -y 50
wait_cmd 2000 layout_ok a 200 50 || problems+=("200x50: layout wrong" \
    "$(dump a)")
tm resize-window -t a -x 80 -y 24
wait_cmd 2000 layout_ok a 80 24 || problems+=("back at 80x24: layout wrong" \
    "$(dump a)")
if [ ${#problems[@]} -eq 0 ]; then
	ok "resize to 200x50 and back to 80x24 relays out"
else
	notok "resize" "${problems[@]}"
fi

# --- 6: the server goes away and comes back -----------------------------------
problems=()
queue_nos() {	# the case numbers on the queue of SESSION
	# a line: a one-character mark (! ~ ^ + # or blank), the number
	queue_rows "$1" | cut -c2-16
}
before=$(queue_nos a | sort)
spid=$(lock_pid "$RUN")
kill -9 "$spid"
t0=$(now_ms)
if wait_screen a 'OFFLINE' 4000; then
	toff=$(($(now_ms) - t0))
else
	problems+=("no OFFLINE within 4 s")
fi
[ "$(queue_nos a | sort)" = "$before" ] ||
	problems+=("offline, the queue no longer shows the last state")
wait_gone "$spid" 4000 || true
start_daemon || problems+=("the server did not restart")
Z=$(ingest "$(incident c6 "$GRID_A" 1103 '重启之后新到的案件：药行街路灯不亮')") || Z=
t0=$(now_ms)
if [ -n "$Z" ] && wait_screen a "$(qre "$Z").*重启之后新到" 4000; then
	tz=$(($(now_ms) - t0))
else
	problems+=("$Z not on A within 4 s of the restart")
fi
wait_screen a 'online' 2000 || problems+=("A does not say online again")
snap=$(ctl --tsv snapshot limit=2000) || true
want=$(printf '%s\n' "$snap" | cut -f1 | grep . | while read -r no; do
	echo "$(short "$no") "; done | sort)
got=$(queue_nos a | sort)
dups=$(printf '%s\n' "$got" | uniq -d)
[ -z "$dups" ] || problems+=("cases shown twice: $dups")
[ "$got" = "$want" ] || problems+=("queue != server's open cases" \
    "queue: $(oneline "$got")" "server: $(oneline "$want")")
nnew=$(printf '%s\n' "$snap" | awk -F'\t' '$2 == "reported"' | wc -l)
nun=$(printf '%s\n' "$snap" | awk -F'\t' '$2 == "registered" ||
    $2 == "returned" || $2 == "escalated"' | wc -l)
bar=$(row a 1)
case $bar in
*" new $nnew  to assign $nun "*) ;;
*) problems+=("top bar counts wrong: want new $nnew to assign $nun: $bar") ;;
esac
if [ ${#problems[@]} -eq 0 ]; then
	pass "OFFLINE after ${toff} ms; after the restart the new case in" \
	    "${tz} ms, counts right"
else
	notok "server kill and restart" "${problems[@]}" "$(dump a)"
fi
tm kill-session -t a
tm kill-session -t b

# --- 7 and 8: every exit path restores the terminal ---------------------------
# An interactive bash prints a mark, then runs a small sh script: an inner
# sh writes its pid and execs the console; when the console is gone the
# outer sh, which never touches the terminal itself, prints `stty -a` as
# the console left it. (bash itself would not do: it puts back its own
# terminal settings when a job dies of a signal.) Then, back at the bash
# prompt, tmux says whether the alternate screen was left and the cursor
# shown again, and the mark must be on the screen again.
cat >"$tmp/in-shell.sh" <<'SH'
pidfile=$1
shift
sh -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@"
echo STTY-BEGIN
stty -a
echo STTY-END
SH

shell_console() {	# shell_console SESSION
	tm new-session -d -s "$1" -x 100 -y 40 \
	    "env -i PATH='$PATH' HOME='$tmp' TERM=screen PS1='$ ' LC_ALL=C.UTF-8 bash --norc --noprofile -i"
	wait_screen "$1" '^\$ ' 3000 || return 1
	tm send-keys -t "$1" -l "echo 'MARK-''$1'"
	tm send-keys -t "$1" Enter
	wait_screen "$1" "^MARK-$1\$" 3000 || return 1
	tm send-keys -t "$1" -l "sh $tmp/in-shell.sh $tmp/$1.pid env LC_ALL=C.UTF-8 LANG=C.UTF-8 GRIDLINE_DATA=$GL_DATA $GRIDLINE --no-start --run-dir $RUN --operator exit-test"
	tm send-keys -t "$1" Enter
	wait_screen "$1" 'open cases loaded' 5000
}

# tty_normal SESSION: the problems with the shell's terminal, if any.
tty_normal() {
	local s st
	wait_screen "$1" 'STTY-END' 3000 || { echo "stty did not run"; return; }
	st=$(cap "$1" | sed -n '/STTY-BEGIN/,/STTY-END/p')
	printf '%s\n' "$st" | grep -Eq '(^| )icanon( |$)' ||
		echo "stty: not icanon: $(oneline "$st")"
	printf '%s\n' "$st" | grep -Eq '(^| )echo( |$)' ||
		echo "stty: not echo: $(oneline "$st")"
	wait_screen "$1" '^\$ ?$' 3000 || echo "no shell prompt after the console"
	s=$(tm display-message -p -t "$1" '#{alternate_on} #{cursor_flag}')
	[ "${s%% *}" = 0 ] || echo "still on the alternate screen"
	[ "${s##* }" = 1 ] || echo "the cursor is hidden"
	screen_has "$1" "^MARK-$1\$" ||
		echo "the shell's earlier output is not visible again"
}

QUESTION='Leave the console\? \(y: leave, any other key: stay\)'
problems=()
if shell_console q; then
	pq=$(tr -dc '0-9' <"$tmp/q.pid")
	tm send-keys -t q q
	wait_screen q "$QUESTION" 2000 ||
		problems+=("q at the queue did not ask: $(message q)")
	tm send-keys -t q n
	wait_cmd 2000 eval '! screen_has q "$QUESTION"' ||
		problems+=("n did not answer the question")
	sleep 0.2
	alive "$pq" || problems+=("n left the console")
	screen_has q '^number +prio +state' ||
		problems+=("after n the queue is not shown")
	[ ${#problems[@]} -eq 0 ] || problems+=("$(dump q)")
	tm send-keys -t q q
	wait_screen q "$QUESTION" 2000 ||
		problems+=("q did not ask the second time")
	tm send-keys -t q y
	while IFS= read -r l; do problems+=("$l"); done < <(tty_normal q)
	! alive "$pq" || problems+=("q then y did not end the console")
else
	problems+=("the console did not start from bash")
fi
if [ ${#problems[@]} -eq 0 ]; then
	pass "q asks, n stays, q y restores the terminal (main screen," \
	    "cursor, icanon, echo)"
else
	notok "q at the queue: the question or the terminal afterwards" \
	    "${problems[@]}" "$(dump q)"
fi

problems=()
if shell_console t; then
	pt=$(tr -dc '0-9' <"$tmp/t.pid")
	kill -TERM "$pt"
	while IFS= read -r l; do problems+=("$l"); done < <(tty_normal t)
	! kill -0 "$pt" 2>/dev/null ||
		problems+=("the console did not exit on SIGTERM")
else
	problems+=("the console did not start from bash")
fi
if [ ${#problems[@]} -eq 0 ]; then
	ok "SIGTERM restores the terminal (main screen, cursor, icanon, echo)"
else
	notok "SIGTERM leaves the terminal wrong" "${problems[@]}" "$(dump t)"
fi
tm kill-session -t q 2>/dev/null || true
tm kill-session -t t 2>/dev/null || true

# --- 9 and 10: measured above, reported in order ------------------------------
if [ ${#view9[@]} -eq 0 ]; then
	ok "case view beside the queue starts at column $bcol, gap blank"
else
	notok "case view beside the queue is shifted by leftovers of the queue" \
	    "${view9[@]}"
fi

if [ ${#view10[@]} -eq 0 ]; then
	ok "an open case view follows a change made on another console"
else
	notok "an open case view stays stale after another console's change" \
	    "${view10[@]}"
fi

# --- 11-25: a new console C at 80x24, new cases -------------------------------
# P1-P4 in 南门街道 (the filter and the selection after an action), V to
# close, R to return, W to void by keys, H with a long history, F1 to void
# with ctl, M1 to merge into M2.
GRID_NM=330203001001001		# 南门街道
GRID_JX=330203002001001		# 江厦街道
GRID_YH=330203004001001		# 月湖街道
GRID_GL=330203005001001		# 鼓楼街道
items=
for i in 1 2 3 4; do
	items=$items${items:+,}$(incident "p$i" $GRID_NM 1302 "次序测试第${i}件：流动摊贩占道")
done
items=$items,$(incident v1 $GRID_JX 1103 "结案测试：井盖已补")
items=$items,$(incident r1 $GRID_JX 1302 "退单测试：摊贩不归我们管")
items=$items,$(incident x1 $GRID_JX 0104 "作废测试：重复的业委会投诉")
items=$items,$(incident h1 $GRID_YH 1302 "督办测试：三十次督办")
items=$items,$(incident f1 $GRID_GL 1302 "作废测试二：误报")
items=$items,$(incident m1 $GRID_GL 0104 "合并测试一：同一件事")
items=$items,$(incident m2 $GRID_GL 0104 "合并测试二：同一件事")
nos=()
mapfile -t nos < <(ingest "[$items]" || true)
[ ${#nos[@]} -eq 11 ] || die "ingest of the 11 new cases: got ${#nos[@]}"
P=("${nos[@]:0:4}")
V=${nos[4]} R=${nos[5]} W=${nos[6]} H=${nos[7]} F1=${nos[8]} M1=${nos[9]}
M2=${nos[10]}
# the server's side first: V to verified, R and H dispatched to their
# lead, 30 presses of H (33 events in all), F1 voided, M1 merged into M2
drive() {	# drive NO ACTION...: each ACTION in turn; dies on a refusal
	local no=$1 a
	shift
	for a in "$@"; do
		case $a in
		dispatch) act "$no" dispatch agency="$(ctl case case="$no" |
		    sed -n 's/^      "lead": "\([^"]*\)".*/\1/p' | head -n 1)" ;;
		*) act "$no" "$a" ;;
		esac || die "ctl $a $no refused"
	done
}
drive "$V" register dispatch acknowledge start feedback verify
drive "$R" register dispatch
drive "$H" register dispatch
hv=$(field "$H" version)
for i in $(seq 1 30); do
	out=$(ctl --operator 调度脚本 press case="$H" \
	    version=$((hv + i - 1)) reason="$(printf 'p%02d' "$i")" 2>&1) ||
		true
	case $out in
	*'"ok": true'*) ;;
	*) die "press $i of $H refused: $out" ;;
	esac
done
act "$F1" void reason=误报作废 || die "void of $F1 refused"
act "$M1" merge target="$M2" || die "merge of $M1 into $M2 refused"

start_console c 80 24 测试员 || { dump c; die "console C did not load"; }
wait_screen c "$(qre "${P[3]}")" 3000 || { dump c; die "C does not show ${P[3]}"; }

# --- 11: backing out of every view with every key -----------------------------
# A case in the middle of the queue selected (g, j, j): each view opened
# over the queue and closed again must leave the same case on the same row.
open_view() {	# open_view SESSION VIEW: 0 once VIEW is on top
	case $2 in
	case)	tm send-keys -t "$1" Enter
		wait_screen "$1" '^[0-9]{6}-[0-9]{8}-[0-9]{5}  [a-z_ ]+  v[0-9]+' 3000 ;;
	board)	tm send-keys -t "$1" b
		wait_screen "$1" '^agency +open' 3000 ;;
	help)	tm send-keys -t "$1" '?'
		wait_screen "$1" '^ help ' 3000 ;;
	results) tm send-keys -t "$1" /
		tm send-keys -t "$1" -l 次序测试
		tm send-keys -t "$1" Enter
		wait_screen "$1" "^ search '次序测试': [1-9]" 3000 ;;
	finished) tm send-keys -t "$1" F
		wait_screen "$1" '^ closed, voided and merged cases' 3000 ;;
	esac
}
problems=()
tm send-keys -t c g
wait_cmd 2000 sel_row c 3 || true
tm send-keys -t c j j
wait_cmd 2000 sel_row c 5 || true
sel0=$(sel_line c)
body() {	# body SESSION: the view's rows, without the clock and messages
	# (the time left, which moves by the minute, as T)
	cap "$1" | sed -n '2,22p' | sed -E 's/ *$//; s/-?[0-9]+(d[0-9]+h|h[0-9]+)/T/g'
}
body0=$(body c)
case $sel0 in
[0-9]*' '[0-9]*) ;;
*) problems+=("no selected row to start from: '$sel0'" "$(dump c)") ;;
esac
[ ${#problems[@]} -ne 0 ] || for view in case board help results finished; do
	for key in q Escape h Left BSpace; do
		if ! open_view c $view; then
			problems+=("$view did not open" "$(dump c)")
			continue 2
		fi
		tm send-keys -t c $key
		if ! wait_cmd 2000 at_queue c; then
			problems+=("$key in the $view view: not back at the queue" \
			    "$(dump c)")
			tm send-keys -t c Escape	# try to go on
			wait_cmd 1000 at_queue c || break 2
			continue
		fi
		s=$(sel_line c)
		[ "$s" = "$sel0" ] || problems+=("$key in the $view view: \
selected row:case '$s', before '$sel0'")
		# nothing of the closed view is left on the screen
		wait_cmd 1000 eval '[ "$(body c)" = "$body0" ]' ||
			problems+=("after $key in the $view view the queue" \
			    "is not as it was:" "$(diff <(echo "$body0") \
			    <(body c) || true)")
	done
done
if [ ${#problems[@]} -eq 0 ]; then
	pass "q, Escape, h, Left, Backspace close case view, board, help," \
	    "results, finished; selection kept ($sel0)"
else
	notok "backing out of the views" "${problems[@]}"
fi

# --- 12: close (结案) by key --------------------------------------------------
problems=()
select_case c "$V" || problems+=("could not select $V")
wait_screen c "$(qre "$V").*verified" 2000 ||
	problems+=("the queue does not show $V as verified")
tm send-keys -t c c
wait_cmd 3000 state_is "$V" closed ||
	problems+=("after c, ctl says $V is $(field "$V" state), not closed" \
	    "$(dump c)")
if [ ${#problems[@]} -eq 0 ]; then
	ok "c on a verified case closes it (结案)"
else
	notok "close by key" "${problems[@]}"
fi

# --- 13: the reason picker ----------------------------------------------------
CODES='wrong_area unclear_ownership overlapping_duty not_our_duty incomplete other'
problems=()
select_case c "$R" || problems+=("could not select $R")
wait_screen c "$(qre "$R").*dispatc" 2000 ||
	problems+=("the queue does not show $R as dispatched")
tm send-keys -t c x
if wait_screen c '^ why is it not yours' 2000; then
	for code in $CODES; do
		screen_has c "^  $code " || problems+=("the picker lacks $code")
	done
	tm send-keys -t c -l not
	wait_screen c '^> not_' 2000 || problems+=("typing not: not shown")
	for code in $CODES; do
		[ "$code" = not_our_duty ] && continue
		! screen_has c "^  $code " ||
			problems+=("after 'not' the picker still lists $code")
	done
	screen_has c '^  not_our_duty ' ||
		problems+=("after 'not' not_our_duty is gone")
	[ ${#problems[@]} -eq 0 ] || problems+=("$(dump c)")
	tm send-keys -t c Enter
	wait_cmd 3000 state_is "$R" returned ||
		problems+=("after Enter $R is $(field "$R" state), not returned")
	case $(event "$R" return) in
	*'"reason_code":"not_our_duty"'*) ;;
	*) problem "no return with reason_code not_our_duty in the" \
	    "history: $(event "$R" return)" ;;
	esac
else
	problems+=("x did not open the reason picker" "$(dump c)")
fi
if [ ${#problems[@]} -eq 0 ]; then
	pass "x lists the six reasons, 'not' narrows to not_our_duty," \
	    "Enter returns with it"
else
	notok "the reason picker" "${problems[@]}"
fi
wait_cmd 2000 at_queue c || tm send-keys -t c Escape

# --- 14: void asks first ------------------------------------------------------
void_keys() {	# void_keys ANSWER: X, a reason, Enter, ANSWER
	tm send-keys -t c X
	wait_screen c '^:void' 2000 ||
		{ problems+=("X did not ask for the reason: $(message c)"); return; }
	tm send-keys -t c -l 重复上报测试
	tm send-keys -t c Enter
	wait_screen c "Void case $(short "$W")\\? .*\\(y/n\\)" 2000 ||
		{ problems+=("no y/n question after the reason: $(message c)");
		  return; }
	tm send-keys -t c "$1"
}
problems=()
select_case c "$W" || problems+=("could not select $W")
wv=$(field "$W" version)
void_keys n
wait_screen c 'cancelled' 2000 || problems+=("n: no 'cancelled'")
sleep 0.3
[ "$(field "$W" state)/$(field "$W" version)" = "reported/$wv" ] ||
	problem "after n: $W is $(field "$W" state)" \
	    "v$(field "$W" version), not reported v$wv"
sel_is c "$W" || problems+=("after n the selection left $W")
void_keys y
wait_cmd 3000 state_is "$W" voided ||
	problems+=("after y: $W is $(field "$W" state), not voided")
case $(event "$W" void) in
*'"reason":"重复上报测试"'*) ;;
*) problems+=("the void in the history lacks the reason typed: $(event "$W" void)") ;;
esac
if [ ${#problems[@]} -eq 0 ]; then
	ok "X asks for a reason, then y/n: n leaves $W as it was, y voids it"
else
	notok "void confirmation" "${problems[@]}" "$(dump c)"
fi

# --- 15: the filter header ----------------------------------------------------
problems=()
typecmd c "filter 南门街道"
if wait_screen c '[0-9]+ of [0-9]+ · filter: 南门街道' 2000; then
	h=$(row c 2)
	open=$(row c 1 | sed -nE 's/.* open ([0-9]+) .*/\1/p')
	grep -Eq " 4 of $open · filter: 南门街道 ?\$" <<<"$h" ||
		problems+=("header: want '4 of $open · filter: 南门街道': $h")
	n=$(queue_rows c | wc -l)
	[ "$n" -eq 4 ] || problems+=("$n rows under the filter, not 4")
else
	problems+=("no 'N of M · filter: 南门街道' in the header")
fi
[ ${#problems[@]} -eq 0 ] || problems+=("$(dump c)")
typecmd c "filter 无此街道名"
if wait_screen c ' 0 of [0-9]+ · filter: 无此街道名' 2000; then
	screen_has c 'no case passes the filter' ||
		problems+=("an empty filter does not say no case passes it")
	! screen_has c 'no open cases' ||
		problems+=("an empty filter says 'no open cases'")
else
	problems+=("no '0 of M · filter: 无此街道名' in the header")
fi
tm send-keys -t c Escape
wait_cmd 2000 eval '! screen_has c "filter:"' ||
	problems+=("Esc at the queue did not clear the filter")
if [ ${#problems[@]} -eq 0 ]; then
	pass "filter header '4 of $open · filter: 南门街道', an empty filter" \
	    "says so, Esc clears"
else
	notok "filter header" "${problems[@]}" "$(dump c)"
fi

# --- 16: a district name as a filter word -------------------------------------
typecmd c "filter 慈溪市"
if wait_screen c ' 10 of [0-9]+ · filter: 慈溪市' 2000; then
	ok "a district name (慈溪市) filters to its 10 cases"
else
	notok "a district name is no filter word" "$(dump c)"
fi
tm send-keys -t c Escape
wait_cmd 2000 eval '! screen_has c "filter:"' || true

# --- 17: the selection after an action ----------------------------------------
problems=()
typecmd c "filter 南门街道"
wait_screen c ' 4 of [0-9]+ · filter: 南门街道' 2000 || problems+=("filter did not apply")
tm send-keys -t c g
wait_cmd 2000 sel_row c 3 || true
tm send-keys -t c j
wait_cmd 2000 sel_row c 4 || true
mapfile -t rows < <(queue_rows c | cut -c2-15)
second=${rows[1]:-} third=${rows[2]:-}
[ -n "$third" ] && [ "$(sel_no c)" = "$second" ] ||
	problems+=("the 2nd row ($second) is not the selected one ($(sel_no c))")
tm send-keys -t c r
wait_screen c "done: register $(full_re "$second"), now registered" 3000 ||
	problems+=("r on $second did not land: $(message c)")
wait_cmd 1000 sel_is c "$third" ||
	problems+=("after r the selection is $(sel_no c), not $third (the 3rd before)")
if [ ${#problems[@]} -eq 0 ]; then
	ok "after r on the 2nd case ($second) the 3rd ($third) is selected"
else
	notok "the selection after an action" "${problems[@]}" "$(dump c)"
fi
tm send-keys -t c Escape
wait_cmd 2000 eval '! screen_has c "filter:"' || true

# --- 18: history scrolling to the last event at 80x24 -------------------------
problems=()
if open_case c "$H"; then
	tm send-keys -t c G
	wait_screen c '^history [0-9]+-33 of 33 ' 2000 ||
		problems+=("after G no 'history K-33 of 33'")
	screen_has c ' press .* p30 *$' ||
		problems+=("after G the last event (press p30) is not on the screen")
	tm send-keys -t c g
	wait_screen c '^history 1-[0-9]+ of 33 ' 2000 ||
		problems+=("after g no 'history 1-K of 33'")
	screen_has c ' ingest report' ||
		problems+=("after g the first event (ingest report) is not on the screen")
	tm send-keys -t c q
else
	problems+=(":case did not open $H")
fi
if [ ${#problems[@]} -eq 0 ]; then
	ok "a 33-event history: G shows the last event, g the first, with K-N of 33"
else
	notok "history scrolling" "${problems[@]}" "$(dump c)"
fi
wait_cmd 2000 at_queue c || true

# --- 19: :case by the spoken number -------------------------------------------
problems=()
for no in "${P[3]}" "$W"; do
	typecmd c "case $(short "$no")"
	wait_screen c "^$no  [a-z_ ]+  v[0-9]+" 2000 ||
		problems+=(":case $(short "$no") did not open its view" "$(dump c)")
	tm send-keys -t c q
	wait_cmd 2000 at_queue c || true
done
if [ ${#problems[@]} -eq 0 ]; then
	pass ":case $(short "${P[3]}") and :case $(short "$W") (voided)" \
	    "open their views"
else
	notok ":case by the spoken number" "${problems[@]}"
fi

# --- 20: the finished view ----------------------------------------------------
problems=()
tm send-keys -t c F
if wait_screen c '^ closed, voided and merged cases' 2000; then
	# the list fills when the server's page comes
	wait_screen c "^$(short "$V") " 2000 || true
	for x in "$V:closed" "$W:voided" "$F1:voided"; do
		screen_has c "^$(short "${x%%:*}") +${x#*:} " ||
			problems+=("${x%%:*} (${x#*:}) is not listed")
	done
	for no in "${P[@]}" "$H"; do
		! screen_has c "^$(short "$no") " ||
			problems+=("$no, open, is listed among the finished")
	done
else
	problems+=("F did not open the list of finished cases")
fi
if [ ${#problems[@]} -eq 0 ]; then
	ok "F lists the closed and voided cases, no open one"
else
	notok "the finished view" "${problems[@]}" "$(dump c)"
fi

# --- 21: unmerge from the finished view ---------------------------------------
problems=()
if ! screen_has c '^ closed, voided and merged cases'; then
	tm send-keys -t c F
	wait_screen c '^ closed, voided and merged cases' 2000 || true
fi
# M1's place among the list's lines (row 3 on), then g and j that often
idx=$(cap c | sed -n '3,$p' | grep -n "^$(short "$M1") " | cut -d: -f1 |
    head -n 1) || true
found=
if [ -n "$idx" ]; then
	tm send-keys -t c g
	sleep 0.2
	for i in $(seq 2 "$idx"); do
		tm send-keys -t c j
	done
	wait_cmd 2000 sel_is c "$M1" && found=1
fi
if [ -n "$found" ]; then
	tm send-keys -t c Enter
	if wait_screen c "^$M1  merged  v[0-9]+" 2000; then
		tm send-keys -t c u
		wait_screen c 'y/n|done: unmerge|unmerge' 2000 || true
		! screen_has c '\(y/n\)' || tm send-keys -t c y
		wait_cmd 3000 eval '[ "$(field "$M1" state)" != merged ]' ||
			problems+=("after u $M1 is still merged")
		[ "$(field "$M1" merged_into)" = null ] ||
			problems+=("after u $M1 is merged into $(field "$M1" merged_into)")
	else
		problems+=("Enter did not open $M1's view from F")
	fi
else
	problems+=("$M1 (merged) is not in the finished list")
fi
if [ ${#problems[@]} -eq 0 ]; then
	ok "u on a merged case opened from F unmerges it"
else
	notok "unmerge from the finished view" "${problems[@]}" "$(dump c)"
fi
for i in 1 2 3; do
	at_queue c && break
	tm send-keys -t c q
	sleep 0.2
done

# --- 22: board drill-down -----------------------------------------------------
problems=()
tm send-keys -t c b
if wait_screen c '^agency +open' 2000 && wait_cmd 2000 eval \
    '[ -n "$(row c 3 | tr -d " ")" ]'; then
	first=$(row c 3 | awk '{print $1}')
	nopen=$(row c 3 | awk '{print $2}')
	tm send-keys -t c Enter
	if wait_screen c "^number +prio .*· filter: $first" 2000; then
		screen_has c " $nopen of [0-9]+ · filter: $first ?\$" ||
			problem "the header does not say '$nopen of M ·" \
			    "filter: $first': $(row c 2)"
		n=$(queue_rows c | wc -l)
		[ "$n" -eq "$nopen" ] || problem "$n cases in the queue" \
		    "of $first, its board row said $nopen"
	else
		problems+=("Enter on $first: no queue filtered to it")
	fi
else
	problems+=("b did not show the agency board with a row")
fi
if [ ${#problems[@]} -eq 0 ]; then
	ok "b, Enter: the queue of $first ($nopen cases)"
else
	notok "board drill-down" "${problems[@]}" "$(dump c)"
fi
tm send-keys -t c Escape
wait_cmd 2000 eval 'at_queue c && ! screen_has c "filter:"' ||
	tm send-keys -t c Escape

# --- 23: English state names --------------------------------------------------
ZH_STATES='上报|立案|派遣|签收|处置|反馈|核查|结案|退单|上报上级|挂账|合并|作废'
EN_STATES='reported registered dispatched acknowledged done verified closed
    returned escalated parked merged voided'
problems=()
states=$(queue_rows c | sed -nE 's/^.{16}.{5}(.{8}).*/\1/p' | sed 's/ *$//')
[ -n "$states" ] || problems+=("no queue rows")
while IFS= read -r st; do
	[ -n "$st" ] || continue
	known=
	for w in $EN_STATES "in hand"; do
		case $w in "${st%…}"*) known=1 ;; esac
	done
	[ -n "$known" ] || problems+=("state column '$st' is no English state name")
done <<<"$states"
q=$(queue_rows c)
! grep -Eq " ($ZH_STATES) " <<<"$q" ||
	problems+=("a Chinese state name in the queue")
grep -Eq "$(qre "${P[0]}").* reported " <<<"$q" ||
	problems+=("${P[0]} does not say reported")
if [ ${#problems[@]} -eq 0 ]; then
	pass "state names in English under LC_ALL=C.UTF-8" \
	    "($(oneline "$(sort -u <<<"$states")"))"
else
	notok "state names under LC_ALL=C.UTF-8" "${problems[@]}" "$(dump c)"
fi

# --- 24: Chinese state names under LANGUAGE=zh_CN -----------------------------
problems=()
if start_console z 80 24 测试员 LANGUAGE=zh_CN; then
	wait_screen z "$(qre "${P[0]}")" 2000 || problems+=("${P[0]} not shown")
	screen_has z "$(qre "${P[0]}").* 上报 " ||
		problems+=("${P[0]} (reported) does not say 上报")
	screen_has z "$(qre "$H").* 派遣 " ||
		problems+=("$H (dispatched) does not say 派遣")
	q=$(queue_rows z)
	! grep -Eq ' (reported|registe|dispatc|returned|verified|acknowl)' <<<"$q" ||
		problems+=("an English state name in the Chinese queue")
else
	problems+=("the console did not load under LANGUAGE=zh_CN")
fi
if [ ${#problems[@]} -eq 0 ]; then
	ok "state names in Chinese under LANGUAGE=zh_CN (上报, 派遣)"
else
	notok "state names under LANGUAGE=zh_CN" "${problems[@]}" "$(dump z)"
fi
tm kill-session -t z 2>/dev/null || true

# --- 25: the mouse ------------------------------------------------------------
# Screen rows (1-based): 1 the top bar, 2 the queue's header, 3 on the
# cases. The first case selected (g), then a click on the third's row.
problems=()
tm send-keys -t c g
wait_cmd 2000 sel_row c 3 || true
target=$(row c 5 | cut -c2-15)
if [ -z "$target" ] || [ "$(sel_no c)" = "$target" ]; then
	problems+=("no unselected case on row 5 to click")
else
	click c 10 5
	wait_cmd 2000 sel_is c "$target" || problem "a click on row 5" \
	    "($target) selected row, case: $(sel_line c)"
	sleep 0.5	# not a double click
	click c 10 5
	wait_screen c "^$(full_re "$target")  [a-z_ ]+  v[0-9]+" 2000 ||
		problems+=("a click on the selected row 5 did not open $target")
	wait_cmd 500 at_queue c || tm send-keys -t c q
	wait_cmd 2000 at_queue c || true
fi
[ ${#problems[@]} -eq 0 ] || problems+=("$(dump c)")
tm send-keys -t c b
if wait_screen c '^agency +open' 2000 && wait_cmd 2000 eval \
    '[ -n "$(row c 3 | tr -d " ")" ]'; then
	first=$(row c 3 | awk '{print $1}')
	click c 5 3
	wait_screen c "· filter: $first" 2000 ||
		problems+=("a click on the board's first row ($first) did not drill in" \
		    "$(dump c)")
else
	problems+=("b did not show the agency board with a row")
fi
if [ ${#problems[@]} -eq 0 ]; then
	pass "a click selects a queue row, a click on it opens it, a click" \
	    "on a board row drills in"
else
	notok "the mouse" "${problems[@]}"
fi

finish
