/*
 * common.h: what every budgetpress header shares: the export mark and the version.
 */
#ifndef BUDGETPRESS_COMMON_H
#define BUDGETPRESS_COMMON_H

#if defined(__GNUC__)
#define BP_API __attribute__((visibility("default")))
#else
#define BP_API
#endif

#define BP_VERSION_STRING "0.1.0"

#endif
