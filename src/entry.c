/* entry.c - the data model: an entry is one problem and its fix, cut from a note. */
#include "kb/entry.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name, *source;
	bool path_words, title_section, context_page, read_long;
} formats[KB_FORMAT__COUNT] = {
	[KB_FORMAT_MARKDOWN] = {"markdown", "notes", true, false, false, false},
	[KB_FORMAT_ROFF] = {"roff", "man", false, true, true, true},
};

const char *kb_format_name(int kind)
{
	return kind >= 0 && kind < KB_FORMAT__COUNT ? formats[kind].name : NULL;
}

const char *kb_format_source(int kind)
{
	return kind >= 0 && kind < KB_FORMAT__COUNT ? formats[kind].source : NULL;
}

bool kb_format_path_words(int kind)
{
	return kind >= 0 && kind < KB_FORMAT__COUNT && formats[kind].path_words;
}

bool kb_format_read_long(int kind)
{
	return kind >= 0 && kind < KB_FORMAT__COUNT && formats[kind].read_long;
}

bool kb_format_context_page(int kind)
{
	return kind >= 0 && kind < KB_FORMAT__COUNT && formats[kind].context_page;
}

size_t kb_format_context_title(int kind, const char *title)
{
	size_t n = strlen(title);
	const char *open = strrchr(title, '(');
	if (kind >= 0 && kind < KB_FORMAT__COUNT && formats[kind].title_section && open && n > 0 && title[n - 1] == ')')
		return (size_t)(open - title);
	return n;
}

int kb_format_parse(const char *name)
{
	for (int i = 0; name && i < KB_FORMAT__COUNT; i++)
		if (strcmp(name, formats[i].name) == 0)
			return i;
	return -1;
}

size_t kb_note_suffix_len(const char *name)
{
	static const char *const suffixes[] = {".md", ".markdown"};
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
		size_t k = strlen(suffixes[i]);
		if (n > k && kb_ascii_strcaseeq(name + n - k, suffixes[i]))
			return k;
	}
	return 0;
}

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

const char *kb_entry_anchor(const struct kb_entry *e)
{
	size_t n = e->path ? strlen(e->path) : 0;
	return e->id && e->path && strncmp(e->id, e->path, n) == 0 && e->id[n] == '#' ? e->id + n + 1 : "";
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
	kb_strv_free(&e->mentions);
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
