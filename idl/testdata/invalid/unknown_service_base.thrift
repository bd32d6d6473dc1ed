# expect: SX2004|SX2014 at 3
# Extends a service that does not exist.
service Child extends Missing {
}
