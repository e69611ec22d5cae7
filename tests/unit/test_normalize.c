/* test_normalize.c - signatures of error lines, similarity, error shapes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "kb/normalize.h"

static void sig(const char *in, const char *want)
{
	char *got = kb_normalize(in, strlen(in));
	CHECK_STR(got, want);
	free(got);
}

static double sim(const char *a, const char *b)
{
	char *x = kb_normalize(a, strlen(a)), *y = kb_normalize(b, strlen(b));
	double s = kb_normalize_similarity(x, y);
	free(x);
	free(y);
	return s;
}

static bool errorish(const char *s)
{
	return kb_normalize_errorish(s, strlen(s));
}

static bool code(const char *s)
{
	return kb_normalize_is_code(s, strlen(s));
}

/* How worth listing a symptom is: 0 for what any error says, its words otherwise. */
static void usefulness(void)
{
	static const struct {
		const char *text;
		bool useful;
	} cases[] = {
		{"EOF", false}, {"FATAL", false}, {"OnFailure", false}, {"0x7f3a2b1c", false}, {"[ERROR]", false},
		{"12345", false}, {"error: 42", false},
		{"ImagePullBackOff", true}, {"connection refused", true}, {"被移除项目", true}, {"失败", false},
		{"Failed to retrieve node IP: host IP unknown", true},
	};
	for (size_t i = 0; i < KB_NELEM(cases); i++) {
		char *sig = kb_normalize(cases[i].text, strlen(cases[i].text));
		double u = kb_normalize_usefulness(sig, cases[i].text);
		if (!CHECK((u > 0) == cases[i].useful))
			printf("     %s: usefulness %g\n", cases[i].text, u);
		free(sig);
	}
	/* more words, more useful */
	CHECK(kb_normalize_usefulness("failed to retrieve node ip: host ip unknown", "x") >
	      kb_normalize_usefulness("connection refused", "x"));
}

SUITE(normalize)
{
	usefulness();
	/* addresses, with ports and brackets, and the placeholders authors type */
	sig("Could not connect to Redis at [2001:db8::5]:6379: Connection refused",
	    "could not connect to redis at <ip>: connection refused");
	sig("Could not connect to Redis at IPV6ADDRESS: Connection refused",
	    "could not connect to redis at <ip>: connection refused");
	sig("dial tcp 10.0.0.12:2379: i/o timeout", "dial tcp <ip>: i/o timeout");
	sig("fe80::1%eth0 ::1", "<ip> <ip>");
	/* times, dates, durations, numbers */
	sig("[2020/12/07 10:00:00.000 +08:00] [ERROR] [file.go:123]",
	    "[<date> <time> +<time>] [error] [file.go:<num>]");
	sig("2023-09-04T10:20:30Z", "<date>T<time>");
	sig("time_consuming: 0:10:42", "time_consuming: <time>");
	sig("took 150ms, retried 3 times in 1h30m", "took <dur>, retried <num> times in <dur>");
	sig("timeout over 5 Min", "timeout over <num> min");
	/* ids, hashes, versions, paths, names */
	sig("uuid 123e4567-e89b-12d3-a456-426614174000", "uuid <uuid>");
	sig("sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "sha256:<hex>");
	sig("HRESULT 0x80070005", "hresult <hex>");
	sig("umebn-unified-servicecenter-v12.19.10.b06.tar.gz", "umebn-unified-servicecenter-<ver>.tar.gz");
	sig("version 3.04.06.01.03", "version <ver>");
	sig("File \"/home/ubuntu/x.py\", line 36", "file \"<path>\", line <num>");
	sig("pod web-5f7d9c-x2k failed", "pod web-<id>-<id> failed");
	sig("service umebn-unified-servicecenter", "service umebn-unified-servicecenter");
	sig("persistentvolume [data-vol] to PaaS", "persistentvolume [<name>] to paas");
	sig("database 'mydb-01' and \"MANIFEST_UNKNOWN\"", "database '<str>' and \"manifest_unknown\"");
	sig("  many   spaces\tand\ttabs  ", "many spaces and tabs");
	sig("", "");

	/* two copies of one error are alike; different errors are not */
	CHECK(sim("Could not connect to Redis at [2001:db8::5]:6379: Connection refused",
	          "Could not connect to Redis at IPV6ADDRESS: Connection refused") > 0.99);
	CHECK(sim("failed product [umebn-foo-bar] , reason = service foo-bar : Deploy service timeout over 7 Min, Error: ImagePullBackOff",
	          "failed product [umebn-unified-servicecenter] , reason = service unified-servicecenter : Deploy service timeout over 5 Min, Error: ImagePullBackOff") > 0.75);
	CHECK(sim("Could not connect to Redis at 10.0.0.1:6379: Connection refused",
	          "ERROR 1205 (HY000): Lock wait timeout exceeded") < 0.15);

	CHECK(errorish("Connection refused"));
	CHECK(errorish("toolbox.swr.bin.failReason"));
	CHECK(errorish("创建租户失败"));
	CHECK(errorish("404 Not Found"));
	CHECK(!errorish("docker save [OPTIONS] IMAGE"));
	CHECK(!errorish("the quick brown fox"));
	/* in any case: a word's first two letters are looked up as they are written */
	static const char *const cased[] = {"CONNECTION REFUSED", "Timed Out", "tImEd oUt", "OOM", "oOm",
	                                    "FATAL: x", "Cannot stat", "cANNOT", "PANIC", "No Such file",
	                                    "segmentation FAULT", "x ERR y", "Err", "MISSING", "DeadLock"};
	for (size_t i = 0; i < KB_NELEM(cased); i++)
		if (!CHECK(errorish(cased[i])))
			printf("     for [%s]\n", cased[i]);
	CHECK(!errorish("xOOMx wait")); /* "oom" only as a word */
	CHECK(!errorish("ERRAND boy"));
	CHECK(!errorish("ab"));
	CHECK(!errorish("e"));
	{ /* matchers tried by the first byte give every signature that trying all of them gives:
	   texts of pieces that start each matcher's shapes, and near misses, at word starts */
		static const char *const pieces[] = {
			"http://a.b/c", "Https://x", "550e8400-e29b-41d4-a716-446655440000", "IPV6ADDRESS",
			"x.x.x.x", "<ip>", "HOST_IP", "10.0.0.1:6379", "10.0.0.1/24", "[2001:db8::5]:80",
			"fe80::1%eth0", "::1", "2023-09-04T10:20:30Z", "2023/09/04", "12:34:56.789", "3:04",
			"0x1F", "deadbeef1", "v1.2", "V2.0.1", "1.2.3", "/var/log/x", "./a/b", "~/x", "../y",
			"5ms", "1h30m", "42", "3.5", "Jan", "MON", "\"a-1\"", "'b.c'", "[web-1]", "[x]",
			"web-5f7d9c-x2k", "name-v1.2.3", "a", "Z", "_", "-", ".", ":", "[", "\"", "'", "<", "~",
			"/", "I", "H", "x", "X", "v", "é", "中", " ", "\t", "(", ")", ",", "=", "@"};
		unsigned long long r = 7;
		size_t bad = 0;
		for (int round = 0; round < 20000; round++) {
			char text[512] = "";
			int k = 1 + (int)(r % 7);
			for (int i = 0; i < k; i++) {
				r = r * 6364136223846793005ull + 1442695040888963407ull;
				strcat(text, pieces[(r >> 33) % KB_NELEM(pieces)]);
			}
			if (!kb_normalize_first_kinds_agree(text, strlen(text)) && bad++ < 3)
				fprintf(stderr, "    first kinds disagree: %s\n", text);
		}
		CHECK_INT(bad, 0);
	}
	{ /* the first two bytes of a listed word, then others: only the whole word counts */
		static const char *const near[] = {"dexied", "DeXied", "crxsh", "pxnic", "timxout", "unxnown",
		                                   "rexused", "nox found", "coxld not", "夺败", "旰法"};
		for (size_t i = 0; i < KB_NELEM(near); i++)
			if (!CHECK(!errorish(near[i])))
				fprintf(stderr, "    errorish: %s\n", near[i]);
	}

	CHECK(code("MANIFEST_UNKNOWN"));
	CHECK(code("USER_OR_PWD_ERR"));
	CHECK(code("ImagePullBackOff"));
	CHECK(code("CrashLoopBackOff"));
	CHECK(code("ECONNREFUSED"));
	CHECK(code("0x80070005"));
	CHECK(!code("IMAGE_ID"));
	CHECK(!code("HelloWorld"));
	CHECK(!code("ERROR"));
}
