// Does not compile: clangd reports the error, threadwise logs that it cannot analyse it.
int broken() { return undeclared_identifier; }
