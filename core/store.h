/*
 * store.h: cases and their event log in one SQLite file.
 *
 * The store is the only thing that touches the database file, and only one
 * process (the server) opens it. Every change of a case is one transition of
 * the lifecycle table (lifecycle.h): it appends one row to the append-only
 * event log and updates the case's current row in the same transaction,
 * bumping the case's version. The event log's seq is gap-free and increasing,
 * so it doubles as the publish sequence for consoles, and it carries enough
 * (actor, time, action, reason, before/after) to recompute every evaluation
 * figure and to score a training run.
 *
 * Writes run with synchronous=FULL in WAL mode: when a function here returns
 * 0 outside a caller's transaction, the change is on disk. A caller that
 * wants group commit wraps many calls in store_begin/store_commit; each call
 * then runs in a savepoint, so one bad item never undoes the good ones.
 */
#ifndef GL_STORE_H
#define GL_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "calendar.h"
#include "chain.h"
#include "lifecycle.h"

#define STORE_SCHEMA_VERSION	12
#define STORE_REJECT_MAX	65536	/* bytes of a rejected body kept */

struct store;

/* What the intake knows about a new incident. The caller has resolved the
 * grid and category against the reference data (district, township, limit,
 * default priority). Optional strings may be NULL. */
struct incident {
	const char	*ext_id;	/* sender's id, unique per source:
					   makes resend safe */
	const char	*grid;
	const char	*township;
	const char	*district;
	const char	*category;
	int		 priority;	/* 1 urgent .. 3 normal */
	long		 limit;		/* time limit, in unit */
	enum cal_unit	 unit;
	const char	*summary;
	const char	*address;
	const char	*reporter;
	const char	*source;	/* grid-app, hotline, sensor, web */
	const char	*photos;	/* JSON array text */
	int		 has_location;
	double		 lat, lon;
	time_t		 reported_at;
};

/* A case as read from the store; strings are owned, released by
 * store_case_clear. */
struct store_case {
	int64_t		 id;
	char		 no[32];	/* 330203-20261124-00042 */
	char		*ext_id;
	char		 grid[16];
	char		 township[16];
	char		 district[8];
	char		 category[8];
	int		 priority;
	char		*summary, *address, *reporter, *source, *photos;
	int		 has_location;
	double		 lat, lon;
	time_t		 reported_at, created_at, updated_at, closed_at;
	enum case_state	 state;
	enum case_state	 before;	/* for unmerge/unpark */
	char		*agency;	/* lead agency once dispatched */
	char		*support;	/* comma-separated agency codes */
	int		 level;		/* handling level: 2 township, 1
					   district, 0 city (juris_level) */
	long		 limit;
	enum cal_unit	 unit;
	time_t		 due_at;	/* 0: no deadline running or set */
	time_t		 paused_at;	/* 0: clock not paused */
	long		 remaining;	/* clock seconds left when paused */
	int		 ext_pending;
	long		 ext_amount;	/* requested extension, in unit */
	int		 returns, reworks, presses;
	int64_t		 duplicate_of;	/* case id, 0 none */
	int64_t		 merged_into;	/* case id, 0 none */
	int64_t		 version;
	char		 duplicate_no[32];	/* number of duplicate_of */
	char		 merged_no[32];		/* number of merged_into */
	time_t		 dispatched_at;		/* its last dispatch, 0 none:
						   how long an agency has had
						   it */
	char		 callback[24];		/* the latest call-back's
						   result (callback_result_
						   name), "" none */
	time_t		 callback_at;		/* when, 0 none */
};

/* The outcome of store_case_create. */
struct store_created {
	int64_t		 id;
	char		 no[32];
	int		 replayed;	/* ext_id was already stored, with
					   the same content */
	int64_t		 duplicate_of;	/* earlier open case, 0 none */
	char		 duplicate_no[32];
	int64_t		 seq;		/* event seq, 0 when replayed */
};

/* One action on a case. */
struct case_act {
	enum case_action action;
	const char	*actor;		/* operator's name, required */
	time_t		 at;
	int64_t		 version;	/* version it was decided on; 0: any */
	const char	*agency;	/* dispatch: lead agency code */
	const char	*support;	/* dispatch: comma-separated codes */
	const char	*reason_code;	/* return: a return_reason name */
	const char	*reason;	/* free text */
	const char	*target;	/* merge: the case number merged into */
	long		 amount;	/* extension: in the case's unit */
	const char	*detail;	/* extra JSON object for the log */
	const char	*result;	/* callback: a callback_result name */
	int		 reopen;	/* callback: an unsatisfied one
					   reopens the case (to registered) */
	/* the signed request it came in, for the log (all NULL: unsigned) */
	const unsigned char *signer_key;	/* 32 bytes */
	const unsigned char *sig;		/* 64 bytes */
	const char	*request;		/* the JSON as signed */
	size_t		 request_len;
};

/* One row of the event log; strings borrowed for the callback's life. */
struct store_event {
	int64_t		 seq;
	int64_t		 case_id;
	const char	*case_no;
	int64_t		 version;
	time_t		 at;
	const char	*actor;
	const char	*action;
	const char	*from_state;	/* NULL for report */
	const char	*to_state;
	const char	*agency;
	const char	*reason_code;
	const char	*reason;
	const char	*detail;	/* JSON object: {"field":[before,after]} */
};

/* A rejected request or item, for the dead-letter table. */
struct store_reject {
	int64_t		 id;
	time_t		 at;
	const char	*endpoint;	/* where it came in */
	const char	*code;		/* wire error code */
	const char	*field;		/* JSON field or NULL */
	const char	*message;
	long		 item;		/* index in an array, -1 for the whole */
	size_t		 size;		/* full size of the body */
	const void	*body;		/* kept bytes (up to STORE_REJECT_MAX) */
	size_t		 body_len;
};

/* An operator (schema step 8): who may act, with which key. */
#define STORE_PUBKEY_BYTES	32
struct store_operator {
	char		*name;
	unsigned char	 pubkey[STORE_PUBKEY_BYTES];	/* Ed25519 */
	char		*role;		/* rights_role_name */
	char		*agency;	/* bound to, or NULL */
	char		*township;	/* bound to, or NULL */
	int		 disabled;
	time_t		 created_at, updated_at;
	char		*created_by, *updated_by;	/* operators, or NULL */
};

/* A feeder (schema step 9): who may send incidents on tcp, with which
 * key (a shared secret for crypto_auth). */
#define STORE_FEEDER_KEY_BYTES	32
struct store_feeder {
	char		*name;
	unsigned char	 key[STORE_FEEDER_KEY_BYTES];
	int		 disabled;
	time_t		 created_at, updated_at;
	char		*created_by, *updated_by;
};

/* A township's rating of a stationed unit for a month (schema step 11);
 * strings borrowed for a callback's call, or the caller's to store. */
struct store_rating {
	const char	*township;	/* the rating township's code */
	const char	*agency;	/* the stationed unit's code */
	const char	*month;		/* "YYYY-MM", local */
	int		 score;		/* 1..5 */
	const char	*comment;	/* NULL or "": none */
	const char	*rated_by;	/* the operator, NULL: unsigned */
	time_t		 rated_at;	/* the latest change */
	time_t		 created_at;	/* the first rating of the month */
};

/* An event row as an auditor reads it: its chain fields (chain.h), and its
 * hash as stored (NULL: a row from before the chain). */
struct store_audit_row {
	int64_t			 seq;
	struct chain_row	 row;
	const unsigned char	*hash;
	size_t			 hash_len;
};

typedef int (*store_case_cb)(void *arg, const struct store_case *c);
typedef int (*store_audit_cb)(void *arg, const struct store_audit_row *a);
typedef int (*store_operator_cb)(void *arg, const struct store_operator *op);
typedef int (*store_feeder_cb)(void *arg, const struct store_feeder *f);
typedef int (*store_event_cb)(void *arg, const struct store_event *e);
typedef int (*store_rating_cb)(void *arg, const struct store_rating *r);
typedef int (*store_reject_cb)(void *arg, const struct store_reject *r);

/* Open (creating and migrating as needed) the database at path. Returns 0,
 * GL_ESCHEMA for a file from a newer gridline, GL_EDB/GL_EBUSY/... with a
 * message. Free with store_close. */
int	store_open(const char *path, struct store **out, char *err,
	    size_t errlen);
void	store_close(struct store *st);

/* A second, read-only connection to a database a store_open'd connection
 * keeps (WAL: its reads run beside that one's writes, each transaction on
 * the last commit before it began). For another thread than the
 * writer's. Everything that only reads works on it, search included;
 * store_begin and store_commit make a read transaction. */
int	store_open_reader(const char *path, struct store **out, char *err,
	    size_t errlen);

/* Training databases (issue 13). A database made for training carries
 * SQLite's application_id STORE_TRAINING_ID in its header, set when it
 * is created, so that a training server refuses a live database (where a
 * trainee's actions would become real records) and a live server refuses
 * a training one. 1 when st is a training database. */
#define STORE_TRAINING_ID	0x474c5452	/* "GLTR" */
int	store_is_training(struct store *st);
/* Mark st a training database: only while it is empty (no case, no
 * event, no operator), else GL_EINVAL saying it holds records. */
int	store_mark_training(struct store *st, char *err, size_t errlen);

/* Remove a closed database file with its -wal and -shm companions (for
 * scratch and training databases). 0, or GL_EIO when the file remains. */
int	store_unlink(const char *path);

/* Borrow cal for deadlines (the store starts with a default calendar). */
void	store_set_calendar(struct store *st, const struct calendar *cal);
/* Local time offset for case numbers (default UTC+8). */
void	store_set_offset(struct store *st, long seconds_east);

/* Copy the WAL into the database file and truncate it (on shutdown). */
int	store_checkpoint(struct store *st, char *err, size_t errlen);

/* Checkpoints apart from commits (store-ckpt.c): after
 * store_checkpoint_apart, commits leave the WAL to a checkpointer and only
 * count its pages (store_wal_frames), unless it grows past 16,000 pages
 * (32 MB of 2 KiB pages). The checkpointer is a connection of its own,
 * for one other thread. */
struct store_ckpt;
void	store_checkpoint_apart(struct store *st);

/* Is the database file still the one store_open opened? GL_EIO, with
 * "the database file PATH was removed or replaced (...)" in err, when its
 * path is gone, names another file, or the file has no link left: what is
 * committed from then on goes to a file nobody will open again. The first
 * such answer also keeps SQLite from removing PATH-wal and PATH-shm at
 * close (they may be someone else's by then). 0 when it is the same file,
 * and always for ":memory:" and "file:" names. One stat and one fstat. */
int	store_file_check(struct store *st, char *err, size_t errlen);
long	store_wal_frames(const struct store *st);
int	store_ckpt_open(const char *path, struct store_ckpt **out, char *err,
	    size_t errlen);
int	store_ckpt_run(struct store_ckpt *c, char *err, size_t errlen);
void	store_ckpt_close(struct store_ckpt *c);

/* Operators: add one (GL_EEXISTS when the name is taken), change one
 * (every field but the name and its creation; GL_ENOTFOUND), read one,
 * each in name order (cb returns non-zero to stop). by is the operator
 * who made the change (NULL: the first admin, or the command line). */
int	store_operator_add(struct store *st, const struct store_operator *op,
	    time_t now, const char *by, char *err, size_t errlen);
int	store_operator_update(struct store *st,
	    const struct store_operator *op, time_t now, const char *by,
	    char *err, size_t errlen);
int	store_operator_get(struct store *st, const char *name,
	    struct store_operator *out, char *err, size_t errlen);
int	store_operator_each(struct store *st, store_operator_cb cb, void *arg,
	    char *err, size_t errlen);
void	store_operator_clear(struct store_operator *op);

/* Feeders, likewise: add (GL_EEXISTS), change the key or disabled
 * (GL_ENOTFOUND), each in name order. */
int	store_feeder_add(struct store *st, const struct store_feeder *f,
	    time_t now, const char *by, char *err, size_t errlen);
int	store_feeder_update(struct store *st, const struct store_feeder *f,
	    time_t now, const char *by, char *err, size_t errlen);
int	store_feeder_each(struct store *st, store_feeder_cb cb, void *arg,
	    char *err, size_t errlen);

/* Ratings (store-rating.c): store r, replacing the township's rating of
 * the unit for the month when there is one (*replaced = 1 then, else 0;
 * the first rating's created_at is kept). Whether the month is still
 * open is the caller's rule. Each rating of month (NULL: every month),
 * or of the months from..to inclusive with store_rating_range, ordered
 * by month, agency, township. */
int	store_rating_put(struct store *st, const struct store_rating *r,
	    int *replaced, char *err, size_t errlen);
int	store_rating_get(struct store *st, const char *township,
	    const char *agency, const char *month, store_rating_cb cb,
	    void *arg, char *err, size_t errlen);
int	store_rating_each(struct store *st, const char *month,
	    store_rating_cb cb, void *arg, char *err, size_t errlen);
int	store_rating_range(struct store *st, const char *from,
	    const char *to, store_rating_cb cb, void *arg, char *err,
	    size_t errlen);

/* Every event row in seq order, for an audit (store-audit.c); the
 * strings live for the callback's call. */
int	store_audit_each(struct store *st, store_audit_cb cb, void *arg,
	    char *err, size_t errlen);

/* Group commit: one transaction around many creates and applies. */
int	store_begin(struct store *st, char *err, size_t errlen);
int	store_commit(struct store *st, char *err, size_t errlen);
int	store_rollback(struct store *st);

/* The level a new case is handled at: its township (juris_level). */
#define STORE_LEVEL_NEW		2

/* Store a new incident as a case in state reported. The sender's ext_id is
 * unique per source (a NULL source counts as ""): the same id from another
 * source is another incident. A resent ext_id of the same source with the
 * same content (store_case_create's comment in store-case.c says which
 * fields) returns the stored case with replayed = 1 and writes nothing;
 * with other content it fails with GL_EEXISTS, out->id and out->no naming
 * the case the id belongs to, and err the first field that differs. When
 * stored is not
 * NULL it receives the whole case as the store now holds it (for a new case
 * built from what was inserted, without reading it back; for a replay read
 * back), to publish without guessing at defaults; release it with
 * store_case_clear. On failure *stored is zeroed. */
int	store_case_create(struct store *st, const struct incident *in,
	    const char *actor, time_t now, struct store_created *out,
	    struct store_case *stored, char *err, size_t errlen);

/* Apply one action to case no. On success fills *after (when not NULL) and
 * *seq (when not NULL). GL_ECONFLICT when act->version is not the case's
 * version (then *after holds the current case), GL_ESTATE for a move the
 * lifecycle forbids, GL_EINVAL for a missing reason/agency/target,
 * GL_ENOTFOUND for an unknown case. */
int	store_case_apply(struct store *st, const char *no,
	    const struct case_act *act, struct store_case *after,
	    int64_t *seq, char *err, size_t errlen);

/* The first field act lacks for its action (the lifecycle rule's needs):
 * "operator", "agency", "target", "amount", "reason_code" or "reason"; NULL
 * when it has all. store_case_apply refuses such an act with GL_EINVAL;
 * this names the field for a caller that words the refusal itself. */
const char *store_act_missing(const struct case_act *a);

/* Read one case by number; GL_ENOTFOUND when absent. */
int	store_case_get(struct store *st, const char *no, struct store_case *out,
	    char *err, size_t errlen);
void	store_case_clear(struct store_case *c);

/* The number of the first case (by id) whose sender's id is ext_id, from
 * any source, into no; GL_ENOTFOUND when none (a training score finds a
 * scenario's incidents so). */
int	store_case_no_by_ext(struct store *st, const char *ext_id, char *no,
	    size_t len, char *err, size_t errlen);

/* Call cb for each event of case no, oldest first. */
int	store_case_history(struct store *st, const char *no,
	    store_event_cb cb, void *arg, char *err, size_t errlen);
/* Call cb for up to limit events with seq > after, in seq order. */
int	store_events(struct store *st, int64_t after, int limit,
	    store_event_cb cb, void *arg, char *err, size_t errlen);
/* The last event seq (0 when the log is empty). */
int64_t	store_last_seq(struct store *st);

/* Add the cases stored since the last call to the search index, in one
 * statement (store_commit and store_search call it; exposed for tests). */
int	store_search_index(struct store *st, char *err, size_t errlen);

/* Search summary and address: words of 3 or more characters through the
 * FTS5 trigram index, shorter ones (井盖) by substring scan. Newest first,
 * at most limit cases. */
int	store_search(struct store *st, const char *query, int limit,
	    store_case_cb cb, void *arg, char *err, size_t errlen);

/* Cases in id order with id > after_id, at most limit (open ones only when
 * open_only: not closed, voided or merged). For snapshots, paged. */
int	store_case_list(struct store *st, int open_only, int64_t after_id,
	    int limit, store_case_cb cb, void *arg, char *err, size_t errlen);

/* The cases merged into case id, oldest first. */
int	store_case_merged_from(struct store *st, int64_t id, store_case_cb cb,
	    void *arg, char *err, size_t errlen);

/* Finished cases (closed, voided, merged), newest first (by id): those
 * with id < before_id (0: from the newest), at most limit. For the view of
 * finished cases, paged. */
int	store_case_finished(struct store *st, int64_t before_id, int limit,
	    store_case_cb cb, void *arg, char *err, size_t errlen);

/* The open cases that come first in a dispatcher's queue: running
 * deadlines soonest first, then the rest by priority and arrival; at most
 * limit. For drawing the first screen before the whole snapshot is read. */
int	store_case_urgent(struct store *st, int limit, store_case_cb cb,
	    void *arg, char *err, size_t errlen);

/* Keep a rejected request or item (body cut at STORE_REJECT_MAX). */
int	store_reject_add(struct store *st, const struct store_reject *r,
	    char *err, size_t errlen);
/* The newest rejects first, at most limit, with id < before (0: all). */
int	store_rejects(struct store *st, int64_t before, int limit,
	    store_reject_cb cb, void *arg, char *err, size_t errlen);

/* Number of cases (all states). */
int64_t	store_case_count(struct store *st);

#endif
