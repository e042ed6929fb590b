# shellcheck shell=bash
# tests/lib.sh: what the shell tests share: reporting, a scratch
# directory cleaned up on every exit, gridline servers started and stopped
# on a scratch run dir, bounded waits, and a private tmux server for the
# console tests. Sourced, never run:
#
#	set -euo pipefail
#	. "$GL_SRCDIR/tests/lib.sh"
#	setup ctl		# scratch dir $tmp, trap, locale
#	...
#	finish			# exit 1 if anything failed, else PASS
#
# What it offers (each function has its comment below):
#   reporting	skip, need, fail, die, ok, notok, finish
#   scratch	setup, on_cleanup, watch_run
#   waiting	now_ms, wait_cmd, alive, wait_gone, lock_pid
#   running	run, show, expect_rc (gridline with rc, $tmp/out, $tmp/err)
#   the server	ctl, ctl_ok, send, start_server, stop_server (a child:
#		its exit status is checked), start_daemon, stop_daemon
#		(serve --daemon, stopped by the pid in RUN/lock),
#		serve_fails (a start that must be refused),
#		status_cases, summaries, feeder
#   tmux	tm, cap, dump, screen_has, wait_screen (as test-console.sh
#		had them)
#
# The contract:
#   - Written for `set -euo pipefail`: every helper works under it, none
#     turns it off. Helpers that test something return its status
#     (`wait_screen ... || problems+=(...)`); helpers that cannot go on
#     call die. Remember that inside a function called from `if`, `||` or
#     `&&` bash ignores set -e, so the helpers check their own steps.
#   - Every wait has a deadline in milliseconds (now_ms), never a bare
#     count of sleeps; every gridline and nanocat call made here runs
#     under timeout. Nothing here waits without bound; a test's own calls
#     should keep to the same.
#   - The EXIT trap (set by setup) runs the test's on_cleanup commands,
#     kills the private tmux server, then every server the script started:
#     its background jobs (a server started with start_server, feeders)
#     and the server holding the lock of every run dir start_daemon or
#     watch_run was given (a lock no longer held names a dead process and
#     is left alone, as its pid may belong to someone else by now). SIGTERM
#     and SIGCONT first (a stopped server must see its TERM), SIGKILL for
#     what is still there after 2 s. Then the scratch directory goes, made
#     writable first. The script's exit status is kept. Nothing is killed
#     by name, only by pid.
#   - die and fail print "FAIL: ..." on stderr; ok/notok print TAP-like
#     "ok N - ..." lines on stdout. fail, notok and die may be mixed; finish
#     turns the count into the exit status. Do not call fail or notok in a
#     subshell ($(...), a pipeline, `&`): the count would be lost there.
#     die in a subshell ends the subshell only; under set -e an assignment
#     x=$(...) whose command died ends the script too.
#   - Exit status: 0 passed, 1 failed, 77 skipped (automake's SKIP).
#
# Variables: setup sets tmp (the scratch dir), RUN=$tmp/run, DB=$tmp/db,
# LOG=$tmp/log (a test may point them elsewhere before starting a server);
# server is the pid of the server start_server started, empty when none;
# AS is a command prefix (an array, empty by default) under which ctl, send
# and the servers run, e.g. setpriv to run as another user; step, when set,
# is prefixed to FAIL lines ("FAIL: round 2: ...").
#
# Rejected: helpers in each test file (what we had: nine copies drifting
# apart: a server start waited for 100 polls in one, 5 s by the clock in
# another and not at all in a third; one cleanup killed by a lock's pid
# without asking whether the lock was still held, another only what it
# had noted down); a framework such as bats (a dependency for what a page
# of shell does; tmux's regress/*.sh need none either).
#
# Environment (set by `make check`, see AM_TESTS_ENVIRONMENT): GRIDLINE,
# the built binary; GL_DATA, the shipped data directory; GL_SRCDIR, the
# source tree.

gl_failures=0		# fail and notok so far
gl_checks=0		# ok and notok so far: the N of "ok N"
gl_runs=()		# run dirs whose lock holder cleanup kills
gl_hooks=()		# on_cleanup commands
gl_tmux=		# the private tmux server's socket name (tm)
server=
step=
AS=()

# --- reporting ------------------------------------------------------------

# skip WHY: the test cannot run here; exit 77.
skip() {
	echo "SKIP: $*" >&2
	exit 77
}

# need COMMAND WHY: skip unless COMMAND is installed.
need() {
	command -v "$1" >/dev/null || skip "$2"
}

# fail WHAT...: one failed check; the test goes on.
fail() {
	echo "FAIL: ${step:+$step: }$*" >&2
	gl_failures=$((gl_failures + 1))
}

# die WHAT...: a failed check the test cannot go on from: says so, shows
# the end of the server log ($LOG) and of the server's stderr ($LOG.err),
# and exits 1.
die() {
	local f
	echo "FAIL: ${step:+$step: }$*" >&2
	for f in "${LOG:-}" "${LOG:-}.err"; do
		if [ -n "${LOG:-}" ] && [ -s "$f" ]; then
			echo "--- $f (last 20 lines):" >&2
			tail -n 20 "$f" >&2
		fi
	done
	exit 1
}

# ok WHAT: a numbered check passed.
ok() {
	gl_checks=$((gl_checks + 1))
	echo "ok $gl_checks - $1"
}

# notok WHAT [DETAIL...]: a numbered check failed; the details follow as
# "#" comments.
notok() {
	local l
	gl_checks=$((gl_checks + 1))
	gl_failures=$((gl_failures + 1))
	echo "not ok $gl_checks - $1"
	shift
	for l in "$@"; do
		printf '%s\n' "$l" | sed 's/^/#   /'
	done
}

# finish [NOTE]: exit 1 if any check failed, else print PASS (and NOTE)
# and exit 0.
finish() {
	if [ "$gl_failures" -ne 0 ]; then
		echo "$gl_failures failed" >&2
		exit 1
	fi
	echo "PASS${1:+: $1}"
	exit 0
}

# --- the scratch directory and cleanup -------------------------------------

# setup NAME: checks the environment, exports LC_ALL=C (messages
# untranslated, byte semantics; set LC_ALL again after setup for another)
# and GRIDLINE_DATA, clears the variables that would point gridline at a
# user's server or tmux, makes the scratch dir $tmp and sets the EXIT
# trap. Call it once, at the top.
setup() {
	: "${GRIDLINE:?GRIDLINE must name the gridline binary}"
	: "${GL_DATA:?GL_DATA must name the shipped data directory}"
	LC_ALL=C
	GRIDLINE_DATA=$GL_DATA
	export LC_ALL GRIDLINE_DATA
	unset GRIDLINE_RUN_DIR GRIDLINE_DB GRIDLINE_KEY TMUX
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/gridline-$1.XXXXXX")
	# no operator key of the user's: a test signs only with its own;
	# and a server started without --db (a console's auto-start) keeps
	# its default database in the scratch dir, not the user's
	XDG_CONFIG_HOME=$tmp/config
	XDG_DATA_HOME=$tmp/data-home
	export XDG_CONFIG_HOME XDG_DATA_HOME
	RUN=$tmp/run
	DB=$tmp/db
	LOG=$tmp/log
	# the private tmux server's socket lives in the scratch dir
	TMUX_TMPDIR=$tmp
	export TMUX_TMPDIR
	gl_tmux=gltest-$$-$RANDOM
	trap gl_cleanup EXIT
}

# on_cleanup COMMAND: eval COMMAND first thing on exit (e.g. touch the
# file that stops feeders); its failure is ignored.
on_cleanup() {
	gl_hooks+=("$1")
}

# watch_run DIR: on exit, kill the server holding DIR's lock, if any
# (start_daemon does this; for servers that `ctl` starts on its own).
watch_run() {
	local d
	for d in "${gl_runs[@]}"; do
		[ "$d" != "$1" ] || return 0
	done
	gl_runs+=("$1")
}

# gl_lock_holder DIR: the pid in DIR/lock if a process holds that lock.
gl_lock_holder() {
	local p
	[ -f "$1/lock" ] || return 0
	p=$(tr -dc '0-9' <"$1/lock" 2>/dev/null) || return 0
	[ -n "$p" ] || return 0
	# a lock nobody holds names a dead server, its pid maybe reused
	if command -v flock >/dev/null && flock -s -n "$1/lock" true \
	    2>/dev/null; then
		return 0
	fi
	echo "$p"
}

gl_cleanup() {
	local rc=$? h p d victims=() end
	set +e
	for h in "${gl_hooks[@]}"; do
		eval "$h" >/dev/null 2>&1
	done
	if [ -n "${tmp:-}" ] && [ -S "$tmp/tmux-$(id -u)/$gl_tmux" ]; then
		tm kill-server >/dev/null 2>&1
	fi
	mapfile -t victims < <(jobs -p)
	for d in "${gl_runs[@]}"; do
		p=$(gl_lock_holder "$d")
		[ -z "$p" ] || victims+=("$p")
	done
	if [ ${#victims[@]} -gt 0 ]; then
		kill -TERM "${victims[@]}" 2>/dev/null
		kill -CONT "${victims[@]}" 2>/dev/null
		end=$(($(now_ms) + 2000))
		for p in "${victims[@]}"; do
			while alive "$p" && [ "$(now_ms)" -lt "$end" ]; do
				sleep 0.05
			done
		done
		kill -KILL "${victims[@]}" 2>/dev/null
		for p in $(jobs -p); do
			wait "$p" 2>/dev/null
		done
	fi
	if [ -n "${tmp:-}" ]; then
		chmod -R u+w "$tmp" 2>/dev/null
		rm -rf "$tmp"
	fi
	exit "$rc"
}

# --- processes and time ----------------------------------------------------

# now_ms: milliseconds since the epoch.
now_ms() {
	date +%s%3N
}

# wait_cmd MS CMD...: until CMD succeeds, at most MS ms; 1 on timeout.
wait_cmd() {
	local end=$(($(now_ms) + $1))
	shift
	while :; do
		"$@" && return 0
		[ "$(now_ms)" -lt "$end" ] || return 1
		sleep 0.05
	done
}

# alive PID: 0 while the process runs. A server started with --daemon is
# not our child, so once dead it may stay a zombie until its new parent
# reaps it: a zombie counts as gone.
alive() {
	local st
	kill -0 "$1" 2>/dev/null || return 1
	st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	case $st in
	Z*|'') return 1 ;;
	esac
	return 0
}

# wait_gone PID [MS]: until the process is gone, at most MS ms (10 s);
# 1 on timeout.
wait_gone() {
	wait_cmd "${2:-10000}" eval "! alive $1"
}

# lock_pid DIR: the pid in DIR/lock (the server holding the run dir).
lock_pid() {
	tr -dc '0-9' <"$1/lock"
}

# run ARGS...: gridline ARGS under a 30 s timeout; exit code in $rc,
# output in $tmp/out and $tmp/err.
run() {
	rc=0
	timeout 30 "$GRIDLINE" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
}

# show: the last run's exit code and the start of its output, on stderr.
show() {
	echo "--- exit $rc; stdout:" >&2
	head -n 20 "$tmp/out" >&2
	echo "--- stderr:" >&2
	head -n 20 "$tmp/err" >&2
}

# expect_rc WANT WHAT: fail (and show) unless the last run exited WANT.
expect_rc() {
	if [ "$rc" -ne "$1" ]; then
		fail "$2: exit $rc, expected $1"
		show
	fi
}

# under_asan: 0 when $GRIDLINE is a sanitizer build (linked with libasan).
# grep reads all of ldd's output (not -q): under pipefail, an ldd killed
# by SIGPIPE when grep -q stops early made the pipeline fail at random.
under_asan() {
	ldd "$GRIDLINE" 2>/dev/null | grep libasan >/dev/null
}

# --- the server -------------------------------------------------------------

# ctl ARGS...: `gridline ctl` against the server on $RUN (never starting
# one); the reply on stdout, the exit status kept.
ctl() {
	timeout 15 "${AS[@]}" "$GRIDLINE" ctl --no-start --run-dir "$RUN" "$@"
}

# ctl_ok ARGS...: ctl, quietly; 0 if it answered ok.
ctl_ok() {
	ctl "$@" >/dev/null 2>&1
}

# send MSG [SECS]: one request on $RUN/ingest.sock with the stock nanocat,
# SECS (2) to send and to receive; prints the reply, "" when none came.
send() {
	local s=${2:-2}
	timeout $((s + 2)) "${AS[@]}" nanocat --req \
	    --connect "ipc://$RUN/ingest.sock" --recv-timeout "$s" \
	    --send-timeout "$s" -A --data "$1" 2>/dev/null || true
}

# start_server [PREFIX...]: `PREFIX... gridline serve` on $RUN, $DB, $LOG
# in the background, a child of this script so that stop_server can check
# how it exited; its pid in $server, its stderr appended to $LOG.err (a
# preloaded shim or a sanitizer reports there). Waits, at most 10 s, until
# `ctl status` answers; dies if the server exits or does not answer.
start_server() {
	local end rc=0
	[ -z "$server" ] || die "start_server: server $server runs already"
	"$@" "${AS[@]}" "$GRIDLINE" serve --run-dir "$RUN" --db "$DB" \
	    --log "$LOG" 2>>"$LOG.err" &
	server=$!
	end=$(($(now_ms) + 10000))
	while :; do
		if ! kill -0 "$server" 2>/dev/null; then
			wait "$server" || rc=$?
			server=
			die "the server exited ($rc) while starting"
		fi
		if [ -S "$RUN/control.sock" ] && ctl_ok status; then
			return 0
		fi
		[ "$(now_ms)" -lt "$end" ] ||
			die "the server did not answer within 10 s"
		sleep 0.05
	done
}

# stop_server [SIGNAL [STATUS]]: sends SIGNAL (TERM) to $server; it must
# be gone within 10 s and have exited STATUS (0; a signal N is 128+N);
# dies otherwise.
stop_server() {
	local sig=${1:-TERM} want=${2:-0} rc=0
	[ -n "$server" ] || die "stop_server: no server runs"
	kill "-$sig" "$server" 2>/dev/null || true
	wait_gone "$server" 10000 ||
		die "the server did not exit within 10 s of SIG$sig"
	wait "$server" 2>/dev/null || rc=$?
	server=
	[ "$rc" -eq "$want" ] ||
		die "the server exited $rc on SIG$sig, not $want"
}

# start_daemon [SERVE-ARGS...]: `gridline serve --daemon` on $RUN, $DB,
# $LOG (its own output appended to $LOG.err), with any further arguments
# of serve (--clock ...); cleanup will kill it (watch_run). Waits, at most
# 10 s, until `ctl status` answers; 1 if it did not start.
start_daemon() {
	watch_run "$RUN"
	"${AS[@]}" "$GRIDLINE" serve --daemon --run-dir "$RUN" --db "$DB" \
	    --log "$LOG" "$@" >>"$LOG.err" 2>&1 || return 1
	wait_cmd 10000 ctl_ok status
}

# stop_daemon: SIGTERM to the server holding $RUN's lock; 1 unless it is
# gone within 10 s.
stop_daemon() {
	local p
	p=$(lock_pid "$RUN") || return 1
	kill "$p" 2>/dev/null || return 1
	wait_gone "$p" 10000
}

# at TIME: the server on $RUN and $DB again, its clock set to TIME (serve
# --clock): the one running is stopped first (its status signed with
# $GRIDLINE_KEY once the database has operators).
at() {
	if [ -S "$RUN/control.sock" ] && ctl_ok status; then
		stop_daemon || die "the server did not stop"
	fi
	start_daemon --clock "$1" || die "the server did not start at $1"
}

# status_cases: status.cases of the server on $RUN; dies if status fails.
status_cases() {
	ctl status >"$tmp/status" 2>&1 ||
		die "status failed: $(cat "$tmp/status")"
	sed -n 's/^ *"cases": *\([0-9]*\).*/\1/p' "$tmp/status"
}

# summaries FILE: the summary of every stored case (closed ones too), one
# a line as the JSON says it ("summary": "..."), into FILE; paged, as a
# snapshot page holds at most 2000 cases. Dies if a page fails.
summaries() {
	local after=0 next
	: >"$1"
	while :; do
		ctl snapshot all:=true limit=2000 "after=$after" \
		    >"$tmp/page" || die "snapshot failed"
		grep -o '"summary": "[^"]*"' "$tmp/page" >>"$1" || true
		next=$(sed -n 's/^  "next": \([0-9]*\).*/\1/p' "$tmp/page")
		[ -n "$next" ] || break
		after=$next
	done
}

# feeder N DIR IDPREFIX WORDS: sends single incidents to $RUN until
# DIR/stop exists, each with a new id IDPREFIX-NNNNNN (fixed width, so no
# id is a substring of another) and the summary "WORDS ID end", reported a
# day back, a minute apart (all past, few duplicate flags). Every id goes
# to DIR/sent.N before it is sent and to DIR/acked.N once a reply says
# "ok":true; an unexpected reply is written to DIR/bad.N. No reply is
# fine: the server is gone. Run it in the background (`feeder 1 ... &`).
feeder() {
	local n=$1 dir=$2 i=0 id at reply msg cats=(1103 1105 1302)
	: >"$dir/sent.$n"
	: >"$dir/acked.$n"
	while [ ! -e "$dir/stop" ]; do
		i=$((i + 1))
		id=$(printf '%s-%06d' "$3" "$i")
		at=$(date -d "@$(($(date +%s) - 86400 - i * 60))" \
		    +%Y-%m-%dT%H:%M:%S%:z)
		echo "$id" >>"$dir/sent.$n"
		msg="{\"id\":\"$id\",\"grid\":\"330203003001001\","
		msg+="\"category\":\"${cats[$((i % 3))]}\","
		msg+="\"reported_at\":\"$at\",\"source\":\"sensor\","
		msg+="\"summary\":\"$4 $id end\"}"
		reply=$(send "$msg")
		case $reply in
		'{"ok":true,'*) echo "$id" >>"$dir/acked.$n" ;;
		'') ;;
		*) echo "feeder $n: unexpected reply for $id: $reply" \
		    >"$dir/bad.$n" ;;
		esac
	done
}

# serve_fails WHAT ARGS...: `gridline serve ARGS` must exit 1 within 10 s;
# its stdout and stderr in $tmp/out.
serve_fails() {
	local what=$1
	shift
	rc=0
	timeout 10 "$GRIDLINE" serve "$@" >"$tmp/out" 2>&1 || rc=$?
	if [ "$rc" -eq 124 ]; then
		notok "$what: refused" "it started and served until killed"
		return 1
	elif [ "$rc" -ne 1 ]; then
		notok "$what: refused" "exit $rc, not 1: $(cat "$tmp/out")"
		return 1
	fi
	ok "$what: refused, exit 1"
}

# --- the private tmux server (console tests) --------------------------------
# One tmux server per script, on its own socket (-L) in the scratch dir,
# without a config file, killed by cleanup; as tmux's own regress/*.sh.

# tm ARGS...: tmux on the private server.
tm() {
	tmux -L "$gl_tmux" -f /dev/null "$@"
}

# cap SESSION: the visible screen, wrapped lines joined.
cap() {
	tm capture-pane -p -J -t "$1" 2>/dev/null || true
}

# dump SESSION: the screen, each line prefixed "| ", on stdout.
dump() {
	cap "$1" | sed 's/^/| /'
}

# screen_has SESSION ERE: the screen has a line matching ERE.
screen_has() {
	cap "$1" | grep -Eq -- "$2"
}

# tm_console SESSION KEYFILE: a console on $RUN in a new 100x24 session,
# signing with KEYFILE, in a UTF-8 locale (never starting a server).
tm_console() {
	tm new-session -d -s "$1" -x 100 -y 24 "exec env LC_ALL=C.UTF-8 \
LANG=C.UTF-8 XDG_CONFIG_HOME='$XDG_CONFIG_HOME' GRIDLINE_DATA='$GL_DATA' \
'$GRIDLINE' --no-start --run-dir '$RUN' --key '$2'"
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
