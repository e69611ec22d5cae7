/* test_tokenizer.c - the kb FTS5 tokenizer: CJK pairs, identifier parts, unicode61 folding. */
#include <stdlib.h>

#include "harness.h"
#include "kb/tokenizer.h"

/* Tokens of text as "tok@pos tok@pos ...". */
static void toks(const char *text, bool query, const char *want)
{
	struct kb_strv out = {0};
	struct kb_err err;
	char *got;
	CHECK(kb_tokenizer_dump(text, query, &out, &err) == 0);
	got = kb_strv_join(&out, " ");
	CHECK_STR(got, want);
	free(got);
	kb_strv_free(&out);
}

SUITE(tokenizer)
{
	/* CJK runs: overlapping pairs, and the last character alone at the last pair's place */
	toks("导出镜像时", false, "导出@0 出镜@1 镜像@2 像时@3 时@3");
	toks("镜像", true, "镜像@0");
	toks("导出镜像", true, "导出@0 出镜@1 镜像@2");
	toks("像", true, "像@0");
	toks("错误信息为toolbox", false, "错误@0 误信@1 信息@2 息为@3 为@3 toolbox@4");
	toks("信息为toolbox", true, "信息@0 息为@1 toolbox@2");
	toks("为toolbox", true, "为@0 toolbox@1");
	toks("部署，导出", false, "部署@0 署@0 导出@1 出@1");
	toks("ログイン失敗", false, "ログ@0 グイ@1 イン@2 ン失@3 失敗@4 敗@4");
	toks("한국어 문서", false, "한국@0 국어@1 어@1 문서@2 서@2");
	/* identifiers: whole, and their parts at the same place in documents only */
	toks("MANIFEST_UNKNOWN", false, "manifest_unknown@0 manifest@0 unknown@0");
	toks("MANIFEST_UNKNOWN", true, "manifest_unknown@0");
	toks("getAcceccToken", false, "getaccecctoken@0 get@0 accecc@0 token@0");
	toks("toolbox.swr.bin.failReason", false, "toolbox@0 swr@1 bin@2 failreason@3 fail@3 reason@3");
	toks("HTTPServer", false, "httpserver@0 http@0 server@0");
	toks("umebn-unified-servicecenter", false, "umebn@0 unified@1 servicecenter@2");
	toks("0x80070005 v12.19.10.b06", false, "0x80070005@0 v12@1 19@2 10@3 b06@4");
	/* unicode61 folding outside CJK */
	toks("Élan CAFÉ", false, "elan@0 cafe@1");
	toks("", false, "");
}
