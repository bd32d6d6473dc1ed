# expect: SX1007 at 3
# Not a finite double.
const double HUGE = 1e999
