#!/usr/bin/env bash
# test-console.sh: the dispatch console end to end (issue 5, "Tests").
#
# The real console runs in detached sessions of a private tmux server
# (tmux -L, no config file); keys go in with send-keys and the screen is
# read back with capture-pane, as tmux's own regress/*.sh do. One scratch
# server (serve --daemon on a scratch run dir and database) feeds it;
# incidents go in over the ingest socket with the stock nanocat, the
# server's view is read with `gridline ctl`.
#
# Checks (TAP-like lines "ok N - ..." / "not ok N - ..."):
#   1  an incident sent over ingest shows on an open console (80x24)
#      within 2 s, without a keypress, its summary cut to the width;
#   2  with 10 long Chinese summaries, long township and matter names and
#      long operator names, no captured line is wider than the window, at
#      80x24 (console A) and at 200x50 (console B), queue and case view;
#   3  register and dispatch by keys on A (r, then d once the register has
#      landed) reach B within 2 s (its queue line says 派遣) and
#      `ctl case` says dispatched, by A's operator, in the history;
#   4  a conflict: A and B both show case Y at v1; the server is stopped
#      (SIGSTOP) while `r` is pressed on A and then on B, so both send
#      v1; after SIGCONT one console says done, the other says someone
#      was first, naming the winner's operator; both then show Y as it
#      is (立案 v2, queue and case view); the server holds one register;
#   5  resize A to 200x50 and back to 80x24: the top bar spans the width,
#      the key line and the message line sit on the last two rows of the
#      new size, nothing wraps and no line is wider than the window;
#   6  kill -9 the server: A says OFFLINE within 4 s and keeps its last
#      state; restart the server on the same run dir and database, send
#      one incident: A shows it within 4 s, its queue holds each open case
#      exactly once and its counts (new, unassigned) match the server;
#   7  `q` in a console started from an interactive bash: afterwards the
#      alternate screen is left (the shell's earlier output is back, tmux
#      says alternate_on 0), the cursor is visible, and `stty -a` shows
#      icanon and echo;
#   8  SIGTERM to a console started the same way restores the terminal
#      the same way;
#   9  the case view beside the queue (200 columns): each line of the view
#      starts at its column (COLS-64) and the column between queue and
#      view is blank, whatever the queue showed there before.
#  10  a case view open on B follows the change A made (check 3): it
#      shows 派遣 v3 within 2 s, as the queue line does.
#
# Display widths come from `wc -L` under C.UTF-8 (2 columns per Chinese
# character); capture-pane -J joins wrapped lines, so a line written past
# the right edge shows up as a line wider than the window.
#
# Bounded: every wait is a poll with a deadline, nanocat and ctl run under
# timeout, the whole script takes some 10 s. The trap kills the private
# tmux server and every gridline server this script started (by the pid
# in RUN/lock) and removes the scratch directory.
#
# Exit: 0 all passed, 1 a check failed, 77 skipped (no tmux, nanocat or
# UTF-8 locale). Environment (set by `make check`): GRIDLINE, the built
# binary; GL_DATA, the shipped data directory.
set -euo pipefail

: "${GRIDLINE:?GRIDLINE must name the gridline binary}"
: "${GL_DATA:?GL_DATA must name the shipped data directory}"

skip() {
	echo "SKIP: $*" >&2
	exit 77
}
command -v tmux >/dev/null || skip "tmux is not installed"
command -v nanocat >/dev/null || skip "nanocat (nanomsg-utils) is not installed"
[ "$(printf '中…a' | LC_ALL=C.UTF-8 wc -L 2>/dev/null)" = 4 ] ||
	skip "no C.UTF-8 locale (wc -L cannot measure display width)"

export LC_ALL=C.UTF-8		# untranslated messages, UTF-8 text
export GRIDLINE_DATA=$GL_DATA
unset GRIDLINE_RUN_DIR GRIDLINE_DB TMUX

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gridline-console.XXXXXX")
export TMUX_TMPDIR=$tmp	# the private tmux server's socket goes with it
RUN=$tmp/run
DB=$tmp/db/gridline.db
LOG=$tmp/server.log
SOCK=gltest-$$-${RANDOM}
servers=()		# pids of the gridline servers started here
stopped=		# the server while stopped (SIGSTOP): continued on exit
failures=0
n=0

tm() {
	tmux -L "$SOCK" -f /dev/null "$@"
}

cleanup() {
	local p
	[ -z "$stopped" ] || kill -CONT "$stopped" 2>/dev/null || true
	tm kill-server >/dev/null 2>&1 || true
	if [ -f "$RUN/lock" ]; then
		p=$(tr -dc '0-9' <"$RUN/lock" 2>/dev/null || true)
		[ -n "$p" ] && servers+=("$p")
	fi
	for p in "${servers[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	sleep 0.2
	for p in "${servers[@]}"; do
		kill -9 "$p" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

# --- reporting ----------------------------------------------------------------

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

notok() {	# notok WHAT [DETAIL...]: detail lines as "#" comments
	n=$((n + 1))
	failures=$((failures + 1))
	echo "not ok $n - $1"
	shift
	local l
	for l in "$@"; do
		printf '%s\n' "$l" | sed 's/^/#   /'
	done
}

dump() {	# dump SESSION: the screen, to stdout as comments
	cap "$1" | sed 's/^/| /'
}

now_ms() {
	date +%s%3N
}

# --- the console --------------------------------------------------------------

cap() {		# cap SESSION: the visible screen, wrapped lines joined
	tm capture-pane -p -J -t "$1" 2>/dev/null || true
}

# screen_has SESSION ERE: the screen has a line matching ERE.
screen_has() {
	cap "$1" | grep -Eq -- "$2"
}

# wait_screen SESSION ERE MS: until a line matches, at most MS ms.
wait_screen() {
	local end=$(($(now_ms) + $3))
	while :; do
		screen_has "$1" "$2" && return 0
		[ "$(now_ms)" -lt "$end" ] || return 1
		sleep 0.05
	done
}

# wait_cmd MS CMD...: until CMD succeeds, at most MS ms.
wait_cmd() {
	local end=$(($(now_ms) + $1))
	shift
	while :; do
		"$@" && return 0
		[ "$(now_ms)" -lt "$end" ] || return 1
		sleep 0.05
	done
}

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

# the console command line for operator $1 (no quotes in the paths)
console_cmd() {
	printf "exec env LC_ALL=C.UTF-8 LANG=C.UTF-8 GRIDLINE_DATA='%s' '%s' --no-start --run-dir '%s' --operator '%s'" \
	    "$GL_DATA" "$GRIDLINE" "$RUN" "$1"
}

# start_console SESSION COLS ROWS OPERATOR: a console in its own session.
start_console() {
	tm new-session -d -s "$1" -x "$2" -y "$3" "$(console_cmd "$4")"
	wait_screen "$1" 'open cases loaded' 5000
}

pane_pid() {
	tm display-message -p -t "$1" '#{pane_pid}'
}

# --- the server ---------------------------------------------------------------

start_server() {
	"$GRIDLINE" serve --daemon --run-dir "$RUN" --db "$DB" --log "$LOG" \
	    >/dev/null 2>&1 || return 1
	wait_cmd 5000 ctl_ok status || return 1
	servers+=("$(tr -dc '0-9' <"$RUN/lock")")
}

ctl_ok() {
	timeout 10 "$GRIDLINE" ctl --no-start --run-dir "$RUN" "$@" \
	    >/dev/null 2>&1
}

ctl() {		# ctl ARGS...: the reply on stdout, exit status kept
	timeout 10 "$GRIDLINE" ctl --no-start --run-dir "$RUN" "$@"
}

# flat JSON: no spaces or newlines, to grep field pairs
flat() {
	tr -d ' \n'
}

# ingest JSON: send, print the case numbers of the reply; 1 unless ok.
ingest() {
	local rep
	rep=$(timeout 5 nanocat --req --connect "ipc://$RUN/ingest.sock" -A \
	    --data "$1" 2>&1) || true
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
	printf '%s' "${1:3:3}-${1:11:4}-${1:16}"
}

# search SESSION TEXT: select the first open case whose text has TEXT.
search() {
	# first a harmless command, so that the answer awaited is this one's
	tm send-keys -t "$1" :
	tm send-keys -t "$1" -l "bell off"
	tm send-keys -t "$1" Enter
	wait_screen "$1" '^bell off' 3000 || return 1
	tm send-keys -t "$1" /
	tm send-keys -t "$1" -l "$2"
	tm send-keys -t "$1" Enter
	wait_screen "$1" '[0-9]+ found' 3000
}

# --- the run ------------------------------------------------------------------

mkdir -p "$tmp/db"
start_server || { echo "FAIL: the server did not start" >&2;
	cat "$LOG" >&2 2>/dev/null || true; exit 1; }

OP_A=王调度
OP_B=欧阳值班调度员长名字测试
GRID_A=330203003001001		# 西门街道
start_console a 80 24 "$OP_A" || {
	echo "FAIL: console A did not load" >&2; dump a; exit 1; }

# --- 1: a new incident shows without a keypress -------------------------------
S1='望京路与中山西路口井盖缺失，有行人绊倒风险'
t0=$(now_ms)
X=$(ingest "$(incident c1 "$GRID_A" 1103 "$S1" 张三)") || X=
if [ -n "$X" ] && wait_screen a "^[ !~+#^]$(short "$X") .*望京路与中山西路" 2000; then
	t1=$(($(now_ms) - t0))
	l=$(cap a | grep "^[ !~+#^]$(short "$X") ")
	if [ "$(width_of "$l")" -le 80 ] && printf '%s\n' "$l" | grep -q '…'; then
		ok "incident on an open console after $t1 ms, summary cut"
	else
		notok "the line of $X is not cut to 80 columns with …" "$l"
	fi
else
	notok "incident $X not on console A within 2 s" "$(dump a)"
fi

# --- 2: Chinese text never runs past the right edge ---------------------------
start_console b 200 50 "$OP_B" || {
	echo "FAIL: console B did not load" >&2; dump b; exit 1; }
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

# --- 9 (run now, while B shows the view beside its queue) ----------------------
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
tm send-keys -t a Enter		# close the views again
tm send-keys -t b Enter
wait_cmd 2000 eval '! screen_has a "^Summary: "' || true

# --- 3: a dispatch by keys reaches the second console --------------------------
problems=()
view10=()
search b 望京 || view10+=("B: search for 望京 gave no answer")
tm send-keys -t b Enter
wait_screen b "$X  上报  v1" 3000 || view10+=("B: case view of $X at v1 missing")
search a 望京 || problems+=("A: search for 望京 gave no answer")
tm send-keys -t a Enter
wait_screen a "^$X  上报  v1" 3000 || problems+=("A: case view of $X at v1 missing")
tm send-keys -t a r
wait_screen a "is now registered \\(v2\\)" 3000 ||
	problems+=("A: register by key did not land")
t0=$(now_ms)
tm send-keys -t a d
if wait_screen b "^[ !~+#^]$(short "$X") .*派遣" 2000; then
	t3=$(($(now_ms) - t0))
else
	problems+=("B: no 派遣 line for $X within 2 s")
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
    ! wait_screen b "$X  派遣  v3" 2000; then
	view10+=("B's open case view of $X does not show 派遣 v3" "$(dump b)")
fi
if [ ${#problems[@]} -eq 0 ]; then
	ok "dispatch by keys on A shows on B after ${t3} ms, server agrees"
else
	notok "dispatch by keys" "${problems[@]}" "A:" "$(dump a)" "B:" \
	    "$(dump b)"
fi
tm send-keys -t a Enter		# close A's view
tm send-keys -t b Enter		# close B's view

# --- 4: a conflict between two consoles --------------------------------------
# Both consoles open case Y at v1. The server is stopped (SIGSTOP) for half
# a second; meanwhile `r` is pressed on A, then on B: each console sends
# its register with the version it shows, v1, and neither can hear of the
# other's before the server runs again. On SIGCONT the server takes one
# first (which one is up to nanomsg's fair queueing): that console says
# done, the other must say someone was first, naming the winner, and show
# Y as it now is; the server holds exactly one register.
problems=()
Y=$(ingest "$(incident c4 "$GRID_A" 1103 "冲突测试：中山西路人行道护栏倒伏")") || Y=
for s in a b; do
	wait_screen $s "^[ !~+#^]$(short "$Y") " 2000 || problems+=("$s does not show $Y")
	search $s 冲突 || problems+=("$s: search for 冲突 gave no answer")
	tm send-keys -t $s Enter
	wait_screen $s "$Y  上报  v1" 3000 ||
		problems+=("$s: case view of $Y at v1 missing")
done
spid=$(tr -dc '0-9' <"$RUN/lock")
stopped=$spid
kill -STOP "$spid"
tm send-keys -t a r
sleep 0.2
tm send-keys -t b r
sleep 0.3
kill -CONT "$spid"
stopped=
winner='' loser='' wop=''
for s in a b; do
	wait_screen $s 'is now registered \(v2\)|someone was first|cannot' 3000 ||
		problems+=("$s: no answer to its register")
done
if screen_has a 'is now registered \(v2\)'; then
	winner=a loser=b wop=$OP_A
elif screen_has b 'is now registered \(v2\)'; then
	winner=b loser=a wop=$OP_B
else
	problems+=("neither console registered $Y")
fi
if [ -n "$winner" ]; then
	screen_has $loser "someone was first: .*$Y.*$wop" ||
		problems+=("the loser ($loser) does not say someone ($wop) was first")
	for s in a b; do
		wait_screen $s "$Y  立案  v2" 2000 ||
			problems+=("$s: case view does not show $Y at 立案 v2")
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
tm send-keys -t a Enter		# close the views
tm send-keys -t b Enter
for s in a b; do
	wait_screen $s "^[ !~+#^]$(short "$Y") .*立案" 2000 ||
		problems+=("$s: queue does not show $Y as 立案")
done
if [ ${#problems[@]} -eq 0 ]; then
	ok "conflict: $winner registered $Y, $loser said someone was first, server changed once"
else
	notok "conflict between consoles" "${problems[@]}" "A:" "$(dump a)" \
	    "B:" "$(dump b)"
fi

# --- 5: resize and back -------------------------------------------------------
layout_ok() {	# layout_ok SESSION COLS ROWS
	local s
	s=$(cap "$1")
	[ "$(printf '%s\n' "$s" | wc -l)" -eq "$3" ] || return 1
	[ "$(printf '%s\n' "$s" | wc -L)" -le "$2" ] || return 1
	# the top bar spans the width and ends with the link state
	case $(printf '%s\n' "$s" | sed -n 1p) in
	' Ningbo command centre'*'online ') ;;
	*) return 1 ;;
	esac
	[ "$(width_of "$(printf '%s\n' "$s" | sed -n 1p)")" -eq "$2" ] ||
		return 1
	# the key line and the message line are the last two rows
	printf '%s\n' "$s" | sed -n "$(($3 - 1))p" | grep -q '^ ?:help' ||
		return 1
	printf '%s\n' "$s" | sed -n "$3p" | grep -q '[^ ]' || return 1
	# the queue still shows its cases
	printf '%s\n' "$s" | grep -q "^[ !~+#^]$(short "$X") " || return 1
}
problems=()
tm resize-window -t a -x 200 -y 50
wait_cmd 2000 layout_ok a 200 50 || problems+=("200x50: layout wrong")
[ ${#problems[@]} -eq 0 ] || problems+=("$(dump a)")
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
	cap "$1" | grep -Eo '^[ !~+#^][0-9]{3}-[0-9]{4}-[0-9]{5} ' |
	    cut -c2- || true
}
before=$(queue_nos a | sort)
spid=$(tr -dc '0-9' <"$RUN/lock")
kill -9 "$spid"
t0=$(now_ms)
if wait_screen a 'OFFLINE' 4000; then
	toff=$(($(now_ms) - t0))
else
	problems+=("no OFFLINE within 4 s")
fi
[ "$(queue_nos a | sort)" = "$before" ] ||
	problems+=("offline, the queue no longer shows the last state")
start_server || problems+=("the server did not restart")
Z=$(ingest "$(incident c6 "$GRID_A" 1103 '重启之后新到的案件：药行街路灯不亮')") || Z=
t0=$(now_ms)
if [ -n "$Z" ] && wait_screen a "^[ !~+#^]$(short "$Z") .*重启之后新到" 4000; then
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
*" new $nnew  unassigned $nun "*) ;;
*) problems+=("top bar counts wrong: want new $nnew unassigned $nun: $bar") ;;
esac
if [ ${#problems[@]} -eq 0 ]; then
	ok "OFFLINE after ${toff} ms; after the restart the new case in ${tz} ms, counts right"
else
	notok "server kill and restart" "${problems[@]}" "$(dump a)"
fi

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

problems=()
if shell_console q; then
	tm send-keys -t q q
	while IFS= read -r l; do problems+=("$l"); done < <(tty_normal q)
else
	problems+=("the console did not start from bash")
fi
if [ ${#problems[@]} -eq 0 ]; then
	ok "q restores the terminal (main screen, cursor, icanon, echo)"
else
	notok "q leaves the terminal wrong" "${problems[@]}" "$(dump q)"
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

[ "$failures" -eq 0 ] || exit 1
exit 0
