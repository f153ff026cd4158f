/*
 * png_agree: how far two drawings of the same page agree, for the PNG backend's test against
 * pdftoppm. Both images are read as 8-bit grey (libpng's simplified API); a pixel is ink when
 * darker than mid-grey. A pixel disagrees when it is ink in one image and the other has no ink
 * within one pixel of it (its 3 x 3 neighbourhood): anti-aliasing and a rounding of a
 * position by one pixel are forgiven, a missing or extra stroke is not.
 *
 * Usage: png_agree A.png B.png [DIFF.pgm]   (DIFF: the disagreeing pixels black, A's ink grey)
 * Prints: size=WxH pixels=N ink=N (in A, in B) disagree=N agreement=P% (four decimals)
 * Exit: 0, or 2 when a file cannot be read or the sizes differ.
 */
#include <png.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { INK = 128 };

typedef struct image {
    int width, height;
    unsigned char *gray;
} image;

static bool load(const char *path, image *out)
{
    png_image png;
    memset(&png, 0, sizeof png);
    png.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&png, path)) {
        fprintf(stderr, "png_agree: %s: %s\n", path, png.message);
        return false;
    }
    png.format = PNG_FORMAT_GRAY;
    out->width = (int)png.width;
    out->height = (int)png.height;
    out->gray = malloc(PNG_IMAGE_SIZE(png));
    if (!out->gray || !png_image_finish_read(&png, NULL, out->gray, 0, NULL)) {
        fprintf(stderr, "png_agree: %s: %s\n", path, out->gray ? png.message : "out of memory");
        png_image_free(&png);
        return false;
    }
    return true;
}

static bool ink(const image *im, int x, int y)
{
    return x >= 0 && y >= 0 && x < im->width && y < im->height &&
           im->gray[(size_t)y * (size_t)im->width + (size_t)x] < INK;
}

static bool ink_near(const image *im, int x, int y)
{
    for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++)
            if (ink(im, x + dx, y + dy))
                return true;
    return false;
}

int main(int argc, char **argv)
{
    image a, b;
    if (argc != 3 && argc != 4) {
        fputs("usage: png_agree A.png B.png [DIFF.pgm]\n", stderr);
        return 2;
    }
    if (!load(argv[1], &a) || !load(argv[2], &b))
        return 2;
    if (a.width != b.width || a.height != b.height) {
        printf("size=%dx%d other=%dx%d\n", a.width, a.height, b.width, b.height);
        return 2;
    }
    long long pixels = (long long)a.width * a.height, inked = 0, disagree = 0, ink_a = 0, ink_b = 0;
    FILE *diff = argc == 4 ? fopen(argv[3], "wb") : NULL;
    if (diff)
        fprintf(diff, "P5\n%d %d\n255\n", a.width, a.height);
    for (int y = 0; y < a.height; y++)
        for (int x = 0; x < a.width; x++) {
            bool in_a = ink(&a, x, y), in_b = ink(&b, x, y);
            inked += in_a || in_b;
            ink_a += in_a;
            ink_b += in_b;
            bool differs = (in_a && !ink_near(&b, x, y)) || (in_b && !ink_near(&a, x, y));
            disagree += differs;
            if (diff)
                fputc(differs ? 0 : in_a ? 200 : 255, diff);
        }
    if (diff)
        fclose(diff);
    printf("size=%dx%d pixels=%lld ink=%lld (%lld, %lld) disagree=%lld agreement=%.4f%%\n", a.width,
           a.height, pixels, inked, ink_a, ink_b, disagree,
           100.0 * (double)(pixels - disagree) / (double)pixels);
    free(a.gray);
    free(b.gray);
    return 0;
}
