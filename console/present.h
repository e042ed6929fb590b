/*
 * present.h: how a case is put into words and marks, the same in every
 * view (queue, lists, the case view, boards): its number read aloud, the
 * time left, the role its line is drawn in and the mark that says the
 * same without colour. No curses here.
 */
#ifndef GL_PRESENT_H
#define GL_PRESENT_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "calendar.h"
#include "console.h"
#include "lifecycle.h"

/* The string member k of a case object the server sent, "" when it is
 * absent or not a string. */
const char *present_str(json_t *o, const char *k);

/* 330203-20261124-00042 read aloud as 203-1124-00042; other strings as
 * they are. */
void	present_short_no(const char *no, char *buf, size_t len);
/* 203-1124-00042 (or the full number) back to the full number, with the
 * open cases of the model to look in; 0, or -1 when it is no number. */
int	present_full_no(struct console *c, const char *typed, char *buf,
	    size_t len);
/* "2h15", "3d4h", "-1h05" (overdue), "-" (no deadline), "paused"; a
 * provisional deadline (beyond the holiday table, docs/DATA.md) gets a
 * trailing PRESENT_PROVISIONAL: "3d4h*". */
#define PRESENT_PROVISIONAL	'*'
void	present_left(enum case_state s, time_t due_at, int paused,
	    int provisional, time_t now, char *buf, size_t len);
/* The role of a case's line and its mark (! overdue, ~ due soon,
 * ^ urgent, + new, # disputed, space). */
int	present_role(const struct mcase *m, time_t now);
char	present_mark(int role);

/* How long ago m was dispatched while its agency has it (dispatched,
 * acknowledged, in hand), as present_left writes time; "-" else. */
void	present_since(const struct mcase *m, time_t now, char *buf,
	    size_t len);

/* 1 when m was dispatched timeout_s or more of working time ago on the
 * calendar cal (NULL: of wall time) and is still not acknowledged by its
 * agency (the queue marks it '?'). */
int	present_ack_late(const struct mcase *m, time_t now, long timeout_s,
	    const struct calendar *cal);

#endif
