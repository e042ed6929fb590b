/*
 * cli.h: the subcommand table and what the subcommands share.
 *
 * gridline is one binary with tmux-style subcommands. Each subcommand is one
 * file (cli/sub-check.c, ...) defining one const struct subcmd; gridline.c
 * lists them in one table and dispatches. Only this layer prints and exits:
 * core/ returns errors as values.
 */
#ifndef GL_CLI_H
#define GL_CLI_H

#include <libintl.h>
#include <stdio.h>
#include <time.h>

#include <jansson.h>

#include "refdata.h"
#include "sign.h"
#include "vis.h"

#define _(s)	gettext(s)
#define N_(s)	(s)

/* Exit codes, as the subcommands promise them. */
#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

/* The process's one mutable state. */
struct gridline {
	const char	*progname;
};

struct subcmd {
	const char	*name;
	const char	*args;		/* for usage: "[DIR]" */
	const char	*help;		/* one line, translated at print */
	int		(*exec)(struct gridline *gl, int argc, char **argv);
};

extern const struct subcmd sub_check;
extern const struct subcmd sub_catalog;
extern const struct subcmd sub_route;
extern const struct subcmd sub_demo;
extern const struct subcmd sub_serve;
extern const struct subcmd sub_ctl;
extern const struct subcmd sub_console;
extern const struct subcmd sub_operator;
extern const struct subcmd sub_feeder;
extern const struct subcmd sub_feed;
extern const struct subcmd sub_audit;
extern const struct subcmd sub_train;
extern const struct subcmd sub_report;
extern const struct subcmd sub_export;

/* The console on run_dir (sub-console.c; demo uses it too). */
/* The script the next sub_console_run runs (gridline --script; NULL:
 * none), for train start --script. */
void	sub_console_set_script(const char *path);
int	sub_console_run(struct gridline *gl, const char *run_dir,
	    const char *op, const char *key, int autostart, int bell);

/* The reference data directory: arg when given, else $GRIDLINE_DATA, else
 * the installed data, else the source tree's data/ (for an uninstalled
 * build). */
const char *cli_data_dir(const char *arg);

/* Load the reference data of dir, printing every problem as file:line.
 * Returns 0 with *out set, or an exit code (1 problems, 2 unreadable). */
int	cli_load(struct gridline *gl, const char *dir, struct refdata **out);

/* The operator's default name: $USER, else the login name. */
const char *cli_login(void);

/* Write s to fp in its visible form (core/vis.h, flags as there), so that
 * text from outside, echoed input included, never steers a terminal. */
void	cli_vis_put(FILE *fp, const char *s, unsigned flags);

/* The visible form of s in buf (size > 0 bytes; cut between characters
 * when longer), for a printf argument; returns buf. */
const char *cli_vis(const char *s, char *buf, size_t size);

/* Who signs (ident.c): key is --key or NULL, name the fallback name
 * (--operator or NULL: the login name). 1 with id filled; 0 when there is
 * no key at the default place (unsigned); -1 with a message in err when a
 * key named by --key or $GRIDLINE_KEY is missing or bad. */
int	cli_identity(const char *key, const char *name, struct sign_id *id,
	    char *err, size_t errlen);
/* The user's default key file, and the directory it is in. */
void	cli_key_default(char *path, size_t len);
void	cli_key_dir(char *path, size_t len);

/* A server of run_dir whose database has no operator gets its first ones
 * (ident.c): NAME-admin (key dir/admin.key) and NAME in role (key dir/key,
 * made when missing, whose identity goes to *id): "supervisor" for a
 * console's user, "trainee" for a training session; dir NULL: the user's
 * key directory. 1 when it did, 0 when the database had operators
 * already, -1 with a message in err. */
int	cli_bootstrap(struct gridline *gl, const char *run_dir,
	    const char *dir, const char *name, const char *role,
	    struct sign_id *id, char *err, size_t errlen);

/* Send req (sealed as id, or unsigned when NULL) to the server of run_dir,
 * starting one when autostart and none runs; the reply in *rep. EXIT_OK,
 * or EXIT_FAIL with the reason printed. */
#define CLI_TIMEOUT_MS	10000
int	cli_ask(struct gridline *gl, const char *run_dir, int autostart,
	    const struct sign_id *id, json_t *req, json_t **rep);

/* An admin's request (operators, feeders): signed with key, else
 * $GRIDLINE_KEY, else the user's admin.key when there, else the user's
 * key; self signs instead when the server does not know the caller (a
 * first admin's own registration). EXIT_OK with the ok reply in *out, or
 * EXIT_FAIL with the refusal printed. */
int	cli_admin_ask(struct gridline *gl, const char *run_dir, const char *key,
	    int autostart, const struct sign_id *self, json_t *req,
	    json_t **out);


/* The period [*f, *t) of --from FROM and --to TO (each NULL when not
 * given: to the end of now's day, from 7 days before to). EXIT_OK, or
 * EXIT_USAGE with the option at fault printed for command cmd. */
int	cli_period(struct gridline *gl, const char *cmd, const char *from,
	    const char *to, time_t now, time_t *f, time_t *t);

/* Write s as one RFC 4180 CSV field: quoted when it holds a comma, a
 * quote, CR or LF, its quotes doubled; NULL writes an empty field. */
void	cli_csv_put(FILE *fp, const char *s);

/* Print "usage: gridline NAME ARGS" to stderr and return EXIT_USAGE. */
int	cli_usage(const struct subcmd *cmd);

#endif
