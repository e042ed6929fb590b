/*
 * casejson.c: case and event JSON (see casejson.h).
 */
#include <string.h>

#include "casejson.h"
#include "gltime.h"
#include "route.h"

json_t *
casejson_time(time_t t)
{
	char	buf[40];

	if (t == 0)
		return json_null();
	gltime_format(t, GLTIME_CHINA, buf, sizeof buf);
	return json_string(buf);
}

static json_t *
opt_str(const char *s)
{
	return s != NULL && s[0] != '\0' ? json_string(s) : json_null();
}

/* What a queue shows and sorts by, from the case alone. */
static void
casejson_queue(json_t *o, const struct store_case *c)
{
	json_object_set_new(o, "no", json_string(c->no));
	json_object_set_new(o, "version", json_integer(c->version));
	json_object_set_new(o, "state", json_string(case_state_name(c->state)));
	json_object_set_new(o, "priority", json_integer(c->priority));
	json_object_set_new(o, "summary", opt_str(c->summary));
	json_object_set_new(o, "reported_at", casejson_time(c->reported_at));
	json_object_set_new(o, "created_at", casejson_time(c->created_at));
	json_object_set_new(o, "due_at", casejson_time(c->due_at));
	json_object_set_new(o, "paused", json_boolean(c->paused_at != 0));
	json_object_set_new(o, "ext_pending", json_boolean(c->ext_pending));
	json_object_set_new(o, "returns", json_integer(c->returns));
	json_object_set_new(o, "reworks", json_integer(c->reworks));
	json_object_set_new(o, "disputed", json_boolean(c->returns >= 2));
	json_object_set_new(o, "duplicate_of", opt_str(c->duplicate_no));
	json_object_set_new(o, "agency", opt_str(c->agency));
}

/* Names of the codes, and the suggested lead (with the list row that
 * decided it when reason is set: the queue does not need it). */
static void
casejson_names(json_t *o, const struct store_case *c,
    const struct refdata *rd, int reason)
{
	const struct juris	*t = refdata_juris(rd, c->township);
	const struct category	*k = refdata_category(rd, c->category);
	const struct agency	*a = c->agency ? refdata_agency(rd, c->agency)
				    : NULL;
	const struct juris	*g;
	const struct duty	*u;
	struct route		 r;

	json_object_set_new(o, "township_name", opt_str(t ? t->name : NULL));
	json_object_set_new(o, "category_name", opt_str(k ? k->name : NULL));
	json_object_set_new(o, "platform",
	    k ? json_string(platform_name(k->platform)) : json_null());
	json_object_set_new(o, "agency_name", opt_str(a ? a->name : NULL));
	if (reason && route_case(rd, c->category, c->grid, &r, NULL, 0) == 0)
		json_object_set_new(o, "route", json_pack("{s:s,s:s,s:s}",
		    "lead", r.lead->code, "lead_name", r.lead->name,
		    "reason", r.reason));
	else if (!reason && k != NULL && (g = refdata_juris(rd, c->grid)) !=
	    NULL && (u = route_find(rd, k, g)) != NULL)	/* no text built */
		json_object_set_new(o, "route", json_pack("{s:s,s:s}",
		    "lead", u->lead->code, "lead_name", u->lead->name));
	else
		json_object_set_new(o, "route", json_null());
}

json_t *
casejson_case(const struct store_case *c, const struct refdata *rd)
{
	json_t			*o = json_object();
	const struct juris	*d;

	if (o == NULL)
		return NULL;
	casejson_queue(o, c);
	json_object_set_new(o, "grid", json_string(c->grid));
	json_object_set_new(o, "township", json_string(c->township));
	json_object_set_new(o, "district", json_string(c->district));
	json_object_set_new(o, "category", json_string(c->category));
	json_object_set_new(o, "address", opt_str(c->address));
	json_object_set_new(o, "reporter", opt_str(c->reporter));
	json_object_set_new(o, "source", opt_str(c->source));
	json_object_set_new(o, "id", opt_str(c->ext_id));
	json_object_set_new(o, "updated_at", casejson_time(c->updated_at));
	json_object_set_new(o, "closed_at", casejson_time(c->closed_at));
	json_object_set_new(o, "support", opt_str(c->support));
	json_object_set_new(o, "level", json_string(juris_level_name(
	    (enum juris_level)c->level)));
	json_object_set_new(o, "limit", json_integer(c->limit));
	json_object_set_new(o, "unit", json_string(calendar_unit_name(c->unit)));
	json_object_set_new(o, "presses", json_integer(c->presses));
	json_object_set_new(o, "merged_into", opt_str(c->merged_no));
	if (c->has_location)
		json_object_set_new(o, "location", json_pack("{s:f,s:f}",
		    "lat", c->lat, "lon", c->lon));
	if (rd != NULL) {
		casejson_names(o, c, rd, 1);
		d = refdata_juris(rd, c->district);
		json_object_set_new(o, "district_name",
		    opt_str(d ? d->name : NULL));
	}
	return o;
}

json_t *
casejson_brief(const struct store_case *c, const struct refdata *rd)
{
	json_t	*o = json_object();

	if (o == NULL)
		return NULL;
	casejson_queue(o, c);
	casejson_names(o, c, rd, 0);
	return o;
}

json_t *
casejson_event(const struct store_event *e)
{
	json_t	*o = json_object(), *detail = NULL;

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "seq", json_integer(e->seq));
	json_object_set_new(o, "case", opt_str(e->case_no));
	json_object_set_new(o, "version", json_integer(e->version));
	json_object_set_new(o, "at", casejson_time(e->at));
	json_object_set_new(o, "actor", opt_str(e->actor));
	json_object_set_new(o, "action", opt_str(e->action));
	json_object_set_new(o, "from", opt_str(e->from_state));
	json_object_set_new(o, "to", opt_str(e->to_state));
	json_object_set_new(o, "agency", opt_str(e->agency));
	json_object_set_new(o, "reason_code", opt_str(e->reason_code));
	json_object_set_new(o, "reason", opt_str(e->reason));
	if (e->detail != NULL)
		detail = json_loads(e->detail, 0, NULL);
	json_object_set_new(o, "detail", detail ? detail : json_null());
	return o;
}
