/*
 * bpgen_util.c: what bpgen's two generators (bpgen.c, bpgen_kind.c) share beyond bpgen.h's
 * inline PRNG: a unit's own random stream, writing a file, making its folders.
 */
#include "bpgen_util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Each unit of a batch gets its own stream from (seed, index), so that unit 17 of a batch is
 * the same whatever the batch size. */
rng rng_for_unit(uint64_t seed, uint64_t index)
{
    rng mixer = {seed};
    uint64_t a = rng_next(&mixer);
    rng r = {a ^ (index * UINT64_C(0xD1B54A32D192ED03))};
    rng_next(&r);
    return r;
}

int write_text(const char *path, const char *text, size_t len)
{
    FILE *f = path ? fopen(path, "wb") : stdout;
    if (!f) {
        fprintf(stderr, "bpgen: cannot write %s: %s\n", path, strerror(errno));
        return EXIT_IO;
    }
    bool ok = fwrite(text, 1, len, f) == len && fputc('\n', f) != EOF;
    ok = (path ? fclose(f) == 0 : fflush(f) == 0) && ok;
    if (!ok) {
        fprintf(stderr, "bpgen: cannot write %s\n", path ? path : "to stdout");
        return EXIT_IO;
    }
    return EXIT_OK;
}

/* mkdir -p: each missing component in turn; an existing directory is fine. */
bool make_directories(const char *path)
{
    size_t len = strlen(path);
    char *copy = malloc(len + 1);
    if (!copy)
        return false;
    memcpy(copy, path, len + 1);
    bool ok = true;
    for (size_t i = 1; i <= len && ok; i++) {
        if (copy[i] != '/' && copy[i] != '\0')
            continue;
        char saved = copy[i];
        copy[i] = '\0';
        struct stat st;
        if (mkdir(copy, 0777) != 0 &&
            !(errno == EEXIST && stat(copy, &st) == 0 && S_ISDIR(st.st_mode)))
            ok = false;
        copy[i] = saved;
    }
    free(copy);
    return ok;
}
