#!/usr/bin/env bash
# test-i18n.sh: interface text goes through gettext; the Chinese catalogue
# is built and found from an uninstalled build, and English is the default.
#
# Environment (set by `make check`): GRIDLINE, the built binary; GL_DATA,
# the shipped data directory; GL_SRCDIR, the source tree (for tests/lib.sh).
set -euo pipefail

. "$GL_SRCDIR/tests/lib.sh"
setup i18n

LC_ALL=C.UTF-8 LANGUAGE=zh_CN run --help
if [ "$rc" -ne 0 ] || ! grep -q '用法' "$tmp/out" ||
    ! grep -q '校验基础数据' "$tmp/out"; then
	fail "Chinese help not translated (rc=$rc):" "$(cat "$tmp/out")"
fi
LC_ALL=C.UTF-8 LANGUAGE=en run --help
if [ "$rc" -ne 0 ] || ! grep -q '^usage: gridline COMMAND' "$tmp/out"; then
	fail "English help wrong (rc=$rc):" "$(cat "$tmp/out")"
fi
# An error message, translated, on stderr, with the exit code kept.
LC_ALL=C.UTF-8 LANGUAGE=zh_CN run nosuchcommand
if [ "$rc" != 2 ] || ! grep -q '未知或有歧义的命令' "$tmp/err"; then
	fail "translated error (rc=$rc): $(cat "$tmp/err")"
fi
finish
