// THREADWISE_TEST_CRASH=crash.cpp makes the analysis crash on this TU.
int innocent() { return 1; }
