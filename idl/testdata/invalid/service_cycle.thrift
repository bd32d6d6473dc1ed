# expect: SX2015 at 3 or 6
# Two services that extend each other.
service First extends Second {
}

service Second extends First {
}
