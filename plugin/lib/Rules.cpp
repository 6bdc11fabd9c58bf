// Placeholder; the rule-pack loader is being written.
#include "threadwise/Rules.h"
