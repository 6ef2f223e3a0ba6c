/* An LD_PRELOAD library for tests that prove a program leaves no copy of a
 * secret in freed heap memory (the My Number, decision 11): it replaces
 * free(), searches every block freed for $FREED_SCAN_PATTERN, and at exit
 * writes the number of blocks that still held it to $FREED_SCAN_OUT.
 * C++ operator delete ends in free(), so std::string and std::vector
 * buffers are seen too. Memory from mmap (SecureBytes) never passes here. */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern void __libc_free(void* p);

static const char* pattern;
static size_t pattern_size;
static unsigned long hits;

__attribute__((constructor)) static void start(void) {
    pattern = getenv("FREED_SCAN_PATTERN");
    pattern_size = pattern != NULL ? strlen(pattern) : 0;
}

void free(void* p) {
    if (p != NULL && pattern_size > 0 && memmem(p, malloc_usable_size(p), pattern, pattern_size))
        ++hits;
    __libc_free(p);
}

__attribute__((destructor)) static void finish(void) {
    const char* out = getenv("FREED_SCAN_OUT");
    if (out == NULL) return;
    FILE* f = fopen(out, "w");
    if (f == NULL) return;
    fprintf(f, "%lu\n", hits);
    fclose(f);
}
