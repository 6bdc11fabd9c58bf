// Does not compile: the analysis must name it and go on with the others.
int broken() { return undeclared_identifier; }
