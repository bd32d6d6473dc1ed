# expect: SX2013 at 3
# 200 does not fit in i8 (-128..127).
const i8 SMALL = 200
