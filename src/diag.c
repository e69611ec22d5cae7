/* diag.c - the catalogue of diagnostics about notes, with levels, and their one format. */
#include "kb/diag.h"

#include <stdlib.h>
#include <string.h>

#include "kb/width.h"

static const enum kb_diag_level levels[KB_D__COUNT] = {
	[KB_D_UNREADABLE] = KB_DIAG_ERROR,
	[KB_D_EMPTY] = KB_DIAG_ERROR,
	[KB_D_BINARY] = KB_DIAG_ERROR,
	[KB_D_NOT_UTF8] = KB_DIAG_ERROR,
	[KB_D_TOO_BIG] = KB_DIAG_ERROR,
	[KB_D_YAML] = KB_DIAG_WARNING,
	[KB_D_FRONT_MATTER] = KB_DIAG_WARNING,
	[KB_D_UNCLOSED_FM] = KB_DIAG_WARNING,
	[KB_D_DUPLICATE_ID] = KB_DIAG_WARNING,
	[KB_D_COMPONENTS] = KB_DIAG_ERROR,
	[KB_D_BOM] = KB_DIAG_NOTE,
	[KB_D_CONTROL] = KB_DIAG_WARNING,
	[KB_D_SKIPPED_DIR] = KB_DIAG_WARNING,
	[KB_D_DEEP] = KB_DIAG_WARNING,
	[KB_D_NO_CONTENT] = KB_DIAG_WARNING,
	[KB_D_OUTSIDE] = KB_DIAG_ERROR,
	[KB_D_DIR_NAMED_NOTE] = KB_DIAG_WARNING,
	[KB_D_LINK_REFUSED] = KB_DIAG_WARNING,
	[KB_D_LINK_SKIPPED] = KB_DIAG_NOTE,
	[KB_D_ROFF] = KB_DIAG_WARNING,
};

void kb_diag_add(struct kb_diags *d, enum kb_diag_code code, const char *path, int line, int col,
                 const char *fmt, ...)
{
	struct kb_buf msg = {0};
	va_list ap;
	va_start(ap, fmt);
	kb_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	kb_xgrow(&d->v, &d->cap, d->n + 1, sizeof *d->v);
	d->v[d->n++] = (struct kb_diag){
		.code = code,
		.path = kb_xstrdup(path ? path : "-"),
		.line = line,
		.col = col,
		.msg = kb_buf_take(&msg),
	};
}

enum kb_diag_level kb_diag_level(enum kb_diag_code code)
{
	return (unsigned)code < KB_D__COUNT ? levels[code] : KB_DIAG_ERROR;
}

const char *kb_diag_level_name(enum kb_diag_level level)
{
	switch (level) {
	case KB_DIAG_NOTE: return "note";
	case KB_DIAG_WARNING: return "warning";
	case KB_DIAG_ERROR: return "error";
	}
	return "error";
}

void kb_diag_format(const struct kb_diag *d, struct kb_buf *out)
{
	struct kb_buf raw = {0};
	kb_buf_printf(&raw, "kb: %s", d->path);
	if (d->line > 0)
		kb_buf_printf(&raw, ":%d", d->line);
	if (d->line > 0 && d->col > 0)
		kb_buf_printf(&raw, ":%d", d->col);
	kb_buf_printf(&raw, ": %s: %s", kb_diag_level_name(kb_diag_level(d->code)), d->msg);
	/* Paths and messages may quote a note: nothing of it reaches a terminal raw. */
	kb_sanitize(out, raw.s, raw.len, false);
	kb_buf_free(&raw);
}

size_t kb_diags_count(const struct kb_diags *d, enum kb_diag_level level)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		n += kb_diag_level(d->v[i].code) >= level;
	return n;
}

void kb_diags_free(struct kb_diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].path);
		free(d->v[i].msg);
	}
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}

void kb_diags_move(struct kb_diags *to, struct kb_diags *from)
{
	kb_xgrow(&to->v, &to->cap, to->n + from->n, sizeof *to->v);
	if (from->n)
		memcpy(to->v + to->n, from->v, from->n * sizeof *from->v);
	to->n += from->n;
	free(from->v);
	memset(from, 0, sizeof *from);
}
