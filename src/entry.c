/* entry.c - the data model: an entry is one problem and its fix, cut from a note. */
#include "kb/entry.h"

#include <stdlib.h>
#include <string.h>

struct kb_entry *kb_entries_add(struct kb_entries *es)
{
	kb_xgrow(&es->v, &es->cap, es->n + 1, sizeof *es->v);
	struct kb_entry *e = &es->v[es->n++];
	memset(e, 0, sizeof *e);
	return e;
}

void kb_entry_add_symptom(struct kb_entry *e, const char *text, const char *signature, int line)
{
	for (size_t i = 0; i < e->nsymptoms; i++)
		if (strcmp(e->symptoms[i].signature, signature) == 0)
			return;
	kb_xgrow(&e->symptoms, &e->capsymptoms, e->nsymptoms + 1, sizeof *e->symptoms);
	e->symptoms[e->nsymptoms++] = (struct kb_symptom){
		.text = kb_xstrdup(text),
		.signature = kb_xstrdup(signature),
		.line = line,
	};
}

void kb_entry_clear(struct kb_entry *e)
{
	free(e->id);
	free(e->path);
	free(e->title);
	free(e->section);
	free(e->doc_title);
	free(e->body);
	kb_strv_free(&e->components);
	kb_strv_free(&e->tags);
	kb_strv_free(&e->links);
	for (size_t i = 0; i < e->nsymptoms; i++) {
		free(e->symptoms[i].text);
		free(e->symptoms[i].signature);
	}
	free(e->symptoms);
	memset(e, 0, sizeof *e);
}

void kb_entries_free(struct kb_entries *es)
{
	for (size_t i = 0; i < es->n; i++)
		kb_entry_clear(&es->v[i]);
	free(es->v);
	es->v = NULL;
	es->n = es->cap = 0;
}
