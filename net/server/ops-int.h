/*
 * ops-int.h: what the control operations' files share: the field access
 * of ops-req.c, used by ops.c and ops-who.c, and ops-who.c's operations,
 * which ops.c's table lists.
 */
#ifndef GL_OPS_INT_H
#define GL_OPS_INT_H

#include <jansson.h>

#include "ops.h"
#include "store.h"

#define OPS_NAME_CHARS		64	/* an operator's name */
#define OPS_RATE_CODE_CHARS	32	/* an agency's code (as ops.c's) */

/* Cut s (NUL-terminated, cut to its buffer by snprintf) back to the end
 * of its last whole character (ops-req.c). */
void	ops_fit(char *s);

/* Field access, one error per problem, named by its field (ops-req.c). */
json_t	*ops_params(json_t *e, json_t *params);
json_t	*req_str(json_t *req, const char *key, int required,
	    const char **out);
json_t	*req_text(json_t *req, const char *key, int required, size_t max,
	    const char **out);
json_t	*req_bool(json_t *req, const char *key, int *out);
json_t	*req_int(json_t *req, const char *key, int required, json_int_t dflt,
	    json_int_t *out);

/* Who may (ops-who.c): NULL when x's operator may take action a on case
 * c (dispatching it to agency, for a dispatch), else the forbidden reply
 * naming the rule. Always NULL while the database has no operator. */
json_t	*ops_rights(struct opctx *x, const struct store_case *c,
	    enum case_action a, const char *agency);

/* Reads in the operator's reach (ops-who.c): 1 when who (NULL: no
 * operators yet) sees case c; and the forbidden reply naming the scope
 * when it does not (NULL when it does). */
int	ops_sees(const struct auth_operator *who, const struct store_case *c);
json_t	*ops_sees_case(struct opctx *x, const struct store_case *c);

/* The evaluation figures of a period (ops-report.c). */
json_t	*ops_report(struct opctx *x, json_t *req);

/* The operator operations (ops-who.c). */
json_t	*ops_operators(struct opctx *x, json_t *req);
json_t	*ops_operator_add(struct opctx *x, json_t *req);
json_t	*ops_operator_set(struct opctx *x, json_t *req);
json_t	*ops_feeder_add(struct opctx *x, json_t *req);
json_t	*ops_feeder_set(struct opctx *x, json_t *req);

/* Ratings of stationed units (ops-rate.c). */
json_t	*ops_rate(struct opctx *x, json_t *req);
json_t	*ops_ratings(struct opctx *x, json_t *req);

#endif
