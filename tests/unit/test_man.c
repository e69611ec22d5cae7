/* test_man.c - roff man pages to entries (compile_man.c): ids, keywords, symptoms, bodies. */
#include <stdlib.h>

#include "harness.h"
#include "kb/compile.h"
#include "kb/format.h"
#include "kb/render.h"

struct out {
	struct kb_entries es;
	struct kb_diags d;
	int rc;
};

static struct out man(const char *id, const char *roff)
{
	struct out o = {0};
	o.rc = kb_compile_man(id, roff, strlen(roff), NULL, &o.es, &o.d);
	return o;
}

static void done(struct out *o)
{
	kb_entries_free(&o->es);
	kb_diags_free(&o->d);
}

static const struct kb_entry *find(const struct out *o, const char *id)
{
	for (size_t i = 0; i < o->es.n; i++)
		if (strcmp(o->es.v[i].id, id) == 0)
			return &o->es.v[i];
	return NULL;
}

static char *joined(const struct kb_strv *v)
{
	return kb_strv_join(v, " ");
}

static void check_tags(const struct out *o, const char *id, const char *want)
{
	const struct kb_entry *e = find(o, id);
	char *got = e ? joined(&e->tags) : NULL;
	CHECK_STR(got, want);
	free(got);
}

static const char tp_page[] =
	".TH RMX 1\n.SH NAME\nrmx, unlinkx \\- remove files\n.SH SYNOPSIS\n.B rmx\n[\\fB\\-R\\fR] \\fIFILE\\fR...\n"
	".SH OPTIONS\n.TP\n.BR \\-R \", \" \\-\\-recursive\nremove directories\n"
	".TP\n.B \\-\\-no\\-preserve\\-root\ndo not treat \\(aq/\\(aq specially\n"
	".TP\n\\fB\\-\\-format\\fR=\\fIWORD\\fR\nprint in WORD\n"
	".SS Examples\n.nf\nrmx \\-R /tmp/x\n.fi\n"
	".SH EXIT STATUS\n.TP\n.B 3\nthe file is busy\n.SH FILES\n.TS\nl l.\n/etc/rmx\tsettings\n.TE\n";

static void man7(void)
{
	struct out o = man("man:rmx(1)", tp_page);
	const struct kb_entry *e;
	CHECK_INT(o.rc, 9);
	/* the head: NAME and SYNOPSIS, every name a keyword */
	e = find(&o, "man:rmx(1)");
	CHECK_STR(e ? e->title : NULL, "rmx(1) - remove files");
	check_tags(&o, "man:rmx(1)", "rmx unlinkx");
	CHECK(e && strstr(e->body, "## SYNOPSIS") && strstr(e->body, "**rmx** \\[**-R**\\] *FILE*..."));
	CHECK(e && e->format == KB_FORMAT_ROFF && strcmp(e->path, "man:rmx(1)") == 0);
	CHECK_STR(e ? e->doc_title : NULL, "rmx(1)");
	/* options: ids and spellings as typed (\- is -) */
	check_tags(&o, "man:rmx(1)#--recursive", "-R --recursive");
	check_tags(&o, "man:rmx(1)#--no-preserve-root", "--no-preserve-root");
	check_tags(&o, "man:rmx(1)#--format", "--format= --format");
	e = find(&o, "man:rmx(1)#--no-preserve-root");
	CHECK_STR(e ? e->section : NULL, "OPTIONS");
	CHECK(e && strstr(e->body, "do not treat '/' specially"));
	CHECK(find(&o, "man:rmx(1)#OPTIONS") && find(&o, "man:rmx(1)#Examples"));
	/* a nofill display is a code block, a table a pipe table (no header here: an empty one) */
	e = find(&o, "man:rmx(1)#Examples");
	CHECK(e && strstr(e->body, "```\nrmx -R /tmp/x\n```"));
	e = find(&o, "man:rmx(1)#FILES");
	CHECK(e && strstr(e->body, "|  |  |\n| --- | --- |\n| /etc/rmx | settings |\n"));
	/* EXIT STATUS items are symptoms */
	e = find(&o, "man:rmx(1)#3");
	CHECK(e && e->nsymptoms == 1 && strcmp(e->symptoms[0].text, "3") == 0);
	e = find(&o, "man:rmx(1)#--recursive");
	CHECK(e && e->nsymptoms == 0);
	CHECK(o.d.n == 1 && o.d.v[0].code == KB_D_MANDOC && strstr(o.d.v[0].args, "missing date"));
	done(&o);
}

static const char docbook_page[] =
	".TH \"UNITX\" \"5\" \"\" \"\" \"unitx\"\n.SH \"NAME\"\nunitx \\- unit settings\n.SH \"OPTIONS\"\n"
	"Settings follow\\&.\n.PP\n\\fIRestart=\\fR\n.RS 4\nWhether to restart\\&.\n.RE\n"
	".PP\n\\fIRestartSec=\\fR, \\fIRetrySec=\\fR\n.RS 4\nHow long\\&.\n.RE\n"
	".SH \"DIAGNOSTICS\"\n.sp\n\\fBunit is locked\\fR\n.RS 4\nWait\\&.\n.RE\n";

static void docbook(void)
{
	struct out o = man("man:unitx(5)", docbook_page);
	const struct kb_entry *e;
	/* DocBook's .PP+.RS and asciidoctor's .sp+.RS are items */
	check_tags(&o, "man:unitx(5)#Restart=", "Restart= Restart");
	check_tags(&o, "man:unitx(5)#RestartSec=", "RestartSec= RestartSec RetrySec= RetrySec");
	e = find(&o, "man:unitx(5)#Restart=");
	CHECK(e && strstr(e->body, "Whether to restart."));
	/* a message of DIAGNOSTICS: its own anchor, a symptom */
	e = find(&o, "man:unitx(5)#unit-is-locked");
	CHECK(e && e->nsymptoms == 1 && strcmp(e->symptoms[0].text, "unit is locked") == 0);
	/* mandoc's warnings are diagnostics, with their line */
	CHECK(o.d.n >= 1 && o.d.v[0].code == KB_D_MANDOC && o.d.v[0].line == 1);
	done(&o);
	/* a line ending with a colon leads into the block after it: no term, and the items in
	 * that block are entries */
	o = man("man:lead(5)", ".TH LEAD 5\n.SH NAME\nlead \\- x\n.SH OPTIONS\n.PP\nThe options are:\n.RS 4\n"
	        ".TP\n.B \\-q\nbe quiet\n.RE\n.PP\n\\fBKey=\\fR\n.RS 4\nA key.\n.RE\n");
	CHECK(!find(&o, "man:lead(5)#The"));
	CHECK(find(&o, "man:lead(5)#-q") && find(&o, "man:lead(5)#Key="));
	e = find(&o, "man:lead(5)#OPTIONS");
	CHECK(e && strstr(e->body, "The options are:"));
	done(&o);
}

static const char mdoc_page[] =
	".Dd January 1, 2026\n.Dt BINDX 2\n.Os\n.Sh NAME\n.Nm bindx\n.Nd bind a name\n.Sh SYNOPSIS\n.Nm\n"
	".Op Fl v\n.Sh DESCRIPTION\n.Bl -tag -width Ds\n.It Fl v\nSay so.\n"
	".It Cm ServerAliveInterval Ar seconds\nA timeout, see\n.Xr unitx 5 .\n.El\n"
	".Sh ERRORS\n.Bl -tag -width Er\n.It Bq Er EADDRINUSE\nThe address is in use.\n.El\n";

static void mdoc(void)
{
	struct out o = man("man:bindx(2)", mdoc_page);
	const struct kb_entry *e;
	e = find(&o, "man:bindx(2)");
	CHECK_STR(e ? e->title : NULL, "bindx(2) - bind a name");
	check_tags(&o, "man:bindx(2)#-v", "-v");
	check_tags(&o, "man:bindx(2)#ServerAliveInterval", "ServerAliveInterval");
	e = find(&o, "man:bindx(2)#ServerAliveInterval");
	CHECK(e && strstr(e->body, "see [**unitx**(5)](man:unitx(5))."));
	e = find(&o, "man:bindx(2)#EADDRINUSE");
	CHECK(e && e->nsymptoms == 1 && strcmp(e->symptoms[0].text, "EADDRINUSE") == 0);
	done(&o);
}

/* tbl tables: the header above a rule (two rows of it joined), or a bold first row; the
 * columns' alignment from the rows' layout; a '|' in a cell stays in it; rules go. */
static void tables(void)
{
	struct out o = man("man:tbl(7)", ".TH TBL 7\n.SH NAME\ntbl \\- x\n.SH ONE\n.TS\nl r c.\nName\tSize\tKind\n"
	                   "\tin KB\n_\na|b\t10\tfile\n_\nc\t2\tdir\n.TE\n.SH TWO\n.TS\nlB lB\nl l.\nKey\tValue\nk\tv\n.TE\n");
	const struct kb_entry *e = find(&o, "man:tbl(7)#ONE");
	CHECK(e && strstr(e->body, "| Name | Size in KB | Kind |\n| --- | --: | :-: |\n"
	                           "| a`|`b | 10 | file |\n| c | 2 | dir |"));
	e = find(&o, "man:tbl(7)#TWO");
	CHECK(e && strstr(e->body, "| **Key** | **Value** |\n| --- | --- |\n| k | v |\n"));
	done(&o);
}

static void edges(void)
{
	struct out o;
	/* a translated page: headings mapped for anchors and the head */
	o = man("man:zh_CN/lsx(1)", ".TH LSX 1\n.SH 名称\nlsx \\- 列出\n.SH 概述\n.B lsx\n.SH 选项\n.TP\n.B \\-R\n递归\n");
	CHECK(find(&o, "man:zh_CN/lsx(1)#OPTIONS") && find(&o, "man:zh_CN/lsx(1)#-R"));
	CHECK(o.es.n > 0 && strstr(o.es.v[0].body, "## 概述"));
	CHECK_STR(o.es.n ? o.es.v[0].title : NULL, "lsx(1) - 列出");
	done(&o);
	/* a .so stub: no entry (kb build makes it an alias); .so elsewhere is not followed */
	o = man("man:stub(1)", ".so man1/rmx.1\n");
	CHECK_INT(o.rc, 0);
	done(&o);
	o = man("man:stub2(1)", ".so /etc/passwd\n\n");
	CHECK(o.rc == 1 && !strstr(o.es.v[0].body, "root:"));
	done(&o);
	o = man("man:inc(1)", ".TH INC 1\n.SH NAME\ninc \\- x\n.SH DESCRIPTION\n.so /etc/passwd\nafter\n");
	CHECK(o.rc == 2 && strstr(o.es.v[1].body, "after") && !strstr(o.es.v[1].body, "root:"));
	/* ... but named, as mandoc names a file it does not read (zshall(1)) */
	CHECK(o.rc == 2 && strstr(o.es.v[1].body, "See the file /etc/passwd. after"));
	done(&o);
	/* centred lines (.ce) are text, each a paragraph: they were dropped (mawk(1)) */
	o = man("man:ce(1)", ".TH CE 1\n.SH NAME\nce \\- x\n.SH DESCRIPTION\ntext\n.sp\n.ce\n\"a string\"\n.sp\nafter\n"
	        ".ce 2\nline one\nline two\nline three\n");
	CHECK(o.rc == 2 && strstr(o.es.v[1].body, "text\n\n\"a string\"\n\nafter\n\nline one\n\nline two\n\nline three"));
	done(&o);
	/* two items of one name: unique ids */
	o = man("man:dup(2)", ".TH DUP 2\n.SH NAME\ndup \\- x\n.SH ERRORS\n.TP\n.B EINVAL\na\n.TP\n.B EINVAL\nb\n");
	CHECK(find(&o, "man:dup(2)#EINVAL") && find(&o, "man:dup(2)#EINVAL-2"));
	done(&o);
	/* .TP and .IP indents are not tags; a name of several words stays one keyword */
	o = man("man:ind(1)", ".TH IND 1\n.SH NAME\ngit ind, gitind \\- x\n.SH OPTIONS\n.TP 2m\n.B \\-x\nex\n"
	        ".IP \"\\-y\" 4\nwhy\n");
	CHECK(find(&o, "man:ind(1)#-x") && find(&o, "man:ind(1)#-y"));
	check_tags(&o, "man:ind(1)", "git ind gitind");
	done(&o);
		/* items that only name other pages (an index such as systemd.directives) are not entries */
	o = man("man:dirx(7)", ".TH DIRX 7\n.SH NAME\ndirx \\- x\n.SH DIRECTIVES\n.PP\n\\fIRestart=\\fR\n.RS 4\n"
	        "\\fBsystemd.service\\fR(5), \\fBsystemd.unit\\fR(5)\n.RE\n.TP\n.B Simple `a|b` way\nreally explained\n");
	CHECK(!find(&o, "man:dirx(7)#Restart=") && o.es.n == 3);
	CHECK(o.es.n == 3 && strstr(o.es.v[1].body, "*Restart=*\n\n[**systemd.service**(5)](man:systemd.service(5)), "
	                                          "[**systemd.unit**(5)](man:systemd.unit(5))"));
	CHECK(find(&o, "man:dirx(7)#Simple"));
	done(&o);
	o = man("man:anc(1)", ".TH ANC 1\n.SH NAME\nanc \\- x\n.SH \"A `B|C` (D)\"\ntext\n");
	CHECK(find(&o, "man:anc(1)#A--B-C---D-"));
	done(&o);
		/* not a man page at all */
	memset(&o, 0, sizeof o);
	o.rc = kb_compile_man("man:bin(1)", "a\0b", 3, NULL, &o.es, &o.d);
	CHECK(o.rc == -1 && o.d.n == 1 && o.d.v[0].code == KB_D_BINARY);
	done(&o);
	o = man("man:nul(1)", "");
	CHECK(o.rc >= 0);
	done(&o);
}

/* Tags in a row that share one description are one entry: man(7)'s .TP+.TQ, mdoc's .It
 * without a body (ssh's four -L forms); a tag without a description before a paragraph or
 * another section stays an entry of its own. */
static void groups(void)
{
	struct out o = man("man:grp(1)", ".TH GRP 1\n.SH NAME\ngrp \\- x\n.SH OPTIONS\n"
	                   ".TP\n.B \\-h\n.TQ\n.B \\-\\-help\nshow help\n.TP\n.B \\-q\n.PP\nalone\n"
	                   ".TP\n.B \\-v\n.SH ERRORS\n.TP\n.B EAGAIN\n.TQ\n.B EWOULDBLOCK\nwould block\n");
	const struct kb_entry *e = find(&o, "man:grp(1)#--help");
	CHECK_STR(e ? e->title : NULL, "-h, --help");
	check_tags(&o, "man:grp(1)#--help", "-h --help");
	CHECK(e && strstr(e->body, "**-h**\n\n**--help**\n\nshow help"));
	CHECK(find(&o, "man:grp(1)#-q") && find(&o, "man:grp(1)#-v"));
	e = find(&o, "man:grp(1)#EAGAIN");
	CHECK_STR(e ? e->title : NULL, "EAGAIN, EWOULDBLOCK");
	CHECK(e && e->nsymptoms == 2 && strcmp(e->symptoms[1].text, "EWOULDBLOCK") == 0);
	CHECK(!find(&o, "man:grp(1)#EWOULDBLOCK"));
	done(&o);
	o = man("man:sshx(1)", ".Dd January 1, 2026\n.Dt SSHX 1\n.Os\n.Sh NAME\n.Nm sshx\n.Nd x\n"
	        ".Sh DESCRIPTION\n.Bl -tag -width Ds\n.It Fl L Xo\n.Sm off\n.Oo Ar bind : Oc\n.Ar port : host\n"
	        ".Sm on\n.Xc\n.It Fl L Xo\n.Sm off\n.Ar local_socket : host\n.Sm on\n.Xc\nForwards a port.\n.El\n");
	e = find(&o, "man:sshx(1)#-L");
	/* the first word after .Sm off keeps its space, as mandoc prints it */
	CHECK_STR(e ? e->title : NULL, "-L [bind:]port:host, -L local_socket:host");
	CHECK(e && strstr(e->body, "Forwards a port."));
	CHECK(!find(&o, "man:sshx(1)#-L-2"));
	done(&o);
	/* a long list of bare names (proc(5)'s vmstat fields) is cut into titles of a line or two */
	{
		struct kb_buf roff = {0};
		kb_buf_puts(&roff, ".TH LST 5\n.SH NAME\nlst \\- x\n.SH FIELDS\n");
		for (int i = 0; i < 40; i++)
			kb_buf_printf(&roff, ".TP\n.B field_number_%d\n", i);
		kb_buf_puts(&roff, "what they count\n");
		o = man("man:lst(5)", roff.s);
		CHECK(o.es.n > 4 && o.es.n < 20);
		for (size_t i = 0; i < o.es.n; i++)
			CHECK(strlen(o.es.v[i].title) <= 160);
		e = find(&o, "man:lst(5)#field_number_0");
		CHECK(e && strncmp(e->title, "field_number_0, field_number_1, ", 32) == 0);
		done(&o);
		kb_buf_free(&roff);
	}
}

/* Requests that only set spacing or indents (pod2man's .PD 0 between the tags of one item,
 * rst2man's .in after each option) print nothing: not "0" or "168u" in the text, not a term
 * of its own before the .RS that follows; and the assembled page (kb_format_man_page)
 * holds each tag of a shared item once. */
static void spacing(void)
{
	struct out o = man("man:pd(1)", ".TH PD 1\n.SH NAME\npd \\- x\n.SH OPTIONS\nThe forms are equivalent.\n"
	                   ".IP \"\\fB\\-a\\fR\" 4\n.PD 0\n.IP \"\\fB\\-\\-addresses\\fR\" 4\n.PD\nshow addresses\n"
	                   ".IP \"\\fB\\-b\\fR\" 4\nbase\n"
	                   ".SH MORE\n.RS 0.0\n.TP\n.B \\-help\nprint help\n.RE\n.in 168u\n"
	                   ".RS 0.0\n.TP\n.B \\-list\nprint a list\n.RE\n.in 168u\n.PP\nlast\n");
	const struct kb_entry *e = find(&o, "man:pd(1)#--addresses");
	char *page;
	CHECK_STR(e ? e->title : NULL, "-a, --addresses");
	CHECK(e && strstr(e->body, "**-a**\n\n**--addresses**\n\nshow addresses"));
	CHECK(find(&o, "man:pd(1)#-b") && find(&o, "man:pd(1)#-help") && find(&o, "man:pd(1)#-list"));
	for (size_t i = 0; i < o.es.n; i++) {
		CHECK(!strstr(o.es.v[i].body, "168u") && !strstr(o.es.v[i].body, "\n0\n"));
		CHECK(strcmp(o.es.v[i].title, "168u") != 0);
	}
	page = kb_format_man_page(o.es.v, o.es.n);
	CHECK(page && strstr(page, "equivalent.\n\n**-a**\n\n**--addresses**\n\nshow addresses\n\n**-b**\n\nbase"));
	CHECK(page && strstr(page, "**-help**\n\nprint help") && strstr(page, "**-list**\n\nprint a list") &&
	      strstr(page, "last"));
	free(page);
	done(&o);
	/* tags too many for one title: two entries, the first without a description, and
	 * each tag once in the page (the first entry's last tag took one newline too many, and
	 * the second entry was printed again after the section: EVP_PKEY-RSA(7ssl)) */
	{
		char a[96], b[96], c[64], d[64];
		struct kb_buf roff = {0};
		memset(a, 'a', 60), memset(b, 'b', 60), memset(c, 'c', 60), memset(d, 'd', 60);
		a[60] = b[60] = c[60] = d[60] = '\0';
		kb_buf_printf(&roff, ".TH LONG 1\n.SH NAME\nlong \\- x\n.SH OPTIONS\n.TP\n.B \\-\\-%s\n.TQ\n.B \\-\\-%s\n"
		              ".TQ\n.B \\-\\-%s\n.TQ\n.B \\-\\-%s\nall four\n.TP\n.B \\-e\nlast\n", a, b, c, d);
		o = man("man:long(1)", roff.s);
		CHECK(o.es.n == 5);
		page = kb_format_man_page(o.es.v, o.es.n);
		CHECK(page && strstr(page, c) && !strstr(strstr(page, c) + 1, c) && strstr(page, a) &&
		      !strstr(strstr(page, a) + 1, a) && strstr(page, "all four\n\n**-e**\n\nlast\n"));
		free(page);
		done(&o);
		/* and one tag too long to share a title with the next (bash(1)'s mapfile and
		 * readarray): the next was printed twice */
		memset(a, 'a', 90), memset(b, 'b', 90);
		a[90] = b[90] = '\0';
		kb_buf_reset(&roff);
		kb_buf_printf(&roff, ".TH LONG 1\n.SH NAME\nlong \\- x\n.SH OPTIONS\n.TP\n.B \\-\\-%s\n.PD 0\n.TP\n"
		              ".B \\-\\-%s\n.PD\nboth\n.TP\n.B \\-e\nlast\n", a, b);
		o = man("man:long(1)", roff.s);
		CHECK(o.es.n == 5);
		page = kb_format_man_page(o.es.v, o.es.n);
		CHECK(page && strstr(page, b) && !strstr(strstr(page, b) + 1, b) && strstr(page, "both\n\n**-e**\n\nlast\n"));
		free(page);
		done(&o);
		kb_buf_free(&roff);
	}
	/* .TP and .TQ: both tags, once each, then their description */
	o = man("man:tq(1)", ".TH TQ 1\n.SH NAME\ntq \\- x\n.SH OPTIONS\n.TP\n.B \\-\\-url\n.TQ\n.B \\-u\nuse a URL\n"
	        ".TP\n.B \\-l\nlocal\n");
	page = kb_format_man_page(o.es.v, o.es.n);
	CHECK(page && strstr(page, "**--url**\n\n**-u**\n\nuse a URL\n\n**-l**\n\nlocal"));
	free(page);
	done(&o);
}

/* A list's marks (.IP \\(bu, ○, "1.", "(a)") are no terms: their items are not entries of
 * their own, hits titled "•" or "1.", but items of a markdown list in their section, drawn
 * as the reader draws lists; a tag with a word in it still is an entry, in any script. */
static void bullets(void)
{
	struct out o = man("man:bl(7)", ".TH BL 7\n.SH NAME\nbl \\- x\n.SH NOTES\nThree cases:\n"
	                   ".IP \\(bu 2\nfirst case\n.IP \\[ci] 2\nsecond case\n.sp\nmore of it\n.IP \\(em 2\nthird case\n"
	                   ".SH STEPS\n.IP 1. 4\nopen it\n.IP 2. 4\nclose it\n.IP (a) 4\nor this\n"
	                   ".SH FIELDS\n.IP \\(bu1 4\nbullet one\n.IP 名称 4\na name\n.IP 2 4\nexit two\n");
	const struct kb_entry *e = find(&o, "man:bl(7)#NOTES");
	CHECK(e && strstr(e->body, "Three cases:\n\n- first case\n\n- second case\n\n  more of it\n\n- third case"));
	e = find(&o, "man:bl(7)#STEPS");
	CHECK(e && strstr(e->body, "1. open it\n\n2. close it\n\n(a) or this"));
	for (size_t i = 0; i < o.es.n; i++)
		CHECK(strcmp(o.es.v[i].title, "•") != 0 && strcmp(o.es.v[i].title, "○") != 0 &&
		      strcmp(o.es.v[i].title, "—") != 0 && strcmp(o.es.v[i].title, "1.") != 0 &&
		      strcmp(o.es.v[i].title, "(a)") != 0);
	CHECK(find(&o, "man:bl(7)#名称") != NULL);
	CHECK(find(&o, "man:bl(7)#2") != NULL && find(&o, "man:bl(7)#•1") != NULL);
	done(&o);
	/* a display first: under a mark that is text, not on its line (the fence would not be
	 * one, and the rest of the page would be in it); a bullet's item may start with one */
	o = man("man:bd(7)", ".TH BD 7\n.SH NAME\nbd \\- x\n.SH MATH\n.IP (1) 4\n.nf\nS(t) <= w(t)\n.fi\n"
	        ".IP \\(bu 2\n.nf\nx = 1\n.fi\n.SH NEXT\nafter\n");
	e = find(&o, "man:bd(7)#MATH");
	CHECK(e && strstr(e->body, "(1)\n\n```") && strstr(e->body, "- ```"));
	CHECK(e && !strstr(e->body, "after"));
	{
		char *page = kb_format_man_page(o.es.v, o.es.n);
		CHECK(page && strstr(page, "## NEXT\n\nafter"));
		free(page);
	}
	done(&o);
}

/* Text mandoc prints and text it does not: layout requests inside a tag, a display or an
 * expanded macro print nothing (zsh's ".TP" + ".PD 0", rst2man's ".RS 0.0" in a synopsis,
 * ".in +.2i" and ".ft P" in a display); a font mandoc does not know (pandoc's \f[C]) drops
 * only itself; a heading is text, not HTML; SYNOPSIS holds its subsections and .TP forms,
 * a translated synopsis heading ("SYNTAX") is one only right after NAME. */
static void hidden(void)
{
	struct out o = man("man:hid(1)", ".TH HID 1\n.SH NAME\nhid \\- x\n.SH SYNOPSIS\n.TP\n.B hid \\-n\nlists\n"
	                   ".SS Forms\n.RS 0.0\nform one\n.RE\n.SH OPTIONS\n.TP\n.PD 0\n\\fB\\-a\\fP\n.TP\n.PD\n"
	                   "\\fB\\-b\\fP\nboth\n.PP\nrun \\f[C]hid \\-a\\f[R] now\n"
	                   ".nf\n.in +.2i\n.ft CR\ncode line\n.ft P\n.in -.2i\n.fi\n"
	                   ".SS \"<CACHEDIR PREFIX=\"\"DEFAULT\"\">\"\nthe cache\n.SH SYNTAX\nits own\n");
	const struct kb_entry *e;
	char *page;
	CHECK(o.es.n > 0 && strstr(o.es.v[0].body, "### Forms\n\nform one") && !strstr(o.es.v[0].body, "0.0"));
	CHECK(!find(&o, "man:hid(1)#hid"));
	e = find(&o, "man:hid(1)#-a");
	CHECK_STR(e ? e->title : NULL, "-a, -b");
	e = find(&o, "man:hid(1)#OPTIONS");
	CHECK(e && strstr(e->body, "run hid -a now"));
	CHECK(e && strstr(e->body, "```\ncode line\n```"));
	CHECK(e && !strstr(e->body, "2i") && !strstr(e->body, "CR") && !strstr(e->body, "\nP\n"));
	e = find(&o, "man:hid(1)#-CACHEDIR-PREFIX=-DEFAULT--");
	CHECK(e && strstr(e->body, "### \\<CACHEDIR PREFIX=\"DEFAULT\"\\>\n\nthe cache"));
	CHECK(find(&o, "man:hid(1)#SYNOPSIS") && strstr(find(&o, "man:hid(1)#SYNOPSIS")->body, "its own"));
	for (size_t i = 0; i < o.es.n; i++)
		CHECK(!strstr(o.es.v[i].body, "\n0\n") && !strstr(o.es.v[i].body, "**0**"));
	page = kb_format_man_page(o.es.v, o.es.n);
	CHECK(page && strstr(page, "**hid -n**\n\nlists\n\n### Forms") && !strstr(strstr(page, "lists"), "hid -n"));
	free(page);
	done(&o);
}

/* mdoc's column lists are tables (every cell, not the first alone: tmux's tokens, file's
 * parameters), its enumerated lists keep their numbers; fonts that change inside a word
 * keep their words whole (intN_t(3type)'s INT\fIN\fB_MIN) and emphasis never starts with
 * a space (ps(1)'s .BI p \ pidlist). */
static void lists(void)
{
	struct out o = man("man:tm(1)", ".Dd January 1, 2026\n.Dt TM 1\n.Os\n.Sh NAME\n.Nm tm\n.Nd x\n"
	                   ".Sh DESCRIPTION\n.Bl -column \"XXXX\" \"X\"\n.It Sy Token Ta Sy \"\" Ta Sy Meaning\n"
	                   ".It Li \"{start}\" Ta \"^\" Ta \"The lowest\"\n.It Li \"{end}\" Ta \"$\" Ta \"a|b\"\n.El\n"
	                   ".Bl -enum\n.It\nfirst\n.It\nsecond\n.El\n");
	const struct kb_entry *e = find(&o, "man:tm(1)#DESCRIPTION");
	CHECK(e && strstr(e->body, "| **Token** |  | **Meaning** |\n| --- | --- | --- |\n"
	                           "| {start} | ^ | The lowest |\n| {end} | $ | a`|`b |\n"));
	CHECK(e && strstr(e->body, "1\\. first\n\n2\\. second"));
	done(&o);
	o = man("man:bi(1)", ".TH BI 1\n.SH NAME\nbi \\- x\n.SH DESCRIPTION\n.RB [ INT \\fIN\\fP _MIN ,\n"
	        "\\fBa\\fIb\\fBc\\fR.\n.BI p \\ pidlist\n\\fINO_\\fPBAD_PATTERN x\\fB(y)\\fP.\ncrsupp\\\t\\\tsuppress\n");
	e = find(&o, "man:bi(1)#DESCRIPTION");
	CHECK(e && strstr(e->body, "\\[**INT**_N_**\\_MIN**, **a**_b_**c**. **p**\xc2\xa0*pidlist*"));
	/* emphasis ending in punctuation against a word: the punctuation goes outside it; a
	 * \<tab> is a space (ptop.cfg(5)'s table) */
	CHECK(e && strstr(e->body, "*NO*\\_BAD_PATTERN x(**y)**. crsupp  suppress"));
	if (e) { /* and the reader shows the words, not the marks */
		struct kb_render_opts ro = {.width = 200};
		struct kb_doc *doc = kb_render(e->body, strlen(e->body), &ro);
		struct kb_buf txt = {0};
		kb_doc_plain(doc, &txt);
		CHECK(txt.s && strstr(txt.s, "[INTN_MIN, abc. p\xc2\xa0pidlist NO_BAD_PATTERN x(y). crsupp"));
		kb_buf_free(&txt);
		kb_doc_free(doc);
	}
	done(&o);
}

/* mdoc as mandoc prints it: a SYNOPSIS's headers and prototypes (#include <crypt.h>, "char *
 * crypt(const char *phrase, ...);" each a line, where the words ran together), a bare .Nm
 * block's empty body is no second name (pkg.m4(7)), .Bf's font is no word (crypt(5)'s "Li"),
 * the systems' names once (.Ux gave "UNIX UNIX"), a reference's authors joined ("A and B");
 * NAME's first paragraph alone makes the title, and its items (pod2man's list of modules)
 * and an .IP width are no entries or words. */
static void mdoc_more(void)
{
	struct out o = man("man:cr(3)", ".Dd January 1, 2026\n.Dt CR 3\n.Os\n.Sh NAME\n.Nm cr\n.Nd hash\n.Sh SYNOPSIS\n"
	                   ".In crypt.h\n.Ft char *\n.Fo crypt\n.Fa \"const char *phrase\"\n.Fa \"int n\"\n.Fc\n"
	                   ".Ft int\n.Fn crypt_ok \"int n\"\n.Nm\n.Op Fl v\n.Nm PKG_X\n"
	                   ".Sh DESCRIPTION\n.Bf Li\nlit\n.Ef\n.Tg setb\n.Ux Ns -domain and\n.In stdio.h\n"
	                   ".Sh STANDARDS\n.Rs\n.%A S. Lehtinen\n.%A C. Lonvick\n.%T The Protocol\n.Re\n");
	const struct kb_entry *e = o.es.n ? &o.es.v[0] : NULL;
	CHECK(e && strstr(e->body, "**#include** \\<**crypt.h**\\>\n\n"
	                           "*char* *\\** **crypt**(*const char \\*phrase*, *int n*);\n\n"
	                           "*int* **crypt_ok**(*int n*);\n\n**cr** \\[**-v**\\]\n\n**PKG_X**\n"));
	e = find(&o, "man:cr(3)#DESCRIPTION");
	CHECK(e && strstr(e->body, "lit UNIX-domain and \\<**stdio.h**\\>") && !strstr(e->body, "Li"));
	e = find(&o, "man:cr(3)#STANDARDS");
	CHECK(e && strstr(e->body, "S. Lehtinen and C. Lonvick, *The Protocol*."));
	done(&o);
	o = man("man:Fc(3pm)", ".TH Fc 3pm\n.SH NAME\nFile::Fc \\- locking\n.PP\nAlso documents:\n"
	        ".IP \"File::Fc::XS\" 2\n.PD 0\n.IP \"File::Fc::Pure\" 2\n.PD\n.SH SYNOPSIS\nuse File::Fc;\n"
	        ".SH DESCRIPTION\nsee \\fIthis\\fR\n");
	e = o.es.n ? &o.es.v[0] : NULL;
	CHECK_STR(e ? e->title : NULL, "Fc(3pm) - locking");
	CHECK(e && strstr(e->body, "Also documents:\n\nFile::Fc::XS\n\nFile::Fc::Pure\n\n## SYNOPSIS"));
	CHECK(!find(&o, "man:Fc(3pm)#File::Fc::XS") && o.es.n == 2);
	done(&o);
}

SUITE(man)
{
	bullets();
	mdoc_more();
	lists();
	hidden();
	spacing();
	groups();
	tables();
	man7();
	docbook();
	mdoc();
	edges();
}
