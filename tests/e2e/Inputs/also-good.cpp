// Race-free and thread-free.
int twice(int x) { return 2 * x; }
