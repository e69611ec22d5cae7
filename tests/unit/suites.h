/* suites.h - the list of unit test suites, one X(name) per tests/unit/test_NAME.c. */
X(util)
X(width)
X(normalize)
X(tokenizer)
X(query)
X(compile)
X(search)
X(render)
