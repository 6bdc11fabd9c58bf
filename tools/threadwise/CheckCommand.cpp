// Placeholder; the check command is being written.
#include "Commands.h"
int threadwise::runCheckCommand(int, const char **) { return 3; }
