//===- ThreadInventory.h - Classify each thread entry of a program --------===//
//
// Turns the linked ProgramModel's threads into the inventory of
// threadwise/Threads.h: per spawn site and entry, the work the thread does
// (CPU regions and blocking calls of every function it runs, across TUs),
// its class and how many instances may run at once.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_ANALYSIS_THREADINVENTORY_H
#define THREADWISE_ANALYSIS_THREADINVENTORY_H

#include "Program.h"
#include "threadwise/Threads.h"

namespace threadwise {

/// One entry per (spawn site, entry function), sorted by spawn site.
std::vector<ThreadEntryInfo> buildThreadInventory(const ProgramModel &Program);

} // namespace threadwise

#endif
