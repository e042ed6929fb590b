/*
 * model.h: the console's copy of the open cases.
 *
 * The console never opens the database: it fills this model from the
 * server's snapshot and keeps it current from the event stream, checking
 * that seq numbers follow each other and asking for what it missed when
 * they do not. Each case keeps only what the queue shows and sorts by (a few
 * hundred bytes, so 100,000 open cases fit comfortably); the case view asks
 * the server for the rest.
 */
#ifndef GL_MODEL_H
#define GL_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "jscan.h"
#include "lifecycle.h"

struct mcase {
	char		 no[32];
	int64_t		 id;		/* order of arrival */
	int64_t		 version;
	enum case_state	 state;
	int		 priority;
	time_t		 reported_at, created_at, due_at;
	int		 paused, ext_pending, returns, disputed;
	int		 due_provisional; /* due_at beyond the holiday
					   table (docs/DATA.md) */
	char		*township_name, *category_name, *summary;
	char		*agency_name, *route_lead, *route_name, *dup_of;
	char		*agency, *platform;
	char		*ext_id;	/* the sender's id (a script's {ID}) */
	char		*township;	/* its code: a township console's
					   reach */
	time_t		 dispatched_at;	/* its last dispatch, 0 none */
	char		*hay;		/* the text a filter word is looked
					   for in, all fields in one string */
	int		 reworks;
	int		 fresh;		/* arrived since the console started */
	size_t		 pos;		/* index in the queue ... */
	uint64_t	 pos_gen;	/* ... valid while this is the
					   model's view generation */
	int		 changed;	/* on the model's changed list */
};

enum model_sort { SORT_DUE, SORT_PRIORITY, SORT_ARRIVAL };

struct model;

struct model	*model_new(void);
void		 model_free(struct model *m);

/* Insert or replace a case from its JSON object (as the server sends it);
 * returns the case, or NULL when the object is not a case. fresh marks it
 * new to this console. */
struct mcase	*model_put(struct model *m, json_t *c, int fresh);

/*
 * The same from the fields themselves, as read from the text of a page
 * without a jansson tree (jscan). Both ways go through one filler, so a
 * case is the same whichever way it came: a string member that is absent,
 * null or not a string is NULL, an integer that is not one is 0, a flag is
 * set only by true, and a member given twice counts as its last value.
 */
struct mstr {
	const char	*p;		/* NULL: absent, null, not a string */
	size_t		 n;		/* bytes, no NUL at p[n] needed */
};
struct mcase_fields {
	struct mstr	 no, state, summary, reported_at, created_at, due_at;
	struct mstr	 dispatched_at;
	struct mstr	 township_name, category_name, agency_name, platform;
	struct mstr	 agency, dup_of, route_lead, route_name, township;
	struct mstr	 ext_id;
	int64_t		 version, priority, returns, reworks;
	int		 paused, ext_pending, disputed, due_provisional;
};
/* fields' strings are borrowed: they are copied. */
struct mcase	*model_put_fields(struct model *m,
		    const struct mcase_fields *f, int fresh);
/* Read one case object from s into f, s having just returned JT_OBJ; f's
 * strings point into s (valid until jscan_free). 0 or a GL_E* code (then
 * jscan_error says where). */
int		 model_scan_case(struct jscan *s, struct mcase_fields *f);
/* Put every case of the array that s is about to return (JT_ARR next):
 * elements that are not objects are passed over, as model_put passes over
 * them. 0 (*count: the objects read) or a GL_E* code; the cases before the
 * error are in the model. */
int		 model_put_array(struct model *m, struct jscan *s, int fresh,
		    size_t *count);
struct mcase	*model_get(const struct model *m, const char *no);

/* The last event seq applied, and whether seq follows it. */
int64_t		 model_seq(const struct model *m);
void		 model_set_seq(struct model *m, int64_t seq);

/* What this console may see of the open cases: only an agency's (agency
 * not NULL or ""), only a township's, or all (both NULL). The queue, the
 * counts and the boards follow at once. 1 when the reach changed. */
int		 model_set_reach(struct model *m, const char *agency,
		    const char *township);

/* Which open cases the queue shows: keep returns non-zero for those. */
typedef int (*model_keep_fn)(const struct mcase *c, void *arg);
void		 model_set_filter(struct model *m, model_keep_fn keep,
		    void *arg);

/* The queue: open cases that pass the filter, in the current order,
 * rebuilt when dirty. */
void		 model_sort(struct model *m, enum model_sort by, time_t now);
/* The filter runs in slices: 1 while part of the order is still to be
 * filtered; model_filter_more does the next slice (returns the same). */
int		 model_pending(const struct model *m);
int		 model_filter_more(struct model *m);

size_t		 model_count(const struct model *m);
struct mcase	*model_at(const struct model *m, size_t i);
/* Index of a case in the queue, or -1. */
long		 model_index(const struct model *m, const char *no);

/* Every open case, filter or not (for the boards). */
size_t		 model_open_count(const struct model *m);
struct mcase	*model_open_at(const struct model *m, size_t i);

/* Counts for the top bar. */
struct model_counts {
	size_t	open, fresh, unassigned, overdue, in_hand;
};
/* The counts at now. Changes keep them up to date at O(1) each; a later
 * now only takes the deadlines passed since off a heap (O(k log n)); the
 * first call, or a now earlier than the last, counts every case. */
void		 model_counts(struct model *m, time_t now,
		    struct model_counts *out);
/* The counts as last counted and kept up to date since, counting only the
 * first time: what a frame shows, while the loop's clock moves them on
 * once a second (a deadline passing moves "overdue" at the next tick). */
void		 model_counts_last(struct model *m, time_t now,
		    struct model_counts *out);

#endif
