#ifdef BREAK
#error "BREAK was defined"
#endif
