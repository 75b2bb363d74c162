// The check macro of the CSys test parts linked into test_csys (test_landlock.c, test_relay.c):
// counts into the caller's counters, prints only on failure.
#ifndef AEGISH_CSYS_TEST_CHECK_H
#define AEGISH_CSYS_TEST_CHECK_H

#include <stdio.h>

#define PART_CHECK(passed, failed, cond, ...)                             \
    do {                                                                  \
        if (cond) {                                                       \
            (*(passed))++;                                                \
        } else {                                                          \
            (*(failed))++;                                                \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                 \
            fputc('\n', stderr);                                          \
        }                                                                 \
    } while (0)

#endif
