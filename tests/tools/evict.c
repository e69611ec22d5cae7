/* evict.c - kbevict FILE...: drops the files' pages from the page cache (as after a reboot,
 * or after the kernel reclaimed them), for the test of kb build's reading ahead.
 * Exits 0 when no page of any of them is cached afterwards, 3 when the file system keeps
 * them anyway (tmpfs does), 2 when a file cannot be read. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Pages of fd (size bytes) in the page cache, by mincore; -1 when that cannot be told. */
static long resident(int fd, size_t size)
{
	long page = sysconf(_SC_PAGESIZE), n = 0;
	size_t pages = (size + (size_t)page - 1) / (size_t)page;
	unsigned char *vec;
	void *map;
	if (size == 0)
		return 0;
	map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return -1;
	vec = malloc(pages);
	if (!vec || mincore(map, size, vec) != 0) {
		free(vec);
		munmap(map, size);
		return -1;
	}
	for (size_t i = 0; i < pages; i++)
		n += vec[i] & 1;
	free(vec);
	munmap(map, size);
	return n;
}

int main(int argc, char **argv)
{
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0 || fstat(fd, &st) != 0) {
			perror(argv[i]);
			return 2;
		}
		/* dirty pages stay: write them out first */
		if (fdatasync(fd) != 0 || posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) != 0) {
			perror(argv[i]);
			return 2;
		}
		if (resident(fd, (size_t)st.st_size) != 0)
			rc = 3;
		close(fd);
	}
	return rc;
}
