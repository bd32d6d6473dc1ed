# expect: SX2005 at 3
# A typedef that aliases itself.
typedef Loop Loop
