/*
 * fontcheck.c: is a pinned font file whole? Every OpenType table of the face used is summed
 * and compared with the checksum its table directory records.
 *
 * Stage: text, when the fonts are loaded. The facts that shaped it: the pin (size and the
 * SHA-256 of the first 64 KiB, which hold the table directories with every table's checksum)
 * cost 0.5 ms but let a file damaged beyond 64 KiB through: pages then lost characters and
 * drew text outside the table frame, exit 0. Hashing all 37 MB with SHA-256 costs 120 ms, a
 * third of a long unit's render; the tables' own 32-bit checksums catch damage at memory speed
 * (read in pieces, so the font's 37 MB are never all mapped into the process: 6 ms for the
 * two pinned faces on a machine where a render of the sample takes 85 ms). Fonts
 * built with FontForge (both pinned ones) record the head table's checksum with its
 * checkSumAdjustment field included, against the specification; both readings are accepted.
 */
#include "text_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Read in pieces that stay in the cache while they are summed (measured: 256 KiB is as fast
 * as any size from 64 KiB to 1 MiB, and mapping the file is three times slower). */
enum { PIECE = 256 << 10, MAX_TABLES = 256 };

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "sum_words reads words little-endian; add a big-endian path for this machine"
#endif

typedef struct table_record {
    char tag[5];
    uint32_t checksum, offset, length;
} table_record;

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool read_at(int fd, void *buffer, size_t size, off_t offset)
{
    unsigned char *p = buffer;
    while (size > 0) {
        ssize_t n = pread(fd, p, size, offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        size -= (size_t)n;
        offset += n;
    }
    return true;
}

/* The sum of the big-endian 32-bit words of p[0..n) (n a multiple of 8), without turning each
 * word around: the bytes at each position modulo 4 are summed apart, eight at a time, in
 * 16-bit lanes of two 64-bit accumulators (a lane takes 256 bytes of 255 before it could
 * overflow, so they are emptied every 256 steps), and weighted by their place at the end. */
static uint32_t sum_words(const unsigned char *p, size_t n)
{
    const uint64_t mask = 0x00FF00FF00FF00FFULL;
    uint64_t lanes[4] = {0, 0, 0, 0}; /* the bytes at positions 0, 1, 2, 3 modulo 4 */
    for (size_t i = 0; i < n;) {
        uint64_t even = 0, odd = 0;
        size_t end = i + 256 * 8 < n ? i + 256 * 8 : n;
        for (; i < end; i += 8) {
            uint64_t v;
            memcpy(&v, p + i, 8); /* little-endian: byte k of the file is bits 8k..8k+7 */
            even += v & mask;
            odd += (v >> 8) & mask;
        }
        /* even's lanes hold positions 0, 2, 4, 6; odd's 1, 3, 5, 7. */
        lanes[0] += (even & 0xFFFF) + (even >> 32 & 0xFFFF);
        lanes[2] += (even >> 16 & 0xFFFF) + (even >> 48 & 0xFFFF);
        lanes[1] += (odd & 0xFFFF) + (odd >> 32 & 0xFFFF);
        lanes[3] += (odd >> 16 & 0xFFFF) + (odd >> 48 & 0xFFFF);
    }
    return (uint32_t)(lanes[0] << 24) + (uint32_t)(lanes[1] << 16) + (uint32_t)(lanes[2] << 8) +
           (uint32_t)lanes[3];
}

/* The sum of a table's big-endian 32-bit words, the last one padded with zeros. */
static bool table_sum(int fd, const table_record *t, unsigned char *piece, uint32_t *sum)
{
    uint32_t s = 0;
    for (uint32_t done = 0; done < t->length;) {
        uint32_t n = t->length - done < PIECE ? t->length - done : PIECE;
        if (!read_at(fd, piece, n, (off_t)t->offset + done))
            return false;
        uint32_t whole = n & ~7u;
        s += sum_words(piece, whole);
        if (whole < n) { /* the rest, the table's last word padded with zeros */
            unsigned char last[8] = {0};
            memcpy(last, piece + whole, n - whole);
            s += be32(last) + be32(last + 4);
        }
        done += n;
    }
    *sum = s;
    return true;
}

/* The table directory of face `index`: where its records start and how many there are. */
static bool directory(int fd, unsigned index, uint32_t *start, uint16_t *count)
{
    unsigned char head[12];
    if (!read_at(fd, head, sizeof head, 0))
        return false;
    uint32_t offset = 0;
    if (memcmp(head, "ttcf", 4) == 0) {
        unsigned char entry[4];
        if (index >= be32(head + 8) || !read_at(fd, entry, 4, 12 + 4 * (off_t)index))
            return false;
        offset = be32(entry);
        if (!read_at(fd, head, sizeof head, offset))
            return false;
    }
    *start = offset + 12;
    *count = (uint16_t)(head[4] << 8 | head[5]);
    return *count > 0 && *count <= MAX_TABLES;
}

static int damaged(const char *path, bp_diags *diags, const char *what)
{
    bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, path, 0, 0, NULL,
                 "the font file is damaged: %s; pages set with it would lose characters. "
                 "Reinstall its package (see fonts/README.md)",
                 what);
    return -1;
}

/* Checks one table; 0 or -1 with a diagnostic naming it. */
static int check_table(int fd, const char *path, off_t size, const table_record *t,
                       unsigned char *piece, bp_diags *diags)
{
    char what[160];
    if ((off_t)t->offset + t->length > size) {
        snprintf(what, sizeof what, "its table \"%s\" runs past the end of the file", t->tag);
        return damaged(path, diags, what);
    }
    uint32_t sum = 0;
    if (!table_sum(fd, t, piece, &sum)) {
        snprintf(what, sizeof what, "its table \"%s\" cannot be read", t->tag);
        return damaged(path, diags, what);
    }
    bool ok = sum == t->checksum;
    if (!ok && strcmp(t->tag, "head") == 0 && t->length >= 12) {
        unsigned char adjustment[4];
        ok = read_at(fd, adjustment, 4, (off_t)t->offset + 8) &&
             sum - be32(adjustment) == t->checksum;
    }
    if (!ok) {
        snprintf(what, sizeof what,
                 "its table \"%s\" (bytes %u to %u) does not match its checksum (%08X, "
                 "recorded %08X)",
                 t->tag, t->offset, t->offset + t->length, sum, t->checksum);
        return damaged(path, diags, what);
    }
    return 0;
}

int text_check_font_tables(const char *path, unsigned index, bp_diags *diags)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0)
            close(fd);
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, path, 0, 0, NULL,
                     "cannot read the font file: %s", strerror(errno));
        return -1;
    }
    unsigned char *piece = malloc(PIECE);
    uint32_t start = 0;
    uint16_t count = 0;
    int rc = 0;
    if (!piece) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, path, 0, 0, NULL, "out of memory");
        rc = -1;
    } else if (!directory(fd, index, &start, &count)) {
        rc = damaged(path, diags, "its table directory cannot be read");
    }
    for (uint16_t i = 0; rc == 0 && i < count; i++) {
        unsigned char r[16];
        if (!read_at(fd, r, sizeof r, (off_t)start + 16 * (off_t)i)) {
            rc = damaged(path, diags, "its table directory is cut short");
            break;
        }
        table_record t = {.checksum = be32(r + 4), .offset = be32(r + 8), .length = be32(r + 12)};
        for (int k = 0; k < 4; k++)
            t.tag[k] = r[k] >= 0x20 && r[k] < 0x7F ? (char)r[k] : '?';
        rc = check_table(fd, path, st.st_size, &t, piece, diags);
    }
    free(piece);
    close(fd);
    return rc;
}
