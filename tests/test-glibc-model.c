#include "tap.h"
int main(void) { ok(1, "placeholder"); tap_done(); return tap_exit(); }
